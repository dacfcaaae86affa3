// The user gives a `_meta` entry a Rust expression instead of a JSON value.
/// Add two numbers.
#[mcp::tool(meta(limit = u32::MAX))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
