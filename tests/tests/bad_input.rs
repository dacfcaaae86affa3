//! The bad-input battery (issue #8, item 1): every kind of broken message, on stdio in
//! every revision, on Streamable HTTP (stateless 2026-07-28 and legacy sessions) and on
//! HTTP+SSE, each checked for its exact JSON-RPC code and HTTP status and followed by a
//! valid `tools/call` that must be answered on the same process, server and session.
//! The table in `docs/bad-input.md` lists the same cases with the same answers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use mcp_tests::bad_input::{
    Answer, Case, Era, Eras, HttpSse, On, Status, Stdio, Streamable, bytes, call_add,
    check_message, nested, request, run,
};
use mcp_tests::http::{HttpClient, HttpServer};
use mcp_tests::http_mcp::{
    Headers, LegacySession, add_request, count_request, expect_result, expect_result_in_any_form,
    first_text, post_json,
};
use mcp_tests::{
    LEGACY_REVISIONS, META_CLIENT_CAPABILITIES, META_PROTOCOL_VERSION, MODERN_REVISION, Schema,
    calculator_binary, is_response, show,
};
use serde_json::{Value, json};

/// Nesting deeper than any parser should recurse into.
const DEEP: usize = 100_000;

/// An error answering the id the message had.
fn error(code: i64, id: Value) -> Answer {
    Answer::Error(code, id)
}

/// An error about a message whose id could not be read (`id: null` up to 2025-06-18, no
/// `id` after).
fn unread(code: i64) -> Answer {
    Answer::Error(code, Value::Null)
}

/// `tools/list` with id 1.
fn list(era: Era) -> Value {
    request(era, json!(1), "tools/list", json!({}))
}

/// `tools/list` with id 1 and its `field` set to `value` (removed for `None`).
fn list_with(era: Era, field: &str, value: Option<Value>) -> Vec<u8> {
    let mut message = list(era);
    match value {
        Some(value) => message[field] = value,
        None => {
            message.as_object_mut().map(|m| m.remove(field));
        }
    }
    bytes(&message)
}

/// `tools/list` with id `id`.
fn list_with_id(era: Era, id: Value) -> Vec<u8> {
    bytes(&request(era, id, "tools/list", json!({})))
}

/// `tools/list` with id 1 and `params._meta` holding `meta` (over the usual fields).
fn list_with_meta(era: Era, meta: Value) -> Vec<u8> {
    bytes(&request(
        era,
        json!(1),
        "tools/list",
        json!({ "_meta": meta }),
    ))
}

/// `tools/call` with id 1 and `params`.
fn call(era: Era, params: Value) -> Vec<u8> {
    bytes(&request(era, json!(1), "tools/call", params))
}

/// `add(1, 2)` with id `id`.
fn add(era: Era, id: Value) -> Vec<u8> {
    call_add(era, id, json!({ "a": 1, "b": 2 }))
}

fn notification(method: &str, params: Option<Value>) -> Vec<u8> {
    let mut message = json!({ "jsonrpc": "2.0", "method": method });
    if let Some(params) = params {
        message["params"] = params;
    }
    bytes(&message)
}

