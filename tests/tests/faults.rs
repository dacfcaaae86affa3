//! Reliability: user code that panics, calls cancelled or abandoned by their client, and
//! connections that stall, against the `faults` fixture server
//! (`tests/fixtures/faults`: an ordinary `#[mcp::main]` program whose tools misbehave on
//! purpose and report on stderr when they start, when their `Context` cancellation fires
//! and when they are dropped).
//!
//! Every case ends by checking that the server still answers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use mcp_tests::http::{HttpClient, HttpServer};
use mcp_tests::http_mcp::{
    Headers, LegacySession, expect_error, expect_result, modern_request, post_json,
};
use mcp_tests::{ALL_REVISIONS, MODERN_REVISION, Schema, Session, example_binary};
use serde_json::{Value, json};

/// How soon a cancellation must reach the tool.
const CANCEL_WITHIN: Duration = Duration::from_millis(100);

/// How long a step may take before the test gives up (a generous bound, not a goal).
const STEP: Duration = Duration::from_secs(10);

fn faults() -> PathBuf {
    example_binary("faults")
}

fn modern() -> &'static Schema {
    Schema::for_revision(MODERN_REVISION)
}

/// Waits until `read()` (a server's stderr so far) contains `line`, and returns when it
/// was first seen.
#[track_caller]
fn wait_for(read: impl Fn() -> String, line: &str) -> Instant {
    let deadline = Instant::now() + STEP;
    loop {
        if read().contains(line) {
            return Instant::now();
        }
        assert!(
            Instant::now() < deadline,
            "no `{line}` on stderr within {STEP:?}:\n{}",
            read()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Asserts that the tool tagged `tag` saw its cancellation fire and its future dropped
/// within [`CANCEL_WITHIN`] of `since`.
#[track_caller]
fn assert_cancelled_soon(read: impl Fn() -> String, tag: &str, since: Instant) {
    for event in ["cancelled", "dropped"] {
        let seen = wait_for(&read, &format!("faults: {event} {tag}\n"));
        let after = seen.duration_since(since);
        assert!(
            after <= CANCEL_WITHIN,
            "`{event} {tag}` came {after:?} after the cancellation (limit {CANCEL_WITHIN:?})"
        );
    }
}

fn call_params(name: &str, arguments: Value) -> Value {
    json!({ "name": name, "arguments": arguments })
}

/// The requests that make user code panic: sync and async tools, a fixed resource and a
/// template, a prompt.
fn panicking_requests() -> [(&'static str, Value, &'static str); 5] {
    [
        (
            "tools/call",
            call_params("panic_sync", json!({ "message": "sync boom" })),
            "tool",
        ),
        (
            "tools/call",
            call_params("panic_async", json!({ "message": "async boom" })),
            "tool",
        ),
        (
            "resources/read",
            json!({ "uri": "faults://panic" }),
            "resource",
        ),
        (
            "resources/read",
            json!({ "uri": "faults://panic/later" }),
            "resource",
        ),
        (
            "prompts/get",
            json!({ "name": "panicking_prompt" }),
            "prompt",
        ),
    ]
}

/// Asserts that a tool result's first content is the text `text`.
#[track_caller]
fn assert_echo(exchange_result: &Value, text: &str) {
    assert_eq!(
        exchange_result["content"][0]["text"],
        json!(text),
        "{exchange_result}"
    );
}

// 1. Panics in user code ---------------------------------------------------------------

#[test]
fn panics_in_user_code_answer_an_internal_error_over_stdio_in_every_revision() {
    for revision in ALL_REVISIONS {
        let mut session = Session::start(&faults(), revision);
        session.open();
        for (method, params, what) in panicking_requests() {
            // The same id every time: a panicked call must leave the in-flight table.
            let mut request = session.build_request(method, params);
            request["id"] = json!(7);
            let exchange = session.send_request(&request);
            let error = exchange.error();
            assert_eq!(error["code"], json!(-32603), "{revision} {method}: {error}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(&format!("the {what} failed unexpectedly")),
                "{revision} {method}: {message}"
            );
            let echoed =
                session.request("tools/call", call_params("echo", json!({"text": "alive"})));
            assert_echo(echoed.result(), "alive");
        }
        let stderr = session.process.stderr();
        for what in ["tool", "resource", "prompt"] {
            assert!(
                stderr.contains(&format!("{what} panicked")),
                "{revision}: no log line for the {what} panic:\n{stderr}"
            );
        }
    }
}

#[test]
fn panics_in_user_code_answer_an_internal_error_over_http() {
    let server = http_faults(&[]);
    let client = HttpClient::new(&server.base);
    for (method, params, what) in panicking_requests() {
        let body = modern_request(7, method, params);
        let response = post_json(&client, "/mcp", &Headers::modern(&body), &body);
        let error = expect_error(&response, modern(), 200, -32603);
        let message = error["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&format!("the {what} failed unexpectedly")),
            "{method}: {message}"
        );
        let echo = modern_request(
            8,
            "tools/call",
            call_params("echo", json!({"text": "alive"})),
        );
        let response = post_json(&client, "/mcp", &Headers::modern(&echo), &echo);
        assert_echo(
            &expect_result(&response, modern(), 8, "CallToolResult"),
            "alive",
        );
    }
    let stderr = server.process.stderr();
    assert!(stderr.contains("tool panicked"), "{stderr}");
}

// 2. Cancellation and disconnects ------------------------------------------------------

#[test]
fn notifications_cancelled_stops_a_call_over_stdio_in_every_revision() {
    for revision in ALL_REVISIONS {
        let mut session = Session::start(&faults(), revision);
        session.open();
        let tag = format!("stdio-{revision}");
        let request = session.build_request(
            "tools/call",
            call_params("wait_for_cancel", json!({"tag": tag})),
        );
        session.process.send(&request);
        wait_for(
            || session.process.stderr(),
            &format!("faults: started {tag}\n"),
        );
        let cancelled_at = Instant::now();
        session.notify(
            "notifications/cancelled",
            json!({ "requestId": request["id"], "reason": "the user pressed stop" }),
        );
        assert_cancelled_soon(|| session.process.stderr(), &tag, cancelled_at);
        // The next reply is the echo's: the cancelled call is never answered.
        let echoed = session.request("tools/call", call_params("echo", json!({"text": "next"})));
        assert!(
            echoed
                .before
                .iter()
                .all(|message| message.get("id") != Some(&request["id"])),
            "{revision}: the cancelled call was answered: {:?}",
            echoed.before
        );
        assert_echo(echoed.result(), "next");
    }
}

#[test]
fn at_the_end_of_stdin_calls_still_running_are_answered_then_cancelled_at_the_drain_timeout() {
    let mut command = std::process::Command::new(faults());
    command.args(["--drain-timeout", "1"]);
    let process = mcp_tests::McpProcess::spawn_command(command).expect("start the fixture");
    let mut session = Session::from_process(process, MODERN_REVISION);
    let quick = session.build_request("tools/call", call_params("sleep", json!({ "ms": 300 })));
    let stuck = session.build_request(
        "tools/call",
        call_params("wait_for_cancel", json!({ "tag": "stdin-closed" })),
    );
    session.process.send(&quick);
    session.process.send(&stuck);
    wait_for(
        || session.process.stderr(),
        "faults: started stdin-closed\n",
    );
    let closed_at = Instant::now();
    session.process.close_stdin();
    // The quick call is answered after stdin closed: nothing the client asked is lost.
    let answered = session.wait_response(&quick["id"]);
    assert_echo(answered.result(), "300");
    // The stuck one is cancelled once the drain timeout (1 s) has passed.
    let seen = wait_for(
        || session.process.stderr(),
        "faults: cancelled stdin-closed\n",
    );
    let after = seen.duration_since(closed_at);
    assert!(
        after >= Duration::from_millis(900) && after <= Duration::from_secs(1) + CANCEL_WITHIN,
        "cancelled {after:?} after stdin closed (drain timeout 1 s)"
    );
    let status = session.process.wait_timeout(STEP);
    assert_eq!(status.code(), Some(0), "{}", session.process.describe());
}

#[test]
fn calls_beyond_the_concurrency_limit_are_refused_at_once_over_stdio() {
    let mut command = std::process::Command::new(faults());
    command.args(["--max-concurrent-requests", "2"]);
    let process = mcp_tests::McpProcess::spawn_command(command).expect("start the fixture");
    let mut session = Session::from_process(process, MODERN_REVISION);
    // Different lengths, so that their replies come in order.
    let slow: Vec<Value> = [1500, 1700]
        .into_iter()
        .map(|ms| session.build_request("tools/call", call_params("sleep", json!({ "ms": ms }))))
        .collect();
    for request in &slow {
        session.process.send(request);
    }
    let refused = session.request(
        "tools/call",
        call_params("echo", json!({ "text": "third" })),
    );
    let error = refused.error();
    assert_eq!(error["code"], json!(-32603), "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("too many calls in flight"),
        "{error}"
    );
    // Lists do not run user code: they are served even at the limit.
    let listed = session.request("tools/list", json!({}));
    assert!(listed.result()["tools"].is_array(), "{}", listed.response);
    for (request, ms) in slow.iter().zip(["1500", "1700"]) {
        let done = session.wait_response(&request["id"]);
        assert_echo(done.result(), ms);
    }
    let echoed = session.request(
        "tools/call",
        call_params("echo", json!({ "text": "after" })),
    );
    assert_echo(echoed.result(), "after");
}

#[test]
fn requests_beyond_the_concurrency_limit_get_503_over_http() {
    let server = http_faults(&["--max-concurrent-requests", "2"]);
    let slow: Vec<TcpStream> = (0..2)
        .map(|n| {
            let body = modern_request(n, "tools/call", call_params("sleep", json!({ "ms": 1500 })));
            raw_post(server.port, "/mcp", &Headers::modern(&body), &body)
        })
        .collect();
    // Both slow calls hold their slot once the server has read them.
    std::thread::sleep(Duration::from_millis(300));
    let client = HttpClient::new(&server.base);
    let echo = modern_request(
        5,
        "tools/call",
        call_params("echo", json!({ "text": "third" })),
    );
    let response = post_json(&client, "/mcp", &Headers::modern(&echo), &echo);
    // Refused before the body is read, so the reply cannot name the request's id.
    assert_eq!(response.status, 503, "{response}");
    assert_eq!(
        response.json()["error"]["code"],
        json!(-32603),
        "{response}"
    );
    assert_eq!(response.header("retry-after"), Some("1"), "{response}");
    let health = client.send("GET", "/health", &[], None);
    assert_eq!(
        health.status, 200,
        "/health must not count against the limit: {health}"
    );
    for mut stream in slow {
        let reply = read_until(&mut stream, "\"text\":\"1500\"");
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    }
    assert_server_answers(&server);
}

/// Opens a connection to the server and sends `head` then `body`, leaving it open for
/// the caller to read from or drop.
fn raw_send(port: u16, head: &str, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the server");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    stream.set_read_timeout(Some(STEP)).expect("read timeout");
    stream.write_all(head.as_bytes()).expect("send the head");
    stream.write_all(body).expect("send the body");
    stream
}

/// A raw HTTP/1.1 POST of `body` to `path` with `headers` (see [`raw_send`]).
fn raw_post(port: u16, path: &str, headers: &Headers, body: &Value) -> TcpStream {
    let text = body.to_string();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\n",
        text.len()
    );
    for (name, value) in headers.pairs() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    raw_send(port, &head, text.as_bytes())
}

/// Reads from `stream` until what arrived contains `needle`; returns all of it.
#[track_caller]
fn read_until(stream: &mut TcpStream, needle: &str) -> String {
    let mut seen = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let n = stream.read(&mut buffer).expect("read from the server");
        assert!(
            n > 0,
            "the connection ended before `{needle}`: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// The fixture over HTTP on a free loopback port, with extra `args`.
fn http_faults(args: &[&str]) -> HttpServer {
    HttpServer::start(&faults(), args, &[])
}

fn wait_for_cancel_call(id: i64, tag: &str) -> Value {
    modern_request(
        id,
        "tools/call",
        call_params("wait_for_cancel", json!({ "tag": tag })),
    )
}

#[test]
fn a_dropped_http_connection_cancels_its_call() {
    let server = http_faults(&[]);
    let body = wait_for_cancel_call(1, "dropped-post");
    let stream = raw_post(server.port, "/mcp", &Headers::modern(&body), &body);
    wait_for(|| server.process.stderr(), "faults: started dropped-post\n");
    let dropped_at = Instant::now();
    drop(stream);
    assert_cancelled_soon(|| server.process.stderr(), "dropped-post", dropped_at);
    assert_server_answers(&server);
}

#[test]
fn a_closed_sse_reply_stream_cancels_its_call() {
    let server = http_faults(&[]);
    // With a progress token the tool's first progress notification turns the reply into
    // an event stream; the client reads that far, then goes away.
    let mut body = wait_for_cancel_call(1, "closed-sse");
    body["params"]["_meta"]["progressToken"] = json!("p1");
    let mut stream = raw_post(server.port, "/mcp", &Headers::modern(&body), &body);
    let seen = read_until(&mut stream, "notifications/progress").to_ascii_lowercase();
    assert!(seen.contains("content-type: text/event-stream"), "{seen}");
    wait_for(|| server.process.stderr(), "faults: started closed-sse\n");
    let closed_at = Instant::now();
    drop(stream);
    assert_cancelled_soon(|| server.process.stderr(), "closed-sse", closed_at);
    assert_server_answers(&server);
}

#[test]
fn notifications_cancelled_stops_a_call_in_a_legacy_http_session() {
    let server = http_faults(&[]);
    let mut session = LegacySession::new(&server.base, "2025-11-25");
    session.initialize();
    assert_eq!(session.notify("notifications/initialized").status, 202);
    let call = json!({
        "jsonrpc": "2.0", "id": 50, "method": "tools/call",
        "params": call_params("wait_for_cancel", json!({ "tag": "legacy-session" })),
    });
    let stream = raw_post(server.port, "/mcp", &session.headers(), &call);
    wait_for(
        || server.process.stderr(),
        "faults: started legacy-session\n",
    );
    let cancelled_at = Instant::now();
    let cancel = json!({
        "jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": { "requestId": 50, "reason": "changed my mind" },
    });
    assert_eq!(session.post(&cancel).status, 202);
    assert_cancelled_soon(|| server.process.stderr(), "legacy-session", cancelled_at);
    drop(stream);
    let id = session.peek_id();
    let echoed = session.request("tools/call", call_params("echo", json!({"text": "on"})));
    assert_echo(
        &expect_result(&echoed, session.schema, id, "CallToolResult"),
        "on",
    );
}

#[test]
fn a_closed_http_sse_session_stream_cancels_its_calls() {
    // The deprecated HTTP+SSE transport (2024-11-05): replies travel on the GET stream,
    // so closing it abandons every call of the session.
    let server = http_faults(&[]);
    let head = format!(
        "GET /sse HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
        server.port
    );
    let mut events = raw_send(server.port, &head, b"");
    let opened = read_until(&mut events, "sessionId=");
    let endpoint = opened
        .lines()
        .find_map(|line| line.strip_prefix("data: "))
        .unwrap_or_else(|| panic!("no endpoint event: {opened}"))
        .trim()
        .to_owned();
    let headers = Headers::new().set("Content-Type", "application/json");
    let post = |message: Value| {
        let mut stream = raw_post(server.port, &endpoint, &headers, &message);
        let reply = read_until(&mut stream, "\r\n\r\n");
        assert!(reply.starts_with("HTTP/1.1 202"), "{reply}");
    };
    post(json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": "2024-11-05", "capabilities": {},
            "clientInfo": { "name": "raw", "version": "0" },
        },
    }));
    read_until(&mut events, "\"protocolVersion\"");
    post(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
    post(json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": call_params("wait_for_cancel", json!({ "tag": "sse-session" })),
    }));
    wait_for(|| server.process.stderr(), "faults: started sse-session\n");
    let closed_at = Instant::now();
    drop(events);
    assert_cancelled_soon(|| server.process.stderr(), "sse-session", closed_at);
    assert_server_answers(&server);
}

