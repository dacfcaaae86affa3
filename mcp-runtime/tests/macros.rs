//! `#[mcp::resource]`, `#[mcp::prompt]` and `#[mcp::complete]` through the public API.

use mcp::testing::Client;
use mcp::{Content, Context, PromptMessage};
use serde_json::json;

/// The application's configuration.
#[mcp::resource(uri = "config://app", mime = "text/x-toml", title = "Configuration")]
fn config() -> &'static str {
    "debug = true"
}

/// One day of logs.
#[mcp::resource(uri = "logs://{day}/{+path}")]
async fn log(ctx: Context, day: String, path: String) -> mcp::Result<String> {
    assert!(!ctx.is_cancelled());
    if day == "never" {
        return Err(mcp::Error::msg("no logs that day"));
    }
    Ok(format!("{day}: {path}"))
}

/// The logo.
#[mcp::resource(uri = "images://logo.png", mime = "image/png")]
fn logo() -> Vec<u8> {
    vec![1, 2, 3]
}

/// Review some code.
///
/// # Arguments
/// * `code` - the code to review
/// * `language` - its language
#[mcp::prompt(title = "Code review")]
fn review(code: String, language: Option<String>) -> Vec<PromptMessage> {
    vec![
        PromptMessage::user(format!(
            "Review this {} code:",
            language.unwrap_or_else(|| "Rust".into())
        )),
        PromptMessage::user(Content::text(code)),
    ]
}

/// Greet.
#[mcp::prompt(name = "greeting")]
async fn greet(#[mcp(description = "who")] name: String) -> String {
    format!("Say hello to {name}.")
}

/// Languages for `review`.
#[mcp::complete(prompt = "review", argument = "language")]
fn languages(typed: String) -> Vec<&'static str> {
    ["rust", "ruby", "python"]
        .into_iter()
        .filter(|language| language.starts_with(&typed))
        .collect()
}

/// Days for the log template.
#[mcp::complete(resource = "logs://{day}/{+path}", argument = "day")]
async fn days(call: mcp::CompleteCall) -> Vec<String> {
    call.filter(["monday", "tuesday"])
}

fn server() -> mcp::Server {
    mcp::Server::builder()
        .registered()
        .build()
        .expect("a valid server")
}

#[tokio::test]
async fn resources_from_macros_are_listed_and_read() {
    let mut client = Client::new(server());
    let resources = client.list_resources().await.unwrap();
    assert_eq!(
        resources,
        [
            json!({"uri": "config://app", "name": "config", "title": "Configuration", "description": "The application's configuration.", "mimeType": "text/x-toml"}),
            json!({"uri": "images://logo.png", "name": "logo", "description": "The logo.", "mimeType": "image/png"}),
        ]
    );
    let templates = client.list_resource_templates().await.unwrap();
    assert_eq!(templates[0]["uriTemplate"], "logs://{day}/{+path}");
    assert_eq!(
        client.read_resource("config://app").await.unwrap()[0]["text"],
        "debug = true"
    );
    let log = client
        .read_resource("logs://monday/app/server.log")
        .await
        .unwrap();
    assert_eq!(log[0]["text"], "monday: app/server.log");
    assert_eq!(
        client.read_resource("images://logo.png").await.unwrap()[0]["blob"],
        "AQID"
    );
    let failed = client.read_resource("logs://never/x").await.unwrap_err();
    assert_eq!(
        (failed.code, failed.message.as_str()),
        (-32603, "no logs that day")
    );
}

#[tokio::test]
async fn prompts_from_macros_take_documented_arguments() {
    let mut client = Client::new(server());
    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(prompts[0]["name"], "greeting");
    assert_eq!(
        prompts[0]["arguments"],
        json!([{"name": "name", "description": "who", "required": true}])
    );
    assert_eq!(
        prompts[1]["arguments"],
        json!([
            {"name": "code", "description": "the code to review", "required": true},
            {"name": "language", "description": "its language", "required": false}
        ])
    );
    let messages = client
        .get_prompt("review", json!({"code": "fn main() {}", "language": "C"}))
        .await
        .unwrap();
    assert_eq!(messages[0]["content"]["text"], "Review this C code:");
    let messages = client
        .get_prompt("greeting", json!({"name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(
        messages,
        [json!({"role": "user", "content": {"type": "text", "text": "Say hello to Ada."}})]
    );
}

#[tokio::test]
async fn completers_from_macros_suggest_values() {
    let mut client = Client::new(server());
    let complete = |reference: serde_json::Value, argument: &str, value: &str| json!({"ref": reference, "argument": {"name": argument, "value": value}});
    let result = client
        .request(
            "completion/complete",
            complete(
                json!({"type": "ref/prompt", "name": "review"}),
                "language",
                "ru",
            ),
        )
        .await
        .unwrap();
    assert_eq!(result["completion"]["values"], json!(["rust", "ruby"]));
    let result = client
        .request(
            "completion/complete",
            complete(
                json!({"type": "ref/resource", "uri": "logs://{day}/{+path}"}),
                "day",
                "T",
            ),
        )
        .await
        .unwrap();
    assert_eq!(result["completion"]["values"], json!(["tuesday"]));
}

#[test]
fn the_functions_stay_callable() {
    assert_eq!(config(), "debug = true");
    assert_eq!(languages("py".into()), ["python"]);
}
