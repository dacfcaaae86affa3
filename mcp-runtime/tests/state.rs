//! Shared state through `mcp::State<T>`, in-process.

use std::sync::atomic::{AtomicU64, Ordering};

use mcp::State;
use mcp::testing::Client;
use serde_json::json;

/// Counts calls.
#[derive(Default)]
struct Hits(AtomicU64);

/// A greeting shared by the prompt and the resource.
struct Greeting(&'static str);

/// Count this call.
#[mcp::tool]
fn hit(hits: State<Hits>, by: Option<u64>) -> u64 {
    hits.0.fetch_add(by.unwrap_or(1), Ordering::Relaxed) + by.unwrap_or(1)
}

/// Greet in the shared way.
#[mcp::prompt]
fn greet(greeting: State<Greeting>, name: String) -> String {
    format!("{}, {name}!", greeting.0)
}

/// The shared greeting.
#[mcp::resource(uri = "greeting://current")]
fn current(greeting: State<Greeting>) -> String {
    greeting.0.to_owned()
}

fn builder() -> mcp::ServerBuilder {
    mcp::Server::builder()
        .tool(hit)
        .prompt(greet)
        .resource(current)
}

#[tokio::test]
async fn every_call_sees_the_same_value() {
    let server = builder()
        .state(Hits::default())
        .state(Greeting("Hello"))
        .build()
        .unwrap();
    let mut client = Client::new(server);
    assert_eq!(
        client.call_tool("hit", json!({})).await.unwrap().text(),
        "1"
    );
    assert_eq!(
        client
            .call_tool("hit", json!({"by": 2}))
            .await
            .unwrap()
            .text(),
        "3"
    );
    let tools = client.list_tools().await.unwrap();
    assert_eq!(
        tools[0]["inputSchema"]["properties"],
        json!({"by": {"type": "integer", "minimum": 0}})
    );
    let messages = client
        .get_prompt("greet", json!({"name": "Ada"}))
        .await
        .unwrap();
    assert_eq!(messages[0]["content"]["text"], "Hello, Ada!");
    assert_eq!(
        client.read_resource("greeting://current").await.unwrap()[0]["text"],
        "Hello"
    );
}

#[tokio::test]
async fn a_missing_state_is_a_readable_error() {
    let mut client = Client::new(builder().build().unwrap());
    let result = client.call_tool("hit", json!({})).await.unwrap();
    assert!(result.is_error);
    assert!(
        result.text().contains("Hits") && result.text().contains(".state("),
        "{}",
        result.text()
    );
    let error = client
        .read_resource("greeting://current")
        .await
        .unwrap_err();
    assert!(error.message.contains("Greeting"), "{}", error.message);
}

#[test]
fn provided_values_reach_a_builder_that_asks_for_them() {
    mcp::provide(Greeting("Hi"));
    let server = builder().provided_states().build().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mut client = Client::new(server);
        assert_eq!(
            client.read_resource("greeting://current").await.unwrap()[0]["text"],
            "Hi"
        );
    });
}
