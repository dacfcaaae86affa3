// An option of a method's `#[tool]` is misspelled; the usual message applies.
struct Counter;

#[mcp::server]
impl Counter {
    /// Count.
    #[tool(nmae = "count")]
    fn count(&self) -> u32 {
        1
    }
}

fn main() {}
