//! Asking the client for input (multi round-trip requests, 2026-07-28), in-process.

mod common;

use mcp::schemars::JsonSchema;
use mcp::serde::Deserialize;
use mcp::testing::Client;
use mcp::{Context, Elicitation, InputRequest};
use serde_json::{Value, json};

/// What the user tells us.
#[derive(Deserialize, JsonSchema)]
struct Name {
    name: String,
}

/// Greet the user by the name they give.
#[mcp::tool]
async fn greet(ctx: Context) -> mcp::Result<String> {
    match ctx.elicit::<Name>("What is your name?").await? {
        Elicitation::Accept(form) => Ok(format!("Hello, {}!", form.name)),
        Elicitation::Decline | Elicitation::Cancel => Ok("Hello, stranger!".into()),
    }
}

/// Two rounds: a name, then a confirmation, each under its own key.
#[mcp::tool]
async fn register(ctx: Context) -> mcp::Result<String> {
    let name = ctx
        .request_input(InputRequest::elicit::<Name>("Your name?").key("name"))
        .await?;
    let roots = ctx
        .request_input(InputRequest::list_roots().key("roots"))
        .await?;
    Ok(format!(
        "{} with {} roots",
        name["content"]["name"],
        roots["roots"].as_array().map_or(0, Vec::len)
    ))
}

/// Ask the model and list the roots.
#[mcp::tool]
async fn survey(ctx: Context) -> mcp::Result<String> {
    let (answer, roots) = tokio::join!(ctx.sample("Capital of France?", 20), ctx.roots());
    Ok(format!("{} / {}", answer?, roots?.join(",")))
}

/// Send the user to a sign-in page.
#[mcp::tool]
async fn sign_in(ctx: Context) -> mcp::Result<&'static str> {
    Ok(
        match ctx
            .elicit_url("Sign in to continue", "https://example.com/sign-in")
            .await?
        {
            Elicitation::Accept(()) => "signed in",
            Elicitation::Decline | Elicitation::Cancel => "not signed in",
        },
    )
}

fn server() -> mcp::Server {
    mcp::Server::builder()
        .tool(greet)
        .tool(register)
        .tool(survey)
        .tool(sign_in)
        .build()
        .unwrap()
}

#[tokio::test]
async fn url_elicitation_needs_its_own_capability() {
    let mut client = Client::new(server());
    let forms_only = json!({"elicitation": {"form": {}}});
    let error = client
        .request("tools/call", call("sign_in", json!({}), forms_only))
        .await
        .unwrap_err();
    assert_eq!(error.code, -32021);
    assert_eq!(
        error.data.unwrap()["requiredCapabilities"],
        json!({"elicitation": {"url": {}}})
    );
    let caps = json!({"elicitation": {"url": {}}});
    let first = client
        .request("tools/call", call("sign_in", json!({}), caps.clone()))
        .await
        .unwrap();
    let question = &first["inputRequests"]["input-0"]["params"];
    assert_eq!(
        (question["mode"].as_str(), question["url"].as_str()),
        (Some("url"), Some("https://example.com/sign-in"))
    );
    assert!(
        question.get("elicitationId").is_none(),
        "2026-07-28 has no elicitationId"
    );
    let retry = json!({"inputResponses": {"input-0": {"action": "accept"}}, "requestState": first["requestState"]});
    let done = client
        .request("tools/call", call("sign_in", retry, caps))
        .await
        .unwrap();
    assert_eq!(done["content"][0]["text"], "signed in");
}

#[tokio::test]
async fn sampling_and_roots_are_asked_together() {
    let mut client = Client::new(server());
    let caps = json!({"sampling": {}, "roots": {}});
    let first = client
        .request("tools/call", call("survey", json!({}), caps.clone()))
        .await
        .unwrap();
    let requests = first["inputRequests"].as_object().unwrap();
    let methods: Vec<&str> = requests
        .values()
        .filter_map(|r| r["method"].as_str())
        .collect();
    assert_eq!(methods.len(), 2, "{first}");
    assert!(methods.contains(&"sampling/createMessage") && methods.contains(&"roots/list"));
    let mut answers = serde_json::Map::new();
    for (key, request) in requests {
        let answer = if request["method"] == "roots/list" {
            json!({"roots": [{"uri": "file:///a"}, {"uri": "file:///b"}]})
        } else {
            json!({"role": "assistant", "content": {"type": "text", "text": "Paris"}, "model": "m"})
        };
        answers.insert(key.clone(), answer);
    }
    let retry = json!({"inputResponses": answers, "requestState": first["requestState"]});
    let done = client
        .request("tools/call", call("survey", retry, caps))
        .await
        .unwrap();
    assert_eq!(done["content"][0]["text"], "Paris / file:///a,file:///b");
}

fn call(name: &str, extra: Value, capabilities: Value) -> Value {
    let mut params = json!({
        "name": name,
        "arguments": {},
        "_meta": { "io.modelcontextprotocol/clientCapabilities": capabilities },
    });
    if let (Value::Object(params), Value::Object(extra)) = (&mut params, extra) {
        params.extend(extra);
    }
    params
}

