//! The MCP messages the harness sends, and how it checks every reply.
//!
//! Every call is `add(a, b)` with `a` the request's index and `b = 0.5`, so
//! each reply has its own expected sum.

use std::borrow::Cow;
use std::io::Write;

use serde::{Deserialize, Serialize};

/// The stateless protocol revision the framework and the baseline speak.
pub const MODERN_VERSION: &str = "2026-07-28";

/// The second addend of every call.
pub const B: f64 = 0.5;

/// The JSON-RPC id the legacy handshake's `initialize` uses (calls count from 1).
pub const INITIALIZE_ID: u64 = 0;

/// How a server expects to be spoken to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Protocol {
    /// Stateless (2026-07-28): no initialize; each call carries its metadata.
    Modern,
    /// Session: `initialize` (HTTP: answered with an `Mcp-Session-Id`), then
    /// `notifications/initialized`, then plain calls.
    Legacy {
        /// The protocol version offered in `initialize`.
        version: String,
    },
}

impl Protocol {
    /// Appends the JSON of call `id` (`add(a, 0.5)`) to `out`, without a newline.
    pub fn write_call(&self, id: u64, a: u64, out: &mut Vec<u8>) {
        let written = match self {
            Protocol::Modern => write!(
                out,
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{a},"b":{B}}},"_meta":{{"io.modelcontextprotocol/protocolVersion":"{MODERN_VERSION}","io.modelcontextprotocol/clientCapabilities":{{}},"io.modelcontextprotocol/clientInfo":{{"name":"mcp-bench","version":"0"}}}}}}}}"#
            ),
            Protocol::Legacy { .. } => write!(
                out,
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{a},"b":{B}}}}}}}"#
            ),
        };
        written.expect("writing to a Vec cannot fail");
    }

    /// The `initialize` request of the legacy handshake (`None` when modern).
    pub fn initialize(&self) -> Option<String> {
        match self {
            Protocol::Modern => None,
            Protocol::Legacy { version } => Some(format!(
                r#"{{"jsonrpc":"2.0","id":{INITIALIZE_ID},"method":"initialize","params":{{"protocolVersion":"{version}","capabilities":{{}},"clientInfo":{{"name":"mcp-bench","version":"0"}}}}}}"#
            )),
        }
    }

    /// Short name for reports.
    pub fn label(&self) -> String {
        match self {
            Protocol::Modern => format!("{MODERN_VERSION} stateless"),
            Protocol::Legacy { version } => format!("{version} session"),
        }
    }
}

/// The notification that ends the legacy handshake.
pub const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

/// The sum call `a` must answer.
pub fn expected_sum(a: u64) -> f64 {
    a as f64 + B
}

/// A message from the server, as far as the harness cares.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// Anything without a numeric id: notifications, logs.
    Other,
    /// A reply to request `id`: the text of its first content block, or why
    /// there is none.
    Reply {
        /// The request id the reply answers.
        id: u64,
        /// The first content block's text, or what was wrong instead.
        text: Result<String, String>,
    },
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default, borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    result: Option<CallResult<'a>>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct CallResult<'a> {
    #[serde(default, borrow)]
    content: Vec<Content<'a>>,
    #[serde(default, rename = "isError")]
    is_error: Option<bool>,
}

#[derive(Deserialize)]
struct Content<'a> {
    #[serde(default, borrow)]
    text: Option<Cow<'a, str>>,
}

/// Parses one JSON-RPC message from the server.
pub fn read_message(bytes: &[u8]) -> Result<Incoming, String> {
    let message: Message<'_> = serde_json::from_slice(bytes)
        .map_err(|e| format!("unparsable reply ({e}): {}", excerpt(bytes)))?;
    let id = match (&message.id, &message.method) {
        (Some(id), None) => id
            .as_u64()
            .ok_or_else(|| format!("reply id {id} is not the number sent"))?,
        _ => return Ok(Incoming::Other),
    };
    let text = match (message.result, message.error) {
        (_, Some(error)) => Err(format!("error reply: {error}")),
        (Some(result), None) if result.is_error == Some(true) => {
            Err(format!("tool error: {}", excerpt(bytes)))
        }
        (Some(result), None) => result
            .content
            .into_iter()
            .next()
            .and_then(|c| c.text)
            .map(Cow::into_owned)
            .ok_or_else(|| format!("no text content: {}", excerpt(bytes))),
        (None, None) => Err(format!("neither result nor error: {}", excerpt(bytes))),
    };
    Ok(Incoming::Reply { id, text })
}

