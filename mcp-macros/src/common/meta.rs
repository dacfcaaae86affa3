//! `meta(key = value, ...)`: a descriptor's `_meta` object. Keys are names (`version`) or
//! strings (`"com.example/flag"`), checked against the specification's key rules; values
//! are JSON written as in `serde_json::json!`: strings, numbers, `true`, `false`, `null`,
//! `[...]` and `{"key": value}`. The expansion carries the object as JSON text.

use std::fmt::Write as _;

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;

use crate::common::errors::Errors;
use crate::common::names::unraw;

const USAGE: &str =
    "`meta` takes `key = value` entries, such as `meta(\"com.example/flag\" = true, version = 2)`";

/// The `meta(...)` option as written.
pub(crate) struct MetaSpec {
    entries: Vec<(Key, Json)>,
}

/// An object key and where it is written.
struct Key {
    text: String,
    span: Span,
}

/// A JSON value; numbers are kept as their JSON text.
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

impl MetaSpec {
    /// Parses `meta(...)`.
    pub(crate) fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<MetaSpec> {
        if !meta.input.peek(syn::token::Paren) {
            if meta.input.peek(syn::Token![=]) {
                let value: syn::Expr = meta.value()?.parse()?;
                return Err(syn::Error::new_spanned(value, USAGE));
            }
            return Err(meta.error(USAGE));
        }
        // A parse of its own, so that a mistake inside is one error, not one more for the
        // tokens left after it.
        let group: proc_macro2::Group = meta.input.parse()?;
        let entries = syn::parse::Parser::parse2(
            |input: ParseStream<'_>| entries(input, Separator::Equals),
            group.stream(),
        )?;
        Ok(MetaSpec { entries })
    }

    /// Reports keys the specification does not allow and keys written twice.
    pub(crate) fn check(&self, errors: &mut Errors) {
        for (key, _) in &self.entries {
            if let Err(message) = check_key(&key.text) {
                errors.at(key.span, message);
            }
        }
        check_duplicates(&self.entries, errors);
    }

