//! Resources through the public API, with hand-written descriptors (what
//! `#[mcp::resource]` generates), served in-process.

mod common;

use common::Client;
use mcp::{ResourceArg, ResourceCall, ResourceDef, ResourceFuture};
use serde_json::json;

fn read_config(call: ResourceCall) -> ResourceFuture {
    Box::pin(async move { call.finish("debug = true") })
}

fn read_profile(mut call: ResourceCall) -> ResourceFuture {
    Box::pin(async move {
        let id = <u32 as ResourceArg>::extract(&mut call, "id")?;
        call.finish(format!("user {id}"))
    })
}

fn read_logo(call: ResourceCall) -> ResourceFuture {
    Box::pin(async move { call.finish(vec![0x89_u8, b'P', b'N', b'G']) })
}

fn no_function() -> std::any::TypeId {
    std::any::TypeId::of::<()>()
}

static CONFIG: ResourceDef = ResourceDef {
    uri: "config://app",
    name: "config",
    title: Some("App configuration"),
    description: Some("The configuration."),
    mime_type: Some("text/x-toml"),
    icons: &[],
    meta: None,
    read: read_config,
    function_id: no_function,
    location: "resources.rs",
};

static PROFILE: ResourceDef = ResourceDef {
    uri: "users://{id}/profile",
    name: "profile",
    title: None,
    description: Some("A user's profile."),
    mime_type: None,
    icons: &[],
    meta: None,
    read: read_profile,
    function_id: no_function,
    location: "resources.rs",
};

static LOGO: ResourceDef = ResourceDef {
    uri: "images://logo.png",
    name: "logo",
    title: None,
    description: None,
    mime_type: Some("image/png"),
    icons: &[],
    meta: None,
    read: read_logo,
    function_id: no_function,
    location: "resources.rs",
};

fn server() -> mcp::Server {
    mcp::Server::builder()
        .resource_def(&CONFIG)
        .resource_def(&PROFILE)
        .resource_def(&LOGO)
        .build()
        .expect("a valid server")
}

#[tokio::test]
async fn fixed_resources_and_templates_are_listed_apart() {
    let mut client = Client::start(server());
    let discover = client.call(1, "server/discover", json!({})).await;
    assert!(discover["result"]["capabilities"]["resources"].is_object());
    let list = client.call(2, "resources/list", json!({})).await;
    let resources = list["result"]["resources"].as_array().unwrap();
    let uris: Vec<&str> = resources
        .iter()
        .map(|r| r["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["config://app", "images://logo.png"]);
    assert_eq!(resources[0]["title"], "App configuration");
    assert_eq!(resources[0]["mimeType"], "text/x-toml");
    assert!(list["result"]["ttlMs"].is_u64());
    let templates = client.call(3, "resources/templates/list", json!({})).await;
    assert_eq!(
        templates["result"]["resourceTemplates"],
        json!([{"uriTemplate": "users://{id}/profile", "name": "profile", "description": "A user's profile."}])
    );
}

#[tokio::test]
async fn reads_return_text_blobs_and_template_values() {
    let mut client = Client::start(server());
    let config = client
        .call(1, "resources/read", json!({"uri": "config://app"}))
        .await;
    assert_eq!(
        config["result"]["contents"],
        json!([{"uri": "config://app", "mimeType": "text/x-toml", "text": "debug = true"}])
    );
    assert_eq!(config["result"]["resultType"], "complete");
    let profile = client
        .call(2, "resources/read", json!({"uri": "users://42/profile"}))
        .await;
    assert_eq!(profile["result"]["contents"][0]["text"], "user 42");
    let logo = client
        .call(3, "resources/read", json!({"uri": "images://logo.png"}))
        .await;
    assert_eq!(logo["result"]["contents"][0]["blob"], "iVBORw==");
    let bad = client
        .call(4, "resources/read", json!({"uri": "users://ada/profile"}))
        .await;
    assert_eq!(
        bad["error"]["code"], -32603,
        "a variable that is not a number: {bad}"
    );
}

#[tokio::test]
async fn unknown_uris_are_not_found_in_each_era_s_code() {
    let mut client = Client::start(server());
    let modern = client
        .call(1, "resources/read", json!({"uri": "nope://x"}))
        .await;
    assert_eq!(modern["error"]["code"], -32602);
    assert_eq!(modern["error"]["data"]["uri"], "nope://x");
    let mut legacy = Client::start(server());
    legacy.initialize("2025-11-25").await;
    legacy
        .send(json!({"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": {"uri": "nope://x"}}))
        .await;
    assert_eq!(legacy.next().await["error"]["code"], -32002);
}

#[tokio::test]
async fn a_server_without_resources_does_not_offer_them() {
    let mut client = Client::start(mcp::Server::builder().build().unwrap());
    let reply = client.call(1, "resources/list", json!({})).await;
    assert_eq!(reply["error"]["code"], -32601);
}

#[tokio::test]
async fn legacy_subscriptions_are_accepted_for_readable_uris() {
    let mut legacy = Client::start(server());
    let init = legacy.initialize("2025-06-18").await;
    assert_eq!(
        init["result"]["capabilities"]["resources"]["subscribe"],
        true
    );
    for (id, method) in [(1, "resources/subscribe"), (2, "resources/unsubscribe")] {
        legacy
            .send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {"uri": "users://7/profile"}}))
            .await;
        assert_eq!(legacy.next().await["result"], json!({}), "{method}");
    }
    legacy
        .send(json!({"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe", "params": {"uri": "nope://x"}}))
        .await;
    assert_eq!(legacy.next().await["error"]["code"], -32002);
}

#[tokio::test]
async fn a_listen_stream_acknowledges_known_resource_uris() {
    let mut client = Client::start(server());
    let ack = client
        .call(
            1,
            "subscriptions/listen",
            json!({"notifications": {"resourceSubscriptions": ["config://app", "nope://x"]}}),
        )
        .await;
    assert_eq!(
        ack["params"]["notifications"],
        json!({"resourceSubscriptions": ["config://app"]})
    );
}
