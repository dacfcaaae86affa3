//! The routes, and the layers in front of them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};

use super::config::HttpConfig;
use super::state::AppState;
use super::{auth, health, legacy_sse, metrics, network, origin, request_id, streamable};

/// `/health` open to all; `/mcp`, `/sse`, `/messages` and `/metrics` behind the origin check and
/// bearer authentication; everything behind the `--allow-ip` list when there is one.
pub(crate) fn router(state: AppState, config: &HttpConfig) -> Router {
    let protected = Router::new()
        .route(
            "/mcp",
            post(streamable::post)
                .get(streamable::get)
                .delete(streamable::delete),
        )
        .route("/sse", get(legacy_sse::open))
        .route("/messages", post(legacy_sse::post_message))
        .route("/metrics", get(metrics::metrics))
        .layer(middleware::from_fn_with_state(state.clone(), guard));
    let router = Router::new()
        .route("/health", get(health::health))
        .merge(protected)
        .layer(DefaultBodyLimit::max(config.max_body_bytes));
    // Outermost, and only when there is a list: every route, `/health` included.
    let router = if state.network.is_open() {
        router
    } else {
        router.layer(middleware::from_fn_with_state(
            state.clone(),
            network::guard,
        ))
    };
    // Outside even that: `401`, `403` and `413` responses carry `X-Request-Id` too.
    router
        .layer(middleware::from_fn(request_id::tag))
        .with_state(state)
}

/// What stands in front of the MCP routes, in one layer: the origin check (`403`), then
/// bearer authentication (`401`; the identity goes into the request's extensions).
async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(refusal) = origin::refusal(&state, &request) {
        return refusal;
    }
    if let Some(refusal) = auth::refusal(&state, &mut request) {
        return refusal;
    }
    next.run(request).await
}
