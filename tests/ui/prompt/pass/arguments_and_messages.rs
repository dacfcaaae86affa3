// Required and optional arguments, documented two ways; text and message results; an icon
// and `_meta`.
use mcp::PromptMessage;

/// Review code.
///
/// # Arguments
/// * `code` - the code
#[mcp::prompt(title = "Code review", icon = "https://example.com/review.svg", meta(tags = ["code"]))]
fn review(code: String, #[mcp(description = "its language")] language: Option<String>) -> Vec<PromptMessage> {
    vec![PromptMessage::user(format!("{code} in {}", language.unwrap_or_default()))]
}

/// Greet.
#[mcp::prompt]
async fn greet(name: String) -> String {
    name
}

fn main() {
    assert_eq!(review("x".into(), None).len(), 1);
}
