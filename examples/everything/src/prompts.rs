//! The prompts: `#[mcp::prompt]` functions. Each doc comment is the description clients
//! see, so the scenario each one serves is noted in a plain comment above it.

use mcp::{Content, PromptMessage};

use crate::RED_PIXEL_PNG;

// Scenario `prompts-get-simple`.
/// A simple prompt without arguments
#[mcp::prompt(title = "Simple prompt")]
fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

// Scenario `prompts-get-with-args`; both arguments have completers in `completions.rs`.
/// A prompt with two required arguments
///
/// # Arguments
/// * `arg1` - First test argument
/// * `arg2` - Second test argument
#[mcp::prompt(title = "Prompt with arguments")]
fn test_prompt_with_arguments(arg1: String, arg2: String) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

// Scenario `prompts-get-embedded-resource`. The argument's name on the wire is
// camelCase, and a parameter's name is its argument's name.
/// A prompt that embeds the resource it is given
///
/// # Arguments
/// * `resourceUri` - URI of the resource to embed
#[mcp::prompt(title = "Prompt with an embedded resource")]
#[allow(non_snake_case)]
fn test_prompt_with_embedded_resource(resourceUri: String) -> Vec<PromptMessage> {
    vec![
        PromptMessage::user(Content::embedded_text(
            resourceUri,
            "text/plain",
            "Embedded resource content for testing.",
        )),
        PromptMessage::user("Please process the embedded resource above."),
    ]
}

// Scenario `prompts-get-with-image`; the image is its icon too.
/// A prompt with an image
#[mcp::prompt(
    title = "Prompt with an image",
    icon(src = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", mime = "image/png", sizes = ["1x1"]),
    meta("com.example/scenario" = "prompts-get-with-image")
)]
fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![
        PromptMessage::user(Content::image(RED_PIXEL_PNG, "image/png")),
        PromptMessage::user("Please analyze the image above."),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_stay_callable_as_plain_functions() {
        assert_eq!(test_simple_prompt(), "This is a simple prompt for testing.");
        assert_eq!(
            test_prompt_with_arguments("a".into(), "b".into()),
            "Prompt with arguments: arg1='a', arg2='b'"
        );
        assert_eq!(
            test_prompt_with_embedded_resource("test://x".into()).len(),
            2
        );
        assert_eq!(test_prompt_with_image().len(), 2);
    }
}
