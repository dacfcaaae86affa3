// The user describes an icon but forgets where the image is.
/// Add two numbers.
#[mcp::tool(icon(mime = "image/png", sizes = ["48x48"]))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
