// A server method that takes `&mut self`: shared values are only borrowed shared.
struct Counter(u32);

#[mcp::server]
impl Counter {
    /// Count.
    #[tool]
    fn count(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

fn main() {}
