//! What a tool returns: [`ToolResult`] and the conversions into it.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::content::Content;
use crate::protocol::jsonrpc::result_message_with;
use crate::protocol::meta::SERVER_INFO_KEY;
use crate::protocol::{ProtocolVersion, RequestId};

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

    /// The JSON-RPC reply carrying this result to a client speaking `version`, written
    /// straight into bytes (the way a hand-written server would): the constant parts
    /// as they are, with `result_meta` (the server's pre-serialised `_meta` of a
    /// 2026-07-28 result) copied in, and only the content run through `serde_json`.
    pub(crate) fn reply_message(
        &self,
        id: &RequestId,
        version: ProtocolVersion,
        result_meta: &str,
    ) -> Vec<u8> {
        result_message_with(id, 120 + result_meta.len(), |out| {
            self.write_result(version, result_meta, out);
        })
    }

    /// Writes the `CallToolResult` object, keys sorted as everywhere else.
    fn write_result(&self, version: ProtocolVersion, result_meta: &str, out: &mut Vec<u8>) {
        out.push(b'{');
        if version.is_modern() {
            out.extend_from_slice(b"\"_meta\":");
            out.extend_from_slice(result_meta.as_bytes());
            out.push(b',');
        }
        out.extend_from_slice(b"\"content\":[");
        for (index, content) in self.content.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            match content {
                Content::Text { text } => {
                    out.extend_from_slice(b"{\"text\":");
                    write_json(out, text);
                    out.extend_from_slice(b",\"type\":\"text\"}");
                }
                other => write_json(out, &other.to_json(version)),
            }
        }
        out.push(b']');
        if self.is_error {
            out.extend_from_slice(b",\"isError\":true");
        }
        if version.is_modern() {
            out.extend_from_slice(b",\"resultType\":\"complete\"");
        }
        let structured = self.structured_content.as_ref().filter(|structured| {
            version.is_modern() || (version.has_structured_output() && structured.is_object())
        });
        if let Some(structured) = structured {
            out.extend_from_slice(b",\"structuredContent\":");
            write_json(out, structured);
        }
        out.push(b'}');
    }

    /// The `CallToolResult` JSON for a client speaking `version`.
    #[cfg(test)]
    pub(crate) fn to_json(&self, version: ProtocolVersion, server_info: &Value) -> Value {
        let meta = serde_json::json!({ SERVER_INFO_KEY: server_info }).to_string();
        let mut out = Vec::new();
        self.write_result(version, &meta, &mut out);
        serde_json::from_slice(&out).unwrap_or(Value::Null)
    }
}

/// Appends the JSON of `value`, whose serialisation cannot fail (a string, an id, a
/// JSON value).
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing into a Vec cannot fail, and these types have no non-string map keys.
    let _ = serde_json::to_writer(out, value);
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
                // Sized for most values at once: `to_string` grows its buffer piece by
                // piece, an allocation each time.
                let mut text = String::with_capacity(24);
                // Writing to a `String` cannot fail.
                let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{self}"));
                ToolResult::text(text)
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
