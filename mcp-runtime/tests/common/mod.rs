//! An in-process client for the integration tests.
#![allow(dead_code)]

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines};

/// A client speaking stdio framing to an in-process server over a duplex pipe.
pub(crate) struct Client {
    writer: DuplexStream,
    lines: Lines<BufReader<DuplexStream>>,
}

impl Client {
    /// Serves `server` and connects to it.
    pub(crate) fn start(server: mcp::Server) -> Client {
        let (writer, server_input) = tokio::io::duplex(1 << 20);
        let (server_output, reader) = tokio::io::duplex(1 << 20);
        tokio::spawn(server.serve_io(server_input, server_output));
        Client {
            writer,
            lines: BufReader::new(reader).lines(),
        }
    }

    /// Sends one message.
    pub(crate) async fn send(&mut self, message: Value) {
        let mut line = message.to_string();
        line.push('\n');
        self.writer.write_all(line.as_bytes()).await.unwrap();
    }

    /// The next message from the server (5 s at most).
    pub(crate) async fn next(&mut self) -> Value {
        let line = tokio::time::timeout(std::time::Duration::from_secs(5), self.lines.next_line())
            .await
            .expect("a reply within 5 s")
            .unwrap()
            .expect("the server is still connected");
        serde_json::from_str(&line).unwrap()
    }

    /// A 2026-07-28 request and its reply (the next message).
    pub(crate) async fn call(&mut self, id: u64, method: &str, params: Value) -> Value {
        let mut params = params;
        params["_meta"] = json!({
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {}
        });
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        self.next().await
    }
}

impl Client {
    /// Closes the client's end: the server sees end of input.
    pub(crate) fn close(&mut self) {
        let (replacement, _) = tokio::io::duplex(1);
        drop(std::mem::replace(&mut self.writer, replacement));
    }

    /// Performs a legacy `initialize` handshake at `version`.
    pub(crate) async fn initialize(&mut self, version: &str) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}
        }}))
        .await;
        let reply = self.next().await;
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        reply
    }
}
