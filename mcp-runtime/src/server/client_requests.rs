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
    waiting: Mutex<Waiting>,
}

/// The requests waiting, by id.
#[derive(Debug, Default)]
struct Waiting {
    senders: HashMap<String, oneshot::Sender<Result<Value, RpcError>>>,
    /// The client is gone (end of input): no response can come any more.
    closed: bool,
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
            if waiting.closed {
                return Err(gone());
            }
            waiting.senders.insert(id.clone(), sender);
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
            waiting.senders.remove(&id);
        }
        outcome.unwrap_or_else(|_| Err(gone()))
    }

    /// The client is gone: every request waiting fails, and so does every later one
    /// (else a tool waiting for an answer would keep the server from ever finishing).
    pub(crate) fn close(&self) {
        let senders = match self.waiting.lock() {
            Ok(mut waiting) => {
                waiting.closed = true;
                std::mem::take(&mut waiting.senders)
            }
            Err(_) => return,
        };
        // Dropping a sender wakes its request with an error.
        drop(senders);
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
            .and_then(|mut waiting| waiting.senders.remove(id));
        match sender {
            Some(sender) => {
                let _ = sender.send(outcome);
            }
            None => tracing::debug!(id, "a response to no request of this server"),
        }
    }
}

fn gone() -> RpcError {
    RpcError::internal("the client went away")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_fail_once_the_client_is_gone() {
        let requests = std::sync::Arc::new(ClientRequests::default());
        let (outbound, mut queue) = Outbound::channel();
        let waiting = tokio::spawn({
            let requests = std::sync::Arc::clone(&requests);
            async move { requests.send(&outbound, "roots/list", &json!({})).await }
        });
        // The request went out; the client closes its end instead of answering.
        assert!(queue.recv().await.is_some());
        requests.close();
        let error = waiting.await.unwrap().unwrap_err();
        assert_eq!(error.message, "the client went away");
        let (outbound, mut queue) = Outbound::channel();
        let late = requests.send(&outbound, "roots/list", &json!({})).await;
        assert!(late.is_err());
        assert!(
            queue.try_recv().is_err(),
            "nothing is sent to a client that is gone"
        );
    }
}
