//! The top level of a JSON-RPC message, read in one pass.
//!
//! Only what the server needs becomes owned data: the envelope's fields, the params as a
//! map, the known keys of `params._meta` (as a [`RequestMeta`]), and the text of
//! `params.arguments`, which handlers read one parameter at a time. Unknown envelope
//! fields and unknown `_meta` keys are skipped without being built. A duplicated key
//! keeps its last value, as a JSON object parsed into a map would.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::meta::RequestMeta;

/// Visitor methods for every JSON scalar: `null` gives `$unit`, a boolean, number or
/// string gives `$other` (for visitors that read one shape and take anything else as
/// absent or wrong, without failing the whole message).
macro_rules! visit_scalars {
    (unit = $unit:expr, other = $other:expr) => {
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($unit)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($other)
        }

        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($other)
        }
    };
}
pub(crate) use visit_scalars;

/// Visitor methods for every JSON value but a string, all giving `$value` (containers
/// are skipped through): for visitors that read one string and take anything else as
/// wrong, without failing the whole message.
macro_rules! visit_everything_but_strings {
    ($value:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($value)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($value)
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($value)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }

        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}
pub(crate) use visit_everything_but_strings;

/// What a message is at its top level.
// Built once per message and taken apart at once; boxing the fields would cost an
// allocation on every request for no gain.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Shape {
    /// A JSON object: one message.
    Object(Fields),
    /// A JSON array: a batch of messages.
    Batch(Vec<Value>),
    /// Any other JSON value.
    Other,
}

/// The envelope fields of one message (`None` when absent).
#[derive(Default)]
pub(crate) struct Fields {
    /// Whether `jsonrpc` is exactly `"2.0"` (`false` when absent or anything else).
    pub(crate) jsonrpc_2_0: bool,
    pub(crate) id: Option<Value>,
    /// `Some(Ok(name))` for a string, `Some(Err(()))` for another JSON value.
    pub(crate) method: Option<Result<Cow<'static, str>, ()>>,
    pub(crate) params: Option<ParamsField>,
    pub(crate) result: Option<Value>,
    pub(crate) error: Option<Value>,
}

/// The `params` field.
// Like [`Shape`]: short-lived, and boxing would cost an allocation per request.
#[allow(clippy::large_enum_variant)]
pub(crate) enum ParamsField {
    /// An object: its fields other than `_meta` and `arguments`, what the server reads
    /// of `_meta`, and the text of `arguments`.
    Object(Map<String, Value>, RequestMeta, Option<Box<RawValue>>),
    /// `null`.
    Null,
    /// An array: by-position params, which JSON-RPC allows and MCP does not.
    Array,
    /// A string, number or boolean: not JSON-RPC params at all (JSON-RPC 2.0 §4.2).
    Scalar,
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON-RPC message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<EnvelopeKey>()? {
            let slot = match key {
                EnvelopeKey::Jsonrpc => {
                    fields.jsonrpc_2_0 = map.next_value::<JsonrpcVersion>()?.0;
                    continue;
                }
                EnvelopeKey::Method => {
                    fields.method = Some(map.next_value::<MethodName>()?.0);
                    continue;
                }
                EnvelopeKey::Id => &mut fields.id,
                EnvelopeKey::Result => &mut fields.result,
                EnvelopeKey::Error => &mut fields.error,
                EnvelopeKey::Params => {
                    fields.params = Some(map.next_value()?);
                    continue;
                }
                EnvelopeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(Shape::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::Batch(items))
    }

    visit_scalars!(unit = Shape::Other, other = Shape::Other);
}

/// Whether a `jsonrpc` value is the string `"2.0"`, read without building it.
struct JsonrpcVersion(bool);

impl<'de> Deserialize<'de> for JsonrpcVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonrpcVersion, D::Error> {
        deserializer.deserialize_any(JsonrpcVersionVisitor)
    }
}

struct JsonrpcVersionVisitor;

impl<'de> Visitor<'de> for JsonrpcVersionVisitor {
    type Value = JsonrpcVersion;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("\"2.0\"")
    }

    fn visit_str<E>(self, version: &str) -> Result<JsonrpcVersion, E> {
        Ok(JsonrpcVersion(version == "2.0"))
    }

    visit_everything_but_strings!(JsonrpcVersion(false));
}

