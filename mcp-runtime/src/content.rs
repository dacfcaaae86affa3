//! Content blocks: what a tool result (and later a prompt message) is made of.

use serde::Serialize;
use serde_json::{Value, json};

use crate::base64::encode as base64;
use crate::protocol::ProtocolVersion;

/// One block of content in a tool result.
///
/// ```
/// use mcp::Content;
/// let blocks = vec![
///     Content::text("the chart:"),
///     Content::image_bytes(&[0x89, b'P', b'N', b'G'], "image/png"),
/// ];
/// assert_eq!(blocks.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// Plain text.
    Text {
        /// The text.
        text: String,
    },
    /// An image, base64-encoded.
    Image {
        /// Base64 of the image bytes.
        data: String,
        /// Such as `image/png`.
        mime_type: String,
    },
    /// Audio, base64-encoded (2025-03-26 and later; older clients get a text note).
    Audio {
        /// Base64 of the audio bytes.
        data: String,
        /// Such as `audio/wav`.
        mime_type: String,
    },
    /// A link to a resource the client may read (2025-06-18 and later; older
    /// clients get the URI as text).
    ResourceLink(ResourceLink),
    /// A resource's contents, embedded in the result.
    Resource(EmbeddedResource),
}

/// A link to a resource, as carried by [`Content::ResourceLink`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLink {
    /// The resource's URI.
    pub uri: String,
    /// A programmatic name for it.
    pub name: String,
    /// What it is, for the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its MIME type, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
}

/// A resource's contents: text or base64 bytes under a URI.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedResource {
    /// The resource's URI.
    pub uri: String,
    /// Its MIME type, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Text contents (exactly one of `text` and `blob` is set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Base64 contents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

impl Content {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Content {
        Content::Text { text: text.into() }
    }

    /// An image block from base64 data you already have.
    pub fn image(base64: impl Into<String>, mime_type: impl Into<String>) -> Content {
        Content::Image {
            data: base64.into(),
            mime_type: mime_type.into(),
        }
    }

    /// An image block from raw bytes (encoded here).
    pub fn image_bytes(bytes: &[u8], mime_type: impl Into<String>) -> Content {
        Content::image(base64(bytes), mime_type)
    }

    /// An audio block from raw bytes (encoded here).
    pub fn audio_bytes(bytes: &[u8], mime_type: impl Into<String>) -> Content {
        Content::Audio {
            data: base64(bytes),
            mime_type: mime_type.into(),
        }
    }

    /// A link to a resource.
    pub fn resource_link(uri: impl Into<String>, name: impl Into<String>) -> Content {
        Content::ResourceLink(ResourceLink {
            uri: uri.into(),
            name: name.into(),
            description: None,
            mime_type: None,
        })
    }

    /// An embedded text resource.
    pub fn embedded_text(
        uri: impl Into<String>,
        mime_type: impl Into<String>,
        text: impl Into<String>,
    ) -> Content {
        Content::Resource(EmbeddedResource {
            uri: uri.into(),
            mime_type: Some(mime_type.into()),
            text: Some(text.into()),
            blob: None,
        })
    }

    /// The block as JSON for a client speaking `version`; blocks the revision does not
    /// know are turned into text so that nothing is silently lost.
    pub(crate) fn to_json(&self, version: ProtocolVersion) -> Value {
        match self {
            Content::Text { text } => json!({ "type": "text", "text": text }),
            Content::Image { data, mime_type } => {
                json!({ "type": "image", "data": data, "mimeType": mime_type })
            }
            Content::Audio { data, mime_type } if version.has_annotations() => {
                json!({ "type": "audio", "data": data, "mimeType": mime_type })
            }
            Content::Audio { mime_type, .. } => {
                json!({ "type": "text", "text": format!("[audio content ({mime_type}) not shown: the client's protocol revision has no audio]") })
            }
            Content::ResourceLink(link) if version.has_structured_output() => {
                let mut value = serde_json::to_value(link).unwrap_or(Value::Null);
                if let Value::Object(object) = &mut value {
                    object.insert("type".into(), "resource_link".into());
                }
                value
            }
            Content::ResourceLink(link) => json!({ "type": "text", "text": link.uri }),
            Content::Resource(resource) => json!({ "type": "resource", "resource": resource }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_unknown_to_old_revisions_become_text() {
        let audio = Content::audio_bytes(b"RIFF", "audio/wav");
        assert_eq!(audio.to_json(ProtocolVersion::V2025_03_26)["type"], "audio");
        assert_eq!(audio.to_json(ProtocolVersion::V2024_11_05)["type"], "text");
        let link = Content::resource_link("file:///a.txt", "a");
        assert_eq!(
            link.to_json(ProtocolVersion::V2025_06_18)["type"],
            "resource_link"
        );
        assert_eq!(
            link.to_json(ProtocolVersion::V2025_03_26)["text"],
            "file:///a.txt"
        );
    }
}
