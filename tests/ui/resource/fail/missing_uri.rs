// The user left out the resource's URI.
/// The configuration.
#[mcp::resource(mime = "text/plain")]
fn config() -> String {
    String::new()
}

fn main() {}
