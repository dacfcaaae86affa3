//! `#[mcp::server]` on an `impl` block: its methods marked `#[tool]`, `#[resource(...)]`
//! or `#[prompt]` are served with `&self` bound to the server's shared value of that
//! type (`mcp::State<T>`, given with `Server::builder().state(value)` or `mcp::provide`).
//!
//! Each marked method gets a hidden free function that takes `State<T>` and calls the
//! method; the free function carries the ordinary `#[mcp::tool]` (or `resource`,
//! `prompt`) attribute, so every check and the generated dispatch are the same as for
//! free functions.

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;

use crate::common::errors::Errors;
use crate::common::handler;
use crate::common::names::unraw;
use crate::common::options::{Slot, path_value};

const KINDS: &[&str] = &["tool", "resource", "prompt"];

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut krate: Slot<syn::Path> = Slot::default();
    handler::parse_options(attr, &mut errors, |meta| {
        if meta.path.is_ident("crate") {
            krate.set(meta, path_value(meta)?)
        } else {
            handler::unknown(meta, &["crate"])
        }
    });
    let mut block: syn::ItemImpl = match syn::parse2(item.clone()) {
        Ok(block) => block,
        Err(_) => {
            errors.spanned(
                &item,
                "`#[mcp::server]` goes on an `impl` block, such as `impl Catalogue { #[tool] async fn search(&self, query: String) -> String { ... } }`",
            );
            let compile_errors = errors.to_compile_errors();
            return quote!(#compile_errors #item);
        }
    };
    if !block.generics.params.is_empty() {
        errors.spanned(
            &block.generics,
            "`#[mcp::server]` needs a concrete type: its value is shared by type",
        );
    }
    if let Some((_, path, _)) = &block.trait_ {
        errors.spanned(
            path,
            "`#[mcp::server]` goes on an inherent `impl` block, not a trait implementation",
        );
    }
    let self_type = (*block.self_ty).clone();
    let krate_path = krate
        .get()
        .map_or_else(|| quote!(::mcp), |path| quote!(#path));
    let mut wrappers = Vec::new();
    for item in &mut block.items {
        let syn::ImplItem::Fn(method) = item else {
            continue;
        };
        let Some((kind, options)) = take_kind(method, &mut errors) else {
            continue;
        };
        if let Some(wrapper) = wrapper(method, &kind, options, &self_type, &krate_path, &mut errors)
        {
            wrappers.push(wrapper);
        }
        strip_param_attributes(method);
    }
    let compile_errors = errors.to_compile_errors();
    quote! {
        #compile_errors
        #block
        #(#wrappers)*
    }
}

/// Removes the `#[tool]`/`#[resource]`/`#[prompt]` attribute of a method; its kind and
/// options when it has one.
fn take_kind(method: &mut syn::ImplItemFn, errors: &mut Errors) -> Option<(String, TokenStream)> {
    let mut found = None;
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut method.attrs) {
        let kind = KINDS.iter().find(|kind| attr.path().is_ident(kind));
        match (kind, &found) {
            (Some(kind), None) => {
                let options = match &attr.meta {
                    syn::Meta::List(list) => list.tokens.clone(),
                    _ => TokenStream::new(),
                };
                found = Some(((*kind).to_owned(), options));
            }
            (Some(_), Some(_)) => errors.spanned(
                &attr,
                "a method is one of tool, resource or prompt, not several",
            ),
            (None, _) => kept.push(attr),
        }
    }
    method.attrs = kept;
    found
}

/// `#[mcp(...)]` on parameters belongs to the generated function; the method keeps none.
fn strip_param_attributes(method: &mut syn::ImplItemFn) {
    for input in &mut method.sig.inputs {
        if let syn::FnArg::Typed(typed) = input {
            typed.attrs.retain(|attr| !attr.path().is_ident("mcp"));
        }
    }
}

/// The hidden free function for one method.
fn wrapper(
    method: &syn::ImplItemFn,
    kind: &str,
    options: TokenStream,
    self_type: &syn::Type,
    krate: &TokenStream,
    errors: &mut Errors,
) -> Option<TokenStream> {
    let sig = &method.sig;
    let ident = &sig.ident;
    let mut params: Vec<TokenStream> = Vec::new();
    let mut forwarded: Vec<TokenStream> = Vec::new();
    let mut receiver = false;
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(found) => {
                if found.reference.is_none() || found.mutability.is_some() {
                    errors.spanned(
                        found,
                        "a server method takes `&self`: the value is shared by every call; keep mutable state behind a `Mutex` or an atomic",
                    );
                    return None;
                }
                receiver = true;
            }
            syn::FnArg::Typed(typed) => {
                let syn::Pat::Ident(pat) = &*typed.pat else {
                    errors.spanned(
                        &typed.pat,
                        "a parameter needs a plain name; write `name: Type`",
                    );
                    return None;
                };
                let name = &pat.ident;
                let attrs = &typed.attrs;
                let ty = &typed.ty;
                let ty = replace_self(quote!(#ty), self_type);
                params.push(quote!(#(#attrs)* #name: #ty));
                forwarded.push(quote!(#name));
            }
        }
    }
    let output = match &sig.output {
        syn::ReturnType::Default => quote!(),
        syn::ReturnType::Type(arrow, ty) => {
            let ty = replace_self(quote!(#ty), self_type);
            quote!(#arrow #ty)
        }
    };
    let asyncness = &sig.asyncness;
    let call = if receiver {
        quote!(__mcp_self.#ident(#(#forwarded),*))
    } else {
        quote!(<#self_type>::#ident(#(#forwarded),*))
    };
    let call = if asyncness.is_some() {
        quote!(#call.await)
    } else {
        call
    };
    let self_param = receiver.then(|| quote!(__mcp_self: #krate::State<#self_type>,));
    let docs = method
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"));
    let name = unraw(ident);
    let options = with_default_name(options, &name);
    let attribute = format_ident!("{}", kind);
    let wrapper = format_ident!("__mcp_server_{}_{}", type_name(self_type), name);
    let span = ident.span();
    Some(quote_spanned! {span=>
        #(#docs)*
        #[#krate::#attribute(#options)]
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::needless_pass_by_value)]
        #asyncness fn #wrapper(#self_param #(#params),*) #output {
            #call
        }
    })
}

/// The options with `name = "<method>"` added unless they name the item already.
fn with_default_name(options: TokenStream, name: &str) -> TokenStream {
    let parsed = syn::parse::Parser::parse2(
        Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        options.clone(),
    );
    let named = parsed.is_ok_and(|metas| metas.iter().any(|meta| meta.path().is_ident("name")));
    if named {
        options
    } else if options.is_empty() {
        quote!(name = #name)
    } else {
        quote!(#options, name = #name)
    }
}

/// `Self` in a method's types means the implementing type.
fn replace_self(tokens: TokenStream, self_type: &syn::Type) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Ident(ident) if ident == "Self" => quote!(#self_type),
            TokenTree::Group(group) => {
                let mut replaced = proc_macro2::Group::new(
                    group.delimiter(),
                    replace_self(group.stream(), self_type),
                );
                replaced.set_span(group.span());
                quote!(#replaced)
            }
            other => quote!(#other),
        })
        .collect()
}

/// A name for the type usable in an identifier.
fn type_name(ty: &syn::Type) -> String {
    quote!(#ty)
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
