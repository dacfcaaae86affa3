//! A client of one legacy Streamable HTTP session.

use serde_json::{Value, json};

use super::{ACCEPT_BOTH, Headers, post_json};
use crate::Schema;
use crate::http::{HttpClient, HttpResponse};

/// A client of one legacy Streamable HTTP session (2025-03-26 to 2025-11-25) on `/mcp`.
#[derive(Debug)]
pub struct LegacySession {
    /// The HTTP client.
    pub client: HttpClient,
    /// The protocol revision.
    pub revision: String,
    /// The revision's schema.
    pub schema: &'static Schema,
    /// The session id the server assigned, once `initialize` succeeded.
    pub session_id: Option<String>,
    next_id: i64,
}

impl LegacySession {
    /// A session-to-be of `revision` with the server at `base`.
    pub fn new(base: &str, revision: &str) -> Self {
        Self {
            client: HttpClient::new(base),
            revision: revision.to_owned(),
            schema: Schema::for_revision(revision),
            session_id: None,
            next_id: 1,
        }
    }

    /// The headers of a POST: `Content-Type`, `Accept` ([`ACCEPT_BOTH`]), the session id
    /// once there is one and, from 2025-06-18 on, `MCP-Protocol-Version` after
    /// `initialize` (as those revisions require).
    pub fn headers(&self) -> Headers {
        let mut headers = Headers::new()
            .set("Content-Type", "application/json")
            .set("Accept", ACCEPT_BOTH);
        if let Some(id) = &self.session_id {
            headers = headers.set("Mcp-Session-Id", id);
            if self.revision.as_str() >= "2025-06-18" {
                headers = headers.set("MCP-Protocol-Version", &self.revision);
            }
        }
        headers
    }

    /// POSTs `message` to `/mcp` with [`LegacySession::headers`].
    #[track_caller]
    pub fn post(&self, message: &Value) -> HttpResponse {
        post_json(&self.client, "/mcp", &self.headers(), message)
    }

    /// The id the next request will get.
    pub fn peek_id(&self) -> i64 {
        self.next_id
    }

    /// Sends request `method` with the next id.
    #[track_caller]
    pub fn request(&mut self, method: &str, params: Value) -> HttpResponse {
        let id = self.next_id;
        self.next_id += 1;
        self.post(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
    }

    /// Sends notification `method` without params.
    #[track_caller]
    pub fn notify(&self, method: &str) -> HttpResponse {
        self.post(&json!({ "jsonrpc": "2.0", "method": method }))
    }

    /// Sends `initialize` for this revision and remembers the `Mcp-Session-Id` the
    /// response names, if any. Returns the response.
    #[track_caller]
    pub fn initialize(&mut self) -> HttpResponse {
        let params = json!({
            "protocolVersion": self.revision,
            "capabilities": {},
            "clientInfo": { "name": "http-test", "version": "0" },
        });
        let response = self.request("initialize", params);
        self.session_id = response.header("mcp-session-id").map(str::to_owned);
        response
    }

    /// `DELETE /mcp` with the session's headers.
    #[track_caller]
    pub fn delete(&self) -> HttpResponse {
        let headers = self.headers().remove("Content-Type");
        self.client.send("DELETE", "/mcp", &headers.pairs(), None)
    }
}
