//! The server's life: draining on SIGTERM, refusing to expose itself without a token,
//! and keeping tokens out of its logs.

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use super::STEP_TIMEOUT;
use crate::http::{HttpClient, HttpServer, STARTUP_TIMEOUT, ServerProcess};
use crate::http_mcp::{
    Headers, add_request, check_progress, count_request, expect_result, first_text, next_message,
    post_json, read_sse_reply,
};
use crate::{MODERN_REVISION, Schema};

/// A drain: two `count` calls to 20 (one second each) are started, one answered as
/// plain JSON (on another thread) and one as an event stream; once the stream shows
/// progress the server gets SIGTERM. `/health` must then stop answering `200` (`503`,
/// or a refused connection) while the server still runs; both calls must still finish
/// with `20` (the stream with all 20 progress notifications first), and the server must
/// exit with status 0.
///
/// # Panics
///
/// On the first deviation.
pub fn drain_on_sigterm(server: &mut HttpServer) {
    let modern = Schema::for_revision(MODERN_REVISION);
    let client = HttpClient::new(&server.base);
    let started = Instant::now();
    let plain = {
        let client = client.clone();
        let body = count_request(1, 20, "plain");
        let headers = Headers::modern(&body).set("Accept", "application/json");
        thread::spawn(move || post_json(&client, "/mcp", &headers, &body))
    };
    let body = count_request(2, 20, "streamed");
    let headers = Headers::modern(&body);
    let bytes = body.to_string().into_bytes();
    let mut streamed = client.stream("POST", "/mcp", &headers.pairs(), Some(&bytes));
    assert_eq!(streamed.status, 200, "{:?}", streamed.headers);
    let first = next_message(&mut streamed.events, modern, STEP_TIMEOUT, &server.process);
    assert_eq!(first["method"], "notifications/progress", "{first}");
    // Give the plain call, sent first, time to reach the server too.
    thread::sleep(Duration::from_millis(250).saturating_sub(started.elapsed()));

    server.process.terminate();
    let deadline = Instant::now() + Duration::from_secs(5);
    let health = loop {
        match client.try_send("GET", "/health", &[], None) {
            Ok(response) if response.status == 200 && Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(10));
            }
            Ok(response) => break Ok(response),
            Err(error) => break Err(error.to_string()),
        }
    };
    let still_running = server.process.wait_timeout(Duration::ZERO).is_none();
    assert!(
        still_running,
        "exited before the calls finished; {}",
        server.process.describe()
    );
    if let Ok(response) = &health {
        assert_eq!(response.status, 503, "/health while draining: {response}");
    }

    let (mut progress, reply) = read_sse_reply(
        &mut streamed.events,
        modern,
        2,
        STEP_TIMEOUT,
        &server.process,
    );
    progress.insert(0, first);
    check_progress(&progress, "streamed", 20);
    assert_eq!(first_text(&reply["result"]), "20", "{reply}");
    let response = plain.join().expect("the plain call's thread");
    let result = expect_result(&response, modern, 1, "CallToolResult");
    assert_eq!(first_text(&result), "20", "{response}");

    let status = server
        .process
        .wait_timeout(STEP_TIMEOUT)
        .unwrap_or_else(|| {
            panic!(
                "still running 10 s after the drain; {}",
                server.process.describe()
            )
        });
    assert_eq!(
        status.code(),
        Some(0),
        "exit status; {}",
        server.process.describe()
    );
}

/// Binding every interface: `program --bind 0.0.0.0:0` without a token exits non-zero
/// within 5 s, naming `MCP_AUTH_TOKEN` on stderr and serving nothing; with
/// `--insecure-no-auth`, or with a token, it starts and answers `/health` (reached on
/// loopback only).
///
/// # Panics
///
/// On the first deviation.
pub fn bind_every_interface(program: &Path) {
    let started = Instant::now();
    let mut refused = ServerProcess::spawn(program, &["--bind", "0.0.0.0:0"], &[]);
    let status = refused
        .wait_timeout(STARTUP_TIMEOUT)
        .expect("the server should refuse to start");
    let stderr = refused.stderr();
    assert!(
        !status.success(),
        "0.0.0.0 without a token: {status}; {stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(stderr.contains("MCP_AUTH_TOKEN"), "stderr: {stderr}");
    assert!(!stderr.contains("serving MCP at"), "stderr: {stderr}");

    let opt_out: (&[&str], &[(&str, &str)]) = (&["--insecure-no-auth"], &[]);
    let with_token: (&[&str], &[(&str, &str)]) = (&[], &[("MCP_AUTH_TOKEN", "a-token")]);
    for (flags, env) in [opt_out, with_token] {
        let args = [&["--bind", "0.0.0.0:0"], flags].concat();
        let mut server = HttpServer::start(program, &args, env);
        let health = HttpClient::new(&server.base).send("GET", "/health", &[], None);
        assert_eq!(health.status, 200, "{args:?}: {health}");
        server.process.kill();
    }
}

/// Requests that carry `token` (the server's only token) one way or another: an
/// authorized `tools/call`, refused ones whose `Authorization` holds the token with a
/// suffix or under `Basic`, a refused prefix, an authorized call answered as an event
/// stream, and `/health` with the token. Checks each status; the caller then reads the
/// logs.
///
/// # Panics
///
/// On the first unexpected status or reply.
pub fn requests_carrying_a_token(server: &HttpServer, token: &str) {
    let client = HttpClient::new(&server.base);
    let bearer = format!("Bearer {token}");
    let prefix = format!("Bearer {}", &token[..token.len() / 2]);
    let cases = [
        (bearer.clone(), 200),
        (format!("Bearer {token}x"), 401),
        (format!("Basic {token}"), 401),
        (prefix, 401),
    ];
    for (authorization, status) in cases {
        let body = add_request(1, 1.0, 2.0);
        let headers = Headers::modern(&body).set("Authorization", &authorization);
        let response = post_json(&client, "/mcp", &headers, &body);
        assert_eq!(response.status, status, "{authorization}: {response}");
    }
    let body = count_request(2, 2, "progress");
    let headers = Headers::modern(&body).set("Authorization", &bearer);
    let bytes = body.to_string().into_bytes();
    let mut streamed = client.stream("POST", "/mcp", &headers.pairs(), Some(&bytes));
    let modern = Schema::for_revision(MODERN_REVISION);
    read_sse_reply(
        &mut streamed.events,
        modern,
        2,
        STEP_TIMEOUT,
        &server.process,
    );
    let health = client.send("GET", "/health", &[("Authorization", &bearer)], None);
    assert_eq!(health.status, 200, "{health}");
}
