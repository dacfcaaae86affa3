// The user gives an icon size without its height.
/// Review some code.
#[mcp::prompt(icon(src = "https://example.com/review.png", sizes = ["48x48", "96"]))]
fn review(code: String) -> String {
    code
}

fn main() {}
