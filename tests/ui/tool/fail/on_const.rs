// The user puts `#[mcp::tool]` on a constant.
/// The answer.
#[mcp::tool]
const ANSWER: u32 = 42;

fn main() {
    let _ = ANSWER;
}
