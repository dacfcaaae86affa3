// The user forgets `async`.
#[mcp::main]
fn main() {}
