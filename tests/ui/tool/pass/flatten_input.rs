// A struct that is the whole input (`#[mcp(flatten)]`), beside a `Context`.
use mcp::Context;

#[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Search {
    /// What to look for.
    query: String,
    /// At most this many hits.
    limit: Option<u32>,
}

/// Search the catalogue.
#[mcp::tool(annotations(read_only, open_world = false))]
async fn search(ctx: Context, #[mcp(flatten)] search: Search) -> String {
    let _ = ctx;
    format!("{} {:?}", search.query, search.limit)
}

fn main() {
    let _ = search(Context::detached(), Search { query: String::new(), limit: None });
}
