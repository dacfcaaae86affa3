//! `icon = "..."` and `icon(src = "...", mime = "...", sizes = [...], theme = "...")`: one
//! entry of a descriptor's `icons`, checked at compile time.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;
use syn::meta::ParseNestedMeta;

use crate::common::errors::Errors;
use crate::common::handler;
use crate::common::options::{Slot, string_value};

/// The keys of `icon(...)`.
const KEYS: &[&str] = &["src", "mime", "sizes", "theme"];
const THEMES: &[&str] = &["light", "dark"];
const USAGE: &str = "`icon` takes the image's URI, `icon = \"https://example.com/icon.png\"`, or its details, `icon(src = \"...\", mime = \"image/png\", sizes = [\"48x48\"], theme = \"dark\")`";

/// One `icon` option as written.
pub(crate) struct IconSpec {
    /// The `icon` keyword, for errors about the icon as a whole.
    span: Span,
    src: Slot<LitStr>,
    mime: Slot<LitStr>,
    sizes: Slot<Vec<LitStr>>,
    theme: Slot<LitStr>,
}

impl IconSpec {
    /// Parses `icon = "..."` or `icon(...)`.
    pub(crate) fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<IconSpec> {
        let mut icon = IconSpec {
            span: meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, syn::Ident::span),
            src: Slot::default(),
            mime: Slot::default(),
            sizes: Slot::default(),
            theme: Slot::default(),
        };
        if meta.input.peek(syn::Token![=]) {
            icon.src.set(meta, string_value(meta)?)?;
        } else if meta.input.peek(syn::token::Paren) {
            // A parse of its own, so that a mistake inside is one error, not one more for
            // the tokens left after it.
            let group: proc_macro2::Group = meta.input.parse()?;
            let keys = syn::meta::parser(|key| icon.key(&key));
            syn::parse::Parser::parse2(keys, group.stream())?;
        } else {
            return Err(meta.error(USAGE));
        }
        Ok(icon)
    }

    fn key(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let slot = match () {
            () if meta.path.is_ident("src") => &mut self.src,
            () if meta.path.is_ident("mime") => &mut self.mime,
            () if meta.path.is_ident("theme") => &mut self.theme,
            () if meta.path.is_ident("sizes") => return self.sizes.set(meta, sizes_value(meta)?),
            () => return handler::unknown(meta, KEYS),
        };
        slot.set(meta, string_value(meta)?)
    }

    /// Reports what the specification does not allow, on the string that says it.
    pub(crate) fn check(&self, errors: &mut Errors) {
        match self.src.get() {
            None => errors.at(
                self.span,
                "an icon needs a `src`: `icon(src = \"https://example.com/icon.png\", ...)`",
            ),
            Some(src) => report(errors, src, check_src),
        }
        if let Some(mime) = self.mime.get() {
            report(errors, mime, check_mime);
        }
        for size in self.sizes.get().into_iter().flatten() {
            report(errors, size, check_size);
        }
        if let Some(theme) = self.theme.get() {
            report(errors, theme, check_theme);
        }
    }

    /// An `Icon { ... }` expression.
    pub(crate) fn emit(&self, private: &TokenStream) -> TokenStream {
        let src = self.src.get().map(LitStr::value).unwrap_or_default();
        let mime = match self.mime.get() {
            Some(mime) => quote!(::core::option::Option::Some(#mime)),
            None => quote!(::core::option::Option::None),
        };
        let sizes = self.sizes.get().into_iter().flatten();
        let theme = match self.theme.get().map(LitStr::value).as_deref() {
            Some("light") => quote!(::core::option::Option::Some(#private::IconTheme::Light)),
            Some("dark") => quote!(::core::option::Option::Some(#private::IconTheme::Dark)),
            _ => quote!(::core::option::Option::None),
        };
        quote! {
            #private::Icon {
                src: #src,
                mime_type: #mime,
                sizes: &[#(#sizes),*],
                theme: #theme,
            }
        }
    }
}

fn report(errors: &mut Errors, text: &LitStr, check: fn(&str) -> Result<(), String>) {
    if let Err(message) = check(&text.value()) {
        errors.at(text.span(), message);
    }
}

/// Reads `= "48x48"` or `= ["48x48", "any"]`.
fn sizes_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    const HINT: &str = "`sizes` takes a list of sizes, such as `sizes = [\"48x48\", \"96x96\"]`";
    let string = |expr: syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Ok(text),
        other => Err(syn::Error::new_spanned(other, HINT)),
    };
    match meta.value()?.parse()? {
        syn::Expr::Array(array) => array.elems.into_iter().map(string).collect(),
        other => string(other).map(|size| vec![size]),
    }
}

/// A URI with a scheme (`https:`, `data:`), as the schema's `format: uri` requires.
fn check_src(src: &str) -> Result<(), String> {
    if src.is_empty() {
        return Err("an icon's `src` cannot be empty; give the image's URI, such as `\"https://example.com/icon.png\"`".to_owned());
    }
    if src.chars().any(char::is_whitespace) {
        return Err(
            "an icon's `src` cannot contain whitespace; percent-encode it (`%20`)".to_owned(),
        );
    }
    let scheme = src.split_once(':').map(|(scheme, _)| scheme);
    let valid = scheme.is_some_and(|scheme| {
        let mut chars = scheme.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "an icon's `src` is a URI with a scheme, such as `\"https://example.com/{}\"` or a `data:` URI; `{src}` has none",
            src.trim_start_matches('/')
        ))
    }
}

/// `type/subtype`.
fn check_mime(mime: &str) -> Result<(), String> {
    let valid = mime.split_once('/').is_some_and(|(kind, subtype)| {
        !kind.is_empty() && !subtype.is_empty() && !mime.chars().any(char::is_whitespace)
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{mime}` is not a MIME type; write one such as `image/png` or `image/svg+xml`"
        ))
    }
}

/// `WxH` in pixels, or `any`.
fn check_size(size: &str) -> Result<(), String> {
    let pixels = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    let valid = size == "any"
        || size
            .split_once('x')
            .is_some_and(|(width, height)| pixels(width) && pixels(height));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid icon size `{size}`; write width by height in pixels, such as `48x48`, or `any` for a scalable image"
        ))
    }
}

fn check_theme(theme: &str) -> Result<(), String> {
    if THEMES.contains(&theme) {
        Ok(())
    } else {
        Err(format!(
            "unknown icon theme `{theme}`; expected one of `light`, `dark` (the background the icon is drawn for)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `result` is an error whose message contains `needle`.
    fn fails(result: Result<(), String>, needle: &str) -> bool {
        matches!(result, Err(message) if message.contains(needle))
    }

    #[test]
    fn sources_are_uris_with_a_scheme() {
        assert!(check_src("https://example.com/a.png").is_ok());
        assert!(check_src("data:image/png;base64,iVBOR").is_ok());
        assert!(fails(check_src(""), "empty"));
        assert!(fails(check_src("a b.png"), "whitespace"));
        assert!(fails(
            check_src("/icons/add.png"),
            "`\"https://example.com/icons/add.png\"`"
        ));
        assert!(check_src("1http://x").is_err());
    }

    #[test]
    fn mime_types_sizes_and_themes() {
        assert!(check_mime("image/svg+xml").is_ok());
        assert!(check_mime("png").is_err());
        assert!(check_mime("image/").is_err());
        for size in ["48x48", "any", "1024x768"] {
            assert!(check_size(size).is_ok(), "{size}");
        }
        for size in ["48", "48X48", "x48", "48x", "48 x 48", "big"] {
            assert!(check_size(size).is_err(), "{size}");
        }
        assert!(check_theme("dark").is_ok());
        assert!(fails(check_theme("Dark"), "`light`, `dark`"));
    }

    fn parse(tokens: TokenStream) -> syn::Result<IconSpec> {
        let mut icon = None;
        let parser = syn::meta::parser(|meta| {
            icon = Some(IconSpec::parse(&meta)?);
            Ok(())
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        icon.ok_or_else(|| syn::Error::new(Span::call_site(), "no icon"))
    }

    fn errors_of(tokens: TokenStream) -> String {
        let mut errors = Errors::default();
        match parse(tokens) {
            Ok(icon) => icon.check(&mut errors),
            Err(error) => errors.push(error),
        }
        errors.to_compile_errors().to_string()
    }

    #[test]
    fn both_forms_parse_and_mistakes_are_named() {
        assert_eq!(errors_of(quote!(icon = "https://example.com/a.png")), "");
        assert_eq!(
            errors_of(quote!(icon(
                src = "https://x/a.svg",
                mime = "image/svg+xml",
                sizes = ["any"],
                theme = "light"
            ))),
            ""
        );
        assert_eq!(
            errors_of(quote!(icon(src = "https://x/a", sizes = "48x48"))),
            ""
        );
        assert!(errors_of(quote!(icon(mime = "image/png"))).contains("needs a `src`"));
        assert!(
            errors_of(quote!(icon(src = "https://x", colour = "red")))
                .contains("unknown option `colour`")
        );
        assert!(
            errors_of(quote!(icon(src = "https://x", src = "https://y"))).contains("duplicate")
        );
        assert!(errors_of(quote!(icon(src = "https://x", sizes = [48]))).contains("`sizes` takes"));
        assert!(errors_of(quote!(icon)).contains("`icon` takes"));
    }
}
