// Completers taking the typed value or the whole request, sync and async.
/// Languages.
#[mcp::complete(prompt = "review", argument = "language")]
fn languages(typed: String) -> Vec<&'static str> {
    ["rust", "go"].into_iter().filter(|l| l.starts_with(&typed)).collect()
}

/// Days.
#[mcp::complete(resource = "logs://{day}", argument = "day")]
async fn days(call: mcp::CompleteCall) -> Vec<String> {
    call.filter(["monday"])
}

fn main() {
    assert_eq!(languages("r".into()), ["rust"]);
}
