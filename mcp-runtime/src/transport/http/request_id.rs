//! Request ids: every HTTP request gets one, echoed in `X-Request-Id` on the response and
//! carried by every log line written while its handler runs (span `http_request`).
//!
//! A client's (or a proxy's) `X-Request-Id` is kept when it is 1 to 128 visible ASCII
//! characters; otherwise the server makes one: a random per-process prefix and a counter,
//! in hex, so ids from several replicas do not collide and no request pays a system call.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

/// The header that carries the id, both ways.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest incoming id kept, in bytes.
const MAX_LEN: usize = 128;

/// One request's id: visible ASCII, 1 to 128 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestId(HeaderValue);

impl RequestId {
    /// The request's own `X-Request-Id` when it is acceptable, else a new one.
    pub(crate) fn for_request(headers: &HeaderMap) -> RequestId {
        match headers.get(REQUEST_ID) {
            Some(value) if acceptable(value.as_bytes()) => RequestId(value.clone()),
            _ => RequestId::generate(),
        }
    }

    /// A new id: this process's random prefix, `-`, and the next value of its counter.
    fn generate() -> RequestId {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        // Written into a fixed buffer: the header value is the only allocation.
        let mut text = [0u8; GENERATED_MAX];
        let len = render(*PREFIX, count, &mut text);
        // Hex digits and `-` are always a valid header value.
        RequestId(HeaderValue::from_bytes(&text[..len]).unwrap_or(HeaderValue::from_static("-")))
    }

    /// `response` with this id in its `X-Request-Id` header.
    pub(crate) fn tag(self, mut response: Response) -> Response {
        response.headers_mut().insert(REQUEST_ID, self.0);
        response
    }

    pub(crate) fn as_str(&self) -> &str {
        // Both constructors keep to visible ASCII, which `to_str` accepts.
        self.0.to_str().unwrap_or_default()
    }
}

/// The longest generated id: 16 hex digits, `-`, up to 16 more.
const GENERATED_MAX: usize = 33;

/// Writes `{prefix:016x}-{count:x}` into `out`, returning its length.
fn render(prefix: u64, count: u64, out: &mut [u8; GENERATED_MAX]) -> usize {
    write_hex(&mut out[..16], prefix);
    out[16] = b'-';
    let digits = (u64::BITS - count.leading_zeros()).div_ceil(4).max(1) as usize;
    write_hex(&mut out[17..17 + digits], count);
    17 + digits
}

/// Writes the low `4 × out.len()` bits of `value` into `out` as lowercase hex digits.
fn write_hex(out: &mut [u8], mut value: u64) {
    for digit in out.iter_mut().rev() {
        *digit = b"0123456789abcdef"[(value & 0xf) as usize];
        value >>= 4;
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

    #[test]
    fn generated_ids_read_as_prefix_dash_counter_in_hex() {
        let mut out = [0u8; GENERATED_MAX];
        for (prefix, count) in [
            (0, 0),
            (0xabc, 1),
            (u64::MAX, 15),
            (1 << 60, 16),
            (7, u64::MAX),
        ] {
            let len = render(prefix, count, &mut out);
            assert_eq!(&out[..len], format!("{prefix:016x}-{count:x}").as_bytes());
        }
    }

    fn is_generated(id: &RequestId) -> bool {
        let prefix = format!("{:016x}-", *PREFIX);
        id.as_str()
            .strip_prefix(&prefix)
            .is_some_and(|count| !count.is_empty() && count.bytes().all(|b| b.is_ascii_hexdigit()))
    }
}
