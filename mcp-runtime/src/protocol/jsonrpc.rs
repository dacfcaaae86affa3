//! JSON-RPC 2.0 framing: reading one message, writing replies and notifications.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::errors::RpcError;
use super::meta::RequestMeta;
use super::shape::{ParamsField, Shape};
use super::version::ProtocolVersion;

/// The id of a request: a string or an integer (never `null` in MCP).
#[derive(Clone, Debug)]
pub enum RequestId {
    /// A numeric id, kept as the client wrote it.
    Number(serde_json::Number),
    /// A string id.
    String(String),
}

impl RequestId {
    /// Reads an id from JSON; `None` for `null`, fractions, booleans and the rest.
    pub(crate) fn from_value(value: Value) -> Option<RequestId> {
        match value {
            Value::Number(number) if number.is_i64() || number.is_u64() => {
                Some(RequestId::Number(number))
            }
            Value::String(text) => Some(RequestId::String(text)),
            _ => None,
        }
    }
}

impl PartialEq for RequestId {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RequestId::Number(a), RequestId::Number(b)) => a == b,
            (RequestId::String(a), RequestId::String(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for RequestId {}

impl Hash for RequestId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            RequestId::Number(number) => {
                0u8.hash(state);
                number.as_i64().hash(state);
                number.as_u64().hash(state);
            }
            RequestId::String(text) => {
                1u8.hash(state);
                text.hash(state);
            }
        }
    }
}

impl Serialize for RequestId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RequestId::Number(number) => number.serialize(serializer),
            RequestId::String(text) => text.serialize(serializer),
        }
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestId::Number(number) => write!(f, "{number}"),
            RequestId::String(text) => write!(f, "{text:?}"),
        }
    }
}

const PARAMS_NOT_AN_OBJECT: &str = "`params` must be an object";

/// One message received from the client, after framing checks.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A request: the client waits for exactly one reply.
    Request {
        id: RequestId,
        method: Cow<'static, str>,
        /// The params, without `_meta` and `arguments`.
        params: Map<String, Value>,
        /// What the server reads of `params._meta`.
        meta: RequestMeta,
        /// The JSON text of `params.arguments` (tool and prompt arguments).
        arguments: Option<Box<RawValue>>,
    },
    /// A notification: never answered.
    Notification {
        method: Cow<'static, str>,
        params: Map<String, Value>,
    },
    /// A response to a request the server sent (elicitation, sampling, roots).
    Response {
        id: RequestId,
        outcome: Result<Value, RpcError>,
    },
    /// A notification whose params MCP cannot read (an array): never answered, as
    /// JSON-RPC 2.0 §4.1 says of every notification, and never acted on.
    IgnoredNotification {
        method: Cow<'static, str>,
        reason: &'static str,
    },
    /// A JSON-RPC batch (an array of messages), allowed only in 2025-03-26.
    Batch(Vec<Value>),
    /// Not a valid JSON-RPC message: answer with this error (id `null` if unknown).
    Invalid {
        id: Option<RequestId>,
        error: RpcError,
    },
}

impl Incoming {
    /// Parses one message from its bytes (one stdio line or one HTTP body), in one pass:
    /// no JSON tree is built for the envelope or for `params._meta`.
    pub(crate) fn parse(bytes: &[u8]) -> Incoming {
        // One UTF-8 check of the whole message (a word at a time over ASCII) costs less
        // than serde_json's check of every string in it; invalid UTF-8 is parsed as bytes
        // so that the error names where it is.
        let parsed = match std::str::from_utf8(bytes) {
            Ok(text) => serde_json::from_str::<Shape>(text),
            Err(_) => serde_json::from_slice::<Shape>(bytes),
        };
        match parsed {
            Ok(shape) => Incoming::from_shape(shape),
            Err(error) => Incoming::Invalid {
                id: None,
                error: RpcError::parse_error(&error),
            },
        }
    }

    /// Reads one message of a batch.
    pub(crate) fn from_value(value: Value) -> Incoming {
        match Shape::deserialize(value) {
            Ok(shape) => Incoming::from_shape(shape),
            // A `Value` always has one of the shapes.
            Err(_) => Incoming::invalid(None, "a JSON-RPC message must be a JSON object"),
        }
    }

