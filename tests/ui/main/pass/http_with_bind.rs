// The HTTP transport with a bind address (the body exits before serving).
#[mcp::main(name = "remote", transport = "http", bind = "127.0.0.1:0")]
async fn main() {
    std::process::exit(0);
}