    /// `Some("{...}")`: the object as JSON text.
    pub(crate) fn emit(&self) -> TokenStream {
        let mut text = String::new();
        write_object(&self.entries, &mut text);
        quote!(::core::option::Option::Some(#text))
    }
}

#[derive(Clone, Copy)]
enum Separator {
    /// `key = value`, as options are written.
    Equals,
    /// `"key": value`, inside a JSON object.
    Colon,
}

fn entries(input: ParseStream<'_>, separator: Separator) -> syn::Result<Vec<(Key, Json)>> {
    let mut entries = Vec::new();
    while !input.is_empty() {
        let key = Key::parse(input)?;
        match separator {
            Separator::Equals => {
                input.parse::<syn::Token![=]>()?;
            }
            Separator::Colon => {
                input.parse::<syn::Token![:]>()?;
            }
        }
        entries.push((key, Json::parse(input)?));
        if !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
    }
    Ok(entries)
}

impl Key {
    fn parse(input: ParseStream<'_>) -> syn::Result<Key> {
        if input.peek(syn::LitStr) {
            let text: syn::LitStr = input.parse()?;
            return Ok(Key {
                text: text.value(),
                span: text.span(),
            });
        }
        if input.peek(syn::Ident::peek_any) {
            let ident = syn::Ident::parse_any(input)?;
            return Ok(Key {
                text: unraw(&ident),
                span: ident.span(),
            });
        }
        Err(input.error(
            "expected a key: a name such as `version`, or a string such as `\"com.example/flag\"`",
        ))
    }
}

impl Json {
    fn parse(input: ParseStream<'_>) -> syn::Result<Json> {
        if input.peek(syn::LitStr) {
            let text: syn::LitStr = input.parse()?;
            return Ok(Json::String(text.value()));
        }
        if input.peek(syn::LitBool) {
            let value: syn::LitBool = input.parse()?;
            return Ok(Json::Bool(value.value));
        }
        if input.peek(syn::Ident) && input.fork().parse::<syn::Ident>()? == "null" {
            input.parse::<syn::Ident>()?;
            return Ok(Json::Null);
        }
        if input.peek(syn::token::Bracket) {
            let content;
            syn::bracketed!(content in input);
            let items = content.parse_terminated(Json::parse, syn::Token![,])?;
            return Ok(Json::Array(items.into_iter().collect()));
        }
        if input.peek(syn::token::Brace) {
            let content;
            syn::braced!(content in input);
            return Ok(Json::Object(entries(&content, Separator::Colon)?));
        }
        let negative = input.peek(syn::Token![-]);
        if negative {
            input.parse::<syn::Token![-]>()?;
        }
        if input.peek(syn::LitInt) {
            return integer(&input.parse()?, negative);
        }
        if input.peek(syn::LitFloat) {
            return float(&input.parse()?, negative);
        }
        Err(input.error(
            "expected a JSON value: a string, a number, `true`, `false`, `null`, `[...]` or `{\"key\": value}`",
        ))
    }
}

fn no_suffix(suffix: &str, span: Span) -> syn::Result<()> {
    if suffix.is_empty() {
        Ok(())
    } else {
        Err(syn::Error::new(
            span,
            format!("a JSON number has no type suffix; remove `{suffix}`"),
        ))
    }
}

fn integer(literal: &syn::LitInt, negative: bool) -> syn::Result<Json> {
    no_suffix(literal.suffix(), literal.span())?;
    let magnitude: u64 = literal.base10_parse()?;
    if negative && magnitude > i64::MIN.unsigned_abs() {
        return Err(syn::Error::new(
            literal.span(),
            "this number is below the smallest 64-bit integer",
        ));
    }
    let sign = if negative { "-" } else { "" };
    Ok(Json::Number(format!("{sign}{magnitude}")))
}

fn float(literal: &syn::LitFloat, negative: bool) -> syn::Result<Json> {
    no_suffix(literal.suffix(), literal.span())?;
    let magnitude: f64 = literal.base10_parse()?;
    if !magnitude.is_finite() {
        return Err(syn::Error::new(
            literal.span(),
            "this number is too large for JSON",
        ));
    }
    let sign = if negative { "-" } else { "" };
    // `Debug` writes `1.0`, `0.5`, `1e300`: all JSON numbers.
    Ok(Json::Number(format!("{sign}{magnitude:?}")))
}

/// A `_meta` key: an optional prefix of dot-separated labels and a `/`, then a name.
fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("a `_meta` key cannot be empty".to_owned());
    }
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let hint = "keys are `name` or `prefix/name`, such as `\"com.example/flag\"`";
    if let Some(prefix) = prefix {
        let label_ok = |label: &str| {
            let mut chars = label.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && label
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        };
        if !prefix.split('.').all(label_ok) {
            return Err(format!(
                "invalid `_meta` key `{key}`: its prefix `{prefix}/` must be dot-separated labels that start with a letter, end with a letter or digit, and hold letters, digits and `-`; {hint}"
            ));
        }
    }
    let name_ok = name.is_empty()
        || (name.starts_with(|c: char| c.is_ascii_alphanumeric())
            && name.ends_with(|c: char| c.is_ascii_alphanumeric())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
    if name_ok {
        Ok(())
    } else {
        Err(format!(
            "invalid `_meta` key `{key}`: the name `{name}` must start and end with a letter or digit and hold letters, digits, `-`, `_` and `.`; {hint}"
        ))
    }
}

/// A key written twice in one object, here or nested.
fn check_duplicates(entries: &[(Key, Json)], errors: &mut Errors) {
    for (index, (key, value)) in entries.iter().enumerate() {
        let earlier = entries.get(..index).unwrap_or_default();
        if earlier.iter().any(|(seen, _)| seen.text == key.text) {
            errors.at(key.span, format!("duplicate `_meta` key `{}`", key.text));
        }
        value.check_duplicates(errors);
    }
}

impl Json {
    fn check_duplicates(&self, errors: &mut Errors) {
        match self {
            Json::Array(items) => items.iter().for_each(|item| item.check_duplicates(errors)),
            Json::Object(entries) => check_duplicates(entries, errors),
            _ => {}
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write_string(text, out),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => write_object(entries, out),
        }
    }
}

fn write_object(entries: &[(Key, Json)], out: &mut String) {
    out.push('{');
    for (index, (key, value)) in entries.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(&key.text, out);
        out.push(':');
        value.write(out);
    }
    out.push('}');
}

fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(tokens: TokenStream) -> syn::Result<MetaSpec> {
        let mut spec = None;
        let parser = syn::meta::parser(|meta| {
            spec = Some(MetaSpec::parse(&meta)?);
            Ok(())
        });
        syn::parse::Parser::parse2(parser, tokens)?;
        spec.ok_or_else(|| syn::Error::new(Span::call_site(), "no meta"))
    }

    /// The JSON text, or the errors.
    fn outcome(tokens: TokenStream) -> Result<String, String> {
        let spec = parse(tokens).map_err(|error| error.to_string())?;
        let mut errors = Errors::default();
        spec.check(&mut errors);
        if !errors.is_empty() {
            return Err(errors.to_compile_errors().to_string());
        }
        let mut text = String::new();
        write_object(&spec.entries, &mut text);
        Ok(text)
    }

    #[test]
    fn values_become_json_text() {
        assert_eq!(
            outcome(quote!(meta(
                "com.example/flag" = true,
                version = 2,
                r#type = "a\"b\\c\n",
                ratio = -0.5,
                big = 1e300,
                none = null,
                list = [1, "two", [false],],
                "ui" = {"resourceUri": "ui://x", nested: {}},
            ))),
            Ok(r#"{"com.example/flag":true,"version":2,"type":"a\"b\\c\n","ratio":-0.5,"big":1e300,"none":null,"list":[1,"two",[false]],"ui":{"resourceUri":"ui://x","nested":{}}}"#.to_owned())
        );
        assert_eq!(outcome(quote!(meta())), Ok("{}".to_owned()));
        assert_eq!(
            outcome(quote!(meta(n = -9223372036854775808))),
            Ok(r#"{"n":-9223372036854775808}"#.to_owned())
        );
    }

    #[test]
    fn mistakes_are_named() {
        let fails = |tokens: TokenStream, needle: &str| {
            let result = outcome(tokens);
            assert!(
                matches!(&result, Err(message) if message.contains(needle)),
                "{result:?}"
            );
        };
        fails(quote!(meta = "{}"), "`meta` takes");
        fails(quote!(meta(a = 1u8)), "suffix");
        fails(quote!(meta(a = x)), "expected a JSON value");
        fails(quote!(meta(a: 1)), "expected `=`");
        fails(quote!(meta(a = 1, a = 2)), "duplicate `_meta` key `a`");
        fails(
            quote!(meta(a = {"b": 1, "b": 2})),
            "duplicate `_meta` key `b`",
        );
        fails(quote!(meta("-x" = 1)), "the name `-x`");
        fails(quote!(meta(n = -9223372036854775809)), "smallest");
    }

    #[test]
    fn keys_follow_the_specification() {
        for key in [
            "flag",
            "com.example/flag",
            "io.modelcontextprotocol/ui",
            "a/",
            "x-1.y_2",
            "ui/resourceUri",
        ] {
            assert_eq!(check_key(key), Ok(()), "{key}");
        }
        for key in [
            "",
            "1com/x",
            "com-/x",
            "com..example/x",
            "/x",
            "a/b/c",
            "_x",
            "x-",
            "has space",
        ] {
            assert!(check_key(key).is_err(), "{key}");
        }
    }
}
