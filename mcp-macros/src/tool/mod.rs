//! `#[mcp::tool]`: parse the function and its options, check them, emit a descriptor.

mod args;
mod emit;
mod params;

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;

use crate::common::docs;
use crate::common::errors::Errors;
use crate::common::items::not_a_function;
use crate::common::names::{check_name, unraw};
use args::ToolArgs;
use params::Param;

/// Everything the emitter needs about one tool.
pub(crate) struct Tool {
    pub(crate) function: syn::ItemFn,
    pub(crate) name: String,
    /// Where the name comes from: the `name = "..."` string, else the function's name.
    pub(crate) name_span: proc_macro2::Span,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) params: Vec<Param>,
    pub(crate) args: ToolArgs,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = ToolArgs::parse(attr, &mut errors);
    args.extras.check(&mut errors);
    let mut function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.push(not_a_function(
                &item,
                "`#[mcp::tool]` goes on a function, such as `fn add(a: f64, b: f64) -> f64`",
            ));
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    let params = params::read(&mut function, &mut errors);
    check_signature(&function, &mut errors);
    let (name, name_span) = match args.name.get() {
        Some(name) => {
            let text = name.value();
            if let Err(message) = check_name(&text) {
                errors.at(name.span(), format!("invalid tool {message}"));
            }
            (text, name.span())
        }
        None => {
            let text = unraw(&function.sig.ident);
            if let Err(message) = check_name(&text) {
                errors.at(
                    function.sig.ident.span(),
                    format!("invalid tool {message}; set one with `#[mcp::tool(name = \"...\")]`"),
                );
            }
            (text, function.sig.ident.span())
        }
    };
    let docs = docs::read(&function.attrs);
    let params = attach_descriptions(params, &docs.arguments);
    if !errors.is_empty() {
        // The function as written, without our parameter attributes: one mistake gives
        // one error, not a cascade of unresolved names.
        let compile_errors = errors.to_compile_errors();
        return quote!(#compile_errors #function);
    }
    let tool = Tool {
        function,
        name,
        name_span,
        title: args.title.get().map(syn::LitStr::value),
        description: docs.description,
        params,
        args,
    };
    emit::emit(&tool)
}

fn check_signature(function: &syn::ItemFn, errors: &mut Errors) {
    let generics = &function.sig.generics;
    if !generics.params.is_empty() {
        errors.spanned(
            generics,
            "a tool function cannot be generic: its parameters must have concrete types to describe them in a JSON Schema",
        );
    }
    if let Some(variadic) = &function.sig.variadic {
        errors.at(variadic.span(), "a tool function cannot be variadic");
    }
}

fn attach_descriptions(
    params: Vec<Param>,
    documented: &std::collections::HashMap<String, String>,
) -> Vec<Param> {
    params
        .into_iter()
        .map(|mut param| {
            if param.description.is_none() {
                param.description = documented.get(&param.name).cloned();
            }
            param
        })
        .collect()
}
