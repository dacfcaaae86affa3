//! The bad-input battery: cases (one message each, what the server must answer, and
//! the HTTP status that carries the answer), and the conversations they are sent on:
//! stdio, Streamable HTTP (stateless 2026-07-28 and legacy sessions) and HTTP+SSE.
//!
//! Every case is followed, on the same conversation, by a valid `tools/call` of the
//! calculator's `add`, which must be answered correctly: the server survived the case,
//! and (since it answers in order what it can answer at once) sent nothing for the case
//! beyond the expected answer. Every server message is validated against the official
//! schema of the conversation's revision.

mod check;
mod conversations;

use serde_json::{Value, json};

pub use check::{check_message, run};
pub use conversations::{Conversation, HttpSse, Observed, Stdio, Streamable};

use crate::http_mcp::Headers;
use crate::{META_CLIENT_CAPABILITIES, META_CLIENT_INFO, META_PROTOCOL_VERSION, MODERN_REVISION};

/// The protocol era of a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    /// 2026-07-28: no handshake, `_meta` on every request.
    Modern,
    /// A legacy revision, after its `initialize`.
    Legacy(&'static str),
}

impl Era {
    /// The protocol revision.
    pub fn revision(self) -> &'static str {
        match self {
            Era::Modern => MODERN_REVISION,
            Era::Legacy(revision) => revision,
        }
    }

    /// Whether JSON-RPC batches are allowed (2025-03-26 only).
    pub fn allows_batches(self) -> bool {
        self == Era::Legacy("2025-03-26")
    }
}

/// The transports a case is sent on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// stdio and both HTTP transports.
    Every,
    /// stdio only (line framing).
    Stdio,
    /// Streamable HTTP and HTTP+SSE.
    Http,
    /// Streamable HTTP only (`/mcp`).
    Streamable,
}

/// A transport, as conversations know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Newline-delimited JSON-RPC on a child's stdin and stdout.
    Stdio,
    /// `POST /mcp`.
    Streamable,
    /// `GET /sse` and `POST /messages`.
    HttpSse,
}

/// The eras a case is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Eras {
    /// Every revision.
    All,
    /// 2026-07-28 only.
    Modern,
    /// The legacy revisions only.
    Legacy,
    /// Where batches are allowed (2025-03-26).
    Batches,
    /// Where batches are forbidden (every revision but 2025-03-26).
    NoBatches,
}

impl Eras {
    fn include(self, era: Era) -> bool {
        match self {
            Eras::All => true,
            Eras::Modern => era == Era::Modern,
            Eras::Legacy => era != Era::Modern,
            Eras::Batches => era.allows_batches(),
            Eras::NoBatches => !era.allows_batches(),
        }
    }
}

/// The JSON-RPC answer to a case.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// One error response with this code, answering `id` (`null`: the id could not be
    /// read, as JSON-RPC 2.0 §5 says).
    Error(i64, Value),
    /// One `CallToolResult` answering `id`; `true` for a tool error (`isError`).
    Result(Value, bool),
    /// No message at all (over HTTP: `202` without a body).
    Nothing,
    /// One batch response: an error code (or `None` for a result) and an id per
    /// answered element, in order.
    Batch(Vec<(Option<i64>, Value)>),
}

/// The HTTP status of the response to a case's POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The same in both eras.
    Is(u16),
    /// Stateless 2026-07-28 requests, then legacy sessions.
    ByEra(u16, u16),
    /// Refused before any JSON-RPC: only the status is checked, and no JSON-RPC
    /// message may come.
    Refused(u16),
}

/// One bad (or borderline) message and what the server must do with it.
#[derive(Clone, Debug)]
pub struct Case {
    /// What the case is, as the docs table names it.
    pub name: &'static str,
    /// The transports it is sent on.
    pub on: On,
    /// The eras it is sent in.
    pub eras: Eras,
    /// The bytes sent (one stdio line without its newline, or one POST body).
    pub body: fn(Era) -> Vec<u8>,
    /// Changes to the POST's usual headers.
    pub headers: fn(Headers) -> Headers,
    /// The JSON-RPC answer (over HTTP, unless the status is [`Status::Refused`]).
    pub answer: Answer,
    /// The HTTP status (Streamable HTTP; HTTP+SSE derives its own, see
    /// [`Case::sse_status`]).
    pub status: Status,
    /// The answer and status of stateless 2026-07-28 HTTP requests when they differ
    /// from the others' (their headers are checked before the body is served).
    pub modern_http: Option<(Answer, u16)>,
}

