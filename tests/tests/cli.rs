//! The command line `#[mcp::main]` generates, as a user meets it.

use std::process::{Command, Stdio};

use mcp_tests::calculator_binary;

fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = Command::new(calculator_binary());
    command.args(args).stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the calculator runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_transport_in_the_environment_names_the_valid_ones() {
    let (code, stdout, stderr) = run(&[], &[("MCP_TRANSPORT", "bogus")]);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stdout.is_empty(),
        "nothing on the protocol channel: {stdout}"
    );
    for word in ["bogus", "stdio", "http"] {
        assert!(stderr.contains(word), "stderr lacks {word}: {stderr}");
    }
}

#[test]
fn an_unknown_transport_flag_is_refused_the_same_way() {
    let (code, _, stderr) = run(&["--transport", "htp"], &[]);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("stdio") && stderr.contains("http"),
        "{stderr}"
    );
}

#[test]
fn help_lists_every_flag_with_its_environment_variable() {
    let (code, stdout, _) = run(&["--help"], &[]);
    assert_eq!(code, Some(0));
    let pairs = [
        ("--transport", "MCP_TRANSPORT"),
        ("--bind", "MCP_BIND"),
        ("--auth-token-file", "MCP_AUTH_TOKEN_FILE"),
        ("--insecure-no-auth", "MCP_INSECURE_NO_AUTH"),
        ("--allowed-origin", "MCP_ALLOWED_ORIGINS"),
        ("--tls-cert", "MCP_TLS_CERT"),
        ("--tls-key", "MCP_TLS_KEY"),
        ("--drain-timeout", "MCP_DRAIN_TIMEOUT"),
        ("--page-size", "MCP_PAGE_SIZE"),
        ("--replica-id", "MCP_REPLICA_ID"),
        ("--allow-ip", "MCP_ALLOW_IPS"),
        ("--trusted-proxy", "MCP_TRUSTED_PROXIES"),
    ];
    for (flag, env) in pairs {
        let line = stdout
            .lines()
            .find(|line| line.contains(flag))
            .unwrap_or_else(|| panic!("--help lacks {flag}:\n{stdout}"));
        let described = stdout.split(flag).nth(1).is_some_and(|rest| {
            rest.split("\n  -")
                .next()
                .is_some_and(|text| text.contains(env))
        });
        assert!(described, "{flag} does not name {env}: {line}\n{stdout}");
    }
    assert!(stdout.contains("MCP_AUTH_TOKEN"), "{stdout}");
}

#[test]
fn a_replica_id_that_cannot_prefix_a_session_id_is_refused() {
    let (code, _, stderr) = run(&["--transport", "http"], &[("MCP_REPLICA_ID", "r1.eu")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--replica-id") && stderr.contains("letters, digits"),
        "{stderr}"
    );
}

#[test]
fn a_network_that_does_not_parse_is_refused() {
    let (code, _, stderr) = run(&["--transport", "http", "--allow-ip", "10.0.0.0/33"], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--allow-ip") && stderr.contains("10.0.0.0/33"),
        "{stderr}"
    );
}

#[test]
fn version_comes_from_the_package() {
    let (code, stdout, _) = run(&["--version"], &[]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout.trim(),
        format!("calculator {}", env!("CARGO_PKG_VERSION"))
    );
}
