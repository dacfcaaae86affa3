// The user takes a parameter whose type derives neither `Deserialize` nor `JsonSchema`.
struct Point {
    x: f64,
}

/// Move a point.
#[mcp::tool]
fn shift(point: Point) -> f64 {
    point.x + 1.0
}

fn main() {}
