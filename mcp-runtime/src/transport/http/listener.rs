//! Accepting connections: TCP (with `TCP_NODELAY`) or TLS, HTTP/1.1 with keep-alive and a
//! header timeout, and the drain sequence on shutdown.

use std::future::Future;
use std::io;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::config::HttpConfig;
use super::front::Front;
use super::router::Routes;
use super::state::AppState;

#[cfg(feature = "tls")]
type Acceptor = Option<tokio_rustls::TlsAcceptor>;
#[cfg(not(feature = "tls"))]
type Acceptor = Option<std::convert::Infallible>;

/// Serves until `shutdown`, then drains: health turns `503`, requests in flight finish
/// (up to the drain timeout), streams and sessions close, connections wind down.
pub(crate) async fn run(
    front: Front<impl Routes>,
    state: AppState,
    config: &HttpConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let acceptor = acceptor(config)?;
    let listener = TcpListener::bind(config.bind).await?;
    let address = listener.local_addr()?;
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    tracing::info!("serving MCP at {scheme}://{address}/mcp");
    let graceful = GracefulShutdown::new();
    let stop = CancellationToken::new();
    tokio::spawn(state.sessions.clone().expire_periodically(stop.clone()));
    let accepting = accept_loop(listener, front, acceptor, &graceful, config.header_timeout);
    let drained = async {
        shutdown.await;
        state.server.close_subscriptions();
        let finished = state.drain.drain_calls(config.drain_timeout).await;
        if !finished {
            tracing::warn!("drain timeout reached with calls still in flight");
        }
    };
    tokio::select! {
        () = accepting => {}
        () = drained => {}
    }
    state.drain.close_streams();
    state.sessions.close_all();
    stop.cancel();
    if tokio::time::timeout(Duration::from_secs(5), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not close in time");
    }
    tracing::info!("drained; exiting");
    Ok(())
}

fn acceptor(config: &HttpConfig) -> io::Result<Acceptor> {
    #[cfg(feature = "tls")]
    {
        config.tls.as_ref().map(super::tls::acceptor).transpose()
    }
    #[cfg(not(feature = "tls"))]
    {
        let _ = config;
        Ok(None)
    }
}

async fn accept_loop(
    listener: TcpListener,
    front: Front<impl Routes>,
    acceptor: Acceptor,
    graceful: &GracefulShutdown,
    header_timeout: Duration,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY");
        }
        let watcher = graceful.watcher();
        match acceptor.clone() {
            None => {
                let front = front.clone().for_connection(peer, None);
                tokio::spawn(serve_connection(stream, front, watcher, header_timeout));
            }
            #[cfg(feature = "tls")]
            Some(acceptor) => {
                let front = front.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            // Mutual TLS: the verified certificate goes with every request
                            // of the connection.
                            let certificate = super::tls::client_certificate(&stream);
                            let front = front.for_connection(peer, certificate);
                            serve_connection(stream, front, watcher, header_timeout).await
                        }
                        Ok(Err(error)) => tracing::debug!(%error, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                });
            }
            #[cfg(not(feature = "tls"))]
            Some(never) => match never {},
        }
    }
}

async fn serve_connection<S>(
    stream: S,
    front: Front<impl Routes>,
    watcher: hyper_util::server::graceful::Watcher,
    header_timeout: Duration,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(front);
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    if let Err(error) = watcher.watch(connection).await {
        tracing::debug!(%error, "connection ended with an error");
    }
}
