//! One stream connection (stdio): messages in, replies and notifications out.

use tokio_util::task::TaskTracker;

use crate::protocol::jsonrpc::Incoming;
use crate::server::Server;
use crate::server::dispatch::{Outcome, Peer};
use crate::server::outbound::Outbound;

/// A client connection over a byte stream: one peer, one queue back to the client.
#[derive(Debug)]
pub(crate) struct Connection {
    server: Server,
    peer: Peer,
    outbound: Outbound,
    tasks: TaskTracker,
}

impl Connection {
    pub(crate) fn new(server: Server, outbound: Outbound) -> Connection {
        Connection {
            server,
            peer: Peer::default(),
            outbound,
            tasks: TaskTracker::new(),
        }
    }

    /// Handles one received message (a stdio line). Tool calls run concurrently; their
    /// replies are queued when they finish.
    pub(crate) async fn receive(&self, bytes: &[u8]) {
        let message = Incoming::parse(bytes);
        match self.server.dispatch(message, &self.peer, &self.outbound) {
            Outcome::Reply(reply) => self.outbound.send(reply.bytes).await,
            Outcome::Call(task) => {
                let outbound = self.outbound.clone();
                self.tasks.spawn(async move {
                    if let Some(reply) = task.await {
                        outbound.send(reply.bytes).await;
                    }
                });
            }
            Outcome::Nothing => {}
        }
    }

    /// Waits until every tool call in flight has answered (or was cancelled).
    pub(crate) async fn finish(&self) {
        self.peer.closing.cancel();
        self.tasks.close();
        self.tasks.wait().await;
    }
}
