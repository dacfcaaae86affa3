//! Checks of the JSON-RPC messages that HTTP responses and event streams carry.

use std::time::Duration;

use serde_json::{Value, json};

use crate::Schema;
use crate::http::{HttpResponse, ServerProcess};
use crate::sse::{SseStream, parse_events};

/// Checks that `response` carries one JSON-RPC message as `application/json` that is
/// valid for `schema`, and returns it.
///
/// # Panics
///
/// Panics, showing the response, if it is not.
#[track_caller]
pub fn json_message(response: &HttpResponse, schema: &Schema) -> Value {
    let content_type = response.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "expected Content-Type application/json, got {response}"
    );
    let message = response.json();
    if let Err(violation) = schema.validate_server_message(&message) {
        panic!("{violation}\nin response: {response}");
    }
    message
}

/// Checks that `response` is `200` with a JSON-RPC result, as `application/json`,
/// valid as `definition` and answering request `id`, and returns the result.
///
/// # Panics
///
/// Panics, showing the response, if it is not.
#[track_caller]
pub fn expect_result(response: &HttpResponse, schema: &Schema, id: i64, definition: &str) -> Value {
    assert_eq!(
        response.status, 200,
        "expected 200 with a result, got {response}"
    );
    let message = json_message(response, schema);
    result_of(&message, response, schema, id, definition)
}

/// Like [`expect_result`], but the reply may also come as a complete
/// `text/event-stream` body, which Streamable HTTP allows for any request: then every
/// event must be a `message` valid for `schema`, and the last one the reply.
///
/// # Panics
///
/// Panics, showing the response, if it is not.
#[track_caller]
pub fn expect_result_in_any_form(
    response: &HttpResponse,
    schema: &Schema,
    id: i64,
    definition: &str,
) -> Value {
    assert_eq!(
        response.status, 200,
        "expected 200 with a result, got {response}"
    );
    let content_type = response.header("content-type").unwrap_or_default();
    if !content_type.starts_with("text/event-stream") {
        return expect_result(response, schema, id, definition);
    }
    let mut last = None;
    for event in parse_events(&response.text()) {
        assert_eq!(
            event.event, "message",
            "unexpected event {event} in {response}"
        );
        let message: Value = serde_json::from_str(&event.data)
            .unwrap_or_else(|error| panic!("event data is not JSON ({error}): {response}"));
        if let Err(violation) = schema.validate_server_message(&message) {
            panic!("{violation}\nin response: {response}");
        }
        last = Some(message);
    }
    let message = last.unwrap_or_else(|| panic!("an event stream without events: {response}"));
    result_of(&message, response, schema, id, definition)
}

#[track_caller]
fn result_of(
    message: &Value,
    response: &HttpResponse,
    schema: &Schema,
    id: i64,
    definition: &str,
) -> Value {
    assert_eq!(
        message["id"],
        json!(id),
        "reply to another request: {response}"
    );
    let result = message
        .get("result")
        .unwrap_or_else(|| panic!("expected a result, got {response}"))
        .clone();
    if let Err(violation) = schema.validate(definition, &result) {
        panic!("{violation}\nin response: {response}");
    }
    result
}

/// Checks that `response` has HTTP status `status` and carries a JSON-RPC error with
/// code `code`, valid for `schema` (and for the schema's definition of that error where
/// it has one), and returns the message.
///
/// # Panics
///
/// Panics, showing the response, if it does not.
#[track_caller]
pub fn expect_error(response: &HttpResponse, schema: &Schema, status: u16, code: i64) -> Value {
    assert_eq!(
        response.status, status,
        "expected HTTP {status} with JSON-RPC error {code}, got {response}"
    );
    let message = json_message(response, schema);
    assert_eq!(
        message["error"]["code"],
        json!(code),
        "expected JSON-RPC error {code}, got {response}"
    );
    // Whole-response definitions, then error-object definitions.
    let specific = match code {
        -32020 => Some(("HeaderMismatchError", &message)),
        -32022 => Some(("UnsupportedProtocolVersionError", &message)),
        -32700 => Some(("ParseError", &message["error"])),
        -32600 => Some(("InvalidRequestError", &message["error"])),
        -32601 => Some(("MethodNotFoundError", &message["error"])),
        -32602 => Some(("InvalidParamsError", &message["error"])),
        _ => None,
    };
    if let Some((definition, part)) = specific
        && schema.has_definition(definition)
        && let Err(violation) = schema.validate(definition, part)
    {
        panic!("{violation}\nin response: {response}");
    }
    message
}

/// The next event of `stream`, waiting at most `timeout`, which must be a `message`
/// event carrying a JSON-RPC message valid for `schema`; returns the message.
///
/// # Panics
///
/// Panics, with the server's stderr, on a timeout, the end of the stream, another event
/// type or an invalid message.
#[track_caller]
pub fn next_message(
    stream: &mut SseStream,
    schema: &Schema,
    timeout: Duration,
    server: &ServerProcess,
) -> Value {
    let event = stream
        .next(timeout)
        .unwrap_or_else(|error| panic!("waiting for an event: {error}; {}", server.describe()));
    assert_eq!(event.event, "message", "unexpected event {event}");
    let message: Value = serde_json::from_str(&event.data)
        .unwrap_or_else(|error| panic!("event data is not JSON ({error}): {event}"));
    if let Err(violation) = schema.validate_server_message(&message) {
        panic!("{violation}");
    }
    message
}

/// Reads messages from `stream` (the SSE reply to request `id`) up to the response,
/// validating each; returns the notifications before it and the response.
///
/// # Panics
///
/// As [`next_message`], or if a response to another request comes.
#[track_caller]
pub fn read_sse_reply(
    stream: &mut SseStream,
    schema: &Schema,
    id: i64,
    timeout: Duration,
    server: &ServerProcess,
) -> (Vec<Value>, Value) {
    let mut before = Vec::new();
    loop {
        let message = next_message(stream, schema, timeout, server);
        if message.get("method").is_none() {
            assert_eq!(
                message["id"],
                json!(id),
                "a reply to another request: {message}"
            );
            return (before, message);
        }
        before.push(message);
    }
}

/// Checks that `notifications` are the progress notifications of a `count` to `to`
/// with progress token `token`: steps 1 to `to`, in order, each with total `to`.
///
/// # Panics
///
/// Panics, naming the notification, if they are not.
#[track_caller]
pub fn check_progress(notifications: &[Value], token: &str, to: u32) {
    let steps: Vec<Value> = notifications
        .iter()
        .map(|n| {
            assert_eq!(n["method"], "notifications/progress", "{n}");
            assert_eq!(n["params"]["progressToken"], token, "{n}");
            assert_eq!(n["params"]["total"], json!(f64::from(to)), "{n}");
            n["params"]["progress"].clone()
        })
        .collect();
    let expected: Vec<Value> = (1..=to).map(|step| json!(f64::from(step))).collect();
    assert_eq!(steps, expected, "progress values");
}
