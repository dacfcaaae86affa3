//! `#[mcp::main]`: `async fn main() {}` becomes a server program with a command line.

mod args;

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;

use crate::common::errors::Errors;
use args::MainArgs;

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = MainArgs::parse(attr, &mut errors);
    let mut function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.at(item.span(), "`#[mcp::main]` goes on `async fn main() {}`");
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    args.check(&mut errors);
    check(&function, &mut errors);
    if !errors.is_empty() {
        // Emit the function without `async` so rustc adds no error of its own about it.
        function.sig.asyncness = None;
        let compile_errors = errors.to_compile_errors();
        return quote!(#compile_errors #function);
    }
    emit(&function, &args)
}

fn check(function: &syn::ItemFn, errors: &mut Errors) {
    let sig = &function.sig;
    if sig.ident != "main" {
        errors.at(
            sig.ident.span(),
            format!("`#[mcp::main]` goes on `main`, not on `{}`", sig.ident),
        );
    }
    if sig.asyncness.is_none() {
        errors.at(
            sig.fn_token.span(),
            "`#[mcp::main]` needs `async fn main`; add `async`",
        );
    }
    if !sig.inputs.is_empty() {
        errors.at(
            sig.inputs.span(),
            "`main` takes no arguments: the command line is parsed for you (see `--help`)",
        );
    }
    if !sig.generics.params.is_empty() {
        errors.at(sig.generics.span(), "`main` cannot be generic");
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        errors.at(
            ty.span(),
            "`#[mcp::main]` runs the body before serving and it must return `()`; remove the return type",
        );
    }
}

fn emit(function: &syn::ItemFn, args: &MainArgs) -> TokenStream {
    let krate = args
        .krate
        .get()
        .map_or_else(|| quote!(::mcp), |path| quote!(#path));
    let private = quote!(#krate::__private);
    let attrs = &function.attrs;
    let body = &function.block;
    let name = match args.name.get() {
        Some(name) => quote!(#name),
        None => quote!(::core::env!("CARGO_PKG_NAME")),
    };
    let transport = args.transport_tokens(&private);
    let bind = args.bind_tokens();
    quote! {
        #(#attrs)*
        fn main() -> ::std::process::ExitCode {
            #private::run_main(
                #private::MainOptions {
                    name: #name,
                    version: ::core::env!("CARGO_PKG_VERSION"),
                    transport: #transport,
                    bind: #bind,
                    about: ::core::option_env!("CARGO_PKG_DESCRIPTION"),
                },
                async #body,
            )
        }
    }
}
