//! End-to-end tests of the HTTP transport: the calculator started with
//! `--transport http --bind 127.0.0.1:0` (its port read from its startup log, so tests
//! run in parallel), spoken to over real TCP on loopback. Every reply is validated
//! against the official schema of its protocol revision; every server is killed when
//! its test ends. The longer flows live in `mcp_tests::http_scenarios`.

use mcp_tests::http::{HttpClient, HttpResponse, HttpServer, TempDir, post_large_body};
use mcp_tests::http_mcp::{
    Headers, add_request, base64, check_progress, count_request, expect_error, expect_result,
    expect_result_in_any_form, first_text, json_message, modern_request, post_json, read_sse_reply,
    tools_list_request,
};
use mcp_tests::http_scenarios::{self, STEP_TIMEOUT};
use mcp_tests::{MODERN_REVISION, Schema, calculator_binary};
use serde_json::{Value, json};

const TOKEN: &str = "s3cret-token";

fn start(args: &[&str], env: &[(&str, &str)]) -> HttpServer {
    HttpServer::start(&calculator_binary(), args, env)
}

fn modern() -> &'static Schema {
    Schema::for_revision(MODERN_REVISION)
}

/// A change to a request's headers.
type Adjust = fn(Headers) -> Headers;

/// POSTs `body` to `/mcp` with the modern headers for it, changed by `adjust`.
fn post(
    client: &HttpClient,
    body: &Value,
    adjust: impl FnOnce(Headers) -> Headers,
) -> HttpResponse {
    post_json(client, "/mcp", &adjust(Headers::modern(body)), body)
}

// 1. Authentication ------------------------------------------------------------------

#[test]
fn bearer_tokens_guard_everything_but_health() {
    let server = start(&[], &[("MCP_AUTH_TOKEN", TOKEN)]);
    let client = HttpClient::new(&server.base);
    let body = tools_list_request(1);
    let basic = format!("Basic {}", base64(format!("mcp:{TOKEN}").as_bytes()));
    let refused = [
        None,
        Some("Bearer wrong-token".to_owned()),
        Some("Bearer s3cret".to_owned()),
        Some(format!("Bearer {TOKEN}-and-more")),
        Some(format!("Bearer {TOKEN}x")),
        Some("Bearer ".to_owned()),
        Some(TOKEN.to_owned()),
        Some(basic),
        Some(format!("Basic {TOKEN}")),
    ];
    for authorization in &refused {
        let response = post(&client, &body, |h| match authorization {
            Some(value) => h.set("Authorization", value),
            None => h,
        });
        let case = format!("Authorization {authorization:?}: {response}");
        assert_eq!(response.status, 401, "{case}");
        let challenge = response.header("www-authenticate").unwrap_or_default();
        assert!(challenge.starts_with("Bearer"), "{case}");
        assert!(
            !response.text().contains(TOKEN),
            "the token is echoed: {case}"
        );
    }
    // Every protected route, whatever the method, and paths that are no route at all
    // (an unauthenticated client learns nothing of which exist).
    for (method, path) in [
        ("GET", "/mcp"),
        ("DELETE", "/mcp"),
        ("GET", "/sse"),
        ("GET", "/metrics"),
        ("GET", "/nowhere"),
        ("PUT", "/mcp"),
        ("GET", "/health/"),
    ] {
        let response = client.send(method, path, &[("Accept", "text/event-stream")], None);
        assert_eq!(response.status, 401, "{method} {path}: {response}");
    }
    let response = post_json(
        &client,
        "/messages?sessionId=x",
        &Headers::modern(&body),
        &body,
    );
    assert_eq!(response.status, 401, "POST /messages: {response}");

    let response = post(&client, &body, |h| {
        h.set("Authorization", &format!("Bearer {TOKEN}"))
    });
    expect_result(&response, modern(), 1, "ListToolsResult");

    for headers in [vec![], vec![("Authorization", "Bearer wrong-token")]] {
        let health = client.send("GET", "/health", &headers, None);
        assert_eq!(health.status, 200, "{health}");
        assert_eq!(health.json()["status"], "ok", "{health}");
    }
}

