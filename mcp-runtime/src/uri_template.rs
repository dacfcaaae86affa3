//! RFC 6570 URI templates, as resource templates use them: `{name}` (one path segment,
//! percent-decoded) and `{+name}` (reserved expansion: anything, slashes included).
//!
//! ```
//! use mcp::UriTemplate;
//! let template = UriTemplate::parse("file:///logs/{day}/{+path}").unwrap();
//! let vars = template.matches("file:///logs/2026-11-29/app/server.log").unwrap();
//! assert_eq!(vars, [("day", "2026-11-29".to_owned()), ("path", "app/server.log".to_owned())]);
//! ```

use std::collections::HashSet;
use std::fmt;

/// A parsed URI template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UriTemplate {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Literal(String),
    Variable { name: String, reserved: bool },
}

/// Why a template does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

/// The longest URI matched against a template.
const MAX_URI_BYTES: usize = 8 * 1024;

/// Matching steps allowed for one URI: ambiguous templates (variables separated by text
/// that also occurs inside values) could otherwise cost quadratic time per variable on
/// a hostile URI. Real templates and URIs use a few dozen steps.
const MATCH_BUDGET: usize = 4_096;

/// The state of one match: dead ends seen, steps left.
struct Search {
    failed: HashSet<(usize, usize)>,
    budget: usize,
}

impl UriTemplate {
    /// Parses a template.
    pub fn parse(text: &str) -> Result<UriTemplate, TemplateError> {
        let error = |message: String| Err(TemplateError(message));
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(index) if rest.get(index..index + 1) == Some("}") => {
                    return error(format!("unmatched `}}` in `{text}`"));
                }
                Some(0) => {
                    let Some(end) = rest.find('}') else {
                        return error(format!("unclosed `{{` in `{text}`"));
                    };
                    let expression = rest.get(1..end).unwrap_or_default();
                    let (reserved, name) = match expression.strip_prefix('+') {
                        Some(name) => (true, name),
                        None => (false, expression),
                    };
                    if let Some(operator) =
                        name.chars().next().filter(|c| "#./;?&=,!@|".contains(*c))
                    {
                        return error(format!(
                            "`{{{expression}}}`: the `{operator}` operator is not supported; use `{{name}}` or `{{+name}}`"
                        ));
                    }
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return error(format!(
                            "`{{{expression}}}` is not a variable; names use letters, digits and `_`"
                        ));
                    }
                    if matches!(parts.last(), Some(Part::Variable { .. })) {
                        return error(format!(
                            "`{{{expression}}}` follows another variable directly; put text between them"
                        ));
                    }
                    if parts.iter().any(
                        |part| matches!(part, Part::Variable { name: seen, .. } if seen == name),
                    ) {
                        return error(format!("variable `{name}` appears twice"));
                    }
                    parts.push(Part::Variable {
                        name: name.to_owned(),
                        reserved,
                    });
                    rest = rest.get(end + 1..).unwrap_or_default();
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    parts.push(Part::Literal(
                        rest.get(..end).unwrap_or_default().to_owned(),
                    ));
                    rest = rest.get(end..).unwrap_or_default();
                }
            }
        }
        Ok(UriTemplate { parts })
    }

    /// The variable names, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            Part::Variable { name, .. } => Some(name.as_str()),
            Part::Literal(_) => None,
        })
    }

    /// Whether the template has no variables (a fixed URI).
    pub fn is_fixed(&self) -> bool {
        self.variables().next().is_none()
    }

    /// The variables' values if `uri` matches, percent-decoded for `{name}`.
    pub fn matches<'t>(&'t self, uri: &str) -> Option<Vec<(&'t str, String)>> {
        if uri.len() > MAX_URI_BYTES {
            return None;
        }
        let mut search = Search {
            failed: HashSet::new(),
            budget: MATCH_BUDGET,
        };
        let mut spans = Vec::new();
        if !self.match_from(0, uri, 0, &mut search, &mut spans) {
            return None;
        }
        spans
            .into_iter()
            .map(|(part, start, end)| {
                let Some(Part::Variable { name, reserved }) = self.parts.get(part) else {
                    return None;
                };
                let raw = uri.get(start..end)?;
                let value = if *reserved {
                    Some(raw.to_owned())
                } else {
                    percent_decode(raw)
                };
                value.map(|value| (name.as_str(), value))
            })
            .collect()
    }

    /// Matches parts from `part` on against `uri[position..]`, recording each variable's
    /// span. Dead ends are remembered, and a variable only ends where the text after it
    /// starts, so the work stays polynomial.
    fn match_from(
        &self,
        part: usize,
        uri: &str,
        position: usize,
        search: &mut Search,
        spans: &mut Vec<(usize, usize, usize)>,
    ) -> bool {
        if search.budget == 0 || search.failed.contains(&(part, position)) {
            return false;
        }
        search.budget -= 1;
        let rest = uri.get(position..).unwrap_or_default();
        let matched = match self.parts.get(part) {
            None => rest.is_empty(),
            Some(Part::Literal(literal)) => {
                rest.starts_with(literal.as_str())
                    && self.match_from(part + 1, uri, position + literal.len(), search, spans)
            }
            Some(Part::Variable { reserved, .. }) => {
                // The longest run the variable may cover.
                let limit = if *reserved {
                    rest.len()
                } else {
                    rest.find(['/', '?', '#']).unwrap_or(rest.len())
                };
                let candidates: Vec<usize> = match self.parts.get(part + 1) {
                    Some(Part::Literal(next)) => occurrences(rest, next)
                        .take_while(|&index| index <= limit)
                        .filter(|&index| index > 0)
                        .collect(),
                    _ => vec![rest.len()]
                        .into_iter()
                        .filter(|&end| end > 0 && end <= limit)
                        .collect(),
                };
                candidates.into_iter().rev().any(|end| {
                    // A `{name}` value that does not decode is a dead end, not a failed
                    // match: a shorter run may decode. Checked only for a split that is
                    // not known to fail, within the budget, so decoding stays bounded.
                    if search.budget == 0
                        || search.failed.contains(&(part + 1, position + end))
                        || (!*reserved && rest.get(..end).and_then(percent_decode).is_none())
                    {
                        return false;
                    }
                    spans.push((part, position, position + end));
                    let found = self.match_from(part + 1, uri, position + end, search, spans);
                    if !found {
                        spans.pop();
                    }
                    found
                })
            }
        };
        if !matched {
            search.failed.insert((part, position));
        }
        matched
    }
}

