//! One client connection: reads messages, answers requests, runs tool calls.
//!
//! A connection holds the legacy session (if the client sent `initialize`), the
//! in-flight tool calls (for cancellation) and the queue back to the client. Which
//! revision serves a request is decided per request: modern `_meta` wins, then the
//! session's negotiated revision.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};

use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::context::{Context, RequestScope};
use crate::protocol::jsonrpc::{Incoming, error_message, result_message, result_value_message};
use crate::protocol::meta::{Implementation, LogLevel, modern_meta, progress_token};
use crate::protocol::{ProtocolVersion, RequestId, RpcError};
use crate::server::Server;
use crate::server::outbound::Outbound;
use crate::server::session::{LegacyState, Session};
use crate::tool::{ToolCall, ToolFuture};
use crate::tool_result::ToolResult;

type InFlight = Arc<Mutex<HashMap<RequestId, CancellationToken>>>;

/// A tool's dispatch function.
type ToolRunner = fn(ToolCall) -> ToolFuture;

/// A client connection to a [`Server`].
#[derive(Debug)]
pub(crate) struct Connection {
    server: Server,
    session: Arc<Session>,
    in_flight: InFlight,
    outbound: Outbound,
    tasks: TaskTracker,
}

impl Connection {
    pub(crate) fn new(server: Server, outbound: Outbound) -> Connection {
        Connection {
            server,
            session: Arc::default(),
            in_flight: InFlight::default(),
            outbound,
            tasks: TaskTracker::new(),
        }
    }

    /// Handles one received message (a stdio line).
    pub(crate) async fn receive(&self, bytes: &[u8]) {
        match Incoming::parse(bytes) {
            Incoming::Request { id, method, params } => self.request(id, &method, params).await,
            Incoming::Notification { method, params } => self.notification(&method, &params),
            Incoming::Response => {
                tracing::debug!("ignoring a response: this server sends no requests")
            }
            Incoming::Invalid { id, error } => {
                tracing::debug!(code = error.code, message = %error.message, "invalid message");
                self.outbound.send(error_message(id.as_ref(), &error)).await;
            }
        }
    }

    /// Waits until every tool call in flight has answered (or was cancelled).
    pub(crate) async fn finish(&self) {
        self.tasks.close();
        self.tasks.wait().await;
    }

    async fn request(&self, id: RequestId, method: &str, params: Map<String, Value>) {
        let reply = match self.scope(method, &params) {
            Err(error) => Err(error),
            Ok(scope) if method == "tools/call" => {
                return self.start_call(id, scope, params).await;
            }
            Ok(scope) => self.answer(method, &params, &scope),
        };
        let message = match reply {
            Ok(Answer::Prepared(json)) => result_message(&id, json),
            Ok(Answer::Built(result)) => result_value_message(&id, &result),
            Err(error) => error_message(Some(&id), &error),
        };
        self.outbound.send(message).await;
    }

    /// Decides which revision serves a request, and what the client said about itself.
    fn scope(&self, method: &str, params: &Map<String, Value>) -> Result<Scope, RpcError> {
        if method == "initialize" {
            return Ok(Scope::Handshake);
        }
        if let Some(meta) = modern_meta(params) {
            let meta = meta?;
            return Ok(Scope::Request(RequestScopeParts {
                version: meta.version,
                client_info: meta.client_info,
                client_capabilities: meta.client_capabilities,
                log_level: meta.log_level,
            }));
        }
        if let Some(state) = self.session.state() {
            return Ok(Scope::Request(RequestScopeParts {
                version: state.version,
                client_info: state.client_info,
                client_capabilities: state.client_capabilities,
                log_level: state.log_level,
            }));
        }
        if method == "ping" {
            return Ok(Scope::Request(RequestScopeParts {
                version: ProtocolVersion::LATEST_LEGACY,
                client_info: None,
                client_capabilities: Value::Object(Map::new()),
                log_level: None,
            }));
        }
        Err(RpcError::invalid_params(format!(
            "missing `_meta.{}`: a 2026-07-28 request names its protocol revision in `_meta`; \
             older clients must send `initialize` first",
            crate::protocol::meta::PROTOCOL_VERSION_KEY
        )))
    }

