//! The media types of a POST: its body must be JSON (`415` otherwise), and the client
//! must be able to read a reply, JSON or an event stream (`406` otherwise).
//!
//! The spec has every client send `Content-Type: application/json` and list both
//! `application/json` and `text/event-stream` in `Accept`, but says nothing of what a
//! server does when one does not. RFC 9110 gives the statuses: `415 Unsupported Media
//! Type` (§15.5.16) and `406 Not Acceptable` (§15.5.7). A client that accepts only one of
//! the two gets it (a JSON reply, or an event stream when it accepts only that and the
//! call streams), so only an `Accept` that admits neither is refused.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::streamable::error_response;
use crate::protocol::{RpcError, codes};

/// `415` unless the body is declared as `application/json` (parameters such as
/// `charset` allowed, names compared without case).
pub(crate) fn unsupported_body(headers: &HeaderMap) -> Option<Response> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .map(|value| media_type(value.as_bytes()));
    if declared.is_some_and(|media| media.eq_ignore_ascii_case(b"application/json")) {
        return None;
    }
    let error = RpcError::new(
        codes::INVALID_REQUEST,
        "the body must be a JSON-RPC message sent as Content-Type: application/json",
    );
    Some(error_response(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        None,
        super::headers::unread_id(headers),
        &error,
    ))
}

/// What a request's `Accept` headers admit of the two reply types, read in one pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Accepts {
    /// Some media range is listed (no `Accept`, or only empty ones, admits everything).
    listed: bool,
    json: bool,
    event_stream: bool,
}

impl Accepts {
    /// Reads every `Accept` header of `headers`.
    pub(crate) fn of(headers: &HeaderMap) -> Accepts {
        let mut accepts = Accepts::default();
        let ranges = headers
            .get_all(header::ACCEPT)
            .iter()
            .flat_map(|value| value.as_bytes().split(|&byte| byte == b','))
            .map(media_type)
            .filter(|range| !range.is_empty());
        for range in ranges {
            accepts.listed = true;
            accepts.json |= covers(range, b"application", b"json");
            accepts.event_stream |= covers(range, b"text", b"event-stream");
        }
        accepts
    }

    /// Whether the client lists an event stream (`text/event-stream`, `text/*`, `*/*`).
    pub(crate) fn event_stream(self) -> bool {
        self.event_stream
    }

    /// `406` when `Accept` admits neither `application/json` nor `text/event-stream`.
    pub(crate) fn refusal(self) -> Option<Response> {
        if !self.listed || self.json || self.event_stream {
            return None;
        }
        Some(
            (
                StatusCode::NOT_ACCEPTABLE,
                "replies are application/json or text/event-stream; send Accept: application/json, text/event-stream\n",
            )
                .into_response(),
        )
    }
}

/// A media type or range without its parameters, `text/html; q=0.5` → `text/html`, as
/// bytes (a value that is not visible ASCII simply matches nothing).
fn media_type(value: &[u8]) -> &[u8] {
    let end = value
        .iter()
        .position(|&byte| byte == b';')
        .unwrap_or(value.len());
    value[..end].trim_ascii()
}

/// Whether a media range (`type/subtype`, `type/*` or `*/*`) covers `kind/subtype`.
fn covers(range: &[u8], kind: &[u8], subtype: &[u8]) -> bool {
    let Some(slash) = range.iter().position(|&byte| byte == b'/') else {
        return false;
    };
    let (range_kind, range_sub) = (&range[..slash], &range[slash + 1..]);
    (range_kind == b"*" || range_kind.eq_ignore_ascii_case(kind))
        && (range_sub == b"*" || range_sub.eq_ignore_ascii_case(subtype))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn bodies_must_be_declared_json() {
        for good in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
        ] {
            let headers = with(header::CONTENT_TYPE, &[good]);
            assert!(unsupported_body(&headers).is_none(), "{good}");
        }
        for bad in [
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "",
        ] {
            let headers = with(header::CONTENT_TYPE, &[bad]);
            let refusal = unsupported_body(&headers).expect(bad);
            assert_eq!(
                refusal.status(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{bad}"
            );
        }
        let refusal = unsupported_body(&HeaderMap::new()).expect("no Content-Type");
        assert_eq!(refusal.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn a_reply_must_be_acceptable() {
        for good in [
            &["application/json, text/event-stream"][..],
            &["application/json"],
            &["text/event-stream"],
            &["text/html", "application/json;q=0.9"],
            &["*/*"],
            &["application/*"],
            &["TEXT/*"],
            &[""],
        ] {
            let headers = with(header::ACCEPT, good);
            assert!(Accepts::of(&headers).refusal().is_none(), "{good:?}");
        }
        assert!(Accepts::of(&HeaderMap::new()).refusal().is_none());
        assert!(!Accepts::of(&HeaderMap::new()).event_stream());
        for bad in [&["text/html"][..], &["image/*, application/xml"]] {
            let headers = with(header::ACCEPT, bad);
            let refusal = Accepts::of(&headers).refusal().expect("refused");
            assert_eq!(refusal.status(), StatusCode::NOT_ACCEPTABLE, "{bad:?}");
        }
    }

    #[test]
    fn event_streams_are_accepted_by_name_or_wildcard() {
        for (accept, streams) in [
            ("application/json, text/event-stream", true),
            ("text/*", true),
            ("*/*", true),
            ("application/json", false),
            ("text/event-streamx", false),
        ] {
            let headers = with(header::ACCEPT, &[accept]);
            assert_eq!(Accepts::of(&headers).event_stream(), streams, "{accept}");
        }
    }
}
