//! The MCP subset both transports share: parse one JSON-RPC message, answer it.
//!
//! Requests are parsed once into structs that borrow from the input (tool
//! arguments stay raw until the tool is known); replies are serialised with
//! `serde_json` straight into the caller's writer.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, Write};
use std::sync::LazyLock;
use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// The `result` of `tools/list`, serialised once (same bytes as `examples/calculator`).
const TOOLS_LIST_RESULT: &str = concat!(
    r#"{"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"calculator","version":"0.1.0"}},"#,
    r#""cacheScope":"public","resultType":"complete","tools":["#,
    r#"{"annotations":{"idempotentHint":true,"readOnlyHint":true},"description":"Add two numbers.","#,
    r#""inputSchema":{"properties":{"a":{"description":"the first addend","type":"number"},"#,
    r#""b":{"description":"the second addend","type":"number"}},"required":["a","b"],"type":"object"},"#,
    r#""name":"add"},"#,
    r#"{"annotations":{"readOnlyHint":true},"#,
    r#""description":"Count from 1 to `to`, one step every 50 ms, reporting progress at each step.","#,
    r#""inputSchema":{"properties":{"to":{"description":"the number to count to","minimum":0,"type":"integer"}},"#,
    r#""required":["to"],"type":"object"},"name":"count"},"#,
    r#"{"annotations":{"idempotentHint":true,"readOnlyHint":true},"description":"Divide `a` by `b`.","#,
    r#""inputSchema":{"properties":{"a":{"description":"the dividend","type":"number"},"#,
    r#""b":{"description":"the divisor; must not be zero","type":"number"}},"required":["a","b"],"type":"object"},"#,
    r#""name":"divide"}],"ttlMs":3600000}"#,
);

/// The `result` of `server/discover`, serialised once.
const DISCOVER_RESULT: &str = concat!(
    r#"{"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"calculator","version":"0.1.0"}},"#,
    r#""cacheScope":"public","capabilities":{"tools":{}},"resultType":"complete","#,
    r#""supportedVersions":["2026-07-28"],"ttlMs":3600000}"#,
);

const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;
const METHOD_NOT_FOUND: i32 = -32601;
const INVALID_PARAMS: i32 = -32602;

/// How long `count` waits between two steps.
const COUNT_STEP: Duration = Duration::from_millis(50);

/// What [`handle`] did with a message.
pub(crate) enum Outcome {
    /// It wrote a whole reply, to be sent with this HTTP status.
    Replied { status: u16 },
    /// The message was a notification: there is nothing to send.
    Silent,
    /// It is a `count` call, which takes time: the transport runs it with
    /// [`Count::run`] without holding up other requests.
    Count(Count),
}

/// A `count` call, detached from the input it was parsed from.
pub(crate) struct Count {
    id: Box<RawValue>,
    to: u32,
    progress_token: Option<Box<RawValue>>,
}

impl Count {
    /// Whether the caller asked for progress notifications.
    pub(crate) fn wants_progress(&self) -> bool {
        self.progress_token.is_some()
    }

    /// Counts to `to`, one step every 50 ms, handing each progress
    /// notification (one JSON text, no newline) to `notify`, then returns
    /// the reply.
    pub(crate) async fn run(self, mut notify: impl FnMut(Vec<u8>)) -> Vec<u8> {
        let total = f64::from(self.to);
        for step in 1..=self.to {
            tokio::time::sleep(COUNT_STEP).await;
            if let Some(progress_token) = self.progress_token.as_deref() {
                let message = format!("counted to {step}");
                notify(to_vec(&Notification {
                    jsonrpc: "2.0",
                    method: "notifications/progress",
                    params: Progress {
                        message: &message,
                        progress: f64::from(step),
                        progress_token,
                        total,
                    },
                }));
            }
        }
        to_vec(&Reply {
            jsonrpc: "2.0",
            id: &self.id,
            result: ToolResult::new(&self.to, false),
        })
    }
}

