//! Test your server in-process: a client that talks to a [`Server`] with no transport and
//! no subprocess, in the 2026-07-28 mode or after a legacy `initialize`.
//!
//! ```
//! /// Add two numbers.
//! #[mcp::tool]
//! fn add(a: f64, b: f64) -> f64 {
//!     a + b
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let server = mcp::Server::builder().tool(add).build().unwrap();
//! let mut client = mcp::testing::Client::new(server);
//! let tools = client.list_tools().await.unwrap();
//! assert_eq!(tools[0]["name"], "add");
//! let result = client.call_tool("add", serde_json::json!({"a": 2, "b": 0.5})).await.unwrap();
//! assert_eq!(result.text(), "2.5");
//! # }
//! ```

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};

use crate::protocol::meta::{CLIENT_CAPABILITIES_KEY, CLIENT_INFO_KEY, PROTOCOL_VERSION_KEY};
use crate::protocol::{ProtocolVersion, RpcError};
use crate::server::Server;

/// How long a request may take before the client gives up (a hung tool).
const TIMEOUT: Duration = Duration::from_secs(30);

/// An in-process MCP client.
#[derive(Debug)]
pub struct Client {
    writer: DuplexStream,
    lines: Lines<BufReader<DuplexStream>>,
    version: ProtocolVersion,
    next_id: u64,
    notifications: Vec<Value>,
}

/// The result of a tool call.
#[derive(Clone, Debug, PartialEq)]
pub struct CallResult {
    /// The content blocks, as JSON.
    pub content: Vec<Value>,
    /// Structured content, when the tool returns it.
    pub structured_content: Option<Value>,
    /// Whether the tool reported an error.
    pub is_error: bool,
    /// Notifications the server sent while the call ran (progress, logs).
    pub notifications: Vec<Value>,
}

impl CallResult {
    /// The text blocks, joined by newlines.
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| block.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Client {
    /// A client speaking 2026-07-28 (per-request `_meta`, no handshake).
    pub fn new(server: Server) -> Client {
        let (writer, server_input) = tokio::io::duplex(1 << 20);
        let (server_output, reader) = tokio::io::duplex(1 << 20);
        tokio::spawn(server.serve_io(server_input, server_output));
        Client {
            writer,
            lines: BufReader::new(reader).lines(),
            version: ProtocolVersion::LATEST,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    /// A client that opened a legacy session at `version` with `initialize`.
    pub async fn legacy(server: Server, version: ProtocolVersion) -> Result<Client, RpcError> {
        let mut client = Client::new(server);
        client.version = version;
        let result = client
            .request(
                "initialize",
                json!({
                    "protocolVersion": version.as_str(),
                    "capabilities": {},
                    "clientInfo": { "name": "mcp-testing", "version": env!("CARGO_PKG_VERSION") }
                }),
            )
            .await?;
        if result["protocolVersion"] != version.as_str() {
            return Err(RpcError::new(
                0,
                format!("the server chose {}", result["protocolVersion"]),
            ));
        }
        client
            .send(json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }))
            .await?;
        Ok(client)
    }

    /// The protocol revision this client speaks.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// Sends a request and returns its result (notifications that came before it are
    /// kept, see [`Client::take_notifications`]).
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = self.next_id;
        self.next_id += 1;
        let mut params = match params {
            Value::Object(params) => params,
            Value::Null => serde_json::Map::new(),
            other => {
                return Err(RpcError::new(
                    0,
                    format!("params must be an object, not {other}"),
                ));
            }
        };
        if self.version.is_modern() && method != "initialize" {
            let meta = params
                .entry("_meta")
                .or_insert_with(|| Value::Object(serde_json::Map::new()));
            if let Value::Object(meta) = meta {
                meta.insert(
                    PROTOCOL_VERSION_KEY.into(),
                    Value::from(self.version.as_str()),
                );
                meta.entry(CLIENT_CAPABILITIES_KEY)
                    .or_insert_with(|| json!({}));
                meta.entry(CLIENT_INFO_KEY).or_insert_with(
                    || json!({ "name": "mcp-testing", "version": env!("CARGO_PKG_VERSION") }),
                );
            }
        }
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await?;
        loop {
            let message = self.next().await?;
            if message.get("id") == Some(&Value::from(id)) {
                if let Some(error) = message.get("error") {
                    return Err(RpcError {
                        code: error["code"].as_i64().unwrap_or(0),
                        message: error["message"].as_str().unwrap_or_default().to_owned(),
                        data: error.get("data").cloned(),
                    });
                }
                return Ok(message.get("result").cloned().unwrap_or(Value::Null));
            }
            self.notifications.push(message);
        }
    }

