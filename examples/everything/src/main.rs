//! `everything`: the fixtures the official MCP conformance suite
//! (npm `@modelcontextprotocol/conformance`) expects of a server, as far as `mcp`
//! implements the features they exercise.
//!
//! Run with: `cargo run -p everything -- --transport http --bind 127.0.0.1:3000`, then
//! `npx @modelcontextprotocol/conformance server --url http://127.0.0.1:3000/mcp`.
//! `tests/e2e/test_conformance.py` does exactly that with the pinned suites.
//!
//! The fixtures are macro-registered functions: `#[mcp::tool]`s in [`tools`],
//! `#[mcp::resource]`s in [`resources`], `#[mcp::prompt]`s in [`prompts`],
//! `#[mcp::complete]` completers in [`completions`]; in [`input`] the tools and the
//! prompt that ask a 2026-07-28 client for input (multi round-trip requests: the
//! `test_input_required_result_*` tools, `test_input_required_result_prompt`,
//! `test_missing_capability` and `test_streaming_elicitation`), and in [`legacy_input`]
//! the tools that ask a 2025-era client for input with a server-to-client request
//! (`test_sampling`, `test_elicitation`, `test_elicitation_sep1034_defaults`,
//! `test_elicitation_sep1330_enums`). [`mcp::ServerBuilder::registered`] adds them all.
//! One tool is hand-written: `json_schema_2020_12_tool`, whose input schema must keep
//! `$schema`, which `#[mcp::tool]` schemas never carry. `#[mcp::main]` serves only what
//! registers itself, so `main` is written out too: it assembles the server with
//! [`mcp::Server::builder`] and parses its own command line (`--transport stdio|http`,
//! `--bind ADDR`, `MCP_AUTH_TOKEN`).
//!
//! Fixtures left out: prompts that change at run time (`test_trigger_prompt_change`; only
//! tools can be switched at run time) and SSE polling with stream resumption
//! (`test_reconnection`).
//! No server scenario the pinned suites run fails without them, so every
//! `tests/conformance/baseline-*.yml` is empty.

mod completions;
mod input;
mod legacy_input;
mod prompts;
mod resources;
mod tools;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use mcp::transport::http::{HttpConfig, TlsFiles, serve_http};

/// A 1x1 red PNG, base64-encoded (a tool, a resource and a prompt return it).
const RED_PIXEL_PNG: &str =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

/// The server: every macro-registered fixture, and the hand-written tool.
fn server() -> Result<mcp::Server, mcp::BuildError> {
    mcp::Server::builder()
        .name("everything")
        .version(env!("CARGO_PKG_VERSION"))
        .registered()
        .tool_def(&tools::JSON_SCHEMA_2020_12_TOOL)
        .build()
}

const USAGE: &str = "\
usage: everything [--transport stdio|http] [--bind ADDR] [--tls-cert PATH --tls-key PATH [--tls-client-ca PATH]]

  --transport      stdio (default) or http; env MCP_TRANSPORT
  --bind           the HTTP address (default 127.0.0.1:8080); env MCP_BIND
  --tls-cert       HTTPS: PEM certificate chain (with --tls-key)
  --tls-key        HTTPS: PEM private key
  --tls-client-ca  HTTPS: PEM CA certificates client certificates must chain to (mutual TLS)
  MCP_AUTH_TOKEN  a bearer token every HTTP request must carry (default: none, accepted on loopback addresses only)";

/// What the command line asked for.
struct Options {
    http: bool,
    bind: SocketAddr,
    tls: Option<TlsFiles>,
}

