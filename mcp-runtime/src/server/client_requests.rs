//! Requests the server sends to a legacy client (elicitation, sampling, roots) and the
//! responses that come back on the same connection or session.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::protocol::jsonrpc::notification_message;
use crate::protocol::{RequestId, RpcError};
use crate::server::outbound::Outbound;

/// The server's requests waiting for the client's response.
#[derive(Debug, Default)]
pub(crate) struct ClientRequests {
    next: AtomicU64,
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<Value, RpcError>>>>,
}

impl ClientRequests {
    /// Sends `method` to the client through `outbound` and waits for its response.
    pub(crate) async fn send(
        &self,
        outbound: &Outbound,
        method: &str,
        params: &Value,
    ) -> Result<Value, RpcError> {
        let id = format!("mcp-server-{}", self.next.fetch_add(1, Ordering::Relaxed));
        let (sender, receiver) = oneshot::channel();
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(id.clone(), sender);
        }
        let mut message = notification_message(method, params);
        // A request is a notification with an id: add it in front of the closing brace.
        if message.last() == Some(&b'}') {
            message.pop();
            message.extend_from_slice(format!(",\"id\":{}}}", json!(id)).as_bytes());
        }
        outbound.send(message).await;
        let outcome = receiver.await;
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.remove(&id);
        }
        outcome.unwrap_or_else(|_| Err(RpcError::internal("the client went away")))
    }

    /// Delivers a response from the client; one for no waiting request is ignored.
    pub(crate) fn complete(&self, id: &RequestId, outcome: Result<Value, RpcError>) {
        let RequestId::String(id) = id else {
            tracing::debug!(%id, "a response to no request of this server");
            return;
        };
        let sender = self
            .waiting
            .lock()
            .ok()
            .and_then(|mut waiting| waiting.remove(id));
        match sender {
            Some(sender) => {
                let _ = sender.send(outcome);
            }
            None => tracing::debug!(id, "a response to no request of this server"),
        }
    }
}
