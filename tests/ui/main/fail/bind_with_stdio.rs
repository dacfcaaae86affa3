// The user sets `bind` for the stdio transport.
#[mcp::main(transport = "stdio", bind = "127.0.0.1:9000")]
async fn main() {}
