//! `everything`: the fixtures the official MCP conformance suite
//! (npm `@modelcontextprotocol/conformance`) expects of a server, as far as `mcp`
//! implements the features they exercise.
//!
//! Run with: `cargo run -p everything -- --transport http --bind 127.0.0.1:3000`, then
//! `npx @modelcontextprotocol/conformance server --url http://127.0.0.1:3000/mcp`.
//! `tests/e2e/test_conformance.py` does exactly that with the pinned suites.
//!
//! The tools are `#[mcp::tool]` functions. Resources, prompts and completers have no
//! macros yet, so their descriptors ([`mcp::ResourceDef`], [`mcp::PromptDef`],
//! [`mcp::CompletionDef`]) are written by hand and `main` assembles the server with
//! [`mcp::Server::builder`]: `#[mcp::main]` serves only what registers itself, and the
//! runtime's registries of resources and prompts are not reachable from outside it. One tool is hand-written too: `json_schema_2020_12_tool`,
//! whose input schema must keep `$schema`, which `#[mcp::tool]` schemas never carry.
//!
//! Fixtures left out because `mcp` lacks the feature (see
//! `tests/conformance/baseline-*.yml` for the scenarios that fail because of them):
//! sampling (`test_sampling`), elicitation (`test_elicitation`,
//! `test_elicitation_sep1034_defaults`, `test_elicitation_sep1330_enums`,
//! `test_streaming_elicitation`), client capability checks (`test_missing_capability`),
//! multi round-trip requests (`test_input_required_result_*`), tools and prompts that
//! change at run time (`test_trigger_tool_change`, `test_trigger_prompt_change`), SSE
//! polling with stream resumption (`test_reconnection`) and resource subscriptions
//! (`resources/subscribe`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use mcp::transport::http::{HttpConfig, serve_http};
use mcp::{
    CompleteCall, CompleteFuture, CompletionDef, CompletionRef, Content, EmbeddedResource,
    LogLevel, PromptArg, PromptArgument, PromptCall, PromptDef, PromptFuture, PromptMessage,
    ResourceArg, ResourceCall, ResourceDef, ResourceFuture, ToolAnnotations, ToolDef, ToolResult,
};

/// A 1x1 red PNG.
const RED_PIXEL_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

/// One millisecond of silence: a WAV file, 8 kHz, mono, 8-bit.
const SILENT_WAV: &str = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQgAAACAgICAgICAgA==";

// ---------------------------------------------------------------------------------------
// Tools

/// Returns one text block (scenario `tools-call-simple-text`).
#[mcp::tool]
fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Returns a 1x1 red PNG (scenario `tools-call-image`).
#[mcp::tool]
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

