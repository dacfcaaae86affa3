//! Parsing `key = value` macro options, with errors that list the valid keys.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;

/// One option's value and where it was written.
pub(crate) struct Slot<T> {
    pub(crate) value: Option<(T, Span)>,
}

impl<T> Default for Slot<T> {
    fn default() -> Slot<T> {
        Slot { value: None }
    }
}

impl<T> Slot<T> {
    /// Stores a value; a second one for the same option is an error.
    pub(crate) fn set(&mut self, meta: &ParseNestedMeta<'_>, value: T) -> syn::Result<()> {
        if self.value.is_some() {
            let key = path_text(&meta.path);
            return Err(meta.error(format!("duplicate option `{key}`")));
        }
        self.value = Some((value, span_of(&meta.path)));
        Ok(())
    }

    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(value, _)| value)
    }
}

fn span_of(path: &syn::Path) -> Span {
    path.segments
        .first()
        .map_or_else(Span::call_site, |segment| segment.ident.span())
}

/// The option's name as written.
pub(crate) fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The error for an option not in `valid`, with a suggestion when one is close.
pub(crate) fn unknown_option(meta: &ParseNestedMeta<'_>, valid: &[&str]) -> syn::Error {
    let key = path_text(&meta.path);
    let listed = valid
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let suggestion = valid
        .iter()
        .map(|v| (edit_distance(&key, v), v))
        .filter(|(distance, v)| *distance <= v.len() / 3 + 1)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, v)| format!("; did you mean `{v}`?"))
        .unwrap_or_default();
    syn::Error::new_spanned(
        &meta.path,
        format!("unknown option `{key}`; expected one of {listed}{suggestion}"),
    )
}

/// Reads `= "text"`, with an error naming the option when the value is not a string.
pub(crate) fn string_value(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::LitStr> {
    let key = path_text(&meta.path);
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Ok(text),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string, such as `{key} = \"...\"`"),
        )),
    }
}

/// Reads `= path` (or `= "path"`, as serde writes it): where the `mcp` crate is.
pub(crate) fn path_value(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let key = path_text(&meta.path);
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none() => Ok(path.path),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => text.parse(),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes the path of the `mcp` crate, such as `{key} = my_mcp`"),
        )),
    }
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("nmae", "name"), 2);
        assert_eq!(edit_distance("titel", "title"), 2);
        assert_eq!(edit_distance("name", "name"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
