//! Protocol behaviour through the public API, served in-process.

mod common;

use common::Client;
use serde_json::json;

/// Add two numbers.
#[mcp::tool]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Subtract `b` from `a`.
#[mcp::tool]
fn sub(a: i64, b: i64) -> i64 {
    a - b
}

#[tokio::test]
async fn lists_come_in_pages_linked_by_opaque_cursors() {
    let server = mcp::Server::builder()
        .tool(add)
        .tool(sub)
        .page_size(1)
        .build()
        .unwrap();
    let mut client = Client::start(server);
    let first = client.call(1, "tools/list", json!({})).await;
    assert_eq!(first["result"]["tools"][0]["name"], "add");
    let cursor = first["result"]["nextCursor"].clone();
    assert!(cursor.is_string(), "{first}");
    let second = client
        .call(2, "tools/list", json!({"cursor": cursor}))
        .await;
    assert_eq!(second["result"]["tools"][0]["name"], "sub");
    assert!(
        second["result"].get("nextCursor").is_none(),
        "the last page: {second}"
    );
    let bad = client
        .call(3, "tools/list", json!({"cursor": "made-up"}))
        .await;
    assert_eq!(bad["error"]["code"], -32602);
}

fn server() -> mcp::Server {
    mcp::Server::builder()
        .tool(add)
        .build()
        .expect("a valid server")
}

#[tokio::test]
async fn batches_are_answered_together_in_2025_03_26() {
    let mut client = Client::start(server());
    client.initialize("2025-03-26").await;
    client
        .send(json!([
            {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "add", "arguments": {"a": 1, "b": 2}}},
            {"jsonrpc": "2.0", "method": "notifications/progress", "params": {}},
            {"jsonrpc": "2.0", "id": 2, "method": "no/such/method"}
        ]))
        .await;
    let replies = client.next().await;
    let replies = replies.as_array().expect("a batch reply is an array");
    assert_eq!(replies.len(), 2, "notifications get no reply: {replies:?}");
    assert_eq!(replies[0]["id"], 1);
    assert_eq!(replies[0]["result"]["content"][0]["text"], "3");
    assert_eq!(replies[1]["error"]["code"], -32601);
}

#[tokio::test]
async fn batches_are_refused_where_the_revision_has_none() {
    let mut client = Client::start(server());
    client.initialize("2025-06-18").await;
    client
        .send(json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]))
        .await;
    let reply = client.next().await;
    assert_eq!(reply["error"]["code"], -32600);
    assert_eq!(reply["id"], serde_json::Value::Null);
    let reply = client.call(2, "tools/list", json!({})).await;
    assert!(
        reply["result"]["tools"].is_array(),
        "the server keeps serving: {reply}"
    );
}

#[tokio::test]
async fn subscriptions_are_acknowledged_and_closed_at_end_of_input() {
    let mut client = Client::start(server());
    let ack = client
        .call(
            7,
            "subscriptions/listen",
            json!({"notifications": {"toolsListChanged": true, "promptsListChanged": true}}),
        )
        .await;
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(
        ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        7
    );
    assert_eq!(
        ack["params"]["notifications"],
        json!({"toolsListChanged": true}),
        "prompts are not offered"
    );
    client.close();
    let closed = client.next().await;
    assert_eq!(closed["id"], 7);
    assert_eq!(closed["result"]["resultType"], "complete");
    assert_eq!(
        closed["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        7
    );
}

#[tokio::test]
async fn a_cancelled_subscription_gets_no_reply() {
    let mut client = Client::start(server());
    let ack = client
        .call(1, "subscriptions/listen", json!({"notifications": {}}))
        .await;
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    client
        .send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}))
        .await;
    let next = client.call(2, "tools/list", json!({})).await;
    assert_eq!(
        next["id"], 2,
        "nothing for the cancelled subscription comes first: {next}"
    );
}
