//! JSON-RPC error objects and the codes MCP gives them.

use serde::Serialize;
use serde_json::Value;

use super::version::ProtocolVersion;

/// Error codes used on the wire.
pub mod codes {
    /// The message is not valid JSON.
    pub const PARSE_ERROR: i64 = -32700;
    /// The message is JSON but not a valid JSON-RPC request.
    pub const INVALID_REQUEST: i64 = -32600;
    /// The method does not exist or is not served in this revision.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// The params are wrong: unknown tool, missing `_meta`, bad arguments.
    pub const INVALID_PARAMS: i64 = -32602;
    /// Something failed inside the server.
    pub const INTERNAL_ERROR: i64 = -32603;
    /// A resource does not exist (2025-11-25 and earlier; `-32602` since 2026-07-28).
    pub const RESOURCE_NOT_FOUND: i64 = -32002;
    /// HTTP headers disagree with the body (2026-07-28).
    pub const HEADER_MISMATCH: i64 = -32020;
    /// The request needs a client capability the client did not declare (2026-07-28).
    pub const MISSING_REQUIRED_CLIENT_CAPABILITY: i64 = -32021;
    /// The requested protocol revision is not supported (2026-07-28).
    pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;
}

/// A JSON-RPC error object: `code`, `message` and optional `data`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RpcError {
    /// The numeric code (see [`codes`]).
    pub code: i64,
    /// A short sentence saying what went wrong.
    pub message: String,
    /// Structured detail, when there is some.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl RpcError {
    /// An error with a code and a message.
    pub fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// Attaches `data`.
    #[must_use]
    pub fn with_data(mut self, data: Value) -> RpcError {
        self.data = Some(data);
        self
    }

    pub(crate) fn parse_error(error: &serde_json::Error) -> RpcError {
        RpcError::new(codes::PARSE_ERROR, format!("parse error: {error}"))
    }

    pub(crate) fn invalid_request(message: &str) -> RpcError {
        RpcError::new(
            codes::INVALID_REQUEST,
            format!("invalid request: {message}"),
        )
    }

    pub(crate) fn invalid_params(message: impl Into<String>) -> RpcError {
        RpcError::new(codes::INVALID_PARAMS, message)
    }

    pub(crate) fn method_not_found(method: &str) -> RpcError {
        RpcError::new(
            codes::METHOD_NOT_FOUND,
            format!("method not found: `{method}`"),
        )
        .with_data(serde_json::json!({ "method": method }))
    }

    pub(crate) fn internal(message: impl Into<String>) -> RpcError {
        RpcError::new(codes::INTERNAL_ERROR, message)
    }

    pub(crate) fn unsupported_version(requested: &str) -> RpcError {
        let supported: Vec<&str> = ProtocolVersion::ALL.iter().map(|v| v.as_str()).collect();
        RpcError::new(
            codes::UNSUPPORTED_PROTOCOL_VERSION,
            "Unsupported protocol version",
        )
        .with_data(serde_json::json!({ "supported": supported, "requested": requested }))
    }
}
