// The user writes an annotation hint that does not exist.
/// Add two numbers.
#[mcp::tool(annotations(readonly))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
