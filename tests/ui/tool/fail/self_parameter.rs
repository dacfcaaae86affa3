// The user puts `#[mcp::tool]` on a method that takes `&self`, in a plain `impl` block.
struct Calculator {
    offset: f64,
}

impl Calculator {
    /// Add the offset.
    #[mcp::tool]
    fn add(&self, a: f64) -> f64 {
        a + self.offset
    }
}

fn main() {
    let _ = Calculator { offset: 1.0 }.add(1.0);
}
