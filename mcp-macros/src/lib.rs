//! Procedural macros of the `mcp` framework. Use them through the `mcp` crate
//! (`#[mcp::tool]`, `#[mcp::main]`); their documentation lives there.
//!
//! A mistake in a macro's input is a compile error, never a panic: every error of one
//! item is reported together, and the item is still emitted beside them.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
mod complete;
mod entry;
mod prompt;
mod resource;
mod server;
mod tool;

use proc_macro::TokenStream;

/// Turns a function into an MCP tool. See `mcp::tool` for the documentation.
#[proc_macro_attribute]
pub fn tool(attr: TokenStream, item: TokenStream) -> TokenStream {
    tool::expand(attr.into(), item.into()).into()
}

/// Turns `async fn main() {}` into a complete server program. See `mcp::main`.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(attr.into(), item.into()).into()
}

/// Turns a function into an MCP resource. See `mcp::resource` for the documentation.
#[proc_macro_attribute]
pub fn resource(attr: TokenStream, item: TokenStream) -> TokenStream {
    resource::expand(attr.into(), item.into()).into()
}

/// Turns a function into an MCP prompt. See `mcp::prompt` for the documentation.
#[proc_macro_attribute]
pub fn prompt(attr: TokenStream, item: TokenStream) -> TokenStream {
    prompt::expand(attr.into(), item.into()).into()
}

/// Turns a function into a completer for a prompt argument or a template variable.
/// See `mcp::complete` for the documentation.
#[proc_macro_attribute]
pub fn complete(attr: TokenStream, item: TokenStream) -> TokenStream {
    complete::expand(attr.into(), item.into()).into()
}

/// Serves the `#[tool]`, `#[resource(...)]` and `#[prompt]` methods of an `impl` block
/// with `&self` bound to the server's shared value. See `mcp::server`.
#[proc_macro_attribute]
pub fn server(attr: TokenStream, item: TokenStream) -> TokenStream {
    server::expand(attr.into(), item.into()).into()
}
