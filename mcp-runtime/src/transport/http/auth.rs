//! Bearer-token authentication.
//!
//! Tokens are compared in constant time, every failure gets the same `401`, and tokens
//! are never logged or echoed.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::state::AppState;

pub use crate::context::Identity;

/// The accepted bearer tokens. Their values never appear in `Debug` output.
#[derive(Clone, Default)]
pub struct Tokens {
    entries: Arc<Vec<(Identity, Vec<u8>)>>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("count", &self.entries.len())
            .finish()
    }
}

impl Tokens {
    /// One token, named `name`.
    pub fn single(name: &str, token: &str) -> Tokens {
        Tokens::default().with(name, token)
    }

    /// Adds a token.
    #[must_use]
    pub fn with(self, name: &str, token: &str) -> Tokens {
        let mut entries: Vec<_> = self.entries.as_ref().clone();
        let token = token.trim();
        if !token.is_empty() {
            entries.push((
                Identity {
                    name: name.to_owned(),
                },
                token.as_bytes().to_vec(),
            ));
        }
        Tokens {
            entries: Arc::new(entries),
        }
    }

    /// Reads a token file: one token per line, optionally `name token`; blank lines and
    /// lines starting with `#` are skipped. Several tokens allow rotation.
    pub fn from_file(path: &Path) -> io::Result<Tokens> {
        let text = std::fs::read_to_string(path)?;
        let mut tokens = Tokens::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            tokens = match line.split_once(char::is_whitespace) {
                Some((name, token)) => tokens.with(name, token),
                None => tokens.with(&format!("token-{}", number + 1), line),
            };
        }
        if tokens.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{} holds no token", path.display()),
            ));
        }
        Ok(tokens)
    }

    /// Whether no token is configured (authentication off).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The identity of a presented token, comparing against every token in constant time.
    fn check(&self, presented: &[u8]) -> Option<&Identity> {
        let mut found = None;
        for (identity, token) in self.entries.iter() {
            if constant_time_eq(token, presented) && found.is_none() {
                found = Some(identity);
            }
        }
        found
    }
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(expected: &[u8], presented: &[u8]) -> bool {
    let mut difference = u8::from(expected.len() != presented.len());
    for (index, byte) in expected.iter().enumerate() {
        let other = presented.get(index).copied().unwrap_or(!byte);
        difference |= byte ^ other;
    }
    std::hint::black_box(difference) == 0
}

/// `401` for a request without a valid bearer token; `None` lets it through, with its
/// [`Identity`] attached.
pub(crate) fn refusal<B>(state: &AppState, request: &mut Request<B>) -> Option<Response> {
    if state.tokens.is_empty() {
        return None;
    }
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| bearer_token(value.as_bytes()));
    match presented.and_then(|token| state.tokens.check(token)) {
        Some(identity) => {
            let identity = identity.clone();
            request.extensions_mut().insert(identity);
            None
        }
        None => {
            tracing::debug!("request refused: missing or invalid bearer token");
            state.metrics.auth_failed();
            Some(unauthorized())
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value; the scheme name is
/// case-insensitive (RFC 9110, section 11.1).
pub(super) fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let scheme = value.get(..7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| value.get(7..).map(<[u8]>::trim_ascii))
        .flatten()
}

fn unauthorized() -> Response {
    let challenge = HeaderValue::from_static("Bearer realm=\"mcp\"");
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, challenge)],
        "a valid bearer token is required\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_whole_token_matches() {
        let tokens = Tokens::single("env", "s3cret-token");
        assert_eq!(
            tokens.check(b"s3cret-token").map(|i| i.name.as_str()),
            Some("env")
        );
        assert!(tokens.check(b"s3cret").is_none());
        assert!(tokens.check(b"s3cret-token-and-more").is_none());
        assert!(tokens.check(b"").is_none());
    }

    #[test]
    fn the_scheme_is_case_insensitive_and_required() {
        assert_eq!(bearer_token(b"Bearer abc"), Some(&b"abc"[..]));
        assert_eq!(bearer_token(b"bearer abc "), Some(&b"abc"[..]));
        assert_eq!(bearer_token(b"BEARER abc"), Some(&b"abc"[..]));
        assert_eq!(bearer_token(b"Basic abc"), None);
        assert_eq!(bearer_token(b"abc"), None);
    }

    #[test]
    fn token_files_name_and_rotate_tokens() {
        let dir = std::env::temp_dir().join(format!("mcp-tokens-{}", std::process::id()));
        std::fs::write(&dir, "# rotated weekly\nalice aaa\n\nbbb\n").unwrap();
        let tokens = Tokens::from_file(&dir).unwrap();
        std::fs::remove_file(&dir).unwrap();
        assert_eq!(tokens.check(b"aaa").unwrap().name, "alice");
        assert_eq!(tokens.check(b"bbb").unwrap().name, "token-4");
        assert!(!format!("{tokens:?}").contains("aaa"));
    }
}
