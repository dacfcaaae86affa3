// The user puts `#[mcp::tool]` on a struct.
/// A calculator.
#[mcp::tool]
struct Calculator;

fn main() {
    let _ = Calculator;
}
