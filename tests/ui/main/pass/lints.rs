//! A crate that denies the lints careful users deny compiles warning-free with both
//! macros.
#![deny(missing_docs, unused_qualifications, unreachable_pub, unused_results, warnings)]
#![deny(non_snake_case, non_upper_case_globals, non_camel_case_types, dead_code)]

use mcp::Context;

/// Tools, publicly.
pub mod tools {
    use mcp::Context;

    /// Count to `to`.
    ///
    /// # Arguments
    /// * `to` - the number to count to
    #[mcp::tool(name = "countUp", title = "Count up", annotations(read_only))]
    pub async fn count(ctx: Context, to: u32) -> mcp::Result<u32> {
        ctx.progress(1.0, 1.0, None).await;
        Ok(to)
    }

    /// A name with `.` and `-`, and a header parameter.
    #[mcp::tool(name = "files.read-v2")]
    pub fn read(#[mcp(header = "Path")] path: String) -> String {
        path
    }
}

/// A private tool.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// A private tool with a context.
#[mcp::tool]
async fn wait(ctx: Context) {
    let _ = ctx;
}

#[mcp::main(name = "linted")]
async fn main() {}
