//! The completers (scenario `completion-complete`): `#[mcp::complete]` functions that
//! suggest the candidates starting with what the user typed, ignoring case.

use mcp::CompleteCall;

/// What `arg1` and `arg2` of `test_prompt_with_arguments` may be.
const PROMPT_ARGUMENT_VALUES: [&str; 5] = ["paris", "park", "party", "test", "testing"];

/// Suggestions for `arg1` of `test_prompt_with_arguments`.
#[mcp::complete(prompt = "test_prompt_with_arguments", argument = "arg1")]
fn complete_arg1(call: CompleteCall) -> Vec<String> {
    call.filter(PROMPT_ARGUMENT_VALUES)
}

/// Suggestions for `arg2` of `test_prompt_with_arguments`.
#[mcp::complete(prompt = "test_prompt_with_arguments", argument = "arg2")]
fn complete_arg2(call: CompleteCall) -> Vec<String> {
    call.filter(PROMPT_ARGUMENT_VALUES)
}

/// Suggestions for `id` of `test://template/{id}/data`.
#[mcp::complete(resource = "test://template/{id}/data", argument = "id")]
fn complete_template_id(call: CompleteCall) -> Vec<String> {
    call.filter(["1", "2", "3", "42", "123"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(value: &str) -> CompleteCall {
        CompleteCall {
            value: value.to_owned(),
            ..CompleteCall::default()
        }
    }

    #[test]
    fn completers_filter_by_prefix_ignoring_case() {
        assert_eq!(complete_arg1(typed("PA")), ["paris", "park", "party"]);
        assert_eq!(complete_arg2(typed("test")), ["test", "testing"]);
        assert_eq!(complete_template_id(typed("1")), ["1", "123"]);
    }
}
