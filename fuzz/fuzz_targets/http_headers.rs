//! HTTP request validation: methods, paths, headers and bodies sent through the real
//! router (`tower::ServiceExt::oneshot`, no socket), a few requests per input (a later
//! one may name the session an earlier one opened), and the checks on their own:
//! header decoding, `Origin`, bearer tokens, header/body agreement.
//!
//! An input is text, so that seeds are written by hand: a first line of settings
//! (`auth` to require the bearer token, `origin=URL` for each allowed origin), then
//! requests, each a request line (`POST /mcp`), header lines (`Name: value`, a value
//! may be a placeholder, see [`build`]), an empty line, and the body up to a line `~~~`.
//!
//! Checked: no panic and no hang; `403` exactly for a browser origin that is not
//! allowed and `401` exactly for a missing or wrong token, on every path but `/health`;
//! JSON bodies are JSON and a reply carries the request's id; a stateless request is
//! only ever executed when its headers agree with its body; a value `decode` accepts
//! round-trips through the `=?base64?...?=` form; the origin rules and bearer parsing
//! match their models.

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Request, StatusCode, header};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use mcp::__fuzz;
use mcp::transport::http::Tokens;
use mcp::{Context, Server};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "secret-token";

/// Echo a text; `region` is mirrored in the `Mcp-Param-Region` header.
#[mcp::tool]
async fn echo(
    ctx: Context,
    text: String,
    #[mcp(header = "Region")] region: Option<String>,
    #[mcp(header = "Count")] count: Option<i64>,
) -> String {
    ctx.progress(1.0, 2.0, "half way").await;
    format!(
        "{text}{}{}",
        region.unwrap_or_default(),
        count.unwrap_or_default()
    )
}

/// A note.
#[mcp::resource(uri = "notes://{day}", mime = "text/plain")]
fn note(day: String) -> String {
    day
}

/// Greet someone.
#[mcp::prompt]
fn greet(name: String) -> String {
    format!("Greet {name}")
}

fn server() -> Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            Server::builder()
                .name("fuzz")
                .tool(echo)
                .resource(note)
                .prompt(greet)
                .build()
                .expect("the fuzz server builds")
        })
        .clone()
}

/// A request as sent, and what its body says.
struct Sent {
    method: String,
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
    parsed: Option<Value>,
}

fuzz_target!(|data: &[u8]| {
    let mut lines = data.split(|&byte| byte == b'\n');
    let config = String::from_utf8_lossy(lines.next().unwrap_or_default());
    let auth = config.split_whitespace().any(|word| word == "auth");
    let allowed: Vec<String> = config
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("origin="))
        .take(4)
        .map(str::to_owned)
        .collect();
    let requests = read_requests(lines);
    for request in &requests {
        for (name, value) in &request.headers {
            if let Ok(value) = std::str::from_utf8(value) {
                check_decode(value);
                check_origin(&allowed, value);
            }
            if name.eq_ignore_ascii_case(b"authorization") {
                check_bearer(value);
            }
        }
    }
    let tokens = if auth {
        Tokens::single("fuzz", TOKEN)
    } else {
        Tokens::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let router = __fuzz::http_router(server(), tokens, allowed.clone());
        let mut session: Option<HeaderValue> = None;
        for written in requests.iter().take(4) {
            let Some(sent) = build(written, session.as_ref()) else {
                continue;
            };
            check_direct(&sent);
            let Some((status, headers, bytes)) = exchange(&router, &sent).await else {
                let method = sent.parsed.as_ref().and_then(|body| body.get("method"));
                let listening = method == Some(&json!("subscriptions/listen"));
                assert!(listening, "no response to {} {}", sent.method, sent.path);
                continue;
            };
            check_response(&sent, &allowed, auth, status, &headers, &bytes);
            if let Some(id) = headers.get("mcp-session-id") {
                session = Some(id.clone());
            }
        }
    });
});

/// A request as the input writes it.
struct Written<'a> {
    request_line: &'a [u8],
    headers: Vec<(&'a [u8], &'a [u8])>,
    body: Vec<u8>,
}

