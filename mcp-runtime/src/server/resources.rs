//! The resources a server serves: fixed URIs and URI templates, prepared at startup.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::context::Context;
use crate::protocol::ProtocolVersion;
use crate::protocol::RequestId;
use crate::protocol::RpcError;
use crate::protocol::codes;
use crate::protocol::jsonrpc::result_value_message;
use crate::resource::{ResourceCall, ResourceDef, ResourceFuture};
use crate::server::Server;
use crate::server::dispatch::{CallTask, HandlerStart, Peer, Reply, Scope};
use crate::server::mrtr::run_with_input;
use crate::server::outbound::Outbound;
use crate::uri_template::UriTemplate;

/// One resource with its template parsed.
#[derive(Debug)]
struct PreparedResource {
    def: &'static ResourceDef,
    template: UriTemplate,
}

/// Fixed resources by URI, and templates in a deterministic order.
#[derive(Debug, Default)]
pub(crate) struct ResourceTable {
    fixed: Vec<PreparedResource>,
    by_uri: HashMap<&'static str, usize>,
    templates: Vec<PreparedResource>,
}

impl ResourceTable {
    /// Prepares the resources: a template that does not parse, or two resources with one
    /// URI, is an error naming them.
    pub(crate) fn new(defs: Vec<&'static ResourceDef>) -> Result<ResourceTable, String> {
        let mut table = ResourceTable::default();
        let mut seen: HashMap<&'static str, &'static ResourceDef> = HashMap::new();
        let mut defs = defs;
        defs.sort_by_key(|def| def.uri);
        for def in defs {
            if let Some(first) = seen.insert(def.uri, def) {
                if std::ptr::eq(first, def) {
                    continue;
                }
                return Err(format!(
                    "two resources have the URI `{}`: one at {} and one at {}",
                    def.uri, first.location, def.location
                ));
            }
            let template = UriTemplate::parse(def.uri)
                .map_err(|error| format!("resource `{}` ({}): {error}", def.name, def.location))?;
            let prepared = PreparedResource { def, template };
            if prepared.template.is_fixed() {
                table.by_uri.insert(def.uri, table.fixed.len());
                table.fixed.push(prepared);
            } else {
                table.templates.push(prepared);
            }
        }
        Ok(table)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.templates.is_empty()
    }

    /// Whether `uri` is a fixed resource or matches a template.
    pub(crate) fn knows(&self, uri: &str) -> bool {
        self.by_uri.contains_key(uri)
            || self
                .templates
                .iter()
                .any(|resource| resource.template.matches(uri).is_some())
    }

    /// The resource template with this URI template.
    pub(crate) fn template(&self, uri_template: &str) -> Option<&'static ResourceDef> {
        self.templates
            .iter()
            .find(|resource| resource.def.uri == uri_template)
            .map(|resource| resource.def)
    }

    /// The `resources` array of `resources/list`.
    pub(crate) fn list_json(&self, version: ProtocolVersion) -> Vec<Value> {
        self.fixed
            .iter()
            .map(|resource| describe(resource.def, "uri", version))
            .collect()
    }

    /// The `resourceTemplates` array of `resources/templates/list`.
    pub(crate) fn templates_json(&self, version: ProtocolVersion) -> Vec<Value> {
        self.templates
            .iter()
            .map(|resource| describe(resource.def, "uriTemplate", version))
            .collect()
    }

    /// Starts reading `uri`: a fixed resource first, else the first template that matches.
    pub(crate) fn read(
        &self,
        uri: &str,
        context: Context,
        version: ProtocolVersion,
    ) -> Result<ResourceFuture, RpcError> {
        if let Some(resource) = self
            .by_uri
            .get(uri)
            .and_then(|&index| self.fixed.get(index))
        {
            let call =
                ResourceCall::new(uri.to_owned(), resource.def.mime_type, Map::new(), context);
            return Ok((resource.def.read)(call));
        }
        for resource in &self.templates {
            if let Some(found) = resource.template.matches(uri) {
                let variables = found
                    .into_iter()
                    .map(|(name, value)| (name.to_owned(), Value::String(value)))
                    .collect();
                let call =
                    ResourceCall::new(uri.to_owned(), resource.def.mime_type, variables, context);
                return Ok((resource.def.read)(call));
            }
        }
        Err(not_found(uri, version))
    }
}

impl Server {
    /// Starts a `resources/read`: the reply comes when the resource's function returns.
    pub(crate) fn start_read(
        &self,
        id: RequestId,
        scope: Scope,
        params: &Map<String, Value>,
        peer: &Peer,
        notify: &Outbound,
    ) -> Result<CallTask, RpcError> {
        let uri = params
            .get("uri")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`uri` must be the URI of a resource"))?;
        let version = scope.version;
        let target = std::borrow::Cow::Owned(uri.to_owned());
        let HandlerStart {
            registration,
            input,
            context,
        } = scope.start_handler(self, &id, params, peer, notify, "resources/read", target)?;
        let read = self.core().resources.read(uri, context, version)?;
        let server = self.clone();
        Ok(Box::pin(async move {
            let outcome =
                match run_with_input(&id, "resource", registration, read, input, &server).await? {
                    Ok(outcome) => outcome,
                    Err(panicked) => return Some(panicked),
                };
            Some(match outcome {
                Ok(contents) => {
                    let mut result = Map::new();
                    let contents = serde_json::to_value(contents).unwrap_or(Value::Null);
                    result.insert("contents".into(), contents);
                    if version.is_modern() {
                        crate::server::add_cache_hints(&mut result, &server.core().info_json);
                        result.insert("ttlMs".into(), Value::from(0));
                        result.insert("cacheScope".into(), Value::from("private"));
                    }
                    Reply::ok(result_value_message(&id, &Value::Object(result)))
                }
                Err(message) => Reply::error(&id, &RpcError::internal(message)),
            })
        }))
    }
}

/// Resource not found: `-32602` from 2026-07-28 on, `-32002` before.
pub(crate) fn not_found(uri: &str, version: ProtocolVersion) -> RpcError {
    let code = if version.is_modern() {
        codes::INVALID_PARAMS
    } else {
        codes::RESOURCE_NOT_FOUND
    };
    RpcError::new(code, format!("resource not found: {uri}"))
        .with_data(serde_json::json!({ "uri": uri }))
}

/// A `Resource` or `ResourceTemplate` in the shape of `version`.
fn describe(def: &ResourceDef, uri_key: &str, version: ProtocolVersion) -> Value {
    let mut resource = Map::new();
    resource.insert(uri_key.into(), Value::from(def.uri));
    resource.insert("name".into(), Value::from(def.name));
    if let (Some(title), true) = (def.title, version >= ProtocolVersion::V2025_06_18) {
        resource.insert("title".into(), Value::from(title));
    }
    if let Some(description) = def.description {
        resource.insert("description".into(), Value::from(description));
    }
    if let Some(mime_type) = def.mime_type {
        resource.insert("mimeType".into(), Value::from(mime_type));
    }
    crate::descriptor::add_icons_and_meta(&mut resource, def.icons, def.meta, version);
    Value::Object(resource)
}
