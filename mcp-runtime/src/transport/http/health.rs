//! `GET /health`: `200` while serving, `503` while draining. No authentication, no logs
//! of headers or bodies.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::state::AppState;

pub(crate) async fn health(State(state): State<AppState>) -> Response {
    let info = state.server.info();
    if state.drain.is_draining() {
        let body = json!({ "status": "draining" });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    }
    let body = json!({ "status": "ok", "name": info.name, "version": info.version });
    (StatusCode::OK, Json(body)).into_response()
}
