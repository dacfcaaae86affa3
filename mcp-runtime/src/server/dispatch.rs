//! Dispatch: from one parsed message to its answer, the same for every transport.
//!
//! Which revision serves a request is decided per request: modern `_meta` wins, then the
//! legacy session's negotiated revision. Quick requests are answered at once; a tool call
//! becomes a task whose reply comes when it finishes (or never, if it is cancelled).

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use serde_json::value::RawValue;

use crate::arguments::Arguments;
use crate::context::{Caller, Context, RequestScope};
use crate::protocol::jsonrpc::{
    Incoming, UnreadId, error_message, result_message, result_value_message,
};
use crate::protocol::meta::{Implementation, LogLevel, RequestMeta};
use crate::protocol::{ProtocolVersion, RequestId, RpcError};
use crate::server::in_flight::InFlight;
use crate::server::mrtr::{Binding, InputState, input_for, run_with_input};
use crate::server::outbound::Outbound;
use crate::server::session::{LegacyState, Session};
use crate::server::{Listing, Server};
use crate::tool::{ToolCall, ToolFuture};

/// What the requests of one client share: its legacy session and its calls in flight.
///
/// One per stdio process or legacy HTTP session; a fresh one for each stateless request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Peer {
    pub(crate) session: Arc<Session>,
    pub(crate) in_flight: InFlight,
    /// Who the client authenticated as.
    pub(crate) caller: Caller,
    /// Requests this server sent to the client, waiting for responses.
    pub(crate) requests: std::sync::Arc<crate::server::client_requests::ClientRequests>,
    /// Fires when the peer goes away (end of input): its subscriptions end.
    pub(crate) closing: CancellationToken,
    /// Where messages that belong to no request go (a legacy Streamable HTTP session's
    /// `GET` stream); `None` when that is the connection every reply takes (stdio,
    /// HTTP+SSE).
    pub(crate) standalone: Option<Outbound>,
}

impl Peer {
    #[cfg_attr(not(feature = "http"), allow(dead_code))] // used by the HTTP transport
    /// A new peer that authenticated as `caller`.
    pub(crate) fn for_caller(caller: Caller) -> Peer {
        Peer {
            caller,
            ..Peer::default()
        }
    }

    /// How errors to this peer name a message whose id could not be read.
    pub(crate) fn unread_id(&self) -> UnreadId {
        UnreadId::for_version(self.session.state().map(|state| state.version))
    }
}

/// An encoded reply, with its error code when it is an error (transports map codes to
/// statuses).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) bytes: Vec<u8>,
    #[cfg_attr(not(feature = "http"), allow(dead_code))] // used by the HTTP transport
    pub(crate) error_code: Option<i64>,
}

impl Reply {
    /// An error reply to the request `id`.
    pub(crate) fn error(id: &RequestId, error: &RpcError) -> Reply {
        Reply::invalid(Some(id), UnreadId::Omitted, error)
    }

    /// An error reply to a message whose id is `id`, or could not be read (`None`).
    pub(crate) fn invalid(id: Option<&RequestId>, unread: UnreadId, error: &RpcError) -> Reply {
        Reply {
            bytes: error_message(id, unread, error),
            error_code: Some(error.code),
        }
    }

    pub(crate) fn ok(bytes: Vec<u8>) -> Reply {
        Reply {
            bytes,
            error_code: None,
        }
    }
}

/// A running tool call: resolves to its reply, or `None` when it was cancelled.
pub(crate) type CallTask = Pin<Box<dyn Future<Output = Option<Reply>> + Send + 'static>>;

/// What to do with a message.
pub(crate) enum Outcome {
    /// Send this reply now.
    Reply(Reply),
    /// Run this task; send its reply when it has one.
    Call(CallTask),
    /// Nothing to send (a notification, or a response from the client).
    Nothing,
}

