// The user leaves an icon's URI empty.
/// Add two numbers.
#[mcp::tool(icon = "")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
