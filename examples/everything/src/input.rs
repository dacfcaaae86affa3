//! The fixtures that ask the client for input (multi round-trip requests, SEP-2322):
//! `#[mcp::tool]`s, and one `#[mcp::prompt]`, that call [`mcp::Context::request_input`].
//!
//! With a 2026-07-28 client the first call is answered `input_required` (the questions
//! under the keys the scenarios name, and a sealed `requestState`); the retry carries the
//! answers, and the function runs again and gets them. Questions asked together (with
//! `tokio::join!`) go out in one `input_required` result; questions asked one after
//! the other take one round each.

use mcp::schemars::JsonSchema;
use mcp::serde::Deserialize;
use mcp::{Context, Elicitation, InputError, InputRequest};
use serde_json::Value;

/// The form of `What is your name?`.
#[derive(Deserialize, JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Name {
    name: String,
}

/// The form of `Please confirm`.
#[derive(Deserialize, JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Confirmation {
    ok: bool,
}

/// The form of `Step 2: What is your favorite color?`.
#[derive(Deserialize, JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct Color {
    color: String,
}

/// The form of `What context should the prompt use?`.
#[derive(Deserialize, JsonSchema)]
#[serde(crate = "mcp::serde")]
#[schemars(crate = "mcp::schemars")]
struct PromptContext {
    context: String,
}

/// Asks for a form under `key` and reads the answer.
async fn elicit<T: mcp::serde::de::DeserializeOwned + JsonSchema>(
    ctx: &Context,
    key: &str,
    message: &str,
) -> Result<Elicitation<T>, InputError> {
    let answer = ctx
        .request_input(InputRequest::elicit::<T>(message).key(key))
        .await?;
    Elicitation::from_result(answer)
}

/// The name the user gave under `key`, or `stranger`.
async fn ask_name(ctx: &Context, key: &str, message: &str) -> Result<String, InputError> {
    Ok(match elicit::<Name>(ctx, key, message).await? {
        Elicitation::Accept(form) => form.name,
        Elicitation::Decline | Elicitation::Cancel => "stranger".into(),
    })
}

/// The text of a `CreateMessageResult`.
fn sampled_text(answer: &Value) -> Result<&str, InputError> {
    answer["content"]["text"]
        .as_str()
        .ok_or_else(|| InputError::InvalidResponse("a sampling result needs text `content`".into()))
}

/// The URIs of a `ListRootsResult`, comma-separated.
fn root_uris(answer: &Value) -> Result<String, InputError> {
    let roots = answer["roots"].as_array().ok_or_else(|| {
        InputError::InvalidResponse("a roots/list result needs a `roots` array".into())
    })?;
    let uris: Vec<&str> = roots
        .iter()
        .filter_map(|root| root["uri"].as_str())
        .collect();
    Ok(uris.join(", "))
}

/// Asks with `request` if the client declared `capability`; `None` without asking if
/// it did not.
async fn ask_if_declared(
    ctx: &Context,
    capability: &str,
    request: InputRequest,
) -> Result<Option<Value>, InputError> {
    if ctx.client_capabilities().get(capability).is_none() {
        return Ok(None);
    }
    ctx.request_input(request).await.map(Some)
}

/// Asks the user's name (key `user_name`), then greets them (scenarios
/// `input-required-result-basic-elicitation`, `-result-type`, `-missing-input-response`,
/// `-ignore-extra-params` and `-validate-input`).
#[mcp::tool]
async fn test_input_required_result_elicitation(ctx: Context) -> mcp::Result<String> {
    let name = ask_name(&ctx, "user_name", "What is your name?").await?;
    Ok(format!("Hello, {name}!"))
}

/// Asks the client's model for the capital of France (key `capital_question`) and
/// returns its answer (scenario `input-required-result-basic-sampling`).
#[mcp::tool]
async fn test_input_required_result_sampling(ctx: Context) -> mcp::Result<String> {
    let request = InputRequest::sample("What is the capital of France?", 100);
    let answer = ctx.request_input(request.key("capital_question")).await?;
    Ok(format!("The model answered: {}", sampled_text(&answer)?))
}

/// Asks the client's roots (key `client_roots`) and lists them (scenario
/// `input-required-result-basic-list-roots`).
#[mcp::tool]
async fn test_input_required_result_list_roots(ctx: Context) -> mcp::Result<String> {
    let answer = ctx
        .request_input(InputRequest::list_roots().key("client_roots"))
        .await?;
    Ok(format!("The client's roots: {}", root_uris(&answer)?))
}

/// Asks for a confirmation (key `confirm`); the retry must echo the sealed
/// `requestState` (scenario `input-required-result-request-state`).
#[mcp::tool]
async fn test_input_required_result_request_state(ctx: Context) -> mcp::Result<String> {
    Ok(
        match elicit::<Confirmation>(&ctx, "confirm", "Please confirm").await? {
            Elicitation::Accept(form) => format!("state-ok: confirmed = {}", form.ok),
            Elicitation::Decline | Elicitation::Cancel => "state-ok: not confirmed".into(),
        },
    )
}

