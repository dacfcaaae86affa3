// The user gives `bind` an address without a port.
#[mcp::main(transport = "http", bind = "localhost")]
async fn main() {}
