//! `mcp::UriTemplate`: arbitrary template text and URIs, and templates built from parts
//! with URIs expanded from values.
//!
//! An input is text, so that seeds are written by hand: a template, a URI, then lines
//! `L text` (a literal), `V value` or `R value` (a `{name}` or `{+name}` variable, and
//! its value), and last a URI for the built template.
//!
//! Checked against a slow reference written from the documented rules (`{name}`: a
//! non-empty run without `/`, `?` or `#`, percent-decoded to UTF-8; `{+name}`: any
//! non-empty run, as it is): a template parses exactly when the rules allow it and
//! prints back as written; a URI matches exactly when some split of it fits the
//! template, and the values returned are those of such a split; a URI expanded from
//! values matches, giving those values back whenever no other split fits.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp::UriTemplate;

/// The longest URI the reference matcher is run on (it is cubic); within it, the
/// matcher's step budget is never reached, so its answer must be exact.
const REFERENCE_MAX_URI: usize = 64;

/// A part of a template to build.
#[derive(Debug)]
enum PartSpec<'a> {
    Literal(&'a str),
    Variable { reserved: bool, value: &'a str },
}

/// A template part, as the reference reads it.
#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Variable { name: String, reserved: bool },
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let template = lines.next().unwrap_or_default();
    let uri = lines.next().unwrap_or_default();
    check_text(template, uri);
    let mut parts = Vec::new();
    let mut other_uri = "";
    for line in lines {
        let spec = match line.split_at_checked(2) {
            Some(("L ", text)) => PartSpec::Literal(text),
            Some(("V ", value)) => PartSpec::Variable {
                reserved: false,
                value,
            },
            Some(("R ", value)) => PartSpec::Variable {
                reserved: true,
                value,
            },
            _ => {
                other_uri = line;
                continue;
            }
        };
        parts.push(spec);
    }
    check_built(&parts, other_uri);
});

/// A template given as text: parsed as the rules say, printed back as written, and
/// matched as the reference matches.
fn check_text(text: &str, uri: &str) {
    let reference = reference_parse(text);
    let parsed = UriTemplate::parse(text);
    assert_eq!(
        parsed.is_ok(),
        reference.is_some(),
        "template {text:?}: parsed as {parsed:?}"
    );
    let (Ok(template), Some(parts)) = (parsed, reference) else {
        return;
    };
    assert_eq!(template.to_string(), text);
    assert_eq!(UriTemplate::parse(text).as_ref(), Ok(&template));
    let names: Vec<&str> = template.variables().collect();
    let expected: Vec<&str> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Variable { name, .. } => Some(name.as_str()),
            Part::Literal(_) => None,
        })
        .collect();
    assert_eq!(names, expected);
    assert_eq!(template.is_fixed(), names.is_empty());
    check_match(&template, &parts, uri);
}

/// A template built from parts (always valid when no two variables touch), and a URI
/// expanded from values for it.
fn check_built(specs: &[PartSpec<'_>], other_uri: &str) {
    let mut parts: Vec<Part> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for spec in specs.iter().take(12) {
        match spec {
            PartSpec::Literal(text) => {
                let text: String = text.chars().filter(|c| !matches!(c, '{' | '}')).collect();
                match parts.last_mut() {
                    _ if text.is_empty() => {}
                    Some(Part::Literal(last)) => last.push_str(&text),
                    _ => parts.push(Part::Literal(text)),
                }
            }
            PartSpec::Variable { reserved, value } => {
                let name = format!("v{}", values.len());
                parts.push(Part::Variable {
                    name,
                    reserved: *reserved,
                });
                values.push(if value.is_empty() { "x" } else { value }.to_owned());
            }
        }
    }
    let text = template_text(&parts);
    let adjacent = parts
        .windows(2)
        .any(|pair| matches!(pair, [Part::Variable { .. }, Part::Variable { .. }]));
    let template = match UriTemplate::parse(&text) {
        Ok(template) => template,
        Err(error) => {
            assert!(adjacent, "template {text:?} refused: {error}");
            return;
        }
    };
    assert!(
        !adjacent,
        "template {text:?} accepted with adjacent variables"
    );
    assert_eq!(template.to_string(), text);

    let uri = expand(&parts, &values);
    if uri.len() <= REFERENCE_MAX_URI {
        let found = template.matches(&uri);
        let Some(found) = found else {
            panic!("{uri:?}, expanded from {values:?}, does not match {text:?}");
        };
        let found: Vec<String> = found.into_iter().map(|(_, value)| value).collect();
        assert!(
            reference_splits(&parts, &uri, Some(&found)) > 0,
            "{uri:?} matched {text:?} as {found:?}, which no split of it gives"
        );
        if reference_splits(&parts, &uri, None) == 1 {
            assert_eq!(found, values, "{uri:?} against {text:?}");
        }
    }
    check_match(&template, &parts, other_uri);
}

/// `uri` matches `template` exactly when the reference finds a split, with its values.
fn check_match(template: &UriTemplate, parts: &[Part], uri: &str) {
    let found = template.matches(uri);
    if uri.len() > REFERENCE_MAX_URI {
        return;
    }
    let splits = reference_splits(parts, uri, None);
    match found {
        None => assert_eq!(splits, 0, "{uri:?} does not match {template}, but fits it"),
        Some(found) => {
            assert!(
                splits > 0,
                "{uri:?} matches {template} as {found:?}, but does not fit it"
            );
            let names: Vec<&str> = found.iter().map(|(name, _)| *name).collect();
            assert_eq!(names, template.variables().collect::<Vec<_>>());
            let values: Vec<String> = found.into_iter().map(|(_, value)| value).collect();
            assert!(
                reference_splits(parts, uri, Some(&values)) > 0,
                "{uri:?} matched {template} as {values:?}, which no split of it gives"
            );
        }
    }
}

/// The parts of a valid template, or `None`: expressions are `{name}` or `{+name}`
/// (names of ASCII letters, digits and `_`), never adjacent, never repeated, and
/// braces appear only around them.
fn reference_parse(text: &str) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '}' => return None,
            '{' => {
                let mut expression = String::new();
                loop {
                    match chars.next()? {
                        '}' => break,
                        c => expression.push(c),
                    }
                }
                let (reserved, name) = match expression.strip_prefix('+') {
                    Some(name) => (true, name),
                    None => (false, expression.as_str()),
                };
                let valid_name =
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let repeated = parts
                    .iter()
                    .any(|part| matches!(part, Part::Variable { name: seen, .. } if seen == name));
                if !valid_name || repeated {
                    return None;
                }
                if literal.is_empty() {
                    if matches!(parts.last(), Some(Part::Variable { .. })) {
                        return None;
                    }
                } else {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Variable {
                    name: name.to_owned(),
                    reserved,
                });
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    Some(parts)
}

fn template_text(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|part| match part {
            Part::Literal(text) => text.clone(),
            Part::Variable {
                name,
                reserved: true,
            } => format!("{{+{name}}}"),
            Part::Variable { name, .. } => format!("{{{name}}}"),
        })
        .collect()
}