/// A `method` value: its name when it is a string, `Err(())` for any other JSON value.
struct MethodName(Result<Cow<'static, str>, ()>);

impl<'de> Deserialize<'de> for MethodName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MethodName, D::Error> {
        deserializer.deserialize_any(MethodNameVisitor)
    }
}

struct MethodNameVisitor;

impl<'de> Visitor<'de> for MethodNameVisitor {
    type Value = MethodName;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a method name")
    }

    fn visit_str<E>(self, method: &str) -> Result<MethodName, E> {
        let name =
            known_method(method).map_or_else(|| Cow::Owned(method.to_owned()), Cow::Borrowed);
        Ok(MethodName(Ok(name)))
    }

    visit_everything_but_strings!(MethodName(Err(())));
}

/// The name of a method this server serves or a client commonly sends, as a constant: the
/// usual request then allocates nothing for its method.
fn known_method(method: &str) -> Option<&'static str> {
    Some(match method {
        "tools/call" => "tools/call",
        "tools/list" => "tools/list",
        "resources/list" => "resources/list",
        "resources/read" => "resources/read",
        "resources/templates/list" => "resources/templates/list",
        "resources/subscribe" => "resources/subscribe",
        "resources/unsubscribe" => "resources/unsubscribe",
        "prompts/list" => "prompts/list",
        "prompts/get" => "prompts/get",
        "completion/complete" => "completion/complete",
        "logging/setLevel" => "logging/setLevel",
        "server/discover" => "server/discover",
        "subscriptions/listen" => "subscriptions/listen",
        "initialize" => "initialize",
        "ping" => "ping",
        "notifications/initialized" => "notifications/initialized",
        "notifications/cancelled" => "notifications/cancelled",
        "notifications/progress" => "notifications/progress",
        "notifications/roots/list_changed" => "notifications/roots/list_changed",
        _ => return None,
    })
}

/// The envelope keys JSON-RPC defines.
enum EnvelopeKey {
    Jsonrpc,
    Id,
    Method,
    Params,
    Result,
    Error,
    Other,
}

impl<'de> Deserialize<'de> for EnvelopeKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<EnvelopeKey, D::Error> {
        deserializer.deserialize_str(EnvelopeKeyVisitor)
    }
}

struct EnvelopeKeyVisitor;

impl Visitor<'_> for EnvelopeKeyVisitor {
    type Value = EnvelopeKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON-RPC field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<EnvelopeKey, E> {
        Ok(match key {
            "jsonrpc" => EnvelopeKey::Jsonrpc,
            "id" => EnvelopeKey::Id,
            "method" => EnvelopeKey::Method,
            "params" => EnvelopeKey::Params,
            "result" => EnvelopeKey::Result,
            "error" => EnvelopeKey::Error,
            _ => EnvelopeKey::Other,
        })
    }
}

impl<'de> Deserialize<'de> for ParamsField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ParamsField, D::Error> {
        deserializer.deserialize_any(ParamsVisitor)
    }
}

struct ParamsVisitor;

impl<'de> Visitor<'de> for ParamsVisitor {
    type Value = ParamsField;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("`params`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParamsField, A::Error> {
        let mut params = Map::new();
        let mut meta = RequestMeta::default();
        let mut arguments = None;
        while let Some(key) = map.next_key::<ParamsKey>()? {
            match key {
                ParamsKey::Meta => meta = map.next_value()?,
                ParamsKey::Arguments => arguments = Some(map.next_value()?),
                ParamsKey::Other(key) => {
                    params.insert(key, map.next_value()?);
                }
            }
        }
        Ok(ParamsField::Object(params, meta, arguments))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ParamsField, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ParamsField::Array)
    }

    visit_scalars!(unit = ParamsField::Null, other = ParamsField::Scalar);
}

/// A key of `params`: `_meta` and `arguments` are recognised without being built.
enum ParamsKey {
    Meta,
    Arguments,
    Other(String),
}

impl<'de> Deserialize<'de> for ParamsKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ParamsKey, D::Error> {
        deserializer.deserialize_str(ParamsKeyVisitor)
    }
}

struct ParamsKeyVisitor;

impl Visitor<'_> for ParamsKeyVisitor {
    type Value = ParamsKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E>(self, key: &str) -> Result<ParamsKey, E> {
        Ok(match key {
            "_meta" => ParamsKey::Meta,
            "arguments" => ParamsKey::Arguments,
            key => ParamsKey::Other(key.to_owned()),
        })
    }
}
