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
        .and_then(|value| value.to_str().ok())
        .map(media_type);
    if declared.is_some_and(|media| media.eq_ignore_ascii_case("application/json")) {
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

/// `406` when `Accept` admits neither `application/json` nor `text/event-stream`; no
/// `Accept` admits everything.
pub(crate) fn unacceptable_reply(headers: &HeaderMap) -> Option<Response> {
    let mut ranges = media_ranges(headers).peekable();
    ranges.peek()?;
    let readable = ranges.any(|range| {
        ["application/json", "text/event-stream"]
            .iter()
            .any(|media| covers(range, media))
    });
    if readable {
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

/// Whether the client accepts an event stream (`text/event-stream`, `text/*`, `*/*`).
pub(crate) fn accepts_event_stream(headers: &HeaderMap) -> bool {
    media_ranges(headers).any(|range| covers(range, "text/event-stream"))
}

/// The media ranges of every `Accept` header, without their parameters.
fn media_ranges(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(media_type)
        .filter(|range| !range.is_empty())
}

/// A media type or range without its parameters: `text/html; q=0.5` → `text/html`.
fn media_type(value: &str) -> &str {
    value.split(';').next().unwrap_or_default().trim()
}

/// Whether a media range (`type/subtype`, `type/*` or `*/*`) covers `media`.
fn covers(range: &str, media: &str) -> bool {
    let (Some((range_type, range_sub)), Some((media_type, media_sub))) =
        (range.split_once('/'), media.split_once('/'))
    else {
        return false;
    };
    (range_type == "*" || range_type.eq_ignore_ascii_case(media_type))
        && (range_sub == "*" || range_sub.eq_ignore_ascii_case(media_sub))
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
            assert!(unacceptable_reply(&headers).is_none(), "{good:?}");
        }
        assert!(unacceptable_reply(&HeaderMap::new()).is_none());
        for bad in [&["text/html"][..], &["image/*, application/xml"]] {
            let headers = with(header::ACCEPT, bad);
            let refusal = unacceptable_reply(&headers).expect("refused");
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
            assert_eq!(accepts_event_stream(&headers), streams, "{accept}");
        }
    }
}
