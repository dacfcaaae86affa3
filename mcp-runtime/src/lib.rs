//! # mcp
//!
//! Write [Model Context Protocol](https://modelcontextprotocol.io) servers as plain Rust
//! functions. Put `#[mcp::tool]` on functions and `#[mcp::main]` on `main`; the input
//! schemas, the dispatch table, protocol negotiation (every revision from 2024-11-05 to
//! 2026-07-28) and the transport come with it.
//!
//! ```no_run
//! use mcp::Context;
//!
//! /// Add two numbers.
//! ///
//! /// # Arguments
//! /// * `a` - the first addend
//! /// * `b` - the second addend
//! #[mcp::tool]
//! async fn add(a: f64, b: f64) -> f64 {
//!     a + b
//! }
//!
//! /// Count to `to`, reporting progress.
//! #[mcp::tool(annotations(read_only))]
//! async fn count(ctx: Context, to: u32) -> u32 {
//!     for step in 1..=to {
//!         ctx.progress(f64::from(step), f64::from(to), None).await;
//!     }
//!     to
//! }
//!
//! #[mcp::main(name = "calculator", transport = "stdio")]
//! async fn main() {}
//! ```

#[cfg(fuzzing)]
#[doc(hidden)]
pub mod __fuzz;
#[doc(hidden)]
pub mod __private;
mod arguments;
mod base64;
mod certificate;
mod cli;
mod completion;
mod content;
mod context;
mod descriptor;
mod error;
mod input;
mod output;
mod prompt;
pub mod protocol;
mod registry;
mod resource;
mod schema;
mod server;
mod state;
pub mod testing;
mod tool;
mod tool_result;
pub mod transport;
mod uri_template;

pub use certificate::ClientCertificate;
pub use completion::{CompleteCall, CompleteFuture, CompletionDef, CompletionRef};
pub use content::{Content, EmbeddedResource, ResourceLink};
pub use context::{Context, Identity};
pub use descriptor::{Icon, IconTheme};
pub use error::{Error, Result};
pub use input::{Elicitation, InputError, InputRequest};
pub use prompt::{
    IntoPromptMessages, PromptArg, PromptArgument, PromptCall, PromptDef, PromptError,
    PromptFuture, PromptMessage, Role,
};
pub use protocol::ProtocolVersion;
pub use protocol::meta::{Implementation, LogLevel};
pub use resource::{IntoResourceContents, ResourceArg, ResourceCall, ResourceDef, ResourceFuture};
pub use server::{BuildError, Server, ServerBuilder, ServerInfo};
pub use state::{State, provide};
pub use tool::{ToolAnnotations, ToolDef};
pub use tool_result::{IntoToolResult, ToolResult};
pub use uri_template::{TemplateError, UriTemplate};

