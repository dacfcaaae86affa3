// The user wrote `mim` for `mime`.
/// The configuration.
#[mcp::resource(uri = "config://app", mim = "text/plain")]
fn config() -> String {
    String::new()
}

fn main() {}