    fn answer(
        &self,
        method: &str,
        params: &Map<String, Value>,
        scope: &Scope,
    ) -> Result<Answer<'_>, RpcError> {
        let core = self.server.core();
        let parts = match scope {
            Scope::Handshake => return self.initialize(params).map(Answer::Built),
            Scope::Request(parts) => parts,
        };
        let version = parts.version;
        match method {
            "server/discover" if version.is_modern() => Ok(Answer::Prepared(core.discover())),
            "ping" if !version.is_modern() => Ok(Answer::Built(Value::Object(Map::new()))),
            "tools/list" => {
                if params.get("cursor").is_some_and(|cursor| !cursor.is_null()) {
                    return Err(RpcError::invalid_params(
                        "invalid cursor: this server returns every tool in one page",
                    ));
                }
                Ok(Answer::Prepared(core.tools_list(version)))
            }
            "logging/setLevel" if !version.is_modern() => {
                let level = params
                    .get("level")
                    .and_then(LogLevel::deserialize_value)
                    .ok_or_else(|| {
                        RpcError::invalid_params("`level` must be a log level such as \"info\"")
                    })?;
                self.session.set_log_level(level);
                Ok(Answer::Built(Value::Object(Map::new())))
            }
            _ => Err(RpcError::method_not_found(method)),
        }
    }

    /// Answers `initialize`: the client's revision if it is a legacy one we speak, else
    /// the newest legacy revision.
    fn initialize(&self, params: &Map<String, Value>) -> Result<Value, RpcError> {
        let requested = params
            .get("protocolVersion")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`protocolVersion` must be a string"))?;
        let version = ProtocolVersion::parse(requested)
            .filter(|version| !version.is_modern())
            .unwrap_or(ProtocolVersion::LATEST_LEGACY);
        let client_info = params
            .get("clientInfo")
            .and_then(|info| serde::Deserialize::deserialize(info).ok())
            .map(|info: Implementation| info);
        let client_capabilities = params
            .get("capabilities")
            .filter(|capabilities| capabilities.is_object())
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new()));
        tracing::debug!(%version, client = ?client_info, "legacy session started");
        self.session.start(LegacyState {
            version,
            client_info,
            client_capabilities,
            log_level: None,
        });
        Ok(self.server.core().initialize_result(version))
    }

    async fn start_call(&self, id: RequestId, scope: Scope, mut params: Map<String, Value>) {
        let Scope::Request(parts) = scope else {
            return;
        };
        let prepared = match self.prepare_call(&id, &mut params) {
            Ok(prepared) => prepared,
            Err(error) => {
                self.outbound.send(error_message(Some(&id), &error)).await;
                return;
            }
        };
        let (call, arguments) = prepared;
        let cancellation = CancellationToken::new();
        let duplicate = match self.in_flight.lock() {
            Ok(mut in_flight) => in_flight.insert(id.clone(), cancellation.clone()).is_some(),
            Err(_) => false,
        };
        if duplicate {
            let error = RpcError::invalid_request("a request with this id is already in flight");
            self.outbound.send(error_message(Some(&id), &error)).await;
            return;
        }
        let version = parts.version;
        let context = Context::new(
            RequestScope {
                request_id: id.clone(),
                version,
                client_info: parts.client_info,
                client_capabilities: parts.client_capabilities,
                progress_token: progress_token(&params),
                log_level: parts.log_level,
            },
            cancellation.clone(),
            self.outbound.clone(),
        );
        let future = call(ToolCall::new(arguments, context));
        let outbound = self.outbound.clone();
        let in_flight = Arc::clone(&self.in_flight);
        let server = self.server.clone();
        self.tasks.spawn(async move {
            let outcome = tokio::select! {
                biased;
                () = cancellation.cancelled() => None,
                outcome = CatchUnwind(future) => Some(outcome),
            };
            if let Ok(mut in_flight) = in_flight.lock() {
                in_flight.remove(&id);
            }
            let message = match outcome {
                None => {
                    tracing::debug!(%id, "tool call cancelled; no reply");
                    return;
                }
                Some(Ok(result)) => {
                    result_value_message(&id, &result.to_json(version, &server.core().info_json))
                }
                Some(Err(panic)) => {
                    tracing::error!(%id, panic = %panic, "a tool panicked");
                    let error =
                        RpcError::internal(format!("the tool failed unexpectedly: {panic}"));
                    error_message(Some(&id), &error)
                }
            };
            outbound.send(message).await;
        });
    }

    fn prepare_call(
        &self,
        id: &RequestId,
        params: &mut Map<String, Value>,
    ) -> Result<(ToolRunner, Map<String, Value>), RpcError> {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`name` must be the name of a tool"))?;
        let tool = self.server.core().tools.get(name).ok_or_else(|| {
            RpcError::invalid_params(format!("unknown tool `{name}`"))
                .with_data(serde_json::json!({ "name": name }))
        })?;
        tracing::debug!(%id, tool = name, "tool call");
        let arguments = match params.remove("arguments") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(arguments)) => arguments,
            Some(_) => return Err(RpcError::invalid_params("`arguments` must be an object")),
        };
        Ok((tool.def.call, arguments))
    }

    fn notification(&self, method: &str, params: &Map<String, Value>) {
        match method {
            "notifications/cancelled" => {
                let Some(id) = params
                    .get("requestId")
                    .cloned()
                    .and_then(RequestId::from_value)
                else {
                    return;
                };
                let token = self
                    .in_flight
                    .lock()
                    .ok()
                    .and_then(|in_flight| in_flight.get(&id).cloned());
                if let Some(token) = token {
                    tracing::debug!(%id, "cancelling");
                    token.cancel();
                }
            }
            _ => tracing::trace!(method, "notification"),
        }
    }
}

/// Which revision serves a request.
enum Scope {
    /// `initialize`: negotiation decides.
    Handshake,
    /// Any other request.
    Request(RequestScopeParts),
}

struct RequestScopeParts {
    version: ProtocolVersion,
    client_info: Option<Implementation>,
    client_capabilities: Value,
    log_level: Option<LogLevel>,
}

/// A reply's result: prepared JSON text, or a value built for this request.
enum Answer<'a> {
    Prepared(&'a str),
    Built(Value),
}

impl LogLevel {
    fn deserialize_value(value: &Value) -> Option<LogLevel> {
        serde::Deserialize::deserialize(value).ok()
    }
}

/// Polls a tool's future, turning a panic into an error message.
struct CatchUnwind(ToolFuture);

impl Future for CatchUnwind {
    type Output = Result<ToolResult, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let future = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_owned()
    }
}
