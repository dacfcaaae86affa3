//! The code `#[mcp::tool]` generates: the function as written, and beside it a hidden
//! descriptor registered at link time.
//!
//! Type questions are left to rustc but aimed: each check is spanned on the token the
//! user wrote (a parameter's type, the return type, the function's name), so that a
//! type error points there and carries the `#[diagnostic::on_unimplemented]` message of
//! the runtime trait involved.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Tool;
use crate::common::names::marker_ident;
use crate::common::paths::{private, respan};

pub(crate) fn emit(tool: &Tool) -> TokenStream {
    let private = private(tool.args.krate.get());
    let function = &tool.function;
    let output = output(tool, &private);
    let input_schema = input_schema(tool, &private);
    let call = call(tool, &private);
    let name = &tool.name;
    let title = option_str(tool.title.as_deref());
    let description = option_str(tool.description.as_deref());
    let hints =
        ["read_only", "destructive", "idempotent", "open_world"].map(|h| tool.args.hint_tokens(h));
    let [read_only, destructive, idempotent, open_world] = hints;
    let param_headers = tool.params.iter().filter_map(|param| {
        let name = &param.name;
        param.header.as_ref().map(|header| quote!((#name, #header)))
    });
    let ident = &function.sig.ident;
    // Two tools with one name in one module define this module twice: rustc's "defined
    // multiple times" error, on both names. (Across modules the server reports it at
    // startup.)
    let marker = marker_ident(&tool.name, tool.name_span);
    let marker = quote_spanned! {tool.name_span=>
        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #marker {}
    };
    let params = params(tool, &private);
    let extras = tool.args.extras.fields(&private);
    quote! {
        // Parameters must be owned (they are deserialized from JSON), so clippy's advice
        // to borrow an argument the body only reads cannot be followed here.
        #[allow(clippy::needless_pass_by_value)]
        #function

        #marker

        #[doc(hidden)]
        const _: () = {
            #output

            #params

            #input_schema

            fn __mcp_output_schema() -> ::core::option::Option<#private::Value> {
                __mcp_output().schema()
            }

            #call

            fn __mcp_function_id() -> ::core::any::TypeId {
                #private::type_id_of(&#ident)
            }

            #[#private::linkme::distributed_slice(#private::TOOLS)]
            #[linkme(crate = #private::linkme)]
            static __MCP_TOOL: #private::ToolDef = #private::ToolDef {
                name: #name,
                title: #title,
                description: #description,
                annotations: #private::ToolAnnotations {
                    read_only: #read_only,
                    destructive: #destructive,
                    idempotent: #idempotent,
                    open_world: #open_world,
                },
                #extras
                input_schema: __mcp_input_schema,
                output_schema: __mcp_output_schema,
                call: __mcp_call,
                param_headers: &[#(#param_headers),*],
                function_id: __mcp_function_id,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
            };
        };
    }
}

/// `fn __mcp_output()`: how the return value becomes a tool result, spanned on the return
/// type so that a type that cannot be returned is reported there.
fn output(tool: &Tool, private: &TokenStream) -> TokenStream {
    let sig = &tool.function.sig;
    let (return_type, return_span) = match &sig.output {
        syn::ReturnType::Default => (quote!(()), sig.ident.span()),
        syn::ReturnType::Type(_, ty) => (quote!(#ty), ty.span()),
    };
    let spanned = respan(private.clone(), return_span);
    let body = quote_spanned! {return_span=>
        {
            #[allow(unused_imports)]
            use #spanned::{
                OutputUnsupported as _, OutputViaIntoToolResult as _, OutputViaStructured as _,
                ViaValue as _,
            };
            let split = #spanned::Tag::<#return_type>::new().split();
            let fns = (&&&#spanned::OutTag::of(&split.ok)).output_fns();
            #spanned::Output::new(split, fns)
        }
    };
    quote! {
        fn __mcp_output() -> #private::Output<#return_type, impl ::core::marker::Sized> #body
    }
}

/// `fn __mcp_params()`: how each parameter is described and extracted, chosen per type
/// where the type is written, so that a type that cannot be a parameter is one error
/// there.
fn params(tool: &Tool, private: &TokenStream) -> Option<TokenStream> {
    if tool.params.is_empty() {
        return None;
    }
    let types = tool.params.iter().map(|param| &param.ty);
    let fns = tool.params.iter().map(|param| {
        let ty = &param.ty;
        let spanned = respan(private.clone(), ty.span());
        if param.flatten {
            quote_spanned!(ty.span()=> (&&#spanned::WholeTag::<#ty>::new()).param_fns())
        } else {
            quote_spanned!(ty.span()=> (&&#spanned::ArgTag::<#ty>::new()).param_fns())
        }
    });
    Some(quote! {
        fn __mcp_params() -> (#(#private::ParamFns<#types>,)*) {
            #[allow(unused_imports)]
            use #private::{
                ViaNoToolArg as _, ViaNoToolInput as _, ViaToolArg as _, ViaToolInput as _,
            };
            (#(#fns,)*)
        }
    })
}

/// `fn __mcp_input_schema()`, with the header checks spanned on each type.
fn input_schema(tool: &Tool, private: &TokenStream) -> TokenStream {
    let describe = tool.params.iter().enumerate().map(|(index, param)| {
        let index = syn::Index::from(index);
        let name = &param.name;
        let description = option_str(param.description.as_deref());
        let header = param.header.as_ref().map(|header| {
            let ty = &param.ty;
            let spanned = respan(private.clone(), ty.span());
            quote! {
                #spanned::assert_header_param::<#ty>();
                schema.header(#name, #header);
            }
        });
        quote! {
            (params.#index.describe)(&mut schema, #name, #description);
            #header
        }
    });
    let params = (!tool.params.is_empty()).then(|| quote!(let params = __mcp_params();));
    quote! {
        fn __mcp_input_schema() -> #private::Value {
            #params
            let mut schema = #private::InputSchema::new();
            #(#describe)*
            schema.finish()
        }
    }
}

/// `fn __mcp_call()`: take the arguments out of the call, then run the function. The
/// future of an async tool must be `Send`; that bound is spanned on the function's name.
fn call(tool: &Tool, private: &TokenStream) -> TokenStream {
    let ident = &tool.function.sig.ident;
    let bindings: Vec<syn::Ident> = (0..tool.params.len())
        .map(|index| quote::format_ident!("__mcp_arg{}", index))
        .collect();
    let extract = tool
        .params
        .iter()
        .zip(&bindings)
        .enumerate()
        .map(|(index, (param, binding))| {
            let index = syn::Index::from(index);
            let name = &param.name;
            quote! {
                let #binding = match (params.#index.extract)(&mut call, #name) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(error) => return #private::failed_tool(error),
                };
            }
        });
    let take_call = if tool.params.is_empty() {
        quote!(let _ = call;)
    } else {
        quote!(let params = __mcp_params(); let mut call = call;)
    };
    let count_contexts = count_contexts(tool, private);
    let spanned = respan(private.clone(), ident.span());
    let run = if tool.function.sig.asyncness.is_some() {
        quote_spanned! {ident.span()=>
            #spanned::async_tool(#ident(#(#bindings),*), __mcp_output())
        }
    } else {
        quote_spanned! {ident.span()=>
            #spanned::sync_tool(move || __mcp_output().finish(#ident(#(#bindings),*)))
        }
    };
    quote! {
        fn __mcp_call(call: #private::ToolCall) -> #private::ToolFuture {
            #count_contexts
            #take_call
            #(#extract)*
            #run
        }
    }
}

/// A second `Context` parameter is an error at its type: the count is kept in types
/// (`NoContext`, `OneContext`), and a parameter after a `Context` must not be one.
fn count_contexts(tool: &Tool, private: &TokenStream) -> Option<TokenStream> {
    if tool.params.len() < 2 {
        return None;
    }
    let steps = tool.params.iter().map(|param| {
        let ty = &param.ty;
        let spanned = respan(private.clone(), ty.span());
        quote_spanned! {ty.span()=>
            let contexts = contexts.then(#spanned::ArgTag::<#ty>::new().contexts());
        }
    });
    Some(quote! {
        {
            #[allow(unused_imports)]
            use #private::NotContext as _;
            let contexts = #private::NoContext;
            #(#steps)*
            let _ = contexts;
        }
    })
}

fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}
