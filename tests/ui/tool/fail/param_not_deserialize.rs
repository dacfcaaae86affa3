// The user takes a parameter whose type derives `JsonSchema` but not `Deserialize`.
#[derive(mcp::schemars::JsonSchema)]
#[schemars(crate = "mcp::schemars")]
struct Point {
    x: f64,
}

/// Move a point.
#[mcp::tool]
fn shift(point: Point) -> f64 {
    point.x + 1.0
}

fn main() {}
