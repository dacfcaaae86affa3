//! The command line `#[mcp::main]` gives every server.

use std::ffi::OsString;
use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

mod flags;
#[cfg(feature = "http")]
mod http;
mod lazy_logger;
mod logging;
mod runtime;

use flags::{CliError, Command, Flag, Parsed};
use logging::LogFormat;

use crate::server::{Server, ServerBuilder, ServerInfo};
use crate::transport::TransportKind;
use crate::transport::stdio::StdioConfig;

/// Environment variable that selects the transport.
pub(crate) const TRANSPORT_ENV: &str = "MCP_TRANSPORT";

/// What `#[mcp::main]` knows at compile time.
#[derive(Debug, Clone)]
pub struct MainOptions {
    /// The server's (and the command's) name.
    pub name: &'static str,
    /// The server's version.
    pub version: &'static str,
    /// Transport used when neither the flag nor the environment names one.
    pub transport: TransportKind,
    /// Default HTTP address, from `#[mcp::main(bind = "...")]`.
    pub bind: Option<&'static str>,
    /// A one-line description for `--help`.
    pub about: Option<&'static str>,
}

/// Settings read from the command line and the environment, every value checked.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The transport to serve on.
    pub(crate) transport: TransportKind,
    /// Items per page of the list methods; `None` serves whole lists.
    page_size: Option<usize>,
    /// How log lines on stderr are written.
    log_format: LogFormat,
    limits: Limits,
    #[cfg(feature = "http")]
    http: http::HttpSettings,
}

/// The limits every transport applies.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    /// Calls (stdio) or requests (HTTP) served at once before new ones are refused.
    max_concurrent: usize,
    /// At the end of stdin, or on SIGTERM over HTTP, how long calls may take to finish.
    drain_timeout: Duration,
}

/// What a command line asks the program to do.
#[derive(Debug)]
pub(crate) enum Invocation {
    /// Serve with these settings.
    Serve(Box<Settings>),
    /// Print this (`--help`, `--version`) on stdout and exit successfully.
    Print(String),
}

fn command(options: &MainOptions) -> Command {
    let defaults = StdioConfig::default();
    let mut command = Command::new(options.name, options.version)
        .flag(
            Flag::value("transport", "TRANSPORT")
                .env(TRANSPORT_ENV)
                .choices(TransportKind::ALL.iter().map(|kind| kind.as_str()))
                .default(options.transport.as_str())
                .help("How clients reach the server"),
        )
        .flag(
            Flag::value("page-size", "ITEMS")
                .env("MCP_PAGE_SIZE")
                .help("Split tool, resource and prompt lists into pages of this many items"),
        )
        .flag(
            Flag::value("max-concurrent-requests", "COUNT")
                .env("MCP_MAX_CONCURRENT_REQUESTS")
                .default(defaults.max_in_flight.to_string())
                .help("Calls (stdio) or requests (HTTP) served at once; beyond, new ones get an error (HTTP 503) at once"),
        )
        .flag(
            Flag::value("drain-timeout", "SECONDS")
                .env("MCP_DRAIN_TIMEOUT")
                .default(defaults.drain_timeout.as_secs().to_string())
                .help("At the end of stdin, or on SIGTERM over HTTP, how long calls in flight may take to finish"),
        )
        .flag(
            Flag::value("log-format", "FORMAT")
                .env("MCP_LOG_FORMAT")
                .choices(LogFormat::ALL.iter().map(|format| format.as_str()))
                .default(LogFormat::default().as_str())
                .help("How log lines on stderr are written: text for people, json (one object per line) for log collectors"),
        );
    if let Some(about) = options.about.filter(|about| !about.is_empty()) {
        command = command.about(about);
    }
    #[cfg(feature = "http")]
    {
        command = http::add(command, options);
    }
    command
}

/// Parses arguments, then the environment through `env`, into [`Settings`].
pub(crate) fn parse_settings<I, T>(
    options: &MainOptions,
    args: I,
    env: impl Fn(&str) -> Option<OsString>,
) -> Result<Invocation, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let matches = match command(options).parse(args, env)? {
        Parsed::Run(matches) => matches,
        Parsed::Print(text) => return Ok(Invocation::Print(text)),
    };
    let defaults = StdioConfig::default();
    let limits = Limits {
        max_concurrent: matches
            .get("max-concurrent-requests")?
            .unwrap_or(defaults.max_in_flight),
        drain_timeout: matches
            .get("drain-timeout")?
            .map_or(defaults.drain_timeout, Duration::from_secs),
    };
    if limits.max_concurrent == 0 {
        return Err(CliError::new(
            "--max-concurrent-requests must be at least 1",
        ));
    }
    Ok(Invocation::Serve(Box::new(Settings {
        transport: matches.get("transport")?.unwrap_or(options.transport),
        page_size: matches.get("page-size")?,
        log_format: matches.get("log-format")?.unwrap_or_default(),
        #[cfg(feature = "http")]
        http: http::settings(&matches, &limits)?,
        limits,
    })))
}

