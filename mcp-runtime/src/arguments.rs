//! The `arguments` of a tool call, kept as the JSON text the client sent.
//!
//! A tool reads each parameter straight from that text into its own type: no JSON tree
//! is built for the arguments and no map is filled only to be taken apart again. The
//! text is indexed once (where each member's name and value are), and a member named
//! twice keeps its last value, as a JSON object parsed into a map would.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::protocol::RpcError;
use crate::protocol::shape::visit_scalars;

/// A call's arguments: an object's text and where its members are.
#[derive(Debug, Default)]
pub(crate) struct Arguments {
    /// The object's JSON text (`None`: no arguments, or `null`).
    text: Option<Box<RawValue>>,
    members: Vec<Member>,
}

/// One member of the arguments object: spans of the object's text.
#[derive(Debug)]
struct Member {
    name: Name,
    value: Range<usize>,
}

/// A member's name: a span of the text, or the decoded name when it has escapes.
#[derive(Debug)]
enum Name {
    Span(Range<usize>),
    Decoded(String),
}

impl Arguments {
    /// Indexes the `arguments` of a request: an object, `null` or nothing; anything else
    /// is `-32602`.
    pub(crate) fn new(text: Option<Box<RawValue>>) -> Result<Arguments, RpcError> {
        let Some(text) = text.filter(|text| text.get() != "null") else {
            return Ok(Arguments::default());
        };
        let base = text.get().as_ptr().addr();
        let mut deserializer = serde_json::Deserializer::from_str(text.get());
        let members = deserializer
            .deserialize_any(MembersVisitor { base })
            .map_err(|_| not_an_object())?
            .ok_or_else(not_an_object)?;
        Ok(Arguments {
            text: Some(text),
            members,
        })
    }

    /// Arguments from their JSON text (for tests and the fuzz targets).
    #[cfg(any(test, fuzzing))]
    pub(crate) fn from_text(text: &str) -> Result<Arguments, RpcError> {
        let text = RawValue::from_string(text.to_owned())
            .map_err(|error| RpcError::invalid_params(error.to_string()))?;
        Arguments::new(Some(text))
    }

    /// The JSON text of the member `name`, if the client sent it.
    fn member(&self, name: &str) -> Option<&str> {
        let text = self.text.as_deref()?.get();
        let member = self
            .members
            .iter()
            .rev()
            .find(|member| match &member.name {
                Name::Span(span) => text.get(span.clone()) == Some(name),
                Name::Decoded(decoded) => decoded == name,
            })?;
        text.get(member.value.clone())
    }

    /// Reads the member `name` as a `T`: `None` when it is absent, else `T` or the
    /// reason it does not fit (without a position: it would count from the member's
    /// own text, which the client never saw alone).
    pub(crate) fn read<T: DeserializeOwned>(&self, name: &str) -> Option<Result<T, String>> {
        let text = self.member(name)?;
        Some(serde_json::from_str(text).map_err(|error| describe(&error)))
    }

    /// Reads the whole object as a `T` (`{}` when there were no arguments).
    pub(crate) fn read_whole<T: DeserializeOwned>(&self) -> Result<T, String> {
        let text = self.text.as_deref().map_or("{}", RawValue::get);
        serde_json::from_str(text).map_err(|error| describe(&error))
    }

    /// The member `name` as a JSON value, if the client sent it.
    #[cfg_attr(not(feature = "http"), allow(dead_code))] // used by the HTTP transport
    pub(crate) fn value_of(&self, name: &str) -> Option<Value> {
        serde_json::from_str(self.member(name)?).ok()
    }
}

/// The `arguments` of a request as a map (for handlers that take them all as JSON, such
/// as prompts): an object, `null` or nothing; anything else is `-32602`.
pub(crate) fn object(text: Option<Box<RawValue>>) -> Result<Map<String, Value>, RpcError> {
    let Some(text) = text else {
        return Ok(Map::new());
    };
    serde_json::from_str::<Option<Map<String, Value>>>(text.get())
        .map(Option::unwrap_or_default)
        .map_err(|_| not_an_object())
}

fn not_an_object() -> RpcError {
    RpcError::invalid_params("`arguments` must be an object")
}

/// A serde_json error without its "at line 1 column N" suffix.
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) if error.line() > 0 => message.to_owned(),
        _ => text,
    }
}

/// Indexes an object's members; `None` for any other JSON value.
struct MembersVisitor {
    /// Where the text starts in memory: spans are offsets from it.
    base: usize,
}

impl MembersVisitor {
    fn span(&self, part: &str) -> Range<usize> {
        let start = part.as_ptr().addr() - self.base;
        start..start + part.len()
    }
}

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Option<Vec<Member>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(MemberName(name)) = map.next_key()? {
            let value: &'de RawValue = map.next_value()?;
            let name = match name {
                Cow::Borrowed(name) => Name::Span(self.span(name)),
                Cow::Owned(name) => Name::Decoded(name),
            };
            members.push(Member {
                name,
                value: self.span(value.get()),
            });
        }
        Ok(Some(members))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    visit_scalars!(unit = None, other = None);
}

/// A member name, borrowed from the text when it has no escapes.
struct MemberName<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MemberName<'de>, D::Error> {
        deserializer.deserialize_str(MemberNameVisitor)
    }
}

struct MemberNameVisitor;

impl<'de> Visitor<'de> for MemberNameVisitor {
    type Value = MemberName<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, name: &'de str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Borrowed(name)))
    }

    fn visit_str<E>(self, name: &str) -> Result<MemberName<'de>, E> {
        Ok(MemberName(Cow::Owned(name.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn arguments(text: &str) -> Result<Arguments, RpcError> {
        Arguments::from_text(text)
    }

    #[test]
    fn members_are_read_into_their_types() {
        let arguments =
            arguments(r#" { "a" : 1.5, "b\u0022" : "x", "list": [1, {"a": 2}], "a": 7 } "#)
                .unwrap();
        // The last of two members with one name wins.
        assert_eq!(arguments.read::<f64>("a"), Some(Ok(7.0)));
        assert_eq!(arguments.read::<String>("b\""), Some(Ok("x".into())));
        assert_eq!(
            arguments.read::<Vec<Value>>("list").unwrap().unwrap().len(),
            2
        );
        assert_eq!(arguments.read::<f64>("missing"), None);
        assert_eq!(
            arguments.read::<u32>("b\""),
            Some(Err(r#"invalid type: string "x", expected u32"#.into()))
        );
        assert_eq!(arguments.value_of("list"), Some(json!([1, {"a": 2}])));
        let text = r#" { "a" : 1.5, "b\u0022" : "x", "list": [1, {"a": 2}], "a": 7 } "#;
        let map = object(Some(RawValue::from_string(text.into()).unwrap())).unwrap();
        assert_eq!(map["a"], json!(7));
    }

    #[test]
    fn only_an_object_or_null_are_arguments() {
        for text in ["[1]", "1", "\"a\"", "true"] {
            assert_eq!(arguments(text).unwrap_err().code, -32602, "{text}");
        }
        for text in ["[1]", "1", "\"a\"", "true"] {
            let raw = RawValue::from_string(text.into()).unwrap();
            assert_eq!(object(Some(raw)).unwrap_err().code, -32602, "{text}");
        }
        for absent in [arguments("null").unwrap(), Arguments::new(None).unwrap()] {
            assert_eq!(absent.read::<f64>("a"), None);
        }
        let null = RawValue::from_string("null".into()).unwrap();
        for absent in [object(Some(null)).unwrap(), object(None).unwrap()] {
            assert_eq!(absent, Map::new());
        }
    }
}
