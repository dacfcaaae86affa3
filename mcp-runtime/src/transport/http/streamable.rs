//! `/mcp`: the Streamable HTTP endpoint, for both eras.
//!
//! A request with `Mcp-Session-Id` belongs to a legacy session; `initialize` opens one;
//! anything else is a stateless 2026-07-28 request whose headers must match its body.
//! A reply is one JSON object, unless the call sends notifications (progress, logs)
//! before it finishes and the client accepts `text/event-stream`: then the response is
//! an SSE stream of those notifications ending with the reply. A client that closes
//! the stream cancels the call.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::sync::mpsc;

use super::headers::{self, SESSION_ID};
use super::media::{self, Accepts};
use super::state::AppState;
use super::{metrics, sse};
use crate::arguments::Arguments;
use crate::context::Caller;
use crate::protocol::codes;
use crate::protocol::jsonrpc::{Incoming, UnreadId, error_message};
use crate::protocol::{RequestId, RpcError};
use crate::server::dispatch::{CallTask, Outcome, Peer, Reply};
use crate::server::outbound::Outbound;

/// Which rules shape the HTTP status of a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Era {
    Modern,
    Legacy,
}

/// `POST /mcp`, measured for `/metrics`.
pub(crate) async fn post(State(state): State<AppState>, request: Request) -> Response {
    let observation = state.metrics.start();
    let mut method = metrics::UNREAD;
    let response = answer(&state, request, &mut method).await;
    observation.finish(method, response.status());
    response
}

/// `POST /mcp`: `method` becomes the message's label once its body is parsed.
async fn answer(state: &AppState, mut request: Request, method_label: &mut usize) -> Response {
    if state.drain.is_draining() {
        return unavailable(
            headers::unread_id(request.headers()),
            "the server is shutting down; retry on another replica",
        );
    }
    let Ok(_permit) = state.permits.clone().try_acquire_owned() else {
        return unavailable(
            headers::unread_id(request.headers()),
            "too many requests in flight; retry shortly",
        );
    };
    // The headers are moved out rather than copied (the `HeaderMap` extractor clones).
    let headers = std::mem::take(request.headers_mut());
    let accepts = Accepts::of(&headers);
    if let Some(refusal) = media::unsupported_body(&headers).or_else(|| accepts.refusal()) {
        return refusal;
    }
    let caller = super::caller::take(request.extensions_mut());
    let body = match Bytes::from_request(request, state).await {
        Ok(body) => body,
        Err(rejection) => return rejection.into_response(),
    };
    let accepts_sse = accepts.event_stream();
    let message = Incoming::parse(&body);
    *method_label = metrics::method_label(&message);
    if let Some(session_id) = headers.get(SESSION_ID) {
        let session = session_id
            .to_str()
            .ok()
            .and_then(|id| state.sessions.get(id, &caller));
        return match session {
            Some(session) => {
                if let Err(error) = headers::check_legacy_version(&headers, &session.peer.session) {
                    let unread = session.peer.unread_id();
                    return error_response(StatusCode::BAD_REQUEST, message.id(), unread, &error);
                }
                exchange(state, &session.peer, message, accepts_sse, Era::Legacy).await
            }
            None => session_not_found(message.id(), headers::unread_id(&headers)),
        };
    }
    match &message {
        Incoming::Request { method, meta, .. }
            if method == "initialize" && !is_modern(&headers, meta) =>
        {
            return initialize(state, caller, message, accepts_sse).await;
        }
        Incoming::Request {
            id,
            method,
            params,
            meta,
            arguments,
        } => {
            let checked = headers::check_request(&headers, method, params, meta).and_then(|_| {
                let tool = (method == "tools/call")
                    .then(|| params.get("name").and_then(Value::as_str))
                    .flatten()
                    .and_then(|name| state.server.core().tools.get(name));
                match tool {
                    Some(tool) if !tool.def.param_headers.is_empty() => {
                        let arguments = Arguments::new(arguments.clone())?;
                        headers::check_param_headers(&headers, tool.def.param_headers, &arguments)
                    }
                    Some(_) => Ok(()),
                    None => Ok(()),
                }
            });
            if let Err(error) = checked {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    Some(id),
                    UnreadId::Omitted,
                    &error,
                );
            }
        }
        // Not a request at all: `400`, whatever the code (a modern request whose params are
        // not an object lacks the `_meta` it must have, and that is `400` too).
        Incoming::Invalid { id, error } => {
            tracing::debug!(code = error.code, error = %error.message, "invalid message");
            let unread = headers::unread_id(&headers);
            return error_response(StatusCode::BAD_REQUEST, id.as_ref(), unread, error);
        }
        Incoming::Notification { .. }
        | Incoming::IgnoredNotification { .. }
        | Incoming::Response { .. }
        | Incoming::Batch(_) => {}
    }
    let peer = Peer::for_caller(caller);
    exchange(state, &peer, message, accepts_sse, Era::Modern).await
}

