//! The way back to the client: encoded messages queued for the transport's writer.

use tokio::sync::mpsc;

/// How many encoded messages may wait for the writer before senders wait too.
pub(crate) const OUTBOUND_QUEUE: usize = 1024;

/// A handle that queues encoded JSON-RPC messages for one connection's writer.
#[derive(Clone, Debug)]
pub(crate) struct Outbound {
    sender: Option<mpsc::Sender<Vec<u8>>>,
}

impl Outbound {
    /// A handle and the receiving end the transport's writer drains.
    pub(crate) fn channel() -> (Outbound, mpsc::Receiver<Vec<u8>>) {
        let (sender, receiver) = mpsc::channel(OUTBOUND_QUEUE);
        (
            Outbound {
                sender: Some(sender),
            },
            receiver,
        )
    }

    /// A handle that discards everything (a context with no client).
    pub(crate) fn discard() -> Outbound {
        Outbound { sender: None }
    }

    /// Queues one message without waiting; `false` when the connection is gone (a full
    /// queue drops the message but keeps the connection).
    pub(crate) fn try_send(&self, message: Vec<u8>) -> bool {
        match &self.sender {
            Some(sender) => !matches!(
                sender.try_send(message),
                Err(mpsc::error::TrySendError::Closed(_))
            ),
            None => false,
        }
    }

    /// Queues one message; a closed connection drops it (the client is gone).
    pub(crate) async fn send(&self, message: Vec<u8>) {
        if let Some(sender) = &self.sender
            && sender.send(message).await.is_err()
        {
            tracing::debug!("client gone; message dropped");
        }
    }
}
