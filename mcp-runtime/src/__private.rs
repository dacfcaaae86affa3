//! Items used by the code the macros generate. Not a public API: names and shapes
//! change without notice.

pub use ::core;
pub use ::linkme;
pub use ::schemars;
pub use ::serde;
pub use ::serde_json::Value;
pub use ::std::boxed::Box;

pub use crate::cli::{MainOptions, run_main};
pub use crate::context::Context;
pub use crate::output::{
    Output, OutputFns, Split, StructuredOutput, Tag, ToolErrorMessage, ViaIntoToolResult,
    ViaStructured, ViaValue,
};
pub use crate::registry::TOOLS;
pub use crate::schema::InputSchema;
pub use crate::tool::{
    ArgError, ToolAnnotations, ToolArg, ToolCall, ToolDef, ToolFuture, ToolInput,
};
pub use crate::tool_result::{IntoToolResult, ToolResult};
pub use crate::transport::TransportKind;

/// The `TypeId` of a function item, which identifies a tool's function.
pub fn type_id_of<F: 'static>(_: &F) -> ::core::any::TypeId {
    ::core::any::TypeId::of::<F>()
}

/// Checks, where the macro puts it, that a parameter type can be a tool parameter.
pub const fn assert_tool_arg<T: ToolArg>() {}
