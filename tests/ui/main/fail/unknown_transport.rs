// The user misspells the transport.
#[mcp::main(transport = "htp")]
async fn main() {}
