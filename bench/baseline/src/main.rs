//! `baseline`: a benchmark peer, the calculator (`add`, `divide`, `count`)
//! written by hand as a lean MCP server with no MCP framework.
//!
//! It is the floor the benchmark in `bench/` measures our `mcp` framework
//! against: what a skilled engineer would write for these three tools alone.
//! Each request is parsed once into borrowed, typed structs; replies are
//! written with `serde_json` straight into the output buffer; the
//! `tools/list` and `server/discover` results are pre-serialised.
//!
//! It speaks only the stateless `2026-07-28` subset the benchmark uses (no
//! `initialize`; it neither needs nor checks the per-request `_meta` or the
//! HTTP `MCP-*` headers), and its replies are byte-for-byte those of
//! `examples/calculator`, `serverInfo` included.
//!
//! Usage: `baseline --transport stdio|http [--bind 127.0.0.1:8000]`
//!
//! * stdio: one JSON-RPC message per line in, one per line out.
//! * http: `POST /mcp`, replying `application/json` (or an SSE stream for a
//!   `count` call that asked for progress).

mod http;
#[path = "../../common/peer_args.rs"]
mod peer_args;
mod protocol;
mod stdio;

use std::process::ExitCode;

use peer_args::{Transport, parse_args};

const USAGE: &str = "usage: baseline --transport stdio|http [--bind 127.0.0.1:PORT]";

fn main() -> ExitCode {
    let transport = match parse_args() {
        Ok(transport) => transport,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("baseline: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = match transport {
        Transport::Stdio => stdio::serve(&runtime),
        Transport::Http(addr) => runtime.block_on(http::serve(addr)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("baseline: {error}");
            ExitCode::FAILURE
        }
    }
}
