// The completer does not say what it completes.
/// Languages.
#[mcp::complete(argument = "language")]
fn languages(typed: String) -> Vec<String> {
    vec![typed]
}

fn main() {}
