//! `GET /metrics`: counters and gauges in the Prometheus text format (version 0.0.4),
//! behind the same origin check and bearer tokens as `/mcp`.
//!
//! Recording is a few relaxed atomic additions per request: a fixed table of methods
//! and outcomes (no map, no lock, no allocation), and a latency histogram with fixed
//! buckets.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::state::AppState;
use crate::protocol::jsonrpc::Incoming;

/// The method labels: the protocol's client-to-server methods, and what is not one.
const METHODS: [&str; 20] = [
    "initialize",
    "ping",
    "server/discover",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "logging/setLevel",
    "subscriptions/listen",
    // Anything else that parsed as a request.
    "other",
    "notification",
    "response",
    "batch",
    // No method to name: not JSON-RPC, or refused (draining, full) before it was read.
    "none",
];

const OTHER: usize = 15;
const NOTIFICATION: usize = 16;
const RESPONSE: usize = 17;
const BATCH: usize = 18;
const INVALID: usize = 19;
/// The label of a request refused before its body was read.
pub(crate) const UNREAD: usize = INVALID;

/// Outcomes, by the HTTP status of the reply.
const OUTCOMES: [&str; 3] = ["ok", "client_error", "server_error"];

/// Upper bounds of the latency buckets, in seconds (`+Inf` follows).
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What `/metrics` reports, shared by every handler.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    requests: [[AtomicU64; OUTCOMES.len()]; METHODS.len()],
    /// Requests per bucket (not cumulative; the last is `+Inf`).
    latency_buckets: [AtomicU64; BUCKETS.len() + 1],
    latency_nanos: AtomicU64,
    in_flight: AtomicI64,
    auth_failures: AtomicU64,
}

/// The method label of a parsed message.
pub(crate) fn method_label(message: &Incoming) -> usize {
    match message {
        Incoming::Request { method, .. } => METHODS[..OTHER]
            .iter()
            .position(|known| known == method)
            .unwrap_or(OTHER),
        Incoming::Notification { .. } | Incoming::IgnoredNotification { .. } => NOTIFICATION,
        Incoming::Response { .. } => RESPONSE,
        Incoming::Batch(_) => BATCH,
        Incoming::Invalid { .. } => INVALID,
    }
}

/// One request being measured: counted in flight until [`Observation::finish`] (or
/// drop, when the client went away first).
pub(crate) struct Observation<'a> {
    metrics: &'a Metrics,
    started: Instant,
}

