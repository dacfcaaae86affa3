// The user mirrors a list parameter into an `Mcp-Param-*` header.
/// Sum some numbers.
#[mcp::tool]
fn sum(#[mcp(header = "Values")] values: Vec<f64>) -> f64 {
    values.iter().sum()
}

fn main() {}
