//! The HTTP flags of the generated command line.

use super::flags::{CliError, Command, Flag, Matches};
use super::{Limits, MainOptions};
use crate::transport::http::{HttpConfig, IpNet, IpNetError, TlsFiles, Tokens};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Environment variable holding a bearer token (never a flag: flags show in `ps`).
pub(crate) const TOKEN_ENV: &str = "MCP_AUTH_TOKEN";

/// The HTTP settings of a command line, checked; tokens are read when serving starts.
#[derive(Debug, Clone)]
pub(crate) struct HttpSettings {
    config: HttpConfig,
    token_file: Option<PathBuf>,
}

pub(super) fn add(command: Command, options: &MainOptions) -> Command {
    let bind = options.bind.unwrap_or(crate::transport::http::DEFAULT_BIND);
    command
        .flag(
            Flag::value("bind", "ADDR")
                .env("MCP_BIND")
                .default(bind)
                .help("HTTP: address to listen on (loopback unless you say otherwise)"),
        )
        .flag(
            Flag::value("auth-token-file", "PATH")
                .env("MCP_AUTH_TOKEN_FILE")
                .help(format!(
                    "HTTP: file of accepted bearer tokens, one per line (`name token` names one); \
                     or set {TOKEN_ENV} to a single token"
                )),
        )
        .flag(
            Flag::switch("insecure-no-auth")
                .env("MCP_INSECURE_NO_AUTH")
                .help("HTTP: serve a non-loopback address without tokens (only behind something that authenticates)"),
        )
        .flag(
            Flag::value("allowed-origin", "ORIGIN")
                .env("MCP_ALLOWED_ORIGINS")
                .list(',')
                .help("HTTP: a browser origin allowed to call the server (repeatable; `*` for any); loopback origins always are"),
        )
        .flag(
            Flag::value("tls-cert", "PATH")
                .env("MCP_TLS_CERT")
                .help("HTTP: PEM certificate chain, to serve HTTPS (give its key too)"),
        )
        .flag(
            Flag::value("tls-key", "PATH")
                .env("MCP_TLS_KEY")
                .help("HTTP: PEM private key of the certificate"),
        )
        .flag(
            Flag::value("tls-client-ca", "PATH")
                .env("MCP_TLS_CLIENT_CA")
                .help("HTTPS: PEM CA certificates; every client must present a certificate they issued (mutual TLS)"),
        )
        .flag(
            Flag::value("replica-id", "NAME")
                .env("MCP_REPLICA_ID")
                .help("HTTP: this replica's name, the prefix of its legacy session ids, for load balancers that route sessions (deploy/nginx/)"),
        )
        .flag(
            Flag::value("allow-ip", "CIDR")
                .env("MCP_ALLOW_IPS")
                .list(',')
                .help("HTTP: a client network served, such as 10.0.0.0/8 (repeatable); others get 403. Default: every address"),
        )
        .flag(
            Flag::value("trusted-proxy", "CIDR")
                .env("MCP_TRUSTED_PROXIES")
                .list(',')
                .help("HTTP: a reverse proxy whose X-Forwarded-For names the client (repeatable)"),
        )
        .flag(
            Flag::value("max-body-bytes", "BYTES")
                .env("MCP_MAX_BODY_BYTES")
                .default("4194304")
                .help("HTTP: largest request body accepted"),
        )
}

/// Reads and checks every HTTP flag; `limits` are the flags every transport shares.
pub(super) fn settings(matches: &Matches, limits: &Limits) -> Result<HttpSettings, CliError> {
    let bind: SocketAddr = matches
        .get("bind")?
        .ok_or_else(|| CliError::new("--bind needs an address such as 127.0.0.1:8080"))?;
    let mut config = HttpConfig::new(bind);
    config.insecure_no_auth = matches.is_on("insecure-no-auth");
    config.allowed_origins = matches.all("allowed-origin").to_vec();
    let client_ca = matches.get::<PathBuf>("tls-client-ca")?;
    match (
        matches.get::<PathBuf>("tls-cert")?,
        matches.get::<PathBuf>("tls-key")?,
    ) {
        (Some(cert), Some(key)) => {
            config.tls = Some(TlsFiles {
                cert,
                key,
                client_ca,
            });
        }
        (None, None) if client_ca.is_some() => {
            return Err(CliError::new(
                "--tls-client-ca needs --tls-cert and --tls-key: client certificates are checked over HTTPS",
            ));
        }
        (None, None) => {}
        (Some(_), None) => return Err(CliError::new("--tls-cert needs --tls-key as well")),
        (None, Some(_)) => return Err(CliError::new("--tls-key needs --tls-cert as well")),
    }
    if let Some(name) = matches.get::<String>("replica-id")? {
        HttpConfig::check_replica_id(&name).map_err(|hint| {
            CliError::new(format!(
                "invalid value '{name}' for '--replica-id <NAME>': {hint}"
            ))
        })?;
        config.replica_id = Some(name);
    }
    config.allow_ips = networks(matches, "allow-ip")?;
    config.trusted_proxies = networks(matches, "trusted-proxy")?;
    if let Some(bytes) = matches.get("max-body-bytes")? {
        config.max_body_bytes = bytes;
    }
    config.drain_timeout = limits.drain_timeout;
    config.max_concurrent_requests = limits.max_concurrent;
    Ok(HttpSettings {
        config,
        token_file: matches.get("auth-token-file")?,
    })
}

/// Every network given to the list flag `long`.
fn networks(matches: &Matches, long: &str) -> Result<Vec<IpNet>, CliError> {
    matches
        .all(long)
        .iter()
        .map(|text| {
            text.parse().map_err(|error: IpNetError| {
                CliError::new(format!("invalid value for '--{long} <CIDR>': {error}"))
            })
        })
        .collect()
}

impl HttpSettings {
    /// The HTTP configuration, with the tokens read from their file and `MCP_AUTH_TOKEN`.
    pub(super) fn config(self) -> Result<HttpConfig, String> {
        let mut config = self.config;
        let mut tokens = match &self.token_file {
            Some(path) => Tokens::from_file(path)
                .map_err(|error| format!("cannot read tokens from {}: {error}", path.display()))?,
            None => Tokens::default(),
        };
        if let Ok(token) = std::env::var(TOKEN_ENV) {
            tokens = tokens.with("env", &token);
        }
        config.tokens = tokens;
        Ok(config)
    }
}
