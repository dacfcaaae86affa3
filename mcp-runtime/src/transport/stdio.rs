//! The stdio transport: one JSON-RPC message per line on stdin, replies on stdout.
//!
//! Requests are handled concurrently: a slow tool does not hold up a fast one, and
//! replies are written as they finish. Logs never go to stdout. At end of input the
//! server answers what is still in flight (for at most [`StdioConfig::drain_timeout`],
//! then cancels the rest), flushes, and returns.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, BufWriter};
use tokio::sync::mpsc;

use crate::protocol::RpcError;
use crate::protocol::jsonrpc::error_message;
use crate::server::Server;
use crate::server::connection::Connection;
use crate::server::outbound::Outbound;

/// The longest line (one message) read from stdin: 16 MiB.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// How the stdio transport serves one client.
///
/// ```
/// let config = mcp::transport::stdio::StdioConfig::default();
/// assert_eq!(config.max_in_flight, 1024);
/// assert_eq!(config.drain_timeout, std::time::Duration::from_secs(30));
/// ```
#[derive(Clone, Debug)]
pub struct StdioConfig {
    /// Tool calls, resource reads and prompts running at once; beyond, new ones are
    /// answered at once with an error (`-32603`, "too many calls in flight").
    pub max_in_flight: usize,
    /// When input ends, how long calls still running may take to answer; then they
    /// are cancelled (their [`Context`](crate::Context) cancellation fires).
    pub drain_timeout: Duration,
}

impl Default for StdioConfig {
    fn default() -> Self {
        StdioConfig {
            max_in_flight: 1024,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

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
        self.serve_stdio_with(StdioConfig::default()).await
    }

    /// Like [`Server::serve_stdio`], with limits other than the defaults.
    pub async fn serve_stdio_with(self, config: StdioConfig) -> io::Result<()> {
        #[cfg(unix)]
        {
            let (input, output, _restorer) = super::stdio_pipes::open();
            self.serve_io_with(input, output, config).await
        }
        #[cfg(not(unix))]
        self.serve_io_with(tokio::io::stdin(), tokio::io::stdout(), config)
            .await
    }

    /// Serves on any byte stream pair with stdio framing (a socket, a pipe, an
    /// in-memory duplex in tests) until `input` reaches its end.
    ///
    /// One task reads the input and writes the output: a reply that is ready at once (a
    /// list, a synchronous tool) is written straight away, after any notification the
    /// call queued before it; replies of calls still running arrive through a queue.
    /// Output is flushed whenever no more input is waiting.
    pub async fn serve_io<R, W>(self, input: R, output: W) -> io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        self.serve_io_with(input, output, StdioConfig::default())
            .await
    }

