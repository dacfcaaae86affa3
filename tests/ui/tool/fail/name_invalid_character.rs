// The user names the tool with a space, which the spec does not allow.
/// Add two numbers.
#[mcp::tool(name = "add numbers")]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
