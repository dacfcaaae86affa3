// The user gives two tools of one module the same name.
/// Add two numbers.
#[mcp::tool(name = "calc")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Subtract `b` from `a`.
#[mcp::tool(name = "calc")]
fn subtract(a: f64, b: f64) -> f64 {
    a - b
}

fn main() {}
