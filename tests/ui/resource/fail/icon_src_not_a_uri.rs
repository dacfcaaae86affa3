// The user gives an icon a file name instead of a URI.
/// The configuration.
#[mcp::resource(uri = "config://app", icon = "config.png")]
fn config() -> String {
    String::new()
}

fn main() {}
