//! The server: its identity, its tools, and the answers prepared from them.

pub(crate) mod batch;
pub(crate) mod builder;
pub(crate) mod changes;
pub(crate) mod client_requests;
pub(crate) mod completions;
pub(crate) mod connection;
pub(crate) mod dispatch;
pub(crate) mod in_flight;
pub(crate) mod lists;
pub(crate) mod mrtr;
pub(crate) mod outbound;
pub(crate) mod prompts;
pub(crate) mod resources;
pub(crate) mod running;
pub(crate) mod session;
pub(crate) mod subscriptions;
pub(crate) mod tools;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::protocol::meta::Implementation;
use crate::protocol::{ProtocolVersion, RpcError};
use crate::tool_result::finish_modern;
use builder::Catalogue;
use completions::CompletionTable;
use lists::PreparedList;
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
    /// The `_meta` of every 2026-07-28 result, serialised once:
    /// `{"io.modelcontextprotocol/serverInfo":…}`.
    pub(crate) result_meta_json: String,
    pub(crate) tools: ToolTable,
    pub(crate) resources: ResourceTable,
    pub(crate) prompts: PromptTable,
    pub(crate) completions: CompletionTable,
    /// Tools switched off at run time, and the tool list they leave.
    pub(crate) switches: changes::Switches,
    /// Where tool-list changes are announced.
    pub(crate) listeners: Arc<changes::Listeners>,
    page_size: Option<usize>,
    pub(crate) resources_list: PreparedList,
    pub(crate) templates_list: PreparedList,
    pub(crate) prompts_list: PreparedList,
    discover: String,
    /// Fires when the server ends its subscriptions (drain).
    pub(crate) closing: tokio_util::sync::CancellationToken,
    /// Seals `requestState` of multi round-trip requests.
    pub(crate) state_key: mrtr::StateKey,
    /// Values shared through `State<T>`.
    pub(crate) states: Arc<crate::state::States>,
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
        let completions = CompletionTable::new(catalogue.completions)?;
        let implementation = Implementation {
            name: info.name.clone(),
            version: info.version.clone(),
            title: info.title.clone(),
        };
        let info_json = serde_json::to_value(&implementation).unwrap_or(Value::Null);
        let page_size = catalogue.page_size;
        let mut discover = Map::new();
        let versions: Vec<&str> = ProtocolVersion::ALL.iter().map(|v| v.as_str()).collect();
        discover.insert("supportedVersions".into(), json!(versions));
        discover.insert(
            "capabilities".into(),
            capabilities(&tools, &resources, &prompts, &completions),
        );
        if let Some(instructions) = &info.instructions {
            discover.insert("instructions".into(), Value::from(instructions.as_str()));
        }
        add_cache_hints(&mut discover, &info_json);
        let result_meta_json =
            json!({ crate::protocol::meta::SERVER_INFO_KEY: &info_json }).to_string();
        Ok(Server {
            core: Arc::new(Core {
                info,
                info_json,
                result_meta_json,
                tools,
                resources,
                prompts,
                completions,
                switches: changes::Switches {
                    disabled: std::sync::RwLock::default(),
                    tools_list: std::sync::RwLock::new(Arc::new(PreparedList::new(
                        "tools", page_size,
                    ))),
                },
                listeners: Arc::default(),
                page_size,
                resources_list: PreparedList::new("resources", page_size),
                templates_list: PreparedList::new("resourceTemplates", page_size),
                prompts_list: PreparedList::new("prompts", page_size),
                discover: Value::Object(discover).to_string(),
                closing: tokio_util::sync::CancellationToken::new(),
                state_key: mrtr::StateKey::from_environment(),
                states: Arc::new(catalogue.states),
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
    /// The current `tools/list` pages.
    pub(crate) fn tools_list(&self) -> Arc<PreparedList> {
        self.switches
            .tools_list
            .read()
            .map(|list| Arc::clone(&list))
            .unwrap_or_default()
    }

    /// Whether a tool is switched on.
    pub(crate) fn tool_switched_on(&self, name: &str) -> bool {
        self.switches
            .disabled
            .read()
            .map(|disabled| disabled.is_empty() || !disabled.contains(name))
            .unwrap_or(true)
    }

    /// A fresh tool list, for when tools were switched on or off.
    pub(crate) fn prepare_tools_list(&self) -> PreparedList {
        PreparedList::new("tools", self.page_size)
    }

    /// The page of a list that a request asks for, in the shape of `version`.
    pub(crate) fn list_page(
        &self,
        listing: Listing,
        version: ProtocolVersion,
        params: &Map<String, Value>,
    ) -> Result<Arc<str>, RpcError> {
        let finish = |result: &mut Map<String, Value>| {
            if version.is_modern() {
                add_cache_hints(result, &self.info_json);
            }
        };
        let page = match listing {
            Listing::Tools => {
                // The tool list can change at run time: its pages are shared, not
                // borrowed.
                let list = self.tools_list();
                let items = || {
                    self.tools
                        .list_json(version, |name| self.tool_switched_on(name))
                };
                return list.page(version, params, items, finish).cloned();
            }
            Listing::Resources => self.resources_list.page(
                version,
                params,
                || self.resources.list_json(version),
                finish,
            ),
            Listing::Templates => self.templates_list.page(
                version,
                params,
                || self.resources.templates_json(version),
                finish,
            ),
            Listing::Prompts => {
                self.prompts_list
                    .page(version, params, || self.prompts.list_json(version), finish)
            }
        };
        page.cloned()
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
            capabilities(
                &self.tools,
                &self.resources,
                &self.prompts,
                &self.completions,
            ),
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

/// The lists a client can page through.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Listing {
    Tools,
    Resources,
    Templates,
    Prompts,
}

/// What this server offers, in `ServerCapabilities` form.
fn capabilities(
    tools: &ToolTable,
    resources: &ResourceTable,
    prompts: &PromptTable,
    completions: &CompletionTable,
) -> Value {
    let mut capabilities = Map::new();
    if !tools.is_empty() {
        capabilities.insert("tools".into(), json!({ "listChanged": true }));
    }
    if !resources.is_empty() {
        capabilities.insert(
            "resources".into(),
            json!({ "listChanged": false, "subscribe": true }),
        );
    }
    if !prompts.is_empty() {
        capabilities.insert("prompts".into(), json!({ "listChanged": false }));
    }
    if !completions.is_empty() {
        capabilities.insert("completions".into(), json!({}));
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
