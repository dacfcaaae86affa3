// The prompt's name has a space in it.
/// Review code.
#[mcp::prompt(name = "code review")]
fn review(code: String) -> String {
    code
}

fn main() {}
