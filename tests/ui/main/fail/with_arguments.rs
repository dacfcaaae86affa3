// The user gives `main` parameters.
#[mcp::main]
async fn main(port: u16) {
    let _ = port;
}
