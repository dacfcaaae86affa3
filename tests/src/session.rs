//! A client of one server process speaking one protocol revision.

use std::path::Path;

use serde_json::{Value, json};

use crate::{
    META_CLIENT_CAPABILITIES, META_CLIENT_INFO, META_PROTOCOL_VERSION, McpProcess, Schema,
    is_modern,
};

/// The answer to one request: the response and the messages that came before it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The JSON-RPC response (with `result` or `error`).
    pub response: Value,
    /// Messages received after sending the request and before its response, in order
    /// (notifications, and responses to other requests in flight).
    pub before: Vec<Value>,
}

impl Exchange {
    /// The `result` member of the response.
    ///
    /// # Panics
    ///
    /// Panics if the response is an error.
    #[track_caller]
    pub fn result(&self) -> &Value {
        self.response
            .get("result")
            .unwrap_or_else(|| panic!("expected a result, got {}", self.response))
    }

    /// The `error` member of the response.
    ///
    /// # Panics
    ///
    /// Panics if the response is a result.
    #[track_caller]
    pub fn error(&self) -> &Value {
        self.response
            .get("error")
            .unwrap_or_else(|| panic!("expected an error, got {}", self.response))
    }

    /// The `notifications/progress` messages received before the response.
    pub fn progress_notifications(&self) -> Vec<&Value> {
        self.before
            .iter()
            .filter(|message| message["method"] == "notifications/progress")
            .collect()
    }
}

/// A client of one server process speaking one protocol revision.
///
/// Requests get increasing integer ids. For the modern revision every request's
/// `params._meta` carries the protocol version, client capabilities and client info;
/// for legacy revisions none of that is added. Every message received is validated
/// against the revision's schema with [`Schema::validate_server_message`].
pub struct Session {
    /// The server process.
    pub process: McpProcess,
    schema: &'static Schema,
    revision: String,
    next_id: i64,
}

impl Session {
    /// Starts `program` for a session of `revision` (without any handshake).
    ///
    /// # Panics
    ///
    /// Panics if the process cannot be started or the schema cannot be loaded.
    pub fn start(program: &Path, revision: &str) -> Self {
        let process = McpProcess::spawn(program)
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        Self::from_process(process, revision)
    }

    /// A session of `revision` with a server already started (with arguments of its
    /// own, say), without any handshake.
    ///
    /// # Panics
    ///
    /// Panics if the schema cannot be loaded.
    pub fn from_process(process: McpProcess, revision: &str) -> Self {
        Self {
            process,
            schema: Schema::for_revision(revision),
            revision: revision.to_owned(),
            next_id: 1,
        }
    }

    /// The protocol revision of this session.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// Whether this session speaks the modern revision.
    pub fn is_modern(&self) -> bool {
        is_modern(&self.revision)
    }

    /// The schema of this session's revision.
    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// The `_meta` a modern request carries: protocol version, empty client
    /// capabilities and the client info `{"name": "raw", "version": "0"}`.
    pub fn modern_meta(&self) -> Value {
        json!({
            META_PROTOCOL_VERSION: self.revision,
            META_CLIENT_CAPABILITIES: {},
            META_CLIENT_INFO: { "name": "raw", "version": "0" },
        })
    }

    /// Returns the next request id.
    pub fn next_id(&mut self) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        json!(id)
    }

    /// Builds a request for this revision: for the modern revision the per-request
    /// fields of [`Session::modern_meta`] are merged into `params._meta` (keys already
    /// present in `params._meta` win, so tests can override or remove them with
    /// [`Session::request_with_meta`]).
    pub fn build_request(&mut self, method: &str, params: Value) -> Value {
        let mut params = match params {
            Value::Null => json!({}),
            params => params,
        };
        if self.is_modern() {
            let mut meta = self.modern_meta();
            if let Some(given) = params.get("_meta").and_then(Value::as_object) {
                for (key, value) in given {
                    meta[key] = value.clone();
                }
            }
            params["_meta"] = meta;
        }
        let id = self.next_id();
        json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
    }

    /// Sends a request built with [`Session::build_request`] and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Exchange {
        let request = self.build_request(method, params);
        self.send_request(&request)
    }

    /// Sends a request whose `params._meta` is exactly `meta` (nothing added).
    pub fn request_with_meta(&mut self, method: &str, mut params: Value, meta: Value) -> Exchange {
        if params.is_null() {
            params = json!({});
        }
        params["_meta"] = meta;
        let id = self.next_id();
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_request(&request)
    }

    /// Sends `request` as is and waits for the response with its id, validating every
    /// message received.
    pub fn send_request(&mut self, request: &Value) -> Exchange {
        self.process.send(request);
        self.wait_response(&request["id"])
    }

    /// Waits for the response with id `id`, validating every message received.
    pub fn wait_response(&mut self, id: &Value) -> Exchange {
        let (response, before) = self.process.recv_response(id);
        for message in before.iter().chain(std::iter::once(&response)) {
            self.check_message(message);
        }
        Exchange { response, before }
    }

    /// Validates one server message against the schema, panicking with the violation
    /// and the server's stderr.
    #[track_caller]
    pub fn check_message(&self, message: &Value) {
        if let Err(violation) = self.schema.validate_server_message(message) {
            panic!("{violation}\n{}", self.process.describe());
        }
    }

    /// Validates `value` against `definition`, panicking with the violation.
    #[track_caller]
    pub fn check(&self, definition: &str, value: &Value) {
        if let Err(violation) = self.schema.validate(definition, value) {
            panic!("{violation}\n{}", self.process.describe());
        }
    }

    /// Validates `part` (a piece of `message`, such as its `result`) against
    /// `definition`, panicking with the violation, the whole message and the server's
    /// stderr.
    #[track_caller]
    pub fn check_part(&self, definition: &str, part: &Value, message: &Value) {
        if let Err(violation) = self.schema.validate(definition, part) {
            panic!(
                "{violation}\nin message: {message}\n{}",
                self.process.describe()
            );
        }
    }

    /// Sends a notification as is (`params` omitted when null).
    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.process.send(&message);
    }

    /// Sends a request expected to succeed, checks that its result matches
    /// `result_definition` and returns the exchange.
    #[track_caller]
    pub fn expect_result(
        &mut self,
        method: &str,
        params: Value,
        result_definition: &str,
    ) -> Exchange {
        let exchange = self.request(method, params);
        assert!(
            exchange.response.get("result").is_some(),
            "{method}: expected a result, got {}\n{}",
            exchange.response,
            self.process.describe()
        );
        self.check_part(result_definition, exchange.result(), &exchange.response);
        exchange
    }

    /// Opens the session: `initialize` with this revision then
    /// `notifications/initialized` for a legacy revision, `server/discover` for the
    /// modern one. Returns the `InitializeResult` / `DiscoverResult`, validated.
    pub fn open(&mut self) -> Value {
        if self.is_modern() {
            let exchange = self.expect_result("server/discover", json!({}), "DiscoverResult");
            exchange.result().clone()
        } else {
            let params = json!({
                "protocolVersion": self.revision,
                "capabilities": {},
                "clientInfo": { "name": "raw", "version": "0" },
            });
            let exchange = self.expect_result("initialize", params, "InitializeResult");
            self.notify("notifications/initialized", Value::Null);
            exchange.result().clone()
        }
    }
}
