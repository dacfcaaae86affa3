//! The code `#[mcp::tool]` generates: the function as written, and beside it a hidden
//! descriptor registered at link time.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Tool;

pub(crate) fn emit(tool: &Tool) -> TokenStream {
    let krate = tool
        .args
        .krate
        .get()
        .map_or_else(|| quote!(::mcp), |path| quote!(#path));
    let private = quote!(#krate::__private);
    let function = &tool.function;
    let ident = &function.sig.ident;
    let return_type = match &function.sig.output {
        syn::ReturnType::Default => quote!(()),
        syn::ReturnType::Type(_, ty) => quote!(#ty),
    };
    let return_span = match &function.sig.output {
        syn::ReturnType::Default => function.sig.ident.span(),
        syn::ReturnType::Type(_, ty) => ty.span(),
    };
    let output = quote_spanned! {return_span=>
        {
            #[allow(unused_imports)]
            use #private::{ViaIntoToolResult as _, ViaStructured as _, ViaValue as _};
            let split = #private::Tag::<#return_type>::new().split();
            let fns = (&&split.ok).output_fns();
            #private::Output::new(split, fns)
        }
    };
    let describe = tool.params.iter().map(|param| {
        let ty = &param.ty;
        let name = &param.name;
        let description = match &param.description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        let header = param
            .header
            .as_ref()
            .map(|header| quote!(schema.header(#name, #header);));
        if param.flatten {
            quote_spanned!(ty.span()=> <#ty as #private::ToolInput>::describe_whole(&mut schema);)
        } else {
            quote_spanned!(ty.span()=> <#ty as #private::ToolArg>::describe(&mut schema, #name, #description); #header)
        }
    });
    let param_headers = tool.params.iter().filter_map(|param| {
        let name = &param.name;
        param.header.as_ref().map(|header| quote!((#name, #header)))
    });
    let bindings: Vec<syn::Ident> = (0..tool.params.len())
        .map(|index| quote::format_ident!("__mcp_arg{}", index))
        .collect();
    let extract = tool.params.iter().zip(&bindings).map(|(param, binding)| {
        let ty = &param.ty;
        let name = &param.name;
        let extracted = if param.flatten {
            quote_spanned!(ty.span()=> <#ty as #private::ToolInput>::extract_whole(&mut call))
        } else {
            quote_spanned!(ty.span()=> <#ty as #private::ToolArg>::extract(&mut call, #name))
        };
        quote! {
            let #binding = match #extracted {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(error) => return error.into_result(),
            };
        }
    });
    let invoke = if function.sig.asyncness.is_some() {
        quote!(#ident(#(#bindings),*).await)
    } else {
        quote!(#ident(#(#bindings),*))
    };
    let name = &tool.name;
    let title = option_str(tool.title.as_deref());
    let description = option_str(tool.description.as_deref());
    let hints =
        ["read_only", "destructive", "idempotent", "open_world"].map(|h| tool.args.hint_tokens(h));
    let [read_only, destructive, idempotent, open_world] = hints;
    let future_span = function.sig.ident.span();
    let take_call = if tool.params.is_empty() {
        quote!(let _ = call;)
    } else {
        quote!(let mut call = call;)
    };
    let boxed = quote_spanned! {future_span=>
        #private::Box::pin(async move {
            #take_call
            #(#extract)*
            __mcp_output().finish(#invoke)
        })
    };
    quote! {
        #function

        #[doc(hidden)]
        const _: () = {
            fn __mcp_output() -> #private::Output<#return_type, impl ::core::marker::Sized> #output

            fn __mcp_input_schema() -> #private::Value {
                let mut schema = #private::InputSchema::new();
                #(#describe)*
                schema.finish()
            }

            fn __mcp_output_schema() -> ::core::option::Option<#private::Value> {
                __mcp_output().schema()
            }

            fn __mcp_call(call: #private::ToolCall) -> #private::ToolFuture {
                #boxed
            }

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

fn option_str(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}