#[test]
fn the_bearer_scheme_name_is_case_insensitive() {
    // RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication
    // scheme"; RFC 6750 §2.1 credentials are `Bearer <token>` under that rule.
    let server = start(&[], &[("MCP_AUTH_TOKEN", TOKEN)]);
    let client = HttpClient::new(&server.base);
    for scheme in ["bearer", "BEARER"] {
        let authorization = format!("{scheme} {TOKEN}");
        let response = post(&client, &tools_list_request(1), |h| {
            h.set("Authorization", &authorization)
        });
        assert_eq!(
            response.status, 200,
            "Authorization: {scheme} <token>: {response}"
        );
    }
}

#[test]
fn a_token_file_accepts_each_of_its_tokens() {
    let dir = TempDir::new("tokens");
    let file = dir.write(
        "tokens",
        b"# rotation\nold-token-1111\nnew new-token-2222\n",
    );
    let server = start(&["--auth-token-file", file.to_str().unwrap()], &[]);
    let client = HttpClient::new(&server.base);
    for (token, status) in [
        ("old-token-1111", 200),
        ("new-token-2222", 200),
        ("new", 401),
    ] {
        let authorization = format!("Bearer {token}");
        let response = post(&client, &tools_list_request(1), |h| {
            h.set("Authorization", &authorization)
        });
        assert_eq!(response.status, status, "token {token}: {response}");
    }
}

// 2. Streamable HTTP, 2026-07-28 -------------------------------------------------------

#[test]
fn modern_requests_get_json_replies_without_a_session() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let response = post(&client, &tools_list_request(1), |h| h);
    let result = expect_result(&response, modern(), 1, "ListToolsResult");
    assert_eq!(response.header("mcp-session-id"), None, "{response}");
    let names: Vec<&str> = result["tools"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names.len(), 3, "{response}");
    for name in ["add", "divide", "count"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }

    let response = post(&client, &add_request(2, 2.0, 0.5), |h| h);
    let result = expect_result(&response, modern(), 2, "CallToolResult");
    assert_eq!(response.header("mcp-session-id"), None, "{response}");
    assert_eq!(first_text(&result), "2.5", "{response}");
}

#[test]
fn mcp_name_may_be_base64_encoded() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let encoded = format!("=?base64?{}?=", base64(b"add"));
    let response = post(&client, &add_request(3, 1.0, 2.0), |h| {
        h.set("Mcp-Name", &encoded)
    });
    let result = expect_result_in_any_form(&response, modern(), 3, "CallToolResult");
    assert_eq!(first_text(&result), "3", "{response}");
}

