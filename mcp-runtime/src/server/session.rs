//! Legacy sessions: what an `initialize` handshake fixed for the rest of a connection.

use std::sync::Mutex;

use serde_json::Value;

use crate::protocol::ProtocolVersion;
use crate::protocol::meta::{Implementation, LogLevel};
use crate::server::changes::ListenerGuard;

/// What a legacy client negotiated.
#[derive(Clone, Debug)]
pub(crate) struct LegacyState {
    pub(crate) version: ProtocolVersion,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) client_capabilities: Value,
    pub(crate) log_level: Option<LogLevel>,
}

/// The legacy session of one connection (stdio) or one `Mcp-Session-Id` (HTTP).
#[derive(Debug, Default)]
pub(crate) struct Session {
    state: Mutex<Option<LegacyState>>,
    /// Where this session hears of tool-list changes, while it lasts.
    listener: Mutex<Option<ListenerGuard>>,
}

impl Session {
    /// The negotiated state, if `initialize` has been answered.
    pub(crate) fn state(&self) -> Option<LegacyState> {
        self.state.lock().ok().and_then(|state| state.clone())
    }

    /// Records a (re)negotiation.
    pub(crate) fn start(&self, state: LegacyState) {
        if let Ok(mut slot) = self.state.lock() {
            *slot = Some(state);
        }
    }

    /// Keeps the session's list-change listener registered while the session lives.
    pub(crate) fn listen(&self, guard: ListenerGuard) {
        if let Ok(mut slot) = self.listener.lock() {
            *slot = Some(guard);
        }
    }

    /// Sets the level of log messages the client wants (`logging/setLevel`).
    pub(crate) fn set_log_level(&self, level: LogLevel) {
        if let Ok(mut slot) = self.state.lock()
            && let Some(state) = slot.as_mut()
        {
            state.log_level = Some(level);
        }
    }
}