/// Whether a request says it is 2026-07-28 or later (header or `_meta`): such a client
/// has no `initialize`, even if it sends one.
fn is_modern(headers: &HeaderMap, meta: &crate::protocol::meta::RequestMeta) -> bool {
    let header_modern = headers
        .get(headers::PROTOCOL_VERSION)
        .and_then(|value| value.to_str().ok())
        .and_then(crate::protocol::ProtocolVersion::parse)
        .is_some_and(crate::protocol::ProtocolVersion::is_modern);
    header_modern || meta.modern_version().is_some()
}

/// `initialize` without a session: opens one and names it in `Mcp-Session-Id`.
async fn initialize(
    state: &AppState,
    caller: Caller,
    message: Incoming,
    accepts_sse: bool,
) -> Response {
    let Ok((id, session)) = state.sessions.open(caller, None) else {
        return unavailable(UnreadId::Null, "too many sessions are open; retry shortly");
    };
    let mut response = exchange(state, &session.peer, message, accepts_sse, Era::Legacy).await;
    if session.peer.session.state().is_none() {
        state.sessions.close(&id);
        return response;
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(SESSION_ID, value);
    }
    tracing::debug!("legacy HTTP session opened");
    response
}

/// Dispatches one message and turns the outcome into a response.
async fn exchange(
    state: &AppState,
    peer: &Peer,
    message: Incoming,
    accepts_sse: bool,
    era: Era,
) -> Response {
    let (notify, queue) = Outbound::channel();
    match state.server.dispatch(message, peer, &notify) {
        Outcome::Nothing => StatusCode::ACCEPTED.into_response(),
        Outcome::Reply(reply) => reply_response(reply, era),
        Outcome::Call(task) => {
            drop(notify);
            let tracked = state.drain.track();
            if !accepts_sse {
                drop(queue);
                let reply = task.await;
                drop(tracked);
                return reply.map_or_else(
                    || StatusCode::NO_CONTENT.into_response(),
                    |r| reply_response(r, era),
                );
            }
            call_response(task, queue, era, tracked).await
        }
    }
}

/// Waits for the first of: a notification (answer with a stream) or the reply.
async fn call_response(
    mut task: CallTask,
    mut queue: mpsc::Receiver<Vec<u8>>,
    era: Era,
    tracked: tokio_util::task::task_tracker::TaskTrackerToken,
) -> Response {
    // A tool that finished drops its notifier, closing the queue: only a message that
    // actually arrives before the reply turns the response into a stream.
    let first = tokio::select! {
        biased;
        Some(first) = queue.recv() => first,
        reply = &mut task => {
            let pending: Vec<Vec<u8>> = std::iter::from_fn(|| queue.try_recv().ok()).collect();
            return match (reply, pending.is_empty()) {
                (None, _) => StatusCode::NO_CONTENT.into_response(),
                (Some(reply), true) => reply_response(reply, era),
                (Some(reply), false) => finished_stream(pending, reply),
            };
        }
    };
    let (sender, response) = sse::stream();
    tokio::spawn(async move {
        let _tracked = tracked;
        let mut open = true;
        if sender.send(Ok(sse::message_event(&first))).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                biased;
                () = sender.closed() => {
                    tracing::debug!("client closed the stream: cancelling the call");
                    return;
                }
                message = queue.recv(), if open => match message {
                    Some(message) => {
                        if sender.send(Ok(sse::message_event(&message))).await.is_err() {
                            return;
                        }
                    }
                    None => open = false,
                },
                reply = &mut task => {
                    while let Ok(message) = queue.try_recv() {
                        let _ = sender.send(Ok(sse::message_event(&message))).await;
                    }
                    if let Some(reply) = reply {
                        let _ = sender.send(Ok(sse::message_event(&reply.bytes))).await;
                    }
                    return;
                }
            }
        }
    });
    response
}

/// An SSE response for messages that are all known already.
fn finished_stream(notifications: Vec<Vec<u8>>, reply: Reply) -> Response {
    let mut body = Vec::new();
    for message in notifications.iter().chain(std::iter::once(&reply.bytes)) {
        body.extend_from_slice(&sse::message_event(message));
    }
    let (sender, response) = sse::stream();
    tokio::spawn(async move {
        let _ = sender.send(Ok(Bytes::from(body))).await;
    });
    response
}

