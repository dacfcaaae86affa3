// Fixed URIs and templates, sync and async, with an injected `Context` and a typed variable.
/// The configuration.
#[mcp::resource(uri = "config://app", mime = "text/x-toml")]
fn config() -> &'static str {
    "debug = true"
}

/// A user's profile.
#[mcp::resource(uri = "users://{id}/profile")]
async fn profile(ctx: mcp::Context, id: u32) -> mcp::Result<String> {
    let _ = ctx.is_cancelled();
    Ok(format!("user {id}"))
}

fn main() {
    assert_eq!(config(), "debug = true");
}