    /// The notifications received so far, emptying the list.
    pub fn take_notifications(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.notifications)
    }

    /// `tools/list`, every page.
    pub async fn list_tools(&mut self) -> Result<Vec<Value>, RpcError> {
        self.list_all("tools/list", "tools").await
    }

    /// `resources/list`, every page.
    pub async fn list_resources(&mut self) -> Result<Vec<Value>, RpcError> {
        self.list_all("resources/list", "resources").await
    }

    /// `resources/templates/list`, every page.
    pub async fn list_resource_templates(&mut self) -> Result<Vec<Value>, RpcError> {
        self.list_all("resources/templates/list", "resourceTemplates")
            .await
    }

    /// `prompts/list`, every page.
    pub async fn list_prompts(&mut self) -> Result<Vec<Value>, RpcError> {
        self.list_all("prompts/list", "prompts").await
    }

    /// `tools/call`, asking for progress.
    pub async fn call_tool(
        &mut self,
        name: &str,
        arguments: Value,
    ) -> Result<CallResult, RpcError> {
        self.notifications.clear();
        let token = format!("progress-{}", self.next_id);
        let params =
            json!({ "name": name, "arguments": arguments, "_meta": { "progressToken": token } });
        let result = self.request("tools/call", params).await?;
        Ok(CallResult {
            content: result["content"].as_array().cloned().unwrap_or_default(),
            structured_content: result.get("structuredContent").cloned(),
            is_error: result["isError"].as_bool().unwrap_or(false),
            notifications: self.take_notifications(),
        })
    }

    /// `resources/read`: the contents.
    pub async fn read_resource(&mut self, uri: &str) -> Result<Vec<Value>, RpcError> {
        let result = self
            .request("resources/read", json!({ "uri": uri }))
            .await?;
        Ok(result["contents"].as_array().cloned().unwrap_or_default())
    }

    /// `prompts/get`: the messages.
    pub async fn get_prompt(
        &mut self,
        name: &str,
        arguments: Value,
    ) -> Result<Vec<Value>, RpcError> {
        let result = self
            .request(
                "prompts/get",
                json!({ "name": name, "arguments": arguments }),
            )
            .await?;
        Ok(result["messages"].as_array().cloned().unwrap_or_default())
    }

    async fn list_all(&mut self, method: &str, key: &str) -> Result<Vec<Value>, RpcError> {
        let mut items = Vec::new();
        let mut cursor = Value::Null;
        loop {
            let params = if cursor.is_null() {
                json!({})
            } else {
                json!({ "cursor": cursor })
            };
            let result = self.request(method, params).await?;
            items.extend(result[key].as_array().cloned().unwrap_or_default());
            cursor = result.get("nextCursor").cloned().unwrap_or(Value::Null);
            if cursor.is_null() {
                return Ok(items);
            }
        }
    }

    async fn send(&mut self, message: Value) -> Result<(), RpcError> {
        let mut line = message.to_string();
        line.push('\n');
        self.writer
            .write_all(line.as_bytes())
            .await
            .map_err(|error| RpcError::new(0, format!("the server is gone: {error}")))
    }

    async fn next(&mut self) -> Result<Value, RpcError> {
        let line = tokio::time::timeout(TIMEOUT, self.lines.next_line())
            .await
            .map_err(|_| RpcError::new(0, "no reply within 30 s"))?
            .map_err(|error| RpcError::new(0, format!("the server is gone: {error}")))?
            .ok_or_else(|| RpcError::new(0, "the server closed the connection"))?;
        serde_json::from_str(&line).map_err(|error| {
            RpcError::new(
                0,
                format!("the server wrote invalid JSON ({error}): {line}"),
            )
        })
    }
}
