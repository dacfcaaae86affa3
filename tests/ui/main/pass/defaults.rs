// `#[mcp::main]` with no options: the package's name, stdio.
#[mcp::main]
async fn main() {}
