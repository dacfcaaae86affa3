// The user misspells `description` on a parameter.
/// Greet someone.
#[mcp::tool]
fn greet(#[mcp(descripton = "who to greet")] name: String) -> String {
    format!("hello {name}")
}

fn main() {}
