// The user gives `name` a number instead of a string.
/// Add two numbers.
#[mcp::tool(name = 5)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
