//! HTTP load: keep-alive hyper connections, each driving a closed loop of
//! `add` calls (send, wait for and check the reply, send the next).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{ACCEPT, CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

use crate::phase::{self, CALL_TIMEOUT, CallError, Outcome, Plan};
use crate::protocol::{self, INITIALIZED, MODERN_VERSION, Protocol};

const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");
const SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");
const MCP_METHOD: HeaderName = HeaderName::from_static("mcp-method");
const MCP_NAME: HeaderName = HeaderName::from_static("mcp-name");
const JSON: HeaderValue = HeaderValue::from_static("application/json");
const ACCEPT_BOTH: HeaderValue = HeaderValue::from_static("application/json, text/event-stream");

/// One keep-alive connection to an MCP endpoint, past any handshake.
pub struct HttpClient {
    sender: SendRequest<Full<Bytes>>,
    path: String,
    host: HeaderValue,
    protocol: Protocol,
    version: Option<HeaderValue>,
    session: Option<HeaderValue>,
    body: Vec<u8>,
}

/// A reply as read off the wire.
struct Reply {
    status: StatusCode,
    is_sse: bool,
    session: Option<HeaderValue>,
    body: Bytes,
}

impl HttpClient {
    /// Connects (TCP_NODELAY) and, for a legacy server, opens a session.
    pub async fn connect(
        addr: SocketAddr,
        path: &str,
        protocol: &Protocol,
    ) -> Result<HttpClient, String> {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect {addr}: {e}"))?;
        Self::over(stream, addr, path, protocol).await
    }

    /// Like [`HttpClient::connect`], but retries every millisecond while the
    /// server is not listening yet, up to `within`.
    pub async fn connect_when_up(
        addr: SocketAddr,
        path: &str,
        protocol: &Protocol,
        within: Duration,
    ) -> Result<HttpClient, String> {
        let deadline = Instant::now() + within;
        loop {
            match TcpStream::connect(addr).await {
                Ok(stream) => return Self::over(stream, addr, path, protocol).await,
                Err(e) if Instant::now() >= deadline => {
                    return Err(format!("{addr} not accepting after {within:?}: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
            }
        }
    }

    async fn over(
        stream: TcpStream,
        addr: SocketAddr,
        path: &str,
        protocol: &Protocol,
    ) -> Result<HttpClient, String> {
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| format!("HTTP handshake with {addr}: {e}"))?;
        tokio::spawn(connection);
        let mut client = HttpClient {
            sender,
            path: path.to_owned(),
            host: HeaderValue::from_str(&addr.to_string()).map_err(|e| e.to_string())?,
            protocol: protocol.clone(),
            version: (*protocol == Protocol::Modern)
                .then_some(HeaderValue::from_static(MODERN_VERSION)),
            session: None,
            body: Vec::with_capacity(512),
        };
        if let Some(initialize) = protocol.initialize() {
            client.open_session(initialize).await?;
        }
        Ok(client)
    }

    /// The legacy handshake: `initialize`, keep the session id, send
    /// `notifications/initialized`.
    async fn open_session(&mut self, initialize: String) -> Result<(), String> {
        let reply = self
            .post(Bytes::from(initialize), false)
            .await
            .map_err(CallError::message)?;
        if reply.status != StatusCode::OK {
            return Err(format!(
                "initialize: HTTP {}: {}",
                reply.status,
                protocol::excerpt(&reply.body)
            ));
        }
        let json = protocol::reply_json(&reply.body, reply.is_sse)?;
        let version = protocol::negotiated_version(&json)?;
        self.version = Some(HeaderValue::from_str(&version).map_err(|e| e.to_string())?);
        self.session = reply.session;
        let ack = self
            .post(Bytes::from_static(INITIALIZED.as_bytes()), false)
            .await
            .map_err(CallError::message)?;
        if !ack.status.is_success() {
            return Err(format!(
                "notifications/initialized: HTTP {}: {}",
                ack.status,
                protocol::excerpt(&ack.body)
            ));
        }
        Ok(())
    }

    /// POSTs one message and reads the whole reply.
    async fn post(&mut self, body: Bytes, is_call: bool) -> Result<Reply, CallError> {
        let mut request = Request::post(self.path.as_str())
            .header(HOST, self.host.clone())
            .header(CONTENT_TYPE, JSON)
            .header(ACCEPT, ACCEPT_BOTH);
        if let Some(version) = &self.version {
            request = request.header(PROTOCOL_VERSION, version.clone());
        }
        if let Some(session) = &self.session {
            request = request.header(SESSION_ID, session.clone());
        }
        if is_call && self.protocol == Protocol::Modern {
            request = request
                .header(MCP_METHOD, HeaderValue::from_static("tools/call"))
                .header(MCP_NAME, HeaderValue::from_static("add"));
        }
        let request = request
            .body(Full::new(body))
            .map_err(|e| CallError::Transport(e.to_string()))?;
        let exchange = async {
            self.sender.ready().await?;
            let response = self.sender.send_request(request).await?;
            let status = response.status();
            let headers = response.headers();
            let is_sse = headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/event-stream"));
            let session = headers.get(SESSION_ID).cloned();
            let body = response.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>(Reply {
                status,
                is_sse,
                session,
                body,
            })
        };
        match tokio::time::timeout(CALL_TIMEOUT, exchange).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(e)) => Err(CallError::Transport(format!("HTTP: {e}"))),
            Err(_) => Err(CallError::Transport(format!(
                "no reply within {CALL_TIMEOUT:?}"
            ))),
        }
    }

