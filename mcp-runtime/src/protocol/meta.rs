//! Per-request metadata: the `_meta` keys a 2026-07-28 request carries, and the
//! progress token every revision allows.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::errors::RpcError;
use super::shape::{visit_everything_but_strings, visit_scalars};
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

/// The `_meta` fields of a request the server reads, taken out of `params` while the
/// message is parsed (no map is built for `_meta`); other `_meta` keys are skipped.
///
/// A `_meta` that is not an object counts as absent, as it did when `_meta` was looked up
/// in the params object.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RequestMeta {
    protocol_version: Option<RequestedVersion>,
    client_capabilities: Option<Value>,
    client_info: Option<ClientInfo>,
    log_level: Option<Value>,
    progress_token: Option<Value>,
}

impl RequestMeta {
    /// The revision the request names, if it names one as a string.
    pub(crate) fn protocol_version(&self) -> Option<&str> {
        match self.protocol_version.as_ref()? {
            RequestedVersion::Text(text) => Some(text),
            RequestedVersion::NotText => None,
        }
    }

    /// The request's `_meta.progressToken`, if it asked for progress.
    pub(crate) fn progress_token(&self) -> Option<Value> {
        self.progress_token
            .as_ref()
            .filter(|token| token.is_string() || token.is_i64() || token.is_u64())
            .cloned()
    }

    /// Takes the modern per-request fields out.
    ///
    /// `None` when the request carries no protocol version in `_meta` (a legacy
    /// request); `Some(Err)` when it does but the fields are unusable.
    pub(crate) fn into_modern(self) -> Option<Result<ModernMeta, RpcError>> {
        let requested = self.protocol_version.as_ref()?;
        Some(match self.check_modern(requested) {
            Ok((version, log_level)) => Ok(ModernMeta {
                version,
                client_info: self.client_info.and_then(|ClientInfo(info)| info.ok()),
                client_capabilities: self.client_capabilities.unwrap_or_default(),
                log_level,
            }),
            Err(error) => Err(error),
        })
    }

    /// The revision a modern request names, once its fields are checked (without
    /// copying them): `None` for a legacy request, as for [`RequestMeta::into_modern`].
    pub(crate) fn modern_version(&self) -> Option<Result<ProtocolVersion, RpcError>> {
        let requested = self.protocol_version.as_ref()?;
        Some(self.check_modern(requested).map(|(version, _)| version))
    }

    /// Checks the modern fields; the revision and the log level, read once.
    fn check_modern(
        &self,
        requested: &RequestedVersion,
    ) -> Result<(ProtocolVersion, Option<LogLevel>), RpcError> {
        let RequestedVersion::Text(requested) = requested else {
            return Err(RpcError::invalid_params(format!(
                "`_meta.{PROTOCOL_VERSION_KEY}` must be a string"
            )));
        };
        let version = ProtocolVersion::parse(requested)
            .ok_or_else(|| RpcError::unsupported_version(requested))?;
        match &self.client_capabilities {
            Some(Value::Object(_)) => {}
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
        }
        if let Some(ClientInfo(Err(error))) = &self.client_info {
            return Err(RpcError::invalid_params(format!(
                "invalid `_meta.{CLIENT_INFO_KEY}`: {error}"
            )));
        }
        let log_level = match &self.log_level {
            None => None,
            Some(level) => Some(LogLevel::deserialize(level).map_err(|error| {
                RpcError::invalid_params(format!("invalid `_meta.{LOG_LEVEL_KEY}`: {error}"))
            })?),
        };
        Ok((version, log_level))
    }
}

impl<'de> Deserialize<'de> for RequestMeta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RequestMeta, D::Error> {
        deserializer.deserialize_any(MetaVisitor)
    }
}

/// The value of `_meta.protocolVersion`: its text (a revision this server knows is not
/// copied), or a note that it is not a string.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RequestedVersion {
    Text(Cow<'static, str>),
    NotText,
}

impl<'de> Deserialize<'de> for RequestedVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RequestedVersion, D::Error> {
        deserializer.deserialize_any(RequestedVersionVisitor)
    }
}

struct RequestedVersionVisitor;

impl<'de> Visitor<'de> for RequestedVersionVisitor {
    type Value = RequestedVersion;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a protocol revision")
    }

    fn visit_str<E>(self, text: &str) -> Result<RequestedVersion, E> {
        Ok(RequestedVersion::Text(match ProtocolVersion::parse(text) {
            Some(version) => Cow::Borrowed(version.as_str()),
            None => Cow::Owned(text.to_owned()),
        }))
    }

    visit_everything_but_strings!(RequestedVersion::NotText);
}

/// Reads the known `_meta` keys of an object; anything else is an absent `_meta`.
struct MetaVisitor;

impl<'de> Visitor<'de> for MetaVisitor {
    type Value = RequestMeta;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a `_meta` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RequestMeta, A::Error> {
        let mut meta = RequestMeta::default();
        while let Some(key) = map.next_key::<MetaKey>()? {
            let slot = match key {
                MetaKey::ProtocolVersion => {
                    meta.protocol_version = Some(map.next_value()?);
                    continue;
                }
                MetaKey::ClientCapabilities => &mut meta.client_capabilities,
                MetaKey::ClientInfo => {
                    meta.client_info = Some(map.next_value()?);
                    continue;
                }
                MetaKey::LogLevel => &mut meta.log_level,
                MetaKey::ProgressToken => &mut meta.progress_token,
                MetaKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(meta)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RequestMeta, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RequestMeta::default())
    }

    visit_scalars!(
        unit = RequestMeta::default(),
        other = RequestMeta::default()
    );
}

/// `_meta.clientInfo`, read straight into an [`Implementation`], or why it is not one
/// (reported only if the request is served as 2026-07-28).
#[derive(Clone, Debug, PartialEq)]
struct ClientInfo(Result<Implementation, String>);

impl<'de> Deserialize<'de> for ClientInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClientInfo, D::Error> {
        deserializer.deserialize_any(ClientInfoVisitor)
    }
}

