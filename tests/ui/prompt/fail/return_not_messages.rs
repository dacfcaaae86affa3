// The prompt returns a number, which cannot become prompt messages.
/// Pick a number.
#[mcp::prompt]
fn pick() -> u32 {
    4
}

fn main() {}