    /// Calls `add(a = id, b = 0.5)` and checks the reply.
    pub async fn call(&mut self, id: u64) -> Result<(), CallError> {
        self.body.clear();
        self.protocol.write_call(id, id, &mut self.body);
        let body = Bytes::copy_from_slice(&self.body);
        let reply = self.post(body, true).await?;
        if reply.status != StatusCode::OK {
            return Err(CallError::Reply(format!(
                "call {id}: HTTP {}: {}",
                reply.status,
                protocol::excerpt(&reply.body)
            )));
        }
        protocol::check_call_reply(&reply.body, reply.is_sse, id, id).map_err(CallError::Reply)
    }
}

/// Opens `count` connections to the server at `addr`.
pub async fn connect_all(
    addr: SocketAddr,
    path: &str,
    protocol: &Protocol,
    count: usize,
) -> Result<Vec<HttpClient>, String> {
    let mut clients = Vec::with_capacity(count);
    for _ in 0..count {
        clients.push(HttpClient::connect(addr, path, protocol).await?);
    }
    Ok(clients)
}

/// Runs one phase: every client loops (call, check, next) until the plan's
/// calls are all taken. Returns the clients for the next phase.
pub async fn closed_loop(clients: Vec<HttpClient>, plan: Plan) -> (Vec<HttpClient>, Outcome) {
    let taken = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for mut client in clients {
        let taken = Arc::clone(&taken);
        workers.spawn(async move {
            let mut outcome = Outcome::default();
            loop {
                let offset = taken.fetch_add(1, Ordering::Relaxed);
                if !plan.wants(offset, started) {
                    break;
                }
                let sent = Instant::now();
                let result = client.call(plan.first_id + offset).await;
                outcome.latencies_ns.push(phase::nanos_since(sent));
                match result {
                    Ok(()) => {}
                    Err(CallError::Reply(e)) => outcome.fail(e),
                    Err(CallError::Transport(e)) => {
                        outcome.latencies_ns.pop();
                        outcome.fail(e);
                        break;
                    }
                }
            }
            (client, outcome)
        });
    }
    let mut total = Outcome::default();
    let mut clients = Vec::new();
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok((client, outcome)) => {
                clients.push(client);
                total.absorb(outcome);
            }
            Err(e) => total.fail(format!("load worker died: {e}")),
        }
    }
    total.wall = started.elapsed();
    total.next_id = plan.first_id + taken.load(Ordering::Relaxed);
    (clients, total)
}
