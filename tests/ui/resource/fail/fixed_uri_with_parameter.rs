// A fixed URI has no variables, yet the function takes a parameter.
/// The configuration.
#[mcp::resource(uri = "config://app")]
fn config(section: String) -> String {
    section
}

fn main() {}
