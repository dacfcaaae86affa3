//! `#[mcp::prompt]`: a function whose parameters are the prompt's arguments and whose
//! result is its messages.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::LitStr;
use syn::spanned::Spanned;

use crate::common::docs;
use crate::common::errors::Errors;
use crate::common::extras::Extras;
use crate::common::handler::{self, HandlerParam, option_str};
use crate::common::items::not_a_function;
use crate::common::names::{check_name, unraw};
use crate::common::options::{Slot, path_value, string_value};
use crate::common::paths::{private, respan};

const OPTIONS: &[&str] = &["name", "title", "icon", "meta", "crate"];

#[derive(Default)]
struct PromptArgs {
    name: Slot<LitStr>,
    title: Slot<LitStr>,
    extras: Extras,
    krate: Slot<syn::Path>,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = PromptArgs::default();
    handler::parse_options(attr, &mut errors, |meta| {
        if meta.path.is_ident("name") {
            args.name.set(meta, string_value(meta)?)
        } else if meta.path.is_ident("title") {
            args.title.set(meta, string_value(meta)?)
        } else if meta.path.is_ident("crate") {
            args.krate.set(meta, path_value(meta)?)
        } else if let Some(result) = args.extras.option(meta) {
            result
        } else {
            handler::unknown(meta, OPTIONS)
        }
    });
    args.extras.check(&mut errors);
    let mut function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.push(not_a_function(
                &item,
                "`#[mcp::prompt]` goes on a function, such as `fn review(code: String) -> String`",
            ));
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    let mut params = handler::read_params(&mut function, "a prompt", &mut errors);
    let name = args
        .name
        .get()
        .map_or_else(|| unraw(&function.sig.ident), LitStr::value);
    if let Err(message) = check_name(&name) {
        let span = args
            .name
            .get()
            .map_or(function.sig.ident.span(), LitStr::span);
        errors.at(span, format!("invalid prompt {message}"));
    }
    for param in &params {
        if let Err(message) = check_name(&param.name) {
            errors.at(
                param.ty.span(),
                format!("invalid prompt argument {message}"),
            );
        }
    }
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        return quote!(#compile_errors #function);
    }
    let docs = docs::read(&function.attrs);
    for param in &mut params {
        if param.description.is_none() {
            param.description = docs.arguments.get(&param.name).cloned();
        }
    }
    emit(
        &function,
        &params,
        &args,
        &name,
        docs.description.as_deref(),
    )
}

fn emit(
    function: &syn::ItemFn,
    params: &[HandlerParam],
    args: &PromptArgs,
    name: &str,
    description: Option<&str>,
) -> TokenStream {
    let private = private(args.krate.get());
    let ident = &function.sig.ident;
    let bindings = handler::bindings(params);
    let describe = params.iter().map(|param| {
        let ty = &param.ty;
        let spanned = respan(private.clone(), ty.span());
        let key = &param.name;
        let text = option_str(param.description.as_deref());
        quote_spanned!(ty.span()=> <#ty as #spanned::PromptArg>::describe(#key, #text))
    });
    let extract = handler::extractions(params, &bindings, &private, "PromptArg");
    let invoke = handler::invoke(function, &bindings);
    let (return_type, return_span) = handler::return_type(function);
    let finish = respan(quote!(#private::finish_prompt::<#return_type>), return_span);
    let title = option_str(args.title.get().map(LitStr::value).as_deref());
    let description = option_str(description);
    let extras = args.extras.fields(&private);
    quote! {
        #function

        #[doc(hidden)]
        const _: () = {
            fn __mcp_arguments() -> #private::Vec<#private::PromptArgument> {
                let mut arguments = #private::Vec::new();
                #(arguments.extend(#describe);)*
                arguments
            }

            fn __mcp_get(call: #private::PromptCall) -> #private::PromptFuture {
                #[allow(unused_mut)]
                let mut call = call;
                #(#extract)*
                #private::Box::pin(async move { #finish(#invoke) })
            }

            fn __mcp_function_id() -> ::core::any::TypeId {
                #private::type_id_of(&#ident)
            }

            #[#private::linkme::distributed_slice(#private::PROMPTS)]
            #[linkme(crate = #private::linkme)]
            static __MCP_PROMPT: #private::PromptDef = #private::PromptDef {
                name: #name,
                title: #title,
                description: #description,
                #extras
                arguments: __mcp_arguments,
                get: __mcp_get,
                function_id: __mcp_function_id,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
            };
        };
    }
}
