//! Per-request metadata: the `_meta` keys a 2026-07-28 request carries, and the
//! progress token every revision allows.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::errors::RpcError;
use super::version::ProtocolVersion;

pub(crate) const PROTOCOL_VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
pub(crate) const CLIENT_INFO_KEY: &str = "io.modelcontextprotocol/clientInfo";
pub(crate) const CLIENT_CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";
pub(crate) const LOG_LEVEL_KEY: &str = "io.modelcontextprotocol/logLevel";
pub(crate) const SERVER_INFO_KEY: &str = "io.modelcontextprotocol/serverInfo";

/// Name and version of a client or server, as it reports itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Implementation {
    /// Programmatic name, such as `claude-code`.
    pub name: String,
    /// Version string, such as `1.0.3`.
    pub version: String,
    /// A display name, when the peer gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The severity of a log message, lowest first (RFC 5424 levels, as MCP names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Detailed debugging information.
    Debug,
    /// Normal operational messages.
    Info,
    /// Normal but significant events.
    Notice,
    /// Warning conditions.
    Warning,
    /// Error conditions.
    Error,
    /// Critical conditions.
    Critical,
    /// Action must be taken immediately.
    Alert,
    /// The system is unusable.
    Emergency,
}

/// What a 2026-07-28 request says about itself in `_meta`.
#[derive(Clone, Debug)]
pub(crate) struct ModernMeta {
    pub(crate) version: ProtocolVersion,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) client_capabilities: Value,
    pub(crate) log_level: Option<LogLevel>,
}

/// Reads the modern per-request fields.
///
/// `None` when the request carries no protocol version in `_meta` (a legacy request);
/// `Some(Err)` when it does but the fields are unusable.
pub(crate) fn modern_meta(params: &Map<String, Value>) -> Option<Result<ModernMeta, RpcError>> {
    let meta = params.get("_meta").and_then(Value::as_object)?;
    let requested = meta.get(PROTOCOL_VERSION_KEY)?;
    Some(read_modern_meta(meta, requested))
}

fn read_modern_meta(meta: &Map<String, Value>, requested: &Value) -> Result<ModernMeta, RpcError> {
    let Some(requested) = requested.as_str() else {
        return Err(RpcError::invalid_params(format!(
            "`_meta.{PROTOCOL_VERSION_KEY}` must be a string"
        )));
    };
    let version = ProtocolVersion::parse(requested)
        .ok_or_else(|| RpcError::unsupported_version(requested))?;
    let client_capabilities = match meta.get(CLIENT_CAPABILITIES_KEY) {
        Some(Value::Object(capabilities)) => Value::Object(capabilities.clone()),
        Some(_) => {
            return Err(RpcError::invalid_params(format!(
                "`_meta.{CLIENT_CAPABILITIES_KEY}` must be an object"
            )));
        }
        None => {
            return Err(RpcError::invalid_params(format!(
                "missing required `_meta.{CLIENT_CAPABILITIES_KEY}` (use {{}} for none)"
            )));
        }
    };
    let client_info = match meta.get(CLIENT_INFO_KEY) {
        None => None,
        Some(info) => Some(Implementation::deserialize(info).map_err(|error| {
            RpcError::invalid_params(format!("invalid `_meta.{CLIENT_INFO_KEY}`: {error}"))
        })?),
    };
    let log_level = match meta.get(LOG_LEVEL_KEY) {
        None => None,
        Some(level) => Some(LogLevel::deserialize(level).map_err(|error| {
            RpcError::invalid_params(format!("invalid `_meta.{LOG_LEVEL_KEY}`: {error}"))
        })?),
    };
    Ok(ModernMeta {
        version,
        client_info,
        client_capabilities,
        log_level,
    })
}

/// The request's `_meta.progressToken`, if it asked for progress.
pub(crate) fn progress_token(params: &Map<String, Value>) -> Option<Value> {
    params
        .get("_meta")
        .and_then(|meta| meta.get("progressToken"))
        .filter(|token| token.is_string() || token.is_i64() || token.is_u64())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::errors::codes;
    use serde_json::json;

    fn params(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn legacy_requests_have_no_modern_meta() {
        assert!(modern_meta(&params(json!({"name": "add"}))).is_none());
        assert!(modern_meta(&params(json!({"_meta": {"progressToken": 1}}))).is_none());
    }

    #[test]
    fn a_complete_modern_meta_is_read() {
        let meta = modern_meta(&params(json!({"_meta": {
            PROTOCOL_VERSION_KEY: "2026-07-28",
            CLIENT_CAPABILITIES_KEY: {},
            CLIENT_INFO_KEY: {"name": "c", "version": "1"},
            LOG_LEVEL_KEY: "warning",
        }})))
        .unwrap()
        .unwrap();
        assert_eq!(meta.version, ProtocolVersion::V2026_07_28);
        assert_eq!(meta.client_info.unwrap().name, "c");
        assert_eq!(meta.log_level, Some(LogLevel::Warning));
    }

    #[test]
    fn unknown_versions_and_missing_capabilities_are_rejected() {
        let unknown = modern_meta(&params(json!({"_meta": {
            PROTOCOL_VERSION_KEY: "1900-01-01", CLIENT_CAPABILITIES_KEY: {}
        }})))
        .unwrap()
        .unwrap_err();
        assert_eq!(unknown.code, codes::UNSUPPORTED_PROTOCOL_VERSION);
        assert_eq!(unknown.data.unwrap()["requested"], "1900-01-01");
        let missing = modern_meta(&params(
            json!({"_meta": {PROTOCOL_VERSION_KEY: "2026-07-28"}}),
        ))
        .unwrap()
        .unwrap_err();
        assert_eq!(missing.code, codes::INVALID_PARAMS);
    }
}