impl fmt::Display for UriTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                Part::Literal(text) => f.write_str(text)?,
                Part::Variable {
                    name,
                    reserved: true,
                } => write!(f, "{{+{name}}}")?,
                Part::Variable {
                    name,
                    reserved: false,
                } => write!(f, "{{{name}}}")?,
            }
        }
        Ok(())
    }
}

/// Where `needle` (not empty) starts in `text`, overlapping occurrences included (in
/// `baaa`, `aa` starts at 1 and 2).
fn occurrences<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut start = 0;
    std::iter::from_fn(move || {
        let found = start + text.get(start..)?.find(needle)?;
        start = found + text.get(found..)?.chars().next()?.len_utf8();
        Some(found)
    })
}

/// Decodes `%XX` escapes (two hex digits); `None` for a malformed escape or text that is
/// not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'%' {
            // Checked digit by digit: `from_str_radix` alone would take a sign (`%+1`).
            let hex = text
                .get(index + 1..index + 3)
                .filter(|hex| hex.bytes().all(|digit| digit.is_ascii_hexdigit()))?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(byte);
            index += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(template: &str, uri: &str) -> Option<Vec<(String, String)>> {
        let template = UriTemplate::parse(template).unwrap();
        template
            .matches(uri)
            .map(|found| found.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    #[test]
    fn simple_variables_match_one_segment() {
        assert_eq!(
            vars("users://{id}/profile", "users://42/profile"),
            Some(vec![("id".into(), "42".into())])
        );
        assert_eq!(vars("users://{id}/profile", "users://4/2/profile"), None);
        assert_eq!(
            vars("notes://{title}", "notes://a%20b"),
            Some(vec![("title".into(), "a b".into())])
        );
        assert_eq!(
            vars("notes://{title}", "notes://"),
            None,
            "a value is never empty"
        );
    }

    #[test]
    fn escapes_are_two_hex_digits() {
        // Caught by the `uri_template` fuzz target: `%+1` decoded as byte 1.
        for uri in [
            "notes://%+1",
            "notes://%-1",
            "notes://%1",
            "notes://%g0",
            "notes://%",
        ] {
            assert_eq!(vars("notes://{title}", uri), None, "{uri}");
        }
        assert_eq!(
            vars("notes://{title}", "notes://%2f%2F"),
            Some(vec![("title".into(), "//".into())])
        );
    }

    #[test]
    fn a_value_that_does_not_decode_makes_the_matcher_try_another_split() {
        // Caught by the `uri_template` fuzz target: the first split tried (`a` = `1%zz`)
        // does not decode, but `a` = `1`, `b` = `zz%41` does.
        assert_eq!(
            vars("{a}%{b}", "1%zz%41"),
            Some(vec![("a".into(), "1".into()), ("b".into(), "zzA".into())])
        );
        assert_eq!(vars("{a}%{b}", "1%zz%4"), None);
    }

    #[test]
    fn a_value_may_end_inside_a_run_of_the_text_after_it() {
        // Caught by the `uri_template` fuzz target: only non-overlapping occurrences of
        // the text after a variable were tried as its end.
        assert_eq!(
            vars("x://{v}aa", "x://baaa"),
            Some(vec![("v".into(), "ba".into())])
        );
        assert_eq!(
            vars("x://{a}--{b}--", "x://1-----"),
            Some(vec![("a".into(), "1".into()), ("b".into(), "-".into())])
        );
    }

    #[test]
    fn reserved_variables_span_slashes() {
        assert_eq!(
            vars("file:///{+path}.txt", "file:///a/b.c.txt"),
            Some(vec![("path".into(), "a/b.c".into())])
        );
    }

    #[test]
    fn fixed_templates_match_only_themselves() {
        let fixed = UriTemplate::parse("config://app").unwrap();
        assert!(fixed.is_fixed());
        assert_eq!(fixed.matches("config://app"), Some(vec![]));
        assert_eq!(fixed.matches("config://app2"), None);
    }

    #[test]
    fn bad_templates_say_what_is_wrong() {
        for (text, needle) in [
            ("a{b", "unclosed"),
            ("a}b", "unmatched"),
            ("x://{?q}", "operator"),
            ("x://{a}{b}", "directly"),
            ("x://{a}/{a}", "twice"),
            ("x://{a-b}", "not a variable"),
        ] {
            let error = UriTemplate::parse(text).unwrap_err().to_string();
            assert!(error.contains(needle), "{text}: {error}");
        }
    }

    #[test]
    fn many_variables_match_without_blowing_up() {
        let text: String = (0..12).map(|i| format!("{{v{i}}}-")).collect();
        let template = UriTemplate::parse(&text).unwrap();
        let uri = "a-".repeat(11) + &"-".repeat(2000) + "x";
        assert!(template.matches(&uri).is_none());
        assert_eq!(template.to_string(), text);
    }
}