/// The body of a `main` generated by `#[mcp::main]`: parse the command line, run the
/// user's own `main` body, then serve every registered tool.
pub fn run_main<F>(options: MainOptions, setup: F) -> ExitCode
where
    F: Future<Output = ()>,
{
    let settings =
        match parse_settings(&options, std::env::args_os(), |name| std::env::var_os(name)) {
            Ok(Invocation::Serve(settings)) => *settings,
            Ok(Invocation::Print(text)) => {
                print!("{text}");
                return ExitCode::SUCCESS;
            }
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(CliError::EXIT_CODE);
            }
        };
    logging::init(settings.log_format);
    let runtime = match runtime::build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        setup.await;
        let info = ServerInfo {
            name: options.name.to_owned(),
            version: options.version.to_owned(),
            ..ServerInfo::default()
        };
        let server = match builder(info, &settings).build() {
            Ok(server) => server,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        };
        // Serving runs as a task, not in `block_on`: on a multi-thread runtime the reader
        // and the tasks it spawns then share a worker thread instead of waking each other
        // across two.
        match tokio::spawn(serve(server, settings)).await {
            Ok(code) => code,
            Err(error) => {
                eprintln!("error: the server stopped unexpectedly: {error}");
                ExitCode::FAILURE
            }
        }
    })
}

/// The server the command line describes: every registered item, the page size.
fn builder(info: ServerInfo, settings: &Settings) -> ServerBuilder {
    let builder = Server::builder().info(info).registered().provided_states();
    match settings.page_size {
        Some(size) => builder.page_size(size),
        None => builder,
    }
}

