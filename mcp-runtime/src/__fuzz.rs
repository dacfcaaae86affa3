//! Thin wrappers over internals, for the fuzz targets of `fuzz/` only.
//!
//! This module exists only in builds with `--cfg fuzzing`, which cargo-fuzz sets: it is
//! no part of the API, and every other build (and the docs) is without it. Each wrapper
//! calls the function the transports call, and gives its answer back as plain data.

use serde_json::{Map, Value};

use crate::protocol::jsonrpc::{Incoming, RequestId};

/// One message as [`Incoming::parse`] read it, ids and params as JSON values.
#[derive(Debug, PartialEq)]
pub enum Message {
    /// A request.
    Request {
        /// Its id.
        id: Value,
        /// Its method.
        method: String,
        /// Its params, without `_meta` and `arguments`.
        params: Map<String, Value>,
        /// The JSON text of `params.arguments`.
        arguments: Option<String>,
        /// `params._meta` names this revision (as a string).
        protocol_version: Option<String>,
        /// `params._meta.progressToken`, when it is a string or an integer.
        progress_token: Option<Value>,
    },
    /// A notification.
    Notification {
        /// Its method.
        method: String,
        /// Its params.
        params: Map<String, Value>,
    },
    /// A response to a request of the server.
    Response {
        /// Its id.
        id: Value,
        /// Whether it is a result (not an error).
        ok: bool,
    },
    /// A notification whose params are an array: dropped unanswered.
    IgnoredNotification {
        /// Its method.
        method: String,
    },
    /// A batch: its messages.
    Batch(Vec<Value>),
    /// Not a valid message: the error code it is answered with, and the id the answer
    /// carries (`None`: `null`).
    Invalid {
        /// The id.
        id: Option<Value>,
        /// The JSON-RPC error code.
        code: i64,
    },
}

/// Parses one message (a stdio line, an HTTP body).
pub fn parse_message(bytes: &[u8]) -> Message {
    let id = |id: &RequestId| serde_json::to_value(id).unwrap_or_default();
    match Incoming::parse(bytes) {
        Incoming::Request {
            id: request_id,
            method,
            params,
            meta,
            arguments,
        } => Message::Request {
            id: id(&request_id),
            method: method.into_owned(),
            params,
            arguments: arguments.map(|raw| raw.get().to_owned()),
            protocol_version: meta.protocol_version().map(str::to_owned),
            progress_token: meta.progress_token(),
        },
        Incoming::Notification { method, params } => Message::Notification {
            method: method.into_owned(),
            params,
        },
        Incoming::Response {
            id: response_id,
            outcome,
        } => Message::Response {
            id: id(&response_id),
            ok: outcome.is_ok(),
        },
        Incoming::IgnoredNotification { method, .. } => Message::IgnoredNotification {
            method: method.into_owned(),
        },
        Incoming::Batch(items) => Message::Batch(items),
        Incoming::Invalid {
            id: request_id,
            error,
        } => Message::Invalid {
            id: request_id.as_ref().map(id),
            code: error.code,
        },
    }
}

#[cfg(feature = "http")]
pub use crate::transport::http::fuzz::*;
