// The user takes `&str`, which cannot be deserialized from owned JSON.
/// Greet someone.
#[mcp::tool]
fn greet(name: &str) -> String {
    format!("hello {name}")
}

fn main() {}
