//! Prompts: reusable message templates a client can fill in and get.
//!
//! `#[mcp::prompt]` turns a function into a [`PromptDef`]; its parameters are the
//! prompt's arguments (`Option` ones optional).

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::content::Content;
use crate::context::Context;
use crate::descriptor::Icon;
use crate::protocol::ProtocolVersion;

/// The future a prompt's get function returns.
pub type PromptFuture =
    Pin<Box<dyn Future<Output = Result<Vec<PromptMessage>, PromptError>> + Send + 'static>>;

/// Why a prompt could not be produced.
#[derive(Debug)]
pub enum PromptError {
    /// The client's arguments were wrong (`-32602`).
    Arguments(String),
    /// The prompt function failed (`-32603`).
    Failed(String),
}

/// The descriptor of one prompt, as emitted by `#[mcp::prompt]`.
#[derive(Debug)]
pub struct PromptDef {
    /// The prompt's name on the wire.
    pub name: &'static str,
    /// A display name.
    pub title: Option<&'static str>,
    /// What the prompt is for, from the doc comment.
    pub description: Option<&'static str>,
    /// Icons a client may show (listed from 2025-11-25 on).
    pub icons: &'static [Icon],
    /// `_meta`: the JSON text of an object, passed through as written (listed from
    /// 2025-06-18 on); checked when the server is built.
    pub meta: Option<&'static str>,
    /// Describes the arguments.
    pub arguments: fn() -> Vec<PromptArgument>,
    /// Produces the messages.
    pub get: fn(PromptCall) -> PromptFuture,
    /// Identifies the Rust function, so that the builder can find it.
    pub function_id: fn() -> std::any::TypeId,
    /// Where it is defined (`file:line`).
    pub location: &'static str,
}

/// One argument of a prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptArgument {
    /// Its name.
    pub name: &'static str,
    /// What it means.
    pub description: Option<&'static str>,
    /// Whether the client must give it.
    pub required: bool,
}

/// Who says a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The user.
    User,
    /// The assistant (the model).
    Assistant,
}

/// One message of a prompt.
///
/// ```
/// use mcp::{Content, PromptMessage};
/// let messages = vec![
///     PromptMessage::user("Review this code:"),
///     PromptMessage::user(Content::embedded_text("file:///main.rs", "text/x-rust", "fn main() {}")),
/// ];
/// assert_eq!(messages.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PromptMessage {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: Content,
}

impl PromptMessage {
    /// A message from the user.
    pub fn user(content: impl Into<Content>) -> PromptMessage {
        PromptMessage {
            role: Role::User,
            content: content.into(),
        }
    }

    /// A message from the assistant.
    pub fn assistant(content: impl Into<Content>) -> PromptMessage {
        PromptMessage {
            role: Role::Assistant,
            content: content.into(),
        }
    }

    pub(crate) fn to_json(&self, version: ProtocolVersion) -> Value {
        let role = match self.role {
            Role::User => "user",
            Role::Assistant => "assistant",
        };
        json!({ "role": role, "content": self.content.to_json(version) })
    }
}

impl From<String> for Content {
    fn from(text: String) -> Content {
        Content::text(text)
    }
}

impl From<&str> for Content {
    fn from(text: &str) -> Content {
        Content::text(text)
    }
}

/// One get of a prompt: the client's arguments and the context.
#[derive(Debug)]
pub struct PromptCall {
    arguments: Map<String, Value>,
    context: Context,
}

impl PromptCall {
    pub(crate) fn new(arguments: Map<String, Value>, context: Context) -> PromptCall {
        PromptCall { arguments, context }
    }
}

/// Types that can be a parameter of a prompt function: an argument (`String`,
/// `Option<String>`, or anything `Deserialize` from the argument's text) or [`Context`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a prompt parameter",
    label = "prompt arguments are text",
    note = "use `String` or `Option<String>` (or a type that derives `serde::Deserialize`); or take `mcp::Context`"
)]
pub trait PromptArg: Sized {
    /// Describes this parameter; `None` for injected ones.
    #[doc(hidden)]
    fn describe(name: &'static str, description: Option<&'static str>) -> Option<PromptArgument>;
    /// Takes this parameter out of a call.
    #[doc(hidden)]
    fn extract(call: &mut PromptCall, name: &'static str) -> Result<Self, PromptError>;
}

impl<T: DeserializeOwned> PromptArg for T {
    fn describe(name: &'static str, description: Option<&'static str>) -> Option<PromptArgument> {
        Some(PromptArgument {
            name,
            description,
            required: T::deserialize(Value::Null).is_err(),
        })
    }

    fn extract(call: &mut PromptCall, name: &'static str) -> Result<Self, PromptError> {
        let Some(value) = call.arguments.remove(name) else {
            return T::deserialize(Value::Null).map_err(|_| {
                PromptError::Arguments(format!("missing required argument `{name}`"))
            });
        };
        if let Ok(parsed) = T::deserialize(&value) {
            return Ok(parsed);
        }
        let text = value.as_str().unwrap_or_default();
        serde_json::from_str(text)
            .map_err(|error| PromptError::Arguments(format!("invalid argument `{name}`: {error}")))
    }
}

impl PromptArg for Context {
    fn describe(_: &'static str, _: Option<&'static str>) -> Option<PromptArgument> {
        None
    }

    fn extract(call: &mut PromptCall, _: &'static str) -> Result<Self, PromptError> {
        Ok(call.context.clone())
    }
}

impl<T: Send + Sync + 'static> PromptArg for crate::state::State<T> {
    fn describe(_: &'static str, _: Option<&'static str>) -> Option<PromptArgument> {
        None
    }

    fn extract(call: &mut PromptCall, _: &'static str) -> Result<Self, PromptError> {
        call.context
            .state::<T>()
            .ok_or_else(|| PromptError::Failed(crate::tool::missing_state::<T>()))
    }
}

/// Values a prompt function may return: text (one user message), a [`PromptMessage`],
/// a `Vec` of them, or a `Result` of those.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a prompt",
    label = "this type cannot become prompt messages",
    note = "return `String` (one user message), `mcp::PromptMessage`, `Vec<mcp::PromptMessage>`, or a `Result` of those"
)]
pub trait IntoPromptMessages {
    /// The messages.
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError>;
}

impl IntoPromptMessages for String {
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError> {
        Ok(vec![PromptMessage::user(self)])
    }
}

impl IntoPromptMessages for &'static str {
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError> {
        Ok(vec![PromptMessage::user(self)])
    }
}

impl IntoPromptMessages for PromptMessage {
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError> {
        Ok(vec![self])
    }
}

impl IntoPromptMessages for Vec<PromptMessage> {
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError> {
        Ok(self)
    }
}

impl<T: IntoPromptMessages, E: Display> IntoPromptMessages for Result<T, E> {
    fn into_messages(self) -> Result<Vec<PromptMessage>, PromptError> {
        self.map_err(|error| PromptError::Failed(error.to_string()))?
            .into_messages()
    }
}
