//! Tools switched on and off at run time, and the list-changed notifications.

mod common;

use common::Client;
use mcp::Context;
use serde_json::json;

/// Add two numbers.
#[mcp::tool]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Switch `add` on or off.
#[mcp::tool]
fn toggle(ctx: Context) -> String {
    let server = ctx.server().expect("a served call knows its server");
    let on = server.is_tool_enabled("add");
    server.set_tool_enabled("add", !on);
    format!("add is {}", if on { "off" } else { "on" })
}

fn server() -> mcp::Server {
    mcp::Server::builder()
        .tool(add)
        .tool(toggle)
        .build()
        .unwrap()
}

fn names(list: &serde_json::Value) -> Vec<String> {
    list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_listen_stream_hears_that_the_tools_changed() {
    let mut client = Client::start(server());
    let discover = client.call(1, "server/discover", json!({})).await;
    assert_eq!(
        discover["result"]["capabilities"]["tools"]["listChanged"],
        true
    );
    let ack = client
        .call(
            2,
            "subscriptions/listen",
            json!({"notifications": {"toolsListChanged": true}}),
        )
        .await;
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    let changed = client
        .call(3, "tools/call", json!({"name": "toggle"}))
        .await;
    assert_eq!(changed["method"], "notifications/tools/list_changed");
    assert_eq!(
        changed["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"],
        2
    );
    let reply = client.next().await;
    assert_eq!(reply["result"]["content"][0]["text"], "add is off");
    let list = client.call(4, "tools/list", json!({})).await;
    assert_eq!(names(&list), ["toggle"]);
    let refused = client
        .call(
            5,
            "tools/call",
            json!({"name": "add", "arguments": {"a": 1, "b": 2}}),
        )
        .await;
    assert_eq!(refused["error"]["code"], -32602);
    client
        .call(6, "tools/call", json!({"name": "toggle"}))
        .await;
    let reply = client.next().await;
    assert_eq!(reply["result"]["content"][0]["text"], "add is on");
    assert_eq!(
        names(&client.call(7, "tools/list", json!({})).await),
        ["add", "toggle"]
    );
}

#[tokio::test]
async fn a_stream_that_did_not_ask_hears_nothing() {
    let mut client = Client::start(server());
    client
        .call(
            1,
            "subscriptions/listen",
            json!({"notifications": {"promptsListChanged": true}}),
        )
        .await;
    let reply = client
        .call(2, "tools/call", json!({"name": "toggle"}))
        .await;
    assert_eq!(reply["id"], 2, "no notification before the reply: {reply}");
}

#[tokio::test]
async fn a_legacy_connection_hears_it_too() {
    let mut client = Client::start(server());
    client.initialize("2025-06-18").await;
    client
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "toggle"}}))
        .await;
    let changed = client.next().await;
    assert_eq!(changed["method"], "notifications/tools/list_changed");
    assert!(changed["params"].get("_meta").is_none(), "{changed}");
    assert_eq!(client.next().await["id"], 1);
}