fn parse_options() -> Result<Options, String> {
    let mut transport = std::env::var("MCP_TRANSPORT").unwrap_or_else(|_| "stdio".into());
    let mut bind = std::env::var("MCP_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let (mut cert, mut key, mut client_ca) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--transport" => transport = value("--transport")?,
            "--bind" => bind = value("--bind")?,
            "--tls-cert" => cert = Some(PathBuf::from(value("--tls-cert")?)),
            "--tls-key" => key = Some(PathBuf::from(value("--tls-key")?)),
            "--tls-client-ca" => client_ca = Some(PathBuf::from(value("--tls-client-ca")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let http = match transport.as_str() {
        "stdio" => false,
        "http" => true,
        other => return Err(format!("unknown transport `{other}`: use stdio or http")),
    };
    let bind = bind
        .parse()
        .map_err(|error| format!("invalid --bind address `{bind}`: {error}"))?;
    let tls = match (cert, key) {
        (Some(cert), Some(key)) => Some(TlsFiles {
            cert,
            key,
            client_ca,
        }),
        (None, None) if client_ca.is_none() => None,
        _ => {
            return Err(
                "--tls-cert and --tls-key go together, and --tls-client-ca needs both".into(),
            );
        }
    };
    Ok(Options { http, bind, tls })
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Logs (among them the `serving MCP at ...` line) go to stderr: stdout is the stdio
    // channel.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let server = match server() {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        if options.http {
            let mut config = HttpConfig::new(options.bind);
            config.tls = options.tls;
            if let Ok(token) = std::env::var("MCP_AUTH_TOKEN") {
                config.tokens = mcp::transport::http::Tokens::single("default", &token);
            }
            serve_http(server, config).await
        } else {
            server.serve_stdio().await
        }
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use mcp::testing::Client;
    use serde_json::json;

    use super::*;

    #[test]
    fn the_server_builds_with_every_fixture() {
        let server = server().expect("a valid server");
        assert_eq!(server.info().name, "everything");
    }

    #[tokio::test]
    async fn every_fixture_is_served() {
        let mut client = Client::new(server().expect("a valid server"));
        let tools = client.list_tools().await.unwrap();
        assert_eq!(tools.len(), 28);
        for name in ["json_schema_2020_12_tool", "whoami"] {
            assert!(tools.iter().any(|tool| tool["name"] == name), "{name}");
        }
        let uris: Vec<_> = client
            .list_resources()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r["uri"].clone())
            .collect();
        assert_eq!(
            uris,
            [
                "test://static-binary",
                "test://static-text",
                "test://watched-resource"
            ]
        );
        let templates = client.list_resource_templates().await.unwrap();
        assert_eq!(
            templates,
            [json!({
                "uriTemplate": "test://template/{id}/data",
                "name": "template-data",
                "title": "Template resource",
                "description": "A resource template whose `id` is substituted into the data",
                "mimeType": "application/json"
            })]
        );
        let prompts: Vec<_> = client
            .list_prompts()
            .await
            .unwrap()
            .into_iter()
            .map(|p| p["name"].clone())
            .collect();
        assert_eq!(
            prompts,
            [
                "test_input_required_result_prompt",
                "test_prompt_with_arguments",
                "test_prompt_with_embedded_resource",
                "test_prompt_with_image",
                "test_simple_prompt"
            ]
        );
    }

    #[tokio::test]
    async fn resources_prompts_and_completers_answer_as_the_scenarios_expect() {
        let mut client = Client::new(server().expect("a valid server"));
        let data = client
            .read_resource("test://template/42/data")
            .await
            .unwrap();
        assert_eq!(data[0]["mimeType"], "application/json");
        let text: serde_json::Value =
            serde_json::from_str(data[0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(
            text,
            json!({"id": "42", "templateTest": true, "data": "Data for ID: 42"})
        );
        let binary = client.read_resource("test://static-binary").await.unwrap();
        assert_eq!(binary[0]["blob"], RED_PIXEL_PNG);
        // The image fixtures show the image as their icon, and name their scenario.
        let icon = json!([{
            "src": format!("data:image/png;base64,{RED_PIXEL_PNG}"),
            "mimeType": "image/png",
            "sizes": ["1x1"]
        }]);
        let tools = client.list_tools().await.unwrap();
        let resources = client.list_resources().await.unwrap();
        let prompts = client.list_prompts().await.unwrap();
        for (list, name, scenario) in [
            (&tools, "test_image_content", "tools-call-image"),
            (&resources, "static-binary", "resources-read-binary"),
            (&prompts, "test_prompt_with_image", "prompts-get-with-image"),
        ] {
            let item = list.iter().find(|item| item["name"] == name).unwrap();
            assert_eq!(item["icons"], icon, "{name}");
            assert_eq!(item["_meta"], json!({"com.example/scenario": scenario}));
        }
        let messages = client
            .get_prompt(
                "test_prompt_with_embedded_resource",
                json!({"resourceUri": "test://x"}),
            )
            .await
            .unwrap();
        assert_eq!(messages[0]["content"]["resource"]["uri"], "test://x");
        let completed = client
            .request(
                "completion/complete",
                json!({
                    "ref": {"type": "ref/prompt", "name": "test_prompt_with_arguments"},
                    "argument": {"name": "arg2", "value": "par"}
                }),
            )
            .await
            .unwrap();
        assert_eq!(
            completed["completion"]["values"],
            json!(["paris", "park", "party"])
        );
    }
}
