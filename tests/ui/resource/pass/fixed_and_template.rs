// Fixed URIs and templates, sync and async, with an injected `Context` and a typed variable;
// an icon and `_meta` on each kind.
/// The configuration.
#[mcp::resource(uri = "config://app", mime = "text/x-toml", icon = "https://example.com/config.png")]
fn config() -> &'static str {
    "debug = true"
}

/// A user's profile.
#[mcp::resource(uri = "users://{id}/profile", meta("com.example/cache" = {"seconds": 60}))]
async fn profile(ctx: mcp::Context, id: u32) -> mcp::Result<String> {
    let _ = ctx.is_cancelled();
    Ok(format!("user {id}"))
}

fn main() {
    assert_eq!(config(), "debug = true");
}
