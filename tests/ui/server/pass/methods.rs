// Tools, a resource and a prompt as `&self` methods, sync and async, with `Context`,
// `Self` in a signature, a method without `self`, and a method with an icon and `_meta`.
use std::sync::Mutex;

#[derive(Default)]
struct Notes(Mutex<Vec<String>>);

#[mcp::server]
impl Notes {
    /// Add a note.
    #[tool]
    async fn add(&self, ctx: mcp::Context, text: String) -> usize {
        let _ = ctx.is_cancelled();
        let mut notes = self.0.lock().unwrap();
        notes.push(text);
        notes.len()
    }

    /// A fresh note book.
    #[tool(name = "fresh_count")]
    fn fresh() -> usize {
        Self::default().0.lock().unwrap().len()
    }

    /// Every note.
    #[resource(uri = "notes://all", icon = "https://example.com/notes.png", meta(kind = "notes"))]
    fn all(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }

    /// Summarize.
    #[prompt]
    fn summarize(&self, style: Option<String>) -> String {
        style.unwrap_or_default()
    }

    fn helper(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

fn main() {
    let notes = Notes::default();
    assert_eq!(notes.helper(), 0);
    assert_eq!(Notes::fresh(), 0);
}
