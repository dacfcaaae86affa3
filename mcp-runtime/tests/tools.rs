//! Tool shapes through the public API: the macro's output served in-process over a
//! duplex pipe with stdio framing.

use mcp::schemars::JsonSchema;
use mcp::serde::{Deserialize, Serialize};
use mcp::{Content, Context, ToolResult};
mod common;

use common::Client;
use serde_json::{Value, json};

/// Greet someone.
///
/// # Arguments
/// * `name` - who to greet
#[mcp::tool(title = "Greeter")]
fn greet(name: String, #[mcp(description = "how loud")] shout: Option<bool>) -> String {
    let text = format!("hello {name}");
    if shout == Some(true) {
        text.to_uppercase()
    } else {
        text
    }
}

/// A point on a plane.
#[derive(Serialize, Deserialize, JsonSchema)]
struct Point {
    /// Horizontal.
    x: i64,
    /// Vertical.
    y: i64,
}

/// Mirror a point; the whole input is the point.
#[mcp::tool]
async fn mirror(#[mcp(flatten)] point: Point, ctx: Context) -> Point {
    assert!(!ctx.is_cancelled());
    Point {
        x: -point.x,
        y: -point.y,
    }
}

/// Takes nothing.
#[mcp::tool(name = "nothing.at-all", annotations(destructive = false, open_world))]
fn nothing() {}

/// Several blocks.
#[mcp::tool]
fn blocks() -> Vec<Content> {
    vec![
        Content::text("a"),
        Content::image_bytes(b"png", "image/png"),
    ]
}

/// Fails readably.
#[mcp::tool]
fn fails() -> mcp::Result<u8> {
    Err(mcp::Error::msg("nope"))
}

/// Panics.
#[mcp::tool]
async fn panics() -> ToolResult {
    panic!("boom")
}

/// Query a region.
#[mcp::tool]
fn query(#[mcp(header = "Region")] region: String, sql: String) -> String {
    format!("{region}: {sql}")
}

/// A second module may reuse a tool name; the server refuses to serve both.
mod other {
    /// Also named `greet`.
    #[mcp::tool(name = "greet")]
    pub(super) fn greet_again() -> &'static str {
        "again"
    }
}

fn server() -> mcp::Server {
    mcp::Server::builder()
        .name("test")
        .version("0")
        .tool(greet)
        .tool(mirror)
        .tool(nothing)
        .tool(blocks)
        .tool(fails)
        .tool(panics)
        .build()
        .expect("a valid server")
}

fn tool<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tool| tool["name"] == name)
        .unwrap_or_else(|| panic!("no tool {name} in {list}"))
}

#[tokio::test]
async fn schemas_descriptions_and_annotations_come_from_the_source() {
    let mut client = Client::start(server());
    let list = client.call(1, "tools/list", json!({})).await;
    let greet = tool(&list, "greet");
    assert_eq!(greet["title"], "Greeter");
    assert_eq!(greet["description"], "Greet someone.");
    assert_eq!(greet["inputSchema"]["required"], json!(["name"]));
    assert_eq!(
        greet["inputSchema"]["properties"]["name"]["description"],
        "who to greet"
    );
    assert_eq!(
        greet["inputSchema"]["properties"]["shout"],
        json!({"type": "boolean", "description": "how loud"})
    );
    assert!(
        greet.get("outputSchema").is_none(),
        "text results have no output schema"
    );

    let nothing = tool(&list, "nothing.at-all");
    assert_eq!(
        nothing["inputSchema"],
        json!({"type": "object", "properties": {}})
    );
    assert_eq!(
        nothing["annotations"],
        json!({"destructiveHint": false, "openWorldHint": true})
    );

    let mirror = tool(&list, "mirror");
    assert_eq!(mirror["inputSchema"]["type"], "object");
    assert_eq!(mirror["inputSchema"]["required"], json!(["x", "y"]));
    assert_eq!(
        mirror["outputSchema"]["properties"]["y"]["description"],
        "Vertical."
    );
    let names: Vec<&str> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "tools are listed in a deterministic order");
}

