//! The server child process: started with `--transport http`, its address read from
//! its startup log line, killed on drop.

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to log its address.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variables the server reads; cleared so the tests' environment cannot
/// leak into a server.
const SERVER_ENV: [&str; 11] = [
    "MCP_TRANSPORT",
    "MCP_BIND",
    "MCP_AUTH_TOKEN",
    "MCP_AUTH_TOKEN_FILE",
    "MCP_INSECURE_NO_AUTH",
    "MCP_ALLOWED_ORIGINS",
    "MCP_TLS_CERT",
    "MCP_TLS_KEY",
    "MCP_MAX_BODY_BYTES",
    "MCP_DRAIN_TIMEOUT",
    "RUST_LOG",
];

/// The text of the startup log line before the URL.
const SERVING_AT: &str = "serving MCP at ";

/// A server child process whose stdout and stderr are captured by background threads.
pub struct ServerProcess {
    child: Child,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: Vec<thread::JoinHandle<()>>,
}

impl fmt::Debug for ServerProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerProcess")
            .field("pid", &self.child.id())
            .finish_non_exhaustive()
    }
}

fn capture(
    mut pipe: impl Read + Send + 'static,
    sink: Arc<Mutex<Vec<u8>>>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut buffer = [0_u8; 4096];
        while let Ok(n @ 1..) = pipe.read(&mut buffer) {
            lock(&sink).extend_from_slice(&buffer[..n]);
        }
    })
}

fn lock(bytes: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    bytes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ServerProcess {
    /// Starts `program --transport http [--bind 127.0.0.1:0] ARGS` (the `--bind` only
    /// when `args` has none) with stdin closed, the server's environment variables
    /// cleared, `RUST_LOG=info`, then `env` applied.
    ///
    /// # Panics
    ///
    /// Panics if the process cannot be started.
    pub fn spawn(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(program);
        command.args(["--transport", "http"]);
        if !args.contains(&"--bind") {
            command.args(["--bind", "127.0.0.1:0"]);
        }
        command.args(args);
        for name in SERVER_ENV {
            command.env_remove(name);
        }
        command.env("RUST_LOG", "info");
        command.envs(env.iter().copied());
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            capture(child.stdout.take().expect("piped"), Arc::clone(&stdout)),
            capture(child.stderr.take().expect("piped"), Arc::clone(&stderr)),
        ];
        Self {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to stdout so far.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&lock(&self.stdout)).into_owned()
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&lock(&self.stderr)).into_owned()
    }

    /// The pid and the last lines of stderr (or those from a panic on), for failure
    /// messages.
    pub fn describe(&self) -> String {
        let stderr = self.stderr();
        let lines: Vec<&str> = stderr.lines().collect();
        // A panic's backtrace would push its message out of the tail: start there.
        let start = match lines.iter().position(|line| line.contains("panicked at")) {
            Some(panic) => panic,
            None => lines.len().saturating_sub(30),
        };
        let shown = lines[start..lines.len().min(start + 30)].join("\n");
        format!(
            "server pid {}; its stderr (from line {}):\n{}",
            self.child.id(),
            start + 1,
            if shown.is_empty() { "(empty)" } else { &shown }
        )
    }

    /// Waits at most `timeout` for the startup line `serving MCP at <url>` and returns
    /// the URL's scheme and port.
    ///
    /// # Errors
    ///
    /// A description if the process exits or the line does not come in time.
    pub fn wait_for_address(&mut self, timeout: Duration) -> Result<(String, u16), String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(found) = parse_serving_line(&self.stderr()) {
                return found;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                self.join_readers();
                if let Some(found) = parse_serving_line(&self.stderr()) {
                    return found;
                }
                return Err(format!(
                    "the server exited ({status}) before serving; {}",
                    self.describe()
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "no `{SERVING_AT}` line within {timeout:?}; {}",
                    self.describe()
                ));
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends SIGTERM (with the `kill` command: the workspace forbids `unsafe`).
    ///
    /// # Panics
    ///
    /// Panics if `kill` cannot be run or fails.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap_or_else(|error| panic!("cannot run kill: {error}"));
        assert!(
            status.success(),
            "kill -TERM {} failed: {status}",
            self.child.id()
        );
    }

    /// Waits at most `timeout` for the process to exit; `None` if it is still running.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.join_readers();
                    return Some(status);
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Ok(None) | Err(_) => return None,
            }
        }
    }

    fn join_readers(&mut self) {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }

    /// Kills the process if it still runs and waits for it.
    pub fn kill(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        self.join_readers();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Finds `serving MCP at <scheme>://<host>:<port>/mcp` in a log and returns the scheme
/// and port.
fn parse_serving_line(log: &str) -> Option<Result<(String, u16), String>> {
    let line = log.lines().find(|line| line.contains(SERVING_AT))?;
    let url = line.split(SERVING_AT).nth(1)?.split_whitespace().next()?;
    let parsed = url.split_once("://").and_then(|(scheme, rest)| {
        let authority = rest.strip_suffix("/mcp")?;
        let port = authority.rsplit_once(':')?.1.parse().ok()?;
        Some((scheme.to_owned(), port))
    });
    Some(parsed.ok_or_else(|| format!("cannot parse the URL in the startup line {line:?}")))
}

/// A running HTTP server: the process and the loopback base URL it is reached at
/// (`<scheme>://127.0.0.1:<port>`, also when it listens on every interface).
#[derive(Debug)]
pub struct HttpServer {
    /// The server process.
    pub process: ServerProcess,
    /// `<scheme>://127.0.0.1:<port>`.
    pub base: String,
    /// The port it listens on.
    pub port: u16,
}

impl HttpServer {
    /// Starts the server (see [`ServerProcess::spawn`]) and waits for its address.
    ///
    /// # Panics
    ///
    /// Panics if the server does not start serving within [`STARTUP_TIMEOUT`].
    pub fn start(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut process = ServerProcess::spawn(program, args, env);
        let (scheme, port) = process
            .wait_for_address(STARTUP_TIMEOUT)
            .unwrap_or_else(|error| panic!("{error}"));
        Self {
            process,
            base: format!("{scheme}://127.0.0.1:{port}"),
            port,
        }
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_address_in_the_startup_line() {
        let log = "2026-01-01T00:00:00Z  INFO mcp::transport::http::listener: \
                   serving MCP at https://127.0.0.1:43117/mcp\n";
        assert_eq!(
            parse_serving_line(log),
            Some(Ok(("https".to_owned(), 43117)))
        );
        assert_eq!(parse_serving_line("nothing yet\n"), None);
        assert!(matches!(
            parse_serving_line("serving MCP at nonsense\n"),
            Some(Err(_))
        ));
    }
}
