//! How a stdio server holds the pipes a client starts it with: polled in non-blocking
//! mode, whichever way the server was started.
//!
//! A pipe read in blocking mode works most of the time, which is what makes the mistake
//! dangerous: when the event loop sees a stale readiness event (for bytes an earlier read
//! already took), a blocking `read` stalls the whole server until the client writes
//! again, so a reply or a server-to-client request sits unsent. These tests read the
//! descriptors' flags from `/proc` while the server is serving.

use std::time::Duration;

use mcp_tests::{McpProcess, calculator_binary, example_binary};
use serde_json::json;

/// `O_NONBLOCK` on Linux (octal, as `/proc/PID/fdinfo` shows flags).
const O_NONBLOCK: u32 = 0o4000;

/// The `flags:` of descriptor `fd` of process `pid`.
fn descriptor_flags(pid: u32, fd: u32) -> u32 {
    let path = format!("/proc/{pid}/fdinfo/{fd}");
    let info = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let flags = info
        .lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .unwrap_or_else(|| panic!("{path} has no flags line: {info}"));
    u32::from_str_radix(flags.trim(), 8).unwrap_or_else(|error| panic!("{path}: {flags}: {error}"))
}

/// Starts `program`, waits for one answer (so serving has begun), and checks stdin and
/// stdout.
fn assert_pipes_are_non_blocking(program: &std::path::Path, args: &[&str]) {
    let mut command = std::process::Command::new(program);
    command.args(args);
    let mut server = McpProcess::spawn_command(command).expect("the server starts");
    server.set_timeout(Duration::from_secs(10));
    server.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}));
    let reply = server.recv();
    assert_eq!(reply["id"], 1, "{reply}\n{}", server.describe());
    for (fd, name) in [(0, "stdin"), (1, "stdout")] {
        let flags = descriptor_flags(server.pid(), fd);
        assert_ne!(
            flags & O_NONBLOCK,
            0,
            "{}: {name} is a pipe in blocking mode (flags {flags:o})",
            program.display()
        );
    }
    let status = server.shutdown();
    assert!(
        status.success(),
        "exit status {status}\n{}",
        server.describe()
    );
}

#[test]
fn a_server_from_mcp_main_polls_non_blocking_pipes() {
    assert_pipes_are_non_blocking(&calculator_binary(), &[]);
}

#[test]
fn a_server_that_calls_serve_stdio_itself_polls_non_blocking_pipes() {
    // `everything` builds its own runtime and serves from `block_on`.
    assert_pipes_are_non_blocking(&example_binary("everything"), &["--transport", "stdio"]);
}
