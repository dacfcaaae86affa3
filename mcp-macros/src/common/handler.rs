//! What resource, prompt and completion functions share: plain named parameters (with
//! an optional `#[mcp(description = "...")]`), the option parser, and how the generated
//! code calls the function.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use crate::common::errors::Errors;
use crate::common::names::unraw;
use crate::common::options::{string_value, unknown_option};

/// One parameter of a handler function.
pub(crate) struct HandlerParam {
    /// The name on the wire (argument or template variable).
    pub(crate) name: String,
    pub(crate) ty: syn::Type,
    pub(crate) description: Option<String>,
}

/// Parses `key = value` options, recording every error.
pub(crate) fn parse_options(
    tokens: TokenStream,
    errors: &mut Errors,
    mut option: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    let parser = syn::meta::parser(|meta| {
        if let Err(error) = option(&meta) {
            errors.push(error);
        }
        Ok(())
    });
    if let Err(error) = syn::parse::Parser::parse2(parser, tokens) {
        errors.push(error);
    }
}

/// Skips an unknown option's value (`= value` or `(...)`) so the next option still
/// parses, then reports it.
pub(crate) fn unknown(meta: &ParseNestedMeta<'_>, valid: &[&str]) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _: proc_macro2::Group = meta.input.parse()?;
    }
    Err(unknown_option(meta, valid))
}

/// Reads the parameters, removing `#[mcp(...)]` from them so the function compiles as
/// written; `what` names the macro in messages (`a resource`).
pub(crate) fn read_params(
    function: &mut syn::ItemFn,
    what: &str,
    errors: &mut Errors,
) -> Vec<HandlerParam> {
    let mut params = Vec::new();
    for input in &mut function.sig.inputs {
        let typed = match input {
            syn::FnArg::Receiver(receiver) => {
                errors.at(
                    receiver.span(),
                    format!("{what} is a free function; methods with `self` are not supported yet"),
                );
                continue;
            }
            syn::FnArg::Typed(typed) => typed,
        };
        let mut description = None;
        typed.attrs.retain(|attr| {
            if !attr.path().is_ident("mcp") {
                return true;
            }
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("description") {
                    description = Some(string_value(&meta)?.value());
                    Ok(())
                } else {
                    Err(unknown_option(&meta, &["description"]))
                }
            });
            if let Err(error) = parsed {
                errors.push(error);
            }
            false
        });
        let syn::Pat::Ident(pat) = &*typed.pat else {
            errors.at(
                typed.pat.span(),
                "a parameter needs a plain name; write `name: Type`",
            );
            continue;
        };
        if let syn::Type::Reference(reference) = &*typed.ty {
            errors.at(reference.span(), "parameters are read from the request and cannot borrow; use an owned type such as `String`");
            continue;
        }
        params.push(HandlerParam {
            name: unraw(&pat.ident),
            ty: (*typed.ty).clone(),
            description,
        });
    }
    if !function.sig.generics.params.is_empty() {
        errors.spanned(&function.sig.generics, format!("{what} cannot be generic"));
    }
    params
}

/// `let __mcp_argN = ...;` for each parameter, through `<Type as #private::#arg_trait>::
/// extract(&mut call, "name")`; an extraction error ends the handler's future with it.
pub(crate) fn extractions(
    params: &[HandlerParam],
    bindings: &[syn::Ident],
    private: &TokenStream,
    arg_trait: &str,
) -> Vec<TokenStream> {
    let arg_trait = quote::format_ident!("{}", arg_trait);
    params
        .iter()
        .zip(bindings)
        .map(|(param, binding)| {
            let ty = &param.ty;
            let key = &param.name;
            quote! {
                let #binding = match <#ty as #private::#arg_trait>::extract(&mut call, #key) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(error) => {
                        return #private::Box::pin(::core::future::ready(::core::result::Result::Err(error)));
                    }
                };
            }
        })
        .collect()
}

/// Local names for the extracted parameters.
pub(crate) fn bindings(params: &[HandlerParam]) -> Vec<syn::Ident> {
    (0..params.len())
        .map(|index| quote::format_ident!("__mcp_arg{}", index))
        .collect()
}

/// Calls the function with the bindings (awaiting it when it is async), spanned on its
/// name.
pub(crate) fn invoke(function: &syn::ItemFn, bindings: &[syn::Ident]) -> TokenStream {
    let ident = &function.sig.ident;
    if function.sig.asyncness.is_some() {
        quote_spanned!(ident.span()=> #ident(#(#bindings),*).await)
    } else {
        quote_spanned!(ident.span()=> #ident(#(#bindings),*))
    }
}

/// The function's return type (`()` when it has none) and where to point errors about it.
pub(crate) fn return_type(function: &syn::ItemFn) -> (TokenStream, proc_macro2::Span) {
    match &function.sig.output {
        syn::ReturnType::Default => (quote!(()), function.sig.ident.span()),
        syn::ReturnType::Type(_, ty) => (quote!(#ty), ty.span()),
    }
}

/// `Some("text")` or `None` as tokens.
pub(crate) fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}
