//! Tools, resources and prompts register themselves at link time: `#[mcp::tool]` adds
//! its descriptor to [`TOOLS`], `#[mcp::resource]` to [`RESOURCES`], `#[mcp::prompt]` to
//! [`PROMPTS`], so a program needs no list of them.

use crate::completion::CompletionDef;
use crate::prompt::PromptDef;
use crate::resource::ResourceDef;
use crate::tool::ToolDef;

/// Every `#[mcp::tool]` descriptor linked into the program.
#[linkme::distributed_slice]
pub static TOOLS: [ToolDef];

/// The registered tools.
pub(crate) fn tools() -> &'static [ToolDef] {
    &TOOLS
}

/// Every `#[mcp::resource]` descriptor linked into the program.
#[linkme::distributed_slice]
pub static RESOURCES: [ResourceDef];

/// The registered resources.
pub(crate) fn resources() -> &'static [ResourceDef] {
    &RESOURCES
}

/// Every `#[mcp::prompt]` descriptor linked into the program.
#[linkme::distributed_slice]
pub static PROMPTS: [PromptDef];

/// The registered prompts.
pub(crate) fn prompts() -> &'static [PromptDef] {
    &PROMPTS
}

/// Every `#[mcp::complete]` descriptor linked into the program.
#[linkme::distributed_slice]
pub static COMPLETIONS: [CompletionDef];

/// The registered completers.
pub(crate) fn completions() -> &'static [CompletionDef] {
    &COMPLETIONS
}