/// `GET /mcp`: the server-to-client stream of a legacy session.
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    let (_, session) = match named_session(&state, &caller, &headers) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    if !Accepts::of(&headers).event_stream() {
        return (
            StatusCode::NOT_ACCEPTABLE,
            "the stream needs Accept: text/event-stream\n",
        )
            .into_response();
    }
    if session
        .stream_open
        .swap(true, std::sync::atomic::Ordering::AcqRel)
    {
        return (
            StatusCode::CONFLICT,
            "this session already has an open stream\n",
        )
            .into_response();
    }
    let (sender, response) = sse::stream();
    let closing = state.drain.streams_closing();
    let mut queue = session
        .standalone
        .lock()
        .ok()
        .and_then(|mut slot| slot.take());
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(KEEP_ALIVE);
        ticker.tick().await;
        loop {
            tokio::select! {
                () = closing.cancelled() => break,
                () = session.closed.cancelled() => break,
                () = sender.closed() => break,
                Some(message) = next_message(&mut queue) => {
                    if sender.send(Ok(sse::message_event(&message))).await.is_err() {
                        break;
                    }
                }
                _ = ticker.tick() => {
                    if sender.send(Ok(sse::keep_alive())).await.is_err() {
                        break;
                    }
                }
            }
        }
        // Messages sent while no stream is open wait for the next one.
        if let Ok(mut slot) = session.standalone.lock() {
            *slot = queue;
        }
        session
            .stream_open
            .store(false, std::sync::atomic::Ordering::Release);
    });
    response
}

/// The next message for a session's `GET` stream; never, for a session without a queue.
async fn next_message(queue: &mut Option<mpsc::Receiver<Vec<u8>>>) -> Option<Vec<u8>> {
    match queue {
        Some(queue) => queue.recv().await,
        None => std::future::pending().await,
    }
}

/// `DELETE /mcp`: ends a legacy session.
pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    let (session_id, session) = match named_session(&state, &caller, &headers) {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    session.peer.in_flight.cancel_all();
    state.sessions.close(&session_id);
    tracing::debug!("legacy HTTP session closed by the client");
    StatusCode::OK.into_response()
}

/// A session and the id it was named by.
type NamedSession = (String, std::sync::Arc<super::sessions::HttpSession>);

/// The legacy session a `GET` or `DELETE` names: `405` without `Mcp-Session-Id` (a
/// 2026-07-28 client has neither), `404` for one that is not open for this identity.
fn named_session(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
) -> Result<NamedSession, Box<Response>> {
    let Some(session_id) = headers.get(SESSION_ID).and_then(|v| v.to_str().ok()) else {
        return Err(Box::new(method_not_allowed()));
    };
    state
        .sessions
        .get(session_id, caller)
        .map(|session| (session_id.to_owned(), session))
        .ok_or_else(|| Box::new(session_not_found(None, headers::unread_id(headers))))
}

/// How often an idle stream sends a keep-alive comment.
pub(crate) const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(15);

/// The HTTP status for a reply: client errors are `400`, an unknown method is `404` for
/// modern clients, and everything else (including tool errors) is `200`.
pub(crate) fn status_for(error_code: Option<i64>, era: Era) -> StatusCode {
    match error_code {
        None => StatusCode::OK,
        Some(
            codes::PARSE_ERROR
            | codes::INVALID_REQUEST
            | codes::HEADER_MISMATCH
            | codes::MISSING_REQUIRED_CLIENT_CAPABILITY
            | codes::UNSUPPORTED_PROTOCOL_VERSION,
        ) => StatusCode::BAD_REQUEST,
        Some(codes::METHOD_NOT_FOUND) if era == Era::Modern => StatusCode::NOT_FOUND,
        Some(_) => StatusCode::OK,
    }
}

fn reply_response(reply: Reply, era: Era) -> Response {
    json_response(status_for(reply.error_code, era), reply.bytes)
}

pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An error reply as a response with `status`, to the message with `id` (`None`: not
/// read, written as `unread` says).
pub(crate) fn error_response(
    status: StatusCode,
    id: Option<&RequestId>,
    unread: UnreadId,
    error: &RpcError,
) -> Response {
    json_response(status, error_message(id, unread, error))
}

/// `404` for a message `id` that names a session that is not open.
fn session_not_found(id: Option<&RequestId>, unread: UnreadId) -> Response {
    let error = RpcError::new(
        codes::INVALID_REQUEST,
        "session not found: it ended or expired; send initialize again",
    );
    error_response(StatusCode::NOT_FOUND, id, unread, &error)
}

fn method_not_allowed() -> Response {
    let mut response = (
        StatusCode::METHOD_NOT_ALLOWED,
        "2026-07-28 has no GET or DELETE on the MCP endpoint; POST requests instead\n",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    response
}

/// `503` with `Retry-After: 1`: the request was not read.
pub(crate) fn unavailable(unread: UnreadId, message: &str) -> Response {
    let error = RpcError::new(codes::INTERNAL_ERROR, message);
    let mut response = error_response(StatusCode::SERVICE_UNAVAILABLE, None, unread, &error);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}
