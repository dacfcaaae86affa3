//! `#[mcp::server]` impl blocks: `&self` methods served with the shared value.

use std::sync::atomic::{AtomicU64, Ordering};

use mcp::testing::Client;
use serde_json::json;

/// A counter shared by every call.
#[derive(Default)]
struct Counter {
    total: AtomicU64,
}

#[mcp::server]
impl Counter {
    /// Add to the counter.
    ///
    /// # Arguments
    /// * `by` - how much to add
    #[tool(annotations(idempotent = false))]
    async fn add(&self, by: u64) -> u64 {
        self.total.fetch_add(by, Ordering::Relaxed) + by
    }

    /// The current total.
    #[resource(uri = "counter://total", mime = "text/plain")]
    fn total(&self) -> String {
        self.total.load(Ordering::Relaxed).to_string()
    }

    /// Describe a number.
    #[prompt(name = "describe")]
    fn describe(&self, #[mcp(description = "what to call it")] label: String) -> String {
        format!("{label} is {}", self.total.load(Ordering::Relaxed))
    }

    /// A tool without `self`.
    #[tool(name = "double")]
    fn twice(value: i64) -> i64 {
        value * 2
    }

    /// Not served: no attribute.
    fn reset(&self) {
        self.total.store(0, Ordering::Relaxed);
    }
}

#[tokio::test]
async fn methods_are_served_with_the_shared_value() {
    let server = mcp::Server::builder()
        .registered()
        .state(Counter::default())
        .build()
        .unwrap();
    let mut client = Client::new(server);
    let tools = client.list_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["add", "double"]);
    assert_eq!(tools[0]["description"], "Add to the counter.");
    assert_eq!(
        tools[0]["inputSchema"]["properties"]["by"]["description"],
        "how much to add"
    );
    assert_eq!(tools[0]["annotations"], json!({"idempotentHint": false}));
    assert_eq!(
        client
            .call_tool("add", json!({"by": 2}))
            .await
            .unwrap()
            .text(),
        "2"
    );
    assert_eq!(
        client
            .call_tool("add", json!({"by": 3}))
            .await
            .unwrap()
            .text(),
        "5"
    );
    assert_eq!(
        client
            .call_tool("double", json!({"value": 21}))
            .await
            .unwrap()
            .text(),
        "42"
    );
    assert_eq!(
        client.read_resource("counter://total").await.unwrap()[0]["text"],
        "5"
    );
    let prompts = client.list_prompts().await.unwrap();
    assert_eq!(prompts[0]["arguments"][0]["description"], "what to call it");
    let messages = client
        .get_prompt("describe", json!({"label": "the total"}))
        .await
        .unwrap();
    assert_eq!(messages[0]["content"]["text"], "the total is 5");
}

#[test]
fn the_methods_stay_callable() {
    let counter = Counter::default();
    counter.total.store(7, Ordering::Relaxed);
    assert_eq!(counter.total(), "7");
    counter.reset();
    assert_eq!(Counter::twice(2), 4);
}
