// The user asks for the HTTP transport from a build of `mcp` without the `http` feature.
#[mcp::main(transport = "http")]
async fn main() {}
