//! What tool, resource and prompt descriptors share besides their names: icons a client
//! may show, and a `_meta` object passed through as written.
//!
//! `#[mcp::tool(icon = "...", meta(...))]` (and the same options of `#[mcp::resource]`
//! and `#[mcp::prompt]`) fill these in; each list shows them to the revisions that have
//! them: `icons` from 2025-11-25 on, `_meta` from 2025-06-18 on.

use serde_json::{Map, Value};

use crate::protocol::ProtocolVersion;

/// An icon a client may show beside a tool, resource or prompt (`Icon` in the protocol).
///
/// Written by the `icon` option of the macros:
/// `#[mcp::tool(icon(src = "https://example.com/add.png", mime = "image/png", sizes = ["48x48"], theme = "light"))]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Icon {
    /// Where the image is: an `https:` URL, or a `data:` URI holding the image.
    pub src: &'static str,
    /// Its MIME type, when the source does not tell (`image/png`, `image/svg+xml`).
    pub mime_type: Option<&'static str>,
    /// The sizes it can be shown at (`48x48`, or `any` for a scalable image); empty when
    /// it suits any size.
    pub sizes: &'static [&'static str],
    /// The background it is drawn for; `None` when it suits both.
    pub theme: Option<IconTheme>,
}

/// The background an [`Icon`] is designed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconTheme {
    /// A light background.
    Light,
    /// A dark background.
    Dark,
}

impl IconTheme {
    /// The theme's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            IconTheme::Light => "light",
            IconTheme::Dark => "dark",
        }
    }
}

impl Icon {
    fn to_json(self) -> Value {
        let mut icon = Map::new();
        icon.insert("src".into(), Value::from(self.src));
        if let Some(mime_type) = self.mime_type {
            icon.insert("mimeType".into(), Value::from(mime_type));
        }
        if !self.sizes.is_empty() {
            icon.insert("sizes".into(), Value::from(self.sizes.to_vec()));
        }
        if let Some(theme) = self.theme {
            icon.insert("theme".into(), Value::from(theme.as_str()));
        }
        Value::Object(icon)
    }
}

/// Adds `icons` and `_meta` to a descriptor, as far as `version` has them.
pub(crate) fn add_icons_and_meta(
    descriptor: &mut Map<String, Value>,
    icons: &[Icon],
    meta: Option<&str>,
    version: ProtocolVersion,
) {
    if version.has_icons() && !icons.is_empty() {
        let icons = icons.iter().copied().map(Icon::to_json).collect();
        descriptor.insert("icons".into(), Value::Array(icons));
    }
    // The builder has checked the text; a descriptor that skipped it goes without.
    if let (true, Some(Ok(meta))) = (version.has_descriptor_meta(), meta.map(parse_meta)) {
        descriptor.insert("_meta".into(), Value::Object(meta));
    }
}

/// A descriptor's `_meta` text as an object, or why it is not one.
pub(crate) fn parse_meta(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str(text) {
        Ok(Value::Object(meta)) => Ok(meta),
        Ok(other) => Err(format!("`_meta` must be a JSON object, not `{other}`")),
        Err(error) => Err(format!("`_meta` is not JSON ({error}): `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ICONS: &[Icon] = &[
        Icon {
            src: "https://example.com/a.png",
            mime_type: Some("image/png"),
            sizes: &["48x48", "96x96"],
            theme: Some(IconTheme::Dark),
        },
        Icon {
            src: "data:image/svg+xml;base64,PHN2Zy8+",
            mime_type: None,
            sizes: &[],
            theme: None,
        },
    ];

    fn described(version: ProtocolVersion) -> Value {
        let mut descriptor = Map::new();
        add_icons_and_meta(&mut descriptor, ICONS, Some(r#"{"a/b":1}"#), version);
        Value::Object(descriptor)
    }

    #[test]
    fn icons_and_meta_follow_the_revision() {
        let icons = json!([
            {"src": "https://example.com/a.png", "mimeType": "image/png", "sizes": ["48x48", "96x96"], "theme": "dark"},
            {"src": "data:image/svg+xml;base64,PHN2Zy8+"}
        ]);
        for version in [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28] {
            assert_eq!(
                described(version),
                json!({"icons": icons, "_meta": {"a/b": 1}})
            );
        }
        assert_eq!(
            described(ProtocolVersion::V2025_06_18),
            json!({"_meta": {"a/b": 1}})
        );
        for version in [ProtocolVersion::V2025_03_26, ProtocolVersion::V2024_11_05] {
            assert_eq!(described(version), json!({}));
        }
    }

    #[test]
    fn meta_must_be_an_object() {
        assert!(parse_meta("{}").is_ok());
        assert!(parse_meta("[1]").unwrap_err().contains("object"));
        assert!(parse_meta("{").unwrap_err().contains("not JSON"));
    }
}
