//! Prompts through the public API, with a hand-written descriptor (what `#[mcp::prompt]`
//! generates), served in-process.

mod common;

use common::Client;
use mcp::{
    Content, IntoPromptMessages, PromptArg, PromptArgument, PromptCall, PromptDef, PromptFuture,
    PromptMessage,
};
use serde_json::json;

fn review_arguments() -> Vec<PromptArgument> {
    [
        <String as PromptArg>::describe("code", Some("the code to review")),
        <Option<u32> as PromptArg>::describe("depth", None),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn review_get(mut call: PromptCall) -> PromptFuture {
    Box::pin(async move {
        let code = <String as PromptArg>::extract(&mut call, "code")?;
        let depth = <Option<u32> as PromptArg>::extract(&mut call, "depth")?;
        vec![
            PromptMessage::user(format!("Review at depth {}:", depth.unwrap_or(1))),
            PromptMessage::user(Content::embedded_text(
                "file:///snippet.rs",
                "text/x-rust",
                code,
            )),
            PromptMessage::assistant("I will look at it."),
        ]
        .into_messages()
    })
}

fn no_function() -> std::any::TypeId {
    std::any::TypeId::of::<()>()
}

static REVIEW: PromptDef = PromptDef {
    name: "review",
    title: Some("Code review"),
    description: Some("Review some code."),
    icons: &[],
    meta: None,
    arguments: review_arguments,
    get: review_get,
    function_id: no_function,
    location: "prompts.rs",
};

fn complete_depth(call: mcp::CompleteCall) -> mcp::CompleteFuture {
    Box::pin(async move { call.filter(["1", "2", "10", "20"]) })
}

static DEPTH: mcp::CompletionDef = mcp::CompletionDef {
    reference: mcp::CompletionRef::Prompt("review"),
    argument: "depth",
    complete: complete_depth,
    location: "prompts.rs",
};

fn server() -> mcp::Server {
    mcp::Server::builder()
        .prompt_def(&REVIEW)
        .completion_def(&DEPTH)
        .build()
        .expect("a valid server")
}

#[tokio::test]
async fn arguments_are_completed_from_what_was_typed() {
    let mut client = Client::start(server());
    let reply = client
        .call(1, "completion/complete", json!({"ref": {"type": "ref/prompt", "name": "review"}, "argument": {"name": "depth", "value": "1"}}))
        .await;
    assert_eq!(
        reply["result"]["completion"],
        json!({"values": ["1", "10"], "total": 2, "hasMore": false})
    );
    let none = client
        .call(2, "completion/complete", json!({"ref": {"type": "ref/prompt", "name": "review"}, "argument": {"name": "code", "value": ""}}))
        .await;
    assert_eq!(none["result"]["completion"]["values"], json!([]));
    let unknown = client
        .call(3, "completion/complete", json!({"ref": {"type": "ref/prompt", "name": "nope"}, "argument": {"name": "x", "value": ""}}))
        .await;
    assert_eq!(unknown["error"]["code"], -32602);
    let discover = client.call(4, "server/discover", json!({})).await;
    assert!(discover["result"]["capabilities"]["completions"].is_object());
}

#[tokio::test]
async fn prompts_are_listed_with_their_arguments() {
    let mut client = Client::start(server());
    let list = client.call(1, "prompts/list", json!({})).await;
    assert_eq!(
        list["result"]["prompts"],
        json!([{
            "name": "review", "title": "Code review", "description": "Review some code.",
            "arguments": [
                {"name": "code", "description": "the code to review", "required": true},
                {"name": "depth", "required": false}
            ]
        }])
    );
    let discover = client.call(2, "server/discover", json!({})).await;
    assert!(discover["result"]["capabilities"]["prompts"].is_object());
}

#[tokio::test]
async fn get_fills_in_the_messages() {
    let mut client = Client::start(server());
    let reply = client
        .call(
            1,
            "prompts/get",
            json!({"name": "review", "arguments": {"code": "fn main() {}", "depth": "3"}}),
        )
        .await;
    let messages = &reply["result"]["messages"];
    assert_eq!(
        messages[0],
        json!({"role": "user", "content": {"type": "text", "text": "Review at depth 3:"}})
    );
    assert_eq!(messages[1]["content"]["resource"]["text"], "fn main() {}");
    assert_eq!(messages[2]["role"], "assistant");
    assert_eq!(reply["result"]["description"], "Review some code.");
}

#[tokio::test]
async fn wrong_arguments_and_unknown_prompts_are_invalid_params() {
    let mut client = Client::start(server());
    let missing = client
        .call(1, "prompts/get", json!({"name": "review"}))
        .await;
    assert_eq!(missing["error"]["code"], -32602);
    assert!(
        missing["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`code`")
    );
    let bad = client
        .call(
            2,
            "prompts/get",
            json!({"name": "review", "arguments": {"code": "x", "depth": "deep"}}),
        )
        .await;
    assert_eq!(bad["error"]["code"], -32602);
    let unknown = client.call(3, "prompts/get", json!({"name": "nope"})).await;
    assert_eq!(unknown["error"]["code"], -32602);
}
