//! The variables of an RFC 6570 URI template, checked at compile time with the rules the
//! runtime matches by (`{name}` and `{+name}`, separated by text).

/// The variable names, or what is wrong with the template.
pub(super) fn variables(template: &str) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = template;
    let mut previous_was_variable = false;
    while let Some(start) = rest.find(['{', '}']) {
        if rest.get(start..=start) == Some("}") {
            return Err(format!("unmatched `}}` in `{template}`"));
        }
        let literal_before = start > 0;
        let after = rest.get(start + 1..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            return Err(format!("unclosed `{{` in `{template}`"));
        };
        let expression = after.get(..end).unwrap_or_default();
        let name = expression.strip_prefix('+').unwrap_or(expression);
        if let Some(operator) = name.chars().next().filter(|c| "#./;?&=,!@|".contains(*c)) {
            return Err(format!(
                "`{{{expression}}}`: the `{operator}` operator is not supported; use `{{name}}` or `{{+name}}`"
            ));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{{{expression}}}` is not a variable; names use letters, digits and `_`"
            ));
        }
        if previous_was_variable && !literal_before {
            return Err(format!(
                "`{{{expression}}}` follows another variable directly; put text between them"
            ));
        }
        if names.iter().any(|seen| seen == name) {
            return Err(format!("variable `{name}` appears twice"));
        }
        names.push(name.to_owned());
        rest = after.get(end + 1..).unwrap_or_default();
        previous_was_variable = true;
    }
    if rest.contains('}') {
        return Err(format!("unmatched `}}` in `{template}`"));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_and_mistakes_named() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            variables("file:///logs/{day}/{+path}"),
            Ok(names(&["day", "path"]))
        );
        assert_eq!(variables("config://app"), Ok(Vec::new()));
        let fails = |template: &str, needle: &str| matches!(variables(template), Err(message) if message.contains(needle));
        assert!(fails("a{b", "unclosed"));
        assert!(fails("x://{?q}", "operator"));
        assert!(fails("x://{a}{b}", "directly"));
        assert!(fails("x://{a}/{a}", "twice"));
    }
}
