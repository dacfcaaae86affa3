//! The HTTP flags of the generated command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use super::MainOptions;
use crate::transport::http::{HttpConfig, TlsFiles, Tokens};

/// Environment variable holding a bearer token (never a flag: flags show in `ps`).
pub(crate) const TOKEN_ENV: &str = "MCP_AUTH_TOKEN";

pub(super) fn add(command: Command, options: &MainOptions) -> Command {
    let bind = options.bind.unwrap_or(crate::transport::http::DEFAULT_BIND);
    command
        .arg(
            Arg::new("bind")
                .long("bind")
                .env("MCP_BIND")
                .value_name("ADDR")
                .value_parser(value_parser!(SocketAddr))
                .default_value(bind)
                .help("HTTP: address to listen on (loopback unless you say otherwise)"),
        )
        .arg(
            Arg::new("auth_token_file")
                .long("auth-token-file")
                .env("MCP_AUTH_TOKEN_FILE")
                .value_name("PATH")
                .value_parser(value_parser!(PathBuf))
                .help(format!(
                    "HTTP: file of accepted bearer tokens, one per line (`name token` names one); \
                     or set {TOKEN_ENV} to a single token"
                )),
        )
        .arg(
            Arg::new("insecure_no_auth")
                .long("insecure-no-auth")
                .env("MCP_INSECURE_NO_AUTH")
                .action(ArgAction::SetTrue)
                .help("HTTP: serve a non-loopback address without tokens (only behind something that authenticates)"),
        )
        .arg(
            Arg::new("allowed_origin")
                .long("allowed-origin")
                .env("MCP_ALLOWED_ORIGINS")
                .value_name("ORIGIN")
                .action(ArgAction::Append)
                .value_delimiter(',')
                .help("HTTP: a browser origin allowed to call the server (repeatable; `*` for any); loopback origins always are"),
        )
        .arg(
            Arg::new("tls_cert")
                .long("tls-cert")
                .env("MCP_TLS_CERT")
                .value_name("PATH")
                .value_parser(value_parser!(PathBuf))
                .requires("tls_key")
                .help("HTTP: PEM certificate chain, to serve HTTPS"),
        )
        .arg(
            Arg::new("tls_key")
                .long("tls-key")
                .env("MCP_TLS_KEY")
                .value_name("PATH")
                .value_parser(value_parser!(PathBuf))
                .requires("tls_cert")
                .help("HTTP: PEM private key of the certificate"),
        )
        .arg(
            Arg::new("max_body_bytes")
                .long("max-body-bytes")
                .env("MCP_MAX_BODY_BYTES")
                .value_name("BYTES")
                .value_parser(value_parser!(usize))
                .default_value("4194304")
                .help("HTTP: largest request body accepted"),
        )
        .arg(
            Arg::new("drain_timeout")
                .long("drain-timeout")
                .env("MCP_DRAIN_TIMEOUT")
                .value_name("SECONDS")
                .value_parser(value_parser!(u64))
                .default_value("30")
                .help("HTTP: on SIGTERM, how long calls in flight may take to finish"),
        )
}

/// The HTTP configuration the flags describe.
pub(super) fn config(matches: &ArgMatches) -> Result<HttpConfig, String> {
    let bind = matches
        .get_one::<SocketAddr>("bind")
        .copied()
        .ok_or("--bind needs an address such as 127.0.0.1:8080")?;
    let mut config = HttpConfig::new(bind);
    let mut tokens = match matches.get_one::<PathBuf>("auth_token_file") {
        Some(path) => Tokens::from_file(path)
            .map_err(|error| format!("cannot read tokens from {}: {error}", path.display()))?,
        None => Tokens::default(),
    };
    if let Ok(token) = std::env::var(TOKEN_ENV) {
        tokens = tokens.with("env", &token);
    }
    config.tokens = tokens;
    config.insecure_no_auth = matches.get_flag("insecure_no_auth");
    config.allowed_origins = matches
        .get_many::<String>("allowed_origin")
        .map(|origins| origins.cloned().collect())
        .unwrap_or_default();
    if let (Some(cert), Some(key)) = (
        matches.get_one::<PathBuf>("tls_cert"),
        matches.get_one::<PathBuf>("tls_key"),
    ) {
        config.tls = Some(TlsFiles {
            cert: cert.clone(),
            key: key.clone(),
        });
    }
    if let Some(&bytes) = matches.get_one::<usize>("max_body_bytes") {
        config.max_body_bytes = bytes;
    }
    if let Some(&seconds) = matches.get_one::<u64>("drain_timeout") {
        config.drain_timeout = Duration::from_secs(seconds);
    }
    Ok(config)
}