impl Metrics {
    /// Starts measuring a request.
    pub(crate) fn start(&self) -> Observation<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Observation {
            metrics: self,
            started: Instant::now(),
        }
    }

    /// Counts a request refused for its bearer token.
    pub(crate) fn auth_failed(&self) {
        self.auth_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The text exposition, with the gauges the caller reads at scrape time.
    fn render(&self, sessions: usize, streams: usize) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str(
            "# HELP mcp_http_requests_total POST /mcp requests answered, by JSON-RPC method and HTTP outcome.\n\
             # TYPE mcp_http_requests_total counter\n",
        );
        for (method, outcomes) in METHODS.iter().zip(&self.requests) {
            for (outcome, count) in OUTCOMES.iter().zip(outcomes) {
                let count = count.load(Ordering::Relaxed);
                if count > 0 {
                    let _ = writeln!(
                        out,
                        "mcp_http_requests_total{{method=\"{method}\",outcome=\"{outcome}\"}} {count}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP mcp_http_request_duration_seconds Time from a POST /mcp request's arrival to its response (its headers, for a stream).\n\
             # TYPE mcp_http_request_duration_seconds histogram\n",
        );
        let mut cumulative = 0;
        for (index, bucket) in self.latency_buckets.iter().enumerate() {
            cumulative += bucket.load(Ordering::Relaxed);
            let bound = BUCKETS
                .get(index)
                .map_or_else(|| "+Inf".to_owned(), f64::to_string);
            let _ = writeln!(
                out,
                "mcp_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let seconds = self.latency_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "mcp_http_request_duration_seconds_sum {seconds}");
        let _ = writeln!(out, "mcp_http_request_duration_seconds_count {cumulative}");
        let in_flight = self.in_flight.load(Ordering::Relaxed).max(0);
        let gauges = [
            (
                "mcp_http_requests_in_flight",
                "POST /mcp requests being served (calls included).",
                in_flight.unsigned_abs(),
            ),
            (
                "mcp_sessions_open",
                "Legacy sessions open (Streamable HTTP and HTTP+SSE).",
                sessions as u64,
            ),
            (
                "mcp_streams_open",
                "Session streams open (GET /mcp and GET /sse).",
                streams as u64,
            ),
        ];
        for (name, help, value) in gauges {
            let _ = write!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n"
            );
        }
        let _ = write!(
            out,
            "# HELP mcp_auth_failures_total Requests refused for a missing or invalid bearer token.\n\
             # TYPE mcp_auth_failures_total counter\n\
             mcp_auth_failures_total {}\n",
            self.auth_failures.load(Ordering::Relaxed)
        );
        out
    }
}

impl Observation<'_> {
    /// Counts the request under `method` with its response's outcome and latency.
    pub(crate) fn finish(self, method: usize, status: StatusCode) {
        let metrics = self.metrics;
        let outcome = if status.is_server_error() {
            2
        } else if status.is_client_error() {
            1
        } else {
            0
        };
        if let Some(counter) = metrics
            .requests
            .get(method)
            .and_then(|outcomes| outcomes.get(outcome))
        {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        let elapsed = self.started.elapsed();
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|&bound| seconds <= bound)
            .unwrap_or(BUCKETS.len());
        metrics.latency_buckets[bucket].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        metrics.latency_nanos.fetch_add(nanos, Ordering::Relaxed);
        // `Drop` takes it out of flight.
    }
}

impl Drop for Observation<'_> {
    fn drop(&mut self) {
        self.metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(state): State<AppState>) -> Response {
    let (sessions, streams) = state.sessions.counts();
    let body = state.metrics.render(sessions, streams);
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_methods_and_what_is_not_one() {
        assert_eq!(METHODS[OTHER], "other");
        assert_eq!(METHODS[INVALID], "none");
        let call = Incoming::parse(br#"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#);
        assert_eq!(METHODS[method_label(&call)], "tools/call");
        let odd = Incoming::parse(br#"{"jsonrpc":"2.0","id":1,"method":"x/y"}"#);
        assert_eq!(method_label(&odd), OTHER);
        assert_eq!(method_label(&Incoming::parse(b"{")), INVALID);
    }

    #[test]
    fn counters_and_the_histogram_move_with_requests() {
        let metrics = Metrics::default();
        metrics.start().finish(4, StatusCode::OK);
        metrics.start().finish(4, StatusCode::BAD_REQUEST);
        let pending = metrics.start();
        metrics.auth_failed();
        let text = metrics.render(2, 1);
        assert!(text.contains("mcp_http_requests_total{method=\"tools/call\",outcome=\"ok\"} 1\n"));
        assert!(text.contains(
            "mcp_http_requests_total{method=\"tools/call\",outcome=\"client_error\"} 1\n"
        ));
        assert!(text.contains("mcp_http_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
        assert!(text.contains("mcp_http_request_duration_seconds_count 2\n"));
        assert!(text.contains("mcp_http_requests_in_flight 1\n"));
        assert!(text.contains("\nmcp_sessions_open 2\n"), "{text}");
        assert!(text.contains("\nmcp_streams_open 1\n"), "{text}");
        assert!(text.contains("mcp_auth_failures_total 1\n"));
        drop(pending);
        assert!(
            metrics
                .render(0, 0)
                .contains("mcp_http_requests_in_flight 0\n")
        );
    }
}
