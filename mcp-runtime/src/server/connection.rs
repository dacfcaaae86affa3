//! One stream connection (stdio): messages in, replies and notifications out.

use tokio_util::task::TaskTracker;

use crate::protocol::jsonrpc::{Incoming, UnreadId};
use crate::protocol::{RpcError, codes};
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
    /// Calls running at once before new ones are refused.
    max_in_flight: usize,
}

impl Connection {
    pub(crate) fn new(server: Server, outbound: Outbound, max_in_flight: usize) -> Connection {
        Connection {
            server,
            peer: Peer::default(),
            outbound,
            tasks: TaskTracker::new(),
            max_in_flight,
        }
    }

    /// How errors name a message whose id could not be read, for this peer's revision.
    pub(crate) fn unread_id(&self) -> UnreadId {
        self.peer.unread_id()
    }

    /// Handles one received message (a stdio line): its reply, when there is one at
    /// once. Tool calls that are not done at their first poll run concurrently; their
    /// replies are queued on the connection's [`Outbound`] when they finish.
    pub(crate) fn receive(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let message = Incoming::parse(bytes);
        if let Incoming::Request { id, method, .. } = &message
            && self.tasks.len() >= self.max_in_flight
            && runs_user_code(method)
        {
            let error = RpcError::new(
                codes::INTERNAL_ERROR,
                "too many calls in flight; retry shortly",
            );
            return Some(Reply::error(id, &error).bytes);
        }
        match self.server.dispatch(message, &self.peer, &self.outbound) {
            Outcome::Reply(reply) => Some(reply.bytes),
            Outcome::Call(mut task) => {
                // A call that is done at its first poll (a synchronous tool) is answered
                // here, without a task of its own.
                if let Some(reply) = poll_once(&mut task) {
                    return reply.map(|reply| reply.bytes);
                }
                let outbound = self.outbound.clone();
                self.tasks.spawn(async move {
                    if let Some(reply) = task.await {
                        outbound.send(reply.bytes).await;
                    }
                });
                None
            }
            Outcome::Nothing => None,
        }
    }

    /// The input has ended: subscriptions end, requests to the client fail (no answer
    /// can come), and no new call starts.
    pub(crate) fn close(&self) {
        self.peer.closing.cancel();
        self.peer.requests.close();
        self.tasks.close();
    }

    /// Cancels every call still running (their replies are not sent).
    pub(crate) fn cancel_all(&self) {
        self.peer.in_flight.cancel_all();
    }

    /// Waits until every tool call in flight has answered (or was cancelled); call
    /// [`Connection::close`] first.
    pub(crate) async fn finished(&self) {
        self.tasks.wait().await;
    }
}

/// Whether requests of `method` run a tool, resource or prompt (and so may run long).
fn runs_user_code(method: &str) -> bool {
    matches!(method, "tools/call" | "resources/read" | "prompts/get")
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
