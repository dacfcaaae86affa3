//! Items used by the code the macros generate. Not a public API: names and shapes
//! change without notice.

pub use ::core;
pub use ::linkme;
pub use ::schemars;
pub use ::serde;
pub use ::serde_json::Value;
pub use ::std::boxed::Box;

pub use crate::cli::{MainOptions, run_main};
pub use crate::completion::{CompleteCall, CompleteFuture, CompletionDef, CompletionRef};
pub use crate::content::EmbeddedResource;
pub use crate::context::Context;
pub use crate::descriptor::{Icon, IconTheme};
pub use crate::output::{
    Output, OutputFns, Split, StructuredOutput, Tag, ToolErrorMessage, ViaIntoToolResult,
    ViaStructured, ViaValue,
};
pub use crate::prompt::{
    IntoPromptMessages, PromptArg, PromptArgument, PromptCall, PromptDef, PromptError,
    PromptFuture, PromptMessage,
};
pub use crate::registry::{COMPLETIONS, PROMPTS, RESOURCES, TOOLS};
pub use crate::resource::{
    IntoResourceContents, ResourceArg, ResourceCall, ResourceDef, ResourceFuture,
};
use crate::schema::InputSchema as Schema;
pub use crate::schema::InputSchema;
pub use crate::tool::{
    ArgError, ToolAnnotations, ToolArg, ToolCall, ToolDef, ToolFuture, ToolInput,
};
pub use crate::tool_result::{IntoToolResult, ToolResult};
pub use crate::transport::TransportKind;
pub use ::std::vec::Vec;

/// The `TypeId` of a function item, which identifies a tool's function.
pub fn type_id_of<F: 'static>(_: &F) -> ::core::any::TypeId {
    ::core::any::TypeId::of::<F>()
}

/// Checks, where the macro puts it, that a parameter type can be a tool parameter.
pub const fn assert_tool_arg<T: ToolArg>() {}

/// Runs an async tool: the `Send` bound here is where a tool whose future is not `Send`
/// is reported ("future returned by `the_tool` is not `Send`").
pub fn async_tool<F, T>(future: F, output: Output<F::Output, T>) -> ToolFuture
where
    F: ::core::future::Future + Send + 'static,
    T: 'static,
{
    Box::pin(async move { output.finish(future.await) })
}

/// Runs a sync tool when its future is first polled.
pub fn sync_tool<F>(run: F) -> ToolFuture
where
    F: FnOnce() -> ToolResult + Send + 'static,
{
    Box::pin(async move { run() })
}

/// The result of a call whose arguments did not fit the parameters.
pub fn failed_tool(error: ArgError) -> ToolFuture {
    Box::pin(::core::future::ready(error.into_result()))
}

/// A zero-sized stand-in for a parameter's type, to count the `Context`s among them.
pub struct ArgTag<T>(::core::marker::PhantomData<fn() -> T>);

impl<T> ArgTag<T> {
    /// The tag of `T`.
    pub const fn new() -> ArgTag<T> {
        ArgTag(::core::marker::PhantomData)
    }
}

impl<T> Default for ArgTag<T> {
    fn default() -> ArgTag<T> {
        ArgTag::new()
    }
}

/// No `Context` among the parameters counted so far.
#[derive(Debug, Clone, Copy)]
pub struct NoContext;

/// One `Context` among the parameters counted so far.
#[derive(Debug, Clone, Copy)]
pub struct OneContext;

impl ArgTag<Context> {
    /// `Context` counts one (an inherent method: chosen before [`NotContext::contexts`]).
    pub const fn contexts(&self) -> OneContext {
        OneContext
    }
}

/// Every other parameter type counts none.
pub trait NotContext {
    /// No `Context` here.
    fn contexts(&self) -> NoContext {
        NoContext
    }
}

impl<T> NotContext for ArgTag<T> {}