impl Case {
    /// A case on every transport in every era.
    pub fn new(
        name: &'static str,
        body: fn(Era) -> Vec<u8>,
        answer: Answer,
        status: Status,
    ) -> Self {
        Self {
            name,
            on: On::Every,
            eras: Eras::All,
            body,
            headers: |headers| headers,
            answer,
            status,
            modern_http: None,
        }
    }

    /// Only on `on`.
    #[must_use]
    pub fn on(self, on: On) -> Self {
        Self { on, ..self }
    }

    /// Only in `eras`.
    #[must_use]
    pub fn eras(self, eras: Eras) -> Self {
        Self { eras, ..self }
    }

    /// With the POST's headers changed by `headers`.
    #[must_use]
    pub fn headers(self, headers: fn(Headers) -> Headers) -> Self {
        Self { headers, ..self }
    }

    /// With another answer and status for stateless 2026-07-28 HTTP requests.
    #[must_use]
    pub fn modern_http(self, answer: Answer, status: u16) -> Self {
        Self {
            modern_http: Some((answer, status)),
            ..self
        }
    }

    /// The answer on `transport` in `era`.
    pub fn answer(&self, transport: Transport, era: Era) -> &Answer {
        match (&self.modern_http, transport, era) {
            (Some((answer, _)), Transport::Streamable, Era::Modern) => answer,
            _ => &self.answer,
        }
    }

    /// Whether the case is sent on `transport` in `era`.
    pub fn applies(&self, transport: Transport, era: Era) -> bool {
        let on = matches!(
            (self.on, transport),
            (On::Every, _)
                | (On::Stdio, Transport::Stdio)
                | (On::Http, Transport::Streamable | Transport::HttpSse)
                | (On::Streamable, Transport::Streamable)
        );
        on && self.eras.include(era)
    }

    /// The Streamable HTTP status in `era`.
    pub fn http_status(&self, era: Era) -> u16 {
        if let (Some((_, status)), Era::Modern) = (&self.modern_http, era) {
            return *status;
        }
        match (self.status, era) {
            (Status::Is(status) | Status::Refused(status), _)
            | (Status::ByEra(status, _), Era::Modern)
            | (Status::ByEra(_, status), Era::Legacy(_)) => status,
        }
    }

    /// The status of a POST to the HTTP+SSE `/messages`: what a legacy Streamable HTTP
    /// session refuses (`4xx`) is refused the same way with the answer in the body;
    /// everything else is `202`, with the answer on the session's stream.
    pub fn sse_status(&self, era: Era) -> u16 {
        match self.http_status(era) {
            200 => 202,
            status => status,
        }
    }
}

/// A request of `era`: for 2026-07-28, `params._meta` carries the protocol version,
/// empty client capabilities and a client info (`_meta` keys already in `params` win).
pub fn request(era: Era, id: Value, method: &str, params: Value) -> Value {
    let mut params = if params.is_null() { json!({}) } else { params };
    if era == Era::Modern {
        let mut meta = json!({
            META_PROTOCOL_VERSION: MODERN_REVISION,
            META_CLIENT_CAPABILITIES: {},
            META_CLIENT_INFO: { "name": "bad-input", "version": "0" },
        });
        if let Some(given) = params.get("_meta").and_then(Value::as_object) {
            for (key, value) in given {
                meta[key] = value.clone();
            }
        }
        params["_meta"] = meta;
    }
    json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
}

/// A `tools/call` of `add` with `arguments`, as bytes.
pub fn call_add(era: Era, id: Value, arguments: Value) -> Vec<u8> {
    let params = json!({ "name": "add", "arguments": arguments });
    bytes(&request(era, id, "tools/call", params))
}

/// A message as bytes.
pub fn bytes(message: &Value) -> Vec<u8> {
    message.to_string().into_bytes()
}

/// `message` as bytes with the string `"@"` replaced by `levels` nested arrays (built
/// as text: a `Value` that deep would overflow the stack when serialised).
pub fn nested(message: &Value, levels: usize) -> Vec<u8> {
    let text = message.to_string();
    let deep = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    text.replacen("\"@\"", &deep, 1).into_bytes()
}
