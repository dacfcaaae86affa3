//! Doc comments: the tool description, and parameter descriptions from `# Arguments`.

use std::collections::HashMap;

/// What a doc comment says.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Docs {
    /// The text without the `# Arguments` section; `None` when there is none.
    pub(crate) description: Option<String>,
    /// Parameter name → description, from the `# Arguments` list.
    pub(crate) arguments: HashMap<String, String>,
}

/// Reads the `#[doc = "..."]` attributes (what `///` comments become).
pub(crate) fn read(attrs: &[syn::Attribute]) -> Docs {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>())
        .map(|line| line.strip_prefix(' ').map(str::to_owned).unwrap_or(line))
        .collect();
    parse(&lines)
}

fn parse(lines: &[String]) -> Docs {
    let mut description = Vec::new();
    let mut arguments = HashMap::new();
    let mut in_arguments = false;
    let mut current: Option<String> = None;
    for line in lines {
        if let Some(heading) = heading(line) {
            let lower = heading.to_ascii_lowercase();
            in_arguments = lower == "arguments" || lower == "parameters";
            current = None;
            if in_arguments {
                continue;
            }
        }
        if !in_arguments {
            description.push(line.as_str());
            continue;
        }
        if let Some((name, text)) = argument_item(line) {
            arguments.insert(name.clone(), text);
            current = Some(name);
        } else if let Some(text) = current
            .as_ref()
            .filter(|_| !line.trim().is_empty())
            .and_then(|name| arguments.get_mut(name))
        {
            text.push(' ');
            text.push_str(line.trim());
        }
    }
    let text = description.join("\n").trim().to_owned();
    Docs {
        description: (!text.is_empty()).then_some(text),
        arguments,
    }
}

fn heading(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let text = trimmed.trim_start_matches('#');
    (text.len() < trimmed.len() && text.starts_with(' ')).then(|| text.trim())
}

/// `* `name` - text`, `- name: text` and similar list items.
fn argument_item(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start();
    let rest = rest.strip_prefix(['*', '-', '+'])?.trim_start();
    let (name, rest) = if let Some(quoted) = rest.strip_prefix('`') {
        let end = quoted.find('`')?;
        (quoted.get(..end)?, quoted.get(end + 1..)?)
    } else {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        (rest.get(..end)?, rest.get(end..)?)
    };
    if name.is_empty() {
        return None;
    }
    let text = rest
        .trim_start()
        .trim_start_matches(['-', ':', '\u{2013}', '\u{2014}'])
        .trim();
    Some((name.to_owned(), text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Docs {
        parse(&text.lines().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn arguments_section_is_split_off() {
        let docs = docs(
            "Add two numbers.\n\n# Arguments\n* `a` - the first addend\n* `b` - the second\n  addend",
        );
        assert_eq!(docs.description.as_deref(), Some("Add two numbers."));
        assert_eq!(
            docs.arguments.get("a").map(String::as_str),
            Some("the first addend")
        );
        assert_eq!(
            docs.arguments.get("b").map(String::as_str),
            Some("the second addend")
        );
    }

    #[test]
    fn sections_after_arguments_stay_in_the_description() {
        let docs = docs("Does it.\n# Arguments\n- x: an x\n# Errors\nWhen it fails.");
        assert_eq!(docs.arguments.get("x").map(String::as_str), Some("an x"));
        assert_eq!(
            docs.description.as_deref(),
            Some("Does it.\n# Errors\nWhen it fails.")
        );
    }

    #[test]
    fn no_doc_means_no_description() {
        assert_eq!(docs(""), Docs::default());
    }
}
