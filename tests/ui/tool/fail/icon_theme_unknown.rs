// The user gives an icon a theme that does not exist.
/// Add two numbers.
#[mcp::tool(icon(src = "https://example.com/add.png", theme = "blue"))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