#[tokio::test]
async fn calls_convert_arguments_and_results() {
    let mut client = Client::start(server());
    let reply = client
        .call(
            1,
            "tools/call",
            json!({"name": "greet", "arguments": {"name": "ada", "shout": true}}),
        )
        .await;
    assert_eq!(
        reply["result"]["content"],
        json!([{"type": "text", "text": "HELLO ADA"}])
    );
    let reply = client
        .call(
            2,
            "tools/call",
            json!({"name": "mirror", "arguments": {"x": 1, "y": -2}}),
        )
        .await;
    assert_eq!(
        reply["result"]["structuredContent"],
        json!({"x": -1, "y": 2})
    );
    assert_eq!(reply["result"]["content"][0]["type"], "text");
    let reply = client
        .call(3, "tools/call", json!({"name": "blocks"}))
        .await;
    assert_eq!(
        reply["result"]["content"][1],
        json!({"type": "image", "data": "cG5n", "mimeType": "image/png"})
    );
    let reply = client
        .call(4, "tools/call", json!({"name": "fails", "arguments": {}}))
        .await;
    assert_eq!(reply["result"]["isError"], true);
    assert_eq!(reply["result"]["content"][0]["text"], "nope");
}

#[tokio::test]
async fn bad_arguments_are_reported_to_the_model() {
    let mut client = Client::start(server());
    let reply = client
        .call(
            1,
            "tools/call",
            json!({"name": "greet", "arguments": {"name": 5}}),
        )
        .await;
    assert_eq!(reply["result"]["isError"], true);
    let text = reply["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("`name`"), "{text}");
    let reply = client
        .call(2, "tools/call", json!({"name": "greet", "arguments": [1]}))
        .await;
    assert_eq!(reply["error"]["code"], -32602);
}

#[tokio::test]
async fn a_panicking_tool_gets_an_error_and_the_server_keeps_serving() {
    let mut client = Client::start(server());
    let reply = client
        .call(1, "tools/call", json!({"name": "panics"}))
        .await;
    assert_eq!(reply["error"]["code"], -32603);
    assert!(reply["error"]["message"].as_str().unwrap().contains("boom"));
    let reply = client
        .call(
            2,
            "tools/call",
            json!({"name": "greet", "arguments": {"name": "x"}}),
        )
        .await;
    assert_eq!(reply["result"]["content"][0]["text"], "hello x");
}

#[test]
fn duplicate_names_name_both_definitions() {
    let error = mcp::Server::builder()
        .tool(greet)
        .tool(other::greet_again)
        .build()
        .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`greet`"), "{text}");
    assert_eq!(text.matches("tools.rs:").count(), 2, "{text}");
}

#[tokio::test]
async fn header_parameters_are_marked_in_the_schema() {
    let server = mcp::Server::builder().tool(query).build().unwrap();
    let mut client = Client::start(server);
    let list = client.call(1, "tools/list", json!({})).await;
    let query = tool(&list, "query");
    assert_eq!(
        query["inputSchema"]["properties"]["region"]["x-mcp-header"],
        "Region"
    );
    assert!(
        query["inputSchema"]["properties"]["sql"]
            .get("x-mcp-header")
            .is_none()
    );
}

#[test]
fn a_function_without_the_attribute_is_refused() {
    fn plain() {}
    let error = mcp::Server::builder().tool(plain).build().unwrap_err();
    assert!(error.to_string().contains("#[mcp::tool]"), "{error}");
}

#[tokio::test]
async fn the_functions_stay_callable() {
    assert_eq!(greet("b".into(), None), "hello b");
    let point = mirror(Point { x: 1, y: 1 }, Context::detached()).await;
    assert_eq!((point.x, point.y), (-1, -1));
}
