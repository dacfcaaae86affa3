// Structured (`Serialize + JsonSchema`), content and `ToolResult` returns.
use mcp::{Content, ToolResult};

#[derive(mcp::serde::Serialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Forecast {
    city: String,
    degrees: f64,
}

/// A structured forecast.
#[mcp::tool]
fn forecast(city: String) -> Forecast {
    Forecast { city, degrees: 21.5 }
}

/// A list of forecasts.
#[mcp::tool]
fn forecasts() -> Vec<Forecast> {
    Vec::new()
}

/// One content block.
#[mcp::tool]
fn block() -> Content {
    Content::text("hi")
}

/// Several content blocks.
#[mcp::tool]
fn blocks() -> Vec<Content> {
    vec![Content::text("a"), Content::text("b")]
}

/// Full control.
#[mcp::tool]
fn full() -> ToolResult {
    ToolResult::error("no")
}

fn main() {
    let _ = (forecast("Oslo".into()), forecasts(), block(), blocks(), full());
}
