//! Multi-step HTTP scenarios run against the calculator server: a legacy Streamable
//! HTTP session, an HTTP+SSE session, TLS, a drain on SIGTERM, binding every interface,
//! and requests that could leak a token into the logs. Each checks every status and
//! validates every message against the official schema of its revision, and panics,
//! with the server's stderr, on the first deviation.

mod lifecycle;
mod sessions;
mod tls;

use std::time::Duration;

pub use lifecycle::{bind_every_interface, drain_on_sigterm, requests_carrying_a_token};
pub use sessions::{http_sse_session, legacy_session};
pub use tls::https_session;

/// How long one step of a scenario may wait for the server.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `id` is a session id as the server mints them: 32 hex digits.
pub fn is_hex_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}
