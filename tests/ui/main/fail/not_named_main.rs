// The user puts `#[mcp::main]` on a function that is not `main`.
#[mcp::main]
async fn serve() {}
