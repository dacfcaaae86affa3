//! `#[mcp::main]`: `async fn main() {}` becomes a server program with a command line.

mod args;

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;

use crate::common::errors::Errors;
use crate::common::items::not_a_function;
use crate::common::paths::private;
use args::MainArgs;

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = MainArgs::parse(attr, &mut errors);
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            errors.push(not_a_function(
                &item,
                "`#[mcp::main]` goes on `async fn main() {}`",
            ));
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    args.check(&mut errors);
    check(&function, &mut errors);
    if !errors.is_empty() {
        let compile_errors = errors.to_compile_errors();
        let stand_in = stand_in(function);
        return quote!(#compile_errors #stand_in);
    }
    emit(&function, &args)
}

/// What to emit beside the errors so that rustc adds none of its own: the user's function
/// as an ordinary one (renamed when it is `main`, whose signature rustc checks), and an
/// empty `main` so the crate still has one.
fn stand_in(mut function: syn::ItemFn) -> TokenStream {
    if function.sig.ident == "main" {
        function.sig.ident = syn::Ident::new("__mcp_main", function.sig.ident.span());
        quote! {
            #[allow(dead_code)]
            #function
            fn main() {}
        }
    } else {
        quote! {
            #function
            fn main() {}
        }
    }
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
        errors.spanned(
            &sig.inputs,
            "`main` takes no arguments: the command line is parsed for you (see `--help`)",
        );
    }
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "`main` cannot be generic");
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        errors.spanned(
            ty,
            "`#[mcp::main]` runs the body before serving and it must return `()`; remove the return type",
        );
    }
}

fn emit(function: &syn::ItemFn, args: &MainArgs) -> TokenStream {
    let private = private(args.krate.get());
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
