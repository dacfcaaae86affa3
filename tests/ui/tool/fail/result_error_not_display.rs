// The user returns a `Result` whose error type does not implement `Display`.
#[derive(Debug)]
struct DivisionByZero;

/// Divide `a` by `b`.
#[mcp::tool]
fn divide(a: f64, b: f64) -> Result<f64, DivisionByZero> {
    if b == 0.0 {
        return Err(DivisionByZero);
    }
    Ok(a / b)
}

fn main() {}
