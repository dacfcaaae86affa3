//! What the HTTP transport is configured with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::auth::Tokens;
use super::network::IpNet;

/// The default address: loopback only.
pub(crate) const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Settings of the HTTP transport. `#[mcp::main]` fills them from the command line.
///
/// ```
/// let config = mcp::transport::http::HttpConfig::new("127.0.0.1:0".parse().unwrap());
/// assert_eq!(config.max_body_bytes, 4 * 1024 * 1024);
/// ```
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// Accepted bearer tokens; empty means no authentication.
    pub tokens: Tokens,
    /// Serve without tokens even on a non-loopback address.
    pub insecure_no_auth: bool,
    /// Browser origins allowed besides loopback ones (`*` allows any).
    pub allowed_origins: Vec<String>,
    /// Certificate and key for HTTPS.
    pub tls: Option<TlsFiles>,
    /// Largest request body accepted (`413` beyond).
    pub max_body_bytes: usize,
    /// Requests served at once before new ones get `503`.
    pub max_concurrent_requests: usize,
    /// Legacy sessions open at once before new `initialize` requests get `503`.
    pub max_sessions: usize,
    /// A legacy session unused this long is closed.
    pub session_idle_timeout: Duration,
    /// How long a client may take to send its request headers.
    pub header_timeout: Duration,
    /// How long calls in flight may take to finish once draining starts.
    pub drain_timeout: Duration,
    /// This replica's name, the prefix of its legacy session ids (`r1.…`), so a load
    /// balancer can send each session back to the replica that holds it; see
    /// [`HttpConfig::check_replica_id`] for what a name may be.
    pub replica_id: Option<String>,
    /// Client networks served (`--allow-ip`); empty serves every address. Others get
    /// `403` before anything of their request is read.
    pub allow_ips: Vec<IpNet>,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<IpNet>,
}

/// PEM files for TLS.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert: PathBuf,
    /// Private key.
    pub key: PathBuf,
    /// PEM certificates of the CAs whose client certificates are accepted: set, every
    /// client must present one that chains to them (mutual TLS), or the handshake is
    /// refused; tools see it in
    /// [`Context::client_certificate`](crate::Context::client_certificate).
    pub client_ca: Option<PathBuf>,
}

impl HttpConfig {
    /// Defaults for an address: no tokens, 4 MiB bodies, 30 s drain.
    pub fn new(bind: SocketAddr) -> HttpConfig {
        HttpConfig {
            bind,
            tokens: Tokens::default(),
            insecure_no_auth: false,
            allowed_origins: Vec::new(),
            tls: None,
            max_body_bytes: 4 * 1024 * 1024,
            max_concurrent_requests: 1024,
            max_sessions: 10_000,
            session_idle_timeout: Duration::from_secs(30 * 60),
            header_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(30),
            replica_id: None,
            allow_ips: Vec::new(),
            trusted_proxies: Vec::new(),
        }
    }

    /// Checks a replica name: 1 to 32 ASCII letters, digits, `-` or `_`, so that it is a
    /// valid part of a session id and easy to match in a load balancer's configuration.
    ///
    /// ```
    /// use mcp::transport::http::HttpConfig;
    /// assert!(HttpConfig::check_replica_id("calc-2").is_ok());
    /// assert!(HttpConfig::check_replica_id("a.b").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// What is wrong with the name.
    pub fn check_replica_id(name: &str) -> Result<(), String> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if name.is_empty() || name.len() > 32 || !name.chars().all(allowed) {
            return Err("use 1 to 32 ASCII letters, digits, `-` or `_`".to_owned());
        }
        Ok(())
    }

    /// Refuses configurations that would expose an unauthenticated server.
    pub(crate) fn check(&self) -> Result<(), String> {
        let client_certificates = self.tls.as_ref().is_some_and(|tls| tls.client_ca.is_some());
        if !self.bind.ip().is_loopback()
            && self.tokens.is_empty()
            && !client_certificates
            && !self.insecure_no_auth
        {
            return Err(format!(
                "refusing to serve on {} without authentication: set a bearer token with \
                 MCP_AUTH_TOKEN=<token> or --auth-token-file <path> (one token per line), \
                 require client certificates with --tls-client-ca <path>, or pass --insecure-no-auth if something in front of this server authenticates",
                self.bind
            ));
        }
        #[cfg(not(feature = "tls"))]
        if self.tls.is_some() {
            return Err("TLS needs the `tls` feature of the `mcp` crate".into());
        }
        Ok(())
    }
}
