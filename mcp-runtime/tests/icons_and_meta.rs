//! `icon` and `meta(...)` on tools, resources, resource templates and prompts (free
//! functions and `#[mcp::server]` methods): listed as each revision has them (`icons`
//! from 2025-11-25, `_meta` from 2025-06-18), every list valid against that revision's
//! official schema.

use mcp::testing::Client;
use mcp::{ProtocolVersion, ResourceDef, ResourceFuture};
use mcp_tests::Schema;
use serde_json::{Value, json};

/// Add two numbers.
#[mcp::tool(
    icon = "https://example.com/add.png",
    icon(src = "data:image/svg+xml;base64,PHN2Zy8+", mime = "image/svg+xml", sizes = ["any"], theme = "dark"),
    meta("com.example/flag" = true, version = 2, ui = {"resourceUri": "ui://add", "sizes": [1, -2.5, null]}),
)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Nothing to show.
#[mcp::tool]
fn plain() {}

/// The configuration.
#[mcp::resource(
    uri = "config://app",
    icon(src = "https://example.com/config.png", mime = "image/png", sizes = ["16x16", "32x32"], theme = "light"),
    meta("com.example/owner" = "ops")
)]
fn config() -> &'static str {
    "debug = true"
}

/// One day of logs.
#[mcp::resource(
    uri = "logs://{day}",
    icon = "https://example.com/logs.svg",
    meta(retention = 30)
)]
fn logs(day: String) -> String {
    day
}

/// Review some code.
#[mcp::prompt(
    icon = "https://example.com/review.png",
    meta("com.example/tags" = ["code", "review"])
)]
fn review(code: String) -> String {
    code
}

/// A shared greeter.
#[derive(Default)]
struct Greeter;

#[mcp::server]
impl Greeter {
    /// Greet someone.
    #[tool(
        icon(src = "https://example.com/wave.png", theme = "light"),
        meta(kind = "greeting")
    )]
    fn greet(&self, name: String) -> String {
        format!("hello {name}")
    }
}

/// Everything above (`BAD_META` is only ever added by hand).
fn server() -> mcp::Server {
    mcp::Server::builder()
        .registered()
        .state(Greeter)
        .build()
        .expect("a valid server")
}

async fn client(version: ProtocolVersion) -> Client {
    if version.is_modern() {
        Client::new(server())
    } else {
        Client::legacy(server(), version)
            .await
            .expect("a legacy session")
    }
}

/// Every list at `version`, each checked against the revision's schema: `(list key,
/// result)`.
async fn list_everything(version: ProtocolVersion) -> Vec<(&'static str, Value)> {
    let schema = Schema::for_revision(version.as_str());
    let mut client = client(version).await;
    let mut lists = Vec::new();
    for (method, key, definition) in [
        ("tools/list", "tools", "ListToolsResult"),
        ("resources/list", "resources", "ListResourcesResult"),
        (
            "resources/templates/list",
            "resourceTemplates",
            "ListResourceTemplatesResult",
        ),
        ("prompts/list", "prompts", "ListPromptsResult"),
    ] {
        let result = client.request(method, json!({})).await.unwrap();
        schema.assert_valid(definition, &result);
        lists.push((key, result));
    }
    lists
}

fn item<'a>(lists: &'a [(&str, Value)], key: &str, name: &str) -> &'a Value {
    let (_, result) = lists.iter().find(|(seen, _)| *seen == key).unwrap();
    result[key]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {result}"))
}

/// `(list key, name, icons, _meta)` of everything listed.
fn expected() -> Vec<(&'static str, &'static str, Value, Value)> {
    vec![
        (
            "tools",
            "add",
            json!([
                {"src": "https://example.com/add.png"},
                {"src": "data:image/svg+xml;base64,PHN2Zy8+", "mimeType": "image/svg+xml", "sizes": ["any"], "theme": "dark"}
            ]),
            json!({"com.example/flag": true, "version": 2, "ui": {"resourceUri": "ui://add", "sizes": [1, -2.5, null]}}),
        ),
        (
            "tools",
            "greet",
            json!([{"src": "https://example.com/wave.png", "theme": "light"}]),
            json!({"kind": "greeting"}),
        ),
        (
            "resources",
            "config",
            json!([{"src": "https://example.com/config.png", "mimeType": "image/png", "sizes": ["16x16", "32x32"], "theme": "light"}]),
            json!({"com.example/owner": "ops"}),
        ),
        (
            "resourceTemplates",
            "logs",
            json!([{"src": "https://example.com/logs.svg"}]),
            json!({"retention": 30}),
        ),
        (
            "prompts",
            "review",
            json!([{"src": "https://example.com/review.png"}]),
            json!({"com.example/tags": ["code", "review"]}),
        ),
    ]
}

#[tokio::test]
async fn icons_and_meta_are_listed_from_2025_11_25() {
    for version in [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28] {
        let lists = list_everything(version).await;
        for (key, name, icons, meta) in expected() {
            let listed = item(&lists, key, name);
            assert_eq!(listed["icons"], icons, "{version} {name}");
            assert_eq!(listed["_meta"], meta, "{version} {name}");
        }
        let plain = item(&lists, "tools", "plain");
        assert!(plain.get("icons").is_none() && plain.get("_meta").is_none());
    }
}

#[tokio::test]
async fn before_2025_11_25_icons_are_left_out_and_meta_kept_from_2025_06_18() {
    let lists = list_everything(ProtocolVersion::V2025_06_18).await;
    for (key, name, _, meta) in expected() {
        let listed = item(&lists, key, name);
        assert!(listed.get("icons").is_none(), "{name}: {listed}");
        assert_eq!(listed["_meta"], meta, "{name}");
    }
    for version in [ProtocolVersion::V2025_03_26, ProtocolVersion::V2024_11_05] {
        let lists = list_everything(version).await;
        for (key, name, _, _) in expected() {
            let listed = item(&lists, key, name);
            assert!(
                listed.get("icons").is_none() && listed.get("_meta").is_none(),
                "{version} {name}: {listed}"
            );
        }
    }
}

#[test]
fn the_schemas_check_icons() {
    let schema = Schema::for_revision("2025-11-25");
    let tools = |icon: Value| json!({"tools": [{"name": "x", "inputSchema": {"type": "object"}, "icons": [icon]}]});
    schema.assert_valid("ListToolsResult", &tools(json!({"src": "https://x/a.png"})));
    for bad in [
        json!({"src": "https://x/a.png", "theme": "blue"}),
        json!({"theme": "dark"}),
    ] {
        assert!(schema.validate("ListToolsResult", &tools(bad)).is_err());
    }
}

fn read_nothing(_: mcp::ResourceCall) -> ResourceFuture {
    Box::pin(async { Ok(Vec::new()) })
}

static BAD_META: ResourceDef = ResourceDef {
    uri: "bad://meta",
    name: "bad",
    title: None,
    description: None,
    mime_type: None,
    icons: &[mcp::Icon {
        src: "https://example.com/bad.png",
        mime_type: None,
        sizes: &[],
        theme: Some(mcp::IconTheme::Dark),
    }],
    meta: Some("[1, 2]"),
    read: read_nothing,
    function_id: || std::any::TypeId::of::<()>(),
    location: "icons_and_meta.rs",
};

#[test]
fn a_hand_written_meta_that_is_not_an_object_stops_the_build() {
    let error = mcp::Server::builder()
        .resource_def(&BAD_META)
        .build()
        .unwrap_err()
        .to_string();
    assert!(error.contains("resource `bad`"), "{error}");
    assert!(error.contains("must be a JSON object"), "{error}");
}
