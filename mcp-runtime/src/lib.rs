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

#[doc(hidden)]
pub mod __private;
mod base64;
mod cli;
mod completion;
mod content;
mod context;
mod error;
mod output;
mod prompt;
pub mod protocol;
mod registry;
mod resource;
mod schema;
mod server;
pub mod testing;
mod tool;
mod tool_result;
pub mod transport;
mod uri_template;

pub use completion::{CompleteCall, CompleteFuture, CompletionDef, CompletionRef};
pub use content::{Content, EmbeddedResource, ResourceLink};
pub use context::{Context, Identity};
pub use error::{Error, Result};
pub use prompt::{
    IntoPromptMessages, PromptArg, PromptArgument, PromptCall, PromptDef, PromptError,
    PromptFuture, PromptMessage, Role,
};
pub use protocol::ProtocolVersion;
pub use protocol::meta::{Implementation, LogLevel};
pub use resource::{IntoResourceContents, ResourceArg, ResourceCall, ResourceDef, ResourceFuture};
pub use server::{BuildError, Server, ServerBuilder, ServerInfo};
pub use tool::{ToolAnnotations, ToolDef};
pub use tool_result::{IntoToolResult, ToolResult};
pub use uri_template::{TemplateError, UriTemplate};

pub use mcp_macros::{complete, main, prompt, resource, tool};

/// Re-exported so that `#[derive(mcp::schemars::JsonSchema)]` needs no extra dependency.
pub use schemars;
/// Re-exported so that `#[derive(mcp::serde::Deserialize)]` needs no extra dependency.
pub use serde;
