//! What every HTTP handler shares.

use std::sync::Arc;

use tokio::sync::Semaphore;

use super::auth::Tokens;
use super::config::HttpConfig;
use super::drain::Drain;
use super::metrics::Metrics;
use super::network::NetworkPolicy;
use super::origin::OriginPolicy;
use super::sessions::SessionStore;
use crate::server::Server;

/// The state behind the router. Cloning (which axum does for every request and every
/// layer) is one reference count.
#[derive(Clone, Debug)]
pub(crate) struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) server: Server,
    pub(crate) tokens: Tokens,
    pub(crate) origins: Arc<OriginPolicy>,
    pub(crate) sessions: Arc<SessionStore>,
    pub(crate) drain: Drain,
    pub(crate) permits: Arc<Semaphore>,
    pub(crate) network: NetworkPolicy,
    pub(crate) metrics: Metrics,
}

impl AppState {
    pub(crate) fn new(server: Server, config: &HttpConfig) -> AppState {
        AppState(Arc::new(Shared {
            server,
            tokens: config.tokens.clone(),
            origins: Arc::new(OriginPolicy::new(&config.allowed_origins)),
            sessions: Arc::new(
                SessionStore::new(config.max_sessions, config.session_idle_timeout)
                    .with_prefix(config.replica_id.as_deref()),
            ),
            drain: Drain::default(),
            permits: Arc::new(Semaphore::new(config.max_concurrent_requests)),
            network: NetworkPolicy::new(&config.allow_ips, &config.trusted_proxies),
            metrics: Metrics::default(),
        }))
    }
}
