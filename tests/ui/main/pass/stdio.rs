// A complete stdio server: options, a tool, and a body that runs before serving. With
// no input it answers nothing and exits.
/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[mcp::main(name = "calculator", transport = "stdio")]
async fn main() {
    assert_eq!(add(1.0, 2.0), 3.0);
}