/// Answers one JSON-RPC message, writing any immediate reply (without a
/// trailing newline) to `out`.
pub(crate) fn handle<W: Write>(input: &[u8], out: &mut W) -> io::Result<Outcome> {
    let message: Message<'_> = match serde_json::from_slice(input) {
        Ok(message) => message,
        Err(error) => {
            let (code, message) = if error.is_data() {
                (INVALID_REQUEST, format!("invalid request: {error}"))
            } else {
                (PARSE_ERROR, format!("parse error: {error}"))
            };
            write_error(out, None, code, message, None)?;
            return Ok(Outcome::Replied { status: 400 });
        }
    };
    let Some(id) = message.id else {
        return Ok(Outcome::Silent);
    };
    match &*message.method {
        "tools/call" => call_tool(out, id, message.params.unwrap_or_default()),
        "tools/list" => write_result(out, id, tools_list_result()),
        "server/discover" => write_result(out, id, discover_result()),
        other => {
            let message = format!("method not found: `{other}`");
            write_error(
                out,
                Some(id),
                METHOD_NOT_FOUND,
                message,
                Some(ErrorData::Method(other)),
            )?;
            Ok(Outcome::Replied { status: 404 })
        }
    }
}

/// Runs `add` or `divide`, or prepares `count`.
fn call_tool<W: Write>(out: &mut W, id: &RawValue, params: Params<'_>) -> io::Result<Outcome> {
    let arguments = params.arguments.map_or("{}", RawValue::get);
    match &*params.name {
        "add" => match serde_json::from_str::<Operands>(arguments) {
            Ok(Operands { a, b }) => write_tool_result(out, id, &(a + b), false),
            Err(error) => write_invalid_arguments(out, id, &error),
        },
        "divide" => match serde_json::from_str::<Operands>(arguments) {
            Ok(Operands { a, b: 0.0 }) => {
                write_tool_result(out, id, &format!("cannot divide {a} by zero"), true)
            }
            Ok(Operands { a, b }) => write_tool_result(out, id, &(a / b), false),
            Err(error) => write_invalid_arguments(out, id, &error),
        },
        "count" => match serde_json::from_str::<CountArguments>(arguments) {
            Ok(CountArguments { to }) => Ok(Outcome::Count(Count {
                id: id.to_owned(),
                to,
                progress_token: params
                    .meta
                    .and_then(|meta| meta.progress_token)
                    .map(ToOwned::to_owned),
            })),
            Err(error) => write_invalid_arguments(out, id, &error),
        },
        other => {
            let message = format!("unknown tool `{other}`");
            write_error(
                out,
                Some(id),
                INVALID_PARAMS,
                message,
                Some(ErrorData::Name(other)),
            )?;
            Ok(Outcome::Replied { status: 200 })
        }
    }
}

fn write_result<W: Write>(out: &mut W, id: &RawValue, result: &RawValue) -> io::Result<Outcome> {
    write_json(
        out,
        &Reply {
            jsonrpc: "2.0",
            id,
            result,
        },
    )?;
    Ok(Outcome::Replied { status: 200 })
}

fn write_tool_result<W: Write>(
    out: &mut W,
    id: &RawValue,
    text: &dyn Display,
    is_error: bool,
) -> io::Result<Outcome> {
    write_json(
        out,
        &Reply {
            jsonrpc: "2.0",
            id,
            result: ToolResult::new(text, is_error),
        },
    )?;
    Ok(Outcome::Replied { status: 200 })
}

/// Bad arguments are the tool's error, reported in its result.
fn write_invalid_arguments<W: Write>(
    out: &mut W,
    id: &RawValue,
    error: &serde_json::Error,
) -> io::Result<Outcome> {
    write_tool_result(out, id, &format_args!("invalid arguments: {error}"), true)
}

fn write_error<W: Write>(
    out: &mut W,
    id: Option<&RawValue>,
    code: i32,
    message: String,
    data: Option<ErrorData<'_>>,
) -> io::Result<()> {
    let error = ErrorObject {
        code,
        message,
        data,
    };
    write_json(
        out,
        &ErrorReply {
            jsonrpc: "2.0",
            id,
            error,
        },
    )
}

