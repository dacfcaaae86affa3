// `#[mcp::server]` on a function instead of an impl block.
/// Count.
#[mcp::server]
fn count() -> u32 {
    1
}

fn main() {}
