//! JSON-RPC messages: arbitrary bytes as stdio input to a server with a few tools, a
//! resource template, a prompt and a completer.
//!
//! Each line is first read by the message parser alone and compared with a reading of
//! the same line as a JSON tree, by the JSON-RPC rules; then the whole input is served
//! with `Server::serve_io` over in-memory pipes. Checked: no panic and no hang; every
//! line the server writes is JSON, a reply or batch of replies or a message of its own;
//! every well-formed request (not cancelled) gets a reply carrying its id, and no id
//! gets more replies than messages carrying it.

#![no_main]

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mcp::__fuzz::{Message, parse_message};
use mcp::{Context, InputRequest, Server};
use serde_json::{Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Echo a text, after a progress report and a log line.
#[mcp::tool]
async fn echo(
    ctx: Context,
    text: String,
    #[mcp(header = "Region")] region: Option<String>,
) -> String {
    ctx.progress(1.0, 2.0, "half way").await;
    ctx.log(mcp::LogLevel::Info, &text).await;
    format!("{text}{}", region.unwrap_or_default())
}

/// Ask the user for their name.
#[mcp::tool]
async fn ask(ctx: Context) -> mcp::Result<String> {
    let answer = ctx
        .request_input(InputRequest::elicit::<Name>("What is your name?").key("name"))
        .await?;
    Ok(answer.to_string())
}

/// A name.
#[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
#[allow(dead_code)]
struct Name {
    name: String,
}

/// A note.
#[mcp::resource(uri = "notes://{day}/{+path}", mime = "text/plain")]
fn note(day: String, path: String) -> String {
    format!("{day}: {path}")
}

/// Greet someone.
#[mcp::prompt]
fn greet(name: String, style: Option<String>) -> String {
    format!("Greet {name} {}", style.unwrap_or_default())
}

/// Names, as the user types.
#[mcp::complete(prompt = "greet", argument = "name")]
fn names(typed: String) -> Vec<&'static str> {
    ["alice", "bob"]
        .into_iter()
        .filter(|name| name.starts_with(&typed))
        .collect()
}

fn server() -> Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            Server::builder()
                .name("fuzz")
                .tool(add)
                .tool(echo)
                .tool(ask)
                .resource(note)
                .prompt(greet)
                .registered_completions()
                .build()
                .expect("the fuzz server builds")
        })
        .clone()
}

/// One runtime for every input; its clock moves only when every task waits, so timers
/// cost nothing and a hang is a real one.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data
        .split(|&byte| byte == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|line| !line.is_empty())
        .collect();
    let mut expected = Expected::default();
    for line in &lines {
        let message = parse_message(line);
        if let Ok(value) = serde_json::from_slice::<Value>(line) {
            check_parse(&value, &message);
            expected.note_well_formed(&value);
        }
        expected.note_parsed(&message);
    }
    let output = serve(data);
    check_output(&output, &expected);
});

/// Serves `input` as a whole stdio session; what the server wrote.
fn serve(input: &[u8]) -> Vec<u8> {
    runtime().block_on(async {
        let (mut client, server_input) = tokio::io::duplex(64 * 1024);
        let (server_output, mut reader) = tokio::io::duplex(64 * 1024);
        let write = async move {
            client.write_all(input).await.expect("the server reads");
            drop(client);
        };
        let read = async move {
            let mut output = Vec::new();
            reader
                .read_to_end(&mut output)
                .await
                .expect("the server writes");
            output
        };
        let (served, (), output) =
            tokio::join!(server().serve_io(server_input, server_output), write, read);
        served.expect("serving in-memory pipes does not fail");
        output
    })
}

/// What the replies must be, from the input.
#[derive(Default)]
struct Expected {
    /// Ids of well-formed requests, each as often as it was sent.
    requests: HashMap<String, usize>,
    /// Ids of messages that may be answered (requests, invalid messages with an id).
    answerable: HashMap<String, usize>,
    /// Ids the input cancels: their calls may end without a reply.
    cancelled: HashSet<String>,
}