// 3. Stalled connections ---------------------------------------------------------------

#[test]
fn five_hundred_stalled_connections_do_not_starve_health_or_real_clients() {
    let server = http_faults(&[]);
    let port = server.port;
    // Half open a connection and send nothing; half send part of a request head and
    // stop (slowloris). All of them stay open while the real clients are served.
    let stalled: Vec<TcpStream> = (0..500)
        .map(|n| {
            let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            if n % 2 == 1 {
                let partial =
                    format!("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: app");
                stream
                    .write_all(partial.as_bytes())
                    .expect("send part of a head");
            }
            stream
        })
        .collect();
    let client = HttpClient::new(&server.base);
    for _ in 0..20 {
        let started = Instant::now();
        let health = client.send("GET", "/health", &[], None);
        assert_eq!(health.status, 200, "{health}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/health took {:?} with 500 stalled connections",
            started.elapsed()
        );
    }
    assert_server_answers(&server);
    // The stalled connections are still open (nothing was closed to make room).
    let mut open = 0;
    for stream in &stalled {
        stream.set_nonblocking(true).expect("non-blocking");
        let mut byte = [0_u8; 1];
        if matches!((&*stream).read(&mut byte), Err(error) if error.kind() == std::io::ErrorKind::WouldBlock)
        {
            open += 1;
        }
    }
    assert_eq!(open, 500, "some stalled connections were closed early");
}

/// `/health` answers `200` and a call is served.
#[track_caller]
fn assert_server_answers(server: &HttpServer) {
    let client = HttpClient::new(&server.base);
    let health = client.send("GET", "/health", &[], None);
    assert_eq!(health.status, 200, "{health}");
    let echo = modern_request(
        99,
        "tools/call",
        call_params("echo", json!({"text": "still here"})),
    );
    let response = post_json(&client, "/mcp", &Headers::modern(&echo), &echo);
    assert_echo(
        &expect_result(&response, modern(), 99, "CallToolResult"),
        "still here",
    );
}
