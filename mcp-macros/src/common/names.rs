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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_spec_charset() {
        assert!(check_name("get_weather").is_ok());
        assert!(check_name("files.read-v2").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("has space").unwrap_err().contains("` `"));
        assert!(check_name(&"x".repeat(129)).is_err());
    }
}
