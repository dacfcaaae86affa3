// The user writes the same `_meta` key twice.
/// The configuration.
#[mcp::resource(uri = "config://app", meta("com.example/owner" = "ops", "com.example/owner" = "dev"))]
fn config() -> String {
    String::new()
}

fn main() {}
