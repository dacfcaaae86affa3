//! Options of `#[mcp::main(...)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::common::errors::Errors;
use crate::common::options::{Slot, string_value, unknown_option};

const OPTIONS: &[&str] = &["name", "transport", "crate"];
const TRANSPORTS: &[&str] = &["stdio", "http"];

/// What the attribute says.
#[derive(Default)]
pub(crate) struct MainArgs {
    pub(crate) name: Slot<LitStr>,
    pub(crate) transport: Slot<LitStr>,
    pub(crate) krate: Slot<syn::Path>,
}

impl MainArgs {
    pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> MainArgs {
        let mut args = MainArgs::default();
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
        } else if meta.path.is_ident("transport") {
            let value = string_value(meta)?;
            if !TRANSPORTS.contains(&value.value().as_str()) {
                let valid: Vec<String> = TRANSPORTS.iter().map(|t| format!("`{t}`")).collect();
                return Err(syn::Error::new(
                    value.span(),
                    format!(
                        "unknown transport `{}`; expected one of {}",
                        value.value(),
                        valid.join(", ")
                    ),
                ));
            }
            self.transport.set(meta, value)
        } else if meta.path.is_ident("crate") {
            let path: syn::Path = meta.value()?.parse()?;
            self.krate.set(meta, path)
        } else {
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Err(unknown_option(meta, OPTIONS))
        }
    }

    /// The default transport as a `TransportKind` expression.
    pub(crate) fn transport_tokens(&self, private: &TokenStream) -> TokenStream {
        match self.transport.get().map(LitStr::value).as_deref() {
            Some("http") => quote!(#private::TransportKind::Http),
            _ => quote!(#private::TransportKind::Stdio),
        }
    }
}
