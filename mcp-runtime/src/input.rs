//! Asking the client for input while serving a request: elicitation (a form for the
//! user), sampling (a completion from the client's model) and roots.
//!
//! With a 2026-07-28 client the request is answered with `input_required` and the tool
//! runs again when the client retries with the answers (multi round-trip requests); the
//! answers come back to the same `ctx.elicit(...)` call, so the tool reads as straight
//! code. Keep the work before an input request free of side effects, or make it
//! idempotent: it runs once per round.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::schema::root_schema_for;

/// A request for input, built with [`InputRequest::elicit`], [`InputRequest::sample`] or
/// [`InputRequest::list_roots`].
#[derive(Clone, Debug, PartialEq)]
pub struct InputRequest {
    pub(crate) key: Option<String>,
    pub(crate) method: &'static str,
    pub(crate) params: Value,
}

impl InputRequest {
    /// A form for the user: `message` and the JSON Schema of `T` (a flat object of
    /// strings, numbers, booleans and enums).
    pub fn elicit<T: JsonSchema>(message: &str) -> InputRequest {
        let mut schema = root_schema_for::<T>();
        if let Value::Object(schema) = &mut schema {
            schema.remove("title");
            schema.remove("description");
        }
        InputRequest {
            key: None,
            method: "elicitation/create",
            params: json!({ "mode": "form", "message": message, "requestedSchema": schema }),
        }
    }

    /// A form described by a JSON Schema you write yourself (for what `JsonSchema`
    /// derives cannot say, such as titled enums).
    pub fn elicit_schema(message: &str, requested_schema: Value) -> InputRequest {
        InputRequest {
            key: None,
            method: "elicitation/create",
            params: json!({ "mode": "form", "message": message, "requestedSchema": requested_schema }),
        }
    }

    /// A completion from the client's model: one user message, at most `max_tokens`.
    pub fn sample(prompt: &str, max_tokens: u32) -> InputRequest {
        InputRequest {
            key: None,
            method: "sampling/createMessage",
            params: json!({
                "messages": [{ "role": "user", "content": { "type": "text", "text": prompt } }],
                "maxTokens": max_tokens
            }),
        }
    }

    /// The client's roots (the directories or files it lets the server work on).
    pub fn list_roots() -> InputRequest {
        InputRequest {
            key: None,
            method: "roots/list",
            params: json!({}),
        }
    }

    /// Names the request (the key of `inputRequests`); by default requests are numbered in
    /// the order the tool makes them.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> InputRequest {
        self.key = Some(key.into());
        self
    }

    /// A URL the user should open (to sign in, pay, or enter something the client must
    /// not see); the answer says whether they agreed (`accept`), not what they did there.
    pub fn elicit_url(message: &str, url: &str) -> InputRequest {
        InputRequest {
            key: None,
            method: "elicitation/create",
            params: json!({ "mode": "url", "message": message, "url": url }),
        }
    }

    /// Whether this is a URL-mode elicitation.
    pub(crate) fn is_url(&self) -> bool {
        self.params.get("mode").and_then(Value::as_str) == Some("url")
    }

    /// The name of a missing capability (`sampling`, `elicitation.url`), for messages.
    pub(crate) fn capability_name(required: &Value) -> String {
        let mut name = String::new();
        let mut level = required;
        while let Some((key, inner)) = level.as_object().and_then(|object| object.iter().next()) {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(key);
            level = inner;
        }
        name
    }

    /// The capabilities this request needs that `declared` lacks, as
    /// `requiredCapabilities` says them; `None` when the client can be asked.
    pub(crate) fn missing_capability(&self, declared: &Value) -> Option<Value> {
        let (name, present) = match self.method {
            "elicitation/create" => {
                let elicitation = declared.get("elicitation");
                if self.is_url() {
                    let url = elicitation.and_then(|e| e.get("url")).is_some();
                    return (!url).then(|| json!({ "elicitation": { "url": {} } }));
                }
                // `{}` declares forms (the 2025-06-18 shape); otherwise `form` must be there.
                let form = elicitation.is_some_and(|e| {
                    e.as_object()
                        .is_some_and(|e| e.is_empty() || e.contains_key("form"))
                });
                ("elicitation", form)
            }
            "sampling/createMessage" => ("sampling", declared.get("sampling").is_some()),
            _ => ("roots", declared.get("roots").is_some()),
        };
        (!present).then(|| json!({ name: {} }))
    }
}

/// What the user did with a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elicitation<T> {
    /// Submitted it, with these values.
    Accept(T),
    /// Said no.
    Decline,
    /// Dismissed it without choosing.
    Cancel,
}

impl<T: DeserializeOwned> Elicitation<T> {
    /// Reads a client's `ElicitResult` (the raw answer [`Context::request_input`]
    /// returns for an [`InputRequest::elicit`]).
    ///
    /// [`Context::request_input`]: crate::Context::request_input
    pub fn from_result(result: Value) -> Result<Elicitation<T>, InputError> {
        elicitation(result)
    }
}

/// Why input could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The client's answer does not have the expected shape.
    InvalidResponse(String),
    /// This client cannot be asked (no way to send it a request).
    Unavailable(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::InvalidResponse(message) => write!(f, "invalid input response: {message}"),
            InputError::Unavailable(message) => write!(f, "input unavailable: {message}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads an `ElicitResult`.
pub(crate) fn elicitation<T: DeserializeOwned>(
    result: Value,
) -> Result<Elicitation<T>, InputError> {
    match result.get("action").and_then(Value::as_str) {
        Some("accept") => {
            let content = result.get("content").cloned().unwrap_or(Value::Null);
            T::deserialize(content)
                .map(Elicitation::Accept)
                .map_err(|error| InputError::InvalidResponse(error.to_string()))
        }
        Some("decline") => Ok(Elicitation::Decline),
        Some("cancel") => Ok(Elicitation::Cancel),
        _ => Err(InputError::InvalidResponse(
            "an elicitation result needs `action`: accept, decline or cancel".into(),
        )),
    }
}
