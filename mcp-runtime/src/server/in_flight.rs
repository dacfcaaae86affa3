//! The tool calls a client has in flight, by request id, for cancellation.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::protocol::RequestId;

/// The calls in flight for one client.
#[derive(Clone, Debug, Default)]
pub(crate) struct InFlight {
    calls: Arc<Mutex<Calls>>,
}

/// Cancellation tokens by request id. The ids come from the client, so the hash is
/// seeded per process; it is a fast one, since a client can only slow its own table.
type Calls = HashMap<RequestId, CancellationToken, foldhash::fast::RandomState>;

/// A call's place in [`InFlight`]; dropping it takes the call off the table.
#[derive(Debug)]
pub(crate) struct Registration {
    calls: InFlight,
    id: RequestId,
    token: CancellationToken,
    completed: bool,
}

impl InFlight {
    /// Registers a call; `None` if a call with this id is already in flight.
    pub(crate) fn register(&self, id: &RequestId) -> Option<Registration> {
        let mut calls = self.calls.lock().ok()?;
        if calls.contains_key(id) {
            return None;
        }
        let token = CancellationToken::new();
        calls.insert(id.clone(), token.clone());
        Some(Registration {
            calls: self.clone(),
            id: id.clone(),
            token,
            completed: false,
        })
    }

    /// Cancels the call with this id, if it is in flight.
    pub(crate) fn cancel(&self, id: &RequestId) {
        let token = self
            .calls
            .lock()
            .ok()
            .and_then(|calls| calls.get(id).cloned());
        if let Some(token) = token {
            tracing::debug!(%id, "cancelling");
            token.cancel();
        }
    }
}

impl InFlight {
    /// Cancels every call in flight (the client went away, or input ended and the
    /// drain timed out).
    pub(crate) fn cancel_all(&self) {
        if let Ok(calls) = self.calls.lock() {
            for token in calls.values() {
                token.cancel();
            }
        }
    }
}

impl Registration {
    /// The call's cancellation token.
    pub(crate) fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// The call has answered: leave the table without cancelling anything.
    pub(crate) fn complete(mut self) {
        self.completed = true;
    }
}

impl Drop for Registration {
    /// A registration dropped before its call completed means the call's task was
    /// dropped (a closed HTTP stream, a shutdown): fire the cancellation so work the tool
    /// handed elsewhere stops too.
    fn drop(&mut self) {
        if let Ok(mut calls) = self.calls.calls.lock() {
            calls.remove(&self.id);
        }
        if !self.completed {
            self.token.cancel();
        }
    }
}
