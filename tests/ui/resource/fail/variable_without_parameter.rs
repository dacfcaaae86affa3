// The template names `day` but the function calls its parameter `date`.
/// Logs.
#[mcp::resource(uri = "logs://{day}")]
fn log(date: String) -> String {
    date
}

fn main() {}