/// Requests: a request line, header lines, an empty line, then the body up to a line
/// `~~~` (or the end).
fn read_requests<'a>(mut lines: impl Iterator<Item = &'a [u8]>) -> Vec<Written<'a>> {
    let mut requests = Vec::new();
    while let Some(request_line) = lines.next() {
        let mut headers = Vec::new();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            let Some(colon) = line.iter().position(|&byte| byte == b':') else {
                continue;
            };
            let (name, value) = line.split_at(colon);
            headers.push((name, value[1..].trim_ascii_start()));
        }
        let mut body: Vec<u8> = Vec::new();
        for (index, line) in lines
            .by_ref()
            .take_while(|line| *line != b"~~~")
            .enumerate()
        {
            if index > 0 {
                body.push(b'\n');
            }
            body.extend_from_slice(line);
        }
        requests.push(Written {
            request_line,
            headers,
            body,
        });
    }
    requests
}

/// Sends one request; its status, headers and body, or `None` when no response comes.
async fn exchange(router: &axum::Router, sent: &Sent) -> Option<(StatusCode, HeaderMap, Vec<u8>)> {
    let request = to_request(sent);
    let exchange = async {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let (parts, mut body) = response.into_parts();
        let mut bytes = Vec::new();
        if is_event_stream(&parts.headers) {
            // A stream may stay open (a session's GET stream): read what it sends within
            // a while of (paused) time.
            let _ = tokio::time::timeout(Duration::from_secs(60), async {
                while let Some(Ok(frame)) = body.frame().await {
                    bytes.extend_from_slice(frame.data_ref().map_or(&[][..], |data| data));
                }
            })
            .await;
        } else {
            bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .expect("a body")
                .to_vec();
        }
        (parts.status, parts.headers, bytes)
    };
    tokio::time::timeout(Duration::from_secs(120), exchange)
        .await
        .ok()
}

/// The request to send: the placeholders of header values (`$method`, `$version`,
/// `$name`, `$name64`, `$region`, `$region64`, `$count`: what the body says, plain or
/// in the base64 form; `$session`: the session id the last response named; `$token`:
/// the server's bearer token) replaced. `None` if it is not a valid HTTP request.
fn build(written: &Written<'_>, session: Option<&HeaderValue>) -> Option<Sent> {
    let request_line = std::str::from_utf8(written.request_line).ok()?;
    let (method, path) = request_line.split_once(' ')?;
    axum::http::Method::from_bytes(method.as_bytes()).ok()?;
    axum::http::Uri::try_from(path).ok()?;
    let body = written.body.clone();
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let said = |pointer: &str| {
        parsed
            .as_ref()
            .and_then(|body| body.pointer(pointer))
            .map(|value| {
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned)
            })
            .unwrap_or_default()
    };
    let base64 = |text: String| format!("=?base64?{}?=", __fuzz::base64_encode(text.as_bytes()));
    let mut headers = HeaderMap::new();
    for (name, value) in written.headers.iter().take(16) {
        let Ok(name) = HeaderName::from_bytes(name) else {
            continue;
        };
        let value = match *value {
            b"$method" => said("/method").into_bytes(),
            b"$version" => {
                said("/params/_meta/io.modelcontextprotocol~1protocolVersion").into_bytes()
            }
            b"$name" => (said("/params/name") + &said("/params/uri")).into_bytes(),
            b"$name64" => base64(said("/params/name") + &said("/params/uri")).into_bytes(),
            b"$region" => said("/params/arguments/region").into_bytes(),
            b"$region64" => base64(said("/params/arguments/region")).into_bytes(),
            b"$count" => said("/params/arguments/count").into_bytes(),
            b"$session" => match session {
                Some(id) => id.as_bytes().to_vec(),
                None => continue,
            },
            b"$token" => format!("Bearer {TOKEN}").into_bytes(),
            other => other.to_vec(),
        };
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            headers.append(name, value);
        }
    }
    Some(Sent {
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body,
        parsed,
    })
}

fn to_request(sent: &Sent) -> Request<Body> {
    let mut request = Request::builder()
        .method(sent.method.as_str())
        .uri(sent.path.as_str())
        .body(Body::from(sent.body.clone()))
        .expect("a valid request");
    *request.headers_mut() = sent.headers.clone();
    request
}

fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/event-stream"))
}

