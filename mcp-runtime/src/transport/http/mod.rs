//! The HTTP transport: one port serving
//!
//! - `POST /mcp`: Streamable HTTP. 2026-07-28 requests are stateless and their headers
//!   are checked against the body; an `initialize` opens a legacy session
//!   (`Mcp-Session-Id`) served as its revision says, with `GET` and `DELETE /mcp`.
//! - `GET /sse` + `POST /messages`: the 2024-11-05 HTTP+SSE transport, for old clients.
//! - `GET /health`: `200` when ready, `503` while draining; never authenticated.
//!
//! Bearer tokens guard everything but `/health`; a browser `Origin` that is not allowed
//! gets `403`. On SIGTERM or Ctrl-C the server drains: `/health` turns `503`, calls in
//! flight finish (up to the drain timeout), streams close, and [`serve_http`] returns.

mod auth;
mod caller;
mod config;
mod drain;
mod front;
#[cfg(fuzzing)]
pub(crate) mod fuzz;
mod headers;
mod health;
mod legacy_sse;
mod listener;
mod media;
mod metrics;
mod network;
mod origin;
mod request_id;
mod router;
mod sessions;
mod sse;
mod state;
mod streamable;
#[cfg(feature = "tls")]
mod tls;

pub use auth::{Identity, Tokens};
pub(crate) use config::DEFAULT_BIND;
pub use config::{HttpConfig, TlsFiles};
pub use network::{IpNet, IpNetError};

use std::io;

use crate::server::Server;

/// Serves `server` over HTTP until SIGTERM or Ctrl-C, then drains and returns.
pub async fn serve_http(server: Server, config: HttpConfig) -> io::Result<()> {
    let shutdown = drain::signals();
    serve_http_until(server, config, shutdown).await
}

/// Serves `server` over HTTP until `shutdown` completes, then drains and returns.
pub async fn serve_http_until(
    server: Server,
    config: HttpConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    config.check().map_err(io::Error::other)?;
    let state = state::AppState::new(server, &config);
    let front = router::service(state.clone(), &config);
    listener::run(front, state, &config, shutdown).await
}
