//! The prompts a server serves, prepared at startup, and `prompts/get`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::prompt::{PromptArgument, PromptCall, PromptDef, PromptError};
use crate::protocol::jsonrpc::result_value_message;
use crate::protocol::{ProtocolVersion, RequestId, RpcError};
use crate::server::Server;
use crate::server::dispatch::{CallTask, HandlerStart, Peer, Reply, Scope};
use crate::server::mrtr::run_with_input;
use crate::server::outbound::Outbound;

/// One prompt with its arguments described.
#[derive(Debug)]
struct PreparedPrompt {
    def: &'static PromptDef,
    arguments: Vec<PromptArgument>,
}

/// The prompts of a server, by name, in a deterministic order.
#[derive(Debug, Default)]
pub(crate) struct PromptTable {
    prompts: Vec<PreparedPrompt>,
    by_name: HashMap<&'static str, usize>,
}

impl PromptTable {
    /// Prepares the prompts; two with one name is an error naming both.
    pub(crate) fn new(defs: Vec<&'static PromptDef>) -> Result<PromptTable, String> {
        let mut unique: HashMap<&'static str, &'static PromptDef> = HashMap::new();
        for def in defs {
            if let Some(first) = unique.insert(def.name, def)
                && !std::ptr::eq(first, def)
            {
                return Err(format!(
                    "two prompts are named `{}`: one at {} and one at {}",
                    def.name, first.location, def.location
                ));
            }
        }
        let mut defs: Vec<_> = unique.into_values().collect();
        defs.sort_by_key(|def| def.name);
        let prompts: Vec<PreparedPrompt> = defs
            .into_iter()
            .map(|def| PreparedPrompt {
                def,
                arguments: (def.arguments)(),
            })
            .collect();
        let by_name = prompts
            .iter()
            .enumerate()
            .map(|(index, prompt)| (prompt.def.name, index))
            .collect();
        Ok(PromptTable { prompts, by_name })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.prompts.is_empty()
    }

    /// The prompt with this name.
    pub(crate) fn def(&self, name: &str) -> Option<&'static PromptDef> {
        self.by_name
            .get(name)
            .and_then(|&index| self.prompts.get(index))
            .map(|prompt| prompt.def)
    }

    /// The `prompts` array of `prompts/list`.
    pub(crate) fn list_json(&self, version: ProtocolVersion) -> Vec<Value> {
        self.prompts.iter().map(|p| p.to_json(version)).collect()
    }
}

impl PreparedPrompt {
    fn to_json(&self, version: ProtocolVersion) -> Value {
        let def = self.def;
        let mut prompt = Map::new();
        prompt.insert("name".into(), Value::from(def.name));
        if let (Some(title), true) = (def.title, version >= ProtocolVersion::V2025_06_18) {
            prompt.insert("title".into(), Value::from(title));
        }
        if let Some(description) = def.description {
            prompt.insert("description".into(), Value::from(description));
        }
        let arguments: Vec<Value> = self
            .arguments
            .iter()
            .map(|argument| {
                let mut json = Map::new();
                json.insert("name".into(), Value::from(argument.name));
                if let Some(description) = argument.description {
                    json.insert("description".into(), Value::from(description));
                }
                json.insert("required".into(), Value::Bool(argument.required));
                Value::Object(json)
            })
            .collect();
        prompt.insert("arguments".into(), Value::Array(arguments));
        crate::descriptor::add_icons_and_meta(&mut prompt, def.icons, def.meta, version);
        Value::Object(prompt)
    }
}

impl Server {
    /// Starts a `prompts/get`: the reply comes when the prompt's function returns.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start_get_prompt(
        &self,
        id: RequestId,
        scope: Scope,
        params: &Map<String, Value>,
        arguments: Map<String, Value>,
        peer: &Peer,
        notify: &Outbound,
    ) -> Result<CallTask, RpcError> {
        let name = params
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| RpcError::invalid_params("`name` must be the name of a prompt"))?;
        let prompts = &self.core().prompts;
        let prompt = prompts
            .by_name
            .get(name)
            .and_then(|&index| prompts.prompts.get(index))
            .ok_or_else(|| {
                RpcError::invalid_params(format!("unknown prompt `{name}`"))
                    .with_data(serde_json::json!({ "name": name }))
            })?;
        let version = scope.version;
        let target = std::borrow::Cow::Borrowed(prompt.def.name);
        let HandlerStart {
            registration,
            input,
            context,
        } = scope.start_handler(self, &id, params, peer, notify, "prompts/get", target)?;
        let description = prompt.def.description;
        let future = (prompt.def.get)(PromptCall::new(arguments, context));
        let server = self.clone();
        Ok(Box::pin(async move {
            let outcome =
                match run_with_input(&id, "prompt", registration, future, input, &server).await? {
                    Ok(outcome) => outcome,
                    Err(panicked) => return Some(panicked),
                };
            Some(match outcome {
                Ok(messages) => {
                    let mut result = Map::new();
                    if let Some(description) = description {
                        result.insert("description".into(), Value::from(description));
                    }
                    let messages = messages.iter().map(|m| m.to_json(version)).collect();
                    result.insert("messages".into(), Value::Array(messages));
                    if version.is_modern() {
                        crate::tool_result::finish_modern(&mut result, &server.core().info_json);
                    }
                    Reply::ok(result_value_message(&id, &Value::Object(result)))
                }
                Err(PromptError::Arguments(message)) => {
                    Reply::error(&id, &RpcError::invalid_params(message))
                }
                Err(PromptError::Failed(message)) => {
                    Reply::error(&id, &RpcError::internal(message))
                }
            })
        }))
    }
}
