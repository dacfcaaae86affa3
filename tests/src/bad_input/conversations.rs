//! The conversations a case is sent on: one stdio process in one revision, one
//! Streamable HTTP conversation (stateless 2026-07-28, or a legacy session), one
//! HTTP+SSE session.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Case, Era, Transport, call_add};
use crate::http::{HttpClient, HttpResponse, HttpServer, post_large_body};
use crate::http_mcp::{ACCEPT_BOTH, Headers, LegacySession};
use crate::sse::{SseStream, parse_events};
use crate::{
    META_PROTOCOL_VERSION, MODERN_REVISION, McpProcess, Schema, Session, is_response, show,
};

/// How long one exchange may wait for the server.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Bodies larger than this go out through a raw connection that still hears a server
/// refusing them before they are all sent.
const LARGE: usize = 1 << 20;

/// What one case got back.
#[derive(Debug)]
pub struct Observed {
    /// The HTTP status of the POST (`None` over stdio).
    pub status: Option<u16>,
    /// The JSON-RPC messages that answered it (before the follow-up's answer).
    pub messages: Vec<Value>,
    /// The response body, as text (HTTP).
    pub body: String,
    /// The answer to the follow-up `add`, or what went wrong getting it.
    pub follow_up: Result<Value, String>,
}

/// One conversation with a server.
pub trait Conversation {
    /// Transport and revision, for failure reports.
    fn label(&self) -> String;
    /// The era of the conversation.
    fn era(&self) -> Era;
    /// The transport.
    fn transport(&self) -> Transport;
    /// The schema of the conversation's revision.
    fn schema(&self) -> &'static Schema {
        Schema::for_revision(self.era().revision())
    }
    /// Sends `body` for `case`, then `add(1, 2)` with id `follow_up`.
    fn exchange(&mut self, case: &Case, body: &[u8], follow_up: i64) -> Observed;
}

/// The follow-up of every case: `add(1, 2)`.
fn follow_up_call(era: Era, id: i64) -> Vec<u8> {
    call_add(era, json!(id), json!({ "a": 1, "b": 2 }))
}

/// A stdio server process in one revision, after its handshake.
pub struct Stdio {
    session: Session,
    era: Era,
}

impl Stdio {
    /// Starts `program` and opens a conversation of `era` (`initialize` or
    /// `server/discover`).
    pub fn open(program: &Path, era: Era) -> Self {
        let mut session = Session::start(program, era.revision());
        session.open();
        Self { session, era }
    }

    /// The server process.
    pub fn process(&mut self) -> &mut McpProcess {
        &mut self.session.process
    }

    /// Closes stdin: the server must write nothing more and exit with status 0.
    ///
    /// # Panics
    ///
    /// If it writes something or exits otherwise.
    pub fn finish(mut self) {
        self.session.process.close_stdin();
        let rest = self.session.process.recv_until_eof();
        assert!(rest.is_empty(), "output after the battery: {}", show(&rest));
        let status = self.session.process.wait_timeout(TIMEOUT);
        assert!(
            status.success(),
            "exit status {status}; {}",
            self.session.process.describe()
        );
    }
}

impl Conversation for Stdio {
    fn label(&self) -> String {
        format!("stdio {}", self.era.revision())
    }

    fn era(&self) -> Era {
        self.era
    }

    fn transport(&self) -> Transport {
        Transport::Stdio
    }

    fn exchange(&mut self, _case: &Case, body: &[u8], follow_up: i64) -> Observed {
        let process = &mut self.session.process;
        let mut line = body.to_vec();
        line.push(b'\n');
        process.send_raw(&line);
        let mut call = follow_up_call(self.era, follow_up);
        call.push(b'\n');
        process.send_raw(&call);
        let (reply, before) = process.recv_response(&json!(follow_up));
        Observed {
            status: None,
            messages: before,
            body: String::new(),
            follow_up: Ok(reply),
        }
    }
}

/// Streamable HTTP on `/mcp`: stateless 2026-07-28 requests, or one legacy session.
pub struct Streamable<'a> {
    server: &'a HttpServer,
    client: HttpClient,
    era: Era,
    /// The legacy session (its id and headers).
    session: Option<LegacySession>,
}