    /// Like [`Server::serve_io`], with limits other than the defaults.
    pub async fn serve_io_with<R, W>(
        self,
        input: R,
        output: W,
        config: StdioConfig,
    ) -> io::Result<()>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (outbound, mut queue) = Outbound::channel();
        let connection = Connection::new(self, outbound, config.max_in_flight);
        let mut reader = BufReader::with_capacity(64 * 1024, input);
        let mut writer = BufWriter::with_capacity(64 * 1024, output);
        let mut line = LineBuffer::default();
        let read = loop {
            tokio::select! {
                biased;
                Some(message) = queue.recv() => {
                    write_line(&mut writer, &message).await?;
                    write_queued(&mut writer, &mut queue).await?;
                    writer.flush().await?;
                }
                read = line.read(&mut reader) => match read {
                    Err(error) => break Err(error),
                    Ok(Line::End) => break Ok(()),
                    Ok(Line::TooLong) => {
                        let error = RpcError::invalid_request(&format!(
                            "message longer than {MAX_LINE_BYTES} bytes"
                        ));
                        let reply = error_message(None, connection.unread_id(), &error);
                        write_line(&mut writer, &reply).await?;
                    }
                    Ok(Line::Complete) => {
                        let message = line.text();
                        let message = message.trim_ascii();
                        if !message.is_empty()
                            && let Some(reply) = connection.receive(message)
                        {
                            write_queued(&mut writer, &mut queue).await?;
                            write_line(&mut writer, &reply).await?;
                        }
                        if reader.buffer().is_empty() {
                            writer.flush().await?;
                        }
                    }
                },
            }
        };
        // Input ended (or failed): answer what is still running, then stop. Each reply
        // is flushed at once: the client may be reading still.
        connection.close();
        writer.flush().await?;
        let finished = connection.finished();
        let drained = tokio::time::sleep(config.drain_timeout);
        tokio::pin!(finished, drained);
        let mut cancelled = false;
        loop {
            tokio::select! {
                biased;
                Some(message) = queue.recv() => {
                    write_line(&mut writer, &message).await?;
                    writer.flush().await?;
                }
                () = &mut finished => break,
                () = &mut drained, if !cancelled => {
                    tracing::warn!(
                        timeout = ?config.drain_timeout,
                        "input ended; cancelling the calls still running"
                    );
                    connection.cancel_all();
                    cancelled = true;
                }
            }
        }
        write_queued(&mut writer, &mut queue).await?;
        writer.flush().await?;
        read
    }
}

/// Writes every message already queued.
async fn write_queued<W: AsyncWrite + Unpin>(
    writer: &mut W,
    queue: &mut mpsc::Receiver<Vec<u8>>,
) -> io::Result<()> {
    while let Ok(message) = queue.try_recv() {
        write_line(writer, &message).await?;
    }
    Ok(())
}

enum Line {
    Complete,
    TooLong,
    End,
}

/// One line being read. Its state lives here, not in the reading future, so a read
/// that loses a `select!` to an outgoing message resumes where it stopped.
#[derive(Default)]
struct LineBuffer {
    bytes: Vec<u8>,
    /// The line passed [`MAX_LINE_BYTES`]: its bytes are skipped up to the newline.
    too_long: bool,
    /// A whole line is in `bytes`, read by [`LineBuffer::text`].
    complete: bool,
}

impl LineBuffer {
    /// Reads up to a newline, keeping at most [`MAX_LINE_BYTES`]; the rest of a longer
    /// line is skipped. Cancel-safe.
    async fn read<R: AsyncRead + Unpin>(&mut self, reader: &mut BufReader<R>) -> io::Result<Line> {
        if self.complete {
            self.bytes.clear();
            self.complete = false;
        }
        loop {
            let buffer = reader.fill_buf().await?;
            if buffer.is_empty() {
                let line = if self.too_long {
                    Line::TooLong
                } else if self.bytes.is_empty() {
                    Line::End
                } else {
                    Line::Complete
                };
                self.too_long = false;
                self.complete = true;
                return Ok(line);
            }
            let (chunk, found_newline) = match memchr::memchr(b'\n', buffer) {
                Some(end) => (buffer.get(..end).unwrap_or_default(), true),
                None => (buffer, false),
            };
            if !self.too_long && self.bytes.len() + chunk.len() <= MAX_LINE_BYTES {
                self.bytes.extend_from_slice(chunk);
            } else {
                self.too_long = true;
                self.bytes.clear();
            }
            let used = chunk.len() + usize::from(found_newline);
            reader.consume(used);
            if found_newline {
                let line = if self.too_long {
                    Line::TooLong
                } else {
                    Line::Complete
                };
                self.too_long = false;
                self.complete = true;
                return Ok(line);
            }
        }
    }

    /// The line just read (valid until the next [`LineBuffer::read`]).
    fn text(&self) -> &[u8] {
        &self.bytes
    }
}

async fn write_line<W: AsyncWrite + Unpin>(writer: &mut W, message: &[u8]) -> io::Result<()> {
    writer.write_all(message).await?;
    writer.write_all(b"\n").await
}