    fn from_shape(shape: Shape) -> Incoming {
        let fields = match shape {
            Shape::Object(fields) => fields,
            Shape::Batch(items) if !items.is_empty() => return Incoming::Batch(items),
            Shape::Batch(_) => return Incoming::invalid(None, "an empty batch"),
            Shape::Other => {
                return Incoming::invalid(None, "a JSON-RPC message must be a JSON object");
            }
        };
        let id = match fields.id {
            None => None,
            Some(raw) => match RequestId::from_value(raw) {
                Some(id) => Some(id),
                None => {
                    return Incoming::invalid(None, "`id` must be a string or an integer");
                }
            },
        };
        if !fields.jsonrpc_2_0 {
            return Incoming::invalid(id, "`jsonrpc` must be \"2.0\"");
        }
        // By-position params (an array) are JSON-RPC, but no MCP method takes them;
        // anything else that is not an object is not JSON-RPC params at all (§4.2).
        let params = match fields.params {
            None | Some(ParamsField::Null) => Some((Map::new(), RequestMeta::default(), None)),
            Some(ParamsField::Object(params, meta, arguments)) => Some((params, meta, arguments)),
            Some(ParamsField::Array) => None,
            Some(ParamsField::Scalar) => return Incoming::invalid(id, PARAMS_NOT_AN_OBJECT),
        };
        match (fields.method, id) {
            (Some(Ok(method)), id) => match (params, id) {
                (Some((params, meta, arguments)), Some(id)) => Incoming::Request {
                    id,
                    method,
                    params,
                    meta,
                    arguments,
                },
                (Some((params, _, _)), None) => Incoming::Notification { method, params },
                (None, Some(id)) => Incoming::Invalid {
                    id: Some(id),
                    error: RpcError::invalid_params(PARAMS_NOT_AN_OBJECT),
                },
                (None, None) => Incoming::IgnoredNotification {
                    method,
                    reason: PARAMS_NOT_AN_OBJECT,
                },
            },
            (Some(_), id) => Incoming::invalid(id, "`method` must be a string"),
            (None, Some(id)) if fields.result.is_some() || fields.error.is_some() => {
                let outcome = match (fields.result, fields.error) {
                    (Some(result), None) => Ok(result),
                    (_, Some(error)) => Err(RpcError {
                        code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                        message: error
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        data: error.get("data").cloned(),
                    }),
                    (None, None) => Ok(Value::Null),
                };
                Incoming::Response { id, outcome }
            }
            (None, id) => Incoming::invalid(id, "a request needs a `method`"),
        }
    }

    /// The id of a request, or of an invalid message whose id could be read: what an
    /// error about the whole message answers.
    #[cfg_attr(not(feature = "http"), allow(dead_code))] // used by the HTTP transport
    pub(crate) fn id(&self) -> Option<&RequestId> {
        match self {
            Incoming::Request { id, .. } => Some(id),
            Incoming::Invalid { id, .. } => id.as_ref(),
            Incoming::Notification { .. }
            | Incoming::IgnoredNotification { .. }
            | Incoming::Response { .. }
            | Incoming::Batch(_) => None,
        }
    }

    fn invalid(id: Option<RequestId>, message: &str) -> Incoming {
        Incoming::Invalid {
            id,
            error: RpcError::invalid_request(message),
        }
    }
}

/// Serialises a successful reply whose `result` is already JSON text.
pub(crate) fn result_message(id: &RequestId, result_json: &str) -> Vec<u8> {
    result_message_with(id, result_json.len(), |out| {
        out.extend_from_slice(result_json.as_bytes());
    })
}

/// Serialises a successful reply whose `result` JSON `write_result` appends (about
/// `result_len` bytes), with no intermediate copy.
pub(crate) fn result_message_with(
    id: &RequestId,
    result_len: usize,
    write_result: impl FnOnce(&mut Vec<u8>),
) -> Vec<u8> {
    let mut out = Vec::with_capacity(result_len + 40);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    // Serialising an id cannot fail: it is a number or a string.
    let _ = serde_json::to_writer(&mut out, id);
    out.extend_from_slice(b",\"result\":");
    write_result(&mut out);
    out.push(b'}');
    out
}

