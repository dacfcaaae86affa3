// The user names a tool after another tool's function in the same module.
/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Add two numbers, again.
#[mcp::tool(name = "add")]
fn sum(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
