// Parameters mirrored into `Mcp-Param-*` headers: strings, integers, booleans, options.
/// Look up a city.
#[mcp::tool(title = "City lookup", annotations(idempotent, destructive = false))]
fn city(
    #[mcp(header = "City")] name: String,
    #[mcp(header = "Limit", description = "at most this many")] limit: u32,
    #[mcp(header = "Exact")] exact: bool,
    #[mcp(header = "Region")] region: Option<String>,
    #[mcp(header = "Offset")] offset: Option<i64>,
) -> String {
    format!("{name} {limit} {exact} {region:?} {offset:?}")
}

fn main() {
    let _ = city("Oslo".into(), 1, true, None, Some(2));
}
