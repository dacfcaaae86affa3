// The function returns a number, which is not resource contents.
/// A counter.
#[mcp::resource(uri = "counter://hits")]
fn hits() -> u64 {
    42
}

fn main() {}