#[test]
fn modern_headers_must_match_the_body() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let body = add_request(1, 1.0, 1.0);
    let cases: [(&str, Adjust); 5] = [
        ("Mcp-Name differs", |h| h.set("Mcp-Name", "divide")),
        ("Mcp-Method missing", |h| h.remove("Mcp-Method")),
        ("Mcp-Name missing", |h| h.remove("Mcp-Name")),
        ("Mcp-Method differs", |h| h.set("Mcp-Method", "tools/list")),
        ("version differs", |h| {
            h.set("MCP-Protocol-Version", "2025-11-25")
        }),
    ];
    let mut failures = Vec::new();
    for (case, adjust) in cases {
        let response = post(&client, &body, adjust);
        let code =
            serde_json::from_slice::<Value>(&response.body).map(|m| m["error"]["code"].clone());
        if response.status == 400 && code.is_ok_and(|code| code == -32020) {
            expect_error(&response, modern(), 400, -32020);
        } else {
            failures.push(format!("{case}: expected 400 with -32020, got {response}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unsupported_versions_get_400_listing_the_supported_ones() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let mut body = tools_list_request(1);
    body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] = json!("1900-01-01");
    // Header and body agree on the unknown version.
    let response = post(&client, &body, |h| {
        h.set("MCP-Protocol-Version", "1900-01-01")
    });
    let message = expect_error(&response, modern(), 400, -32022);
    let data = &message["error"]["data"];
    assert_eq!(data["requested"], "1900-01-01", "{response}");
    let supported = data["supported"].as_array().unwrap();
    assert!(supported.contains(&json!(MODERN_REVISION)), "{response}");
}

#[test]
fn oversized_bodies_get_413() {
    let server = start(&[], &[]);
    let body = tools_list_request(1);
    let head: Vec<String> = Headers::modern(&body)
        .0
        .iter()
        .map(|(n, v)| format!("{n}: {v}"))
        .collect();
    let prefix = body.to_string();
    for chunked in [false, true] {
        let case = format!("a 64 MiB body (chunked: {chunked})");
        let status = post_large_body(
            server.port,
            "/mcp",
            &head,
            prefix.as_bytes(),
            64 << 20,
            chunked,
        )
        .unwrap_or_else(|error| panic!("{case}: {error}; {}", server.process.describe()));
        assert!(status.starts_with("HTTP/1.1 413"), "{case}: got {status:?}");
    }
}

#[test]
fn malformed_json_gets_a_parse_error() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let headers = Headers::modern(&tools_list_request(1));
    let malformed = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":";
    let response = client.send("POST", "/mcp", &headers.pairs(), Some(malformed));
    assert_eq!(response.status, 400, "{response}");
    // As over stdio (see protocol_revisions.rs): no `id`, since it could not be read
    // (2025-11-25 and later make it optional and never null).
    let message = response.json();
    assert_eq!(message.get("id"), None, "{response}");
    expect_error(&response, modern(), 400, -32700);
}

#[test]
fn unknown_methods_get_404() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let response = post(
        &client,
        &modern_request(9, "tools/frobnicate", json!({})),
        |h| h,
    );
    let message = expect_error(&response, modern(), 404, -32601);
    assert_eq!(message["id"], 9, "{response}");
}

#[test]
fn progress_streams_as_sse_when_the_client_accepts_it() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let body = count_request(5, 3, "p-1");
    let headers = Headers::modern(&body);
    let bytes = body.to_string().into_bytes();
    let mut response = client.stream("POST", "/mcp", &headers.pairs(), Some(&bytes));
    assert_eq!(response.status, 200, "{:?}", response.headers);
    let content_type = response.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{:?}",
        response.headers
    );
    assert_eq!(response.header("mcp-session-id"), None);
    let (notifications, reply) = read_sse_reply(
        &mut response.events,
        modern(),
        5,
        STEP_TIMEOUT,
        &server.process,
    );
    check_progress(&notifications, "p-1", 3);
    modern().assert_valid("CallToolResult", &reply["result"]);
    assert_eq!(first_text(&reply["result"]), "3", "{reply}");
    let rest = response
        .events
        .rest(STEP_TIMEOUT)
        .expect("the stream ends after the reply");
    assert!(rest.is_empty(), "events after the reply: {rest:?}");

    // Without `text/event-stream` in Accept: one JSON reply.
    let response = post(&client, &body, |h| h.set("Accept", "application/json"));
    let result = expect_result(&response, modern(), 5, "CallToolResult");
    assert_eq!(first_text(&result), "3", "{response}");
}

#[test]
fn get_and_delete_without_a_session_are_405() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    for method in ["GET", "DELETE"] {
        let response = client.send(method, "/mcp", &[("Accept", "text/event-stream")], None);
        assert_eq!(response.status, 405, "{method} /mcp: {response}");
        let allow = response.header("allow").unwrap_or_default();
        assert!(
            allow.contains("POST"),
            "405 needs Allow (RFC 9110 §15.5.6): {response}"
        );
    }
}

