//! JSON-RPC batches: an array of messages answered by an array of replies. Only
//! 2025-03-26 has them; every other revision gets `-32600` for an array.

use serde_json::Value;

use crate::protocol::jsonrpc::Incoming;
use crate::protocol::{ProtocolVersion, RpcError};
use crate::server::Server;
use crate::server::dispatch::{Outcome, Peer, Reply};
use crate::server::outbound::Outbound;

impl Server {
    /// Dispatches each message of a batch; the replies come back together, in order.
    pub(crate) fn dispatch_batch(
        &self,
        items: Vec<Value>,
        peer: &Peer,
        notify: &Outbound,
    ) -> Outcome {
        let negotiated = peer.session.state().map(|state| state.version);
        if negotiated != Some(ProtocolVersion::V2025_03_26) {
            let error = RpcError::invalid_request(
                "JSON-RPC batches exist only in protocol revision 2025-03-26; send one message at a time",
            );
            return Outcome::Reply(Reply::error(None, &error));
        }
        let outcomes: Vec<Outcome> = items
            .into_iter()
            .map(|item| match Incoming::from_value(item) {
                Incoming::Batch(_) => {
                    let error = RpcError::invalid_request("a batch cannot contain a batch");
                    Outcome::Reply(Reply::error(None, &error))
                }
                message => self.dispatch(message, peer, notify),
            })
            .collect();
        Outcome::Call(Box::pin(async move {
            let mut replies = Vec::new();
            for outcome in outcomes {
                match outcome {
                    Outcome::Reply(reply) => replies.push(reply.bytes),
                    Outcome::Call(task) => replies.extend(task.await.map(|reply| reply.bytes)),
                    Outcome::Nothing => {}
                }
            }
            if replies.is_empty() {
                return None;
            }
            let mut bytes = vec![b'['];
            for (index, reply) in replies.iter().enumerate() {
                if index > 0 {
                    bytes.push(b',');
                }
                bytes.extend_from_slice(reply);
            }
            bytes.push(b']');
            Some(Reply::ok(bytes))
        }))
    }
}