/// Serialises a successful reply from a result value.
pub(crate) fn result_value_message(id: &RequestId, result: &Value) -> Vec<u8> {
    #[derive(Serialize)]
    struct Reply<'a> {
        jsonrpc: &'static str,
        id: &'a RequestId,
        result: &'a Value,
    }
    encode(&Reply {
        jsonrpc: "2.0",
        id,
        result,
    })
}

/// How an error reply names a message whose id could not be read.
///
/// JSON-RPC 2.0 (§5) says `"id": null`, and the schemas up to 2025-06-18 have no other
/// way; from 2025-11-25 on, the error response's `id` is optional and never `null`
/// ("except where the ID could not be read"), so the member is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnreadId {
    /// `"id": null`: revisions up to 2025-06-18.
    Null,
    /// No `id` member: 2025-11-25 and later.
    Omitted,
}

impl UnreadId {
    /// For a peer that speaks `version`; a peer whose revision is not known yet is
    /// answered as the newest revision says.
    pub(crate) fn for_version(version: Option<ProtocolVersion>) -> UnreadId {
        match version {
            Some(version) if version < ProtocolVersion::V2025_11_25 => UnreadId::Null,
            _ => UnreadId::Omitted,
        }
    }
}

/// Serialises an error reply to the message with `id`; `None` when its id could not be
/// be read, which `unread` says how to write.
pub(crate) fn error_message(id: Option<&RequestId>, unread: UnreadId, error: &RpcError) -> Vec<u8> {
    #[derive(Serialize)]
    struct Reply<'a> {
        jsonrpc: &'static str,
        // `Some(None)` is `"id": null`; `None` leaves the member out.
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<Option<&'a RequestId>>,
        error: &'a RpcError,
    }
    let id = match (id, unread) {
        (Some(id), _) => Some(Some(id)),
        (None, UnreadId::Null) => Some(None),
        (None, UnreadId::Omitted) => None,
    };
    encode(&Reply {
        jsonrpc: "2.0",
        id,
        error,
    })
}

/// Serialises a notification.
pub(crate) fn notification_message(method: &str, params: &Value) -> Vec<u8> {
    #[derive(Serialize)]
    struct Notification<'a> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a Value,
    }
    encode(&Notification {
        jsonrpc: "2.0",
        method,
        params,
    })
}

