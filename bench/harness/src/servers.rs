//! The servers under test: what to launch, how to talk to each, and starting
//! and stopping them.

use std::fs::File;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde::Serialize;
use tokio::process::{Child, Command};

use crate::measure::Pinning;
use crate::protocol::Protocol;

/// The transport a server is started on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    /// JSON lines over the child's stdin/stdout.
    Stdio,
    /// Streamable HTTP on a loopback port.
    Http,
}

impl Transport {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Stdio => "stdio",
            Transport::Http => "http",
        }
    }
}

/// One server under test.
#[derive(Debug, Clone, Serialize)]
pub struct ServerSpec {
    /// Short name used in reports (`calculator`, `baseline`, `rmcp`).
    pub name: String,
    /// The release binary.
    pub binary: PathBuf,
    /// How clients must talk to it.
    pub protocol: Protocol,
    /// Arguments that start it on stdio.
    pub stdio_args: Vec<String>,
    /// Arguments that start it on HTTP; `{addr}` stands for the address.
    pub http_args: Vec<String>,
    /// The HTTP path of the MCP endpoint.
    pub http_path: String,
}

impl ServerSpec {
    /// The three servers, with binaries where `bench/run` builds them.
    pub fn defaults(main_dir: &Path, bench_dir: &Path) -> Vec<ServerSpec> {
        let strings = |args: &[&str]| args.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        vec![
            ServerSpec {
                name: "calculator".into(),
                binary: main_dir.join("target/release/calculator"),
                protocol: Protocol::Modern,
                stdio_args: strings(&["--transport", "stdio"]),
                http_args: strings(&[
                    "--transport",
                    "http",
                    "--bind",
                    "{addr}",
                    "--insecure-no-auth",
                ]),
                http_path: "/mcp".into(),
            },
            ServerSpec {
                name: "baseline".into(),
                binary: bench_dir.join("target/release/baseline"),
                protocol: Protocol::Modern,
                stdio_args: strings(&["--transport", "stdio"]),
                http_args: strings(&["--transport", "http", "--bind", "{addr}"]),
                http_path: "/mcp".into(),
            },
            ServerSpec {
                name: "rmcp".into(),
                binary: bench_dir.join("target/release/rmcp-calculator"),
                // rmcp 3.11 serves 2026-07-28 statelessly (bench/PEERS.md).
                protocol: Protocol::Modern,
                stdio_args: strings(&["--transport", "stdio"]),
                http_args: strings(&["--transport", "http", "--bind", "{addr}"]),
                http_path: "/mcp".into(),
            },
        ]
    }

    /// Size of the binary in bytes.
    pub fn binary_size(&self) -> io::Result<u64> {
        Ok(std::fs::metadata(&self.binary)?.len())
    }
}

/// A running server.
#[derive(Debug)]
pub struct Launched {
    /// The child process (its stdin/stdout are piped on stdio).
    pub child: Child,
    /// Its process id.
    pub pid: u32,
    /// Where it listens, on HTTP.
    pub addr: Option<SocketAddr>,
}

/// Starts `spec` on `transport`, pinned to the server CPU, its stderr going
/// to `log_dir/<name>-<transport>.log`.
pub fn spawn(
    spec: &ServerSpec,
    transport: Transport,
    pinning: &Pinning,
    log_dir: &Path,
) -> io::Result<Launched> {
    let mut command = Command::new(&spec.binary);
    let addr = match transport {
        Transport::Stdio => {
            command.args(&spec.stdio_args);
            command.stdin(Stdio::piped()).stdout(Stdio::piped());
            None
        }
        Transport::Http => {
            let addr = free_loopback_addr()?;
            let addr_text = addr.to_string();
            command.args(
                spec.http_args
                    .iter()
                    .map(|a| a.replace("{addr}", &addr_text)),
            );
            command.stdin(Stdio::null()).stdout(Stdio::null());
            Some(addr)
        }
    };
    let log = File::create(log_dir.join(format!("{}-{}.log", spec.name, transport.as_str())))?;
    command
        .stderr(log)
        .env_remove("RUST_LOG")
        .kill_on_drop(true);
    pinning.apply_server(&mut command);
    let child = command.spawn().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot start {}: {e}", spec.binary.display()),
        )
    })?;
    let pid = child
        .id()
        .ok_or_else(|| io::Error::other("the server exited at once"))?;
    Ok(Launched { child, pid, addr })
}

/// Stops a server: SIGKILL, then reaps it.
pub async fn stop(mut launched: Launched) {
    let _ = launched.child.start_kill();
    let _ = tokio::time::timeout(Duration::from_secs(5), launched.child.wait()).await;
}

/// A loopback address with a port that was free a moment ago.
fn free_loopback_addr() -> io::Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.local_addr()
}
