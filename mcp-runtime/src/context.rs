//! [`Context`]: what a tool can know and do about the request it is serving.

use std::fmt;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use crate::certificate::ClientCertificate;
use crate::input::{Elicitation, InputError, InputRequest};
use crate::protocol::jsonrpc::notification_message;
use crate::protocol::meta::{Implementation, LogLevel};
use crate::protocol::{ProtocolVersion, RequestId};
use crate::server::Server;
use crate::server::client_requests::ClientRequests;
use crate::server::mrtr::InputState;
use crate::server::outbound::Outbound;
use crate::state::{State, States};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// The request a tool is serving: progress, logging, cancellation and the client.
///
/// Take it as a parameter in any position; it is recognised by its type and never
/// appears in the input schema. Cloning is cheap.
///
/// ```
/// use mcp::Context;
///
/// /// Count slowly, reporting progress.
/// #[mcp::tool]
/// async fn count(ctx: Context, to: u32) -> u32 {
///     for step in 1..=to {
///         if ctx.is_cancelled() {
///             break;
///         }
///         ctx.progress(f64::from(step), f64::from(to), "counting").await;
///     }
///     to
/// }
/// ```
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

/// Who the client authenticated as (HTTP bearer tokens); `None` without authentication.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    /// The name of the credential the client presented: for a bearer token, its label
    /// in the token file, `env` for `MCP_AUTH_TOKEN`, or `token-N` by line number.
    pub name: String,
}

/// Who sent a request, as the transport established it: a bearer token's identity, a
/// verified client certificate, both or neither. A legacy session belongs to the
/// caller that opened it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Caller {
    pub(crate) identity: Option<Identity>,
    pub(crate) certificate: Option<ClientCertificate>,
}

impl Caller {
    /// What input states are bound to: the token's name, else the certificate's
    /// subject.
    pub(crate) fn principal(&self) -> Option<String> {
        match (&self.identity, &self.certificate) {
            (Some(identity), _) => Some(identity.name.clone()),
            (None, Some(certificate)) => Some(format!("cert:{}", certificate.subject())),
            (None, None) => None,
        }
    }
}

struct Inner {
    request_id: Option<RequestId>,
    caller: Caller,
    version: ProtocolVersion,
    client_info: Option<Implementation>,
    client_capabilities: Value,
    progress_token: Option<Value>,
    log_level: Option<LogLevel>,
    cancellation: CancellationToken,
    outbound: Outbound,
    last_progress: Mutex<Option<f64>>,
    input: Option<Arc<InputState>>,
    client_requests: Option<Arc<ClientRequests>>,
    states: Arc<States>,
    server: Option<Server>,
}

/// Everything the dispatcher knows about a request when it builds its [`Context`].
pub(crate) struct RequestScope {
    pub(crate) request_id: RequestId,
    pub(crate) caller: Caller,
    pub(crate) version: ProtocolVersion,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) client_capabilities: Value,
    pub(crate) progress_token: Option<Value>,
    pub(crate) log_level: Option<LogLevel>,
    pub(crate) input: Option<Arc<InputState>>,
    pub(crate) client_requests: Arc<ClientRequests>,
    pub(crate) states: Arc<States>,
    pub(crate) server: Option<Server>,
}

impl Context {
    pub(crate) fn new(
        scope: RequestScope,
        cancellation: CancellationToken,
        outbound: Outbound,
    ) -> Context {
        Context {
            inner: Arc::new(Inner {
                request_id: Some(scope.request_id),
                caller: scope.caller,
                version: scope.version,
                client_info: scope.client_info,
                client_capabilities: scope.client_capabilities,
                progress_token: scope.progress_token,
                log_level: scope.log_level,
                cancellation,
                outbound,
                last_progress: Mutex::new(None),
                input: scope.input,
                client_requests: Some(scope.client_requests),
                states: scope.states,
                server: scope.server,
            }),
        }
    }

    /// A context connected to no client, for calling tools from your own tests:
    /// progress and log messages go nowhere and it is never cancelled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let ctx = mcp::Context::detached();
    /// ctx.progress(1.0, None, None).await;
    /// assert!(!ctx.is_cancelled());
    /// # }
    /// ```
    pub fn detached() -> Context {
        Context {
            inner: Arc::new(Inner {
                request_id: None,
                caller: Caller::default(),
                version: ProtocolVersion::LATEST,
                client_info: None,
                client_capabilities: Value::Object(Map::new()),
                progress_token: None,
                log_level: None,
                cancellation: CancellationToken::new(),
                outbound: Outbound::discard(),
                last_progress: Mutex::new(None),
                input: None,
                client_requests: None,
                states: Arc::default(),
                server: None,
            }),
        }
    }

