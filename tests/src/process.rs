//! A line client for a server child process spoken to over stdio.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long to wait for a server message before failing the test.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why no message could be received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecvError {
    /// Nothing arrived within the timeout.
    Timeout(Duration),
    /// The server closed its standard output.
    Eof,
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(timeout) => write!(f, "no message within {timeout:?}"),
            Self::Eof => f.write_str("the server closed its stdout"),
        }
    }
}

impl std::error::Error for RecvError {}

/// A server child process spoken to over stdio, one JSON-RPC message per line.
///
/// Standard output is read by a background thread; standard error is captured and
/// shown in failure messages. Every wait has a timeout, so a silent server fails the
/// test instead of hanging it. Dropping the value kills a process still running.
pub struct McpProcess {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    stderr_reader: Option<thread::JoinHandle<()>>,
    stdout_closed: bool,
    timeout: Duration,
}

impl McpProcess {
    /// Starts `program` with piped stdin, stdout and stderr.
    ///
    /// # Errors
    ///
    /// Returns the error of spawning the process.
    pub fn spawn(program: &Path) -> std::io::Result<Self> {
        Self::spawn_command(Command::new(program))
    }

    /// Starts `command` (a program with its arguments and environment) with piped stdin,
    /// stdout and stderr.
    ///
    /// # Errors
    ///
    /// Returns the error of spawning the process.
    pub fn spawn_command(mut command: Command) -> std::io::Result<Self> {
        let program = Path::new(command.get_program()).to_path_buf();
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr_pipe = child.stderr.take().expect("stderr is piped");

        let (sender, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if sender.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });

        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let stderr_reader = thread::spawn(move || {
            let mut buffer = [0_u8; 4096];
            loop {
                match stderr_pipe.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .push_str(&String::from_utf8_lossy(&buffer[..n])),
                }
            }
        });

        Ok(Self {
            name: program.file_name().map_or_else(
                || program.display().to_string(),
                |name| name.to_string_lossy().into_owned(),
            ),
            child,
            stdin,
            lines,
            stderr,
            stderr_reader: Some(stderr_reader),
            stdout_closed: false,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Sets how long [`McpProcess::recv`] and friends wait (default [`DEFAULT_TIMEOUT`]).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// What the server wrote to its standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A description of the process for failure messages, with the tail of its stderr.
    pub fn describe(&self) -> String {
        let stderr = self.stderr();
        let tail: String = {
            let lines: Vec<&str> = stderr.lines().collect();
            lines[lines.len().saturating_sub(40)..].join("\n")
        };
        format!(
            "server `{}` (pid {}); last lines of its stderr:\n{}",
            self.name,
            self.child.id(),
            if tail.is_empty() { "(empty)" } else { &tail }
        )
    }

    /// Writes `line` (which must not contain a newline) followed by `\n` to stdin.
    ///
    /// # Panics
    ///
    /// Panics if stdin was closed or the write fails.
    #[track_caller]
    pub fn send_line(&mut self, line: &str) {
        assert!(
            !line.contains('\n'),
            "a stdio message must not contain a newline"
        );
        let description = self.describe();
        let stdin = self
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("stdin is already closed; {description}"));
        let result = stdin
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| stdin.flush());
        if let Err(error) = result {
            panic!(
                "cannot write to the server's stdin: {error}; {}",
                self.describe()
            );
        }
    }

    /// Writes `bytes` to stdin exactly as given: no newline added, any bytes allowed (for
    /// input that is not UTF-8, or a line cut short).
    ///
    /// # Panics
    ///
    /// Panics if stdin was closed or the write fails.
    #[track_caller]
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let description = self.describe();
        let stdin = self
            .stdin
            .as_mut()
            .unwrap_or_else(|| panic!("stdin is already closed; {description}"));
        if let Err(error) = stdin.write_all(bytes).and_then(|()| stdin.flush()) {
            panic!(
                "cannot write to the server's stdin: {error}; {}",
                self.describe()
            );
        }
    }

    /// Sends `message` as one line of JSON.
    pub fn send(&mut self, message: &Value) {
        self.send_line(&message.to_string());
    }

    /// Closes the server's standard input (the stdio shutdown signal).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// The next message, waiting at most `timeout`.
    ///
    /// # Errors
    ///
    /// [`RecvError::Timeout`] or [`RecvError::Eof`].
    ///
    /// # Panics
    ///
    /// Panics if the server writes a line that is not JSON: stdout may carry only
    /// MCP messages.
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Value, RecvError> {
        if self.stdout_closed {
            return Err(RecvError::Eof);
        }
        match self.lines.recv_timeout(timeout) {
            Ok(line) => {
                let text = line.strip_suffix('\n').unwrap_or(&line);
                let text = text.strip_suffix('\r').unwrap_or(text);
                match serde_json::from_str(text) {
                    Ok(value) => Ok(value),
                    Err(error) => panic!(
                        "the server wrote a line to stdout that is not JSON ({error}): {line:?}; {}",
                        self.describe()
                    ),
                }
            }
            Err(RecvTimeoutError::Timeout) => Err(RecvError::Timeout(timeout)),
            Err(RecvTimeoutError::Disconnected) => {
                self.stdout_closed = true;
                Err(RecvError::Eof)
            }
        }
    }

    /// The next message, waiting at most the configured timeout.
    ///
    /// # Panics
    ///
    /// Panics on timeout, end of output or a line that is not JSON.
    #[track_caller]
    pub fn recv(&mut self) -> Value {
        match self.recv_timeout(self.timeout) {
            Ok(message) => message,
            Err(error) => panic!("waiting for a server message: {error}; {}", self.describe()),
        }
    }

    /// Reads messages until the response (a message without `method`) whose `id` is
    /// `id`, returning it and the messages received before it, in order.
    ///
    /// # Panics
    ///
    /// Panics if the response does not come within the configured timeout.
    pub fn recv_response(&mut self, id: &Value) -> (Value, Vec<Value>) {
        let deadline = Instant::now() + self.timeout;
        let mut before = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv_timeout(left) {
                Ok(message) if is_response(&message) && message.get("id") == Some(id) => {
                    return (message, before);
                }
                Ok(message) => before.push(message),
                Err(error) => panic!(
                    "waiting for the response to id {id}: {error}; messages received meanwhile: {}; {}",
                    show(&before),
                    self.describe()
                ),
            }
        }
    }

    /// Reads every remaining message until the server closes stdout.
    ///
    /// # Panics
    ///
    /// Panics if stdout is not closed within the configured timeout.
    pub fn recv_until_eof(&mut self) -> Vec<Value> {
        let deadline = Instant::now() + self.timeout;
        let mut messages = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv_timeout(left) {
                Ok(message) => messages.push(message),
                Err(RecvError::Eof) => return messages,
                Err(error) => panic!(
                    "waiting for the server to close stdout: {error}; messages received meanwhile: {}; {}",
                    show(&messages),
                    self.describe()
                ),
            }
        }
    }

    /// Waits at most `timeout` for the process to exit, returning its status.
    ///
    /// # Panics
    ///
    /// Kills the process and panics if it is still running after `timeout`.
    #[track_caller]
    pub fn wait_timeout(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    // Let the stderr reader drain what is left, for the messages.
                    if let Some(reader) = self.stderr_reader.take() {
                        let _ = reader.join();
                    }
                    return status;
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Ok(None) => {
                    let description = self.describe();
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!("the server did not exit within {timeout:?}; {description}");
                }
                Err(error) => panic!("cannot wait for the server: {error}; {}", self.describe()),
            }
        }
    }

    /// Closes stdin and waits (at most the configured timeout) for the process to exit.
    pub fn shutdown(&mut self) -> ExitStatus {
        self.close_stdin();
        self.wait_timeout(self.timeout)
    }
}

impl Drop for McpProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Whether `message` is a JSON-RPC response (a `result` or an `error`, and no `method`).
pub fn is_response(message: &Value) -> bool {
    // An error about a message whose id could not be read has no `id` (2025-11-25 on).
    message.get("method").is_none()
        && (message.get("result").is_some() || message.get("error").is_some())
}

/// Whether `message` is a JSON-RPC notification (a `method` and no `id`).
pub fn is_notification(message: &Value) -> bool {
    message.get("method").is_some() && message.get("id").is_none()
}

/// Formats messages one per line, for failure reports.
pub fn show(messages: &[Value]) -> String {
    if messages.is_empty() {
        return "(none)".to_owned();
    }
    messages
        .iter()
        .map(|message| format!("\n    {message}"))
        .collect()
}