/// Reads `name`, `version` and `title` without building a map; anything that is not
/// an object with string `name` and `version` (and a string or null `title`) is kept
/// as the reason it is not an [`Implementation`].
struct ClientInfoVisitor;

impl<'de> Visitor<'de> for ClientInfoVisitor {
    type Value = ClientInfo;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a client's name and version")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ClientInfo, A::Error> {
        let (mut name, mut version, mut title) = (None, None, None);
        while let Some(key) = map.next_key::<ImplementationKey>()? {
            let slot = match key {
                ImplementationKey::Name => &mut name,
                ImplementationKey::Version => &mut version,
                ImplementationKey::Title => &mut title,
                ImplementationKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value::<Value>()?);
        }
        Ok(ClientInfo(implementation(name, version, title)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ClientInfo, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_an_object())
    }

    visit_scalars!(unit = not_an_object(), other = not_an_object());
}

/// Why a `clientInfo` that is not an object is not an [`Implementation`].
fn not_an_object() -> ClientInfo {
    ClientInfo(Err(
        "expected an object with `name` and `version`".to_owned()
    ))
}

/// An [`Implementation`] from its fields, or what is wrong with them.
fn implementation(
    name: Option<Value>,
    version: Option<Value>,
    title: Option<Value>,
) -> Result<Implementation, String> {
    let text = |field: &str, value: Option<Value>| match value {
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(format!("`{field}` must be a string, got {other}")),
        None => Err(format!("missing field `{field}`")),
    };
    let title = match title {
        None | Some(Value::Null) => None,
        Some(Value::String(title)) => Some(title),
        Some(other) => return Err(format!("`title` must be a string, got {other}")),
    };
    Ok(Implementation {
        name: text("name", name)?,
        version: text("version", version)?,
        title,
    })
}

/// The fields of an [`Implementation`].
enum ImplementationKey {
    Name,
    Version,
    Title,
    Other,
}

impl<'de> Deserialize<'de> for ImplementationKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ImplementationKey, D::Error> {
        deserializer.deserialize_str(ImplementationKeyVisitor)
    }
}

struct ImplementationKeyVisitor;

impl Visitor<'_> for ImplementationKeyVisitor {
    type Value = ImplementationKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<ImplementationKey, E> {
        Ok(match key {
            "name" => ImplementationKey::Name,
            "version" => ImplementationKey::Version,
            "title" => ImplementationKey::Title,
            _ => ImplementationKey::Other,
        })
    }
}

/// The `_meta` keys the server reads.
enum MetaKey {
    ProtocolVersion,
    ClientCapabilities,
    ClientInfo,
    LogLevel,
    ProgressToken,
    Other,
}

impl<'de> Deserialize<'de> for MetaKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MetaKey, D::Error> {
        deserializer.deserialize_str(MetaKeyVisitor)
    }
}

struct MetaKeyVisitor;

impl Visitor<'_> for MetaKeyVisitor {
    type Value = MetaKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a `_meta` key")
    }

    fn visit_str<E>(self, key: &str) -> Result<MetaKey, E> {
        Ok(match key {
            PROTOCOL_VERSION_KEY => MetaKey::ProtocolVersion,
            CLIENT_CAPABILITIES_KEY => MetaKey::ClientCapabilities,
            CLIENT_INFO_KEY => MetaKey::ClientInfo,
            LOG_LEVEL_KEY => MetaKey::LogLevel,
            "progressToken" => MetaKey::ProgressToken,
            _ => MetaKey::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::errors::codes;
    use serde_json::json;

    fn params(value: Value) -> RequestMeta {
        RequestMeta::deserialize(&value["_meta"]).unwrap()
    }

    fn modern_meta(meta: &RequestMeta) -> Option<Result<ModernMeta, RpcError>> {
        let checked = meta.modern_version();
        let taken = meta.clone().into_modern();
        assert_eq!(checked.is_some(), taken.is_some());
        taken
    }

    #[test]
    fn a_meta_that_is_not_an_object_is_absent() {
        assert_eq!(
            params(json!({"_meta": [1, {"a": 2}]})),
            RequestMeta::default()
        );
        assert_eq!(params(json!({"_meta": "x"})), RequestMeta::default());
        let token = params(json!({"_meta": {"progressToken": 7, "other": {"x": [1]}}}));
        assert_eq!(token.progress_token(), Some(json!(7)));
        assert_eq!(
            params(json!({"_meta": {"progressToken": 1.5}})).progress_token(),
            None
        );
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

    #[test]
    fn a_version_that_is_not_a_string_is_invalid_and_any_string_is_read_as_text() {
        for version in [json!(20260728), json!(null), json!(["2026-07-28"])] {
            let meta = params(json!({"_meta": {
                PROTOCOL_VERSION_KEY: version, CLIENT_CAPABILITIES_KEY: {}
            }}));
            assert_eq!(meta.protocol_version(), None, "{version}");
            let error = modern_meta(&meta).unwrap().unwrap_err();
            assert_eq!(error.code, codes::INVALID_PARAMS, "{version}");
        }
        for version in ["2026-07-28", "2025-11-25", "1900-01-01"] {
            let meta = params(json!({"_meta": {PROTOCOL_VERSION_KEY: version}}));
            assert_eq!(meta.protocol_version(), Some(version));
        }
    }
}
