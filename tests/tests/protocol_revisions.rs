//! End-to-end protocol tests of the `calculator` example.
//!
//! Raw newline-delimited JSON-RPC over the server's stdio, for each protocol revision;
//! every message the server writes is validated against that revision's official JSON
//! Schema (`shared/spec/<revision>/schema.json`).

use std::time::{Duration, Instant};

use mcp_tests::{
    ALL_REVISIONS, Exchange, LEGACY_REVISIONS, META_CLIENT_CAPABILITIES, META_CLIENT_INFO,
    META_PROTOCOL_VERSION, MODERN_REVISION, McpProcess, Session, calculator_binary, is_response,
    show,
};
use serde_json::{Value, json};

fn calculator(revision: &str) -> Session {
    Session::start(&calculator_binary(), revision)
}

/// The concatenated `text` of the text items of a `CallToolResult`'s content.
fn text_of(result: &Value) -> String {
    result["content"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|item| item["type"] == "text")
                .filter_map(|item| item["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Whether `text` contains `word` as a whole word (delimited by anything but
/// letters, digits and `_`).
fn mentions_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|token| token == word)
}

fn is_error_result(result: &Value) -> bool {
    result.get("isError") == Some(&json!(true))
}

/// Checks a result: schema definition, the modern `<Definition>Response` envelope
/// where the schema has one, and the modern `resultType: "complete"`.
fn check_result(session: &Session, exchange: &Exchange, definition: &str) {
    let result = exchange.result();
    session.check_part(definition, result, &exchange.response);
    if session.is_modern() {
        let envelope = format!("{definition}Response");
        if session.schema().has_definition(&envelope) {
            session.check(&envelope, &exchange.response);
        }
        assert_eq!(
            result["resultType"], "complete",
            "a modern result must carry resultType \"complete\": {}",
            exchange.response
        );
    }
}

fn expect_error_code(session: &Session, exchange: &Exchange, code: i64, what: &str) {
    let error = exchange.error();
    assert_eq!(
        error["code"],
        json!(code),
        "{what}: expected error code {code}, got {}\n{}",
        exchange.response,
        session.process.describe()
    );
    let specific = match code {
        -32700 => "ParseError",
        -32601 => "MethodNotFoundError",
        -32602 => "InvalidParamsError",
        -32603 => "InternalError",
        _ => "",
    };
    if session.is_modern() && session.schema().has_definition(specific) {
        session.check_part(specific, error, &exchange.response);
    }
}

/// No `$schema` key and no `type` array anywhere inside `value`.
fn assert_plain_schema(value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            assert!(
                !map.contains_key("$schema"),
                "`$schema` key at {path}: {value}"
            );
            if let Some(kind) = map.get("type") {
                assert!(!kind.is_array(), "type array at {path}/type: {value}");
            }
            for (key, child) in map {
                assert_plain_schema(child, &format!("{path}/{key}"));
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                assert_plain_schema(child, &format!("{path}/{index}"));
            }
        }
        _ => {}
    }
}

fn check_add_input_schema(tool: &Value) {
    let schema = &tool["inputSchema"];
    let keys: Vec<&str> = schema
        .as_object()
        .map(|object| object.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        ["properties", "required", "type"],
        "add inputSchema keys: {schema}"
    );
    assert_eq!(schema["type"], "object", "add inputSchema: {schema}");
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap_or_else(|| panic!("add inputSchema.required is not an array: {schema}"))
        .iter()
        .map(|name| name.as_str().expect("required names are strings"))
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["a", "b"], "add inputSchema.required: {schema}");
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("add inputSchema.properties is not an object: {schema}"));
    let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b"], "add inputSchema.properties: {schema}");
    for (name, property) in properties {
        assert_eq!(
            property["type"], "number",
            "add argument {name}: {property}"
        );
        let description = property["description"].as_str().unwrap_or_default();
        assert!(
            !description.trim().is_empty(),
            "add argument {name} has no description: {property}"
        );
    }
}

fn call_params(name: &str, arguments: Value) -> Value {
    json!({ "name": name, "arguments": arguments })
}

