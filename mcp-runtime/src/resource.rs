//! Resources: data a client can read by URI, fixed or from a URI template.
//!
//! `#[mcp::resource]` turns a function into a [`ResourceDef`]; template variables
//! become the function's parameters.

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::base64;
use crate::content::EmbeddedResource;
use crate::context::Context;
use crate::descriptor::Icon;

/// The future a resource's read function returns.
pub type ResourceFuture =
    Pin<Box<dyn Future<Output = Result<Vec<EmbeddedResource>, String>> + Send + 'static>>;

/// The descriptor of one resource or resource template.
#[derive(Debug)]
pub struct ResourceDef {
    /// A fixed URI, or an RFC 6570 template (`file:///logs/{day}`).
    pub uri: &'static str,
    /// A programmatic name.
    pub name: &'static str,
    /// A display name.
    pub title: Option<&'static str>,
    /// What it holds, from the doc comment.
    pub description: Option<&'static str>,
    /// Its MIME type, when known.
    pub mime_type: Option<&'static str>,
    /// Icons a client may show (listed from 2025-11-25 on).
    pub icons: &'static [Icon],
    /// `_meta`: the JSON text of an object, passed through as written (listed from
    /// 2025-06-18 on); checked when the server is built.
    pub meta: Option<&'static str>,
    /// Reads it.
    pub read: fn(ResourceCall) -> ResourceFuture,
    /// Identifies the Rust function, so that the builder can find it.
    pub function_id: fn() -> std::any::TypeId,
    /// Where it is defined (`file:line`).
    pub location: &'static str,
}

/// One read of a resource: the URI asked for, the template's variables, the context.
#[derive(Debug)]
pub struct ResourceCall {
    uri: String,
    mime_type: Option<&'static str>,
    variables: Map<String, Value>,
    context: Context,
}

impl ResourceCall {
    pub(crate) fn new(
        uri: String,
        mime_type: Option<&'static str>,
        variables: Map<String, Value>,
        context: Context,
    ) -> ResourceCall {
        ResourceCall {
            uri,
            mime_type,
            variables,
            context,
        }
    }

    /// The URI being read.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Finishes a read with the function's return value.
    pub fn finish<T: IntoResourceContents>(
        &self,
        value: T,
    ) -> Result<Vec<EmbeddedResource>, String> {
        value.into_contents(&self.uri, self.mime_type)
    }
}

/// Types that can be a parameter of a resource function: a template variable
/// (`String`, numbers, anything `Deserialize` from the variable's text) or [`Context`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a resource parameter",
    label = "template variables are text",
    note = "use `String`, a number, or a type that derives `serde::Deserialize`; or take `mcp::Context`"
)]
pub trait ResourceArg: Sized {
    /// Takes this parameter out of a read.
    #[doc(hidden)]
    fn extract(call: &mut ResourceCall, name: &'static str) -> Result<Self, String>;
}

impl<T: DeserializeOwned> ResourceArg for T {
    fn extract(call: &mut ResourceCall, name: &'static str) -> Result<Self, String> {
        let value = call.variables.remove(name).unwrap_or(Value::Null);
        if let Ok(parsed) = T::deserialize(&value) {
            return Ok(parsed);
        }
        // `5` in a URI is text; let a number or a boolean parameter read it too.
        let text = value.as_str().unwrap_or_default();
        serde_json::from_str(text).map_err(|error| {
            format!(
                "invalid value `{text}` for `{name}` in {}: {error}",
                call.uri
            )
        })
    }
}

impl ResourceArg for Context {
    fn extract(call: &mut ResourceCall, _: &'static str) -> Result<Self, String> {
        Ok(call.context.clone())
    }
}

impl<T: Send + Sync + 'static> ResourceArg for crate::state::State<T> {
    fn extract(call: &mut ResourceCall, _: &'static str) -> Result<Self, String> {
        call.context
            .state::<T>()
            .ok_or_else(crate::tool::missing_state::<T>)
    }
}

/// Values a resource function may return: text (`String`), bytes (`Vec<u8>`, sent as
/// base64), one or more [`EmbeddedResource`]s, or a `Result` of those whose error's text
/// is reported to the client.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a resource",
    label = "this type cannot become resource contents",
    note = "return `String` (text), `Vec<u8>` (binary), `mcp::EmbeddedResource`, a `Vec` of them, or a `Result` of those"
)]
pub trait IntoResourceContents {
    /// The contents, for the URI that was read.
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<EmbeddedResource>, String>;
}

impl IntoResourceContents for String {
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<EmbeddedResource>, String> {
        Ok(vec![EmbeddedResource {
            uri: uri.to_owned(),
            mime_type: Some(mime_type.unwrap_or("text/plain").to_owned()),
            text: Some(self),
            blob: None,
        }])
    }
}

impl IntoResourceContents for &'static str {
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<EmbeddedResource>, String> {
        self.to_owned().into_contents(uri, mime_type)
    }
}

impl IntoResourceContents for Vec<u8> {
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<EmbeddedResource>, String> {
        Ok(vec![EmbeddedResource {
            uri: uri.to_owned(),
            mime_type: Some(mime_type.unwrap_or("application/octet-stream").to_owned()),
            text: None,
            blob: Some(base64::encode(&self)),
        }])
    }
}

impl IntoResourceContents for EmbeddedResource {
    fn into_contents(self, _: &str, _: Option<&str>) -> Result<Vec<EmbeddedResource>, String> {
        Ok(vec![self])
    }
}

impl IntoResourceContents for Vec<EmbeddedResource> {
    fn into_contents(self, _: &str, _: Option<&str>) -> Result<Vec<EmbeddedResource>, String> {
        Ok(self)
    }
}

impl<T: IntoResourceContents, E: Display> IntoResourceContents for Result<T, E> {
    fn into_contents(
        self,
        uri: &str,
        mime_type: Option<&str>,
    ) -> Result<Vec<EmbeddedResource>, String> {
        self.map_err(|error| error.to_string())?
            .into_contents(uri, mime_type)
    }
}