/// Checks that `text`, the reply to call `id` made with `a`, is the right sum.
pub fn check_sum(id: u64, a: u64, text: Result<String, String>) -> Result<(), String> {
    let text = text.map_err(|e| format!("call {id}: {e}"))?;
    let expected = expected_sum(a);
    match text.trim().parse::<f64>() {
        Ok(sum) if sum == expected => Ok(()),
        _ => Err(format!("call {id}: expected {expected}, got {text:?}")),
    }
}

/// Checks a whole reply body (JSON or SSE) to call `id` made with `a`.
pub fn check_call_reply(body: &[u8], is_sse: bool, id: u64, a: u64) -> Result<(), String> {
    let json = reply_json(body, is_sse)?;
    match read_message(&json)? {
        Incoming::Reply { id: got, text } if got == id => check_sum(id, a, text),
        Incoming::Reply { id: got, .. } => Err(format!("reply to id {got}, expected {id}")),
        Incoming::Other => Err(format!("no reply in body: {}", excerpt(body))),
    }
}

/// The JSON-RPC reply in a body: the body itself, or the data of the SSE
/// event that carries it.
pub fn reply_json(body: &[u8], is_sse: bool) -> Result<Cow<'_, [u8]>, String> {
    if !is_sse {
        return Ok(Cow::Borrowed(body));
    }
    sse_reply(body, true)
        .map(|data| Cow::Owned(data.into_bytes()))
        .ok_or_else(|| format!("no reply event in SSE body: {}", excerpt(body)))
}

/// The data of the first SSE event in `buf` that is a JSON-RPC reply (has an
/// id and a result or error). Only events ended by a blank line count, unless
/// `at_end` (the stream has ended, so the last event is complete too).
pub fn sse_reply(buf: &[u8], at_end: bool) -> Option<String> {
    let text = String::from_utf8_lossy(buf).replace("\r\n", "\n");
    let mut events: Vec<&str> = text.split("\n\n").collect();
    if !at_end {
        events.pop(); // not yet ended by a blank line
    }
    events.into_iter().find_map(|event| {
        let data: Vec<&str> = event
            .lines()
            .filter_map(|line| line.strip_prefix("data:"))
            .map(|d| d.strip_prefix(' ').unwrap_or(d))
            .collect();
        let data = data.join("\n");
        let value: serde_json::Value = serde_json::from_str(&data).ok()?;
        let is_reply = value.get("id").is_some()
            && value.get("method").is_none()
            && (value.get("result").is_some() || value.get("error").is_some());
        is_reply.then_some(data)
    })
}

/// The `result.protocolVersion` of an `initialize` reply.
pub fn negotiated_version(json: &[u8]) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_slice(json)
        .map_err(|e| format!("unparsable initialize reply ({e}): {}", excerpt(json)))?;
    value["result"]["protocolVersion"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("initialize failed: {}", excerpt(json)))
}

/// The start of `bytes`, for error messages.
pub fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modern_call_is_the_documented_json() {
        let mut out = Vec::new();
        Protocol::Modern.write_call(7, 2, &mut out);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["id"], 7);
        assert_eq!(value["params"]["arguments"]["a"], 2);
        assert_eq!(value["params"]["arguments"]["b"], 0.5);
        assert_eq!(
            value["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"],
            MODERN_VERSION
        );
        let legacy = Protocol::Legacy {
            version: "2025-06-18".into(),
        };
        let init: serde_json::Value = serde_json::from_str(&legacy.initialize().unwrap()).unwrap();
        assert_eq!(init["params"]["protocolVersion"], "2025-06-18");
    }

    #[test]
    fn checks_replies() {
        let reply = br#"{"jsonrpc":"2.0","id":1,"result":{"_meta":{},"content":[{"text":"2.5","type":"text"}],"resultType":"complete"}}"#;
        assert_eq!(check_call_reply(reply, false, 1, 2), Ok(()));
        assert!(check_call_reply(reply, false, 2, 2).is_err());
        assert!(check_call_reply(reply, false, 1, 3).is_err());
        let error = br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"no"}}"#;
        assert!(check_call_reply(error, false, 1, 2).is_err());
        let tool_error = br#"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"2.5"}],"isError":true}}"#;
        assert!(check_call_reply(tool_error, false, 1, 2).is_err());
        let note = br#"{"jsonrpc":"2.0","method":"notifications/message","params":{}}"#;
        assert_eq!(read_message(note), Ok(Incoming::Other));
    }

    #[test]
    fn finds_the_reply_in_an_sse_stream() {
        let body = b"id: 0\nretry: 3000\ndata:\n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}\n\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"4.5\"}]}}\r\n\r\n";
        assert_eq!(check_call_reply(body, true, 3, 4), Ok(()));
        let unfinished = b"data: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}";
        assert_eq!(sse_reply(unfinished, false), None);
        assert!(sse_reply(unfinished, true).is_some());
    }
}
