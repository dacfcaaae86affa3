//! `#[mcp::resource(uri = "...")]`: a function whose result is the contents of a fixed
//! URI, or of every URI a template matches (its variables are the parameters).

mod template;

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

const OPTIONS: &[&str] = &["uri", "mime", "name", "title", "icon", "meta", "crate"];

#[derive(Default)]
struct ResourceArgs {
    uri: Slot<LitStr>,
    mime: Slot<LitStr>,
    name: Slot<LitStr>,
    title: Slot<LitStr>,
    extras: Extras,
    krate: Slot<syn::Path>,
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = ResourceArgs::default();
    handler::parse_options(attr, &mut errors, |meta| {
        if let Some(result) = args.extras.option(meta) {
            return result;
        }
        let slot = match () {
            () if meta.path.is_ident("uri") => &mut args.uri,
            () if meta.path.is_ident("mime") => &mut args.mime,
            () if meta.path.is_ident("name") => &mut args.name,
            () if meta.path.is_ident("title") => &mut args.title,
            () if meta.path.is_ident("crate") => return args.krate.set(meta, path_value(meta)?),
            () => return handler::unknown(meta, OPTIONS),
        };
        slot.set(meta, string_value(meta)?)
    });
    args.extras.check(&mut errors);
    let mut function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.push(not_a_function(
                &item,
                "`#[mcp::resource(uri = \"...\")]` goes on a function, such as `fn config() -> String`",
            ));
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    let params = handler::read_params(&mut function, "a resource", &mut errors);
    let name = args
        .name
        .get()
        .map_or_else(|| unraw(&function.sig.ident), LitStr::value);
    if let Err(message) = check_name(&name) {
        let span = args
            .name
            .get()
            .map_or(function.sig.ident.span(), LitStr::span);
        errors.at(span, format!("invalid resource {message}"));
    }
    let variables = match args.uri.get() {
        None => {
            errors.at(
                function.sig.ident.span(),
                "a resource needs a URI: `#[mcp::resource(uri = \"file:///config.toml\")]` or a template such as `uri = \"file:///logs/{day}\"`",
            );
            Vec::new()
        }
        Some(uri) => template::variables(&uri.value()).unwrap_or_else(|message| {
            errors.at(uri.span(), format!("invalid URI template: {message}"));
            Vec::new()
        }),
    };
    if let Some(uri) = args.uri.get() {
        for variable in &variables {
            if !params.iter().any(|param| &param.name == variable) {
                let names: Vec<String> = params.iter().map(|p| format!("`{}`", p.name)).collect();
                errors.at(
                    uri.span(),
                    format!(
                        "the URI template has the variable `{variable}` but the function has no parameter `{variable}` (its parameters: {}); add `{variable}: String`",
                        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                    ),
                );
            }
        }
    }
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        return quote!(#compile_errors #function);
    }
    let docs = docs::read(&function.attrs);
    emit(
        &function,
        &params,
        &variables,
        &args,
        &name,
        docs.description.as_deref(),
    )
}

fn emit(
    function: &syn::ItemFn,
    params: &[HandlerParam],
    variables: &[String],
    args: &ResourceArgs,
    name: &str,
    description: Option<&str>,
) -> TokenStream {
    let private = private(args.krate.get());
    let ident = &function.sig.ident;
    let bindings = handler::bindings(params);
    let checks = params.iter().map(|param| {
        let ty = &param.ty;
        let spanned = respan(private.clone(), ty.span());
        if variables.contains(&param.name) {
            quote_spanned!(ty.span()=> #spanned::assert_resource_arg::<#ty>();)
        } else {
            // Not a template variable: it must be something the server injects.
            quote_spanned!(ty.span()=> #spanned::assert_injected::<#ty>();)
        }
    });
    let extract = handler::extractions(params, &bindings, &private, "ResourceArg");
    let invoke = handler::invoke(function, &bindings);
    let (return_type, return_span) = handler::return_type(function);
    let finish = respan(
        quote!(#private::finish_resource::<#return_type>),
        return_span,
    );
    let uri = args.uri.get().map(LitStr::value).unwrap_or_default();
    let mime = option_str(args.mime.get().map(LitStr::value).as_deref());
    let title = option_str(args.title.get().map(LitStr::value).as_deref());
    let description = option_str(description);
    let extras = args.extras.fields(&private);
    quote! {
        #function

        #[doc(hidden)]
        const _: () = {
            fn __mcp_read(call: #private::ResourceCall) -> #private::ResourceFuture {
                #[allow(unused_mut)]
                let mut call = call;
                #(#checks)*
                #(#extract)*
                #private::Box::pin(async move {
                    let value = #invoke;
                    #finish(&call, value)
                })
            }

            fn __mcp_function_id() -> ::core::any::TypeId {
                #private::type_id_of(&#ident)
            }

            #[#private::linkme::distributed_slice(#private::RESOURCES)]
            #[linkme(crate = #private::linkme)]
            static __MCP_RESOURCE: #private::ResourceDef = #private::ResourceDef {
                uri: #uri,
                name: #name,
                title: #title,
                description: #description,
                mime_type: #mime,
                #extras
                read: __mcp_read,
                function_id: __mcp_function_id,
                location: ::core::concat!(::core::file!(), ":", ::core::line!()),
            };
        };
    }
}