impl NoContext {
    /// The count after one more parameter.
    pub const fn then<K>(self, next: K) -> K {
        next
    }
}

impl OneContext {
    /// The count after one more parameter, which must not be a second `Context`.
    pub fn then<K: NotASecondContext>(self, _next: K) -> OneContext {
        self
    }
}

/// What a parameter after a `Context` counts: a second `Context` is an error.
#[diagnostic::on_unimplemented(
    message = "a tool takes at most one `mcp::Context`",
    label = "this is a second `Context`",
    note = "remove this parameter: one `Context` does everything, and it is `Clone`"
)]
pub trait NotASecondContext {}

impl NotASecondContext for NoContext {}

/// Types a parameter marked `#[mcp(header = "...")]` may have: what an HTTP header can
/// carry (`x-mcp-header` allows strings, integers and booleans).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be mirrored into an `Mcp-Param-*` header",
    label = "a header parameter must be a string, an integer or a boolean",
    note = "make it a `String`, an integer, a `bool` (or an `Option` of one), or remove `#[mcp(header = \"...\")]`"
)]
pub trait HeaderParam {}

macro_rules! header_params {
    ($($ty:ty),*) => {$(
        impl HeaderParam for $ty {}
    )*};
}

header_params!(
    ::std::string::String,
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize
);

impl<T: HeaderParam> HeaderParam for ::core::option::Option<T> {}

/// Checks, where the macro puts it, that a parameter can be mirrored into a header.
pub const fn assert_header_param<T: HeaderParam>() {}

/// `TransportKind::Http`, or a compile error naming the missing `http` feature.
#[cfg(feature = "http")]
#[doc(hidden)]
#[macro_export]
macro_rules! __mcp_private_http_transport {
    () => {
        $crate::__private::TransportKind::Http
    };
}

/// `TransportKind::Http`, or a compile error naming the missing `http` feature.
#[cfg(not(feature = "http"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __mcp_private_http_transport {
    () => {
        ::core::compile_error!(
            "`transport = \"http\"` needs the `http` feature of `mcp`, which this build turns off; enable it (`mcp = { version = \"...\", features = [\"http\"] }`) or use `transport = \"stdio\"`"
        )
    };
}

pub use crate::__mcp_private_http_transport as http_transport;

// Parameters and return values are resolved through autoref specialization (inherent and
// trait methods tried in auto-ref order on concrete types): the supported case first, then
// a fallback whose one bound has no implementation. So a type that cannot be used is one
// error, with our message, on the type the user wrote, however many traits it lacks.

/// How one parameter is described in the input schema and taken out of a call.
#[derive(Debug)]
pub struct ParamFns<T> {
    /// Adds the parameter to the input schema.
    pub describe: fn(&mut Schema, &'static str, ::core::option::Option<&'static str>),
    /// Takes the parameter out of a call.
    pub extract: fn(&mut ToolCall, &'static str) -> ::core::result::Result<T, ArgError>,
}

/// A parameter that is a [`ToolArg`]: a schema property, or injected ([`Context`]).
pub trait ViaToolArg {
    /// The parameter's type.
    type Param;
    /// Its functions.
    fn param_fns(&self) -> ParamFns<Self::Param>;
}

impl<T: ToolArg> ViaToolArg for &ArgTag<T> {
    type Param = T;
    fn param_fns(&self) -> ParamFns<T> {
        ParamFns {
            describe: T::describe,
            extract: T::extract,
        }
    }
}

/// Any other parameter type: reported through [`ToolParam`].
pub trait ViaNoToolArg {
    /// The parameter's type.
    type Param;
    /// Requires the impossible.
    fn param_fns(&self) -> ParamFns<Self::Param>
    where
        Self::Param: ToolParam;
}

impl<T> ViaNoToolArg for ArgTag<T> {
    type Param = T;
    fn param_fns(&self) -> ParamFns<T>
    where
        T: ToolParam,
    {
        T::param_fns()
    }
}

/// Implemented by no type: where a parameter type that cannot be a tool parameter is
/// reported.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a tool parameter",
    label = "this type cannot be deserialized from JSON or has no JSON Schema",
    note = "derive both for it: `#[derive(serde::Deserialize, schemars::JsonSchema)]` (`mcp::serde` and `mcp::schemars` are re-exported), or take `mcp::Context`"
)]
pub trait ToolParam: Sized {
    /// Never called.
    fn param_fns() -> ParamFns<Self>;
}