impl Expected {
    /// A line that is JSON: a well-formed request must be answered; a cancellation
    /// (alone or in a batch) excuses its request.
    fn note_well_formed(&mut self, value: &Value) {
        if let Some(id) = well_formed_request(value) {
            *self.requests.entry(id.to_string()).or_default() += 1;
        }
        let messages = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for message in messages {
            if message.get("method").and_then(Value::as_str) == Some("notifications/cancelled")
                && let Some(id) = message.pointer("/params/requestId")
            {
                self.cancelled.insert(id.to_string());
            }
        }
    }

    fn note_parsed(&mut self, message: &Message) {
        match message {
            Message::Request { id, .. } | Message::Invalid { id: Some(id), .. } => {
                *self.answerable.entry(id.to_string()).or_default() += 1;
            }
            Message::Batch(items) => {
                for item in items {
                    let bytes = serde_json::to_vec(item).unwrap_or_default();
                    if matches!(parse_message(&bytes), Message::Batch(_)) {
                        continue;
                    }
                    self.note_parsed(&parse_message(&bytes));
                }
            }
            _ => {}
        }
    }
}

/// The id of a request every revision must answer: an object with `"jsonrpc": "2.0"`,
/// a string `method`, a string or integer `id`, and object (or no) `params`.
fn well_formed_request(value: &Value) -> Option<&Value> {
    let object = value.as_object()?;
    let id = object.get("id").filter(|id| is_id(id))?;
    let well_formed = object.get("jsonrpc") == Some(&Value::from("2.0"))
        && object.get("method").is_some_and(Value::is_string)
        && object
            .get("params")
            .is_none_or(|p| p.is_object() || p.is_null());
    well_formed.then_some(id)
}

fn is_id(id: &Value) -> bool {
    id.is_string() || id.is_i64() || id.is_u64()
}

/// The parser reads a JSON line as the JSON-RPC rules read its tree.
fn check_parse(value: &Value, message: &Message) {
    let (message, arguments) = match message {
        Message::Request {
            id,
            method,
            params,
            arguments,
            protocol_version,
            progress_token,
        } => (
            Message::Request {
                id: id.clone(),
                method: method.clone(),
                params: params.clone(),
                arguments: None,
                protocol_version: protocol_version.clone(),
                progress_token: progress_token.clone(),
            },
            arguments.as_ref().map(|text| {
                serde_json::from_str::<Value>(text).expect("`arguments` is kept as JSON text")
            }),
        ),
        Message::Notification { method, params } => (
            Message::Notification {
                method: method.clone(),
                params: params.clone(),
            },
            None,
        ),
        Message::Response { id, ok } => (
            Message::Response {
                id: id.clone(),
                ok: *ok,
            },
            None,
        ),
        Message::IgnoredNotification { method } => (
            Message::IgnoredNotification {
                method: method.clone(),
            },
            None,
        ),
        Message::Batch(items) => (Message::Batch(items.clone()), None),
        Message::Invalid { id, code } => (
            Message::Invalid {
                id: id.clone(),
                code: *code,
            },
            None,
        ),
    };
    let (expected, expected_arguments) = read_tree(value);
    assert_eq!(message, expected, "message {value}");
    assert_eq!(arguments, expected_arguments, "arguments of {value}");
}

const INVALID_REQUEST: i64 = -32600;
const INVALID_PARAMS: i64 = -32602;

