//! The fixtures of the stable suite that ask a 2025-era client for input:
//! `#[mcp::tool]`s that call [`mcp::Context::request_input`] (or
//! [`mcp::Context::elicit`]), which sends the client a request of its own
//! (`sampling/createMessage`, `elicitation/create`) on its connection or session and
//! returns the client's answer.
//!
//! A client that did not declare the capability the request needs (`sampling`,
//! `elicitation`) gets a tool error instead. These scenarios end with protocol
//! 2025-11-25; a 2026-07-28 client calling these tools is asked with `input_required`,
//! like the fixtures in [`crate::input`].

use mcp::schemars::JsonSchema;
use mcp::serde::Deserialize;
use mcp::{Context, Elicitation, InputError, InputRequest};
use serde_json::{Value, json};

/// The form of `test_elicitation`.
#[derive(Deserialize, JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct UserInfo {
    /// User's response
    username: String,
    /// User's email address
    email: String,
}

/// The text of a `CreateMessageResult`: its text block, or its text blocks joined by
/// newlines when `content` is an array (2025-11-25).
fn sampled_text(answer: &Value) -> Result<String, InputError> {
    let blocks = match &answer["content"] {
        Value::Array(blocks) => blocks.iter().collect(),
        block => vec![block],
    };
    let texts: Vec<&str> = blocks
        .into_iter()
        .filter(|block| block["type"] == "text")
        .filter_map(|block| block["text"].as_str())
        .collect();
    if texts.is_empty() {
        return Err(InputError::InvalidResponse(
            "a sampling result needs text `content`".into(),
        ));
    }
    Ok(texts.join("\n"))
}

/// `action=<action>, content=<content as JSON>` of an `ElicitResult` (`{}` without
/// content, as after a decline).
fn elicit_summary(answer: &Value) -> Result<String, InputError> {
    let action = answer["action"].as_str().ok_or_else(|| {
        InputError::InvalidResponse("an elicitation result needs `action`".into())
    })?;
    let content = answer.get("content").cloned().unwrap_or_else(|| json!({}));
    Ok(format!("action={action}, content={content}"))
}

/// Asks the client's model to answer `prompt` (`sampling/createMessage`, at most 100
/// tokens) and returns its answer (scenario `tools-call-sampling`).
///
/// # Arguments
/// * `prompt` - the prompt to send to the LLM
#[mcp::tool]
async fn test_sampling(ctx: Context, prompt: String) -> mcp::Result<String> {
    let answer = ctx
        .request_input(InputRequest::sample(&prompt, 100))
        .await?;
    Ok(format!("LLM response: {}", sampled_text(&answer)?))
}

/// Asks the user for a username and an email address (`elicitation/create`) and
/// returns what they did (scenario `tools-call-elicitation`).
///
/// # Arguments
/// * `message` - the message to show the user
#[mcp::tool]
async fn test_elicitation(ctx: Context, message: String) -> mcp::Result<String> {
    let response = match ctx.elicit::<UserInfo>(&message).await? {
        Elicitation::Accept(form) => {
            let content = json!({ "username": form.username, "email": form.email });
            format!("action=accept, content={content}")
        }
        Elicitation::Decline => "action=decline".into(),
        Elicitation::Cancel => "action=cancel".into(),
    };
    Ok(format!("User response: {response}"))
}

/// The form of `test_elicitation_sep1034_defaults`: one field of each primitive type,
/// each with a default (SEP-1034). Written by hand, as the scenario checks the exact
/// `type` of each field (`integer` for `age`, no `format`).
fn defaults_form() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": { "type": "string", "description": "User name", "default": "John Doe" },
            "age": { "type": "integer", "description": "User age", "default": 30 },
            "score": { "type": "number", "description": "User score", "default": 95.5 },
            "status": {
                "type": "string",
                "description": "User status",
                "enum": ["active", "inactive", "pending"],
                "default": "active"
            },
            "verified": { "type": "boolean", "description": "Verification status", "default": true }
        },
        "required": []
    })
}

