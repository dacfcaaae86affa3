// The user misspells the `title` option.
/// Add two numbers.
#[mcp::tool(titel = "Addition")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
