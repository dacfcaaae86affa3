//! A crate that denies clippy's pedantic lints (and rustc's stricter ones) uses both
//! macros without a warning.
#![deny(clippy::pedantic, clippy::nursery)]
#![deny(missing_docs, unused_qualifications, unreachable_pub, unused_results, warnings)]

use mcp::Context;

/// Public tools.
pub mod tools {
    use mcp::Context;

    /// Count to `to`.
    ///
    /// # Arguments
    /// * `to` - the number to count to
    ///
    /// # Errors
    /// Never.
    #[mcp::tool(name = "countUp", title = "Count up", annotations(read_only))]
    pub async fn count(ctx: Context, to: u32, limit: Option<u32>) -> mcp::Result<u32> {
        ctx.progress(1.0, 1.0, None).await;
        Ok(limit.unwrap_or(to))
    }

    /// Read a file.
    #[mcp::tool(name = "files.read-v2")]
    #[must_use]
    pub fn read(#[mcp(header = "Path")] path: String, offset: Option<u64>) -> String {
        format!("{path}@{}", offset.unwrap_or_default())
    }
}

/// Add two numbers.
#[mcp::tool]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Wait for nothing.
#[mcp::tool]
async fn wait(ctx: Context) {
    let _ = ctx;
}

#[mcp::main(name = "pedantic")]
async fn main() {}
