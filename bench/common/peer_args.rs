//! The command line both benchmark peers share: `--transport stdio|http` and
//! `--bind ADDR`, read by hand (two flags need no parser). Included by each peer with
//! `#[path]`, so each stays one standalone binary.

use std::net::SocketAddr;

/// Where `--bind` points when it is not given.
pub(crate) const DEFAULT_BIND: &str = "127.0.0.1:8000";

/// How clients reach the server.
pub(crate) enum Transport {
    Stdio,
    Http(SocketAddr),
}

/// Reads `--transport` and `--bind`; `Err` with an empty message for `--help`.
pub(crate) fn parse_args() -> Result<Transport, String> {
    let mut transport = String::from("stdio");
    let mut bind = String::from(DEFAULT_BIND);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let slot = match flag.as_str() {
            "--transport" => &mut transport,
            "--bind" => &mut bind,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        };
        *slot = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("`{flag}` needs a value")),
        };
    }
    match transport.as_str() {
        "stdio" => Ok(Transport::Stdio),
        "http" => bind
            .parse()
            .map(Transport::Http)
            .map_err(|error| format!("bad --bind `{bind}`: {error}")),
        other => Err(format!("unknown transport `{other}`")),
    }
}