/// Turns a function into a completer: suggestions for one prompt argument
/// (`prompt = "name"`) or one resource template variable (`resource = "template"`), named
/// by `argument = "..."`; `crate = path` as for the other macros. It takes the typed
/// value (`String`) or the whole `mcp::CompleteCall`, and returns `Vec<String>` or
/// `Vec<&'static str>`.
///
/// ```
/// /// Review some code.
/// #[mcp::prompt]
/// fn review(code: String, language: String) -> String {
///     format!("{language}: {code}")
/// }
///
/// /// Languages, as the user types.
/// #[mcp::complete(prompt = "review", argument = "language")]
/// fn languages(typed: String) -> Vec<&'static str> {
///     ["rust", "ruby"].into_iter().filter(|l| l.starts_with(&typed)).collect()
/// }
///
/// /// Days for a template variable.
/// #[mcp::complete(resource = "logs://{day}", argument = "day", crate = ::mcp)]
/// async fn days(call: mcp::CompleteCall) -> Vec<String> {
///     call.filter(["monday", "tuesday"])
/// }
/// ```
pub use mcp_macros::complete;
/// Turns `async fn main() {}` into a server program with a command line (`--help` lists
/// every flag and its environment variable). The body runs first, then the server
/// serves every registered tool, resource, prompt and completer.
///
/// Options: `name = "..."` (default: the package name), `transport = "stdio" | "http"`
/// (default `stdio`; the `--transport` flag and `MCP_TRANSPORT` override it), `bind =
/// "ADDR"` (the default HTTP address; only with `transport = "http"`), `crate = path`.
///
/// The server runs on a multi-thread tokio runtime, so calls still running make progress
/// in parallel; when the process may use only one CPU (an affinity mask, a container's
/// CPU quota) it runs on a current-thread runtime instead, which serves the same with
/// less CPU per call and less memory. Setting `TOKIO_WORKER_THREADS` keeps the
/// multi-thread runtime whatever the CPU count. On the current-thread runtime
/// `tokio::task::block_in_place` is not available: tools that block use
/// `tokio::task::spawn_blocking`, which works on both.
///
/// ```no_run
/// /// Add two numbers.
/// #[mcp::tool]
/// fn add(a: f64, b: f64) -> f64 {
///     a + b
/// }
///
/// #[mcp::main(name = "calculator", transport = "http", bind = "127.0.0.1:3000", crate = ::mcp)]
/// async fn main() {}
/// ```
pub use mcp_macros::main;
/// Turns a function into an MCP prompt: its parameters are the prompt's arguments.
///
/// Options: `name = "..."`, `title = "..."`, `icon` and `meta(...)` (as for
/// [`tool`](macro@tool)), `crate = path`; on a parameter, `#[mcp(description = "...")]`.
/// Return text (one user message), `mcp::PromptMessage`s, or a `Result` of those.
///
/// ```
/// use mcp::PromptMessage;
///
/// /// Review some code.
/// ///
/// /// # Arguments
/// /// * `code` - the code to review
/// #[mcp::prompt(
///     name = "review",
///     title = "Code review",
///     icon = "https://example.com/review.svg",
///     meta("com.example/tags" = ["code", "review"]),
///     crate = ::mcp,
/// )]
/// fn review(code: String, #[mcp(description = "its language")] language: Option<String>) -> Vec<PromptMessage> {
///     vec![PromptMessage::user(format!("Review this {}:\n{code}", language.unwrap_or_default()))]
/// }
/// # let _ = mcp::Server::builder().prompt(review).build().unwrap();
/// ```
pub use mcp_macros::prompt;
/// Turns a function into an MCP resource: a fixed URI, or an RFC 6570 template whose
/// variables (`{name}`: one segment; `{+name}`: the rest of the path) are the function's
/// parameters, checked at compile time.
///
/// Options: `uri = "..."` (required), `mime = "..."`, `name = "..."`, `title = "..."`,
/// `icon` and `meta(...)` (as for [`tool`](macro@tool); on fixed resources and templates
/// alike), `crate = path`. Return text (`String`), bytes (`Vec<u8>`),
/// `mcp::EmbeddedResource`s, or a `Result` of those.
///
/// ```
/// /// The configuration.
/// #[mcp::resource(uri = "config://app", mime = "text/x-toml", name = "config", title = "Configuration")]
/// fn config() -> &'static str {
///     "debug = true"
/// }
///
/// /// A user's avatar.
/// #[mcp::resource(
///     uri = "users://{id}/avatar.png",
///     mime = "image/png",
///     icon(src = "https://example.com/user.png", mime = "image/png", sizes = ["32x32"]),
///     meta("com.example/cache" = {"seconds": 60}),
///     crate = ::mcp,
/// )]
/// async fn avatar(ctx: mcp::Context, id: u32) -> mcp::Result<Vec<u8>> {
///     let _ = (ctx, id);
///     Ok(vec![0x89, b'P', b'N', b'G'])
/// }
/// # let _ = mcp::Server::builder().resource(config).resource(avatar).build().unwrap();
/// ```
pub use mcp_macros::resource;
/// Serves the methods of an `impl` block marked `#[tool]`, `#[resource(...)]` or
/// `#[prompt]` (same options as the free-function macros, `icon` and `meta(...)`
/// included), with `&self` bound to the server's shared value of that type: give it with
/// `Server::builder().state(value)` or `mcp::provide(value)` in `main`. Methods take
/// `&self` (the value is shared by every call: keep mutable state behind a `Mutex` or an
/// atomic); associated functions without `self` work too. Option: `crate = path`.
///
/// ```standalone_crate
/// use std::sync::Mutex;
///
/// /// A note book shared by every call.
/// #[derive(Default)]
/// struct Notes(Mutex<Vec<String>>);
///
/// #[mcp::server(crate = ::mcp)]
/// impl Notes {
///     /// Add a note.
///     #[tool]
///     fn add_note(&self, text: String) -> usize {
///         let mut notes = self.0.lock().unwrap();
///         notes.push(text);
///         notes.len()
///     }
///
///     /// Every note.
///     #[resource(uri = "notes://all", mime = "text/plain", icon = "https://example.com/notes.png")]
///     fn all(&self) -> String {
///         self.0.lock().unwrap().join("\n")
///     }
///
///     /// Summarize the notes.
///     #[prompt(name = "summarize")]
///     async fn summary(&self, style: Option<String>) -> String {
///         format!("Summarize {} notes ({})", self.0.lock().unwrap().len(), style.unwrap_or_default())
///     }
/// }
///
/// let server = mcp::Server::builder().registered().state(Notes::default()).build().unwrap();
/// # let _ = server;
/// ```
pub use mcp_macros::server;
/// Turns a function into an MCP tool.
///
/// The name is the function's, the description its doc comment; each parameter becomes a
/// property of the input schema (`Option` ones optional, descriptions from `# Arguments`
/// or `#[mcp(description = "...")]`). `mcp::Context` may be taken in any position.
///
/// Options: `name = "..."`, `title = "..."`, `annotations(read_only, destructive,
/// idempotent, open_world)` (each also `= false`), `icon` and `meta(...)` (below),
/// `crate = path` (when the `mcp` dependency is renamed). Parameter options:
/// `#[mcp(description = "...")]`, `#[mcp(flatten)]` (this struct is the whole input),
/// `#[mcp(header = "Name")]` (mirrored into the `Mcp-Param-Name` HTTP header; strings,
/// integers, booleans).
///
/// ```
/// use mcp::Context;
///
/// /// Search the catalogue.
/// ///
/// /// # Arguments
/// /// * `query` - what to look for
/// #[mcp::tool(name = "search", title = "Catalogue search", annotations(read_only, open_world = false))]
/// async fn find(
///     ctx: Context,
///     query: String,
///     #[mcp(description = "at most this many hits")] limit: Option<u32>,
///     #[mcp(header = "Region")] region: String,
/// ) -> mcp::Result<Vec<String>> {
///     ctx.progress(1.0, 1.0, "done").await;
///     Ok(vec![format!("{query} in {region}"); limit.unwrap_or(1) as usize])
/// }
///
/// /// A point.
/// #[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]
/// # #[serde(crate = "mcp::serde")] #[schemars(crate = "mcp::schemars")]
/// struct Point { x: f64, y: f64 }
///
/// /// Distance from the origin.
/// #[mcp::tool(crate = ::mcp)]
/// fn norm(#[mcp(flatten)] point: Point) -> f64 {
///     point.x.hypot(point.y)
/// }
/// # let _ = mcp::Server::builder().tool(find).tool(norm).build().unwrap();
/// ```
///
/// # Icons and `_meta`
///
/// The same on tools, resources (fixed and templates) and prompts, checked at compile
/// time:
///
/// - `icon = "URI"`, or `icon(src = "URI", mime = "image/png", sizes = ["48x48", "96x96"],
///   theme = "light")` with only `src` required: one icon a client may show. Repeat the
///   option for several (a light and a dark one, several sizes). `src` is a URI with a
///   scheme (`https:`, or a `data:` URI holding the image); a size is `WxH` or `any`; the
///   theme, the background the icon is drawn for, is `light` or `dark`. Listed to clients
///   of 2025-11-25 and later.
/// - `meta(key = value, ...)`: the descriptor's `_meta` object. A key is a name
///   (`version`) or a string (`"com.example/flag"`: a prefix of dot-separated labels, a
///   `/`, a name); a value is JSON as `serde_json::json!` writes it: a string, a number,
///   `true`, `false`, `null`, `[...]` or `{"key": value}`. Listed to clients of
///   2025-06-18 and later.
///
/// ```
/// /// Add two numbers.
/// #[mcp::tool(
///     icon = "https://example.com/add.png",
///     icon(src = "https://example.com/add-dark.svg", mime = "image/svg+xml", sizes = ["any"], theme = "dark"),
///     meta("com.example/flag" = true, version = 2, ui = {"resourceUri": "ui://calculator/add"}),
/// )]
/// fn add(a: f64, b: f64) -> f64 {
///     a + b
/// }
/// # let _ = mcp::Server::builder().tool(add).build().unwrap();
/// ```
pub use mcp_macros::tool;

/// Re-exported so that `#[derive(mcp::schemars::JsonSchema)]` needs no extra dependency.
pub use schemars;
/// Re-exported so that `#[derive(mcp::serde::Deserialize)]` needs no extra dependency.
pub use serde;
