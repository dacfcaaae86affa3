//! 2026-07-28 request headers: `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` must
//! be present and agree with the body, so intermediaries that route on headers see what
//! the server executes.

use std::borrow::Cow;

use axum::http::{HeaderMap, HeaderName};
use serde_json::{Map, Value};

use crate::arguments::Arguments;
use crate::base64;
use crate::protocol::codes::HEADER_MISMATCH;
use crate::protocol::jsonrpc::UnreadId;
use crate::protocol::meta::RequestMeta;
use crate::protocol::{ProtocolVersion, RpcError};
use crate::server::session::Session;

// Names, not text, so a lookup does not parse and check the name again.
pub(crate) const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");
pub(crate) const METHOD: HeaderName = HeaderName::from_static("mcp-method");
pub(crate) const NAME: HeaderName = HeaderName::from_static("mcp-name");
pub(crate) const SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");

/// Checks a modern request's headers against its method and params.
pub(crate) fn check_request(
    headers: &HeaderMap,
    method: &str,
    params: &Map<String, Value>,
    meta: &RequestMeta,
) -> Result<ProtocolVersion, RpcError> {
    let version_header = required(headers, &PROTOCOL_VERSION)?;
    let method_header = required(headers, &METHOD)?;
    if method_header != method {
        return Err(mismatch(format!(
            "Mcp-Method header value '{method_header}' does not match body value '{method}'"
        )));
    }
    if let Some(field) = name_field(method) {
        let name_header = decode(required(headers, &NAME)?)?;
        let body = params
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name_header != body {
            return Err(mismatch(format!(
                "Mcp-Name header value '{name_header}' does not match body value '{body}'"
            )));
        }
    }
    let body_version = meta.protocol_version();
    if let Some(body_version) = body_version.filter(|body| *body != version_header) {
        return Err(mismatch(format!(
            "MCP-Protocol-Version header value '{version_header}' does not match body value '{body_version}'"
        )));
    }
    let version = ProtocolVersion::parse(version_header)
        .ok_or_else(|| RpcError::unsupported_version(version_header))?;
    match meta.modern_version() {
        None => Err(RpcError::invalid_params(format!(
            "missing `_meta.{}`",
            crate::protocol::meta::PROTOCOL_VERSION_KEY
        ))),
        Some(Err(error)) => Err(error),
        Some(Ok(_)) => Ok(version),
    }
}

/// How an error names a message whose id could not be read, from the revision
/// `MCP-Protocol-Version` names. A client without the header speaks 2025-03-26 or
/// 2024-11-05, or is sending `initialize` (every later client sends it on every other
/// request): JSON-RPC's `null`. A value this server does not know is newer than it.
pub(crate) fn unread_id(headers: &HeaderMap) -> UnreadId {
    match headers.get(PROTOCOL_VERSION) {
        None => UnreadId::Null,
        Some(value) => UnreadId::for_version(value.to_str().ok().and_then(ProtocolVersion::parse)),
    }
}

/// Checks `MCP-Protocol-Version` on a POST of a legacy session: clients of 2025-06-18 and
/// later send it, and the server "MUST respond with `400 Bad Request`" to an "invalid or
/// unsupported" one. A revision this server supports passes even when the session
/// negotiated another (the official conformance suite sends `2025-03-26` in a 2025-11-25
/// session, and the text does not call that unsupported); the session's revision still
/// decides how it is served. 2025-03-26 clients send no header.
pub(crate) fn check_legacy_version(headers: &HeaderMap, session: &Session) -> Result<(), RpcError> {
    let Some(value) = headers.get(PROTOCOL_VERSION) else {
        return Ok(());
    };
    let Some(negotiated) = session.state().map(|state| state.version) else {
        return Ok(());
    };
    let sent = value.to_str().unwrap_or_default();
    match ProtocolVersion::parse(sent) {
        Some(version) if !version.is_modern() => Ok(()),
        _ => Err(RpcError::invalid_request(&format!(
            "MCP-Protocol-Version `{sent}` is not a revision this server supports in a session \
             (this session negotiated {negotiated})"
        ))),
    }
}

