// The user puts `#[mcp::main]` on a struct.
#[mcp::main]
struct Server;

fn main() {
    let _ = Server;
}