/// A zero-sized stand-in for the type of a `#[mcp(flatten)]` parameter.
#[derive(Debug)]
pub struct WholeTag<T>(::core::marker::PhantomData<fn() -> T>);

impl<T> WholeTag<T> {
    /// The tag of `T`.
    pub const fn new() -> WholeTag<T> {
        WholeTag(::core::marker::PhantomData)
    }
}

impl<T> Default for WholeTag<T> {
    fn default() -> WholeTag<T> {
        WholeTag::new()
    }
}

/// A flattened parameter that is a [`ToolInput`].
pub trait ViaToolInput {
    /// The parameter's type.
    type Param;
    /// Its functions.
    fn param_fns(&self) -> ParamFns<Self::Param>;
}

impl<T: ToolInput> ViaToolInput for &WholeTag<T> {
    type Param = T;
    fn param_fns(&self) -> ParamFns<T> {
        ParamFns {
            describe: |schema, _, _| T::describe_whole(schema),
            extract: |call, _| T::extract_whole(call),
        }
    }
}

/// Any other flattened type: reported through [`WholeInput`].
pub trait ViaNoToolInput {
    /// The parameter's type.
    type Param;
    /// Requires the impossible.
    fn param_fns(&self) -> ParamFns<Self::Param>
    where
        Self::Param: WholeInput;
}

impl<T> ViaNoToolInput for WholeTag<T> {
    type Param = T;
    fn param_fns(&self) -> ParamFns<T>
    where
        T: WholeInput,
    {
        T::param_fns()
    }
}

/// Implemented by no type: where a `#[mcp(flatten)]` type that cannot be the whole input
/// is reported.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the whole input of a tool",
    label = "a `#[mcp(flatten)]` parameter is deserialized from the whole arguments object",
    note = "derive `serde::Deserialize` and `schemars::JsonSchema` for it (`mcp::serde` and `mcp::schemars` are re-exported)"
)]
pub trait WholeInput: Sized {
    /// Never called.
    fn param_fns() -> ParamFns<Self>;
}

/// A zero-sized stand-in for a tool's successful return type.
#[derive(Debug)]
pub struct OutTag<T>(::core::marker::PhantomData<fn() -> T>);

impl<T> OutTag<T> {
    /// The tag of the type `tag` stands for.
    pub const fn of(_tag: &Tag<T>) -> OutTag<T> {
        OutTag(::core::marker::PhantomData)
    }
}

/// First choice: the type converts itself ([`IntoToolResult`]).
pub trait OutputViaIntoToolResult {
    /// The successful value's type.
    type Value;
    /// Its conversion.
    fn output_fns(&self) -> OutputFns<Self::Value>;
}

impl<T: IntoToolResult> OutputViaIntoToolResult for &&OutTag<T> {
    type Value = T;
    fn output_fns(&self) -> OutputFns<T> {
        ViaIntoToolResult::output_fns(&&Tag::<T>::new())
    }
}

/// Otherwise: structured content ([`StructuredOutput`]).
pub trait OutputViaStructured {
    /// The successful value's type.
    type Value;
    /// Its conversion.
    fn output_fns(&self) -> OutputFns<Self::Value>;
}

impl<T: StructuredOutput> OutputViaStructured for &OutTag<T> {
    type Value = T;
    fn output_fns(&self) -> OutputFns<T> {
        ViaStructured::output_fns(&Tag::<T>::new())
    }
}

