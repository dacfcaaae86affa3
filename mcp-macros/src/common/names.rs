//! The spec's rules for names.

/// Checks a tool or prompt name: 1 to 128 characters from `A-Z a-z 0-9 _ - .`.
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name cannot be empty".into());
    }
    if name.chars().count() > 128 {
        return Err(format!(
            "name `{name}` is longer than 128 characters, the limit clients enforce"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
    {
        return Err(format!(
            "name `{name}` contains `{bad}`; use only ASCII letters, digits, `_`, `-` and `.`"
        ));
    }
    Ok(())
}

/// A Rust identifier as a name on the wire (`r#type` is `type`).
pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The name of the hidden module `#[mcp::tool]` puts beside a tool so that two tools
/// with one name in one module collide at compile time.
///
/// One identifier per name and one name per identifier: a name of letters, digits and
/// `_` is kept as it is; any other name is escaped (`_2d_` for `-`, `_2e_` for `.`, `_5f_`
/// for `_`) under a different prefix.
pub(crate) fn marker_ident(name: &str, span: proc_macro2::Span) -> syn::Ident {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let text = if plain {
        format!("__mcp_tool_named_{name}")
    } else {
        let escaped: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    format!("_{:x}_", u32::from(c))
                }
            })
            .collect();
        format!("__mcp_tool_escaped_{escaped}")
    };
    syn::Ident::new(&text, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(name: &str) -> String {
        marker_ident(name, proc_macro2::Span::call_site()).to_string()
    }

    #[test]
    fn markers_differ_for_different_names() {
        assert_eq!(marker("get_weather"), "__mcp_tool_named_get_weather");
        assert_eq!(
            marker("files.read-v2"),
            "__mcp_tool_escaped_files_2e_read_2d_v2"
        );
        let names = ["a.b", "a_b", "a-b", "a_2e_b", "a__b", "a._b", "a_.b"];
        let markers: std::collections::HashSet<String> = names.iter().map(|n| marker(n)).collect();
        assert_eq!(markers.len(), names.len());
    }

    #[test]
    fn names_follow_the_spec_charset() {
        assert!(check_name("get_weather").is_ok());
        assert!(check_name("files.read-v2").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("has space").is_err_and(|message| message.contains("` `")));
        assert!(check_name(&"x".repeat(129)).is_err());
    }
}