fn write_json<W: Write>(out: &mut W, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(out, value).map_err(io::Error::from)
}

fn to_vec(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("these replies always serialise")
}

fn tools_list_result() -> &'static RawValue {
    static RESULT: LazyLock<&'static RawValue> =
        LazyLock::new(|| serde_json::from_str(TOOLS_LIST_RESULT).expect("valid JSON"));
    *RESULT
}

fn discover_result() -> &'static RawValue {
    static RESULT: LazyLock<&'static RawValue> =
        LazyLock::new(|| serde_json::from_str(DISCOVER_RESULT).expect("valid JSON"));
    *RESULT
}

/// One incoming JSON-RPC message, borrowing from the input.
#[derive(Deserialize)]
struct Message<'a> {
    /// Absent (or `null`) for a notification.
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow, default)]
    params: Option<Params<'a>>,
}

/// The `params` fields this server reads; the rest (including the
/// per-request protocol `_meta`) is skipped.
#[derive(Deserialize, Default)]
struct Params<'a> {
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    arguments: Option<&'a RawValue>,
    #[serde(rename = "_meta", borrow, default)]
    meta: Option<RequestMeta<'a>>,
}

#[derive(Deserialize)]
struct RequestMeta<'a> {
    #[serde(rename = "progressToken", borrow, default)]
    progress_token: Option<&'a RawValue>,
}

/// Arguments of `add` and `divide`.
#[derive(Deserialize)]
struct Operands {
    a: f64,
    b: f64,
}

/// Arguments of `count`.
#[derive(Deserialize)]
struct CountArguments {
    to: u32,
}

#[derive(Serialize)]
struct Reply<'a, R> {
    jsonrpc: &'static str,
    id: &'a RawValue,
    result: R,
}

/// A `tools/call` result holding one text block.
#[derive(Serialize)]
struct ToolResult<'a> {
    #[serde(rename = "_meta")]
    meta: ResultMeta,
    content: [TextContent<'a>; 1],
    #[serde(rename = "isError", skip_serializing_if = "is_false")]
    is_error: bool,
    #[serde(rename = "resultType")]
    result_type: &'static str,
}

impl<'a> ToolResult<'a> {
    fn new(text: &'a dyn Display, is_error: bool) -> Self {
        Self {
            meta: ResultMeta {
                server_info: ServerInfo {
                    name: "calculator",
                    version: "0.1.0",
                },
            },
            content: [TextContent { text, kind: "text" }],
            is_error,
            result_type: "complete",
        }
    }
}

#[derive(Serialize)]
struct ResultMeta {
    #[serde(rename = "io.modelcontextprotocol/serverInfo")]
    server_info: ServerInfo,
}

#[derive(Serialize)]
struct ServerInfo {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct TextContent<'a> {
    /// Written straight from its `Display` form, with no intermediate `String`.
    #[serde(serialize_with = "serialize_display")]
    text: &'a dyn Display,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Notification<'a> {
    jsonrpc: &'static str,
    method: &'static str,
    params: Progress<'a>,
}

#[derive(Serialize)]
struct Progress<'a> {
    message: &'a str,
    progress: f64,
    #[serde(rename = "progressToken")]
    progress_token: &'a RawValue,
    total: f64,
}

#[derive(Serialize)]
struct ErrorReply<'a> {
    jsonrpc: &'static str,
    id: Option<&'a RawValue>,
    error: ErrorObject<'a>,
}

#[derive(Serialize)]
struct ErrorObject<'a> {
    code: i32,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<ErrorData<'a>>,
}

/// `data` of an error: the name that was not found.
#[derive(Serialize)]
enum ErrorData<'a> {
    #[serde(rename = "method")]
    Method(&'a str),
    #[serde(rename = "name")]
    Name(&'a str),
}

fn serialize_display<S: Serializer>(
    value: &&dyn Display,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(*value)
}

fn is_false(value: &bool) -> bool {
    !value
}