impl<'a> Streamable<'a> {
    /// Stateless 2026-07-28 requests to `server`.
    pub fn modern(server: &'a HttpServer) -> Self {
        Self {
            server,
            client: HttpClient::new(&server.base),
            era: Era::Modern,
            session: None,
        }
    }

    /// A legacy session of `revision` with `server`, opened with `initialize` and
    /// `notifications/initialized`.
    ///
    /// # Panics
    ///
    /// If the session does not open.
    pub fn legacy(server: &'a HttpServer, revision: &'static str) -> Self {
        let mut session = LegacySession::new(&server.base, revision);
        let response = session.initialize();
        assert_eq!(response.status, 200, "initialize {revision}: {response}");
        assert!(session.session_id.is_some(), "no session id: {response}");
        let response = session.notify("notifications/initialized");
        assert_eq!(response.status, 202, "initialized {revision}: {response}");
        Self {
            server,
            client: HttpClient::new(&server.base),
            era: Era::Legacy(revision),
            session: Some(session),
        }
    }

    /// The headers a client of this conversation sends with `body`: a modern client
    /// mirrors the body (`MCP-Protocol-Version` from `_meta`, else its own revision);
    /// a legacy one sends its session's.
    fn headers_for(&self, body: &[u8]) -> Headers {
        if let Some(session) = &self.session {
            return session.headers();
        }
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let headers = match &parsed {
            Some(message) => Headers::modern(message),
            None => Headers::new()
                .set("Content-Type", "application/json")
                .set("Accept", ACCEPT_BOTH),
        };
        let version = parsed
            .as_ref()
            .and_then(|message| message["params"]["_meta"][META_PROTOCOL_VERSION].as_str())
            .unwrap_or(MODERN_REVISION)
            .to_owned();
        headers.set("MCP-Protocol-Version", &version)
    }
}

impl Conversation for Streamable<'_> {
    fn label(&self) -> String {
        match self.era {
            Era::Modern => format!("Streamable HTTP {MODERN_REVISION}"),
            Era::Legacy(revision) => format!("Streamable HTTP session {revision}"),
        }
    }

    fn era(&self) -> Era {
        self.era
    }

    fn transport(&self) -> Transport {
        Transport::Streamable
    }

    fn exchange(&mut self, case: &Case, body: &[u8], follow_up: i64) -> Observed {
        let headers = (case.headers)(self.headers_for(body));
        let (status, messages, text) = post(self.server, &self.client, "/mcp", &headers, body);
        let call = follow_up_call(self.era, follow_up);
        let call_headers = self.headers_for(&call);
        let response = self
            .client
            .send("POST", "/mcp", &call_headers.pairs(), Some(&call));
        Observed {
            status: Some(status),
            messages,
            body: text,
            follow_up: only_message(&response),
        }
    }
}

/// One HTTP+SSE (2024-11-05) session: its event stream and its `/messages` endpoint.
pub struct HttpSse<'a> {
    server: &'a HttpServer,
    client: HttpClient,
    endpoint: String,
    stream: SseStream,
}