/// Asks for a form whose fields all have defaults and returns the answer (scenario
/// `elicitation-sep1034-defaults`, SEP-1034).
#[mcp::tool]
async fn test_elicitation_sep1034_defaults(ctx: Context) -> mcp::Result<String> {
    let request = InputRequest::elicit_schema(
        "Please review your profile (every field has a default)",
        defaults_form(),
    );
    let answer = ctx.request_input(request).await?;
    Ok(format!(
        "Elicitation completed: {}",
        elicit_summary(&answer)?
    ))
}

/// The form of `test_elicitation_sep1330_enums`: the five enum shapes of SEP-1330,
/// untitled and titled single-select, the legacy `enumNames` form (deprecated), and
/// untitled and titled multi-select. Written by hand: a derived schema cannot title
/// its options.
fn enums_form() -> Value {
    json!({
        "type": "object",
        "properties": {
            "untitledSingle": {
                "type": "string",
                "description": "Pick one option",
                "enum": ["option1", "option2", "option3"]
            },
            "titledSingle": {
                "type": "string",
                "description": "Pick one titled option",
                "oneOf": [
                    { "const": "value1", "title": "First Option" },
                    { "const": "value2", "title": "Second Option" },
                    { "const": "value3", "title": "Third Option" }
                ]
            },
            "legacyEnum": {
                "type": "string",
                "description": "Pick one option (legacy titles)",
                "enum": ["opt1", "opt2", "opt3"],
                "enumNames": ["Option One", "Option Two", "Option Three"]
            },
            "untitledMulti": {
                "type": "array",
                "description": "Pick any options",
                "items": { "type": "string", "enum": ["option1", "option2", "option3"] }
            },
            "titledMulti": {
                "type": "array",
                "description": "Pick any titled options",
                "items": {
                    "anyOf": [
                        { "const": "value1", "title": "First Choice" },
                        { "const": "value2", "title": "Second Choice" },
                        { "const": "value3", "title": "Third Choice" }
                    ]
                }
            }
        },
        "required": []
    })
}

