//! How a tool function's return value becomes a [`ToolResult`] and an output schema.
//!
//! The conversion is chosen per type in the code `#[mcp::tool]` generates, in two steps:
//! `Result<T, E>` is split into `T` or an `isError` result, then `T` is converted either
//! through [`IntoToolResult`] (text, content, `ToolResult`) or, for any other
//! `T: Serialize + JsonSchema`, as structured content with an output schema. The steps
//! use method resolution on concrete types (inherent methods before trait methods, then
//! auto-ref order), so no user type needs a marker.

use std::fmt::Display;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::schema::output_root_schema_for;
use crate::tool_result::{IntoToolResult, ToolResult};

/// A zero-sized stand-in for the type `T`, used to pick a conversion.
#[derive(Debug)]
pub struct Tag<T>(PhantomData<fn() -> T>);

impl<T> Tag<T> {
    /// The tag of `T`.
    pub const fn new() -> Tag<T> {
        Tag(PhantomData)
    }
}

impl<T> Default for Tag<T> {
    fn default() -> Tag<T> {
        Tag::new()
    }
}

/// How to split a return value `R` into the successful value `T` or an error result.
#[derive(Debug)]
pub struct Split<R, T> {
    split: fn(R) -> Result<T, ToolResult>,
    /// The tag of the successful value's type.
    pub ok: Tag<T>,
}

impl<T, E> Tag<Result<T, E>> {
    /// `Ok(T)` goes on, `Err(E)` becomes an `isError` result with `E`'s text.
    pub fn split(&self) -> Split<Result<T, E>, T>
    where
        E: ToolErrorMessage,
    {
        Split {
            split: |result| result.map_err(|error| ToolResult::error(error.tool_error_message())),
            ok: Tag::new(),
        }
    }
}

/// Step one for every type that is not a `Result`: the value goes on as it is.
pub trait ViaValue {
    /// The return type.
    type Value;
    /// The identity split.
    fn split(&self) -> Split<Self::Value, Self::Value>;
}

impl<T> ViaValue for Tag<T> {
    type Value = T;
    fn split(&self) -> Split<T, T> {
        Split {
            split: Ok,
            ok: Tag::new(),
        }
    }
}

/// The error type of a tool's `Result`.
#[diagnostic::on_unimplemented(
    message = "the error type `{Self}` of a tool's `Result` must implement `Display`",
    label = "its text becomes the error message the model reads",
    note = "implement `std::fmt::Display` for it, or return `mcp::Result<T>`"
)]
pub trait ToolErrorMessage {
    /// The text the model reads.
    fn tool_error_message(&self) -> String;
}

impl<E: Display> ToolErrorMessage for E {
    fn tool_error_message(&self) -> String {
        self.to_string()
    }
}

/// How to convert a successful value `T`, and its output schema.
#[derive(Debug)]
pub struct OutputFns<T> {
    convert: fn(T) -> ToolResult,
    schema: fn() -> Option<Value>,
}

/// Step two, first choice: the type converts itself ([`IntoToolResult`]).
pub trait ViaIntoToolResult {
    /// The successful value's type.
    type Value;
    /// Conversion through [`IntoToolResult`]; no output schema.
    fn output_fns(&self) -> OutputFns<Self::Value>;
}

impl<T: IntoToolResult> ViaIntoToolResult for &Tag<T> {
    type Value = T;
    fn output_fns(&self) -> OutputFns<T> {
        OutputFns {
            convert: T::into_tool_result,
            schema: || None,
        }
    }
}

/// Step two, otherwise: structured content described by the type's JSON Schema.
pub trait ViaStructured {
    /// The successful value's type.
    type Value;
    /// Conversion to structured content with an output schema.
    fn output_fns(&self) -> OutputFns<Self::Value>
    where
        Self::Value: StructuredOutput;
}

impl<T> ViaStructured for Tag<T> {
    type Value = T;
    fn output_fns(&self) -> OutputFns<T>
    where
        T: StructuredOutput,
    {
        OutputFns {
            convert: T::into_structured,
            schema: || Some(T::output_schema()),
        }
    }
}

/// Types returned as structured content: anything `Serialize + JsonSchema`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a tool",
    label = "this type cannot become a tool result",
    note = "return text (`String`), a number, `mcp::Content`, `mcp::ToolResult`, `Result<T, E>` with `E: Display`, or a type that derives `serde::Serialize` and `schemars::JsonSchema`"
)]
pub trait StructuredOutput {
    /// The value as structured content with a JSON text fallback.
    fn into_structured(self) -> ToolResult;
    /// The JSON Schema of the value.
    fn output_schema() -> Value;
}

impl<T: Serialize + JsonSchema> StructuredOutput for T {
    fn into_structured(self) -> ToolResult {
        match serde_json::to_value(&self) {
            Ok(value) => ToolResult::structured(value),
            Err(error) => ToolResult::error(format!(
                "the tool's result could not be serialized: {error}"
            )),
        }
    }

    fn output_schema() -> Value {
        output_root_schema_for::<T>()
    }
}

/// Both steps for one tool: from the function's return value `R` to a [`ToolResult`].
#[derive(Debug)]
pub struct Output<R, T> {
    split: fn(R) -> Result<T, ToolResult>,
    fns: OutputFns<T>,
}

impl<R, T> Output<R, T> {
    /// Joins the two steps.
    pub fn new(split: Split<R, T>, fns: OutputFns<T>) -> Output<R, T> {
        Output {
            split: split.split,
            fns,
        }
    }

    /// Converts a return value.
    pub fn finish(&self, value: R) -> ToolResult {
        match (self.split)(value) {
            Ok(value) => (self.fns.convert)(value),
            Err(error) => error,
        }
    }

    /// The output schema, for structured results.
    pub fn schema(&self) -> Option<Value> {
        (self.fns.schema)()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize, JsonSchema)]
    struct Point {
        x: i32,
    }

    macro_rules! output_of {
        ($ty:ty) => {{
            let split = Tag::<$ty>::new().split();
            let fns = (&&split.ok).output_fns();
            Output::new(split, fns)
        }};
    }

    #[test]
    fn text_like_values_have_no_schema() {
        let output = output_of!(f64);
        assert_eq!(output.finish(2.5), ToolResult::text("2.5"));
        assert_eq!(output.schema(), None);
    }

    #[test]
    fn results_split_into_value_or_error() {
        let output = output_of!(Result<f64, String>);
        assert_eq!(output.finish(Ok(1.0)), ToolResult::text("1"));
        assert_eq!(output.finish(Err("no".into())), ToolResult::error("no"));
    }

    #[test]
    fn serializable_values_are_structured() {
        let output = output_of!(Result<Point, std::io::Error>);
        let result = output.finish(Ok(Point { x: 3 }));
        assert_eq!(result.structured_content, Some(json!({"x": 3})));
        assert_eq!(
            output.schema().unwrap()["properties"]["x"]["type"],
            "integer"
        );
    }

    #[derive(Serialize, JsonSchema)]
    struct Maybe {
        label: Option<String>,
    }

    #[test]
    fn an_optional_field_may_be_null_in_the_output_schema() {
        let output = output_of!(Maybe);
        let result = output.finish(Maybe { label: None });
        assert_eq!(result.structured_content, Some(json!({"label": null})));
        let schema = output.schema().unwrap();
        assert_eq!(
            schema["properties"]["label"]["type"],
            json!(["string", "null"]),
            "{schema}"
        );
    }
}
