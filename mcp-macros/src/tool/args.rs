//! Options of `#[mcp::tool(...)]`.

use proc_macro2::TokenStream;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::common::errors::Errors;
use crate::common::extras::Extras;
use crate::common::handler;
use crate::common::options::{Slot, path_value, string_value, unknown_option};

const OPTIONS: &[&str] = &["name", "title", "annotations", "icon", "meta", "crate"];
const HINTS: &[&str] = &["read_only", "destructive", "idempotent", "open_world"];

/// What the attribute says.
#[derive(Default)]
pub(crate) struct ToolArgs {
    pub(crate) name: Slot<LitStr>,
    pub(crate) title: Slot<LitStr>,
    pub(crate) krate: Slot<syn::Path>,
    /// `(hint, value)` pairs in the order written.
    pub(crate) hints: Vec<(&'static str, bool)>,
    /// `icon` and `meta`.
    pub(crate) extras: Extras,
}

impl ToolArgs {
    /// Parses the attribute's tokens, recording errors instead of stopping at the first.
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> ToolArgs {
        let mut args = ToolArgs::default();
        let parser = syn::meta::parser(|meta| {
            if let Err(error) = args.option(&meta) {
                errors.push(error);
            }
            Ok(())
        });
        if let Err(error) = syn::parse::Parser::parse2(parser, tokens) {
            errors.push(error);
        }
        args
    }

    fn option(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if meta.path.is_ident("name") {
            self.name.set(meta, string_value(meta)?)
        } else if meta.path.is_ident("title") {
            self.title.set(meta, string_value(meta)?)
        } else if meta.path.is_ident("crate") {
            self.krate.set(meta, path_value(meta)?)
        } else if meta.path.is_ident("annotations") {
            meta.parse_nested_meta(|hint| self.hint(&hint))
        } else if let Some(result) = self.extras.option(meta) {
            result
        } else {
            handler::unknown(meta, OPTIONS)
        }
    }

    fn hint(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(&name) = HINTS.iter().find(|name| meta.path.is_ident(name)) else {
            return Err(unknown_option(meta, HINTS));
        };
        if self.hints.iter().any(|(seen, _)| *seen == name) {
            return Err(meta.error(format!("duplicate annotation `{name}`")));
        }
        let value = if meta.input.peek(syn::Token![=]) {
            let value: syn::LitBool = meta.value()?.parse()?;
            value.value
        } else {
            true
        };
        self.hints.push((name, value));
        Ok(())
    }

    /// The value of one hint, as `Option<bool>` tokens.
    pub(crate) fn hint_tokens(&self, name: &str) -> TokenStream {
        match self.hints.iter().find(|(seen, _)| *seen == name) {
            Some((_, value)) => quote::quote!(::core::option::Option::Some(#value)),
            None => quote::quote!(::core::option::Option::None),
        }
    }
}