/// The URI for `values`: `{name}` values percent-encoded but for unreserved
/// characters, `{+name}` values as they are.
fn expand(parts: &[Part], values: &[String]) -> String {
    let mut values = values.iter();
    let mut uri = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => uri.push_str(text),
            Part::Variable { reserved, .. } => {
                let value = values.next().map(String::as_str).unwrap_or_default();
                if *reserved {
                    uri.push_str(value);
                    continue;
                }
                for byte in value.bytes() {
                    if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                        uri.push(char::from(byte));
                    } else {
                        uri.push_str(&format!("%{byte:02X}"));
                    }
                }
            }
        }
    }
    uri
}

/// How many ways (0, 1, or 2 for "more") `uri` splits into the parts, giving `values`
/// when they are named. Memoised by (part, position), so it stays polynomial.
fn reference_splits(parts: &[Part], uri: &str, values: Option<&[String]>) -> usize {
    let mut memo = vec![vec![None; uri.len() + 1]; parts.len() + 1];
    splits_from(parts, uri, 0, 0, 0, values, &mut memo)
}

fn splits_from(
    parts: &[Part],
    uri: &str,
    part: usize,
    position: usize,
    variable: usize,
    values: Option<&[String]>,
    memo: &mut [Vec<Option<usize>>],
) -> usize {
    if let Some(count) = memo[part][position] {
        return count;
    }
    let rest = &uri[position..];
    let count = match parts.get(part) {
        None => usize::from(rest.is_empty()),
        Some(Part::Literal(text)) => {
            if rest.starts_with(text.as_str()) {
                splits_from(
                    parts,
                    uri,
                    part + 1,
                    position + text.len(),
                    variable,
                    values,
                    memo,
                )
            } else {
                0
            }
        }
        Some(Part::Variable { reserved, .. }) => {
            let mut count = 0;
            for end in (1..=rest.len()).filter(|&end| rest.is_char_boundary(end)) {
                let span = &rest[..end];
                if !reserved && span.contains(['/', '?', '#']) {
                    break;
                }
                let value = if *reserved {
                    Some(span.to_owned())
                } else {
                    reference_decode(span)
                };
                let Some(value) = value else { continue };
                if values.is_some_and(|values| values.get(variable) != Some(&value)) {
                    continue;
                }
                count += splits_from(
                    parts,
                    uri,
                    part + 1,
                    position + end,
                    variable + 1,
                    values,
                    memo,
                );
                if count >= 2 {
                    count = 2;
                    break;
                }
            }
            count
        }
    };
    memo[part][position] = Some(count);
    count
}

/// RFC 3986 percent-decoding: `%` and two hex digits; the bytes must be UTF-8.
fn reference_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let high = char::from(*bytes.get(index + 1)?).to_digit(16)?;
            let low = char::from(*bytes.get(index + 2)?).to_digit(16)?;
            out.push((high * 16 + low) as u8);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}
