// The user flattens a struct that derives neither `Deserialize` nor `JsonSchema`.
struct Search {
    query: String,
}

/// Search the catalogue.
#[mcp::tool]
fn search(#[mcp(flatten)] search: Search) -> String {
    search.query
}

fn main() {}
