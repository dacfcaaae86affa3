// The user takes a parameter whose type derives `Deserialize` but not `JsonSchema`.
#[derive(mcp::serde::Deserialize)]
#[serde(crate = "mcp::serde")]
struct Point {
    x: f64,
}

/// Move a point.
#[mcp::tool]
fn shift(point: Point) -> f64 {
    point.x + 1.0
}

fn main() {}
