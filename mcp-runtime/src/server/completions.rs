//! `completion/complete`: suggestions from the server's completers.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::completion::{CompleteCall, CompletionDef, CompletionRef};
use crate::protocol::jsonrpc::result_value_message;
use crate::protocol::{RequestId, RpcError};
use crate::server::Server;
use crate::server::dispatch::{CallTask, Reply, Scope};

/// At most this many suggestions go in one reply (the spec's limit).
const MAX_VALUES: usize = 100;

/// Completers by what they complete.
#[derive(Debug, Default)]
pub(crate) struct CompletionTable {
    by_target: HashMap<(CompletionRef, &'static str), &'static CompletionDef>,
}

impl CompletionTable {
    pub(crate) fn new(defs: Vec<&'static CompletionDef>) -> Result<CompletionTable, String> {
        let mut by_target = HashMap::new();
        for def in defs {
            if let Some(first) = by_target.insert((def.reference, def.argument), def)
                && !std::ptr::eq(first, def)
            {
                return Err(format!(
                    "two completers for argument `{}` of {:?}: one at {} and one at {}",
                    def.argument, def.reference, first.location, def.location
                ));
            }
        }
        Ok(CompletionTable { by_target })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_target.is_empty()
    }

    fn find(&self, target: CompletionRef, argument: &str) -> Option<&'static CompletionDef> {
        self.by_target
            .iter()
            .find(|((reference, name), _)| *reference == target && *name == argument)
            .map(|(_, def)| *def)
    }
}

impl Server {
    /// Starts a `completion/complete`: an unknown prompt or template is `-32602`; a known
    /// one without a completer for the argument gets no suggestions.
    pub(crate) fn start_complete(
        &self,
        id: RequestId,
        scope: &Scope,
        params: &Map<String, Value>,
    ) -> Result<CallTask, RpcError> {
        let reference = params.get("ref").ok_or_else(|| {
            RpcError::invalid_params("`ref` must name a prompt or a resource template")
        })?;
        let target = match reference.get("type").and_then(Value::as_str) {
            Some("ref/prompt") => {
                let name = reference
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                self.core()
                    .prompts
                    .def(name)
                    .map(|def| CompletionRef::Prompt(def.name))
                    .ok_or_else(|| RpcError::invalid_params(format!("unknown prompt `{name}`")))?
            }
            Some("ref/resource") => {
                let uri = reference
                    .get("uri")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                self.core()
                    .resources
                    .template(uri)
                    .map(|def| CompletionRef::Resource(def.uri))
                    .ok_or_else(|| {
                        RpcError::invalid_params(format!("unknown resource template `{uri}`"))
                    })?
            }
            _ => {
                return Err(RpcError::invalid_params(
                    "`ref.type` must be \"ref/prompt\" or \"ref/resource\"",
                ));
            }
        };
        let argument = params.get("argument");
        let name = argument
            .and_then(|argument| argument.get("name"))
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`argument.name` must be a string"))?;
        let value = argument
            .and_then(|argument| argument.get("value"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let arguments = params
            .get("context")
            .and_then(|context| context.get("arguments"))
            .and_then(Value::as_object)
            .map(|arguments| {
                arguments
                    .iter()
                    .filter_map(|(key, value)| {
                        value.as_str().map(|text| (key.clone(), text.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let completer = self.core().completions.find(target, name);
        let version = scope.version;
        let server = self.clone();
        Ok(Box::pin(async move {
            let values = match completer {
                Some(def) => (def.complete)(CompleteCall { value, arguments }).await,
                None => Vec::new(),
            };
            let total = values.len();
            let shown: Vec<String> = values.into_iter().take(MAX_VALUES).collect();
            let mut result = Map::new();
            result.insert(
                "completion".into(),
                json!({ "values": shown, "total": total, "hasMore": total > MAX_VALUES }),
            );
            if version.is_modern() {
                crate::tool_result::finish_modern(&mut result, &server.core().info_json);
            }
            Some(Reply::ok(result_value_message(&id, &Value::Object(result))))
        }))
    }
}