/// Checks the `Mcp-Param-{header}` headers of a `tools/call` against its arguments:
/// every argument the tool mirrors that has a value needs its header, equal after
/// decoding (integers compare as numbers).
pub(crate) fn check_param_headers(
    headers: &HeaderMap,
    mirrored: &[(&str, &str)],
    arguments: &Arguments,
) -> Result<(), RpcError> {
    for (argument, header) in mirrored {
        let name = format!("mcp-param-{}", header.to_ascii_lowercase());
        let value = arguments.value_of(argument);
        let Some(value) = value.filter(|value| !value.is_null()) else {
            continue;
        };
        let sent = decode(required(headers, name.as_str())?)?;
        let matches = match value {
            Value::String(text) => *text == sent,
            Value::Bool(flag) => sent == if flag { "true" } else { "false" },
            Value::Number(number) => sent
                .parse::<f64>()
                .ok()
                .zip(number.as_f64())
                .is_some_and(|(sent, body)| sent == body),
            _ => false,
        };
        if !matches {
            return Err(mismatch(format!(
                "Mcp-Param-{header} header value '{sent}' does not match the argument `{argument}`"
            )));
        }
    }
    Ok(())
}

/// The params field that `Mcp-Name` mirrors for a method.
fn name_field(method: &str) -> Option<&'static str> {
    match method {
        "tools/call" | "prompts/get" => Some("name"),
        "resources/read" => Some("uri"),
        _ => None,
    }
}

fn required<N>(headers: &HeaderMap, name: N) -> Result<&str, RpcError>
where
    N: axum::http::header::AsHeaderName + std::fmt::Display + Copy,
{
    let value = headers
        .get(name)
        .ok_or_else(|| mismatch(format!("missing required header {name}")))?;
    value
        .to_str()
        .map_err(|_| mismatch(format!("header {name} contains invalid characters")))
}

/// Decodes the `=?base64?...?=` sentinel form; other values are taken as they are.
pub(crate) fn decode(value: &str) -> Result<Cow<'_, str>, RpcError> {
    let Some(encoded) = value
        .strip_prefix("=?base64?")
        .and_then(|rest| rest.strip_suffix("?="))
    else {
        return Ok(Cow::Borrowed(value));
    };
    base64::decode(encoded)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map(Cow::Owned)
        .ok_or_else(|| mismatch("a header's =?base64?...?= value is not valid base64 of UTF-8"))
}