/// Any other type: reported through [`ToolOutput`].
pub trait OutputUnsupported {
    /// The successful value's type.
    type Value;
    /// Requires the impossible.
    fn output_fns(&self) -> OutputFns<Self::Value>
    where
        Self::Value: ToolOutput;
}

impl<T> OutputUnsupported for OutTag<T> {
    type Value = T;
    fn output_fns(&self) -> OutputFns<T>
    where
        T: ToolOutput,
    {
        T::output_fns()
    }
}

/// Implemented by no type: where a return type that cannot become a tool result is
/// reported.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a tool",
    label = "this type cannot become a tool result",
    note = "return text (`String`), a number, `mcp::Content`, `mcp::ToolResult`, `Result<T, E>` with `E: Display`, or a type that derives `serde::Serialize` and `schemars::JsonSchema`"
)]
pub trait ToolOutput: Sized {
    /// Never called.
    fn output_fns() -> OutputFns<Self>;
}

/// Checks that a resource parameter named like a template variable can be read from one.
pub const fn assert_resource_arg<T: ResourceArg>() {}

/// Parameters that are not template variables (or prompt arguments): only what the
/// server injects.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not injected by the server, and this parameter is not a variable of the resource's URI template",
    label = "name a template variable after this parameter, or take `mcp::Context`",
    note = "a resource function's parameters are its URI template's variables (`uri = \"file:///logs/{{day}}\"` gives `day: String`), plus injected ones: `mcp::Context`, `mcp::State<T>`"
)]
pub trait Injected {}

impl Injected for Context {}

impl<T: Send + Sync + 'static> Injected for crate::state::State<T> {}

/// Checks that a parameter is injected.
pub const fn assert_injected<T: Injected>() {}

/// The contents a resource function's return value stands for.
pub fn finish_resource<R: IntoResourceContents>(
    call: &ResourceCall,
    value: R,
) -> ::core::result::Result<Vec<EmbeddedResource>, ::std::string::String> {
    call.finish(value)
}

/// The messages a prompt function's return value stands for.
pub fn finish_prompt<R: IntoPromptMessages>(
    value: R,
) -> ::core::result::Result<Vec<PromptMessage>, PromptError> {
    value.into_messages()
}

/// What a completer takes: the typed value, or the whole request.
#[diagnostic::on_unimplemented(
    message = "a completer takes `String` (the typed value) or `mcp::CompleteCall`, not `{Self}`",
    label = "take `value: String` or `call: mcp::CompleteCall`"
)]
pub trait CompleteInput {
    /// Takes the input out of the request.
    fn from_call(call: CompleteCall) -> Self;
}

impl CompleteInput for ::std::string::String {
    fn from_call(call: CompleteCall) -> Self {
        call.value
    }
}

impl CompleteInput for CompleteCall {
    fn from_call(call: CompleteCall) -> Self {
        call
    }
}

/// What a completer returns: suggestions.
#[diagnostic::on_unimplemented(
    message = "a completer returns suggestions (`Vec<String>` or `Vec<&'static str>`), not `{Self}`",
    label = "return `Vec<String>`"
)]
pub trait IntoSuggestions {
    /// The suggestions, best first.
    fn into_suggestions(self) -> Vec<::std::string::String>;
}

impl IntoSuggestions for Vec<::std::string::String> {
    fn into_suggestions(self) -> Vec<::std::string::String> {
        self
    }
}

impl IntoSuggestions for Vec<&'static str> {
    fn into_suggestions(self) -> Vec<::std::string::String> {
        self.into_iter()
            .map(::std::borrow::ToOwned::to_owned)
            .collect()
    }
}

/// The suggestions a completer's return value stands for.
pub fn finish_completion<R: IntoSuggestions>(value: R) -> Vec<::std::string::String> {
    value.into_suggestions()
}
