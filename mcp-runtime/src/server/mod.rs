//! The server: its identity, its tools, and the answers prepared from them.

pub(crate) mod batch;
pub(crate) mod builder;
pub(crate) mod connection;
pub(crate) mod dispatch;
pub(crate) mod in_flight;
pub(crate) mod outbound;
pub(crate) mod prompts;
pub(crate) mod resources;
pub(crate) mod session;
pub(crate) mod subscriptions;
pub(crate) mod tools;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::protocol::ProtocolVersion;
use crate::protocol::meta::Implementation;
use crate::tool_result::finish_modern;
use builder::Catalogue;
use prompts::PromptTable;
use resources::ResourceTable;
use tools::ToolTable;

pub use builder::{BuildError, ServerBuilder};

/// How long (ms) clients may cache list results: the lists are fixed at startup.
const LIST_TTL_MS: u64 = 3_600_000;

/// A server's identity, as reported to clients.
#[derive(Clone, Debug)]
pub struct ServerInfo {
    /// Programmatic name.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Display name.
    pub title: Option<String>,
    /// Guidance for the model.
    pub instructions: Option<String>,
}

impl Default for ServerInfo {
    fn default() -> ServerInfo {
        ServerInfo {
            name: "mcp-server".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            title: None,
            instructions: None,
        }
    }
}

/// An MCP server: tools plus identity, ready to serve on any transport.
///
/// Build one with [`Server::builder`] (or let `#[mcp::main]` do it), then call
/// [`Server::serve_stdio`]. Cloning is cheap; clones serve the same tools.
#[derive(Clone, Debug)]
pub struct Server {
    core: Arc<Core>,
}

#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) info: ServerInfo,
    /// `Implementation` JSON, as carried in `serverInfo`.
    pub(crate) info_json: Value,
    pub(crate) tools: ToolTable,
    pub(crate) resources: ResourceTable,
    pub(crate) prompts: PromptTable,
    /// Complete `tools/list` results, one per revision (index: `ProtocolVersion::index`).
    tools_lists: Vec<String>,
    /// Complete `resources/list` results, one per revision.
    resources_lists: Vec<String>,
    /// Complete `resources/templates/list` results, one per revision.
    templates_lists: Vec<String>,
    /// Complete `prompts/list` results, one per revision.
    prompts_lists: Vec<String>,
    discover: String,
    /// Fires when the server ends its subscriptions (drain).
    pub(crate) closing: tokio_util::sync::CancellationToken,
}

impl Server {
    /// Starts a [`ServerBuilder`].
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }

    pub(crate) fn new(info: ServerInfo, catalogue: Catalogue) -> Result<Server, String> {
        let tools = ToolTable::new(catalogue.tools)?;
        let resources = ResourceTable::new(catalogue.resources)?;
        let prompts = PromptTable::new(catalogue.prompts)?;
        let implementation = Implementation {
            name: info.name.clone(),
            version: info.version.clone(),
            title: info.title.clone(),
        };
        let info_json = serde_json::to_value(&implementation).unwrap_or(Value::Null);
        let tools_lists = prepare_lists("tools", &info_json, |v| tools.list_json(v));
        let resources_lists = prepare_lists("resources", &info_json, |v| resources.list_json(v));
        let templates_lists = prepare_lists("resourceTemplates", &info_json, |v| {
            resources.templates_json(v)
        });
        let prompts_lists = prepare_lists("prompts", &info_json, |v| prompts.list_json(v));
        let mut discover = Map::new();
        let versions: Vec<&str> = ProtocolVersion::ALL.iter().map(|v| v.as_str()).collect();
        discover.insert("supportedVersions".into(), json!(versions));
        discover.insert(
            "capabilities".into(),
            capabilities(&tools, &resources, &prompts),
        );
        if let Some(instructions) = &info.instructions {
            discover.insert("instructions".into(), Value::from(instructions.as_str()));
        }
        add_cache_hints(&mut discover, &info_json);
        Ok(Server {
            core: Arc::new(Core {
                info,
                info_json,
                tools,
                resources,
                prompts,
                tools_lists,
                resources_lists,
                templates_lists,
                prompts_lists,
                discover: Value::Object(discover).to_string(),
                closing: tokio_util::sync::CancellationToken::new(),
            }),
        })
    }

    /// The server's identity.
    pub fn info(&self) -> &ServerInfo {
        &self.core.info
    }

    pub(crate) fn core(&self) -> &Core {
        &self.core
    }
}

