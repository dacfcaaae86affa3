// The user writes `_meta` as a JSON string instead of entries.
/// Review some code.
#[mcp::prompt(meta = "{\"com.example/tags\": [\"code\"]}")]
fn review(code: String) -> String {
    code
}

fn main() {}
