//! The routes, and the front service in front of them.

use std::convert::Infallible;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::response::Response;
use axum::routing::{get, post};
use tower_layer::Layer;
use tower_service::Service;

use super::config::HttpConfig;
use super::front::Front;
use super::state::AppState;
use super::{health, legacy_sse, metrics, streamable};

/// The routes as the [`Front`] calls them: a cloneable service of axum requests.
pub(crate) trait Routes:
    Service<Request, Response = Response, Error = Infallible, Future: Unpin + Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> Routes for S where
    S: Service<Request, Response = Response, Error = Infallible, Future: Unpin + Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// `/health` open to all; every other path (`/mcp`, `/sse`, `/messages`, `/metrics`, and
/// unknown ones) behind the origin
/// check and bearer authentication; everything behind the `--allow-ip` list when there is
/// one (see [`Front`]).
pub(crate) fn service(state: AppState, config: &HttpConfig) -> Front<impl Routes> {
    let routes = Router::new()
        .route("/health", get(health::health))
        .route(
            "/mcp",
            post(streamable::post)
                .get(streamable::get)
                .delete(streamable::delete),
        )
        .route("/sse", get(legacy_sse::open))
        .route("/messages", post(legacy_sse::post_message))
        .route("/metrics", get(metrics::metrics))
        .with_state(state.clone());
    // Around the whole router rather than as a route layer: no boxed service per request.
    let routes = DefaultBodyLimit::max(config.max_body_bytes).layer(routes);
    Front::new(routes, state)
}
