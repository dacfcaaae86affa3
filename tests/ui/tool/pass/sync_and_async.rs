// Sync and async tools, with and without parameters, still callable as written.
/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Add two numbers, later.
#[mcp::tool]
async fn add_later(a: f64, b: f64) -> f64 {
    a + b
}

/// Say hello.
#[mcp::tool]
fn hello() -> &'static str {
    "hello"
}

/// Do nothing, asynchronously.
#[mcp::tool]
async fn nothing() {}

/// A name that is a keyword.
#[mcp::tool]
fn r#type(r#as: String) -> String {
    r#as
}

fn main() {
    assert_eq!(add(1.0, 2.0), 3.0);
    assert_eq!(hello(), "hello");
    assert_eq!(r#type("x".to_owned()), "x");
    let _ = (add_later(1.0, 2.0), nothing());
}
