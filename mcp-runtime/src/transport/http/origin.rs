//! `Origin` checks against DNS rebinding: a browser request from a page that is not
//! allowed gets `403`. Requests without `Origin` (every non-browser client, and proxies)
//! pass, so servers in containers and behind load balancers keep working; pages on
//! loopback origins are always allowed; others need `--allowed-origin`.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::state::AppState;

/// Which browser origins may call the server.
#[derive(Debug)]
pub(crate) struct OriginPolicy {
    any: bool,
    allowed: Vec<String>,
}

impl OriginPolicy {
    pub(crate) fn new(allowed: &[String]) -> OriginPolicy {
        OriginPolicy {
            any: allowed.iter().any(|origin| origin.trim() == "*"),
            allowed: allowed.iter().map(|origin| normalize(origin)).collect(),
        }
    }

    pub(crate) fn allows(&self, origin: &str) -> bool {
        let origin = normalize(origin);
        self.any || is_loopback_origin(&origin) || self.allowed.contains(&origin)
    }
}

fn normalize(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// `http(s)://localhost`, `127.x.x.x` or `[::1]`, any port.
fn is_loopback_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    if scheme != "http" && scheme != "https" {
        return false;
    }
    let host = if let Some(bracketed) = rest.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        rest.split(':').next().unwrap_or_default()
    };
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `403` for a present `Origin` that is not allowed; `None` lets the request through.
pub(crate) fn refusal(state: &AppState, request: &Request) -> Option<Response> {
    let origin = request.headers().get(header::ORIGIN)?;
    let allowed = origin
        .to_str()
        .is_ok_and(|origin| state.origins.allows(origin));
    if allowed {
        return None;
    }
    tracing::debug!("request refused: origin not allowed");
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "error": { "code": -32600, "message": "origin not allowed; start the server with --allowed-origin <origin>" }
    });
    Some((StatusCode::FORBIDDEN, axum::Json(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_pages_pass_and_foreign_ones_need_listing() {
        let policy = OriginPolicy::new(&["https://app.example.com/".to_owned()]);
        assert!(policy.allows("http://localhost:3000"));
        assert!(policy.allows("http://127.0.0.1"));
        assert!(policy.allows("http://[::1]:8080"));
        assert!(policy.allows("https://APP.example.com"));
        assert!(!policy.allows("https://evil.example"));
        assert!(!policy.allows("http://localhost.evil.example"));
        assert!(!policy.allows("null"));
        assert!(OriginPolicy::new(&["*".to_owned()]).allows("https://evil.example"));
    }
}
