//! Where log lines go (stderr, never stdout: that is the stdio channel) and how they are
//! written: `--log-format text` for people, `json` for log collectors.

use std::fmt;
use std::str::FromStr;

use tracing::Dispatch;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;

use super::lazy_logger::LazyLogger;

/// How each log line on stderr is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum LogFormat {
    /// tracing-subscriber's human-readable lines, coloured on a terminal.
    #[default]
    Text,
    /// One JSON object per line: `timestamp`, `level`, `target`, the message and the
    /// event's fields at the top level, and the fields of the current span under `span`;
    /// a panic is such a line too.
    Json,
}

impl LogFormat {
    /// Every format, in the order `--help` lists them.
    pub(crate) const ALL: [LogFormat; 2] = [LogFormat::Text, LogFormat::Json];

    /// The name used on the command line.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<LogFormat, String> {
        LogFormat::ALL
            .into_iter()
            .find(|format| format.as_str() == text)
            .ok_or_else(|| {
                let valid: Vec<_> = LogFormat::ALL.iter().map(|f| format!("`{f}`")).collect();
                format!(
                    "unknown log format `{text}`; expected one of {}",
                    valid.join(", ")
                )
            })
    }
}

/// Logs to stderr in `format`, filtered by `RUST_LOG` (`info` when unset or unreadable).
///
/// `RUST_LOG` takes a default level and per-target levels, such as `debug` or
/// `warn,mcp=trace` (tracing-subscriber's `Targets` syntax: no regular expressions, which
/// keeps them out of every server binary).
pub(crate) fn init(format: LogFormat) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let real_filter = filter.clone();
    let build = move || stderr_logger(format, real_filter.clone());
    // The formatter is built at the first line logged (see `LazyLogger`).
    let logger = LazyLogger::new(filter, Box::new(build));
    let installed = tracing::subscriber::set_global_default(logger).is_ok();
    if installed && format == LogFormat::Json {
        log_panics();
    }
}

/// tracing-subscriber's formatter writing `format` lines to stderr, filtered by `filter`.
fn stderr_logger(format: LogFormat, filter: Targets) -> Dispatch {
    let output = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let output = match format {
        LogFormat::Text => output
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .boxed(),
        LogFormat::Json => output
            .with_ansi(false)
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    };
    Dispatch::new(tracing_subscriber::registry().with(output.with_filter(filter)))
}

/// Makes a panic one `ERROR` log line, so that in JSON every line of stderr stays a JSON
/// object (the default hook writes several lines of text). The line carries the thread,
/// the location, and a backtrace when `RUST_BACKTRACE` asks for one.
fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload_as_str().unwrap_or("a panic");
        let location = info.location().map(ToString::to_string);
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            tracing::error!(thread, location, %backtrace, "panicked: {payload}");
        } else {
            tracing::error!(thread, location, "panicked: {payload}");
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_an_unknown_one_lists_the_valid_ones() {
        for format in LogFormat::ALL {
            assert_eq!(format.as_str().parse(), Ok(format));
        }
        assert_eq!(LogFormat::default(), LogFormat::Text);
        let error = "yaml".parse::<LogFormat>().unwrap_err();
        assert_eq!(
            error,
            "unknown log format `yaml`; expected one of `text`, `json`"
        );
    }
}
