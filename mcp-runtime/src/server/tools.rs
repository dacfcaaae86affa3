//! The tools a server serves, prepared once at startup.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::protocol::ProtocolVersion;
use crate::tool::ToolDef;

/// One tool, with its schemas built when a list first needs them.
#[derive(Debug)]
pub(crate) struct PreparedTool {
    pub(crate) def: &'static ToolDef,
    /// The input schema and the output schema, if any.
    schemas: OnceLock<(Value, Option<Value>)>,
}

/// The tools of a server, in a deterministic order (by name), with a name index.
#[derive(Debug, Default)]
pub(crate) struct ToolTable {
    tools: Vec<PreparedTool>,
    /// Fixed at startup, so a fast hash is safe: clients only look names up.
    by_name: HashMap<&'static str, usize, foldhash::fast::FixedState>,
}

impl ToolTable {
    /// Prepares the tools; two tools with one name is an error naming both.
    pub(crate) fn new(defs: Vec<&'static ToolDef>) -> Result<ToolTable, String> {
        let mut by_name: HashMap<&'static str, &'static ToolDef> = HashMap::new();
        for def in defs {
            if let Some(first) = by_name.get(def.name)
                && !std::ptr::eq(*first, def)
            {
                return Err(format!(
                    "two tools are named `{}`: one at {} and one at {}; rename one with #[mcp::tool(name = \"...\")]",
                    def.name, first.location, def.location
                ));
            }
            by_name.insert(def.name, def);
        }
        let mut defs: Vec<_> = by_name.into_values().collect();
        for def in &defs {
            check_param_headers(def)?;
        }
        defs.sort_by_key(|def| def.name);
        let tools: Vec<PreparedTool> = defs
            .into_iter()
            .map(|def| PreparedTool {
                def,
                schemas: OnceLock::new(),
            })
            .collect();
        let by_name = tools
            .iter()
            .enumerate()
            .map(|(index, tool)| (tool.def.name, index))
            .collect();
        Ok(ToolTable { tools, by_name })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&PreparedTool> {
        self.by_name
            .get(name)
            .and_then(|&index| self.tools.get(index))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }

    /// The `tools` array of a `tools/list` result for `version`.
    /// The tools for `version` that `served` keeps.
    pub(crate) fn list_json(
        &self,
        version: ProtocolVersion,
        served: impl Fn(&str) -> bool,
    ) -> Vec<Value> {
        self.tools
            .iter()
            .filter(|tool| served(tool.def.name))
            .map(|t| t.to_json(version))
            .collect()
    }
}

/// `x-mcp-header` rules: a string, integer or boolean property, names unique regardless
/// of case.
fn check_param_headers(def: &ToolDef) -> Result<(), String> {
    if def.param_headers.is_empty() {
        return Ok(());
    }
    let schema = (def.input_schema)();
    let mut seen: Vec<String> = Vec::new();
    for (argument, header) in def.param_headers {
        let kind = schema
            .get("properties")
            .and_then(|properties| properties.get(argument))
            .and_then(|property| property.get("type"))
            .and_then(Value::as_str);
        if !matches!(kind, Some("string" | "integer" | "boolean")) {
            return Err(format!(
                "tool `{}` ({}): argument `{argument}` is mirrored into Mcp-Param-{header} but is not a string, integer or boolean",
                def.name, def.location
            ));
        }
        let lower = header.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(format!(
                "tool `{}` ({}): two arguments use the header Mcp-Param-{header}",
                def.name, def.location
            ));
        }
        seen.push(lower);
    }
    Ok(())
}

impl PreparedTool {
    /// The tool's descriptor in the shape of `version`.
    fn to_json(&self, version: ProtocolVersion) -> Value {
        let def = self.def;
        let mut tool = Map::new();
        tool.insert("name".into(), Value::from(def.name));
        if let (Some(title), true) = (def.title, version.has_structured_output()) {
            tool.insert("title".into(), Value::from(title));
        }
        if let Some(description) = def.description {
            tool.insert("description".into(), Value::from(description));
        }
        tool.insert("inputSchema".into(), self.schemas().0.clone());
        if let Some(schema) = self.output_schema_for(version) {
            tool.insert("outputSchema".into(), schema.clone());
        }
        if version.has_annotations() {
            let annotations = self.annotations_json(version);
            if !annotations.is_empty() {
                tool.insert("annotations".into(), Value::Object(annotations));
            }
        }
        crate::descriptor::add_icons_and_meta(&mut tool, def.icons, def.meta, version);
        Value::Object(tool)
    }

    fn schemas(&self) -> &(Value, Option<Value>) {
        self.schemas
            .get_or_init(|| ((self.def.input_schema)(), (self.def.output_schema)()))
    }

    /// Before 2026-07-28 an output schema must describe an object.
    fn output_schema_for(&self, version: ProtocolVersion) -> Option<&Value> {
        let schema = self.schemas().1.as_ref()?;
        let is_object = schema.get("type").and_then(Value::as_str) == Some("object");
        let allowed = version.is_modern() || (version.has_structured_output() && is_object);
        allowed.then_some(schema)
    }

    fn annotations_json(&self, version: ProtocolVersion) -> Map<String, Value> {
        let hints = self.def.annotations;
        let mut annotations = Map::new();
        let pairs = [
            ("readOnlyHint", hints.read_only),
            ("destructiveHint", hints.destructive),
            ("idempotentHint", hints.idempotent),
            ("openWorldHint", hints.open_world),
        ];
        for (key, hint) in pairs {
            if let Some(hint) = hint {
                annotations.insert(key.into(), Value::Bool(hint));
            }
        }
        // 2025-03-26 has no top-level title; it carries the display name here.
        if let (Some(title), false) = (self.def.title, version.has_structured_output()) {
            annotations.insert("title".into(), Value::from(title));
        }
        annotations
    }
}
