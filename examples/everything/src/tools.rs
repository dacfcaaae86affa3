//! The tools: `#[mcp::tool]` functions, and `json_schema_2020_12_tool`, written by hand.

use std::time::Duration;

use mcp::{Content, LogLevel, ToolAnnotations, ToolDef, ToolResult};

use crate::RED_PIXEL_PNG;

/// One millisecond of silence: a WAV file, 8 kHz, mono, 8-bit.
const SILENT_WAV: &str = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

/// Returns one text block (scenario `tools-call-simple-text`).
#[mcp::tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

// Its icon is the PNG it returns (listed to 2025-11-25 and later clients); its `_meta`
// names the scenario.
/// Returns a 1x1 red PNG (scenario `tools-call-image`).
#[mcp::tool(
    icon(src = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", mime = "image/png", sizes = ["1x1"]),
    meta("com.example/scenario" = "tools-call-image")
)]
fn test_image_content() -> Content {
    Content::image(RED_PIXEL_PNG, "image/png")
}

/// Returns a short WAV clip (scenario `tools-call-audio`).
#[mcp::tool]
fn test_audio_content() -> Content {
    Content::Audio {
        data: SILENT_WAV.to_owned(),
        mime_type: "audio/wav".to_owned(),
    }
}

/// Returns an embedded text resource (scenario `tools-call-embedded-resource`).
#[mcp::tool]
fn test_embedded_resource() -> Content {
    Content::embedded_text(
        "test://embedded-resource",
        "text/plain",
        "This is an embedded resource content.",
    )
}

/// Returns text, an image and an embedded resource (scenario `tools-call-mixed-content`).
#[mcp::tool]
fn test_multiple_content_types() -> Vec<Content> {
    vec![
        Content::text("Multiple content types test:"),
        Content::image(RED_PIXEL_PNG, "image/png"),
        Content::embedded_text(
            "test://mixed-content-resource",
            "application/json",
            r#"{"test":"data","value":123}"#,
        ),
    ]
}

/// Sends three info log messages 50 ms apart (scenario `tools-call-with-logging`).
#[mcp::tool]
async fn test_tool_with_logging(ctx: mcp::Context) -> &'static str {
    ctx.log(LogLevel::Info, "Tool execution started").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    ctx.log(LogLevel::Info, "Tool processing data").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    ctx.log(LogLevel::Info, "Tool execution completed").await;
    "Tool with logging executed successfully"
}

/// Logs at every level; nothing reaches a client that did not ask for log messages
/// (the 2026-07-28 diagnostic tool of scenario `server-stateless`).
#[mcp::tool]
async fn test_logging_tool(ctx: mcp::Context) -> &'static str {
    for level in [
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Notice,
        LogLevel::Warning,
        LogLevel::Error,
    ] {
        ctx.log(level, format!("a {level:?} message from test_logging_tool"))
            .await;
    }
    "Logging tool executed"
}

/// Always fails, with a message the model reads (scenario `tools-call-error`).
#[mcp::tool]
fn test_error_handling() -> Result<&'static str, &'static str> {
    Err("This tool intentionally returns an error for testing")
}

/// Reports progress 0, 50 and 100 out of 100, 50 ms apart (scenario
/// `tools-call-with-progress`).
#[mcp::tool]
async fn test_tool_with_progress(ctx: mcp::Context) -> &'static str {
    for (step, done) in [0.0, 50.0, 100.0].into_iter().enumerate() {
        if step > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ctx.progress(done, 100.0, None).await;
    }
    "Tool with progress executed successfully"
}

/// Echoes `region`, which 2026-07-28 clients also send in the `Mcp-Param-Region` HTTP
/// header (`x-mcp-header`; scenario `http-custom-header-server-validation`, SEP-2243).
///
/// # Arguments
/// * `region` - a region name, mirrored into `Mcp-Param-Region`
#[mcp::tool]
fn test_custom_header(#[mcp(header = "Region")] region: String) -> String {
    format!("region: {region}")
}

// Production deployment: what a tool learns of its caller (a bearer token's name, a
// mutual-TLS client certificate).
/// Who a caller authenticated as.
#[derive(mcp::serde::Serialize, mcp::schemars::JsonSchema)]
#[serde(crate = "mcp::serde", rename_all = "camelCase")]
#[schemars(crate = "mcp::schemars")]
struct Caller {
    /// The bearer token's name, with token authentication.
    token: Option<String>,
    /// The client certificate's subject (RFC 4514), with mutual TLS.
    certificate: Option<String>,
    /// The client certificate's common name.
    common_name: Option<String>,
}

