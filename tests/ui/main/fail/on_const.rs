// The user puts `#[mcp::main]` on a constant.
#[mcp::main]
const NAME: &str = "calculator";

fn main() {
    let _ = NAME;
}