impl Core {
    /// The prepared `tools/list` result for `version`.
    pub(crate) fn tools_list(&self, version: ProtocolVersion) -> &str {
        self.tools_lists
            .get(version.index())
            .map_or("{}", String::as_str)
    }

    /// The prepared `resources/list` result for `version`.
    pub(crate) fn resources_list(&self, version: ProtocolVersion) -> &str {
        self.resources_lists
            .get(version.index())
            .map_or("{}", String::as_str)
    }

    /// The prepared `resources/templates/list` result for `version`.
    pub(crate) fn templates_list(&self, version: ProtocolVersion) -> &str {
        self.templates_lists
            .get(version.index())
            .map_or("{}", String::as_str)
    }

    /// The prepared `prompts/list` result for `version`.
    pub(crate) fn prompts_list(&self, version: ProtocolVersion) -> &str {
        self.prompts_lists
            .get(version.index())
            .map_or("{}", String::as_str)
    }

    /// The prepared `server/discover` result.
    pub(crate) fn discover(&self) -> &str {
        &self.discover
    }

    /// The `initialize` result for a legacy `version`.
    pub(crate) fn initialize_result(&self, version: ProtocolVersion) -> Value {
        let mut result = Map::new();
        result.insert("protocolVersion".into(), Value::from(version.as_str()));
        result.insert(
            "capabilities".into(),
            capabilities(&self.tools, &self.resources, &self.prompts),
        );
        let mut info = self.info_json.clone();
        if !version.has_structured_output()
            && let Value::Object(info) = &mut info
        {
            info.remove("title");
        }
        result.insert("serverInfo".into(), info);
        if let Some(instructions) = &self.info.instructions {
            result.insert("instructions".into(), Value::from(instructions.as_str()));
        }
        Value::Object(result)
    }
}

/// One complete list result per revision, oldest first: `{key: items}` plus, for
/// 2026-07-28, `resultType`, `serverInfo` and cache hints.
fn prepare_lists(
    key: &str,
    info_json: &Value,
    items: impl Fn(ProtocolVersion) -> Value,
) -> Vec<String> {
    let mut by_age = ProtocolVersion::ALL;
    by_age.sort();
    by_age
        .iter()
        .map(|&version| {
            let mut result = Map::new();
            result.insert(key.into(), items(version));
            if version.is_modern() {
                add_cache_hints(&mut result, info_json);
            }
            Value::Object(result).to_string()
        })
        .collect()
}

/// What this server offers, in `ServerCapabilities` form.
fn capabilities(tools: &ToolTable, resources: &ResourceTable, prompts: &PromptTable) -> Value {
    let mut capabilities = Map::new();
    if !tools.is_empty() {
        capabilities.insert("tools".into(), json!({ "listChanged": false }));
    }
    if !resources.is_empty() {
        capabilities.insert(
            "resources".into(),
            json!({ "listChanged": false, "subscribe": false }),
        );
    }
    if !prompts.is_empty() {
        capabilities.insert("prompts".into(), json!({ "listChanged": false }));
    }
    capabilities.insert("logging".into(), json!({}));
    Value::Object(capabilities)
}

/// Adds `resultType`, `serverInfo` and cache hints to a 2026-07-28 result.
pub(crate) fn add_cache_hints(result: &mut Map<String, Value>, info_json: &Value) {
    finish_modern(result, info_json);
    result.insert("ttlMs".into(), Value::from(LIST_TTL_MS));
    result.insert("cacheScope".into(), Value::from("public"));
}
