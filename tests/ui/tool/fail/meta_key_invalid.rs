// The user writes a `_meta` key whose prefix is not dot-separated labels.
/// Add two numbers.
#[mcp::tool(meta("example.com:8080/flag" = true))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