async fn serve(server: Server, settings: Settings) -> ExitCode {
    let served = match settings.transport {
        TransportKind::Stdio => {
            let config = StdioConfig {
                max_in_flight: settings.limits.max_concurrent,
                drain_timeout: settings.limits.drain_timeout,
            };
            server.serve_stdio_with(config).await
        }
        #[cfg(feature = "http")]
        TransportKind::Http => match settings.http.config() {
            Ok(config) => crate::transport::http::serve_http(server, config).await,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        },
        #[cfg(not(feature = "http"))]
        TransportKind::Http => {
            eprintln!(
                "error: this build has no `http` transport: enable the `http` feature of `mcp`"
            );
            return ExitCode::from(2);
        }
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> MainOptions {
        MainOptions {
            name: "calc",
            version: "1.0.0",
            transport: TransportKind::Stdio,
            bind: None,
            about: None,
        }
    }

    fn parse_with(
        options: &MainOptions,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Result<Invocation, CliError> {
        let all = std::iter::once("calc").chain(args.iter().copied());
        parse_settings(options, all, |name| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        })
    }

    fn settings(args: &[&str], env: &[(&str, &str)]) -> Settings {
        match parse_with(&options(), args, env) {
            Ok(Invocation::Serve(settings)) => *settings,
            other => panic!("{other:?}"),
        }
    }

    fn error(args: &[&str], env: &[(&str, &str)]) -> String {
        parse_with(&options(), args, env).unwrap_err().to_string()
    }

    #[test]
    fn the_macro_default_applies_without_flag() {
        assert_eq!(settings(&[], &[]).transport, TransportKind::Stdio);
        let http = MainOptions {
            transport: TransportKind::Http,
            ..options()
        };
        let Ok(Invocation::Serve(served)) = parse_with(&http, &[], &[]) else {
            panic!("no settings");
        };
        assert_eq!(served.transport, TransportKind::Http);
    }

    #[test]
    fn the_flag_overrides_the_environment_which_overrides_the_default() {
        let env = [(TRANSPORT_ENV, "http")];
        assert_eq!(settings(&[], &env).transport, TransportKind::Http);
        let flag = settings(&["--transport", "stdio"], &env);
        assert_eq!(flag.transport, TransportKind::Stdio);
    }

    #[test]
    fn an_unknown_transport_names_the_valid_ones() {
        let text = error(&["--transport", "bogus"], &[]);
        assert!(
            text.contains("bogus") && text.contains("stdio") && text.contains("http"),
            "{text}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_before_serving() {
        assert_eq!(settings(&["--page-size", "5"], &[]).page_size, Some(5));
        let text = error(&[], &[("MCP_PAGE_SIZE", "many")]);
        assert!(
            text.contains("'many'")
                && text.contains("--page-size")
                && text.contains("MCP_PAGE_SIZE"),
            "{text}"
        );
    }

    #[test]
    fn the_log_format_is_text_unless_the_flag_or_the_environment_says_json() {
        assert_eq!(settings(&[], &[]).log_format, LogFormat::Text);
        let env = [("MCP_LOG_FORMAT", "json")];
        assert_eq!(settings(&[], &env).log_format, LogFormat::Json);
        let flag = settings(&["--log-format", "text"], &env);
        assert_eq!(flag.log_format, LogFormat::Text);
        let inline = settings(&["--log-format=json"], &[]);
        assert_eq!(inline.log_format, LogFormat::Json);
        let from_flag = error(&["--log-format", "yaml"], &[]);
        let from_env = error(&[], &[("MCP_LOG_FORMAT", "JSON")]);
        for text in [&from_flag, &from_env] {
            assert!(
                text.contains("--log-format <FORMAT>")
                    && text.contains("[possible values: text, json]"),
                "{text}"
            );
        }
        assert!(from_env.contains("(from MCP_LOG_FORMAT)"), "{from_env}");
    }

    #[cfg(feature = "http")]
    #[test]
    fn http_values_are_checked_when_parsing() {
        assert!(error(&["--bind", "localhost"], &[]).contains("'localhost'"));
        assert!(error(&["--max-body-bytes", "-1"], &[]).contains("--max-body-bytes"));
        assert!(error(&[], &[("MCP_DRAIN_TIMEOUT", "soon")]).contains("MCP_DRAIN_TIMEOUT"));
        assert!(error(&["--tls-cert", "cert.pem"], &[]).contains("--tls-key"));
        assert!(error(&["--tls-key", "key.pem"], &[]).contains("--tls-cert"));
        assert!(error(&["--tls-client-ca", "ca.pem"], &[]).contains("--tls-cert"));
        let tls = ["--tls-cert", "c.pem", "--tls-key", "k.pem"];
        let open = settings(&[&["--bind", "0.0.0.0:9"][..], &tls].concat(), &[]);
        assert!(
            open.http.config().unwrap().check().is_err(),
            "no authentication on a public address"
        );
        let mutual = settings(
            &[&["--bind", "0.0.0.0:9"][..], &tls].concat(),
            &[("MCP_TLS_CLIENT_CA", "ca.pem")],
        );
        let config = mutual.http.config().unwrap();
        assert_eq!(config.check(), Ok(()), "client certificates authenticate");
        let files = config.tls.expect("TLS is on");
        assert_eq!(files.client_ca, Some("ca.pem".into()));
        let http = settings(
            &["--bind", "127.0.0.1:9", "--allowed-origin", "https://a"],
            &[("MCP_ALLOWED_ORIGINS", "https://b")],
        );
        let config = http.http.config().unwrap();
        assert_eq!(config.bind, "127.0.0.1:9".parse().unwrap());
        assert_eq!(config.allowed_origins, ["https://a"]);
    }

    #[test]
    fn help_lists_every_flag_with_its_environment_variable() {
        let Ok(Invocation::Print(help)) = parse_with(&options(), &["--help"], &[]) else {
            panic!("--help is not printed");
        };
        let mut expected = vec![
            "--transport",
            TRANSPORT_ENV,
            "--page-size",
            "MCP_PAGE_SIZE",
            "--log-format",
            "MCP_LOG_FORMAT",
        ];
        if cfg!(feature = "http") {
            expected.extend(["--bind", "MCP_BIND", "--auth-token-file", "MCP_AUTH_TOKEN"]);
        }
        for flag in expected {
            assert!(help.contains(flag), "--help lacks {flag}: {help}");
        }
    }

    #[test]
    fn every_setting_reaches_the_server() {
        for args in [&["--page-size", "1"][..], &[][..]] {
            let settings = settings(args, &[]);
            assert!(builder(ServerInfo::default(), &settings).build().is_ok());
        }
    }
}
