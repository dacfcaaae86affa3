//! What a macro says when it is put on something that is not a function.

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The error for `#[mcp::...]` on an item that is not a function: it names the kind of
/// item, spans its keyword and name, and shows what to write.
pub(crate) fn not_a_function(item: &TokenStream, message: &str) -> syn::Error {
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(parsed) => {
            let (kind, head) = describe(&parsed);
            syn::Error::new_spanned(head, format!("{message}, not on {kind}"))
        }
        Err(_) => syn::Error::new_spanned(item, message),
    }
}

/// "a struct" and the tokens that name it (`struct Calculator`).
fn describe(item: &syn::Item) -> (&'static str, TokenStream) {
    fn head(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
        let mut tokens = keyword.to_token_stream();
        name.to_tokens(&mut tokens);
        tokens
    }
    match item {
        syn::Item::Struct(item) => ("a struct", head(&item.struct_token, &item.ident)),
        syn::Item::Enum(item) => ("an enum", head(&item.enum_token, &item.ident)),
        syn::Item::Union(item) => ("a union", head(&item.union_token, &item.ident)),
        syn::Item::Const(item) => ("a constant", head(&item.const_token, &item.ident)),
        syn::Item::Static(item) => ("a static", head(&item.static_token, &item.ident)),
        syn::Item::Mod(item) => ("a module", head(&item.mod_token, &item.ident)),
        syn::Item::Trait(item) => ("a trait", head(&item.trait_token, &item.ident)),
        syn::Item::Type(item) => ("a type alias", head(&item.type_token, &item.ident)),
        syn::Item::Impl(item) => ("an `impl` block", head(&item.impl_token, &item.self_ty)),
        syn::Item::Use(item) => ("a `use` declaration", item.use_token.to_token_stream()),
        syn::Item::ExternCrate(item) => ("an `extern crate`", head(&item.crate_token, &item.ident)),
        syn::Item::ForeignMod(item) => ("an `extern` block", item.abi.to_token_stream()),
        syn::Item::Macro(item) => ("a macro", item.mac.path.to_token_stream()),
        other => ("this item", other.to_token_stream()),
    }
}
