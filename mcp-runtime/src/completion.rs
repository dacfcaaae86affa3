//! Argument completion: suggestions for a prompt argument or a resource template
//! variable as the user types (`completion/complete`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// The future a completer returns: suggestions, best first.
pub type CompleteFuture = Pin<Box<dyn Future<Output = Vec<String>> + Send + 'static>>;

/// What a completer completes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionRef {
    /// An argument of the prompt with this name.
    Prompt(&'static str),
    /// A variable of the resource template with this URI template.
    Resource(&'static str),
}

/// The descriptor of one completer.
#[derive(Debug)]
pub struct CompletionDef {
    /// The prompt or resource template.
    pub reference: CompletionRef,
    /// The argument (or template variable) it completes.
    pub argument: &'static str,
    /// Produces suggestions.
    pub complete: fn(CompleteCall) -> CompleteFuture,
    /// Where it is defined (`file:line`).
    pub location: &'static str,
}

/// One completion request: what the user typed so far, and the other arguments.
#[derive(Clone, Debug, Default)]
pub struct CompleteCall {
    /// The partial value.
    pub value: String,
    /// Arguments (or variables) already resolved, by name.
    pub arguments: HashMap<String, String>,
}

impl CompleteCall {
    /// The suggestions among `candidates` that start with the typed value (ignoring case).
    ///
    /// ```
    /// let call = mcp::CompleteCall { value: "Ru".into(), ..Default::default() };
    /// assert_eq!(call.filter(["rust", "ruby", "go"]), ["rust", "ruby"]);
    /// ```
    pub fn filter<'a>(&self, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let typed = self.value.to_lowercase();
        candidates
            .into_iter()
            .filter(|candidate| candidate.to_lowercase().starts_with(&typed))
            .map(str::to_owned)
            .collect()
    }
}
