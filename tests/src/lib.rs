//! Test support for the mcp workspace.
//!
//! The end-to-end tests in `tests/tests/` talk raw newline-delimited JSON-RPC to the
//! example servers over stdio and check every message the server writes against the
//! official JSON Schema of the protocol revision in use. This library provides the
//! pieces they share:
//!
//! - [`example_binary`] / [`calculator_binary`]: build an example once per test process
//!   and return the path of its executable;
//! - [`McpProcess`]: a small blocking line client for a server child process, where
//!   every wait is bounded by a timeout;
//! - [`Schema`]: a validator for the named definitions of one revision's `schema.json`;
//! - [`Session`]: a client for one protocol revision that builds requests the way that
//!   revision wants them (legacy `initialize` handshake or modern per-request `_meta`)
//!   and validates every server message it receives.

pub mod bad_input;
pub mod http;
pub mod http_mcp;
pub mod http_scenarios;
pub mod sse;

mod binaries;
mod process;
mod revisions;
mod schema;
mod session;

pub use binaries::{calculator_binary, example_binary, spec_dir, target_dir, workspace_root};
pub use process::{DEFAULT_TIMEOUT, McpProcess, RecvError, is_notification, is_response, show};
pub use revisions::{
    ALL_REVISIONS, LEGACY_REVISIONS, META_CLIENT_CAPABILITIES, META_CLIENT_INFO,
    META_PROTOCOL_VERSION, MODERN_REVISION, is_modern,
};
pub use schema::{Schema, SchemaViolation};
pub use session::{Exchange, Session};