// 3. Origin ----------------------------------------------------------------------------

#[test]
fn foreign_origins_are_refused_and_loopback_ones_served() {
    let server = start(&[], &[]);
    let client = HttpClient::new(&server.base);
    let own = server.base.clone();
    for (origin, status) in [
        ("https://evil.example", 403),
        ("http://localhost.evil.example", 403),
        ("null", 403),
        ("http://localhost:3000", 200),
        (own.as_str(), 200),
    ] {
        let response = post(&client, &tools_list_request(1), |h| h.set("Origin", origin));
        assert_eq!(response.status, status, "Origin {origin}: {response}");
        if status == 200 {
            expect_result(&response, modern(), 1, "ListToolsResult");
        } else if !response.body.is_empty() {
            json_message(&response, modern());
        }
    }
    let response = client.send("GET", "/sse", &[("Origin", "https://evil.example")], None);
    assert_eq!(response.status, 403, "GET /sse: {response}");
}

#[test]
fn allowed_origins_are_served() {
    let server = start(&["--allowed-origin", "https://app.example"], &[]);
    let client = HttpClient::new(&server.base);
    for (origin, status) in [("https://app.example", 200), ("https://evil.example", 403)] {
        let response = post(&client, &tools_list_request(1), |h| h.set("Origin", origin));
        assert_eq!(response.status, status, "Origin {origin}: {response}");
    }
}

// 4. Streamable HTTP sessions, 2025-03-26 to 2025-11-25 ----------------------------------

#[test]
fn legacy_session_2025_11_25() {
    http_scenarios::legacy_session(&start(&[], &[]), "2025-11-25");
}

#[test]
fn legacy_session_2025_03_26() {
    http_scenarios::legacy_session(&start(&[], &[]), "2025-03-26");
}

// 5. HTTP+SSE, 2024-11-05 ---------------------------------------------------------------

#[test]
fn http_sse_session_2024_11_05() {
    http_scenarios::http_sse_session(&start(&[], &[]));
}

// 6. TLS ----------------------------------------------------------------------------------

#[test]
fn https_with_a_self_signed_certificate() {
    let dir = TempDir::new("tls");
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).expect("a self-signed certificate");
    let cert = dir.write("cert.pem", certified.cert.pem().as_bytes());
    let key = dir.write("key.pem", certified.signing_key.serialize_pem().as_bytes());
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let server = start(&["--tls-cert", cert, "--tls-key", key], &[]);
    http_scenarios::https_session(&server, certified.cert.der());
}

// 7. Drain ------------------------------------------------------------------------------

#[test]
fn sigterm_drains_calls_in_flight_then_exits_0() {
    http_scenarios::drain_on_sigterm(&mut start(&[], &[]));
}

// 8. Binding every interface -------------------------------------------------------------

#[test]
fn every_interface_needs_a_token_or_an_explicit_opt_out() {
    http_scenarios::bind_every_interface(&calculator_binary());
}

// 9. Secrets ----------------------------------------------------------------------------

#[test]
fn tokens_never_reach_the_logs() {
    const SECRET: &str = "s3cret-token-7f3a9c";
    let mut server = start(&[], &[("MCP_AUTH_TOKEN", SECRET), ("RUST_LOG", "trace")]);
    http_scenarios::requests_carrying_a_token(&server, SECRET);
    server.process.terminate();
    server
        .process
        .wait_timeout(STEP_TIMEOUT)
        .expect("exit after SIGTERM");
    let (stdout, stderr) = (server.process.stdout(), server.process.stderr());
    assert!(
        stderr.contains("DEBUG"),
        "RUST_LOG=trace logged no DEBUG line: {stderr}"
    );
    assert!(!stdout.contains(SECRET), "the token is on stdout: {stdout}");
    let leaks: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains(SECRET))
        .collect();
    assert!(
        leaks.is_empty(),
        "the token is on stderr:\n{}",
        leaks.join("\n")
    );
}
