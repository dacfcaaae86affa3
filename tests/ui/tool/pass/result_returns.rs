// `Result` returns: any `Display` error, `mcp::Result`, and structured `Ok` values.
use std::fmt;

#[derive(Debug)]
struct DivisionByZero;

impl fmt::Display for DivisionByZero {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("division by zero")
    }
}

#[derive(mcp::serde::Serialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Quotient {
    value: f64,
}

/// Divide, with a `String` error.
#[mcp::tool]
fn divide(a: f64, b: f64) -> Result<f64, String> {
    if b == 0.0 {
        return Err("division by zero".to_owned());
    }
    Ok(a / b)
}

/// Divide, with an error type of the user's.
#[mcp::tool]
async fn divide_typed(a: f64, b: f64) -> Result<Quotient, DivisionByZero> {
    if b == 0.0 {
        return Err(DivisionByZero);
    }
    Ok(Quotient { value: a / b })
}

/// Parse a number, with `?` on any error.
#[mcp::tool]
fn parse(text: String) -> mcp::Result<i64> {
    Ok(text.trim().parse::<i64>()?)
}

/// Read a file's length, with a standard error type.
#[mcp::tool]
fn length(path: String) -> std::io::Result<u64> {
    Ok(std::fs::metadata(path)?.len())
}

fn main() {
    assert_eq!(divide(1.0, 2.0), Ok(0.5));
    assert!(parse("12".into()).is_ok());
    let _ = (divide_typed(1.0, 0.0), length(String::new()));
}
