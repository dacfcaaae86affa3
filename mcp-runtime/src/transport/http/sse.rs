//! Server-Sent Events framing and responses.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// A `message` event carrying one JSON-RPC message.
pub(crate) fn message_event(json: &[u8]) -> Bytes {
    named_event("message", json)
}

/// An event with a name and one line of data.
pub(crate) fn named_event(name: &str, data: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(data.len() + name.len() + 16);
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\ndata: ");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\n\n");
    Bytes::from(out)
}

/// A comment line that keeps idle connections open through proxies.
pub(crate) fn keep_alive() -> Bytes {
    Bytes::from_static(b":\n\n")
}

/// Where an SSE handler writes its events.
pub(crate) type EventSender = mpsc::Sender<Result<Bytes, Infallible>>;

/// An SSE response and the sender feeding it. The stream ends when every sender is
/// dropped; a client that goes away closes the sender (see `EventSender::closed`).
pub(crate) fn stream() -> (EventSender, Response) {
    let (sender, receiver) = mpsc::channel(64);
    let body = Body::from_stream(ReceiverStream::new(receiver));
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    (sender, response)
}
