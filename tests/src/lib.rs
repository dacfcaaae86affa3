//! Test support for the mcp workspace.
//!
//! The end-to-end tests in `tests/tests/` talk raw newline-delimited JSON-RPC to the
//! example servers over stdio and check every message the server writes against the
//! official JSON Schema of the protocol revision in use. This library provides the
//! pieces they share:
//!
//! - [`example_binary`] / [`calculator_binary`]: build an example once per test process
//!   and return the path of its executable;
//! - [`McpProcess`]: a small blocking line client for a server child process, where
//!   every wait is bounded by a timeout;
//! - [`Schema`]: a validator for the named definitions of one revision's `schema.json`;
//! - [`Session`]: a client for one protocol revision that builds requests the way that
//!   revision wants them (legacy `initialize` handshake or modern per-request `_meta`)
//!   and validates every server message it receives.

pub mod http;
pub mod http_mcp;
pub mod http_scenarios;
pub mod sse;

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Every protocol revision the servers are expected to speak, oldest first.
pub const ALL_REVISIONS: [&str; 5] = [
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
    "2026-07-28",
];

/// The legacy revisions: a session starts with the `initialize` handshake.
pub const LEGACY_REVISIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

/// The modern revision: no handshake, every request carries its version in `_meta`.
pub const MODERN_REVISION: &str = "2026-07-28";

/// `_meta` key of the protocol version of a modern request.
pub const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// `_meta` key of the client capabilities of a modern request.
pub const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
/// `_meta` key of the client identity of a modern request.
pub const META_CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";

/// How long to wait for a server message before failing the test.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `revision` is a modern (handshake-free, per-request `_meta`) revision.
pub fn is_modern(revision: &str) -> bool {
    // Revision identifiers are ISO dates, so they order as strings.
    revision >= MODERN_REVISION
}

// ---------------------------------------------------------------------------------------
// Locations and binaries
// ---------------------------------------------------------------------------------------

/// The root of the Cargo workspace (the parent of this package's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package lives inside the workspace")
        .to_path_buf()
}

/// The directory holding the MCP specification material: `$MCP_SPEC_DIR` if set, else
/// `<workspace>/../shared/spec`.
pub fn spec_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("MCP_SPEC_DIR").filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    workspace_root()
        .parent()
        .expect("the workspace has a parent directory")
        .join("shared")
        .join("spec")
}

