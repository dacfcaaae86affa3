//! Tool descriptors and tool parameters.
//!
//! `#[mcp::tool]` turns a function into a [`ToolDef`]: its name, description, schemas and
//! a function that runs it from JSON arguments. Users rarely touch these types directly.

use std::future::Future;
use std::pin::Pin;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::arguments::Arguments;
use crate::context::Context;
use crate::descriptor::Icon;
use crate::schema::InputSchema;
use crate::state::State;
use crate::tool_result::ToolResult;

/// A boxed future returned by a tool's dispatch function.
pub type ToolFuture = Pin<Box<dyn Future<Output = ToolResult> + Send + 'static>>;

/// Hints about a tool's behaviour, shown to clients (`annotations` in the protocol).
///
/// Each hint is `None` unless set with `#[mcp::tool(annotations(...))]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ToolAnnotations {
    /// The tool does not modify its environment.
    pub read_only: Option<bool>,
    /// The tool may perform destructive updates.
    pub destructive: Option<bool>,
    /// Calling it again with the same arguments has no additional effect.
    pub idempotent: Option<bool>,
    /// The tool interacts with an open world of external entities.
    pub open_world: Option<bool>,
}

/// The descriptor of one tool, as emitted by `#[mcp::tool]`.
#[derive(Debug)]
pub struct ToolDef {
    /// The tool's name on the wire.
    pub name: &'static str,
    /// A display name.
    pub title: Option<&'static str>,
    /// What the tool does, from the doc comment.
    pub description: Option<&'static str>,
    /// Behaviour hints.
    pub annotations: ToolAnnotations,
    /// Icons a client may show (listed from 2025-11-25 on).
    pub icons: &'static [Icon],
    /// `_meta`: the JSON text of an object, passed through as written (listed from
    /// 2025-06-18 on); checked when the server is built.
    pub meta: Option<&'static str>,
    /// Builds the input schema.
    pub input_schema: fn() -> Value,
    /// Builds the output schema, for tools that return structured content.
    pub output_schema: fn() -> Option<Value>,
    /// Runs the tool.
    pub call: fn(ToolCall) -> ToolFuture,
    /// `(argument, header)` pairs: arguments mirrored into `Mcp-Param-{header}` over HTTP.
    pub param_headers: &'static [(&'static str, &'static str)],
    /// Identifies the Rust function, so that the builder can find a tool by its function.
    pub function_id: fn() -> std::any::TypeId,
    /// Where the tool is defined (`file:line`), for error messages.
    pub location: &'static str,
}

/// One call of a tool: its arguments and its [`Context`].
#[derive(Debug)]
pub struct ToolCall {
    arguments: Arguments,
    context: Context,
}

impl ToolCall {
    pub(crate) fn new(arguments: Arguments, context: Context) -> ToolCall {
        ToolCall { arguments, context }
    }
}

/// Why the arguments of a call could not be turned into the function's parameters.
///
/// Reported to the client as an `isError` result, so the model can correct its call.
#[derive(Debug)]
pub struct ArgError(String);

impl ArgError {
    /// The tool result that reports this error.
    pub fn into_result(self) -> ToolResult {
        ToolResult::error(self.0)
    }
}

/// Types that can be a parameter of a tool function.
///
/// Implemented for every `T: Deserialize + JsonSchema` (a property of the input schema)
/// and for [`Context`] (injected, never in the schema).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool parameter",
    label = "this type is neither deserializable with a JSON Schema nor injected by the server",
    note = "derive `serde::Deserialize` and `schemars::JsonSchema` for it (`#[derive(mcp::serde::Deserialize, mcp::schemars::JsonSchema)]`), or take `mcp::Context`"
)]
pub trait ToolArg: Sized {
    /// Adds this parameter to the input schema.
    #[doc(hidden)]
    fn describe(schema: &mut InputSchema, name: &'static str, description: Option<&'static str>);
    /// Takes this parameter out of a call.
    #[doc(hidden)]
    fn extract(call: &mut ToolCall, name: &'static str) -> Result<Self, ArgError>;
}

impl<T: DeserializeOwned + JsonSchema> ToolArg for T {
    fn describe(schema: &mut InputSchema, name: &'static str, description: Option<&'static str>) {
        // A type that accepts a missing value (an `Option`) is an optional parameter.
        let optional = T::deserialize(Value::Null).is_ok();
        schema.property::<T>(name, description, !optional);
    }

    fn extract(call: &mut ToolCall, name: &'static str) -> Result<Self, ArgError> {
        match call.arguments.read::<T>(name) {
            Some(read) => {
                read.map_err(|error| ArgError(format!("invalid argument `{name}`: {error}")))
            }
            None => T::deserialize(Value::Null)
                .map_err(|_| ArgError(format!("missing required argument `{name}`"))),
        }
    }
}

impl ToolArg for Context {
    fn describe(_: &mut InputSchema, _: &'static str, _: Option<&'static str>) {}

    fn extract(call: &mut ToolCall, _: &'static str) -> Result<Self, ArgError> {
        Ok(call.context.clone())
    }
}

impl<T: Send + Sync + 'static> ToolArg for State<T> {
    fn describe(_: &mut InputSchema, _: &'static str, _: Option<&'static str>) {}

    fn extract(call: &mut ToolCall, _: &'static str) -> Result<Self, ArgError> {
        call.context
            .state::<T>()
            .ok_or_else(|| ArgError(missing_state::<T>()))
    }
}

/// The error for a `State<T>` the server was not given.
pub(crate) fn missing_state<T>() -> String {
    format!(
        "the server has no shared `{}`: give it with `Server::builder().state(...)` or `mcp::provide(...)` in main",
        std::any::type_name::<T>()
    )
}

/// Types that can be the whole input of a tool (`#[mcp(flatten)]` on its one parameter).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the whole input of a tool",
    label = "a flattened parameter must be a struct deserialized from the arguments object",
    note = "derive `serde::Deserialize` and `schemars::JsonSchema` for it"
)]
pub trait ToolInput: Sized {
    /// Uses this type's schema as the input schema.
    #[doc(hidden)]
    fn describe_whole(schema: &mut InputSchema);
    /// Deserializes the whole arguments object.
    #[doc(hidden)]
    fn extract_whole(call: &mut ToolCall) -> Result<Self, ArgError>;
}

impl<T: DeserializeOwned + JsonSchema> ToolInput for T {
    fn describe_whole(schema: &mut InputSchema) {
        schema.whole::<T>();
    }

    fn extract_whole(call: &mut ToolCall) -> Result<Self, ArgError> {
        call.arguments
            .read_whole()
            .map_err(|error| ArgError(format!("invalid arguments: {error}")))
    }
}
