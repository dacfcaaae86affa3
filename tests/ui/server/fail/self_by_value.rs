// A server method that takes `self` by value: the value is shared, so it cannot be moved.
struct Counter;

#[mcp::server]
impl Counter {
    /// Count.
    #[tool]
    fn count(self) -> u32 {
        1
    }
}

fn main() {}
