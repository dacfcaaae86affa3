// A completer that takes a number instead of the typed text.
/// Sizes.
#[mcp::complete(prompt = "order", argument = "size")]
fn sizes(typed: u32) -> Vec<String> {
    vec![typed.to_string()]
}

fn main() {}
