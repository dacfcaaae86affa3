// `mcp::Context` first, in the middle, last, alone, and under another name.
use mcp::Context;

/// Context first.
#[mcp::tool]
async fn first(ctx: Context, to: u32) -> u32 {
    ctx.progress(1.0, 1.0, None).await;
    to
}

/// Context in the middle.
#[mcp::tool]
async fn middle(a: u32, ctx: Context, b: u32) -> u32 {
    let _ = ctx.is_cancelled();
    a + b
}

/// Context last, in a sync tool.
#[mcp::tool]
fn last(a: u32, ctx: Context) -> u32 {
    let _ = ctx.protocol_version();
    a
}

/// Context alone.
#[mcp::tool]
fn alone(ctx: Context) -> bool {
    ctx.is_cancelled()
}

mod renamed {
    use mcp::Context as Ctx;

    /// Context under another name.
    #[mcp::tool]
    pub fn aliased(ctx: Ctx) -> bool {
        ctx.is_cancelled()
    }
}

fn main() {
    assert!(!alone(Context::detached()));
    assert!(!renamed::aliased(Context::detached()));
    assert_eq!(last(1, Context::detached()), 1);
    let _ = (first(Context::detached(), 1), middle(1, Context::detached(), 2));
}
