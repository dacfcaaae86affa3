// The user returns a type that is neither text, content nor `Serialize + JsonSchema`.
struct Sum(f64);

/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> Sum {
    Sum(a + b)
}

fn main() {}