impl Server {
    /// Handles one message from `peer`; notifications the work emits go to `notify`.
    pub(crate) fn dispatch(&self, message: Incoming, peer: &Peer, notify: &Outbound) -> Outcome {
        match message {
            Incoming::Request {
                id,
                method,
                params,
                meta,
                arguments,
            } => self.request(id, &method, params, meta, arguments, peer, notify),
            Incoming::Notification { method, params } => {
                notification(&method, &params, peer);
                Outcome::Nothing
            }
            Incoming::Response { id, outcome } => {
                peer.requests.complete(&id, outcome);
                Outcome::Nothing
            }
            Incoming::IgnoredNotification { method, reason } => {
                tracing::debug!(method = &*method, reason, "notification ignored");
                Outcome::Nothing
            }
            Incoming::Batch(items) => self.dispatch_batch(items, peer, notify),
            Incoming::Invalid { id, error } => {
                tracing::debug!(code = error.code, error = %error.message, "invalid message");
                Outcome::Reply(Reply::invalid(id.as_ref(), peer.unread_id(), &error))
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn request(
        &self,
        id: RequestId,
        method: &str,
        params: Map<String, Value>,
        meta: RequestMeta,
        arguments: Option<Box<RawValue>>,
        peer: &Peer,
        notify: &Outbound,
    ) -> Outcome {
        if method == "initialize" && meta.modern_version().is_none() {
            return Outcome::Reply(match initialize(self, &params, &peer.session) {
                Ok(result) => {
                    let announce = peer.standalone.as_ref().unwrap_or(notify).clone();
                    let guard = self.core().listeners.add(announce, None);
                    peer.session.listen(guard);
                    Reply::ok(result_value_message(&id, &result))
                }
                Err(error) => Reply::error(&id, &error),
            });
        }
        let scope = match scope(self, method, meta, &peer.session) {
            Ok(scope) => scope,
            Err(error) => return Outcome::Reply(Reply::error(&id, &error)),
        };
        if method == "subscriptions/listen" && scope.version.is_modern() {
            return match self.listen(id.clone(), &params, peer, notify) {
                Ok(task) => Outcome::Call(task),
                Err(error) => Outcome::Reply(Reply::error(&id, &error)),
            };
        }
        if method == "resources/read" && !self.core().resources.is_empty() {
            return match self.start_read(id.clone(), scope, &params, peer, notify) {
                Ok(task) => Outcome::Call(task),
                Err(error) => Outcome::Reply(Reply::error(&id, &error)),
            };
        }
        if method == "completion/complete" && !self.core().completions.is_empty() {
            return match self.start_complete(id.clone(), &scope, &params) {
                Ok(task) => Outcome::Call(task),
                Err(error) => Outcome::Reply(Reply::error(&id, &error)),
            };
        }
        if method == "prompts/get" && !self.core().prompts.is_empty() {
            let started = crate::arguments::object(arguments).and_then(|arguments| {
                self.start_get_prompt(id.clone(), scope, &params, arguments, peer, notify)
            });
            return match started {
                Ok(task) => Outcome::Call(task),
                Err(error) => Outcome::Reply(Reply::error(&id, &error)),
            };
        }
        if method == "tools/call" {
            let started = Arguments::new(arguments).and_then(|arguments| {
                self.start_call(id.clone(), scope, params, arguments, peer, notify)
            });
            return match started {
                Ok(task) => Outcome::Call(task),
                Err(error) => Outcome::Reply(Reply::error(&id, &error)),
            };
        }
        Outcome::Reply(match self.answer(method, &params, &scope, &peer.session) {
            Ok(Answer::Prepared(json)) => Reply::ok(result_message(&id, json)),
            Ok(Answer::Built(result)) => Reply::ok(result_value_message(&id, &result)),
            Ok(Answer::Shared(json)) => Reply::ok(result_message(&id, &json)),
            Err(error) => Reply::error(&id, &error),
        })
    }

    fn answer(
        &self,
        method: &str,
        params: &Map<String, Value>,
        scope: &Scope,
        session: &Session,
    ) -> Result<Answer<'_>, RpcError> {
        let core = self.core();
        let version = scope.version;
        match method {
            "server/discover" if version.is_modern() => Ok(Answer::Prepared(core.discover())),
            "ping" if !version.is_modern() => Ok(Answer::Built(Value::Object(Map::new()))),
            "tools/list" => Ok(Answer::Shared(core.list_page(
                Listing::Tools,
                version,
                params,
            )?)),
            "resources/list" if !core.resources.is_empty() => Ok(Answer::Shared(core.list_page(
                Listing::Resources,
                version,
                params,
            )?)),
            "resources/templates/list" if !core.resources.is_empty() => Ok(Answer::Shared(
                core.list_page(Listing::Templates, version, params)?,
            )),
            "resources/subscribe" | "resources/unsubscribe"
                if !version.is_modern() && !core.resources.is_empty() =>
            {
                // Resources are fixed at startup, so a subscription never fires; it is
                // accepted for every URI the server can read.
                let uri = params.get("uri").and_then(Value::as_str).ok_or_else(|| {
                    RpcError::invalid_params("`uri` must be the URI of a resource")
                })?;
                if !core.resources.knows(uri) {
                    return Err(crate::server::resources::not_found(uri, version));
                }
                Ok(Answer::Built(Value::Object(Map::new())))
            }
            "prompts/list" if !core.prompts.is_empty() => Ok(Answer::Shared(core.list_page(
                Listing::Prompts,
                version,
                params,
            )?)),
            "logging/setLevel" if !version.is_modern() => {
                let level = params
                    .get("level")
                    .and_then(|level| LogLevel::deserialize(level).ok())
                    .ok_or_else(|| {
                        RpcError::invalid_params("`level` must be a log level such as \"info\"")
                    })?;
                session.set_log_level(level);
                Ok(Answer::Built(Value::Object(Map::new())))
            }
            _ => Err(RpcError::method_not_found(method)),
        }
    }

    fn start_call(
        &self,
        id: RequestId,
        scope: Scope,
        params: Map<String, Value>,
        arguments: Arguments,
        peer: &Peer,
        notify: &Outbound,
    ) -> Result<CallTask, RpcError> {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`name` must be the name of a tool"))?;
        let tool = self
            .core()
            .tools
            .get(name)
            .filter(|_| self.core().tool_switched_on(name))
            .ok_or_else(|| {
                RpcError::invalid_params(format!("unknown tool `{name}`"))
                    .with_data(serde_json::json!({ "name": name }))
            })?;
        tracing::debug!(%id, tool = name, "tool call");
        let run: ToolRunner = tool.def.call;
        let version = scope.version;
        let HandlerStart {
            registration,
            input,
            context,
        } = scope.start_handler(
            self,
            &id,
            &params,
            peer,
            notify,
            "tools/call",
            Cow::Borrowed(tool.def.name),
        )?;
        let future = run(ToolCall::new(arguments, context));
        let server = self.clone();
        Ok(Box::pin(async move {
            let outcome = run_with_input(&id, "tool", registration, future, input, &server).await?;
            let result = match outcome {
                Ok(result) => result,
                Err(panicked) => return Some(panicked),
            };
            let reply = result.reply_message(&id, version, &server.core().result_meta_json);
            Some(Reply::ok(reply))
        }))
    }
}

/// What running a handler (tool, resource, prompt) needs: its place among the calls in
/// flight, its input state (2026-07-28), and its [`Context`].
pub(crate) struct HandlerStart {
    pub(crate) registration: crate::server::in_flight::Registration,
    pub(crate) input: Option<(std::sync::Arc<InputState>, Binding)>,
    pub(crate) context: Context,
}

/// A tool's dispatch function.
type ToolRunner = fn(ToolCall) -> ToolFuture;

/// Which revision serves a request, and what the client said about itself.
pub(crate) struct Scope {
    pub(crate) version: ProtocolVersion,
    client_info: Option<Implementation>,
    client_capabilities: Value,
    log_level: Option<LogLevel>,
    /// The request's `_meta.progressToken`, if it asked for progress.
    progress_token: Option<Value>,
    states: std::sync::Arc<crate::state::States>,
    server: Option<Server>,
}

impl Scope {
    /// The input state of a request that may ask for input (2026-07-28 only), bound to
    /// its method, its target (tool or prompt name, resource URI) and the identity.
    pub(crate) fn input(
        &self,
        server: &Server,
        params: &Map<String, Value>,
        method: &'static str,
        target: Cow<'static, str>,
        peer: &Peer,
    ) -> Result<Option<(std::sync::Arc<InputState>, Binding)>, RpcError> {
        if !self.version.is_modern() {
            return Ok(None);
        }
        let binding = Binding {
            method,
            target,
            principal: peer.caller.principal(),
        };
        input_for(server, params, binding, &self.client_capabilities).map(Some)
    }

    /// Registers a handler's request and builds its input state and context.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_handler(
        self,
        server: &Server,
        id: &RequestId,
        params: &Map<String, Value>,
        peer: &Peer,
        notify: &Outbound,
        method: &'static str,
        target: Cow<'static, str>,
    ) -> Result<HandlerStart, RpcError> {
        let registration = peer.in_flight.register(id).ok_or_else(|| {
            RpcError::invalid_request("a request with this id is already in flight")
        })?;
        let input = self.input(server, params, method, target, peer)?;
        let state = input
            .as_ref()
            .map(|(state, _)| std::sync::Arc::clone(state));
        let context = self.into_context(id.clone(), peer, registration.token(), notify, state);
        Ok(HandlerStart {
            registration,
            input,
            context,
        })
    }

    /// The [`Context`] of a request served in this scope.
    pub(crate) fn into_context(
        self,
        id: RequestId,
        peer: &Peer,
        cancellation: CancellationToken,
        notify: &Outbound,
        input: Option<std::sync::Arc<crate::server::mrtr::InputState>>,
    ) -> Context {
        Context::new(
            RequestScope {
                request_id: id,
                caller: peer.caller.clone(),
                version: self.version,
                client_info: self.client_info,
                client_capabilities: self.client_capabilities,
                progress_token: self.progress_token,
                log_level: self.log_level,
                input,
                client_requests: std::sync::Arc::clone(&peer.requests),
                states: self.states,
                server: self.server,
            },
            cancellation,
            notify.clone(),
        )
    }
}

/// The scope of a request to `server`: its revision and client from modern `_meta`, else
/// from the legacy session.
fn scope(
    server: &Server,
    method: &str,
    meta: RequestMeta,
    session: &Session,
) -> Result<Scope, RpcError> {
    let progress_token = meta.progress_token();
    let states = std::sync::Arc::clone(&server.core().states);
    let server = Some(server.clone());
    if let Some(meta) = meta.into_modern() {
        let meta = meta?;
        return Ok(Scope {
            progress_token,
            version: meta.version,
            client_info: meta.client_info,
            client_capabilities: meta.client_capabilities,
            log_level: meta.log_level,
            states,
            server,
        });
    }
    if let Some(state) = session.state() {
        return Ok(Scope {
            progress_token,
            version: state.version,
            client_info: state.client_info,
            client_capabilities: state.client_capabilities,
            log_level: state.log_level,
            states,
            server,
        });
    }
    if method == "ping" {
        return Ok(Scope {
            progress_token,
            version: ProtocolVersion::LATEST_LEGACY,
            client_info: None,
            client_capabilities: Value::Object(Map::new()),
            log_level: None,
            states,
            server,
        });
    }
    Err(RpcError::invalid_params(format!(
        "missing `_meta.{}`: a 2026-07-28 request names its protocol revision in `_meta`; \
         older clients must send `initialize` first",
        crate::protocol::meta::PROTOCOL_VERSION_KEY
    )))
}

/// Answers `initialize`: the client's revision if it is a legacy one we speak, else the
/// newest legacy revision.
fn initialize(
    server: &Server,
    params: &Map<String, Value>,
    session: &Session,
) -> Result<Value, RpcError> {
    let requested = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::invalid_params("`protocolVersion` must be a string"))?;
    let version = ProtocolVersion::parse(requested)
        .filter(|version| !version.is_modern())
        .unwrap_or(ProtocolVersion::LATEST_LEGACY);
    let client_info: Option<Implementation> = params
        .get("clientInfo")
        .and_then(|info| Implementation::deserialize(info).ok());
    let client_capabilities = params
        .get("capabilities")
        .filter(|capabilities| capabilities.is_object())
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    tracing::debug!(%version, client = ?client_info, "legacy session started");
    session.start(LegacyState {
        version,
        client_info,
        client_capabilities,
        log_level: None,
    });
    Ok(server.core().initialize_result(version))
}

fn notification(method: &str, params: &Map<String, Value>, peer: &Peer) {
    match method {
        "notifications/cancelled" => {
            if let Some(id) = params
                .get("requestId")
                .cloned()
                .and_then(RequestId::from_value)
            {
                peer.in_flight.cancel(&id);
            }
        }
        _ => tracing::trace!(method, "notification"),
    }
}

/// A reply's result: prepared JSON text, or a value built for this request.
enum Answer<'a> {
    Prepared(&'a str),
    Shared(std::sync::Arc<str>),
    Built(Value),
}

use serde::Deserialize as _;