impl<'a> HttpSse<'a> {
    /// Opens `GET /sse` and sends `initialize` and `notifications/initialized`.
    ///
    /// # Panics
    ///
    /// If the session does not open.
    pub fn open(server: &'a HttpServer) -> Self {
        let client = HttpClient::new(&server.base);
        let stream = client.stream("GET", "/sse", &[("Accept", "text/event-stream")], None);
        assert_eq!(stream.status, 200, "GET /sse: {:?}", stream.headers);
        let mut stream = stream.events;
        let endpoint = stream.next(TIMEOUT).expect("the endpoint event");
        assert_eq!(endpoint.event, "endpoint", "{endpoint}");
        let mut session = Self {
            server,
            client,
            endpoint: endpoint.data,
            stream,
        };
        let initialize = json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2024-11-05", "capabilities": {},
            "clientInfo": { "name": "bad-input", "version": "0" } } });
        let status = session.post_json(&initialize);
        assert_eq!(status, 202, "initialize");
        let (reply, _) = session.until_reply(0);
        let reply = reply.unwrap_or_else(|error| panic!("initialize: {error}"));
        assert!(reply.get("result").is_some(), "initialize: {reply}");
        let status =
            session.post_json(&json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }));
        assert_eq!(status, 202, "notifications/initialized");
        session
    }

    fn post_json(&self, message: &Value) -> u16 {
        let headers = Headers::new().set("Content-Type", "application/json");
        let body = message.to_string().into_bytes();
        let response = self
            .client
            .send("POST", &self.endpoint, &headers.pairs(), Some(&body));
        response.status
    }

    /// Stream messages up to the response with id `id`, and those before it.
    fn until_reply(&mut self, id: i64) -> (Result<Value, String>, Vec<Value>) {
        let deadline = Instant::now() + TIMEOUT;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = match self.stream.next(left) {
                Ok(event) => event,
                Err(error) => {
                    let error = format!("{error}; {}", self.server.process.describe());
                    return (Err(error), before);
                }
            };
            let message: Value = match serde_json::from_str(&event.data) {
                Ok(message) => message,
                Err(error) => return (Err(format!("event {event} is not JSON: {error}")), before),
            };
            if is_response(&message) && message["id"] == json!(id) {
                return (Ok(message), before);
            }
            before.push(message);
        }
    }
}

impl Conversation for HttpSse<'_> {
    fn label(&self) -> String {
        "HTTP+SSE 2024-11-05".to_owned()
    }

    fn era(&self) -> Era {
        Era::Legacy("2024-11-05")
    }

    fn transport(&self) -> Transport {
        Transport::HttpSse
    }

    fn exchange(&mut self, case: &Case, body: &[u8], follow_up: i64) -> Observed {
        let headers = (case.headers)(Headers::new().set("Content-Type", "application/json"));
        let endpoint = self.endpoint.clone();
        let (status, mut messages, text) =
            post(self.server, &self.client, &endpoint, &headers, body);
        let call: Value = serde_json::from_slice(&follow_up_call(self.era(), follow_up))
            .expect("the follow-up is JSON");
        let call_status = self.post_json(&call);
        let (reply, streamed) = self.until_reply(follow_up);
        messages.extend(streamed);
        Observed {
            status: Some(status),
            messages,
            body: text,
            follow_up: match call_status {
                202 => reply,
                status => Err(format!("the follow-up POST got {status}")),
            },
        }
    }
}

/// POSTs `body` to `path`: its status, the JSON-RPC messages of its body (a JSON body
/// or an event stream; none for other content types) and the body as text.
fn post(
    server: &HttpServer,
    client: &HttpClient,
    path: &str,
    headers: &Headers,
    body: &[u8],
) -> (u16, Vec<Value>, String) {
    if body.len() > LARGE {
        let head: Vec<String> = headers.0.iter().map(|(n, v)| format!("{n}: {v}")).collect();
        let line = post_large_body(server.port, path, &head, body, body.len(), false)
            .unwrap_or_else(|error| panic!("POST {path}: {error}; {}", server.process.describe()));
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not a status line: {line:?}"));
        return (status, Vec::new(), String::new());
    }
    let response = client.send("POST", path, &headers.pairs(), Some(body));
    (response.status, messages_of(&response), response.text())
}

/// The JSON-RPC messages a response carries: a JSON body (a string if it does not
/// parse, so the check fails showing it), the `data` of each event of an event stream,
/// nothing for any other body.
fn messages_of(response: &HttpResponse) -> Vec<Value> {
    let content_type = response.header("content-type").unwrap_or_default();
    if content_type.starts_with("application/json") {
        let message =
            serde_json::from_slice(&response.body).unwrap_or(Value::String(response.text()));
        vec![message]
    } else if content_type.starts_with("text/event-stream") {
        parse_events(&response.text())
            .iter()
            .map(|event| {
                serde_json::from_str(&event.data).unwrap_or(Value::String(event.data.clone()))
            })
            .collect()
    } else {
        Vec::new()
    }
}

/// The one message of a `200` response.
fn only_message(response: &HttpResponse) -> Result<Value, String> {
    if response.status != 200 {
        return Err(format!("expected 200, got {response}"));
    }
    match messages_of(response).as_slice() {
        [message] => Ok(message.clone()),
        _ => Err(format!("expected one message, got {response}")),
    }
}
