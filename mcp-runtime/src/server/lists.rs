//! List results (`tools/list`, `resources/list`, ...), serialised once per revision and
//! page, with opaque cursors.

use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::base64;
use crate::protocol::{ProtocolVersion, RpcError};

/// Every page of one list, for every revision, ready to send.
///
/// A revision's pages are built the first time a client asks for that revision, then
/// served as they are: a server pays only for the revisions its clients speak, and
/// nothing at startup.
#[derive(Debug, Default)]
pub(crate) struct PreparedList {
    /// The result's member that holds the items (`tools`, `resources`, ...).
    key: &'static str,
    page_size: Option<usize>,
    /// `pages[version.index()][page]`: a complete result object as JSON text.
    pages: [OnceLock<Vec<Arc<str>>>; ProtocolVersion::ALL.len()],
}

const CURSOR_PREFIX: &str = "mcp-page:";

impl PreparedList {
    /// A list whose results hold the items in `key`, split into pages of `page_size`
    /// items (all in one page when `None`).
    pub(crate) fn new(key: &'static str, page_size: Option<usize>) -> PreparedList {
        PreparedList {
            key,
            page_size,
            pages: Default::default(),
        }
    }

    /// The page a request asks for (`params.cursor`) as a `{key: items}` result, or
    /// `-32602` for a cursor this server did not issue. On the first request in
    /// `version`, `items` gives that revision's items and `finish` adds what its results
    /// carry besides.
    pub(crate) fn page(
        &self,
        version: ProtocolVersion,
        params: &Map<String, Value>,
        items: impl FnOnce() -> Vec<Value>,
        finish: impl Fn(&mut Map<String, Value>),
    ) -> Result<&Arc<str>, RpcError> {
        let index = match params.get("cursor") {
            None | Some(Value::Null) => 0,
            Some(Value::String(text)) => page_of(text).ok_or_else(invalid_cursor)?,
            Some(_) => return Err(invalid_cursor()),
        };
        let pages = self
            .pages
            .get(version.index())
            .ok_or_else(invalid_cursor)?
            .get_or_init(|| paginate(self.key, self.page_size, &items(), finish));
        pages.get(index).ok_or_else(invalid_cursor)
    }
}

/// `items` as result objects of at most `page_size` items each, linked by cursors.
fn paginate(
    key: &str,
    page_size: Option<usize>,
    items: &[Value],
    finish: impl Fn(&mut Map<String, Value>),
) -> Vec<Arc<str>> {
    let size = page_size
        .filter(|&size| size > 0)
        .unwrap_or(items.len().max(1));
    let chunks: Vec<&[Value]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(size).collect()
    };
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(index, chunk)| {
            let mut result = Map::new();
            result.insert(key.into(), Value::Array(chunk.to_vec()));
            if index + 1 < count {
                result.insert("nextCursor".into(), Value::from(cursor(index + 1)));
            }
            finish(&mut result);
            Arc::from(Value::Object(result).to_string())
        })
        .collect()
}

fn cursor(page: usize) -> String {
    base64::encode(format!("{CURSOR_PREFIX}{page}").as_bytes())
}

fn page_of(cursor: &str) -> Option<usize> {
    let bytes = base64::decode(cursor)?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(CURSOR_PREFIX)?.parse().ok()
}

fn invalid_cursor() -> RpcError {
    RpcError::invalid_params(
        "invalid cursor: use the nextCursor of a previous page, or none for the first",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list(page_size: Option<usize>) -> PreparedList {
        PreparedList::new("items", page_size)
    }

    fn page(list: &PreparedList, cursor: Option<&str>) -> Result<Value, RpcError> {
        let mut params = Map::new();
        if let Some(cursor) = cursor {
            params.insert("cursor".into(), Value::from(cursor));
        }
        list.page(
            ProtocolVersion::LATEST,
            &params,
            || (0..5).map(Value::from).collect(),
            |_| {},
        )
        .map(|text| serde_json::from_str(text).unwrap())
    }

    #[test]
    fn pages_follow_their_cursors_to_the_end() {
        let list = list(Some(2));
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let result = page(&list, cursor.as_deref()).unwrap();
            seen.extend(result["items"].as_array().unwrap().iter().cloned());
            match result.get("nextCursor") {
                Some(next) => cursor = Some(next.as_str().unwrap().to_owned()),
                None => break,
            }
        }
        assert_eq!(Value::Array(seen), json!([0, 1, 2, 3, 4]));
    }

    #[test]
    fn one_page_without_a_page_size_and_bad_cursors_are_invalid_params() {
        let list = list(None);
        assert!(page(&list, None).unwrap().get("nextCursor").is_none());
        for bad in ["", "nope", &cursor(7), &base64::encode(b"other:1")] {
            assert_eq!(page(&list, Some(bad)).unwrap_err().code, -32602, "{bad}");
        }
    }
}
