//! The wire protocol: JSON-RPC framing, revisions, per-request metadata and the JSON
//! shapes each revision expects.

pub mod errors;
pub(crate) mod jsonrpc;
pub(crate) mod meta;
pub(crate) mod shape;
pub mod version;

pub use errors::{RpcError, codes};
pub use jsonrpc::RequestId;
pub use version::ProtocolVersion;
