// A method's icon has a theme that does not exist; the usual message applies.
struct Counter;

#[mcp::server]
impl Counter {
    /// Count.
    #[tool(icon(src = "https://example.com/count.png", theme = "Dark"))]
    fn count(&self) -> u32 {
        1
    }
}

fn main() {}