/// The whole conversation of one revision.
fn run_revision(revision: &str) {
    let mut session = calculator(revision);

    // Opening: initialize (legacy) or server/discover (modern).
    let opened = session.open();
    if session.is_modern() {
        let versions: Vec<&str> = opened["supportedVersions"]
            .as_array()
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for expected in ALL_REVISIONS {
            assert!(
                versions.contains(&expected),
                "server/discover supportedVersions lacks {expected}: {opened}"
            );
        }
        assert_eq!(opened["resultType"], "complete", "DiscoverResult: {opened}");
    } else {
        assert_eq!(
            opened["protocolVersion"], revision,
            "initialize must answer with the requested protocolVersion: {opened}"
        );
    }
    assert!(
        opened["capabilities"]["tools"].is_object(),
        "a server with tools must declare the tools capability: {opened}"
    );

    // tools/list, with a string id this time
    let mut request = session.build_request("tools/list", json!({}));
    request["id"] = json!(format!("list-{revision}"));
    let listed = session.send_request(&request);
    assert_eq!(listed.response["id"], request["id"], "{}", listed.response);
    check_result(&session, &listed, "ListToolsResult");
    let tools = listed.result();
    assert_plain_schema(tools, "");
    if session.is_modern() {
        assert!(
            tools["ttlMs"].as_u64().is_some(),
            "tools/list needs ttlMs: {tools}"
        );
        assert!(
            matches!(tools["cacheScope"].as_str(), Some("public" | "private")),
            "tools/list needs cacheScope: {tools}"
        );
    }
    let find = |name: &str| {
        tools["tools"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|tool| tool["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("tools/list lacks `{name}`: {tools}"))
    };
    check_add_input_schema(&find("add"));
    find("divide");
    find("count");

    // add 2 + 0.5
    let added = session.request(
        "tools/call",
        call_params("add", json!({ "a": 2, "b": 0.5 })),
    );
    check_result(&session, &added, "CallToolResult");
    assert!(!is_error_result(added.result()), "add: {}", added.response);
    assert_eq!(
        text_of(added.result()),
        "2.5",
        "add 2 + 0.5: {}",
        added.response
    );

    // divide by zero: a tool execution error, not a protocol error
    let divided = session.request(
        "tools/call",
        call_params("divide", json!({ "a": 1, "b": 0 })),
    );
    check_result(&session, &divided, "CallToolResult");
    assert!(
        is_error_result(divided.result()),
        "divide by zero must give isError: true: {}",
        divided.response
    );
    assert!(
        !text_of(divided.result()).is_empty(),
        "divide by zero should say why: {}",
        divided.response
    );

    // count with progress
    let token = if session.is_modern() {
        json!(42)
    } else {
        json!(format!("progress-{revision}"))
    };
    let mut params = call_params("count", json!({ "to": 2 }));
    params["_meta"] = json!({ "progressToken": token });
    let counted = session.request("tools/call", params);
    check_result(&session, &counted, "CallToolResult");
    assert!(
        !is_error_result(counted.result()),
        "count: {}",
        counted.response
    );
    for message in &counted.before {
        assert!(
            !is_response(message),
            "unexpected response while waiting for count: {message}"
        );
    }
    let progress = counted.progress_notifications();
    assert_eq!(
        progress.len(),
        2,
        "count to 2 with a progressToken: expected 2 progress notifications before the result, got {}",
        show(&counted.before)
    );
    let mut last = f64::NEG_INFINITY;
    for notification in &progress {
        let params = &notification["params"];
        assert_eq!(params["progressToken"], token, "{notification}");
        let value = params["progress"].as_f64().expect("progress is a number");
        assert!(
            value > last,
            "progress must increase: {}",
            show(&counted.before)
        );
        last = value;
        if let Some(total) = params["total"].as_f64() {
            assert!(value <= total, "progress beyond total: {notification}");
        }
    }
    if session.is_modern() {
        assert!(
            counted
                .before
                .iter()
                .all(|message| message["method"] != "notifications/message"),
            "no notifications/message without io.modelcontextprotocol/logLevel: {}",
            show(&counted.before)
        );
    }

    // ping (legacy only; removed in the modern revision)
    if !session.is_modern() {
        let pinged = session.request("ping", Value::Null);
        check_result(&session, &pinged, "EmptyResult");
        assert!(
            pinged.progress_notifications().is_empty(),
            "progress after count finished: {}",
            show(&pinged.before)
        );
    }

    // unknown method
    let unknown = session.request("calculator/no-such-method", json!({}));
    expect_error_code(&session, &unknown, -32601, "unknown method");
    assert!(
        unknown.progress_notifications().is_empty(),
        "progress after count finished: {}",
        show(&unknown.before)
    );

    // unknown tool
    let no_tool = session.request("tools/call", call_params("no_such_tool", json!({})));
    expect_error_code(&session, &no_tool, -32602, "unknown tool");

    // add with a missing argument: -32602 or a tool execution error, naming `b`
    let missing = session.request("tools/call", call_params("add", json!({ "a": 1 })));
    if let Some(error) = missing.response.get("error") {
        expect_error_code(&session, &missing, -32602, "add without b");
        let said = format!(
            "{} {}",
            error["message"],
            error.get("data").unwrap_or(&Value::Null)
        );
        assert!(
            mentions_word(&said, "b"),
            "the error for a missing argument should name it (`b`): {}",
            missing.response
        );
    } else {
        check_result(&session, &missing, "CallToolResult");
        assert!(
            is_error_result(missing.result()),
            "add without b: expected -32602 or isError: true, got {}",
            missing.response
        );
        assert!(
            mentions_word(&text_of(missing.result()), "b"),
            "the tool error for a missing argument should name it (`b`): {}",
            missing.response
        );
    }

    let status = session.process.shutdown();
    assert!(
        status.success(),
        "exit status {status} after stdin closed; {}",
        session.process.describe()
    );
}

#[test]
fn revision_2024_11_05() {
    run_revision("2024-11-05");
}

#[test]
fn revision_2025_03_26() {
    run_revision("2025-03-26");
}

#[test]
fn revision_2025_06_18() {
    run_revision("2025-06-18");
}

#[test]
fn revision_2025_11_25() {
    run_revision("2025-11-25");
}

#[test]
fn revision_2026_07_28() {
    run_revision("2026-07-28");
}

#[test]
fn modern_unsupported_protocol_version() {
    let mut session = calculator(MODERN_REVISION);
    for method in ["server/discover", "tools/list"] {
        let meta = json!({
            META_PROTOCOL_VERSION: "1900-01-01",
            META_CLIENT_CAPABILITIES: {},
            META_CLIENT_INFO: { "name": "raw", "version": "0" },
        });
        let exchange = session.request_with_meta(method, json!({}), meta);
        session.check("UnsupportedProtocolVersionError", &exchange.response);
        let error = exchange.error();
        assert_eq!(error["code"], -32022, "{method}: {}", exchange.response);
        assert_eq!(
            error["data"]["requested"], "1900-01-01",
            "{method}: {}",
            exchange.response
        );
        let supported = error["data"]["supported"].as_array().unwrap_or_else(|| {
            panic!(
                "{method}: data.supported is not a list: {}",
                exchange.response
            )
        });
        assert!(
            supported.contains(&json!(MODERN_REVISION)),
            "{method}: data.supported lacks {MODERN_REVISION}: {}",
            exchange.response
        );
    }
    // Each request stands alone: a good one still works.
    let listed = session.request("tools/list", json!({}));
    check_result(&session, &listed, "ListToolsResult");
}

#[test]
fn modern_request_without_client_capabilities_is_invalid_params() {
    let mut session = calculator(MODERN_REVISION);
    let meta = json!({
        META_PROTOCOL_VERSION: MODERN_REVISION,
        META_CLIENT_INFO: { "name": "raw", "version": "0" },
    });
    let exchange = session.request_with_meta("tools/list", json!({}), meta);
    expect_error_code(
        &session,
        &exchange,
        -32602,
        "request without clientCapabilities",
    );
}

#[test]
fn malformed_line_gets_parse_error_and_the_server_keeps_answering() {
    for revision in ["2025-11-25", MODERN_REVISION] {
        let mut session = calculator(revision);
        session.open();
        session
            .process
            .send_line(r#"{"jsonrpc": "2.0", "id": 1, "method": "#);
        let reply = session.process.recv();
        assert_eq!(
            reply["error"]["code"], -32700,
            "{revision}: reply to a line that is not JSON: {reply}"
        );
        // JSON-RPC 2.0 §5 says `id: null`; these revisions' error response has an
        // optional `id` that is never null, left out "where the ID could not be read".
        assert_eq!(
            reply.get("id"),
            None,
            "{revision}: a parse error has no id: {reply}"
        );
        session.check(session.schema().error_response_definition(), &reply);
        let specific = if session.is_modern() {
            "ParseError"
        } else {
            "Error"
        };
        session.check_part(specific, &reply["error"], &reply);

        let added = session.request(
            "tools/call",
            call_params("add", json!({ "a": 2, "b": 0.5 })),
        );
        check_result(&session, &added, "CallToolResult");
        assert_eq!(
            text_of(added.result()),
            "2.5",
            "{revision}: {}",
            added.response
        );
        let status = session.process.shutdown();
        assert!(status.success(), "{revision}: exit status {status}");
    }
}

#[test]
fn a_slow_call_does_not_hold_up_a_fast_one() {
    for revision in ["2025-06-18", MODERN_REVISION] {
        let mut session = calculator(revision);
        session.open();
        let slow = session.build_request("tools/call", call_params("count", json!({ "to": 10 })));
        let fast = session.build_request(
            "tools/call",
            call_params("add", json!({ "a": 2, "b": 0.5 })),
        );
        let started = Instant::now();
        session.process.send(&slow);
        session.process.send(&fast);

        let fast_reply = session.wait_response(&fast["id"]);
        let fast_elapsed = started.elapsed();
        assert!(
            fast_reply
                .before
                .iter()
                .all(|message| !(is_response(message) && message["id"] == slow["id"])),
            "{revision}: the count reply came before the add reply: {}",
            show(&fast_reply.before)
        );
        check_result(&session, &fast_reply, "CallToolResult");
        assert_eq!(
            text_of(fast_reply.result()),
            "2.5",
            "{revision}: {}",
            fast_reply.response
        );

        let slow_reply = session.wait_response(&slow["id"]);
        check_result(&session, &slow_reply, "CallToolResult");
        assert!(
            !is_error_result(slow_reply.result()),
            "{revision}: {}",
            slow_reply.response
        );
        assert!(
            fast_elapsed < started.elapsed(),
            "{revision}: add answered after count"
        );
        let status = session.process.shutdown();
        assert!(status.success(), "{revision}: exit status {status}");
    }
}

#[test]
fn eof_makes_an_idle_server_exit_with_status_zero() {
    // Without a single message.
    let mut process = McpProcess::spawn(&calculator_binary()).expect("start the calculator");
    process.close_stdin();
    assert!(process.recv_until_eof().is_empty(), "no output expected");
    let status = process.wait_timeout(Duration::from_secs(5));
    assert!(
        status.success(),
        "exit status {status}; {}",
        process.describe()
    );

    // After a conversation, in both eras.
    for revision in [
        LEGACY_REVISIONS[LEGACY_REVISIONS.len() - 1],
        MODERN_REVISION,
    ] {
        let mut session = calculator(revision);
        session.open();
        session.process.close_stdin();
        let rest = session.process.recv_until_eof();
        assert!(
            rest.is_empty(),
            "{revision}: unexpected output {}",
            show(&rest)
        );
        let status = session.process.wait_timeout(Duration::from_secs(5));
        assert!(
            status.success(),
            "{revision}: exit status {status}; {}",
            session.process.describe()
        );
    }
}

#[test]
fn eof_with_a_call_in_flight_still_writes_its_reply() {
    for revision in ["2024-11-05", MODERN_REVISION] {
        let mut session = calculator(revision);
        session.open();
        let request = session.build_request("tools/call", call_params("count", json!({ "to": 3 })));
        session.process.send(&request);
        session.process.close_stdin();
        let rest = session.process.recv_until_eof();
        for message in &rest {
            session.check_message(message);
        }
        let reply = rest
            .iter()
            .find(|message| is_response(message) && message["id"] == request["id"])
            .unwrap_or_else(|| {
                panic!(
                    "{revision}: stdout closed without the reply to the count call in flight; got {}; {}",
                    show(&rest),
                    session.process.describe()
                )
            });
        session.check_part("CallToolResult", &reply["result"], reply);
        assert!(!is_error_result(&reply["result"]), "{revision}: {reply}");
        let status = session.process.wait_timeout(Duration::from_secs(5));
        assert!(
            status.success(),
            "{revision}: exit status {status}; {}",
            session.process.describe()
        );
    }
}
