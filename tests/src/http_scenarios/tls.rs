//! HTTPS.

use crate::http::{HttpClient, HttpServer};
use crate::http_mcp::{Headers, add_request, expect_result_in_any_form, first_text, post_json};
use crate::{MODERN_REVISION, Schema};

/// A server started with `--tls-cert`/`--tls-key` for the DER certificate `root`: it
/// logs an `https://` address; a client trusting `root` gets `200` with status `ok`
/// from `/health` and a `tools/call` result; neither plain HTTP nor a client that does
/// not trust the certificate (the default web roots) gets an answer.
///
/// # Panics
///
/// On the first deviation.
pub fn https_session(server: &HttpServer, root: &[u8]) {
    assert!(
        server.base.starts_with("https://"),
        "{}",
        server.process.describe()
    );
    let client = HttpClient::trusting(&server.base, root);
    let health = client.send("GET", "/health", &[], None);
    assert_eq!(health.status, 200, "{health}");
    assert_eq!(health.json()["status"], "ok", "{health}");
    let body = add_request(1, 20.0, 22.0);
    let response = post_json(&client, "/mcp", &Headers::modern(&body), &body);
    let modern = Schema::for_revision(MODERN_REVISION);
    let result = expect_result_in_any_form(&response, modern, 1, "CallToolResult");
    assert_eq!(first_text(&result), "42", "{response}");

    let plain = HttpClient::new(&format!("http://127.0.0.1:{}", server.port));
    let outcome = plain.try_send("GET", "/health", &[], None);
    assert!(
        !matches!(outcome, Ok(ref r) if r.status == 200),
        "plain HTTP was served"
    );
    let untrusting = HttpClient::new(&server.base);
    let outcome = untrusting.try_send("GET", "/health", &[], None);
    assert!(
        outcome.is_err(),
        "a client that does not trust the certificate connected"
    );
}
