//! Transports: how messages reach a [`Server`](crate::Server).
//!
//! - [`stdio`]: newline-delimited JSON-RPC on standard input and output.
//! - `http` (feature `http`, on by default): Streamable HTTP, HTTP+SSE, health, auth.

#[cfg(feature = "http")]
pub mod http;
pub mod stdio;
#[cfg(unix)]
mod stdio_pipes;

use std::fmt;
use std::str::FromStr;

/// The transports a server can be started with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// Standard input and output, for clients that start the server as a subprocess.
    Stdio,
    /// HTTP on a port, for remote clients.
    Http,
}

impl TransportKind {
    /// Every transport, in the order `--help` lists them.
    pub const ALL: [TransportKind; 2] = [TransportKind::Stdio, TransportKind::Http];

    /// The name used on the command line and in `#[mcp::main(transport = "...")]`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TransportKind::Stdio => "stdio",
            TransportKind::Http => "http",
        }
    }
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TransportKind {
    type Err = String;

    fn from_str(text: &str) -> Result<TransportKind, String> {
        TransportKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                let valid: Vec<_> = TransportKind::ALL
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect();
                format!(
                    "unknown transport `{text}`; expected one of {}",
                    valid.join(", ")
                )
            })
    }
}
