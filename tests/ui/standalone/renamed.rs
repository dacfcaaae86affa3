// The `mcp` dependency is renamed to `my_mcp`: `crate = my_mcp` tells both macros.
use my_mcp::Context;

/// Add two numbers.
#[my_mcp::tool(crate = my_mcp, annotations(read_only))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Count to `to`.
#[my_mcp::tool(crate = "my_mcp")]
async fn count(ctx: Context, to: u32) -> u32 {
    ctx.progress(1.0, 1.0, None).await;
    to
}

#[my_mcp::main(crate = my_mcp, name = "renamed", transport = "stdio")]
async fn main() {}
