// The user makes a tool function generic.
/// Echo a value.
#[mcp::tool]
fn echo<T: ToString>(value: T) -> String {
    value.to_string()
}

fn main() {}