/// A tool whose input schema uses JSON Schema 2020-12 keywords (scenario
/// `json-schema-2020-12`, SEP-1613). Written by hand: `#[mcp::tool]` schemas never carry
/// `$schema`, and this scenario checks that a server passes it through.
static JSON_SCHEMA_2020_12_TOOL: ToolDef = ToolDef {
    name: "json_schema_2020_12_tool",
    title: None,
    description: Some("Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)"),
    annotations: ToolAnnotations {
        read_only: Some(true),
        destructive: None,
        idempotent: Some(true),
        open_world: None,
    },
    input_schema: json_schema_2020_12_input,
    output_schema: || None,
    // The arguments are not read back: `ToolCall` has no public accessor (the macro's
    // generated code reads them), and the scenario only checks the listing.
    call: |_call| Box::pin(async { ToolResult::text("JSON Schema 2020-12 tool called") }),
    param_headers: &[],
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

// ---------------------------------------------------------------------------------------
// Resources

/// Hand-written descriptors are not functions the builder could look up.
fn no_function() -> std::any::TypeId {
    std::any::TypeId::of::<()>()
}

fn read_static_text(call: ResourceCall) -> ResourceFuture {
    Box::pin(async move { call.finish("This is the content of the static text resource.") })
}

fn read_static_binary(call: ResourceCall) -> ResourceFuture {
    Box::pin(async move {
        call.finish(EmbeddedResource {
            uri: call.uri().to_owned(),
            mime_type: Some("image/png".to_owned()),
            text: None,
            blob: Some(RED_PIXEL_PNG.to_owned()),
        })
    })
}

fn read_template_data(mut call: ResourceCall) -> ResourceFuture {
    Box::pin(async move {
        let id = <String as ResourceArg>::extract(&mut call, "id")?;
        let data = serde_json::json!({
            "id": id,
            "templateTest": true,
            "data": format!("Data for ID: {id}"),
        });
        call.finish(data.to_string())
    })
}

fn read_watched(call: ResourceCall) -> ResourceFuture {
    Box::pin(async move { call.finish("Watched resource content") })
}

/// `test://static-text` (scenario `resources-read-text`).
static STATIC_TEXT: ResourceDef = ResourceDef {
    uri: "test://static-text",
    name: "static-text",
    title: Some("Static text resource"),
    description: Some("A static text resource for testing"),
    mime_type: Some("text/plain"),
    read: read_static_text,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test://static-binary` (scenario `resources-read-binary`).
static STATIC_BINARY: ResourceDef = ResourceDef {
    uri: "test://static-binary",
    name: "static-binary",
    title: Some("Static binary resource"),
    description: Some("A static binary resource (a 1x1 PNG) for testing"),
    mime_type: Some("image/png"),
    read: read_static_binary,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test://template/{id}/data` (scenario `resources-templates-read`).
static TEMPLATE_DATA: ResourceDef = ResourceDef {
    uri: "test://template/{id}/data",
    name: "template-data",
    title: Some("Template resource"),
    description: Some("A resource template whose `id` is substituted into the data"),
    mime_type: Some("application/json"),
    read: read_template_data,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test://watched-resource`, the target of scenarios `resources-subscribe` and
/// `resources-unsubscribe` (which fail: subscriptions are not implemented yet).
static WATCHED: ResourceDef = ResourceDef {
    uri: "test://watched-resource",
    name: "watched-resource",
    title: Some("Watched resource"),
    description: Some("A resource clients may subscribe to"),
    mime_type: Some("text/plain"),
    read: read_watched,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

// ---------------------------------------------------------------------------------------
// Prompts

fn no_arguments() -> Vec<PromptArgument> {
    Vec::new()
}

fn get_simple(_call: PromptCall) -> PromptFuture {
    Box::pin(async {
        Ok(vec![PromptMessage::user(
            "This is a simple prompt for testing.",
        )])
    })
}

fn with_arguments_arguments() -> Vec<PromptArgument> {
    [
        <String as PromptArg>::describe("arg1", Some("First test argument")),
        <String as PromptArg>::describe("arg2", Some("Second test argument")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn get_with_arguments(mut call: PromptCall) -> PromptFuture {
    Box::pin(async move {
        let arg1 = <String as PromptArg>::extract(&mut call, "arg1")?;
        let arg2 = <String as PromptArg>::extract(&mut call, "arg2")?;
        Ok(vec![PromptMessage::user(format!(
            "Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
        ))])
    })
}

fn embedded_resource_arguments() -> Vec<PromptArgument> {
    <String as PromptArg>::describe("resourceUri", Some("URI of the resource to embed"))
        .into_iter()
        .collect()
}

fn get_with_embedded_resource(mut call: PromptCall) -> PromptFuture {
    Box::pin(async move {
        let uri = <String as PromptArg>::extract(&mut call, "resourceUri")?;
        Ok(vec![
            PromptMessage::user(Content::embedded_text(
                uri,
                "text/plain",
                "Embedded resource content for testing.",
            )),
            PromptMessage::user("Please process the embedded resource above."),
        ])
    })
}

fn get_with_image(_call: PromptCall) -> PromptFuture {
    Box::pin(async {
        Ok(vec![
            PromptMessage::user(Content::image(RED_PIXEL_PNG, "image/png")),
            PromptMessage::user("Please analyze the image above."),
        ])
    })
}

/// `test_simple_prompt` (scenario `prompts-get-simple`).
static SIMPLE_PROMPT: PromptDef = PromptDef {
    name: "test_simple_prompt",
    title: Some("Simple prompt"),
    description: Some("A simple prompt without arguments"),
    arguments: no_arguments,
    get: get_simple,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test_prompt_with_arguments` (scenario `prompts-get-with-args`).
static PROMPT_WITH_ARGUMENTS: PromptDef = PromptDef {
    name: "test_prompt_with_arguments",
    title: Some("Prompt with arguments"),
    description: Some("A prompt with two required arguments"),
    arguments: with_arguments_arguments,
    get: get_with_arguments,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test_prompt_with_embedded_resource` (scenario `prompts-get-embedded-resource`).
static PROMPT_WITH_EMBEDDED_RESOURCE: PromptDef = PromptDef {
    name: "test_prompt_with_embedded_resource",
    title: Some("Prompt with an embedded resource"),
    description: Some("A prompt that embeds the resource it is given"),
    arguments: embedded_resource_arguments,
    get: get_with_embedded_resource,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

/// `test_prompt_with_image` (scenario `prompts-get-with-image`).
static PROMPT_WITH_IMAGE: PromptDef = PromptDef {
    name: "test_prompt_with_image",
    title: Some("Prompt with an image"),
    description: Some("A prompt with an image"),
    arguments: no_arguments,
    get: get_with_image,
    function_id: no_function,
    location: concat!(file!(), ":", line!()),
};

// ---------------------------------------------------------------------------------------
// Completion

fn complete_prompt_argument(call: CompleteCall) -> CompleteFuture {
    Box::pin(async move { call.filter(["paris", "park", "party", "test", "testing"]) })
}

fn complete_template_id(call: CompleteCall) -> CompleteFuture {
    Box::pin(async move { call.filter(["1", "2", "3", "42", "123"]) })
}

/// Suggestions for `arg1` of `test_prompt_with_arguments` (scenario `completion-complete`).
static COMPLETE_ARG1: CompletionDef = CompletionDef {
    reference: CompletionRef::Prompt("test_prompt_with_arguments"),
    argument: "arg1",
    complete: complete_prompt_argument,
    location: concat!(file!(), ":", line!()),
};

/// Suggestions for `arg2` of `test_prompt_with_arguments`.
static COMPLETE_ARG2: CompletionDef = CompletionDef {
    reference: CompletionRef::Prompt("test_prompt_with_arguments"),
    argument: "arg2",
    complete: complete_prompt_argument,
    location: concat!(file!(), ":", line!()),
};

/// Suggestions for `id` of `test://template/{id}/data`.
static COMPLETE_TEMPLATE_ID: CompletionDef = CompletionDef {
    reference: CompletionRef::Resource("test://template/{id}/data"),
    argument: "id",
    complete: complete_template_id,
    location: concat!(file!(), ":", line!()),
};

// ---------------------------------------------------------------------------------------
// The server and its command line

fn server() -> Result<mcp::Server, mcp::BuildError> {
    mcp::Server::builder()
        .name("everything")
        .version(env!("CARGO_PKG_VERSION"))
        .registered_tools()
        .tool_def(&JSON_SCHEMA_2020_12_TOOL)
        .resource_def(&STATIC_TEXT)
        .resource_def(&STATIC_BINARY)
        .resource_def(&TEMPLATE_DATA)
        .resource_def(&WATCHED)
        .prompt_def(&SIMPLE_PROMPT)
        .prompt_def(&PROMPT_WITH_ARGUMENTS)
        .prompt_def(&PROMPT_WITH_EMBEDDED_RESOURCE)
        .prompt_def(&PROMPT_WITH_IMAGE)
        .completion_def(&COMPLETE_ARG1)
        .completion_def(&COMPLETE_ARG2)
        .completion_def(&COMPLETE_TEMPLATE_ID)
        .build()
}

const USAGE: &str = "\
usage: everything [--transport stdio|http] [--bind ADDR]

  --transport   stdio (default) or http; env MCP_TRANSPORT
  --bind        the HTTP address (default 127.0.0.1:8080); env MCP_BIND
  MCP_AUTH_TOKEN  a bearer token every HTTP request must carry (default: none, accepted on loopback addresses only)";

/// What the command line asked for.
struct Options {
    http: bool,
    bind: SocketAddr,
}

fn parse_options() -> Result<Options, String> {
    let mut transport = std::env::var("MCP_TRANSPORT").unwrap_or_else(|_| "stdio".into());
    let mut bind = std::env::var("MCP_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--transport" => transport = value("--transport")?,
            "--bind" => bind = value("--bind")?,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let http = match transport.as_str() {
        "stdio" => false,
        "http" => true,
        other => return Err(format!("unknown transport `{other}`: use stdio or http")),
    };
    let bind = bind
        .parse()
        .map_err(|error| format!("invalid --bind address `{bind}`: {error}"))?;
    Ok(Options { http, bind })
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Logs (among them the `serving MCP at ...` line) go to stderr: stdout is the stdio
    // channel.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let server = match server() {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        if options.http {
            let mut config = HttpConfig::new(options.bind);
            if let Ok(token) = std::env::var("MCP_AUTH_TOKEN") {
                config.tokens = mcp::transport::http::Tokens::single("default", &token);
            }
            serve_http(server, config).await
        } else {
            server.serve_stdio().await
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_builds_with_every_fixture() {
        let server = server().expect("a valid server");
        assert_eq!(server.info().name, "everything");
    }

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
}
