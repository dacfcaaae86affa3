//! The front of the HTTP server: one service in front of the routes that does, for every
//! request, what every route needs. In order:
//!
//! 1. the request id (`X-Request-Id`, on every response, refusals included);
//! 2. with `--allow-ip`, the network check (`403`), on every route;
//! 3. on every path but `/health` (unknown ones too), the origin check (`403`) and then
//!    bearer authentication (`401`; the token's identity goes into the extensions);
//! 4. the client certificate of a mutual-TLS connection, into the extensions.
//!
//! Done as axum layers, each of these cost every request a clone of a boxed service and
//! a boxed future per layer; here the whole front is plain code and one enum future.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::BoxError;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_service::Service;
use tracing::Instrument;

use super::request_id::RequestId;
use super::state::AppState;
use super::{auth, origin};
use crate::certificate::ClientCertificate;

/// The one path outside the origin check and bearer authentication. Unknown paths are
/// behind them too, so that they tell an unauthenticated client nothing.
const OPEN: &str = "/health";

/// The front service around `routes` (the router, already given its state).
#[derive(Clone)]
pub(crate) struct Front<S> {
    routes: S,
    state: AppState,
    connection: Connection,
}

/// What a front knows of the connection it serves.
#[derive(Clone, Default)]
struct Connection {
    /// The peer's address, kept only when `--allow-ip` needs it.
    peer: Option<SocketAddr>,
    /// The client certificate TLS verified, with `--tls-client-ca`.
    certificate: Option<ClientCertificate>,
}

impl<S: Clone> Front<S> {
    /// A front for `routes`, not yet tied to a connection.
    pub(crate) fn new(routes: S, state: AppState) -> Front<S> {
        Front {
            routes,
            state,
            connection: Connection::default(),
        }
    }

    /// This front, for one connection from `peer`, which presented `certificate`.
    pub(crate) fn for_connection(
        self,
        peer: SocketAddr,
        certificate: Option<ClientCertificate>,
    ) -> Front<S> {
        let peer = (!self.state.network.is_open()).then_some(peer);
        Front {
            connection: Connection { peer, certificate },
            ..self
        }
    }
}

impl<S> Front<S> {
    /// The response that refuses `request`, if one does.
    fn refusal<B>(&self, request: &mut Request<B>) -> Option<Response> {
        let state = &self.state;
        if !state.network.is_open() {
            let admitted = self
                .connection
                .peer
                .is_some_and(|peer| state.network.admits(peer.ip(), request.headers()));
            if !admitted {
                tracing::debug!("refused: the client's address is not in --allow-ip");
                let refusal = (
                    StatusCode::FORBIDDEN,
                    "this server does not serve your network address\n",
                );
                return Some(refusal.into_response());
            }
        }
        if request.uri().path() == OPEN {
            return None;
        }
        origin::refusal(state, request.headers()).or_else(|| auth::refusal(state, request))
    }
}

impl<S, B> Service<Request<B>> for Front<S>
where
    S: Service<Request<Body>, Response = Response, Error = Infallible>,
    S::Future: Unpin + Send + 'static,
    B: HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = FrontFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.routes.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> FrontFuture<S::Future> {
        // As the router would (one box for hyper's body), so that every route sees one type.
        let mut request = request.map(Body::new);
        let id = RequestId::for_request(request.headers());
        if let Some(refusal) = self.refusal(&mut request) {
            return FrontFuture::Ready(Some(id.tag(refusal)));
        }
        if let Some(certificate) = &self.connection.certificate {
            request.extensions_mut().insert(certificate.clone());
        }
        // Disabled (filtered out by `RUST_LOG`), the span costs a cached interest check
        // and the request is routed without instrumentation.
        let span = tracing::debug_span!(
            "http_request",
            request_id = %id.as_str(),
            method = %request.method(),
            path = %request.uri().path(),
        );
        if span.is_disabled() {
            return FrontFuture::Routed {
                inner: self.routes.call(request),
                id: Some(id),
            };
        }
        let inner = span.in_scope(|| self.routes.call(request));
        let traced = async move {
            let response = inner.await.unwrap_or_else(|never| match never {});
            tracing::debug!(status = response.status().as_u16(), "request served");
            Ok(id.tag(response))
        };
        FrontFuture::Traced(Box::pin(traced.instrument(span)))
    }
}

/// The response of a [`Front`]: a refusal at once, or the routes' response with the
/// request id added.
pub(crate) enum FrontFuture<F> {
    /// Refused before routing.
    Ready(Option<Response>),
    /// Routed, not traced (the usual case).
    Routed { inner: F, id: Option<RequestId> },
    /// Routed inside the request's span (`RUST_LOG` enables it).
    Traced(Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>),
}

impl<F> Future for FrontFuture<F>
where
    F: Future<Output = Result<Response, Infallible>> + Unpin,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            FrontFuture::Ready(response) => Poll::Ready(Ok(response.take().unwrap_or_default())),
            FrontFuture::Routed { inner, id } => {
                let response = ready!(Pin::new(inner).poll(cx))?;
                Poll::Ready(Ok(match id.take() {
                    Some(id) => id.tag(response),
                    None => response,
                }))
            }
            FrontFuture::Traced(traced) => traced.as_mut().poll(cx),
        }
    }
}