/// Asks for a name (`user_name`), a greeting from the model (`greeting`) and the
/// client's roots (`client_roots`), all in one round (scenario
/// `input-required-result-multiple-input-requests`).
#[mcp::tool]
async fn test_input_required_result_multiple_inputs(ctx: Context) -> mcp::Result<String> {
    let (name, greeting, roots) = tokio::join!(
        ask_name(&ctx, "user_name", "What is your name?"),
        ctx.request_input(InputRequest::sample("Generate a greeting", 50).key("greeting")),
        ctx.request_input(InputRequest::list_roots().key("client_roots")),
    );
    let (name, greeting, roots) = (name?, greeting?, roots?);
    Ok(format!(
        "{} {name}; roots: {}",
        sampled_text(&greeting)?,
        root_uris(&roots)?
    ))
}

/// Asks a name (`step1`), then, in a second round, a favourite colour (`step2`)
/// (scenario `input-required-result-multi-round`).
#[mcp::tool]
async fn test_input_required_result_multi_round(ctx: Context) -> mcp::Result<String> {
    let name = ask_name(&ctx, "step1", "Step 1: What is your name?").await?;
    let color = match elicit::<Color>(&ctx, "step2", "Step 2: What is your favorite color?").await?
    {
        Elicitation::Accept(form) => form.color,
        Elicitation::Decline | Elicitation::Cancel => "no colour in particular".into(),
    };
    Ok(format!("{name} likes {color}"))
}

/// Asks for a confirmation (key `confirm`); a retry whose `requestState` was altered is
/// refused with -32602, since the state is HMAC-sealed (scenario
/// `input-required-result-tampered-state`).
#[mcp::tool]
async fn test_input_required_result_tampered_state(ctx: Context) -> mcp::Result<String> {
    Ok(
        match elicit::<Confirmation>(&ctx, "confirm", "Please confirm").await? {
            Elicitation::Accept(form) => format!("confirmed = {}", form.ok),
            Elicitation::Decline | Elicitation::Cancel => "not confirmed".into(),
        },
    )
}

/// Asks a name (`user_name`), a greeting (`greeting`) and the roots (`client_roots`),
/// each only if the client declared the capability it needs (scenario
/// `input-required-result-capability-check`).
#[mcp::tool]
async fn test_input_required_result_capabilities(ctx: Context) -> mcp::Result<String> {
    let (name, greeting, roots) = tokio::join!(
        ask_if_declared(
            &ctx,
            "elicitation",
            InputRequest::elicit::<Name>("What is your name?").key("user_name"),
        ),
        ask_if_declared(
            &ctx,
            "sampling",
            InputRequest::sample("Generate a greeting", 50).key("greeting"),
        ),
        ask_if_declared(
            &ctx,
            "roots",
            InputRequest::list_roots().key("client_roots")
        ),
    );
    let mut answered = Vec::new();
    if name?.is_some() {
        answered.push("elicitation");
    }
    if greeting?.is_some() {
        answered.push("sampling");
    }
    if roots?.is_some() {
        answered.push("roots");
    }
    Ok(format!(
        "asked only for declared capabilities: [{}]",
        answered.join(", ")
    ))
}

/// Needs the client's `sampling` capability: a client that did not declare it gets
/// -32021 (scenario `server-stateless`, SEP-2575).
#[mcp::tool]
async fn test_missing_capability(ctx: Context) -> mcp::Result<String> {
    let request = InputRequest::sample("Say hello", 20).key("sample");
    let answer = ctx.request_input(request).await?;
    Ok(format!("The model said: {}", sampled_text(&answer)?))
}

/// Asks for a name while its response stream is open: the question travels in the
/// `input_required` result, never as a request of its own on the stream (scenario
/// `server-stateless`, SEP-2575).
#[mcp::tool]
async fn test_streaming_elicitation(ctx: Context) -> mcp::Result<String> {
    let name = ask_name(&ctx, "user_name", "What is your name?").await?;
    Ok(format!("Hello, {name}!"))
}

// Scenario `input-required-result-non-tool-request`: prompts/get can need input too.
/// A prompt that asks the user what context to use
#[mcp::prompt(title = "Prompt that asks for input")]
async fn test_input_required_result_prompt(ctx: Context) -> mcp::Result<String> {
    let context =
        match elicit::<PromptContext>(&ctx, "user_context", "What context should the prompt use?")
            .await?
        {
            Elicitation::Accept(form) => form.context,
            Elicitation::Decline | Elicitation::Cancel => "no particular context".into(),
        };
    Ok(format!("Answer with this context in mind: {context}"))
}

#[cfg(test)]
mod tests {
    use mcp::testing::Client;
    use serde_json::{Value, json};

    fn client() -> Client {
        Client::new(crate::server().expect("a valid server"))
    }

    /// The params of `tools/call` (or `prompts/get`) of `name` by a client with these
    /// capabilities, with `extra` (`inputResponses`, `requestState`) merged in.
    fn params(name: &str, capabilities: Value, extra: Value) -> Value {
        let mut params = json!({
            "name": name,
            "arguments": {},
            "_meta": { "io.modelcontextprotocol/clientCapabilities": capabilities },
        });
        if let (Value::Object(params), Value::Object(extra)) = (&mut params, extra) {
            params.extend(extra);
        }
        params
    }

