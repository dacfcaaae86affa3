// The user takes `mcp::Context` twice.
use mcp::Context;

/// Count to `to`.
#[mcp::tool]
async fn count(ctx: Context, to: u32, progress: Context) -> u32 {
    let _ = (ctx, progress);
    to
}

fn main() {}