/// A message as the JSON-RPC rules read its JSON tree (arguments apart).
fn read_tree(value: &Value) -> (Message, Option<Value>) {
    let invalid = |id: Option<&Value>, code| Message::Invalid {
        id: id.cloned(),
        code,
    };
    let object = match value {
        Value::Array(items) if items.is_empty() => return (invalid(None, INVALID_REQUEST), None),
        Value::Array(items) => return (Message::Batch(items.clone()), None),
        Value::Object(object) => object,
        _ => return (invalid(None, INVALID_REQUEST), None),
    };
    let id = object.get("id");
    if id.is_some_and(|id| !is_id(id)) {
        return (invalid(None, INVALID_REQUEST), None);
    }
    if object.get("jsonrpc") != Some(&Value::from("2.0")) {
        return (invalid(id, INVALID_REQUEST), None);
    }
    // By-position params (an array) are JSON-RPC that MCP does not take: a request is
    // answered -32602, a notification dropped; any other non-object is not JSON-RPC.
    let (mut params, by_position) = match object.get("params") {
        None | Some(Value::Null) => (Map::new(), false),
        Some(Value::Object(params)) => (params.clone(), false),
        Some(Value::Array(_)) => (Map::new(), true),
        Some(_) => return (invalid(id, INVALID_REQUEST), None),
    };
    if by_position && let Some(Value::String(method)) = object.get("method") {
        return match id {
            Some(id) => (invalid(Some(id), INVALID_PARAMS), None),
            None => (
                Message::IgnoredNotification {
                    method: method.clone(),
                },
                None,
            ),
        };
    }
    let arguments = params.remove("arguments");
    let meta = params.remove("_meta");
    let meta = meta.as_ref().and_then(Value::as_object);
    let meta_field = |key: &str| meta.and_then(|meta| meta.get(key));
    match (object.get("method"), id) {
        (Some(Value::String(method)), Some(id)) => (
            Message::Request {
                id: id.clone(),
                method: method.clone(),
                params,
                arguments: None,
                protocol_version: meta_field("io.modelcontextprotocol/protocolVersion")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                progress_token: meta_field("progressToken")
                    .filter(|token| is_id(token))
                    .cloned(),
            },
            arguments,
        ),
        (Some(Value::String(method)), None) => (
            Message::Notification {
                method: method.clone(),
                params,
            },
            None,
        ),
        (Some(_), id) => (invalid(id, INVALID_REQUEST), None),
        (None, Some(id)) if object.contains_key("result") || object.contains_key("error") => (
            Message::Response {
                id: id.clone(),
                ok: !object.contains_key("error"),
            },
            None,
        ),
        (None, id) => (invalid(id, INVALID_REQUEST), None),
    }
}

/// Every line is JSON: a reply, a batch of replies, or a message of the server's own;
/// the replies' ids are the expected ones.
fn check_output(output: &[u8], expected: &Expected) {
    let mut replies: HashMap<String, usize> = HashMap::new();
    for line in output
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
    {
        let value: Value = serde_json::from_slice(line).unwrap_or_else(|error| {
            panic!(
                "the server wrote invalid JSON ({error}): {}",
                String::from_utf8_lossy(line)
            )
        });
        let messages = match &value {
            Value::Array(items) => {
                assert!(!items.is_empty(), "an empty batch reply");
                items.iter().collect()
            }
            other => vec![other],
        };
        for message in messages {
            assert_eq!(message["jsonrpc"], "2.0", "{message}");
            if message.get("method").is_some_and(Value::is_string) {
                continue;
            }
            // No id (or `null`): an error about a message whose id could not be read.
            let id = message.get("id").unwrap_or(&Value::Null);
            assert!(
                !id.is_null() || message.get("error").is_some(),
                "a result without an id: {message}"
            );
            let has_result = message.get("result").is_some();
            let has_error = message.get("error").is_some();
            assert!(
                has_result != has_error,
                "a reply needs a result or an error: {message}"
            );
            if has_error {
                assert!(message["error"]["code"].is_i64(), "{message}");
                assert!(message["error"]["message"].is_string(), "{message}");
            }
            if !id.is_null() {
                *replies.entry(id.to_string()).or_default() += 1;
            }
        }
    }
    for (id, &count) in &expected.requests {
        if expected.cancelled.contains(id) {
            continue;
        }
        let got = replies.get(id).copied().unwrap_or(0);
        assert!(got >= count, "{count} requests with id {id}, {got} replies");
    }
    for (id, &got) in &replies {
        let most = expected.answerable.get(id).copied().unwrap_or(0);
        assert!(
            got <= most,
            "{got} replies with id {id}, for {most} messages"
        );
    }
}
