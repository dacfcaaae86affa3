//! Paths to the runtime in generated code, and their spans.

use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::quote;

/// `::mcp::__private`, or `{path}::__private` for `crate = path`.
pub(crate) fn private(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::mcp::__private),
    }
}

/// The same tokens with every span set to `span`, so that an error in an expression
/// built from them points at `span` (the user's type), not at the attribute.
pub(crate) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                TokenTree::Group(respanned)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}
