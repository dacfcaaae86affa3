//! The 2024-11-05 HTTP+SSE transport: `GET /sse` opens a session's event stream, whose
//! first event names the endpoint (`/messages?sessionId=…`) where the client POSTs its
//! messages; every reply and notification arrives on the stream.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::state::AppState;
use super::streamable::{Era, KEEP_ALIVE, error_response, json_response, status_for, unavailable};
use super::{media, sse};
use crate::context::Caller;
use crate::protocol::RpcError;
use crate::protocol::codes;
use crate::protocol::jsonrpc::Incoming;
use crate::protocol::jsonrpc::UnreadId;
use crate::server::dispatch::Outcome;
use crate::server::outbound::Outbound;

/// `GET /sse`.
pub(crate) async fn open(State(state): State<AppState>, caller: Caller) -> Response {
    if state.drain.is_draining() {
        return unavailable(
            UnreadId::Null,
            "the server is shutting down; retry on another replica",
        );
    }
    let (outbound, mut queue) = Outbound::channel();
    let Ok((id, session)) = state.sessions.open(caller, Some(outbound)) else {
        return unavailable(UnreadId::Null, "too many sessions are open; retry shortly");
    };
    let (sender, response) = sse::stream();
    let endpoint = format!("/messages?sessionId={id}");
    let closing = state.drain.streams_closing();
    let sessions = state.sessions.clone();
    tokio::spawn(async move {
        if sender
            .send(Ok(sse::named_event("endpoint", endpoint.as_bytes())))
            .await
            .is_err()
        {
            sessions.close(&id);
            return;
        }
        let mut ticker = tokio::time::interval(KEEP_ALIVE);
        ticker.tick().await;
        loop {
            tokio::select! {
                biased;
                message = queue.recv() => match message {
                    Some(message) => {
                        if sender.send(Ok(sse::message_event(&message))).await.is_err() {
                            break;
                        }
                    }
                    None => break,
                },
                () = sender.closed() => break,
                () = session.closed.cancelled() => break,
                () = closing.cancelled() => break,
                _ = ticker.tick() => {
                    if sender.send(Ok(sse::keep_alive())).await.is_err() {
                        break;
                    }
                }
            }
        }
        session.peer.in_flight.cancel_all();
        sessions.close(&id);
        tracing::debug!("HTTP+SSE session closed");
    });
    response
}

/// The query of `POST /messages`.
#[derive(Deserialize)]
pub(crate) struct SessionQuery {
    #[serde(rename = "sessionId")]
    session_id: String,
}

/// `POST /messages?sessionId=…`: `202`, with the reply on the session's stream. What
/// Streamable HTTP would refuse with `400` (a message that is not valid JSON-RPC, a
/// batch) is refused here the same way, with the error in the body: the 2024-11-05 text
/// says nothing of errors, and a client learns of them at once.
pub(crate) async fn post_message(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<SessionQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if state.drain.is_draining() {
        return unavailable(
            UnreadId::Null,
            "the server is shutting down; retry on another replica",
        );
    }
    if let Some(refusal) = media::unsupported_body(&headers) {
        return refusal;
    }
    let session = state.sessions.get(&query.session_id, &caller);
    let Some((session, outbound)) = session.and_then(|s| s.outbound.clone().map(|o| (s, o))) else {
        let error = RpcError::new(
            codes::INVALID_REQUEST,
            "unknown sessionId: open a stream with GET /sse first",
        );
        return error_response(StatusCode::NOT_FOUND, None, UnreadId::Null, &error);
    };
    let message = Incoming::parse(&body);
    match state.server.dispatch(message, &session.peer, &outbound) {
        Outcome::Reply(reply) => {
            let status = status_for(reply.error_code, Era::Legacy);
            if status == StatusCode::BAD_REQUEST {
                return json_response(status, reply.bytes);
            }
            outbound.send(reply.bytes).await;
        }
        Outcome::Call(task) => {
            let tracked = state.drain.track();
            tokio::spawn(async move {
                let _tracked = tracked;
                if let Some(reply) = task.await {
                    outbound.send(reply.bytes).await;
                }
            });
        }
        Outcome::Nothing => {}
    }
    StatusCode::ACCEPTED.into_response()
}
