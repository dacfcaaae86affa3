// The user writes `size` for the icon key `sizes`.
/// Add two numbers.
#[mcp::tool(icon(src = "https://example.com/add.png", size = "48x48"))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
