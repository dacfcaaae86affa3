//! Sessions of the legacy eras: Streamable HTTP with `Mcp-Session-Id` (2025-03-26 to
//! 2025-11-25) and HTTP+SSE (2024-11-05).

use serde_json::{Value, json};

use super::{STEP_TIMEOUT, is_hex_id};
use crate::Schema;
use crate::http::{HttpClient, HttpServer};
use crate::http_mcp::{
    Headers, LegacySession, expect_result, expect_result_in_any_form, first_text, next_message,
    post_json,
};

/// A legacy Streamable HTTP session of `revision` (2025-03-26 to 2025-11-25) on
/// `/mcp`: `initialize` without a session is `200` and names a 32-hex-digit
/// `Mcp-Session-Id`; `notifications/initialized` is `202` without a body; the session's
/// `GET` stream opens; `tools/list` and `tools/call` with the id answer results valid
/// for the revision; `DELETE` is `200` and ends the stream; the id is `404` afterwards,
/// and so is a made-up id.
///
/// # Panics
///
/// On the first deviation.
pub fn legacy_session(server: &HttpServer, revision: &str) {
    let mut session = LegacySession::new(&server.base, revision);
    let schema = session.schema;
    let response = session.initialize();
    let result = expect_result(&response, schema, 1, "InitializeResult");
    assert_eq!(result["protocolVersion"], revision, "{response}");
    let id = session.session_id.clone().unwrap_or_default();
    assert!(
        is_hex_id(&id),
        "Mcp-Session-Id must be 32 hex digits: {response}"
    );

    let response = session.notify("notifications/initialized");
    assert_eq!(
        response.status, 202,
        "notifications/initialized: {response}"
    );
    assert!(response.body.is_empty(), "202 has no body: {response}");

    // The session's standalone stream (ended by DELETE below).
    let stream_headers = [
        ("Accept", "text/event-stream"),
        ("Mcp-Session-Id", id.as_str()),
    ];
    let mut stream = session.client.stream("GET", "/mcp", &stream_headers, None);
    assert_eq!(stream.status, 200, "GET /mcp: {:?}", stream.headers);
    let content_type = stream.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/event-stream"),
        "GET /mcp: {:?}",
        stream.headers
    );

    let next = session.peek_id();
    let response = session.request("tools/list", json!({}));
    let tools = expect_result_in_any_form(&response, schema, next, "ListToolsResult");
    assert_eq!(
        tools["tools"].as_array().map(Vec::len),
        Some(3),
        "{response}"
    );
    let next = session.peek_id();
    let add = json!({ "name": "add", "arguments": { "a": 2, "b": 3 } });
    let response = session.request("tools/call", add);
    let result = expect_result_in_any_form(&response, schema, next, "CallToolResult");
    assert_eq!(first_text(&result), "5", "{response}");

    let response = session.delete();
    assert_eq!(response.status, 200, "DELETE: {response}");
    let ended = stream.events.rest(STEP_TIMEOUT);
    assert!(
        ended.is_ok(),
        "the session's GET stream stays open after DELETE"
    );
    let response = session.request("tools/list", json!({}));
    assert_eq!(response.status, 404, "after DELETE: {response}");
    let response = session.delete();
    assert_eq!(response.status, 404, "DELETE again: {response}");

    let mut stranger = LegacySession::new(&server.base, revision);
    stranger.session_id = Some("0123456789abcdef0123456789abcdef".to_owned());
    let response = stranger.request("tools/list", json!({}));
    assert_eq!(response.status, 404, "made-up session id: {response}");
}

/// An HTTP+SSE session of 2024-11-05: `GET /sse` is a `text/event-stream` whose first
/// event is `endpoint` with data `/messages?sessionId=<32 hex digits>`; `initialize`,
/// `notifications/initialized`, `tools/list` and `tools/call` POSTed there are each
/// `202`, and the replies arrive as `message` events valid for the 2024-11-05 schema; a
/// POST with an unknown `sessionId` is `404`.
///
/// # Panics
///
/// On the first deviation.
pub fn http_sse_session(server: &HttpServer) {
    let schema = Schema::for_revision("2024-11-05");
    let client = HttpClient::new(&server.base);
    let mut stream = client.stream("GET", "/sse", &[("Accept", "text/event-stream")], None);
    assert_eq!(stream.status, 200, "GET /sse: {:?}", stream.headers);
    let content_type = stream.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/event-stream"),
        "GET /sse: {:?}",
        stream.headers
    );
    let endpoint = stream
        .events
        .next(STEP_TIMEOUT)
        .expect("the endpoint event");
    assert_eq!(endpoint.event, "endpoint", "first event: {endpoint}");
    let session = endpoint
        .data
        .strip_prefix("/messages?sessionId=")
        .unwrap_or_default();
    assert!(is_hex_id(session), "endpoint: {endpoint}");

    let headers = Headers::new().set("Content-Type", "application/json");
    let initialize = json!({ "protocolVersion": "2024-11-05", "capabilities": {},
                             "clientInfo": { "name": "http-test", "version": "0" } });
    let exchanges = [
        (Some((1, "InitializeResult")), "initialize", initialize),
        (None, "notifications/initialized", Value::Null),
        (Some((2, "ListToolsResult")), "tools/list", json!({})),
        (
            Some((3, "CallToolResult")),
            "tools/call",
            json!({ "name": "add", "arguments": { "a": 4, "b": 5 } }),
        ),
    ];
    let mut results = Vec::new();
    for (expected, method, params) in exchanges {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        if let Some((id, _)) = expected {
            message["id"] = json!(id);
        }
        let response = post_json(&client, &endpoint.data, &headers, &message);
        assert_eq!(response.status, 202, "POST {message}: {response}");
        if let Some((id, definition)) = expected {
            let reply = next_message(&mut stream.events, schema, STEP_TIMEOUT, &server.process);
            assert_eq!(reply["id"], id, "reply to {method}: {reply}");
            schema.assert_valid(definition, &reply["result"]);
            results.push(reply["result"].clone());
        }
    }
    assert_eq!(
        results[0]["protocolVersion"], "2024-11-05",
        "{}",
        results[0]
    );
    assert_eq!(first_text(&results[2]), "9", "{}", results[2]);

    let unknown = "/messages?sessionId=0123456789abcdef0123456789abcdef";
    let ping = json!({ "jsonrpc": "2.0", "id": 4, "method": "ping" });
    let response = post_json(&client, unknown, &headers, &ping);
    assert_eq!(response.status, 404, "unknown sessionId: {response}");
}