/// The header checks on their own, with this request's headers and body.
fn check_direct(sent: &Sent) {
    if let Some(Ok(version)) = __fuzz::check_request(&sent.headers, &sent.body) {
        let body = sent.parsed.as_ref().expect("a request that passes is JSON");
        let header = sent
            .headers
            .get("mcp-protocol-version")
            .and_then(|v| v.to_str().ok());
        assert_eq!(header, Some(version.as_str()));
        assert_agrees(&sent.headers, body);
    }
    let arguments = sent
        .parsed
        .as_ref()
        .and_then(|body| body.pointer("/params/arguments"))
        .map(Value::to_string);
    if let Some(arguments) = arguments
        && __fuzz::check_param_headers(
            &sent.headers,
            &[("region", "Region"), ("count", "Count")],
            &arguments,
        )
        .is_ok()
    {
        let body = sent.parsed.as_ref().expect("JSON");
        assert_arguments_agree(&sent.headers, body);
    }
}

/// What the router answered, against what the rules say it must.
fn check_response(
    sent: &Sent,
    allowed: &[String],
    auth: bool,
    status: StatusCode,
    headers: &HeaderMap,
    bytes: &[u8],
) {
    let route = sent.path.split(['?', '#']).next().unwrap_or_default();
    // Everything but `/health` is guarded: unknown paths too, so that they tell an
    // unauthenticated client nothing.
    let guarded = route != "/health";
    let origin_refused = sent.headers.get(header::ORIGIN).is_some_and(|origin| {
        origin.to_str().is_err() || !origin_model(allowed, origin.to_str().unwrap_or_default())
    });
    let token_refused = auth
        && sent
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| __fuzz::bearer_token(value.as_bytes()))
            != Some(TOKEN.as_bytes());
    let what = || format!("{} {} {:?}: {status}", sent.method, sent.path, sent.headers);
    assert_eq!(
        status == StatusCode::FORBIDDEN,
        guarded && origin_refused,
        "{}",
        what()
    );
    assert_eq!(
        status == StatusCode::UNAUTHORIZED,
        guarded && !origin_refused && token_refused,
        "{}",
        what()
    );
    // A reply to `HEAD` goes out without its body: hyper drops it on the wire, whatever
    // the router produced (a refusal from the auth layer has one). Nothing more to check.
    if sent.method == "HEAD" {
        return;
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes() == b"application/json");
    let mut replies = Vec::new();
    if json {
        let value: Value = serde_json::from_slice(bytes)
            .unwrap_or_else(|error| panic!("{}: invalid JSON body ({error})", what()));
        replies.push(value);
    } else if is_event_stream(headers) {
        let text = std::str::from_utf8(bytes).expect("an event stream is text");
        for data in text.lines().filter_map(|line| line.strip_prefix("data:")) {
            let data = data.trim_start();
            if route == "/sse" && data.starts_with("/messages?") {
                continue;
            }
            let value: Value = serde_json::from_str(data)
                .unwrap_or_else(|error| panic!("{}: invalid JSON event ({error}): {data}", what()));
            replies.push(value);
        }
    }
    let Some(body) = sent.parsed.as_ref() else {
        return;
    };
    let id = well_formed_id(body);
    let stateless =
        route == "/mcp" && sent.method == "POST" && !sent.headers.contains_key("mcp-session-id");
    for reply in replies.iter().filter(|reply| reply.get("method").is_none()) {
        if let Some(id) = id
            && (status == StatusCode::OK || status == StatusCode::BAD_REQUEST)
            && reply.get("jsonrpc").is_some()
        {
            assert_eq!(reply.get("id"), Some(id), "{}: {reply}", what());
        }
        let executed = reply.get("result").is_some();
        if stateless && executed && body.get("method") != Some(&json!("initialize")) {
            assert_agrees(&sent.headers, body);
            if body.get("method") == Some(&json!("tools/call"))
                && body.pointer("/params/name") == Some(&json!("echo"))
            {
                assert_arguments_agree(&sent.headers, body);
            }
        }
    }
}

/// The id of a well-formed request (a string or integer id, a string method).
fn well_formed_id(body: &Value) -> Option<&Value> {
    let id = body
        .get("id")
        .filter(|id| id.is_string() || id.is_i64() || id.is_u64())?;
    let well_formed = body.get("jsonrpc") == Some(&json!("2.0"))
        && body.get("method").is_some_and(Value::is_string)
        && body
            .get("params")
            .is_none_or(|p| p.is_object() || p.is_null());
    well_formed.then_some(id)
}

fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// A request let through agrees with its headers: method, revision, and the name its
/// method routes on.
fn assert_agrees(headers: &HeaderMap, body: &Value) {
    let method = body["method"].as_str().unwrap_or_default();
    assert_eq!(header_text(headers, "mcp-method"), Some(method), "{body}");
    let version = body.pointer("/params/_meta/io.modelcontextprotocol~1protocolVersion");
    assert_eq!(
        header_text(headers, "mcp-protocol-version")
            .map(Value::from)
            .as_ref(),
        version,
        "{body}"
    );
    let field = match method {
        "tools/call" | "prompts/get" => "name",
        "resources/read" => "uri",
        _ => return,
    };
    let sent = header_text(headers, "mcp-name").map(__fuzz::decode_header);
    let said = body["params"][field].as_str().unwrap_or_default();
    assert!(
        matches!(sent, Some(Ok(ref name)) if name == said),
        "{body}: Mcp-Name {sent:?}"
    );
}

/// A `tools/call` let through has `Mcp-Param-*` headers equal to the arguments `echo`
/// mirrors (strings as they are, booleans as `true`/`false`, numbers by value).
fn assert_arguments_agree(headers: &HeaderMap, body: &Value) {
    for (argument, header) in [("region", "mcp-param-region"), ("count", "mcp-param-count")] {
        let Some(value) = body["params"]["arguments"]
            .get(argument)
            .filter(|v| !v.is_null())
        else {
            continue;
        };
        let sent = header_text(headers, header).map(__fuzz::decode_header);
        let same = match (&sent, value) {
            (Some(Ok(sent)), Value::String(value)) => sent == value,
            (Some(Ok(sent)), Value::Bool(flag)) => *sent == flag.to_string(),
            (Some(Ok(sent)), Value::Number(number)) => sent
                .parse::<f64>()
                .ok()
                .zip(number.as_f64())
                .is_some_and(|(a, b)| a == b),
            _ => false,
        };
        assert!(same, "{body}: {header} {sent:?}");
    }
}

/// A value `decode` accepts is itself unless in the base64 form, and its base64 form
/// decodes back to it.
fn check_decode(value: &str) {
    let sentinel = value
        .strip_prefix("=?base64?")
        .and_then(|rest| rest.strip_suffix("?="));
    match __fuzz::decode_header(value) {
        Ok(decoded) => {
            if sentinel.is_none() {
                assert_eq!(decoded, value);
            }
            let encoded = format!("=?base64?{}?=", __fuzz::base64_encode(decoded.as_bytes()));
            assert_eq!(__fuzz::decode_header(&encoded).as_ref(), Ok(&decoded));
        }
        Err(error) => {
            assert!(sentinel.is_some(), "{value:?} refused: {error:?}");
            assert_eq!(error.code, -32020);
        }
    }
    let encoded = format!("=?base64?{}?=", __fuzz::base64_encode(value.as_bytes()));
    assert_eq!(__fuzz::decode_header(&encoded).as_deref(), Ok(value));
}

/// The token is what follows a case-insensitive `Bearer `, without surrounding spaces.
fn check_bearer(value: &[u8]) {
    let scheme = value
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"bearer "));
    let expected = scheme.then(|| value[7..].trim_ascii());
    assert_eq!(__fuzz::bearer_token(value), expected);
}

/// `origin_allows` is the model's answer, ignores case and a trailing slash, and
/// allows whatever is listed.
fn check_origin(allowed: &[String], origin: &str) {
    let allows = __fuzz::origin_allows(allowed, origin);
    assert_eq!(
        allows,
        origin_model(allowed, origin),
        "{origin:?} with {allowed:?}"
    );
    assert_eq!(
        allows,
        __fuzz::origin_allows(allowed, &origin.to_ascii_uppercase())
    );
    assert!(
        __fuzz::origin_allows(&[origin.to_owned()], origin),
        "{origin:?}"
    );
}

/// The origin rules: `*` allows any; a loopback origin (`http` or `https`, host
/// `localhost`, `[::1]` or 127.0.0.0/8, maybe a numeric port) is always allowed;
/// others must be listed (case and a trailing slash aside).
fn origin_model(allowed: &[String], origin: &str) -> bool {
    let normalize = |origin: &str| origin.trim().trim_end_matches('/').to_ascii_lowercase();
    let origin = normalize(origin);
    allowed.iter().any(|listed| listed.trim() == "*")
        || allowed.iter().any(|listed| normalize(listed) == origin)
        || is_loopback(&origin)
}

fn is_loopback(origin: &str) -> bool {
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((host, port)) => (host, port),
            None => return false,
        },
        None => match authority.find(':') {
            Some(index) => authority.split_at(index),
            None => (authority, ""),
        },
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    port_ok && host_ok
}
