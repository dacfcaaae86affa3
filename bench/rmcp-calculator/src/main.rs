//! `rmcp-calculator`: a benchmark peer, the calculator (`add`, `divide`,
//! `count`) written with the official Rust MCP SDK, `rmcp` 3.11.0, the way its
//! README and examples show: `#[tool_router]` / `#[tool]` / `#[tool_handler]`,
//! `serve(stdio())`, and `StreamableHttpService` mounted on axum.
//!
//! The benchmark in `bench/` compares our `mcp` framework against it. HTTP
//! uses the configuration rmcp's README gives for stateless serving:
//! `legacy_session_mode(false)` and `json_response(true)`, so a call that
//! sends no progress is answered with one `application/json` body.
//! `2026-07-28` requests need no `initialize` on either transport.
//!
//! Usage: `rmcp-calculator --transport stdio|http [--bind 127.0.0.1:8000]`

#[path = "../../common/peer_args.rs"]
mod peer_args;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use peer_args::{Transport, parse_args};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{ProgressNotificationParam, RequestMetaObject};
use rmcp::transport::stdio;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{
    Peer, RoleServer, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router,
};

const USAGE: &str = "usage: rmcp-calculator --transport stdio|http [--bind 127.0.0.1:PORT]";

/// Arguments of `add`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct AddArguments {
    /// the first addend
    a: f64,
    /// the second addend
    b: f64,
}

/// Arguments of `divide`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct DivideArguments {
    /// the dividend
    a: f64,
    /// the divisor; must not be zero
    b: f64,
}

/// Arguments of `count`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CountArguments {
    /// the number to count to
    to: u32,
}

/// The calculator's tools. Cheap to clone: the HTTP service makes one per
/// request, and they all share one router.
#[derive(Clone)]
struct Calculator {
    tool_router: Arc<ToolRouter<Self>>,
}

#[tool_router]
impl Calculator {
    fn new() -> Self {
        Self {
            tool_router: Arc::new(Self::tool_router()),
        }
    }

    /// Add two numbers.
    #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
    fn add(&self, Parameters(AddArguments { a, b }): Parameters<AddArguments>) -> String {
        (a + b).to_string()
    }

    /// Divide `a` by `b`.
    #[tool(annotations(read_only_hint = true, idempotent_hint = true))]
    fn divide(
        &self,
        Parameters(DivideArguments { a, b }): Parameters<DivideArguments>,
    ) -> Result<String, String> {
        if b == 0.0 {
            return Err(format!("cannot divide {a} by zero"));
        }
        Ok((a / b).to_string())
    }

    /// Count from 1 to `to`, one step every 50 ms, reporting progress at each step.
    #[tool(annotations(read_only_hint = true))]
    async fn count(
        &self,
        Parameters(CountArguments { to }): Parameters<CountArguments>,
        meta: RequestMetaObject,
        client: Peer<RoleServer>,
    ) -> String {
        let progress_token = meta.get_progress_token();
        for step in 1..=to {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Some(token) = &progress_token {
                let progress = ProgressNotificationParam::new(token.clone(), f64::from(step))
                    .with_total(f64::from(to))
                    .with_message(format!("counted to {step}"));
                // A client that went away just misses the notification.
                let _ = client.notify_progress(progress).await;
            }
        }
        to.to_string()
    }
}

#[tool_handler(router = self.tool_router, name = "calculator", version = "0.1.0")]
impl ServerHandler for Calculator {}

/// Serves stdin/stdout until stdin closes.
async fn serve_stdio() -> Result<(), Box<dyn std::error::Error>> {
    Calculator::new().serve(stdio()).await?.waiting().await?;
    Ok(())
}

/// Serves Streamable HTTP at `/mcp` on `addr` until the process is stopped.
async fn serve_http(addr: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true);
    let calculator = Calculator::new();
    let service = StreamableHttpService::new(
        move || Ok(calculator.clone()),
        LocalSessionManager::default().into(),
        config,
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            eprintln!("rmcp-calculator: cannot set TCP_NODELAY: {error}");
        }
    });
    eprintln!("rmcp-calculator: listening on http://{addr}/mcp");
    axum::serve(listener, router).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match parse_args() {
        Ok(Transport::Stdio) => serve_stdio().await,
        Ok(Transport::Http(addr)) => serve_http(addr).await,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("rmcp-calculator: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rmcp-calculator: {error}");
            ExitCode::FAILURE
        }
    }
}