/// The Cargo target directory: `$CARGO_TARGET_DIR` if set (relative paths are taken
/// relative to the workspace root, where the build runs), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// Builds the workspace package `package` (a binary example such as `calculator`) with
/// `$CARGO build -p <package> --quiet`, once per test process, and returns the path of
/// its executable, `<target dir>/debug/<package>`.
///
/// # Panics
///
/// Panics, with cargo's output, if the build fails or the executable is missing; the
/// failure is remembered, so later callers in the same process fail fast.
pub fn example_binary(package: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, Result<PathBuf, String>>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    // Holding the lock across the build serialises builds; cargo would anyway.
    let mut built = built
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let outcome = built
        .entry(package.to_owned())
        .or_insert_with(|| build_package(package));
    match outcome {
        Ok(path) => path.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// The up-to-date `calculator` example binary (see [`example_binary`]).
pub fn calculator_binary() -> PathBuf {
    example_binary("calculator")
}

fn build_package(package: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root();
    let output = Command::new(&cargo)
        .args(["build", "-p", package, "--quiet"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run {cargo:?} build -p {package}: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "`{} build -p {package}` in {} failed ({}):\n{}{}",
            Path::new(&cargo).display(),
            root.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        ));
    }
    let executable = target_dir()
        .join("debug")
        .join(format!("{package}{}", std::env::consts::EXE_SUFFIX));
    if executable.is_file() {
        Ok(executable)
    } else {
        Err(format!(
            "`cargo build -p {package}` succeeded but {} does not exist",
            executable.display()
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Line client
// ---------------------------------------------------------------------------------------

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
        let mut child = Command::new(program)
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

/// Whether `message` is a JSON-RPC response (it has an `id` and no `method`).
pub fn is_response(message: &Value) -> bool {
    message.get("method").is_none() && message.get("id").is_some()
}

/// Whether `message` is a JSON-RPC notification (a `method` and no `id`).
pub fn is_notification(message: &Value) -> bool {
    message.get("method").is_some() && message.get("id").is_none()
}

// ---------------------------------------------------------------------------------------
// Schema validation
// ---------------------------------------------------------------------------------------

/// A message did not match a schema definition.
#[derive(Debug, Clone)]
pub struct SchemaViolation {
    /// The protocol revision whose schema was used.
    pub revision: String,
    /// The definition the value was checked against, e.g. `ListToolsResult`.
    pub definition: String,
    /// The value that was checked.
    pub instance: Value,
    /// One line per error: where in the value, what was wrong, and which schema keyword.
    pub errors: Vec<String>,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "value does not match definition `{}` of the {} schema:",
            self.definition, self.revision
        )?;
        for error in &self.errors {
            if error.starts_with(' ') {
                writeln!(f, "    {error}")?;
            } else {
                writeln!(f, "  - {error}")?;
            }
        }
        write!(f, "value: {}", self.instance)
    }
}

impl std::error::Error for SchemaViolation {}

/// The official JSON Schema of one protocol revision (`<spec>/<revision>/schema.json`),
/// able to validate values against any of its named definitions.
///
/// The 2025-11-25 and later schemas are JSON Schema 2020-12 with definitions under
/// `$defs`; the older ones are draft-07 with definitions under `definitions`.
pub struct Schema {
    revision: String,
    document: Value,
    defs_key: &'static str,
    draft: jsonschema::Draft,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("revision", &self.revision)
            .field("defs_key", &self.defs_key)
            .field("draft", &self.draft)
            .finish_non_exhaustive()
    }
}

impl Schema {
    /// Reads and parses `<spec>/<revision>/schema.json`.
    ///
    /// # Errors
    ///
    /// Returns a description if the file cannot be read or parsed, or if its dialect
    /// or definitions section is not one this validator knows.
    pub fn load(revision: &str) -> Result<Self, String> {
        let path = spec_dir().join(revision).join("schema.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let document: Value = serde_json::from_str(&text)
            .map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
        let dialect = document
            .get("$schema")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{} has no $schema", path.display()))?;
        let draft = if dialect.contains("draft-07") {
            jsonschema::Draft::Draft7
        } else if dialect.contains("2020-12") {
            jsonschema::Draft::Draft202012
        } else {
            return Err(format!("{}: unknown dialect {dialect}", path.display()));
        };
        let defs_key = if document.get("$defs").is_some_and(Value::is_object) {
            "$defs"
        } else if document.get("definitions").is_some_and(Value::is_object) {
            "definitions"
        } else {
            return Err(format!(
                "{} has neither $defs nor definitions",
                path.display()
            ));
        };
        Ok(Self {
            revision: revision.to_owned(),
            document,
            defs_key,
            draft,
            validators: Mutex::new(HashMap::new()),
        })
    }

    /// The schema of `revision`, loaded once per test process.
    ///
    /// # Panics
    ///
    /// Panics if the schema cannot be loaded (see [`Schema::load`]).
    pub fn for_revision(revision: &str) -> &'static Self {
        static LOADED: OnceLock<Mutex<HashMap<String, &'static Schema>>> = OnceLock::new();
        let mut loaded = LOADED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        loaded.entry(revision.to_owned()).or_insert_with(|| {
            let schema = Self::load(revision).unwrap_or_else(|error| panic!("{error}"));
            Box::leak(Box::new(schema))
        })
    }

    /// The protocol revision of this schema.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// The names of all definitions.
    pub fn definition_names(&self) -> Vec<&str> {
        self.document[self.defs_key]
            .as_object()
            .map(|defs| defs.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Whether the schema has a definition called `name`.
    pub fn has_definition(&self, name: &str) -> bool {
        self.document[self.defs_key].get(name).is_some()
    }

    /// The definition of a successful JSON-RPC response: `JSONRPCResultResponse` from
    /// 2025-11-25 on, `JSONRPCResponse` before.
    pub fn result_response_definition(&self) -> &'static str {
        if self.has_definition("JSONRPCResultResponse") {
            "JSONRPCResultResponse"
        } else {
            "JSONRPCResponse"
        }
    }

    /// The definition of a JSON-RPC error response: `JSONRPCErrorResponse` from
    /// 2025-11-25 on, `JSONRPCError` before.
    pub fn error_response_definition(&self) -> &'static str {
        if self.has_definition("JSONRPCErrorResponse") {
            "JSONRPCErrorResponse"
        } else {
            "JSONRPCError"
        }
    }

    fn validator(&self, definition: &str) -> Result<Arc<jsonschema::Validator>, String> {
        let mut validators = self
            .validators
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = validators.get(definition) {
            return Ok(Arc::clone(validator));
        }
        if !self.has_definition(definition) {
            return Err(format!(
                "the {} schema has no definition `{definition}`",
                self.revision
            ));
        }
        // A wrapper document holding all definitions, so that every `$ref` inside them
        // resolves; `allOf` rather than a sibling `$ref`, which draft-07 would ignore.
        let pointer = format!("#/{}/{definition}", self.defs_key);
        let mut wrapper = serde_json::Map::new();
        wrapper.insert("$schema".into(), self.document["$schema"].clone());
        wrapper.insert("allOf".into(), json!([{ "$ref": pointer }]));
        wrapper.insert(self.defs_key.into(), self.document[self.defs_key].clone());
        let validator = jsonschema::options()
            .with_draft(self.draft)
            .build(&Value::Object(wrapper))
            .map_err(|error| {
                format!(
                    "cannot compile definition `{definition}` of the {} schema: {error}",
                    self.revision
                )
            })?;
        let validator = Arc::new(validator);
        validators.insert(definition.to_owned(), Arc::clone(&validator));
        Ok(validator)
    }

    /// Validates `instance` against the definition `definition`.
    ///
    /// # Errors
    ///
    /// A [`SchemaViolation`] naming the definition and listing every error.
    ///
    /// # Panics
    ///
    /// Panics if the definition does not exist or does not compile (a test bug).
    pub fn validate(&self, definition: &str, instance: &Value) -> Result<(), SchemaViolation> {
        let validator = self
            .validator(definition)
            .unwrap_or_else(|error| panic!("{error}"));
        let mut errors = Vec::new();
        for error in validator.iter_errors(instance) {
            describe_error(&error, 0, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SchemaViolation {
                revision: self.revision.clone(),
                definition: definition.to_owned(),
                instance: instance.clone(),
                errors,
            })
        }
    }

    /// Like [`Schema::validate`], but panics with the violation.
    #[track_caller]
    pub fn assert_valid(&self, definition: &str, instance: &Value) {
        if let Err(violation) = self.validate(definition, instance) {
            panic!("{violation}");
        }
    }

    /// Validates a message the server sent: against the envelope it has (result
    /// response, error response or notification; checked first because its errors are
    /// more precise than those of an `anyOf`), against `JSONRPCMessage` and, for a
    /// notification this library knows (`notifications/progress`,
    /// `notifications/message`), against that notification's definition.
    ///
    /// # Errors
    ///
    /// The first [`SchemaViolation`].
    pub fn validate_server_message(&self, message: &Value) -> Result<(), SchemaViolation> {
        if is_notification(message) {
            self.validate("JSONRPCNotification", message)?;
            let specific = match message["method"].as_str() {
                Some("notifications/progress") => Some("ProgressNotification"),
                Some("notifications/message") => Some("LoggingMessageNotification"),
                _ => None,
            };
            if let Some(definition) = specific {
                self.validate(definition, message)?;
            }
        } else if message.get("error").is_some() {
            self.validate(self.error_response_definition(), message)?;
            if self.has_definition("Error") {
                self.validate("Error", &message["error"])?;
            }
        } else if message.get("result").is_some() {
            self.validate(self.result_response_definition(), message)?;
        }
        self.validate("JSONRPCMessage", message)
    }
}

/// Appends a line for `error` and, for a failed `anyOf`/`oneOf`, indented lines for
/// why each alternative failed (two levels deep at most).
fn describe_error(error: &jsonschema::ValidationError<'_>, depth: usize, lines: &mut Vec<String>) {
    let path = error.instance_path().to_string();
    let indent = "    ".repeat(depth);
    lines.push(format!(
        "{indent}at `{}`: {error} (schema keyword at {})",
        if path.is_empty() { "/" } else { &path },
        error.schema_path()
    ));
    let alternatives = match error.kind() {
        jsonschema::error::ValidationErrorKind::AnyOf { context }
        | jsonschema::error::ValidationErrorKind::OneOfNotValid { context } => context,
        _ => return,
    };
    if depth >= 2 {
        return;
    }
    for (index, branch) in alternatives.iter().enumerate() {
        lines.push(format!("{indent}  alternative {index} failed:"));
        for sub in branch {
            describe_error(sub, depth + 1, lines);
        }
    }
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

// ---------------------------------------------------------------------------------------
// Protocol sessions
// ---------------------------------------------------------------------------------------

/// The answer to one request: the response and the messages that came before it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The JSON-RPC response (with `result` or `error`).
    pub response: Value,
    /// Messages received after sending the request and before its response, in order
    /// (notifications, and responses to other requests in flight).
    pub before: Vec<Value>,
}

impl Exchange {
    /// The `result` member of the response.
    ///
    /// # Panics
    ///
    /// Panics if the response is an error.
    #[track_caller]
    pub fn result(&self) -> &Value {
        self.response
            .get("result")
            .unwrap_or_else(|| panic!("expected a result, got {}", self.response))
    }

    /// The `error` member of the response.
    ///
    /// # Panics
    ///
    /// Panics if the response is a result.
    #[track_caller]
    pub fn error(&self) -> &Value {
        self.response
            .get("error")
            .unwrap_or_else(|| panic!("expected an error, got {}", self.response))
    }

    /// The `notifications/progress` messages received before the response.
    pub fn progress_notifications(&self) -> Vec<&Value> {
        self.before
            .iter()
            .filter(|message| message["method"] == "notifications/progress")
            .collect()
    }
}

/// A client of one server process speaking one protocol revision.
///
/// Requests get increasing integer ids. For the modern revision every request's
/// `params._meta` carries the protocol version, client capabilities and client info;
/// for legacy revisions none of that is added. Every message received is validated
/// against the revision's schema with [`Schema::validate_server_message`].
pub struct Session {
    /// The server process.
    pub process: McpProcess,
    schema: &'static Schema,
    revision: String,
    next_id: i64,
}

impl Session {
    /// Starts `program` for a session of `revision` (without any handshake).
    ///
    /// # Panics
    ///
    /// Panics if the process cannot be started or the schema cannot be loaded.
    pub fn start(program: &Path, revision: &str) -> Self {
        let process = McpProcess::spawn(program)
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        Self {
            process,
            schema: Schema::for_revision(revision),
            revision: revision.to_owned(),
            next_id: 1,
        }
    }

    /// The protocol revision of this session.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// Whether this session speaks the modern revision.
    pub fn is_modern(&self) -> bool {
        is_modern(&self.revision)
    }

    /// The schema of this session's revision.
    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// The `_meta` a modern request carries: protocol version, empty client
    /// capabilities and the client info `{"name": "raw", "version": "0"}`.
    pub fn modern_meta(&self) -> Value {
        json!({
            META_PROTOCOL_VERSION: self.revision,
            META_CLIENT_CAPABILITIES: {},
            META_CLIENT_INFO: { "name": "raw", "version": "0" },
        })
    }

    /// Returns the next request id.
    pub fn next_id(&mut self) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        json!(id)
    }

    /// Builds a request for this revision: for the modern revision the per-request
    /// fields of [`Session::modern_meta`] are merged into `params._meta` (keys already
    /// present in `params._meta` win, so tests can override or remove them with
    /// [`Session::request_with_meta`]).
    pub fn build_request(&mut self, method: &str, params: Value) -> Value {
        let mut params = match params {
            Value::Null => json!({}),
            params => params,
        };
        if self.is_modern() {
            let mut meta = self.modern_meta();
            if let Some(given) = params.get("_meta").and_then(Value::as_object) {
                for (key, value) in given {
                    meta[key] = value.clone();
                }
            }
            params["_meta"] = meta;
        }
        let id = self.next_id();
        json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
    }

    /// Sends a request built with [`Session::build_request`] and waits for its response.
    pub fn request(&mut self, method: &str, params: Value) -> Exchange {
        let request = self.build_request(method, params);
        self.send_request(&request)
    }

    /// Sends a request whose `params._meta` is exactly `meta` (nothing added).
    pub fn request_with_meta(&mut self, method: &str, mut params: Value, meta: Value) -> Exchange {
        if params.is_null() {
            params = json!({});
        }
        params["_meta"] = meta;
        let id = self.next_id();
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.send_request(&request)
    }

    /// Sends `request` as is and waits for the response with its id, validating every
    /// message received.
    pub fn send_request(&mut self, request: &Value) -> Exchange {
        self.process.send(request);
        self.wait_response(&request["id"])
    }

    /// Waits for the response with id `id`, validating every message received.
    pub fn wait_response(&mut self, id: &Value) -> Exchange {
        let (response, before) = self.process.recv_response(id);
        for message in before.iter().chain(std::iter::once(&response)) {
            self.check_message(message);
        }
        Exchange { response, before }
    }

    /// Validates one server message against the schema, panicking with the violation
    /// and the server's stderr.
    #[track_caller]
    pub fn check_message(&self, message: &Value) {
        if let Err(violation) = self.schema.validate_server_message(message) {
            panic!("{violation}\n{}", self.process.describe());
        }
    }

    /// Validates `value` against `definition`, panicking with the violation.
    #[track_caller]
    pub fn check(&self, definition: &str, value: &Value) {
        if let Err(violation) = self.schema.validate(definition, value) {
            panic!("{violation}\n{}", self.process.describe());
        }
    }

    /// Validates `part` (a piece of `message`, such as its `result`) against
    /// `definition`, panicking with the violation, the whole message and the server's
    /// stderr.
    #[track_caller]
    pub fn check_part(&self, definition: &str, part: &Value, message: &Value) {
        if let Err(violation) = self.schema.validate(definition, part) {
            panic!(
                "{violation}\nin message: {message}\n{}",
                self.process.describe()
            );
        }
    }

    /// Sends a notification as is (`params` omitted when null).
    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({ "jsonrpc": "2.0", "method": method });
        if !params.is_null() {
            message["params"] = params;
        }
        self.process.send(&message);
    }

    /// Sends a request expected to succeed, checks that its result matches
    /// `result_definition` and returns the exchange.
    #[track_caller]
    pub fn expect_result(
        &mut self,
        method: &str,
        params: Value,
        result_definition: &str,
    ) -> Exchange {
        let exchange = self.request(method, params);
        assert!(
            exchange.response.get("result").is_some(),
            "{method}: expected a result, got {}\n{}",
            exchange.response,
            self.process.describe()
        );
        self.check_part(result_definition, exchange.result(), &exchange.response);
        exchange
    }

    /// Opens the session: `initialize` with this revision then
    /// `notifications/initialized` for a legacy revision, `server/discover` for the
    /// modern one. Returns the `InitializeResult` / `DiscoverResult`, validated.
    pub fn open(&mut self) -> Value {
        if self.is_modern() {
            let exchange = self.expect_result("server/discover", json!({}), "DiscoverResult");
            exchange.result().clone()
        } else {
            let params = json!({
                "protocolVersion": self.revision,
                "capabilities": {},
                "clientInfo": { "name": "raw", "version": "0" },
            });
            let exchange = self.expect_result("initialize", params, "InitializeResult");
            self.notify("notifications/initialized", Value::Null);
            exchange.result().clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_revision_schema_loads_and_compiles_its_message_definitions() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            for definition in [
                "JSONRPCMessage",
                "JSONRPCNotification",
                schema.result_response_definition(),
                schema.error_response_definition(),
                "ListToolsResult",
                "CallToolResult",
                "EmptyResult",
                "ProgressNotification",
            ] {
                assert!(
                    schema.has_definition(definition),
                    "{revision} lacks {definition}"
                );
                schema.validator(definition).unwrap();
            }
        }
    }

    #[test]
    fn accepts_valid_messages() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            let mut tools = json!({
                "tools": [{
                    "name": "add",
                    "description": "Adds",
                    "inputSchema": {
                        "type": "object",
                        "properties": { "a": { "type": "number" } },
                        "required": ["a"],
                    },
                }],
            });
            if is_modern(revision) {
                tools["resultType"] = json!("complete");
                tools["ttlMs"] = json!(0);
                tools["cacheScope"] = json!("public");
            }
            schema.assert_valid("ListToolsResult", &tools);
            let response = json!({ "jsonrpc": "2.0", "id": 1, "result": tools });
            schema.validate_server_message(&response).unwrap();
            let error = json!({
                "jsonrpc": "2.0", "id": "x",
                "error": { "code": -32601, "message": "Method not found" },
            });
            schema.validate_server_message(&error).unwrap();
            let progress = json!({
                "jsonrpc": "2.0", "method": "notifications/progress",
                "params": { "progressToken": 1, "progress": 1, "total": 2 },
            });
            schema.validate_server_message(&progress).unwrap();
        }
    }

    #[test]
    fn rejects_invalid_messages_with_a_precise_report() {
        for revision in ALL_REVISIONS {
            let schema = Schema::for_revision(revision);
            let mut result = json!({ "nextCursor": "c" });
            if is_modern(revision) {
                result["resultType"] = json!("complete");
                result["ttlMs"] = json!(0);
                result["cacheScope"] = json!("public");
            }
            let violation = schema
                .validate("ListToolsResult", &result)
                .expect_err("a tools/list result without `tools` must be rejected");
            let report = violation.to_string();
            assert!(report.contains("ListToolsResult"), "{report}");
            assert!(report.contains(revision), "{report}");
            assert!(report.contains("tools"), "{report}");

            // A wrongly typed nested value is found through `$ref`s.
            let bad_tool = json!({ "tools": [{ "name": 7, "inputSchema": { "type": "object" } }] });
            let violation = schema.validate("ListToolsResult", &bad_tool).unwrap_err();
            assert!(
                violation
                    .errors
                    .iter()
                    .any(|error| error.contains("/tools/0/name")),
                "{violation}"
            );

            // An envelope without `jsonrpc`, and a progress notification without token.
            let no_version = json!({ "id": 1, "result": {} });
            assert!(schema.validate_server_message(&no_version).is_err());
            let progress = json!({
                "jsonrpc": "2.0", "method": "notifications/progress",
                "params": { "progress": 1 },
            });
            let violation = schema.validate_server_message(&progress).unwrap_err();
            assert_eq!(violation.definition, "ProgressNotification", "{violation}");
        }
    }

    #[test]
    fn official_examples_of_the_modern_revision_are_valid() {
        let schema = Schema::for_revision(MODERN_REVISION);
        let examples = spec_dir().join(MODERN_REVISION).join("examples");
        let mut checked = 0;
        for entry in std::fs::read_dir(&examples).unwrap() {
            let entry = entry.unwrap();
            let definition = entry.file_name().to_string_lossy().into_owned();
            if !schema.has_definition(&definition) {
                continue;
            }
            for file in std::fs::read_dir(entry.path()).unwrap() {
                let path = file.unwrap().path();
                let example: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                if let Err(violation) = schema.validate(&definition, &example) {
                    panic!("{}: {violation}", path.display());
                }
                checked += 1;
            }
        }
        assert!(
            checked > 50,
            "only {checked} examples found in {}",
            examples.display()
        );
    }

    #[test]
    fn revision_eras() {
        assert!(is_modern("2026-07-28"));
        for revision in LEGACY_REVISIONS {
            assert!(!is_modern(revision));
        }
    }
}