/// Asks for a form with every kind of enum and returns the answer (scenario
/// `elicitation-sep1330-enums`, SEP-1330).
#[mcp::tool]
async fn test_elicitation_sep1330_enums(ctx: Context) -> mcp::Result<String> {
    let request = InputRequest::elicit_schema("Please choose your options", enums_form());
    let answer = ctx.request_input(request).await?;
    Ok(format!(
        "Elicitation completed: {}",
        elicit_summary(&answer)?
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};

    /// A 2025-11-25 session with the server over an in-process stdio pipe, with a client
    /// that answers the server's requests itself.
    struct Session {
        writer: DuplexStream,
        lines: Lines<BufReader<DuplexStream>>,
    }

    impl Session {
        /// Opens a session whose client declares `capabilities`.
        async fn open(capabilities: Value) -> Session {
            let (writer, server_input) = tokio::io::duplex(1 << 20);
            let (server_output, reader) = tokio::io::duplex(1 << 20);
            let server = crate::server().expect("a valid server");
            tokio::spawn(server.serve_io(server_input, server_output));
            let mut session = Session {
                writer,
                lines: BufReader::new(reader).lines(),
            };
            session
                .send(
                    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
                        "protocolVersion": "2025-11-25",
                        "capabilities": capabilities,
                        "clientInfo": {"name": "everything-tests", "version": "0"}
                    }}),
                )
                .await;
            let initialized = session.next().await;
            assert_eq!(initialized["result"]["protocolVersion"], "2025-11-25");
            session
                .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
                .await;
            session
        }

        async fn send(&mut self, message: Value) {
            let mut line = message.to_string();
            line.push('\n');
            self.writer.write_all(line.as_bytes()).await.unwrap();
        }

        async fn next(&mut self) -> Value {
            let line =
                tokio::time::timeout(std::time::Duration::from_secs(5), self.lines.next_line())
                    .await
                    .expect("a message within 5 s")
                    .unwrap()
                    .expect("the server is still connected");
            serde_json::from_str(&line).unwrap()
        }

        /// Calls `tool`, expects one request from the server, answers it with `answer`
        /// and returns that request and the tool's result.
        async fn call(&mut self, tool: &str, arguments: Value, answer: Value) -> (Value, Value) {
            self.send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": tool, "arguments": arguments}}))
                .await;
            let request = self.next().await;
            assert!(request["method"].is_string(), "{request}");
            self.send(json!({"jsonrpc": "2.0", "id": request["id"], "result": answer}))
                .await;
            let reply = self.next().await;
            assert_eq!(reply["id"], 1, "{reply}");
            (request, reply["result"].clone())
        }
    }

    #[tokio::test]
    async fn sampling_asks_the_clients_model() {
        let mut session = Session::open(json!({"sampling": {}})).await;
        let answer = json!({"role": "assistant", "model": "m",
            "content": {"type": "text", "text": "Paris"}});
        let (request, result) = session
            .call("test_sampling", json!({"prompt": "Capital?"}), answer)
            .await;
        assert_eq!(request["method"], "sampling/createMessage");
        assert_eq!(
            request["params"],
            json!({"messages": [{"role": "user", "content": {"type": "text", "text": "Capital?"}}],
                "maxTokens": 100})
        );
        assert_eq!(result["content"][0]["text"], "LLM response: Paris");
    }

    #[tokio::test]
    async fn elicitation_asks_for_a_username_and_an_email() {
        let mut session = Session::open(json!({"elicitation": {}})).await;
        let answer = json!({"action": "accept",
            "content": {"username": "ada", "email": "ada@example.com"}});
        let (request, result) = session
            .call(
                "test_elicitation",
                json!({"message": "Who are you?"}),
                answer,
            )
            .await;
        assert_eq!(request["method"], "elicitation/create");
        assert_eq!(request["params"]["message"], "Who are you?");
        assert_eq!(
            request["params"]["requestedSchema"],
            json!({
                "type": "object",
                "properties": {
                    "username": {"type": "string", "description": "User's response"},
                    "email": {"type": "string", "description": "User's email address"}
                },
                "required": ["username", "email"]
            })
        );
        assert_eq!(
            result["content"][0]["text"],
            r#"User response: action=accept, content={"email":"ada@example.com","username":"ada"}"#
        );
    }

    #[tokio::test]
    async fn the_defaults_form_has_a_default_for_every_field() {
        let mut session = Session::open(json!({"elicitation": {}})).await;
        let (request, result) = session
            .call(
                "test_elicitation_sep1034_defaults",
                json!({}),
                json!({"action": "decline"}),
            )
            .await;
        let fields = request["params"]["requestedSchema"]["properties"]
            .as_object()
            .unwrap();
        assert_eq!(fields.len(), 5);
        assert!(fields.values().all(|field| field.get("default").is_some()));
        assert_eq!(fields["age"]["type"], "integer");
        assert_eq!(
            result["content"][0]["text"],
            "Elicitation completed: action=decline, content={}"
        );
    }

    #[tokio::test]
    async fn the_enums_form_has_every_kind_of_enum() {
        let mut session = Session::open(json!({"elicitation": {}})).await;
        let answer = json!({"action": "accept", "content": {"titledMulti": ["value1"]}});
        let (request, result) = session
            .call("test_elicitation_sep1330_enums", json!({}), answer)
            .await;
        let fields = &request["params"]["requestedSchema"]["properties"];
        assert!(fields["titledSingle"]["oneOf"].is_array());
        assert!(fields["legacyEnum"]["enumNames"].is_array());
        assert!(fields["untitledMulti"]["items"]["enum"].is_array());
        assert!(fields["titledMulti"]["items"]["anyOf"].is_array());
        assert_eq!(
            result["content"][0]["text"],
            r#"Elicitation completed: action=accept, content={"titledMulti":["value1"]}"#
        );
    }

    #[tokio::test]
    async fn a_client_without_the_capability_gets_a_tool_error() {
        let mut session = Session::open(json!({})).await;
        session
            .send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "test_sampling", "arguments": {"prompt": "Hi"}}}))
            .await;
        let reply = session.next().await;
        assert_eq!(reply["result"]["isError"], true, "{reply}");
        assert!(
            reply["result"]["content"][0]["text"]
                .as_str()
                .unwrap()
                .contains("`sampling`"),
            "{reply}"
        );
    }
}
