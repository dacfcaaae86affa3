//! `Origin` checks against DNS rebinding: a browser request from a page that is not
//! allowed gets `403`. Requests without `Origin` (every non-browser client, and proxies)
//! pass, so servers in containers and behind load balancers keep working; pages on
//! loopback origins are always allowed; others need `--allowed-origin`.

use axum::http::{HeaderMap, StatusCode, header};
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

/// `http(s)://localhost`, `127.x.x.x` or `[::1]`, with no port or a numeric one, and
/// nothing after it.
fn is_loopback_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    if scheme != "http" && scheme != "https" {
        return false;
    }
    let (host, port) = match rest.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').unwrap_or((bracketed, "!")),
        None => rest.split_at(rest.find(':').unwrap_or(rest.len())),
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    let host_ok = host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    port_ok && host_ok
}

/// `403` for a present `Origin` that is not allowed; `None` lets the request through.
pub(crate) fn refusal(state: &AppState, headers: &HeaderMap) -> Option<Response> {
    let origin = headers.get(header::ORIGIN)?;
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

    #[test]
    fn a_loopback_origin_has_a_numeric_port_or_none() {
        // Caught by the `http_headers` fuzz target: anything after `localhost:` passed.
        let policy = OriginPolicy::new(&[]);
        for origin in [
            "http://localhost:3.00",
            "http://localhost:evil.example",
            "http://localhost:",
            "http://[::1]evil.example",
            "http://[::1",
            "http://127.0.0.1:80/path",
        ] {
            assert!(!policy.allows(origin), "{origin}");
        }
        assert!(policy.allows("https://localhost:443"));
        assert!(policy.allows("http://[::1]"));
    }
}