/// Say who the caller authenticated as: token name and client certificate subject
#[mcp::tool(annotations(read_only))]
fn whoami(ctx: mcp::Context) -> Caller {
    let certificate = ctx.client_certificate();
    Caller {
        token: ctx.identity().map(|identity| identity.name.clone()),
        certificate: certificate.map(|cert| cert.subject().to_owned()),
        common_name: certificate.and_then(|cert| cert.common_name().map(str::to_owned)),
    }
}

// ---------------------------------------------------------------------------------------
// The one hand-written tool

// Scenario `server-stateless` (2026-07-28): a call that changes the tool list, so that
// listen streams that asked for `toolsListChanged` hear of it.
/// Switch `test_dynamic_tool` on or off, changing the tool list
#[mcp::tool]
fn test_trigger_tool_change(ctx: mcp::Context) -> String {
    let Some(server) = ctx.server() else {
        return "no server to change".to_owned();
    };
    let on = server.is_tool_enabled("test_dynamic_tool");
    server.set_tool_enabled("test_dynamic_tool", !on);
    format!("test_dynamic_tool is now {}", if on { "off" } else { "on" })
}

// The tool `test_trigger_tool_change` switches on and off.
/// A tool that comes and goes
#[mcp::tool]
fn test_dynamic_tool() -> &'static str {
    "Here for now."
}

/// A tool whose input schema uses JSON Schema 2020-12 keywords (scenario
/// `json-schema-2020-12`, SEP-1613).
///
/// Written by hand because the scenario checks that a server passes `$schema` through,
/// and `#[mcp::tool]` schemas never carry it (the runtime strips `$schema` from every
/// schema it derives). `main` adds it with [`mcp::ServerBuilder::tool_def`].
pub(crate) static JSON_SCHEMA_2020_12_TOOL: ToolDef = ToolDef {
    name: "json_schema_2020_12_tool",
    title: None,
    description: Some("Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)"),
    annotations: ToolAnnotations {
        read_only: Some(true),
        destructive: None,
        idempotent: Some(true),
        open_world: None,
    },
    icons: &[],
    meta: None,
    input_schema: json_schema_2020_12_input,
    output_schema: || None,
    // The arguments are not read back: `ToolCall` has no public accessor (the macro's
    // generated code reads them), and the scenario only checks the listing.
    call: |_call| Box::pin(async { ToolResult::text("JSON Schema 2020-12 tool called") }),
    param_headers: &[],
    // No Rust function stands behind it for `ServerBuilder::tool` to look up.
    function_id: std::any::TypeId::of::<()>,
    location: concat!(file!(), ":", line!()),
};

/// The input schema of `json_schema_2020_12_tool`, with the 2020-12 keywords the
/// scenario checks are preserved: `$schema`, `$defs` (with an `$anchor`, and a `$ref` to
/// it) and `additionalProperties` (SEP-1613), composition (`allOf`/`anyOf`) and
/// conditionals (`if`/`then`/`else`) (SEP-2106).
fn json_schema_2020_12_input() -> serde_json::Value {
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {
            "address": {
                "$anchor": "addressDef",
                "type": "object",
                "properties": {
                    "street": { "type": "string" },
                    "city": { "type": "string" }
                }
            }
        },
        "properties": {
            "name": { "type": "string" },
            "address": { "$ref": "#/$defs/address" },
            "contactMethod": { "type": "string", "enum": ["phone", "email"] },
            "phone": { "type": "string" },
            "email": { "type": "string" }
        },
        "allOf": [{ "anyOf": [{ "required": ["phone"] }, { "required": ["email"] }] }],
        "if": {
            "properties": { "contactMethod": { "const": "phone" } },
            "required": ["contactMethod"]
        },
        "then": { "required": ["phone"] },
        "else": { "required": ["email"] },
        "additionalProperties": false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_stay_callable_as_plain_functions() {
        assert_eq!(
            test_simple_text(),
            "This is a simple text response for testing."
        );
        assert!(test_error_handling().is_err());
        assert_eq!(test_multiple_content_types().len(), 3);
    }

    #[tokio::test]
    async fn async_tools_run_detached() {
        let ctx = mcp::Context::detached();
        assert!(!test_tool_with_progress(ctx.clone()).await.is_empty());
        assert!(!test_tool_with_logging(ctx).await.is_empty());
    }

    #[test]
    fn the_hand_written_schema_keeps_its_dialect() {
        let schema = (JSON_SCHEMA_2020_12_TOOL.input_schema)();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}
