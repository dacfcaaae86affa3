//! Request ids: every HTTP request gets one, echoed in `X-Request-Id` on the response and
//! carried by every log line written while its handler runs (span `http_request`).
//!
//! A client's (or a proxy's) `X-Request-Id` is kept when it is 1 to 128 visible ASCII
//! characters; otherwise the server makes one: a random per-process prefix and a counter,
//! in hex, so ids from several replicas do not collide and no request pays a system call.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries the id, both ways.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming id kept, in bytes.
const MAX_LEN: usize = 128;

/// The layer in front of every route: finds or makes the request's id, runs the request
/// inside its span, and puts the id on the response, whatever its status.
pub(crate) async fn tag(request: Request, next: Next) -> Response {
    let id = RequestId::for_request(request.headers());
    // Disabled (filtered out by `RUST_LOG`), the span records nothing and costs a
    // cached interest check; the response is then served without instrumentation.
    let span = tracing::debug_span!(
        "http_request",
        request_id = %id.as_str(),
        method = %request.method(),
        path = %request.uri().path(),
    );
    let mut response = if span.is_disabled() {
        next.run(request).await
    } else {
        async move {
            let response = next.run(request).await;
            tracing::debug!(status = response.status().as_u16(), "request served");
            response
        }
        .instrument(span)
        .await
    };
    response.headers_mut().insert(REQUEST_ID, id.0);
    response
}

/// One request's id: visible ASCII, 1 to 128 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RequestId(HeaderValue);

impl RequestId {
    /// The request's own `X-Request-Id` when it is acceptable, else a new one.
    fn for_request(headers: &HeaderMap) -> RequestId {
        match headers.get(REQUEST_ID) {
            Some(value) if acceptable(value.as_bytes()) => RequestId(value.clone()),
            _ => RequestId::generate(),
        }
    }

    /// A new id: this process's random prefix, `-`, and the next value of its counter.
    fn generate() -> RequestId {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let text = format!("{:016x}-{count:x}", *PREFIX);
        // Hex digits and `-` are always a valid header value.
        RequestId(HeaderValue::try_from(text).unwrap_or(HeaderValue::from_static("-")))
    }

    fn as_str(&self) -> &str {
        // Both constructors keep to visible ASCII, which `to_str` accepts.
        self.0.to_str().unwrap_or_default()
    }
}

/// Random once per process: ids of replicas behind one balancer do not collide.
static PREFIX: LazyLock<u64> = LazyLock::new(|| {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_ok() {
        return u64::from_le_bytes(bytes);
    }
    // No randomness: the process id and the start time still tell processes apart.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos() as u64);
    (u64::from(std::process::id()) << 32) ^ nanos
});

/// Whether an incoming id is kept: 1 to [`MAX_LEN`] bytes of visible ASCII (no spaces,
/// no control characters), so it reads unambiguously in a log line.
fn acceptable(id: &[u8]) -> bool {
    !id.is_empty() && id.len() <= MAX_LEN && id.iter().all(u8::is_ascii_graphic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_for(header: Option<&[u8]>) -> RequestId {
        let mut headers = HeaderMap::new();
        if let Some(value) = header {
            headers.insert(REQUEST_ID, HeaderValue::from_bytes(value).unwrap());
        }
        RequestId::for_request(&headers)
    }

    #[test]
    fn an_incoming_id_of_visible_ascii_up_to_128_bytes_is_kept() {
        let longest = "x".repeat(MAX_LEN);
        for kept in ["abc-123", "a", "0f8e:{req}/42_~!", longest.as_str()] {
            assert_eq!(id_for(Some(kept.as_bytes())).as_str(), kept);
        }
    }

    #[test]
    fn an_unacceptable_incoming_id_is_replaced() {
        let too_long = "x".repeat(MAX_LEN + 1);
        for refused in [
            too_long.as_bytes(),
            b"",
            b"two words",
            b"tab\there",
            "caf\u{e9}".as_bytes(),
        ] {
            let id = id_for(Some(refused));
            assert_ne!(id.as_str().as_bytes(), refused);
            assert!(is_generated(&id), "{id:?}");
        }
        assert!(is_generated(&id_for(None)));
    }

    #[test]
    fn generated_ids_are_unique_share_the_process_prefix_and_pass_our_own_check() {
        let ids: Vec<RequestId> = (0..1000).map(|_| RequestId::generate()).collect();
        let unique: std::collections::HashSet<&str> = ids.iter().map(RequestId::as_str).collect();
        assert_eq!(unique.len(), ids.len());
        let prefix = format!("{:016x}-", *PREFIX);
        for id in &ids {
            assert!(id.as_str().starts_with(&prefix), "{id:?}");
            // A generated id forwarded to another replica is kept there.
            assert!(acceptable(id.0.as_bytes()), "{id:?}");
        }
    }

    fn is_generated(id: &RequestId) -> bool {
        let prefix = format!("{:016x}-", *PREFIX);
        id.as_str()
            .strip_prefix(&prefix)
            .is_some_and(|count| !count.is_empty() && count.bytes().all(|b| b.is_ascii_hexdigit()))
    }
}
