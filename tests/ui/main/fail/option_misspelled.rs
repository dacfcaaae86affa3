// The user misspells the `transport` option.
#[mcp::main(transprot = "stdio")]
async fn main() {}