fn encode(message: &impl Serialize) -> Vec<u8> {
    // Our message types hold only strings, numbers and `Value`s, whose
    // serialisation into a Vec cannot fail.
    serde_json::to_vec(message).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::errors::codes;

    fn invalid_code(text: &str) -> i64 {
        match Incoming::parse(text.as_bytes()) {
            Incoming::Invalid { error, .. } => error.code,
            other => panic!("expected an invalid message, got {other:?}"),
        }
    }

    #[test]
    fn requests_and_notifications_are_told_apart_by_id() {
        let request = Incoming::parse(br#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#);
        assert!(matches!(request, Incoming::Request { ref method, .. } if method == "ping"));
        let note = Incoming::parse(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        assert!(matches!(note, Incoming::Notification { .. }));
    }

    #[test]
    fn malformed_messages_get_the_json_rpc_codes() {
        assert_eq!(invalid_code("{not json"), codes::PARSE_ERROR);
        assert_eq!(invalid_code("[]"), codes::INVALID_REQUEST);
        assert!(matches!(Incoming::parse(b"[1,2]"), Incoming::Batch(items) if items.len() == 2));
        assert_eq!(invalid_code("42"), codes::INVALID_REQUEST);
        assert_eq!(
            invalid_code(r#"{"id":1,"method":"ping"}"#),
            codes::INVALID_REQUEST
        );
        assert_eq!(
            invalid_code(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#),
            codes::INVALID_REQUEST
        );
        assert_eq!(
            invalid_code(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#),
            codes::INVALID_REQUEST
        );
        assert_eq!(
            invalid_code(r#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#),
            codes::INVALID_PARAMS
        );
    }

    #[test]
    fn params_must_be_an_object_and_notifications_are_never_answered() {
        // A scalar is not JSON-RPC params at all: the message is an invalid request,
        // answered even without an id (JSON-RPC 2.0 §4.2, §5.1).
        assert_eq!(
            invalid_code(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":"x"}"#),
            codes::INVALID_REQUEST
        );
        let scalar = Incoming::parse(br#"{"jsonrpc":"2.0","method":"n","params":7}"#);
        assert!(
            matches!(scalar, Incoming::Invalid { id: None, .. }),
            "{scalar:?}"
        );
        // An array is JSON-RPC params MCP does not take: a request gets -32602, a
        // notification is dropped unanswered.
        let request = Incoming::parse(br#"{"jsonrpc":"2.0","id":"a","method":"x","params":[]}"#);
        assert!(
            matches!(request, Incoming::Invalid { id: Some(_), ref error } if error.code == codes::INVALID_PARAMS),
            "{request:?}"
        );
        let note = Incoming::parse(br#"{"jsonrpc":"2.0","method":"notifications/x","params":[1]}"#);
        assert!(
            matches!(note, Incoming::IgnoredNotification { ref method, .. } if method == "notifications/x"),
            "{note:?}"
        );
        // `null` params are no params.
        let null = Incoming::parse(br#"{"jsonrpc":"2.0","id":2,"method":"ping","params":null}"#);
        assert!(matches!(null, Incoming::Request { .. }), "{null:?}");
    }

    #[test]
    fn jsonrpc_must_be_the_string_2_0_and_method_a_string() {
        for jsonrpc in [
            r#""1.0""#,
            r#""2.0 ""#,
            "2",
            "2.0",
            "null",
            "[]",
            r#"{"v":"2.0"}"#,
        ] {
            let text = format!(r#"{{"jsonrpc":{jsonrpc},"id":1,"method":"ping"}}"#);
            assert_eq!(invalid_code(&text), codes::INVALID_REQUEST, "{text}");
        }
        for method in ["1", "null", "true", r#"["ping"]"#, r#"{"name":"ping"}"#] {
            let text = format!(r#"{{"jsonrpc":"2.0","id":1,"method":{method}}}"#);
            assert_eq!(invalid_code(&text), codes::INVALID_REQUEST, "{text}");
        }
        // An escaped method name is read like any string.
        let request = Incoming::parse(br#"{"jsonrpc":"2.0","id":1,"method":"tools\/list"}"#);
        assert!(matches!(request, Incoming::Request { ref method, .. } if method == "tools/list"));
    }

    #[test]
    fn params_keep_every_member_but_meta_and_arguments() {
        let request = Incoming::parse(
            br#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","_meta":{"progressToken":5},"arguments":{"a":1},"_metadata":2}}"#,
        );
        let Incoming::Request {
            params,
            meta,
            arguments,
            ..
        } = request
        else {
            panic!("expected a request, got {request:?}");
        };
        let keys: Vec<&str> = params.keys().map(String::as_str).collect();
        assert_eq!(keys, ["_metadata", "name"]);
        assert_eq!(arguments.unwrap().get(), r#"{"a":1}"#);
        assert_eq!(meta.progress_token(), Some(Value::from(5)));
    }

    #[test]
    fn replies_echo_the_id_exactly() {
        let id = RequestId::from_value(serde_json::json!("abc")).unwrap();
        let bytes = result_message(&id, "{}");
        assert_eq!(bytes, br#"{"jsonrpc":"2.0","id":"abc","result":{}}"#);
        let bytes = error_message(
            Some(&id),
            UnreadId::Omitted,
            &RpcError::invalid_request("x"),
        );
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["id"], "abc");
    }

    #[test]
    fn an_unread_id_is_null_up_to_2025_06_18_and_absent_after() {
        let error = RpcError::invalid_request("x");
        let old = UnreadId::for_version(Some(ProtocolVersion::V2025_06_18));
        let value: Value = serde_json::from_slice(&error_message(None, old, &error)).unwrap();
        assert_eq!(value.get("id"), Some(&Value::Null));
        for version in [Some(ProtocolVersion::V2025_11_25), None] {
            let new = UnreadId::for_version(version);
            let value: Value = serde_json::from_slice(&error_message(None, new, &error)).unwrap();
            assert_eq!(value.get("id"), None, "{version:?}");
            assert_eq!(value["error"]["code"], -32600);
        }
    }
}
