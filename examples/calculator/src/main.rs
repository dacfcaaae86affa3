//! The calculator: the example the README starts with.
//!
//! Run with: `cargo run -p calculator` (stdio; try `--help`).

use std::time::Duration;

use mcp::Context;

/// Add two numbers.
///
/// # Arguments
/// * `a` - the first addend
/// * `b` - the second addend
#[mcp::tool(annotations(read_only, idempotent))]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

/// Divide `a` by `b`.
///
/// # Arguments
/// * `a` - the dividend
/// * `b` - the divisor; must not be zero
#[mcp::tool(annotations(read_only, idempotent))]
fn divide(a: f64, b: f64) -> Result<f64, String> {
    if b == 0.0 {
        return Err(format!("cannot divide {a} by zero"));
    }
    Ok(a / b)
}

/// Count from 1 to `to`, one step every 50 ms, reporting progress at each step.
///
/// # Arguments
/// * `to` - the number to count to
#[mcp::tool(annotations(read_only))]
async fn count(ctx: Context, to: u32) -> u32 {
    for step in 1..=to {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let message = format!("counted to {step}");
        ctx.progress(f64::from(step), f64::from(to), message.as_str())
            .await;
    }
    to
}

#[mcp::main(name = "calculator", transport = "stdio")]
async fn main() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_stay_callable_as_plain_functions() {
        assert_eq!(add(2.0, 0.5), 2.5);
        assert_eq!(divide(6.0, 3.0), Ok(2.0));
        assert!(divide(1.0, 0.0).is_err());
    }

    #[tokio::test]
    async fn count_returns_its_target() {
        assert_eq!(count(Context::detached(), 2).await, 2);
    }

    fn server() -> mcp::Server {
        mcp::Server::builder()
            .registered()
            .build()
            .expect("valid tools")
    }

    #[tokio::test]
    async fn the_server_serves_every_tool_in_process() {
        let mut client = mcp::testing::Client::new(server());
        let tools = client.list_tools().await.unwrap();
        let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
        assert_eq!(names, ["add", "count", "divide"]);
        let sum = client
            .call_tool("add", serde_json::json!({"a": 2, "b": 0.5}))
            .await
            .unwrap();
        assert_eq!(sum.text(), "2.5");
        let zero = client
            .call_tool("divide", serde_json::json!({"a": 1, "b": 0}))
            .await
            .unwrap();
        assert!(zero.is_error, "{zero:?}");
    }

    #[tokio::test]
    async fn count_reports_progress_to_a_legacy_client_too() {
        let version = mcp::ProtocolVersion::V2025_03_26;
        let mut client = mcp::testing::Client::legacy(server(), version)
            .await
            .unwrap();
        let counted = client
            .call_tool("count", serde_json::json!({"to": 3}))
            .await
            .unwrap();
        assert_eq!(counted.text(), "3");
        let progress: Vec<f64> = counted
            .notifications
            .iter()
            .filter(|n| n["method"] == "notifications/progress")
            .filter_map(|n| n["params"]["progress"].as_f64())
            .collect();
        assert_eq!(progress, [1.0, 2.0, 3.0]);
    }
}
