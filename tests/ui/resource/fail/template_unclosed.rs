// The user forgot to close a template variable.
/// Logs.
#[mcp::resource(uri = "logs://{day")]
fn log(day: String) -> String {
    day
}

fn main() {}
