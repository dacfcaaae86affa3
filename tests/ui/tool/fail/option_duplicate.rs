// The user sets `name` twice.
/// Add two numbers.
#[mcp::tool(name = "add", name = "plus")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
