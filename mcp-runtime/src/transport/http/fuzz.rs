//! What the HTTP fuzz target drives, re-exported by `mcp::__fuzz` (fuzz builds only).

use axum::http::HeaderMap;

use super::{HttpConfig, Tokens};
use crate::Server;
use crate::arguments::Arguments;
use crate::protocol::ProtocolVersion;
use crate::protocol::RpcError;
use crate::protocol::jsonrpc::Incoming;

/// Checks a 2026-07-28 request's headers against its body, as `POST /mcp` does;
/// `None` when the body is not a request.
pub fn check_request(
    headers: &HeaderMap,
    body: &[u8],
) -> Option<Result<ProtocolVersion, RpcError>> {
    match Incoming::parse(body) {
        Incoming::Request {
            method,
            params,
            meta,
            ..
        } => Some(super::headers::check_request(
            headers, &method, &params, &meta,
        )),
        _ => None,
    }
}

/// Checks the `Mcp-Param-*` headers of a `tools/call` whose arguments are
/// `arguments` (JSON text) against the `(argument, header)` pairs a tool mirrors.
pub fn check_param_headers(
    headers: &HeaderMap,
    mirrored: &[(&str, &str)],
    arguments: &str,
) -> Result<(), RpcError> {
    let arguments = Arguments::from_text(arguments)?;
    super::headers::check_param_headers(headers, mirrored, &arguments)
}

/// Decodes a header value (the `=?base64?...?=` form, or the value as it is).
pub fn decode_header(value: &str) -> Result<String, RpcError> {
    super::headers::decode(value).map(std::borrow::Cow::into_owned)
}

/// Standard padded base64, as the `=?base64?...?=` form holds it.
pub fn base64_encode(bytes: &[u8]) -> String {
    crate::base64::encode(bytes)
}

/// Whether a browser `Origin` may call a server started with `allowed` origins.
pub fn origin_allows(allowed: &[String], origin: &str) -> bool {
    super::origin::OriginPolicy::new(allowed).allows(origin)
}

/// The token of an `Authorization` value, as authentication reads it.
pub fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    super::auth::bearer_token(value)
}

/// The router `serve_http` serves (every route and layer, no listener), with fresh
/// sessions, for a loopback address with these tokens and allowed origins.
pub fn http_router(server: Server, tokens: Tokens, allowed_origins: Vec<String>) -> axum::Router {
    let mut config = HttpConfig::new(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    config.tokens = tokens;
    config.allowed_origins = allowed_origins;
    let state = super::state::AppState::new(server, &config);
    // Behind a router of its own, as the fuzz target drives an `axum::Router`.
    axum::Router::new().fallback_service(super::router::service(state, &config))
}
