//! Graceful drain: stop taking work, finish what is in flight, close streams.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::{TaskTracker, task_tracker::TaskTrackerToken};

/// Drain state shared by handlers and the listener.
#[derive(Clone, Debug, Default)]
pub(crate) struct Drain {
    draining: Arc<AtomicBool>,
    calls: TaskTracker,
    streams: CancellationToken,
}

impl Drain {
    /// Whether the server is draining (health `503`, new work refused).
    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Held by a request while it is being served.
    pub(crate) fn track(&self) -> TaskTrackerToken {
        self.calls.token()
    }

    /// Completes when long-lived streams must close.
    pub(crate) fn streams_closing(&self) -> CancellationToken {
        self.streams.clone()
    }

    /// Starts draining and waits (at most `timeout`) for requests in flight to finish.
    pub(crate) async fn drain_calls(&self, timeout: Duration) -> bool {
        self.draining.store(true, Ordering::Release);
        self.calls.close();
        tokio::time::timeout(timeout, self.calls.wait())
            .await
            .is_ok()
    }

    /// Ends every long-lived stream.
    pub(crate) fn close_streams(&self) {
        self.streams.cancel();
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub(crate) async fn signals() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: draining"),
        () = terminate => tracing::info!("SIGTERM: draining"),
    }
}
