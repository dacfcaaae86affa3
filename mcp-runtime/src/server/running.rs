//! Running a request's handler (a tool, a resource read, a prompt): cancellation and
//! panics handled the same way for all.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use crate::protocol::{RequestId, RpcError};
use crate::server::dispatch::Reply;
use crate::server::in_flight::Registration;

/// Runs `future` for request `id`: `None` when the client cancelled it (nothing is sent
/// for a cancelled request), `Some(Err(reply))` when it panicked (an internal error
/// naming `what`), else its output.
pub(crate) async fn run_handler<T>(
    id: &RequestId,
    what: &str,
    registration: Registration,
    future: Pin<Box<dyn Future<Output = T> + Send>>,
) -> Option<Result<T, Reply>> {
    let cancellation = registration.token();
    // Cancellation wins when both are ready. The handler is polled before the
    // cancellation is waited on, so a call done at its first poll never registers a
    // waiter on the token (a lock and an unlock).
    let mut cancelled = std::pin::pin!(cancellation.cancelled());
    let mut call = CatchUnwind(future);
    let outcome = std::future::poll_fn(|cx| {
        if cancellation.is_cancelled() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(outcome) = Pin::new(&mut call).poll(cx) {
            return Poll::Ready(Some(outcome));
        }
        cancelled.as_mut().poll(cx).map(|()| None)
    })
    .await;
    let Some(outcome) = outcome else {
        tracing::debug!(%id, method = method_of(what), "{what} cancelled; no reply");
        return None;
    };
    match outcome {
        Ok(value) => {
            registration.complete();
            Some(Ok(value))
        }
        Err(panic) => {
            tracing::error!(%id, method = method_of(what), panic = %panic, "{what} panicked");
            let error = RpcError::internal(format!("the {what} failed unexpectedly: {panic}"));
            Some(Err(Reply::error(id, &error)))
        }
    }
}

/// The JSON-RPC method that runs a handler of kind `what`, for log lines.
fn method_of(what: &str) -> &str {
    match what {
        "tool" => "tools/call",
        "resource" => "resources/read",
        "prompt" => "prompts/get",
        other => other,
    }
}

/// Polls a boxed future, turning a panic into an error message.
struct CatchUnwind<T>(pub(crate) Pin<Box<dyn Future<Output = T> + Send>>);

impl<T> Future for CatchUnwind<T> {
    type Output = Result<T, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let future = &mut self.0;
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_owned()
    }
}
