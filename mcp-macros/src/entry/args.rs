//! Options of `#[mcp::main(...)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::common::errors::Errors;
use crate::common::options::{Slot, path_value, string_value, unknown_option};
use crate::common::paths::respan;

const OPTIONS: &[&str] = &["name", "transport", "bind", "crate"];
const TRANSPORTS: &[&str] = &["stdio", "http"];

/// What the attribute says.
#[derive(Default)]
pub(crate) struct MainArgs {
    pub(crate) name: Slot<LitStr>,
    pub(crate) transport: Slot<LitStr>,
    pub(crate) bind: Slot<LitStr>,
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
        } else if meta.path.is_ident("bind") {
            let value = string_value(meta)?;
            if value.value().parse::<std::net::SocketAddr>().is_err() {
                return Err(syn::Error::new(
                    value.span(),
                    format!(
                        "`bind` takes an address with a port, such as `127.0.0.1:8080`; `{}` is not one",
                        value.value()
                    ),
                ));
            }
            self.bind.set(meta, value)
        } else if meta.path.is_ident("crate") {
            self.krate.set(meta, path_value(meta)?)
        } else {
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Err(unknown_option(meta, OPTIONS))
        }
    }

    /// `bind` only makes sense for the HTTP transport.
    pub(crate) fn check(&self, errors: &mut Errors) {
        let transport = self.transport.get().map(LitStr::value);
        if let (Some((_, span)), false) = (&self.bind.value, transport.as_deref() == Some("http")) {
            errors.at(
                *span,
                "`bind` sets the HTTP address; add `transport = \"http\"` or remove `bind`",
            );
        }
    }

    /// The default bind address as an `Option<&str>` expression.
    pub(crate) fn bind_tokens(&self) -> TokenStream {
        match self.bind.get() {
            Some(bind) => quote!(::core::option::Option::Some(#bind)),
            None => quote!(::core::option::Option::None),
        }
    }

    /// The default transport as a `TransportKind` expression.
    pub(crate) fn transport_tokens(&self, private: &TokenStream) -> TokenStream {
        match self.transport.get().map(LitStr::value).as_deref() {
            // A compile error, on the `"http"` string, in a build without the feature.
            Some("http") => {
                let span = self
                    .transport
                    .value
                    .as_ref()
                    .map_or_else(proc_macro2::Span::call_site, |(value, _)| value.span());
                let private = respan(private.clone(), span);
                quote::quote_spanned!(span=> #private::http_transport!())
            }
            _ => quote!(#private::TransportKind::Stdio),
        }
    }
}
