//! One stream connection (stdio): messages in, replies and notifications out.

use tokio_util::task::TaskTracker;

use crate::protocol::jsonrpc::Incoming;
use crate::server::Server;
use crate::server::dispatch::{CallTask, Outcome, Peer, Reply};
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
            Outcome::Call(mut task) => {
                // A call that is done at its first poll (a synchronous tool) is answered
                // here, without a task of its own; the rest run concurrently.
                if let Some(reply) = poll_once(&mut task) {
                    if let Some(reply) = reply {
                        self.outbound.send(reply.bytes).await;
                    }
                    return;
                }
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

/// Polls a call once; its reply if it is already done (`Some(None)`: cancelled).
///
/// A call still running is polled again, with a real waker, by the task it moves into.
fn poll_once(task: &mut CallTask) -> Option<Option<Reply>> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match task.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(reply) => Some(reply),
        std::task::Poll::Pending => None,
    }
}