#[tokio::test]
async fn an_elicitation_round_trips_through_the_client() {
    let mut client = Client::new(server());
    let caps = json!({"elicitation": {}});
    let first = client
        .request("tools/call", call("greet", json!({}), caps.clone()))
        .await
        .unwrap();
    assert_eq!(first["resultType"], "input_required");
    let question = &first["inputRequests"]["input-0"];
    assert_eq!(question["method"], "elicitation/create");
    assert_eq!(
        question["params"]["requestedSchema"]["properties"]["name"]["type"],
        "string"
    );
    let state = first["requestState"].clone();
    assert!(state.is_string());

    let answer = json!({"inputResponses": {"input-0": {"action": "accept", "content": {"name": "Ada"}}}, "requestState": state});
    let done = client
        .request("tools/call", call("greet", answer, caps.clone()))
        .await
        .unwrap();
    assert_eq!(done["resultType"], "complete");
    assert_eq!(done["content"][0]["text"], "Hello, Ada!");

    let declined = json!({"inputResponses": {"input-0": {"action": "decline"}}});
    let done = client
        .request("tools/call", call("greet", declined, caps))
        .await
        .unwrap();
    assert_eq!(done["content"][0]["text"], "Hello, stranger!");
}

#[tokio::test]
async fn later_rounds_keep_earlier_answers_in_the_state() {
    let mut client = Client::new(server());
    let caps = json!({"elicitation": {}, "roots": {}});
    let first = client
        .request("tools/call", call("register", json!({}), caps.clone()))
        .await
        .unwrap();
    assert!(first["inputRequests"]["name"].is_object(), "{first}");
    let name = json!({"inputResponses": {"name": {"action": "accept", "content": {"name": "Ada"}}}, "requestState": first["requestState"]});
    let second = client
        .request("tools/call", call("register", name, caps.clone()))
        .await
        .unwrap();
    assert_eq!(second["resultType"], "input_required");
    assert_eq!(second["inputRequests"]["roots"]["method"], "roots/list");
    assert!(
        second["inputRequests"].get("name").is_none(),
        "answered questions are not asked again"
    );
    let roots = json!({"inputResponses": {"roots": {"roots": [{"uri": "file:///repo"}]}}, "requestState": second["requestState"]});
    let done = client
        .request("tools/call", call("register", roots, caps.clone()))
        .await
        .unwrap();
    assert_eq!(done["content"][0]["text"], "\"Ada\" with 1 roots");

    let missing = json!({"requestState": second["requestState"]});
    let again = client
        .request("tools/call", call("register", missing, caps))
        .await
        .unwrap();
    assert_eq!(
        again["inputRequests"]["roots"]["method"], "roots/list",
        "a missing answer is asked again"
    );
}

#[tokio::test]
async fn a_tampered_or_foreign_state_is_refused() {
    let mut client = Client::new(server());
    let caps = json!({"elicitation": {}});
    let first = client
        .request("tools/call", call("greet", json!({}), caps.clone()))
        .await
        .unwrap();
    let state = first["requestState"].as_str().unwrap().to_owned();
    let mut bytes = state.into_bytes();
    bytes[5] = if bytes[5] == b'A' { b'B' } else { b'A' };
    let tampered = json!({"requestState": String::from_utf8(bytes).unwrap()});
    let error = client
        .request("tools/call", call("greet", tampered, caps.clone()))
        .await
        .unwrap_err();
    assert_eq!(error.code, -32602);
    let elsewhere = json!({"requestState": first["requestState"]});
    let error = client
        .request("tools/call", call("register", elsewhere, caps))
        .await
        .unwrap_err();
    assert_eq!(error.code, -32602, "a state is bound to its tool");
}

#[tokio::test]
async fn a_client_without_the_capability_gets_minus_32021() {
    let mut client = Client::new(server());
    let error = client
        .request("tools/call", call("greet", json!({}), json!({})))
        .await
        .unwrap_err();
    assert_eq!(error.code, -32021);
    assert_eq!(
        error.data.unwrap()["requiredCapabilities"],
        json!({"elicitation": {}})
    );
}

#[tokio::test]
async fn a_legacy_client_is_sent_the_request_on_its_connection() {
    let mut client = common::Client::start(server());
    client
        .send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}}, "clientInfo": {"name": "t", "version": "0"}
        }}))
        .await;
    client.next().await;
    client
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "greet", "arguments": {}}}))
        .await;
    let request = client.next().await;
    assert_eq!(request["method"], "elicitation/create");
    assert_eq!(request["params"]["message"], "What is your name?");
    assert!(request["id"].is_string(), "{request}");
    client
        .send(json!({"jsonrpc": "2.0", "id": request["id"], "result": {"action": "accept", "content": {"name": "Ada"}}}))
        .await;
    let reply = client.next().await;
    assert_eq!(reply["id"], 1);
    assert_eq!(reply["result"]["content"][0]["text"], "Hello, Ada!");
}

#[tokio::test]
async fn a_legacy_client_without_the_capability_gets_a_readable_tool_error() {
    let mut client = Client::legacy(server(), mcp::ProtocolVersion::V2025_06_18)
        .await
        .unwrap();
    let result = client.call_tool("greet", json!({})).await.unwrap();
    assert!(result.is_error, "{result:?}");
    assert!(result.text().contains("elicitation"), "{}", result.text());
}

#[tokio::test]
async fn a_legacy_client_that_ends_its_input_unblocks_a_tool_waiting_for_its_answer() {
    // Caught by the `jsonrpc_message` fuzz target: the server waited for the answer
    // forever after end of input, so it never finished serving.
    let mut client = common::Client::start(server());
    client
        .send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}}, "clientInfo": {"name": "t", "version": "0"}
        }}))
        .await;
    client.next().await;
    client
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "greet", "arguments": {}}}))
        .await;
    let request = client.next().await;
    assert_eq!(request["method"], "elicitation/create");
    client.close();
    let reply = client.next().await;
    assert_eq!(reply["id"], 1);
    assert_eq!(reply["result"]["isError"], true, "{reply}");
    assert!(
        reply["result"]["content"][0]["text"]
            .as_str()
            .is_some_and(|text| text.contains("the client went away")),
        "{reply}"
    );
}
