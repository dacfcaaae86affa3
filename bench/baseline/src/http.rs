//! HTTP: `POST /mcp`, one JSON-RPC message per request.
//!
//! Replies are `application/json`; a `count` call that asked for progress
//! gets a `text/event-stream` of its notifications and then its reply, as
//! the calculator sends it. Notifications are acknowledged with `202`.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::UnboundedReceiverStream;

use crate::protocol::{self, Count, Outcome};

/// Serves `POST /mcp` on `addr` until the process is stopped.
pub(crate) async fn serve(addr: SocketAddr) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?.tap_io(|stream| {
        // Replies are single small writes: never hold them back (Nagle).
        if let Err(error) = stream.set_nodelay(true) {
            eprintln!("baseline: cannot set TCP_NODELAY: {error}");
        }
    });
    eprintln!("baseline: listening on http://{addr}/mcp");
    axum::serve(listener, Router::new().route("/mcp", post(mcp))).await
}

async fn mcp(body: Bytes) -> Response {
    let mut reply = Vec::with_capacity(512);
    let outcome = protocol::handle(&body, &mut reply).expect("writing to memory cannot fail");
    match outcome {
        Outcome::Replied { status } => {
            json(StatusCode::from_u16(status).expect("a valid status"), reply)
        }
        Outcome::Silent => StatusCode::ACCEPTED.into_response(),
        Outcome::Count(call) if call.wants_progress() => event_stream(call),
        Outcome::Count(call) => json(StatusCode::OK, call.run(|_| {}).await),
    }
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let content_type = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    (status, content_type, body).into_response()
}

/// Streams a `count` call's progress notifications, then its reply, as SSE events.
fn event_stream(call: Count) -> Response {
    let (events, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        // A client that hung up just stops receiving.
        let reply = call
            .run(|message| drop(events.send(sse_event(message))))
            .await;
        let _ = events.send(sse_event(reply));
    });
    let body = Body::from_stream(UnboundedReceiverStream::new(receiver).map(Ok::<_, Infallible>));
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (headers, body).into_response()
}

fn sse_event(message: Vec<u8>) -> Vec<u8> {
    const PREFIX: &[u8] = b"event: message\ndata: ";
    let mut event = Vec::with_capacity(PREFIX.len() + message.len() + 2);
    event.extend_from_slice(PREFIX);
    event.extend_from_slice(&message);
    event.extend_from_slice(b"\n\n");
    event
}
