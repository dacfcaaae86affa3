//! What a tool returns: [`ToolResult`] and the conversions into it.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::content::Content;
use crate::protocol::ProtocolVersion;
use crate::protocol::meta::SERVER_INFO_KEY;

/// The outcome of a tool call, as the client receives it.
///
/// Most tools return plain Rust values and never build one; return it when you want full
/// control (several blocks, structured content, or an error the model should read).
///
/// ```
/// use mcp::{Content, ToolResult};
/// let ok = ToolResult::from(vec![Content::text("done")]);
/// let failed = ToolResult::error("the file does not exist");
/// assert!(!ok.is_error && failed.is_error);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolResult {
    /// The unstructured content, read by the model.
    pub content: Vec<Content>,
    /// Structured content matching the tool's output schema.
    pub structured_content: Option<Value>,
    /// Whether the call failed in a way the model should see and may correct.
    pub is_error: bool,
}

impl ToolResult {
    /// A successful result with one text block.
    pub fn text(text: impl Into<String>) -> ToolResult {
        ToolResult::from(vec![Content::text(text)])
    }

    /// A failed result (`isError: true`) with a message the model can read.
    pub fn error(message: impl Into<String>) -> ToolResult {
        ToolResult {
            is_error: true,
            ..ToolResult::text(message)
        }
    }

    /// A successful structured result; its JSON text is added as the fallback block.
    pub fn structured(value: Value) -> ToolResult {
        let text = value.to_string();
        ToolResult {
            content: vec![Content::text(text)],
            structured_content: Some(value),
            is_error: false,
        }
    }

    /// The `CallToolResult` for a client speaking `version`, serialised straight from
    /// this result (the same JSON as [`ToolResult::to_json`], without building it first).
    pub(crate) fn wire<'a>(
        &'a self,
        version: ProtocolVersion,
        server_info: &'a Value,
    ) -> WireToolResult<'a> {
        WireToolResult {
            result: self,
            version,
            server_info,
        }
    }

    /// The `CallToolResult` JSON for a client speaking `version`.
    #[cfg(test)]
    pub(crate) fn to_json(&self, version: ProtocolVersion, server_meta: &Value) -> Value {
        serde_json::to_value(self.wire(version, server_meta)).unwrap_or(Value::Null)
    }
}

/// A [`ToolResult`] as one revision's `CallToolResult`, ready to serialise.
pub(crate) struct WireToolResult<'a> {
    result: &'a ToolResult,
    version: ProtocolVersion,
    server_info: &'a Value,
}

impl Serialize for WireToolResult<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let WireToolResult {
            result,
            version,
            server_info,
        } = *self;
        let structured = result.structured_content.as_ref().filter(|structured| {
            version.is_modern() || (version.has_structured_output() && structured.is_object())
        });
        // Keys in the order the rest of the server writes them (sorted).
        let mut map = serializer.serialize_map(None)?;
        if version.is_modern() {
            map.serialize_entry("_meta", &ServerInfoMeta(server_info))?;
        }
        let content: Vec<WireContent<'_>> = result
            .content
            .iter()
            .map(|content| WireContent(content, version))
            .collect();
        map.serialize_entry("content", &content)?;
        if result.is_error {
            map.serialize_entry("isError", &true)?;
        }
        if version.is_modern() {
            map.serialize_entry("resultType", "complete")?;
        }
        if let Some(structured) = structured {
            map.serialize_entry("structuredContent", structured)?;
        }
        map.end()
    }
}

/// `{"io.modelcontextprotocol/serverInfo": …}`.
struct ServerInfoMeta<'a>(&'a Value);

impl Serialize for ServerInfoMeta<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(SERVER_INFO_KEY, self.0)?;
        map.end()
    }
}

/// One content block as `version` shows it; text (the common case) without a detour
/// through [`Value`].
struct WireContent<'a>(&'a Content, ProtocolVersion);

impl Serialize for WireContent<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Content::Text { text } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("text", text)?;
                map.serialize_entry("type", "text")?;
                map.end()
            }
            other => other.to_json(self.1).serialize(serializer),
        }
    }
}

/// Adds the fields every 2026-07-28 result carries: `resultType` and `_meta.serverInfo`.
pub(crate) fn finish_modern(result: &mut Map<String, Value>, server_info: &Value) {
    result.insert("resultType".into(), Value::from("complete"));
    let mut meta = Map::new();
    meta.insert(SERVER_INFO_KEY.into(), server_info.clone());
    result.insert("_meta".into(), Value::Object(meta));
}

impl From<Vec<Content>> for ToolResult {
    fn from(content: Vec<Content>) -> ToolResult {
        ToolResult {
            content,
            structured_content: None,
            is_error: false,
        }
    }
}

/// Values a tool may return directly.
///
/// Implemented for text (`String`, `&'static str`), numbers and `bool` (their text),
/// `()` (no content), [`Content`], `Vec<Content>` and [`ToolResult`]. A tool may also
/// return any `T: Serialize + JsonSchema` (structured content with an output schema),
/// or `Result<T, E>` with `E: Display` (an `Err` becomes an `isError` result).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a tool",
    label = "this type cannot become a tool result",
    note = "return text (`String`), a number, `mcp::Content`, `mcp::ToolResult`, or a type that derives `serde::Serialize` and `schemars::JsonSchema`"
)]
pub trait IntoToolResult {
    /// Converts the value.
    fn into_tool_result(self) -> ToolResult;
}

impl IntoToolResult for ToolResult {
    fn into_tool_result(self) -> ToolResult {
        self
    }
}

impl IntoToolResult for Content {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::from(vec![self])
    }
}

impl IntoToolResult for Vec<Content> {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::from(self)
    }
}

impl IntoToolResult for () {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::default()
    }
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::text(self)
    }
}

impl IntoToolResult for &'static str {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::text(self)
    }
}

impl IntoToolResult for Cow<'static, str> {
    fn into_tool_result(self) -> ToolResult {
        ToolResult::text(self.into_owned())
    }
}

macro_rules! text_of_value {
    ($($ty:ty),*) => {$(
        impl IntoToolResult for $ty {
            fn into_tool_result(self) -> ToolResult {
                ToolResult::text(self.to_string())
            }
        }
    )*};
}

text_of_value!(
    bool, char, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_become_their_text() {
        assert_eq!(2.5f64.into_tool_result(), ToolResult::text("2.5"));
        assert_eq!(3.0f64.into_tool_result(), ToolResult::text("3"));
        assert_eq!(true.into_tool_result(), ToolResult::text("true"));
    }

    #[test]
    fn structured_content_is_shaped_per_revision() {
        let info = json!({"name": "s", "version": "1"});
        let list = ToolResult::structured(json!([1, 2]));
        let modern = list.to_json(ProtocolVersion::V2026_07_28, &info);
        assert_eq!(modern["structuredContent"], json!([1, 2]));
        assert_eq!(modern["resultType"], "complete");
        let legacy = list.to_json(ProtocolVersion::V2025_11_25, &info);
        assert!(
            legacy.get("structuredContent").is_none(),
            "arrays are not allowed before 2026"
        );
        let object = ToolResult::structured(json!({"x": 1}));
        let old = object.to_json(ProtocolVersion::V2025_03_26, &info);
        assert!(old.get("structuredContent").is_none());
        assert_eq!(old["content"][0]["text"], "{\"x\":1}");
    }
}
