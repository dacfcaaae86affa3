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
mod entry;
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
