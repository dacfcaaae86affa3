//! Tools register themselves at link time: `#[mcp::tool]` adds its descriptor to
//! [`TOOLS`], so a program needs no list of its tools.

use crate::tool::ToolDef;

/// Every `#[mcp::tool]` descriptor linked into the program.
#[linkme::distributed_slice]
pub static TOOLS: [ToolDef];

/// The registered tools.
pub(crate) fn tools() -> &'static [ToolDef] {
    &TOOLS
}
