//! `#[mcp::complete(prompt = "...", argument = "...")]` (or `resource = "<template>"`): a
//! function that suggests values for one argument as the user types.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use syn::spanned::Spanned;

use crate::common::errors::Errors;
use crate::common::handler;
use crate::common::items::not_a_function;
use crate::common::options::{Slot, path_value, string_value};
use crate::common::paths::{private, respan};

const OPTIONS: &[&str] = &["prompt", "resource", "argument", "crate"];

#[derive(Default)]
struct CompleteArgs {
    prompt: Slot<LitStr>,
    resource: Slot<LitStr>,
    argument: Slot<LitStr>,
    krate: Slot<syn::Path>,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = CompleteArgs::default();
    handler::parse_options(attr, &mut errors, |meta| {
        let slot = match () {
            () if meta.path.is_ident("prompt") => &mut args.prompt,
            () if meta.path.is_ident("resource") => &mut args.resource,
            () if meta.path.is_ident("argument") => &mut args.argument,
            () if meta.path.is_ident("crate") => return args.krate.set(meta, path_value(meta)?),
            () => return handler::unknown(meta, OPTIONS),
        };
        slot.set(meta, string_value(meta)?)
    });
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.push(not_a_function(
                &item,
                "`#[mcp::complete(...)]` goes on a function, such as `fn languages(call: mcp::CompleteCall) -> Vec<String>`",
            ));
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    let span = function.sig.ident.span();
    match (args.prompt.get(), args.resource.get()) {
        (None, None) => errors.at(
            span,
            "say what to complete: `prompt = \"name\"` or `resource = \"uri template\"`",
        ),
        (Some(_), Some(resource)) => errors.at(
            resource.span(),
            "complete either a prompt or a resource template, not both",
        ),
        _ => {}
    }
    if args.argument.get().is_none() {
        errors.at(
            span,
            "say which argument to complete: `argument = \"name\"`",
        );
    }
    let inputs = &function.sig.inputs;
    if inputs.len() != 1 {
        errors.at(
            inputs.span(),
            "a completer takes one parameter: the typed value (`String`) or the whole `mcp::CompleteCall`",
        );
    }
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        return quote!(#compile_errors #function);
    }
    emit(&function, &args)
}

fn emit(function: &syn::ItemFn, args: &CompleteArgs) -> TokenStream {
    let private = private(args.krate.get());
    let input_type = match function.sig.inputs.first() {
        Some(syn::FnArg::Typed(typed)) => (*typed.ty).clone(),
        _ => syn::parse_quote!(()),
    };
    let input_span = input_type.span();
    let input = respan(
        quote!(<#input_type as #private::CompleteInput>::from_call(call)),
        input_span,
    );
    let binding = [quote::format_ident!("__mcp_input")];
    let invoke = handler::invoke(function, &binding);
    let (return_type, return_span) = handler::return_type(function);
    let finish = respan(
        quote!(#private::finish_completion::<#return_type>),
        return_span,
    );
    let reference = match (args.prompt.get(), args.resource.get()) {
        (Some(prompt), _) => quote!(#private::CompletionRef::Prompt(#prompt)),
        (_, Some(resource)) => quote!(#private::CompletionRef::Resource(#resource)),
        _ => quote!(#private::CompletionRef::Prompt("")),
    };
    let argument = args.argument.get().map(LitStr::value).unwrap_or_default();
    quote! {
        #function

        #[doc(hidden)]
        const _: () = {
            fn __mcp_complete(call: #private::CompleteCall) -> #private::CompleteFuture {
                let __mcp_input = #input;
                #private::Box::pin(async move { #finish(#invoke) })
            }

            #[#private::linkme::distributed_slice(#private::COMPLETIONS)]
            #[linkme(crate = #private::linkme)]
            static __MCP_COMPLETION: #private::CompletionDef = #private::CompletionDef {
                reference: #reference,
                argument: #argument,
                complete: __mcp_complete,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
            };
        };
    }
}
