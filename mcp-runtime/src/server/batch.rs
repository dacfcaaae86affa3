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
            return Outcome::Reply(Reply::invalid(None, peer.unread_id(), &error));
        }
        let outcomes: Vec<Outcome> = items
            .into_iter()
            .map(|item| match Incoming::from_value(item) {
                Incoming::Batch(_) => {
                    let error = RpcError::invalid_request("a batch cannot contain a batch");
                    Outcome::Reply(Reply::invalid(None, peer.unread_id(), &error))
                }
                message => self.dispatch(message, peer, notify),
            })
            .collect();
        // Notifications only: nothing to answer (an HTTP `202`, as for one notification).
        if outcomes
            .iter()
            .all(|outcome| matches!(outcome, Outcome::Nothing))
        {
            return Outcome::Nothing;
        }
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

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use super::*;
    use crate::server::session::LegacyState;

    fn peer(version: ProtocolVersion) -> Peer {
        let peer = Peer::default();
        peer.session.start(LegacyState {
            version,
            client_info: None,
            client_capabilities: Value::Object(Map::new()),
            log_level: None,
        });
        peer
    }

    fn batch(text: &str) -> Vec<Value> {
        serde_json::from_str(text).unwrap()
    }

    #[tokio::test]
    async fn a_batch_is_answered_in_order_without_its_notifications() {
        let server = Server::builder().build().unwrap();
        let (notify, _queue) = Outbound::channel();
        let items = batch(
            r#"[{"jsonrpc":"2.0","id":1,"method":"ping"},
                {"jsonrpc":"2.0","method":"notifications/x"},
                {"jsonrpc":"2.0","id":2,"method":"nope"}, 5]"#,
        );
        let peer = peer(ProtocolVersion::V2025_03_26);
        let Outcome::Call(task) = server.dispatch_batch(items, &peer, &notify) else {
            panic!("a batch with requests is answered");
        };
        let reply = task.await.unwrap();
        let replies: Value = serde_json::from_slice(&reply.bytes).unwrap();
        let ids: Vec<&Value> = replies
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["id"])
            .collect();
        assert_eq!(ids, [&json!(1), &json!(2), &Value::Null], "{replies}");
        assert_eq!(replies[1]["error"]["code"], -32601, "{replies}");
        assert_eq!(replies[2]["error"]["code"], -32600, "{replies}");
    }

    #[test]
    fn a_batch_of_notifications_gets_no_reply() {
        let server = Server::builder().build().unwrap();
        let (notify, _queue) = Outbound::channel();
        let items = batch(
            r#"[{"jsonrpc":"2.0","method":"notifications/x"},
                {"jsonrpc":"2.0","method":"notifications/y","params":[1]}]"#,
        );
        let peer = peer(ProtocolVersion::V2025_03_26);
        let outcome = server.dispatch_batch(items, &peer, &notify);
        assert!(matches!(outcome, Outcome::Nothing));
    }

    #[test]
    fn other_revisions_refuse_batches() {
        let server = Server::builder().build().unwrap();
        let (notify, _queue) = Outbound::channel();
        for peer in [Peer::default(), peer(ProtocolVersion::V2025_06_18)] {
            let items = batch(r#"[{"jsonrpc":"2.0","method":"notifications/x"}]"#);
            let Outcome::Reply(reply) = server.dispatch_batch(items, &peer, &notify) else {
                panic!("a refused batch is answered at once");
            };
            assert_eq!(reply.error_code, Some(-32600));
        }
    }
}