/// A one-line stdio message one byte longer than the line limit (and so far beyond the
/// HTTP body limit too).
fn oversized(era: Era) -> Vec<u8> {
    let mut message = bytes(&request(era, json!(1), "tools/list", json!({ "pad": "" })));
    let pad = mcp::transport::stdio::MAX_LINE_BYTES + 1 - message.len();
    let at = message.iter().position(|&b| b == b'"').unwrap_or(0);
    let at = message
        .windows(8)
        .position(|w| w == br#""pad":""#)
        .map_or(at, |p| p + 7);
    message.splice(at..at, std::iter::repeat_n(b'x', pad));
    message
}

/// Every case, with its answer. `Status::ByEra(modern, legacy)`: stateless 2026-07-28
/// requests, then legacy sessions.
fn cases() -> Vec<Case> {
    use Status::{ByEra, Is, Refused};
    vec![
        // Not JSON.
        Case::new(
            "invalid JSON",
            |_| br#"{"jsonrpc":"2.0","id":1,"method":"#.to_vec(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "invalid UTF-8 in a string",
            |_| b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/\xff\"}".to_vec(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "invalid UTF-8 outside strings",
            |_| b"\xfe\xff".to_vec(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "a byte-order mark before the message",
            |era| [b"\xef\xbb\xbf".to_vec(), add(era, json!(1))].concat(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "a raw control character in a string",
            |_| b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pi\x00ng\"}".to_vec(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "two messages in one line or body",
            |era| [add(era, json!(1)), add(era, json!(2))].concat(),
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "100 000 unclosed `[`",
            |_| vec![b'['; DEEP],
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "nesting 100 000 deep in params",
            |era| {
                let message = request(era, json!(1), "tools/list", json!({ "cursor": "@" }));
                nested(&message, DEEP)
            },
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "nesting 100 000 deep in the id",
            |_| {
                nested(
                    &json!({ "jsonrpc": "2.0", "id": "@", "method": "tools/list" }),
                    DEEP,
                )
            },
            unread(-32700),
            Is(400),
        ),
        Case::new(
            "nesting 100 000 deep in a tool argument",
            |era| {
                let params = json!({ "name": "add", "arguments": { "a": "@", "b": 1 } });
                nested(&request(era, json!(1), "tools/call", params), DEEP)
            },
            Answer::Result(json!(1), true),
            Is(200),
        )
        // Too deep for the test to read the headers off the body.
        .headers(|h| h.set("Mcp-Method", "tools/call").set("Mcp-Name", "add")),
        // JSON, but not a message.
        Case::new("a number", |_| b"42".to_vec(), unread(-32600), Is(400)),
        Case::new(
            "a string",
            |_| br#""tools/list""#.to_vec(),
            unread(-32600),
            Is(400),
        ),
        Case::new("null", |_| b"null".to_vec(), unread(-32600), Is(400)),
        Case::new("a boolean", |_| b"true".to_vec(), unread(-32600), Is(400)),
        Case::new(
            "an empty array",
            |_| b"[]".to_vec(),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "a batch where batches are forbidden",
            |era| bytes(&json!([list(era)])),
            unread(-32600),
            Is(400),
        )
        .eras(Eras::NoBatches),
        // Batches where they are allowed (2025-03-26): each element answered, in order.
        Case::new(
            "a batch: request, notification, unknown method, non-object",
            |era| {
                let add = json!({ "name": "add", "arguments": { "a": 1, "b": 2 } });
                bytes(&json!([
                    request(era, json!(1), "tools/call", add),
                    { "jsonrpc": "2.0", "method": "notifications/whatever" },
                    request(era, json!(2), "tools/frobnicate", json!({})),
                    5,
                ]))
            },
            Answer::Batch(vec![
                (None, json!(1)),
                (Some(-32601), json!(2)),
                (Some(-32600), Value::Null),
            ]),
            Is(200),
        )
        .eras(Eras::Batches),
        Case::new(
            "a batch of notifications only",
            |_| bytes(&json!([{ "jsonrpc": "2.0", "method": "notifications/whatever" }])),
            Answer::Nothing,
            Is(202),
        )
        .eras(Eras::Batches),
        Case::new(
            "a batch inside a batch",
            |era| bytes(&json!([[list(era)]])),
            Answer::Batch(vec![(Some(-32600), Value::Null)]),
            Is(200),
        )
        .eras(Eras::Batches),
        Case::new(
            "a batch of non-objects",
            |_| b"[1,2]".to_vec(),
            Answer::Batch(vec![
                (Some(-32600), Value::Null),
                (Some(-32600), Value::Null),
            ]),
            Is(200),
        )
        .eras(Eras::Batches),
        // The envelope.
        Case::new(
            "`jsonrpc` missing",
            |era| list_with(era, "jsonrpc", None),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "`jsonrpc` \"1.0\"",
            |era| list_with(era, "jsonrpc", Some(json!("1.0"))),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "`jsonrpc` a number",
            |era| list_with(era, "jsonrpc", Some(json!(2.0))),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "`jsonrpc` missing on a notification",
            |_| br#"{"method":"notifications/whatever"}"#.to_vec(),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id an object",
            |era| list_with_id(era, json!({ "n": 1 })),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id an array",
            |era| list_with_id(era, json!([1])),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id a boolean",
            |era| list_with_id(era, json!(true)),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id a fraction",
            |era| list_with_id(era, json!(1.5)),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id an integer written as a fraction",
            |era| list_with_id(era, json!(1.0)),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id null",
            |era| list_with_id(era, Value::Null),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "id a string (allowed)",
            |era| add(era, json!("call-7")),
            Answer::Result(json!("call-7"), false),
            Is(200),
        ),
        Case::new(
            "id a negative integer (allowed)",
            |era| add(era, json!(-7)),
            Answer::Result(json!(-7), false),
            Is(200),
        ),
        Case::new(
            "`method` missing",
            |era| list_with(era, "method", None),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "`method` a number",
            |era| list_with(era, "method", Some(json!(5))),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "`method` null",
            |era| list_with(era, "method", Some(Value::Null)),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "a response to no request",
            |_| br#"{"jsonrpc":"2.0","id":99,"result":{}}"#.to_vec(),
            Answer::Nothing,
            Is(202),
        ),
        // Methods and params.
        Case::new(
            "an unknown method",
            |era| bytes(&request(era, json!(1), "tools/frobnicate", json!({}))),
            error(-32601, json!(1)),
            ByEra(404, 200),
        ),
        Case::new(
            "an unknown notification",
            |_| notification("notifications/whatever", None),
            Answer::Nothing,
            Is(202),
        ),
        Case::new(
            "a notification with array params",
            |_| notification("notifications/cancelled", Some(json!([1]))),
            Answer::Nothing,
            Is(202),
        ),
        Case::new(
            "a notification with string params",
            |_| notification("notifications/cancelled", Some(json!("x"))),
            unread(-32600),
            Is(400),
        ),
        Case::new(
            "params an array",
            |era| list_with(era, "params", Some(json!([1]))),
            error(-32602, json!(1)),
            ByEra(400, 200),
        ),
        Case::new(
            "params a string",
            |era| list_with(era, "params", Some(json!("x"))),
            error(-32600, json!(1)),
            Is(400),
        ),
        Case::new(
            "tools/call of an unknown tool",
            |era| call(era, json!({ "name": "subtract", "arguments": {} })),
            error(-32602, json!(1)),
            Is(200),
        ),
        Case::new(
            "tools/call without a name",
            |era| call(era, json!({ "arguments": { "a": 1, "b": 2 } })),
            error(-32602, json!(1)),
            Is(200),
        )
        // Over 2026-07-28 HTTP, `Mcp-Name` must mirror a name the body does not have.
        .modern_http(error(-32020, json!(1)), 400),
        Case::new(
            "tools/call with a numeric name",
            |era| call(era, json!({ "name": 7 })),
            error(-32602, json!(1)),
            Is(200),
        )
        .modern_http(error(-32020, json!(1)), 400),
        Case::new(
            "tools/call with arguments not an object",
            |era| call_add(era, json!(1), json!([1, 2])),
            error(-32602, json!(1)),
            Is(200),
        ),
        Case::new(
            "tools/call with an argument of the wrong type",
            |era| call_add(era, json!(1), json!({ "a": "one", "b": 2 })),
            Answer::Result(json!(1), true),
            Is(200),
        ),
        Case::new(
            "tools/call without a required argument",
            |era| call_add(era, json!(1), json!({ "a": 1 })),
            Answer::Result(json!(1), true),
            Is(200),
        ),
        // 2026-07-28 `_meta`.
        Case::new(
            "no `_meta`",
            |_| br#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}"#.to_vec(),
            error(-32602, json!(1)),
            Is(400),
        )
        .eras(Eras::Modern),
        Case::new(
            "`_meta` protocol version not a string",
            |era| list_with_meta(era, json!({ META_PROTOCOL_VERSION: 20260728 })),
            error(-32602, json!(1)),
            Is(400),
        )
        .eras(Eras::Modern),
        Case::new(
            "`_meta` client capabilities not an object",
            |era| list_with_meta(era, json!({ META_CLIENT_CAPABILITIES: [] })),
            error(-32602, json!(1)),
            Is(400),
        )
        .eras(Eras::Modern),
        Case::new(
            "an unknown protocol version",
            |era| list_with_meta(era, json!({ META_PROTOCOL_VERSION: "1900-01-01" })),
            error(-32022, json!(1)),
            Is(400),
        )
        .eras(Eras::Modern),
        // Framing.
        Case::new(
            "an oversized message",
            oversized,
            unread(-32600),
            Refused(413),
        ),
        Case::new("an empty line", |_| Vec::new(), Answer::Nothing, Is(202)).on(On::Stdio),
        Case::new(
            "a line of blanks",
            |_| b" \t ".to_vec(),
            Answer::Nothing,
            Is(202),
        )
        .on(On::Stdio),
        Case::new(
            "a line ending in CRLF (allowed)",
            |era| [add(era, json!(1)), b"\r".to_vec()].concat(),
            Answer::Result(json!(1), false),
            Is(200),
        )
        .on(On::Stdio),
        Case::new("an empty body", |_| Vec::new(), unread(-32700), Is(400)).on(On::Http),
        // HTTP headers.
        Case::new(
            "Content-Type text/plain",
            |era| bytes(&list(era)),
            unread(-32600),
            Is(415),
        )
        .on(On::Http)
        .headers(|h| h.set("Content-Type", "text/plain")),
        Case::new(
            "no Content-Type",
            |era| bytes(&list(era)),
            unread(-32600),
            Is(415),
        )
        .on(On::Http)
        .headers(|h| h.remove("Content-Type")),
        Case::new(
            "an Accept without JSON or event streams",
            |era| bytes(&list(era)),
            Answer::Nothing,
            Refused(406),
        )
        .on(On::Streamable)
        .headers(|h| h.set("Accept", "text/html")),
        Case::new(
            "an unknown Mcp-Session-Id",
            |era| bytes(&list(era)),
            Answer::Error(-32600, json!(1)),
            Is(404),
        )
        .on(On::Streamable)
        .eras(Eras::Legacy)
        .headers(|h| h.set("Mcp-Session-Id", "0123456789abcdef0123456789abcdef")),
        Case::new(
            "an MCP-Protocol-Version this server does not know, in a session",
            |era| bytes(&list(era)),
            error(-32600, json!(1)),
            Is(400),
        )
        .on(On::Streamable)
        .eras(Eras::Legacy)
        .headers(|h| h.set("MCP-Protocol-Version", "1999-01-01")),
    ]
}

fn report(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} deviations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_on_stdio_in_every_revision() {
    let cases = cases();
    let mut failures = Vec::new();
    let eras = std::iter::once(Era::Modern).chain(LEGACY_REVISIONS.into_iter().map(Era::Legacy));
    for era in eras {
        let mut conversation = Stdio::open(&calculator_binary(), era);
        failures.extend(run(&mut conversation, &cases));
        conversation.finish();
    }
    report(&failures);
}

#[test]
fn every_case_on_http_in_every_era() {
    let config = mcp::transport::http::HttpConfig::new("127.0.0.1:0".parse().unwrap());
    assert!(
        mcp::transport::stdio::MAX_LINE_BYTES > config.max_body_bytes,
        "the oversized case must exceed the HTTP body limit too"
    );
    let server = HttpServer::start(&calculator_binary(), &[], &[]);
    let cases = cases();
    let mut failures = run(&mut Streamable::modern(&server), &cases);
    for revision in ["2025-03-26", "2025-06-18", "2025-11-25"] {
        failures.extend(run(&mut Streamable::legacy(&server, revision), &cases));
    }
    failures.extend(run(&mut HttpSse::open(&server), &cases));
    report(&failures);
}

/// Input that ends in the middle: a line cut short and a call still running when stdin
/// closes. The call is answered, the partial line is reported as a parse error, and the
/// server exits with status 0; a last message without its newline is served.
#[test]
fn stdin_closed_mid_line_or_mid_call_loses_nothing() {
    for era in [Era::Modern, Era::Legacy("2025-11-25")] {
        let schema = Schema::for_revision(era.revision());
        let mut conversation = Stdio::open(&calculator_binary(), era);
        let process = conversation.process();
        let count = request(
            era,
            json!(1),
            "tools/call",
            json!({"name": "count", "arguments": {"to": 3}}),
        );
        process.send(&count);
        process.send_raw(br#"{"jsonrpc":"2.0","id":2,"method":"tools/ca"#);
        process.close_stdin();
        let rest = process.recv_until_eof();
        for message in &rest {
            check_message(schema, message).unwrap_or_else(|violation| panic!("{violation}"));
        }
        let replies: Vec<&Value> = rest.iter().filter(|m| is_response(m)).collect();
        let ids: Vec<&Value> = replies.iter().map(|m| &m["id"]).collect();
        assert_eq!(
            ids,
            [&Value::Null, &json!(1)],
            "{}: {}",
            era.revision(),
            show(&rest)
        );
        assert_eq!(replies[0]["error"]["code"], -32700, "{}", show(&rest));
        assert_eq!(
            replies[1]["result"]["content"][0]["text"],
            "3",
            "{}",
            show(&rest)
        );
        let status = process.wait_timeout(Duration::from_secs(10));
        assert!(
            status.success(),
            "{}: exit status {status}; {}",
            era.revision(),
            process.describe()
        );

        let mut conversation = Stdio::open(&calculator_binary(), era);
        let process = conversation.process();
        process.send_raw(&call_add(era, json!(3), json!({"a": 1, "b": 2})));
        process.close_stdin();
        let rest = process.recv_until_eof();
        assert_eq!(rest.len(), 1, "{}", show(&rest));
        assert_eq!(rest[0]["id"], 3, "{}", show(&rest));
        assert_eq!(
            rest[0]["result"]["content"][0]["text"],
            "3",
            "{}",
            show(&rest)
        );
        let status = process.wait_timeout(Duration::from_secs(10));
        assert!(
            status.success(),
            "exit status {status}; {}",
            process.describe()
        );
    }
}

/// Opens a raw connection, POSTs `body` to `/mcp` with `headers`, waits until the
/// response so far contains `until` (or, with `None`, a moment), and hangs up.
fn hang_up_mid_call(server: &HttpServer, headers: &Headers, body: &Value, until: Option<&str>) {
    let body = body.to_string();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let mut head = format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in &headers.0 {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()))
        .expect("send");
    match until {
        Some(until) => {
            let mut seen = Vec::new();
            let mut buffer = [0_u8; 4096];
            while !String::from_utf8_lossy(&seen).contains(until) {
                match stream.read(&mut buffer) {
                    Ok(n @ 1..) => seen.extend_from_slice(&buffer[..n]),
                    other => panic!(
                        "waiting for {until:?}: {other:?} after {:?}; {}",
                        String::from_utf8_lossy(&seen),
                        server.process.describe()
                    ),
                }
            }
        }
        None => thread::sleep(Duration::from_millis(300)),
    }
    drop(stream);
}

/// A client that goes away in the middle of a call, with a stream or a JSON reply
/// pending, in either era: the server goes on serving, the same session too, and the
/// abandoned 2026-07-28 calls (cancelled, as closing the stream means) do not hold up
/// its shutdown.
#[test]
fn a_client_that_disconnects_mid_call_leaves_the_server_serving() {
    let mut server = HttpServer::start(&calculator_binary(), &[], &[]);
    let modern = Schema::for_revision(MODERN_REVISION);
    let client = HttpClient::new(&server.base);
    let add = |client: &HttpClient, id: i64| {
        let body = add_request(id, 1.0, 2.0);
        let response = post_json(client, "/mcp", &Headers::modern(&body), &body);
        let result = expect_result(&response, modern, id, "CallToolResult");
        assert_eq!(first_text(&result), "3", "{response}");
    };
    // Long calls: 100 steps of 50 ms.
    let streamed = count_request(1, 100, "streamed");
    hang_up_mid_call(
        &server,
        &Headers::modern(&streamed),
        &streamed,
        Some("notifications/progress"),
    );
    add(&client, 2);
    let plain = count_request(3, 100, "plain");
    let headers = Headers::modern(&plain).set("Accept", "application/json");
    hang_up_mid_call(&server, &headers, &plain, None);
    add(&client, 4);

    // A legacy session: its next request is served.
    let mut session = LegacySession::new(&server.base, "2025-11-25");
    assert_eq!(session.initialize().status, 200);
    assert_eq!(session.notify("notifications/initialized").status, 202);
    let count = json!({ "jsonrpc": "2.0", "id": 50, "method": "tools/call", "params": {
        "name": "count", "arguments": { "to": 4 }, "_meta": { "progressToken": "legacy" } } });
    hang_up_mid_call(
        &server,
        &session.headers(),
        &count,
        Some("notifications/progress"),
    );
    let next = session.peek_id();
    let response = session.request(
        "tools/call",
        json!({ "name": "add", "arguments": { "a": 1, "b": 2 } }),
    );
    let result = expect_result_in_any_form(&response, session.schema, next, "CallToolResult");
    assert_eq!(first_text(&result), "3", "{response}");

    server.process.terminate();
    let status = server
        .process
        .wait_timeout(Duration::from_secs(3))
        .unwrap_or_else(|| {
            panic!(
                "an abandoned call holds up the drain; {}",
                server.process.describe()
            )
        });
    assert!(
        status.success(),
        "exit status {status}; {}",
        server.process.describe()
    );
}