fn mismatch(message: impl Into<String>) -> RpcError {
    RpcError::new(
        HEADER_MISMATCH,
        format!("Header mismatch: {}", message.into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde::Deserialize;
    use serde_json::json;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
            map.insert(name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// The params of a `tools/call` of `name`, and its `_meta`.
    fn call_params(name: &str) -> (Map<String, Value>, RequestMeta) {
        let mut params = json!({"name": name, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {}
        }})
        .as_object()
        .cloned()
        .unwrap();
        let meta = RequestMeta::deserialize(params.remove("_meta").unwrap()).unwrap();
        (params, meta)
    }

    fn check(
        headers: &HeaderMap,
        method: &str,
        (params, meta): &(Map<String, Value>, RequestMeta),
    ) -> Result<ProtocolVersion, RpcError> {
        check_request(headers, method, params, meta)
    }

    fn code(result: Result<ProtocolVersion, RpcError>) -> i64 {
        result.unwrap_err().code
    }

    #[test]
    fn matching_headers_pass() {
        let h = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (METHOD.as_str(), "tools/call"),
            (NAME.as_str(), "add"),
        ]);
        assert!(check(&h, "tools/call", &call_params("add")).is_ok());
        let encoded = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (METHOD.as_str(), "tools/call"),
            (NAME.as_str(), "=?base64?SGVsbG8sIOS4lueVjA==?="),
        ]);
        assert!(check(&encoded, "tools/call", &call_params("Hello, 世界")).is_ok());
    }

    #[test]
    fn missing_or_different_headers_are_mismatches() {
        let params = call_params("add");
        let no_name = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (METHOD.as_str(), "tools/call"),
        ]);
        assert_eq!(
            code(check(&no_name, "tools/call", &params)),
            HEADER_MISMATCH
        );
        let other = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (METHOD.as_str(), "tools/call"),
            (NAME.as_str(), "sub"),
        ]);
        assert_eq!(code(check(&other, "tools/call", &params)), HEADER_MISMATCH);
        let no_method = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (NAME.as_str(), "add"),
        ]);
        assert_eq!(
            code(check(&no_method, "tools/call", &params)),
            HEADER_MISMATCH
        );
        let wrong_method = headers(&[
            (PROTOCOL_VERSION.as_str(), "2026-07-28"),
            (METHOD.as_str(), "tools/list"),
        ]);
        assert_eq!(
            code(check(&wrong_method, "tools/call", &params)),
            HEADER_MISMATCH
        );
    }

    #[test]
    fn mirrored_arguments_need_matching_headers() {
        let mirrored = [("region", "Region"), ("count", "Count")];
        let arguments = Arguments::from_text(r#"{"region": "us-west1", "count": 42}"#).unwrap();
        let good = headers(&[
            ("mcp-param-region", "us-west1"),
            ("mcp-param-count", "42.0"),
        ]);
        assert!(check_param_headers(&good, &mirrored, &arguments).is_ok());
        let missing = headers(&[("mcp-param-region", "us-west1")]);
        assert!(check_param_headers(&missing, &mirrored, &arguments).is_err());
        let wrong = headers(&[("mcp-param-region", "eu"), ("mcp-param-count", "42")]);
        assert!(check_param_headers(&wrong, &mirrored, &arguments).is_err());
        let absent = Arguments::from_text(r#"{"region": null}"#).unwrap();
        assert!(check_param_headers(&HeaderMap::new(), &mirrored, &absent).is_ok());
    }

    #[test]
    fn a_header_that_disagrees_with_the_body_is_a_mismatch_even_if_unknown() {
        let h = headers(&[
            (PROTOCOL_VERSION.as_str(), "1999-01-01"),
            (METHOD.as_str(), "tools/call"),
            (NAME.as_str(), "add"),
        ]);
        assert_eq!(
            code(check(&h, "tools/call", &call_params("add"))),
            HEADER_MISMATCH
        );
    }

    #[test]
    fn unknown_versions_are_unsupported() {
        let h = headers(&[
            (PROTOCOL_VERSION.as_str(), "1900-01-01"),
            (METHOD.as_str(), "tools/list"),
        ]);
        assert_eq!(
            code(check(
                &h,
                "tools/list",
                &(Map::new(), RequestMeta::default())
            )),
            -32022
        );
    }

    #[test]
    fn a_legacy_session_takes_any_supported_legacy_revision() {
        use crate::server::session::LegacyState;
        let session = Session::default();
        session.start(LegacyState {
            version: ProtocolVersion::V2025_06_18,
            client_info: None,
            client_capabilities: json!({}),
            log_level: None,
        });
        assert!(check_legacy_version(&HeaderMap::new(), &session).is_ok());
        for sent in ["2025-06-18", "2025-03-26", "2025-11-25"] {
            let legacy = headers(&[(PROTOCOL_VERSION.as_str(), sent)]);
            assert!(check_legacy_version(&legacy, &session).is_ok(), "{sent}");
        }
        for sent in ["1999-01-01", "2026-07-28", ""] {
            let other = headers(&[(PROTOCOL_VERSION.as_str(), sent)]);
            let error = check_legacy_version(&other, &session).unwrap_err();
            assert_eq!(error.code, -32600, "{sent}");
        }
    }

    #[test]
    fn header_and_body_versions_must_agree() {
        let h = headers(&[
            (PROTOCOL_VERSION.as_str(), "2025-11-25"),
            (METHOD.as_str(), "tools/call"),
            (NAME.as_str(), "add"),
        ]);
        assert_eq!(
            code(check(&h, "tools/call", &call_params("add"))),
            HEADER_MISMATCH
        );
    }
}
