//! JSON Schemas for tool inputs and outputs, in the shape real clients accept.
//!
//! Every schema is JSON Schema 2020-12 without a `$schema` URL, and object roots always
//! carry `properties`. In input schemas optional values are described by their inner
//! type (never a `["T", "null"]` type array: several clients reject those; a client
//! leaves an optional argument out). Output schemas keep `null` where the value may be
//! `null`: clients validate structured content against them, and a `None` field is
//! serialized as `null`.

use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value};

/// A generator with this crate's settings.
pub(crate) fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|settings| settings.meta_schema = None)
        .into_generator()
}

/// The root schema for `T`, cleaned for clients, as an input schema.
pub(crate) fn root_schema_for<T: JsonSchema>() -> Value {
    let mut schema = generator().into_root_schema_for::<T>().to_value();
    clean(&mut schema);
    schema
}

/// The root schema for `T` as an output schema: cleaned, but `null` stays allowed
/// where `T` may serialize to it.
pub(crate) fn output_root_schema_for<T: JsonSchema>() -> Value {
    let mut schema = generator().into_root_schema_for::<T>().to_value();
    clean_keeping_null(&mut schema);
    schema
}

/// Builds a tool's input schema one parameter at a time.
#[derive(Debug)]
pub struct InputSchema {
    generator: SchemaGenerator,
    properties: Map<String, Value>,
    required: Vec<Value>,
    whole: Option<Value>,
}

impl Default for InputSchema {
    fn default() -> InputSchema {
        InputSchema::new()
    }
}

impl InputSchema {
    /// An empty object schema.
    pub fn new() -> InputSchema {
        InputSchema {
            generator: generator(),
            properties: Map::new(),
            required: Vec::new(),
            whole: None,
        }
    }

    /// Adds a property whose schema is `T`'s.
    pub fn property<T: JsonSchema>(
        &mut self,
        name: &str,
        description: Option<&str>,
        required: bool,
    ) {
        let mut schema = self.generator.subschema_for::<T>().to_value();
        if let (Some(description), Value::Object(object)) = (description, &mut schema) {
            object.insert("description".into(), Value::from(description));
        }
        self.properties.insert(name.to_owned(), schema);
        if required {
            self.required.push(Value::from(name));
        }
    }

    /// Marks a property to be mirrored into the `Mcp-Param-{header}` HTTP header
    /// (`x-mcp-header`).
    pub fn header(&mut self, name: &str, header: &str) {
        if let Some(Value::Object(property)) = self.properties.get_mut(name) {
            property.insert("x-mcp-header".into(), Value::from(header));
        }
    }

    /// Uses `T`'s whole schema as the input schema (a struct that is the whole input).
    pub fn whole<T: JsonSchema>(&mut self) {
        self.whole = Some(self.generator.root_schema_for::<T>().to_value());
    }

    /// The finished schema.
    pub fn finish(mut self) -> Value {
        let mut schema = match self.whole.take() {
            Some(mut whole) => {
                merge_properties(&mut whole, self.properties, self.required);
                whole
            }
            None => {
                let mut root = Map::new();
                root.insert("type".into(), Value::from("object"));
                root.insert("properties".into(), Value::Object(self.properties));
                if !self.required.is_empty() {
                    root.insert("required".into(), Value::Array(self.required));
                }
                let definitions = self.generator.take_definitions(true);
                if !definitions.is_empty() {
                    root.insert("$defs".into(), Value::Object(definitions));
                }
                Value::Object(root)
            }
        };
        clean(&mut schema);
        if let Value::Object(root) = &mut schema {
            root.entry("type").or_insert_with(|| Value::from("object"));
            root.entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        schema
    }
}

/// Adds named parameters next to a flattened struct's own properties.
fn merge_properties(whole: &mut Value, properties: Map<String, Value>, required: Vec<Value>) {
    let Value::Object(root) = whole else {
        return;
    };
    if let Value::Object(existing) = root
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()))
    {
        existing.extend(properties);
    }
    if !required.is_empty()
        && let Value::Array(existing) = root
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()))
    {
        existing.extend(required);
    }
}

/// The `format` values JSON Schema 2020-12 defines; schemars also emits others
/// (`double`, `uint32`, ...) that strict clients reject.
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Removes what breaks clients: `$schema`, non-standard `format`s, and `null` in `type`
/// arrays or `anyOf` lists.
pub(crate) fn clean(schema: &mut Value) {
    clean_with(schema, Nulls::Remove);
}

/// [`clean`], leaving `null` types in place.
pub(crate) fn clean_keeping_null(schema: &mut Value) {
    clean_with(schema, Nulls::Keep);
}

/// Whether cleaning takes `null` out of types.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nulls {
    Remove,
    Keep,
}

fn clean_with(schema: &mut Value, nulls: Nulls) {
    match schema {
        Value::Object(object) => {
            object.remove("$schema");
            if object
                .get("format")
                .and_then(Value::as_str)
                .is_some_and(|format| !STANDARD_FORMATS.contains(&format))
            {
                object.remove("format");
            }
            if nulls == Nulls::Keep {
                for value in object.values_mut() {
                    clean_with(value, nulls);
                }
                return;
            }
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    object.insert("type".into(), only);
                }
            }
            for key in ["anyOf", "oneOf"] {
                collapse_nullable(object, key);
            }
            for value in object.values_mut() {
                clean_with(value, nulls);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| clean_with(item, nulls)),
        _ => {}
    }
}

/// `{"anyOf": [X, {"type": "null"}]}` becomes X (merged into the object).
fn collapse_nullable(object: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(options)) = object.get_mut(key) else {
        return;
    };
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    if !options.iter().any(is_null) {
        return;
    }
    options.retain(|v| !is_null(v));
    if options.len() == 1
        && let Some(Value::Object(only)) = options.pop()
    {
        object.remove(key);
        for (k, v) in only {
            object.entry(k).or_insert(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_parameters_have_no_null_type() {
        let mut input = InputSchema::new();
        input.property::<f64>("a", Some("first"), true);
        input.property::<Option<u32>>("limit", None, false);
        let schema = input.finish();
        assert_eq!(schema["type"], "object");
        assert_eq!(
            schema["properties"]["a"],
            json!({"type": "number", "description": "first"})
        );
        assert_eq!(schema["properties"]["limit"]["type"], "integer");
        assert_eq!(schema["required"], json!(["a"]));
        assert!(!schema.to_string().contains("null"));
        assert!(schema.get("$schema").is_none());
    }

    #[test]
    fn no_parameters_still_has_properties() {
        assert_eq!(
            InputSchema::new().finish(),
            json!({"type": "object", "properties": {}})
        );
    }
}
