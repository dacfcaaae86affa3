//! The parameters of a tool function, and the `#[mcp(...)]` attributes on them.

use syn::spanned::Spanned;

use crate::common::errors::Errors;
use crate::common::names::unraw;
use crate::common::options::{string_value, unknown_option};

const PARAM_OPTIONS: &[&str] = &["description", "flatten", "header"];

/// One parameter of the function.
pub(crate) struct Param {
    /// The name on the wire.
    pub(crate) name: String,
    pub(crate) ty: syn::Type,
    pub(crate) description: Option<String>,
    /// The whole input object (`#[mcp(flatten)]`).
    pub(crate) flatten: bool,
    /// Mirrored into the `Mcp-Param-{header}` HTTP header (`#[mcp(header = "...")]`).
    pub(crate) header: Option<String>,
}

/// Reads the parameters, removing our attributes from the function so it compiles as
/// written.
pub(crate) fn read(function: &mut syn::ItemFn, errors: &mut Errors) -> Vec<Param> {
    let mut params = Vec::new();
    for input in &mut function.sig.inputs {
        let typed = match input {
            syn::FnArg::Receiver(receiver) => {
                errors.spanned(
                    &*receiver,
                    "`#[mcp::tool]` goes on free functions: a method that takes `self` cannot be a tool; move it out of the `impl` block",
                );
                continue;
            }
            syn::FnArg::Typed(typed) => typed,
        };
        let ParamAttributes {
            description,
            flatten,
            header,
        } = take_attributes(&mut typed.attrs, errors);
        let name = match &*typed.pat {
            syn::Pat::Ident(pat) => unraw(&pat.ident),
            other => {
                errors.spanned(
                    other,
                    "a tool parameter needs a plain name (it becomes the argument's name); write `name: Type`",
                );
                continue;
            }
        };
        if let syn::Type::Reference(reference) = &*typed.ty {
            let owned = if matches!(&*reference.elem, syn::Type::Path(p) if p.path.is_ident("str"))
            {
                "`String`".to_owned()
            } else {
                "an owned type".to_owned()
            };
            errors.spanned(
                reference,
                format!(
                    "tool parameters are deserialized from JSON and cannot borrow; use {owned}"
                ),
            );
            continue;
        }
        params.push(Param {
            name,
            ty: (*typed.ty).clone(),
            description,
            flatten,
            header,
        });
    }
    let flattened = params.iter().filter(|p| p.flatten).count();
    if flattened > 1 {
        errors.at(
            function.sig.inputs.span(),
            "only one parameter can be `#[mcp(flatten)]`: it becomes the whole input object",
        );
    }
    params
}

/// What `#[mcp(...)]` says about one parameter.
#[derive(Default)]
struct ParamAttributes {
    description: Option<String>,
    flatten: bool,
    header: Option<String>,
}

/// Takes `#[mcp(description = "...")]`, `#[mcp(flatten)]` and `#[mcp(header = "...")]` off
/// a parameter.
fn take_attributes(attrs: &mut Vec<syn::Attribute>, errors: &mut Errors) -> ParamAttributes {
    let mut found = ParamAttributes::default();
    attrs.retain(|attr| {
        if !attr.path().is_ident("mcp") {
            return true;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("description") {
                found.description = Some(string_value(&meta)?.value());
                Ok(())
            } else if meta.path.is_ident("flatten") {
                found.flatten = true;
                Ok(())
            } else if meta.path.is_ident("header") {
                let name = string_value(&meta)?;
                if let Err(message) = check_header_name(&name.value()) {
                    return Err(syn::Error::new(name.span(), message));
                }
                found.header = Some(name.value());
                Ok(())
            } else {
                Err(unknown_option(&meta, PARAM_OPTIONS))
            }
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
        false
    });
    found
}

/// An HTTP field-name token (RFC 9110 `tchar`s), as `Mcp-Param-{name}` needs.
fn check_header_name(name: &str) -> Result<(), String> {
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() {
        return Err("a header name cannot be empty".into());
    }
    match name.chars().find(|&c| !tchar(c)) {
        Some(bad) => Err(format!(
            "`{name}` is not a valid HTTP header name: `{bad}` is not allowed; use letters, digits and `-`"
        )),
        None => Ok(()),
    }
}