    /// Reports progress: `done` so far out of `total` (when known), with a message.
    ///
    /// Sent only when the client asked for progress on this request; a value that does
    /// not increase on the last one is dropped, as the protocol requires.
    pub async fn progress<'a>(
        &self,
        done: f64,
        total: impl Into<Option<f64>>,
        message: impl Into<Option<&'a str>>,
    ) {
        let Some(token) = &self.inner.progress_token else {
            return;
        };
        if self.is_cancelled() || !self.advance_progress(done) {
            return;
        }
        let mut params = Map::new();
        params.insert("progressToken".into(), token.clone());
        params.insert("progress".into(), Value::from(done));
        if let Some(total) = total.into() {
            params.insert("total".into(), Value::from(total));
        }
        if let Some(message) = message.into() {
            params.insert("message".into(), Value::from(message));
        }
        let message = notification_message("notifications/progress", &Value::Object(params));
        self.inner.outbound.send(message).await;
    }

    fn advance_progress(&self, done: f64) -> bool {
        let Ok(mut last) = self.inner.last_progress.lock() else {
            return false;
        };
        if last.is_some_and(|last| done <= last) || !done.is_finite() {
            return false;
        }
        *last = Some(done);
        true
    }

    /// Sends a log message to the client, if it asked for messages of this level
    /// (`io.modelcontextprotocol/logLevel` in 2026-07-28, `logging/setLevel` before).
    pub async fn log(&self, level: LogLevel, data: impl Serialize) {
        let Some(threshold) = self.inner.log_level else {
            return;
        };
        if level < threshold || self.is_cancelled() {
            return;
        }
        let data = serde_json::to_value(data).unwrap_or(Value::Null);
        let params = serde_json::json!({ "level": level, "data": data });
        let message = notification_message("notifications/message", &params);
        self.inner.outbound.send(message).await;
    }

    /// Asks the client for input and returns its raw answer (an `ElicitResult`, a
    /// `CreateMessageResult`, a `ListRootsResult`).
    ///
    /// With a 2026-07-28 client the request is answered `input_required` and this call
    /// returns when the client retries with the answer; a client that did not declare
    /// the needed capability gets `-32021` instead. A legacy client is sent the request
    /// (`elicitation/create`, `sampling/createMessage`, `roots/list`) on its connection or
    /// session, and this call returns its response.
    pub async fn request_input(&self, request: InputRequest) -> Result<Value, InputError> {
        if let Some(input) = &self.inner.input {
            return match input.ask(&request) {
                Some(answer) => Ok(answer),
                None => std::future::pending().await,
            };
        }
        if self.inner.version.is_modern() {
            return Err(InputError::Unavailable(format!(
                "`{}` can only be asked while serving tools/call, prompts/get or resources/read",
                request.method
            )));
        }
        self.ask_legacy_client(request).await
    }

    /// A legacy client is asked with a server-to-client request on its connection.
    async fn ask_legacy_client(&self, request: InputRequest) -> Result<Value, InputError> {
        let Some(requests) = &self.inner.client_requests else {
            return Err(InputError::Unavailable("this context has no client".into()));
        };
        let version = self.inner.version;
        let first = match (request.method, request.is_url()) {
            ("elicitation/create", true) => ProtocolVersion::V2025_11_25,
            ("elicitation/create", false) => ProtocolVersion::V2025_06_18,
            _ => ProtocolVersion::V2024_11_05,
        };
        if version < first {
            return Err(InputError::Unavailable(format!(
                "`{}` does not exist in protocol {version} (the client's)",
                request.method
            )));
        }
        if let Some(required) = request.missing_capability(&self.inner.client_capabilities) {
            return Err(InputError::Unavailable(format!(
                "the client did not declare the `{}` capability (protocol {version})",
                InputRequest::capability_name(&required)
            )));
        }
        let url_mode = request.is_url();
        let mut params = request.params;
        if let Value::Object(params) = &mut params {
            if version < ProtocolVersion::V2025_11_25 {
                params.remove("mode");
            } else if url_mode {
                // 2025-11-25 correlates a URL elicitation by id (2026-07-28 dropped it).
                params.insert("elicitationId".into(), Value::from(elicitation_id()));
            }
        }
        tokio::select! {
            outcome = requests.send(&self.inner.outbound, request.method, &params) => {
                outcome.map_err(|error| InputError::Unavailable(format!("the client answered: {}", error.message)))
            }
            () = self.cancelled() => Err(InputError::Unavailable("the request was cancelled".into())),
        }
    }

    /// Asks the user to fill in a form described by `T`.
    ///
    /// ```
    /// /// What the user tells us.
    /// #[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]
    /// # #[serde(crate = "mcp::serde")] #[schemars(crate = "mcp::schemars")]
    /// struct Name {
    ///     name: String,
    /// }
    ///
    /// /// Greet the user by name.
    /// #[mcp::tool]
    /// async fn greet(ctx: mcp::Context) -> mcp::Result<String> {
    ///     match ctx.elicit::<Name>("What is your name?").await? {
    ///         mcp::Elicitation::Accept(form) => Ok(format!("Hello, {}!", form.name)),
    ///         _ => Ok("Hello, stranger!".into()),
    ///     }
    /// }
    /// ```
    pub async fn elicit<T: DeserializeOwned + JsonSchema>(
        &self,
        message: &str,
    ) -> Result<Elicitation<T>, InputError> {
        let answer = self
            .request_input(InputRequest::elicit::<T>(message))
            .await?;
        crate::input::elicitation(answer)
    }

    /// The shared value of type `T`, if the server has one (see [`State`]).
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<State<T>> {
        self.inner.states.get::<T>()
    }

    /// Asks the client's model for a completion of `prompt` (at most `max_tokens`) and
    /// returns its text.
    pub async fn sample(&self, prompt: &str, max_tokens: u32) -> Result<String, InputError> {
        let answer = self
            .request_input(InputRequest::sample(prompt, max_tokens))
            .await?;
        let blocks = match &answer["content"] {
            Value::Array(blocks) => blocks.clone(),
            block => vec![block.clone()],
        };
        let text: Vec<&str> = blocks
            .iter()
            .filter_map(|block| block.get("text").and_then(Value::as_str))
            .collect();
        if text.is_empty() {
            return Err(InputError::InvalidResponse(
                "the sampling result has no text content".into(),
            ));
        }
        Ok(text.join("\n"))
    }

    /// The client's roots: the URIs (usually `file://`) it lets the server work on.
    pub async fn roots(&self) -> Result<Vec<String>, InputError> {
        let answer = self.request_input(InputRequest::list_roots()).await?;
        let roots = answer["roots"].as_array().ok_or_else(|| {
            InputError::InvalidResponse("a roots/list result needs a `roots` array".into())
        })?;
        Ok(roots
            .iter()
            .filter_map(|root| root["uri"].as_str().map(str::to_owned))
            .collect())
    }

    /// Asks the user to open `url` (out-of-band: sign in, pay, enter a secret); the
    /// answer is whether they agreed. Needs the client capability `elicitation.url`.
    pub async fn elicit_url(
        &self,
        message: &str,
        url: &str,
    ) -> Result<Elicitation<()>, InputError> {
        let answer = self
            .request_input(InputRequest::elicit_url(message, url))
            .await?;
        match answer.get("action").and_then(Value::as_str) {
            Some("accept") => Ok(Elicitation::Accept(())),
            Some("decline") => Ok(Elicitation::Decline),
            Some("cancel") => Ok(Elicitation::Cancel),
            _ => Err(InputError::InvalidResponse(
                "an elicitation result needs `action`: accept, decline or cancel".into(),
            )),
        }
    }

    /// The server serving this request (to switch tools on and off, for example);
    /// `None` for a [`Context::detached`] one.
    pub fn server(&self) -> Option<&Server> {
        self.inner.server.as_ref()
    }

    /// Whether the client cancelled this request.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancellation.is_cancelled()
    }

    /// Completes when the client cancels this request.
    ///
    /// The server stops polling a cancelled tool's future, so this is mostly useful in
    /// work the tool hands elsewhere (a spawned task, a blocking thread).
    pub async fn cancelled(&self) {
        self.inner.cancellation.cancelled().await;
    }

    /// The protocol revision of this request.
    pub fn protocol_version(&self) -> ProtocolVersion {
        self.inner.version
    }

    /// The client's name and version, as it reported them.
    pub fn client_info(&self) -> Option<&Implementation> {
        self.inner.client_info.as_ref()
    }

    /// The capabilities the client declared (for this request in 2026-07-28, for the
    /// session before).
    pub fn client_capabilities(&self) -> &Value {
        &self.inner.client_capabilities
    }

    /// Who the client authenticated as, when the transport authenticates (HTTP with
    /// bearer tokens).
    pub fn identity(&self) -> Option<&Identity> {
        self.inner.caller.identity.as_ref()
    }

    /// The certificate the client proved it holds, over HTTPS with `--tls-client-ca`
    /// (mutual TLS); `None` otherwise.
    ///
    /// ```
    /// /// Say who is calling.
    /// #[mcp::tool]
    /// async fn whoami(ctx: mcp::Context) -> String {
    ///     match ctx.client_certificate() {
    ///         Some(cert) => cert.subject().to_owned(),
    ///         None => "anonymous".to_owned(),
    ///     }
    /// }
    /// ```
    pub fn client_certificate(&self) -> Option<&ClientCertificate> {
        self.inner.caller.certificate.as_ref()
    }

    /// The id of the request, `None` for a [`Context::detached`] one.
    pub fn request_id(&self) -> Option<&RequestId> {
        self.inner.request_id.as_ref()
    }
}

/// A fresh id for a 2025-11-25 URL elicitation.
fn elicitation_id() -> String {
    let mut bytes = [0u8; 16];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("request_id", &self.inner.request_id)
            .field("version", &self.inner.version)
            .field("client_info", &self.inner.client_info)
            .field("cancelled", &self.is_cancelled())
            .finish_non_exhaustive()
    }
}