    fn all_capabilities() -> Value {
        json!({"elicitation": {}, "sampling": {}, "roots": {}})
    }

    #[tokio::test]
    async fn an_elicitation_takes_two_rounds() {
        let mut client = client();
        let name = "test_input_required_result_elicitation";
        let first = client
            .request("tools/call", params(name, all_capabilities(), json!({})))
            .await
            .unwrap();
        assert_eq!(first["resultType"], "input_required");
        let question = &first["inputRequests"]["user_name"];
        assert_eq!(question["method"], "elicitation/create");
        assert_eq!(question["params"]["message"], "What is your name?");
        assert_eq!(
            question["params"]["requestedSchema"],
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]})
        );
        let answer = json!({
            "inputResponses": {"user_name": {"action": "accept", "content": {"name": "Alice"}}},
            "requestState": first["requestState"],
        });
        let done = client
            .request("tools/call", params(name, all_capabilities(), answer))
            .await
            .unwrap();
        assert_eq!(done["resultType"], "complete");
        assert_eq!(done["content"][0]["text"], "Hello, Alice!");
    }

    #[tokio::test]
    async fn several_questions_go_out_in_one_round() {
        let mut client = client();
        let name = "test_input_required_result_multiple_inputs";
        let first = client
            .request("tools/call", params(name, all_capabilities(), json!({})))
            .await
            .unwrap();
        let requests = first["inputRequests"].as_object().unwrap();
        let mut keys: Vec<_> = requests.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["client_roots", "greeting", "user_name"]);
        let answers = json!({
            "inputResponses": {
                "user_name": {"action": "accept", "content": {"name": "Alice"}},
                "greeting": {"role": "assistant", "content": {"type": "text", "text": "Hello"}, "model": "m"},
                "client_roots": {"roots": [{"uri": "file:///test/root"}]},
            },
            "requestState": first["requestState"],
        });
        let done = client
            .request("tools/call", params(name, all_capabilities(), answers))
            .await
            .unwrap();
        assert_eq!(
            done["content"][0]["text"],
            "Hello Alice; roots: file:///test/root"
        );
    }

    #[tokio::test]
    async fn rounds_follow_one_another() {
        let mut client = client();
        let name = "test_input_required_result_multi_round";
        let first = client
            .request("tools/call", params(name, all_capabilities(), json!({})))
            .await
            .unwrap();
        assert!(first["inputRequests"]["step1"].is_object(), "{first}");
        let step1 = json!({
            "inputResponses": {"step1": {"action": "accept", "content": {"name": "Alice"}}},
            "requestState": first["requestState"],
        });
        let second = client
            .request("tools/call", params(name, all_capabilities(), step1))
            .await
            .unwrap();
        assert!(second["inputRequests"]["step2"].is_object(), "{second}");
        assert_ne!(second["requestState"], first["requestState"]);
        let step2 = json!({
            "inputResponses": {"step2": {"action": "accept", "content": {"color": "blue"}}},
            "requestState": second["requestState"],
        });
        let done = client
            .request("tools/call", params(name, all_capabilities(), step2))
            .await
            .unwrap();
        assert_eq!(done["content"][0]["text"], "Alice likes blue");
    }

    #[tokio::test]
    async fn only_declared_capabilities_are_asked() {
        let mut client = client();
        let name = "test_input_required_result_capabilities";
        let first = client
            .request(
                "tools/call",
                params(name, json!({"sampling": {}}), json!({})),
            )
            .await
            .unwrap();
        let requests = first["inputRequests"].as_object().unwrap();
        assert_eq!(requests.keys().collect::<Vec<_>>(), ["greeting"]);
    }

    #[tokio::test]
    async fn an_undeclared_capability_is_minus_32021() {
        let mut client = client();
        let error = client
            .request(
                "tools/call",
                params("test_missing_capability", json!({}), json!({})),
            )
            .await
            .unwrap_err();
        assert_eq!(error.code, -32021);
        assert_eq!(
            error.data.unwrap()["requiredCapabilities"],
            json!({"sampling": {}})
        );
    }

    #[tokio::test]
    async fn a_prompt_can_ask_for_input() {
        let mut client = client();
        let name = "test_input_required_result_prompt";
        let first = client
            .request("prompts/get", params(name, all_capabilities(), json!({})))
            .await
            .unwrap();
        assert_eq!(
            first["inputRequests"]["user_context"]["method"],
            "elicitation/create"
        );
        let answer = json!({
            "inputResponses": {"user_context": {"action": "accept", "content": {"context": "tests"}}},
            "requestState": first["requestState"],
        });
        let done = client
            .request("prompts/get", params(name, all_capabilities(), answer))
            .await
            .unwrap();
        assert_eq!(
            done["messages"][0]["content"]["text"],
            "Answer with this context in mind: tests"
        );
    }
}
