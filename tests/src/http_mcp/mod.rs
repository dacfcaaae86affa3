//! MCP over HTTP: request headers for each era, checks of JSON-RPC replies carried by
//! HTTP responses and event streams (validated against the official schemas), and a
//! client of a legacy Streamable HTTP session (`Mcp-Session-Id`).

mod checks;
mod legacy;

use serde_json::{Value, json};

pub use checks::{
    check_progress, expect_error, expect_result, expect_result_in_any_form, json_message,
    next_message, read_sse_reply,
};
pub use legacy::LegacySession;

use crate::http::{HttpClient, HttpResponse};
use crate::{META_CLIENT_CAPABILITIES, META_CLIENT_INFO, META_PROTOCOL_VERSION, MODERN_REVISION};

/// The `Accept` value a Streamable HTTP client sends: both JSON and event streams.
pub const ACCEPT_BOTH: &str = "application/json, text/event-stream";

/// A list of request headers, set and removed by name (case-insensitive).
#[derive(Debug, Clone, Default)]
pub struct Headers(pub Vec<(String, String)>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`, replacing any value it had.
    #[must_use]
    pub fn set(self, name: &str, value: &str) -> Self {
        let mut headers = self.remove(name);
        headers.0.push((name.to_owned(), value.to_owned()));
        headers
    }

    /// Removes `name`.
    #[must_use]
    pub fn remove(mut self, name: &str) -> Self {
        self.0.retain(|(key, _)| !key.eq_ignore_ascii_case(name));
        self
    }

    /// The headers as borrowed pairs, for [`HttpClient::send`].
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }

    /// The headers a 2026-07-28 client sends with `body`: `Content-Type`, `Accept`
    /// ([`ACCEPT_BOTH`]), `MCP-Protocol-Version` (from `params._meta`), `Mcp-Method`, and
    /// `Mcp-Name` for `tools/call`, `prompts/get` (`params.name`) and `resources/read`
    /// (`params.uri`).
    pub fn modern(body: &Value) -> Self {
        let method = body["method"].as_str().unwrap_or_default();
        let mut headers = Self::new()
            .set("Content-Type", "application/json")
            .set("Accept", ACCEPT_BOTH)
            .set("Mcp-Method", method);
        if let Some(version) = body["params"]["_meta"][META_PROTOCOL_VERSION].as_str() {
            headers = headers.set("MCP-Protocol-Version", version);
        }
        let name = match method {
            "tools/call" | "prompts/get" => body["params"]["name"].as_str(),
            "resources/read" => body["params"]["uri"].as_str(),
            _ => None,
        };
        if let Some(name) = name {
            headers = headers.set("Mcp-Name", name);
        }
        headers
    }
}

/// A 2026-07-28 request: `params` (an object, or null for none) with `_meta` (keeping
/// what it has, such as a `progressToken`) carrying the protocol version, empty client
/// capabilities and a client info.
pub fn modern_request(id: i64, method: &str, params: Value) -> Value {
    let mut params = if params.is_null() { json!({}) } else { params };
    let mut meta = params.get("_meta").cloned().unwrap_or_else(|| json!({}));
    meta[META_PROTOCOL_VERSION] = json!(MODERN_REVISION);
    meta[META_CLIENT_CAPABILITIES] = json!({});
    meta[META_CLIENT_INFO] = json!({ "name": "http-test", "version": "0" });
    params["_meta"] = meta;
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
}

/// A 2026-07-28 `tools/list` request.
pub fn tools_list_request(id: i64) -> Value {
    modern_request(id, "tools/list", json!({}))
}

/// A 2026-07-28 `tools/call` of the calculator's `add`.
pub fn add_request(id: i64, a: f64, b: f64) -> Value {
    let params = json!({ "name": "add", "arguments": { "a": a, "b": b } });
    modern_request(id, "tools/call", params)
}

/// A 2026-07-28 `tools/call` of the calculator's `count` (one step every 50 ms) with
/// `_meta.progressToken`.
pub fn count_request(id: i64, to: u32, progress_token: &str) -> Value {
    let params = json!({
        "name": "count",
        "arguments": { "to": to },
        "_meta": { "progressToken": progress_token },
    });
    modern_request(id, "tools/call", params)
}

/// POSTs `body` as JSON to `path` with `headers`.
#[track_caller]
pub fn post_json(client: &HttpClient, path: &str, headers: &Headers, body: &Value) -> HttpResponse {
    client.send(
        "POST",
        path,
        &headers.pairs(),
        Some(body.to_string().as_bytes()),
    )
}

/// Standard base64 (with padding) of `bytes`, as `Mcp-Name: =?base64?…?=` and HTTP
/// Basic credentials use it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let triple = chunk
            .iter()
            .enumerate()
            .fold(0_u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(triple >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The text of the first content block of a `CallToolResult`.
pub fn first_text(result: &Value) -> &str {
    result["content"][0]["text"].as_str().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_specification_examples() {
        assert_eq!(base64("Hello, 世界".as_bytes()), "SGVsbG8sIOS4lueVjA==");
        assert_eq!(base64(b" padded "), "IHBhZGRlZCA=");
        assert_eq!(base64(b"add"), "YWRk");
        assert_eq!(base64(b""), "");
    }
}
