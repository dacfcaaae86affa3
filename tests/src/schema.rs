//! Validation of values against the official JSON Schema of a protocol revision.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

use crate::{is_notification, spec_dir};

/// A message did not match a schema definition.
#[derive(Debug, Clone)]
pub struct SchemaViolation {
    /// The protocol revision whose schema was used.
    pub revision: String,
    /// The definition the value was checked against, e.g. `ListToolsResult`.
    pub definition: String,
    /// The value that was checked.
    pub instance: Value,
    /// One line per error: where in the value, what was wrong, and which schema keyword.
    pub errors: Vec<String>,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "value does not match definition `{}` of the {} schema:",
            self.definition, self.revision
        )?;
        for error in &self.errors {
            if error.starts_with(' ') {
                writeln!(f, "    {error}")?;
            } else {
                writeln!(f, "  - {error}")?;
            }
        }
        write!(f, "value: {}", self.instance)
    }
}

impl std::error::Error for SchemaViolation {}

/// The official JSON Schema of one protocol revision (`<spec>/<revision>/schema.json`),
/// able to validate values against any of its named definitions.
///
/// The 2025-11-25 and later schemas are JSON Schema 2020-12 with definitions under
/// `$defs`; the older ones are draft-07 with definitions under `definitions`.
pub struct Schema {
    revision: String,
    document: Value,
    defs_key: &'static str,
    draft: jsonschema::Draft,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("revision", &self.revision)
            .field("defs_key", &self.defs_key)
            .field("draft", &self.draft)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// Reads and parses `<spec>/<revision>/schema.json`.
    ///
    /// # Errors
    ///
    /// Returns a description if the file cannot be read or parsed, or if its dialect
    /// or definitions section is not one this validator knows.
    pub fn load(revision: &str) -> Result<Self, String> {
        let path = spec_dir().join(revision).join("schema.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let document: Value = serde_json::from_str(&text)
            .map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
        let dialect = document
            .get("$schema")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{} has no $schema", path.display()))?;
        let draft = if dialect.contains("draft-07") {
            jsonschema::Draft::Draft7
        } else if dialect.contains("2020-12") {
            jsonschema::Draft::Draft202012
        } else {
            return Err(format!("{}: unknown dialect {dialect}", path.display()));
        };
        let defs_key = if document.get("$defs").is_some_and(Value::is_object) {
            "$defs"
        } else if document.get("definitions").is_some_and(Value::is_object) {
            "definitions"
        } else {
            return Err(format!(
                "{} has neither $defs nor definitions",
                path.display()
            ));
        };
        Ok(Self {
            revision: revision.to_owned(),
            document,
            defs_key,
            draft,
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The schema of `revision`, loaded once per test process.
    ///
    /// # Panics
    ///
    /// Panics if the schema cannot be loaded (see [`Schema::load`]).
    pub fn for_revision(revision: &str) -> &'static Self {
        static LOADED: OnceLock<Mutex<HashMap<String, &'static Schema>>> = OnceLock::new();
        let mut loaded = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loaded.entry(revision.to_owned()).or_insert_with(|| {
            let schema = Self::load(revision).unwrap_or_else(|error| panic!("{error}"));
            Box::leak(Box::new(schema))
        })
    }

    /// The protocol revision of this schema.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// The names of all definitions.
    pub fn definition_names(&self) -> Vec<&str> {
        self.document[self.defs_key]
            .as_object()
            .map(|defs| defs.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether the schema has a definition called `name`.
    pub fn has_definition(&self, name: &str) -> bool {
        self.document[self.defs_key].get(name).is_some()
    }

    /// The definition of a successful JSON-RPC response: `JSONRPCResultResponse` from
    /// 2025-11-25 on, `JSONRPCResponse` before.
    pub fn result_response_definition(&self) -> &'static str {
        if self.has_definition("JSONRPCResultResponse") {
            "JSONRPCResultResponse"
        } else {
            "JSONRPCResponse"
        }
    }

    /// The definition of a JSON-RPC error response: `JSONRPCErrorResponse` from
    /// 2025-11-25 on, `JSONRPCError` before.
    pub fn error_response_definition(&self) -> &'static str {
        if self.has_definition("JSONRPCErrorResponse") {
            "JSONRPCErrorResponse"
        } else {
            "JSONRPCError"
        }
    }

    fn validator(&self, definition: &str) -> Result<Arc<jsonschema::Validator>, String> {
        let mut validators = self
            .validators
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = validators.get(definition) {
            return Ok(Arc::clone(validator));
        }
        if !self.has_definition(definition) {
            return Err(format!(
                "the {} schema has no definition `{definition}`",
                self.revision
            ));
        }
        // A wrapper document holding all definitions, so that every `$ref` inside them
        // resolves; `allOf` rather than a sibling `$ref`, which draft-07 would ignore.
        let pointer = format!("#/{}/{definition}", self.defs_key);
        let mut wrapper = serde_json::Map::new();
        wrapper.insert("$schema".into(), self.document["$schema"].clone());
        wrapper.insert("allOf".into(), json!([{ "$ref": pointer }]));
        wrapper.insert(self.defs_key.into(), self.document[self.defs_key].clone());
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .build(&Value::Object(wrapper))
            .map_err(|error| {
                format!(
                    "cannot compile definition `{definition}` of the {} schema: {error}",
                    self.revision
                )
            })?;
        let validator = Arc::new(validator);
        validators.insert(definition.to_owned(), Arc::clone(&validator));
        Ok(validator)
    }

    /// Validates `instance` against the definition `definition`.
    ///
    /// # Errors
    ///
    /// A [`SchemaViolation`] naming the definition and listing every error.
    ///
    /// # Panics
    ///
    /// Panics if the definition does not exist or does not compile (a test bug).
    pub fn validate(&self, definition: &str, instance: &Value) -> Result<(), SchemaViolation> {
        let validator = self
            .validator(definition)
            .unwrap_or_else(|error| panic!("{error}"));
        let mut errors = Vec::new();
        for error in validator.iter_errors(instance) {
            describe_error(&error, 0, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SchemaViolation {
                revision: self.revision.clone(),
                definition: definition.to_owned(),
                instance: instance.clone(),
                errors,
            })
        }
    }

    /// Like [`Schema::validate`], but panics with the violation.
    #[track_caller]
    pub fn assert_valid(&self, definition: &str, instance: &Value) {
        if let Err(violation) = self.validate(definition, instance) {
            panic!("{violation}");
        }
    }

    /// Validates a message the server sent: against the envelope it has (result
    /// response, error response or notification; checked first because its errors are
    /// more precise than those of an `anyOf`), against `JSONRPCMessage` and, for a
    /// notification this library knows (`notifications/progress`,
    /// `notifications/message`), against that notification's definition.
    ///
    /// # Errors
    ///
    /// The first [`SchemaViolation`].
    pub fn validate_server_message(&self, message: &Value) -> Result<(), SchemaViolation> {
        if is_notification(message) {
            self.validate("JSONRPCNotification", message)?;
            let specific = match message["method"].as_str() {
                Some("notifications/progress") => Some("ProgressNotification"),
                Some("notifications/message") => Some("LoggingMessageNotification"),
                _ => None,
            };
            if let Some(definition) = specific {
                self.validate(definition, message)?;
            }
        } else if message.get("error").is_some() {
            self.validate(self.error_response_definition(), message)?;
            if self.has_definition("Error") {
                self.validate("Error", &message["error"])?;
            }
        } else if message.get("result").is_some() {
            self.validate(self.result_response_definition(), message)?;
        }
        self.validate("JSONRPCMessage", message)
    }
}

/// Appends a line for `error` and, for a failed `anyOf`/`oneOf`, indented lines for
/// why each alternative failed (two levels deep at most).
fn describe_error(error: &jsonschema::ValidationError<'_>, depth: usize, lines: &mut Vec<String>) {
    let path = error.instance_path().to_string();
    let indent = "    ".repeat(depth);
    lines.push(format!(
        "{indent}at `{}`: {error} (schema keyword at {})",
        if path.is_empty() { "/" } else { &path },
        error.schema_path()
    ));
    let alternatives = match error.kind() {
        jsonschema::error::ValidationErrorKind::AnyOf { context }
        | jsonschema::error::ValidationErrorKind::OneOfNotValid { context } => context,
        _ => return,
    };
    if depth >= 2 {
        return;
    }
    for (index, branch) in alternatives.iter().enumerate() {
        lines.push(format!("{indent}  alternative {index} failed:"));
        for sub in branch {
            describe_error(sub, depth + 1, lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ALL_REVISIONS, MODERN_REVISION, is_modern};

    #[test]
    fn every_revision_schema_loads_and_compiles_its_message_definitions() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            for definition in [
                "JSONRPCMessage",
                "JSONRPCNotification",
                schema.result_response_definition(),
                schema.error_response_definition(),
                "ListToolsResult",
                "CallToolResult",
                "EmptyResult",
                "ProgressNotification",
            ] {
                assert!(
                    schema.has_definition(definition),
                    "{revision} lacks {definition}"
                );
                schema.validator(definition).unwrap();
            }
        }
    }

    #[test]
    fn accepts_valid_messages() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            let mut tools = json!({
                "tools": [{
                    "name": "add",
                    "description": "Adds",
                    "inputSchema": {
                        "type": "object",
                        "properties": { "a": { "type": "number" } },
                        "required": ["a"],
                    },
                }],
            });
            if is_modern(revision) {
                tools["resultType"] = json!("complete");
                tools["ttlMs"] = json!(0);
                tools["cacheScope"] = json!("public");
            }
            schema.assert_valid("ListToolsResult", &tools);
            let response = json!({ "jsonrpc": "2.0", "id": 1, "result": tools });
            schema.validate_server_message(&response).unwrap();
            let error = json!({
                "jsonrpc": "2.0", "id": "x",
                "error": { "code": -32601, "message": "Method not found" },
            });
            schema.validate_server_message(&error).unwrap();
            let progress = json!({
                "jsonrpc": "2.0", "method": "notifications/progress",
                "params": { "progressToken": 1, "progress": 1, "total": 2 },
            });
            schema.validate_server_message(&progress).unwrap();
        }
    }

    #[test]
    fn rejects_invalid_messages_with_a_precise_report() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            let mut result = json!({ "nextCursor": "c" });
            if is_modern(revision) {
                result["resultType"] = json!("complete");
                result["ttlMs"] = json!(0);
                result["cacheScope"] = json!("public");
            }
            let violation = schema
                .validate("ListToolsResult", &result)
                .expect_err("a tools/list result without `tools` must be rejected");
            let report = violation.to_string();
            assert!(report.contains("ListToolsResult"), "{report}");
            assert!(report.contains(revision), "{report}");
            assert!(report.contains("tools"), "{report}");

            // A wrongly typed nested value is found through `$ref`s.
            let bad_tool = json!({ "tools": [{ "name": 7, "inputSchema": { "type": "object" } }] });
            let violation = schema.validate("ListToolsResult", &bad_tool).unwrap_err();
            assert!(
                violation
                    .errors
                    .iter()
                    .any(|error| error.contains("/tools/0/name")),
                "{violation}"
            );

            // An envelope without `jsonrpc`, and a progress notification without token.
            let no_version = json!({ "id": 1, "result": {} });
            assert!(schema.validate_server_message(&no_version).is_err());
            let progress = json!({
                "jsonrpc": "2.0", "method": "notifications/progress",
                "params": { "progress": 1 },
            });
            let violation = schema.validate_server_message(&progress).unwrap_err();
            assert_eq!(violation.definition, "ProgressNotification", "{violation}");
        }
    }

    #[test]
    fn official_examples_of_the_modern_revision_are_valid() {
        let schema = Schema::for_revision(MODERN_REVISION);
        let examples = spec_dir().join(MODERN_REVISION).join("examples");
        let mut checked = 0;
        for entry in std::fs::read_dir(&examples).unwrap() {
            let entry = entry.unwrap();
            let definition = entry.file_name().to_string_lossy().into_owned();
            if !schema.has_definition(&definition) {
                continue;
            }
            for file in std::fs::read_dir(entry.path()).unwrap() {
                let path = file.unwrap().path();
                let example: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                if let Err(violation) = schema.validate(&definition, &example) {
                    panic!("{}: {violation}", path.display());
                }
                checked += 1;
            }
        }
        assert!(
            checked > 50,
            "only {checked} examples found in {}",
            examples.display()
        );
    }
}
