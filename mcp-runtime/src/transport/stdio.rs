//! The stdio transport: one JSON-RPC message per line on stdin, replies on stdout.
//!
//! Requests are handled concurrently: a slow tool does not hold up a fast one, and
//! replies are written as they finish. Logs never go to stdout. At end of input the
//! server answers what is still in flight, flushes, and returns.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::mpsc;

use crate::protocol::RpcError;
use crate::protocol::jsonrpc::error_message;
use crate::server::Server;
use crate::server::connection::Connection;
use crate::server::outbound::Outbound;

/// The longest line (one message) read from stdin: 16 MiB.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

impl Server {
    /// Serves this server on the process's stdin and stdout until stdin closes.
    ///
    /// ```no_run
    /// # #[tokio::main] async fn main() -> std::io::Result<()> {
    /// let server = mcp::Server::builder().registered_tools().build().expect("valid tools");
    /// server.serve_stdio().await
    /// # }
    /// ```
    pub async fn serve_stdio(self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let (input, output, _restorer) = super::stdio_pipes::open();
            self.serve_io(input, output).await
        }
        #[cfg(not(unix))]
        self.serve_io(tokio::io::stdin(), tokio::io::stdout()).await
    }

    /// Serves on any byte stream pair with stdio framing (a socket, a pipe, an
    /// in-memory duplex in tests) until `input` reaches its end.
    pub async fn serve_io<R, W>(self, input: R, output: W) -> io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (outbound, queue) = Outbound::channel();
        let writer = tokio::spawn(write_lines(output, queue));
        let connection = Connection::new(self, outbound.clone());
        let read = read_lines(input, &connection, &outbound).await;
        connection.finish().await;
        drop(connection);
        drop(outbound);
        let written = writer.await.map_err(io::Error::other)?;
        read.and(written)
    }
}

async fn read_lines<R: AsyncRead + Unpin>(
    input: R,
    connection: &Connection,
    outbound: &Outbound,
) -> io::Result<()> {
    let mut reader = BufReader::with_capacity(64 * 1024, input);
    let mut line = Vec::with_capacity(4096);
    loop {
        line.clear();
        match read_line(&mut reader, &mut line).await? {
            Line::End => return Ok(()),
            Line::TooLong => {
                let error = RpcError::invalid_request(&format!(
                    "message longer than {MAX_LINE_BYTES} bytes"
                ));
                outbound.send(error_message(None, &error)).await;
            }
            Line::Complete => {
                let message = line.trim_ascii();
                if !message.is_empty() {
                    connection.receive(message).await;
                }
            }
        }
    }
}

enum Line {
    Complete,
    TooLong,
    End,
}

/// Reads up to a newline, keeping at most [`MAX_LINE_BYTES`]; the rest of a longer line
/// is skipped.
async fn read_line<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    line: &mut Vec<u8>,
) -> io::Result<Line> {
    let mut too_long = false;
    loop {
        let buffer = reader.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(if too_long {
                Line::TooLong
            } else if line.is_empty() {
                Line::End
            } else {
                Line::Complete
            });
        }
        let (chunk, found_newline) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (buffer.get(..end).unwrap_or_default(), true),
            None => (buffer, false),
        };
        if !too_long && line.len() + chunk.len() <= MAX_LINE_BYTES {
            line.extend_from_slice(chunk);
        } else {
            too_long = true;
            line.clear();
        }
        let used = chunk.len() + usize::from(found_newline);
        reader.consume(used);
        if found_newline {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Complete
            });
        }
    }
}

/// Writes queued messages, one per line, flushing when the queue runs dry.
async fn write_lines<W: AsyncWrite + Unpin>(
    output: W,
    mut queue: mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    let mut writer = BufWriter::with_capacity(64 * 1024, output);
    while let Some(message) = queue.recv().await {
        write_line(&mut writer, &message).await?;
        while let Ok(message) = queue.try_recv() {
            write_line(&mut writer, &message).await?;
        }
        writer.flush().await?;
    }
    writer.flush().await
}

async fn write_line<W: AsyncWrite + Unpin>(writer: &mut W, message: &[u8]) -> io::Result<()> {
    writer.write_all(message).await?;
    writer.write_all(b"\n").await
}
