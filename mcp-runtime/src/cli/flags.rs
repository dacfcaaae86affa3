//! A small command-line parser for the generated `main`: long flags, each with an
//! environment variable and a default, plus `--help` and `--version`.
//!
//! The command line of an MCP server is a dozen flags; a general parser (clap) costs a
//! quarter of a megabyte of code in every server binary and pages of it at every start.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::str::FromStr;

/// One `--long` flag.
#[derive(Debug, Clone)]
pub(crate) struct Flag {
    /// The name after `--`, which is also the key its value is read by.
    long: &'static str,
    /// The environment variable read when the flag is absent.
    env: Option<&'static str>,
    /// The placeholder shown in help (`ADDR`); `None` for a switch, which takes no value.
    value_name: Option<&'static str>,
    help: Cow<'static, str>,
    default: Option<Cow<'static, str>>,
    /// Values accepted, when only some are.
    choices: Vec<&'static str>,
    /// `Some(delimiter)`: the flag may be repeated, and its environment variable holds a
    /// list split on the delimiter.
    list: Option<char>,
}

impl Flag {
    /// A flag that takes one value: `--bind ADDR` or `--bind=ADDR`.
    pub(crate) fn value(long: &'static str, value_name: &'static str) -> Self {
        Flag {
            long,
            env: None,
            value_name: Some(value_name),
            help: Cow::Borrowed(""),
            default: None,
            choices: Vec::new(),
            list: None,
        }
    }

    /// A flag that takes no value and turns something on.
    pub(crate) fn switch(long: &'static str) -> Self {
        Flag {
            value_name: None,
            ..Flag::value(long, "")
        }
    }

    pub(crate) fn env(mut self, name: &'static str) -> Self {
        self.env = Some(name);
        self
    }

    pub(crate) fn help(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.help = text.into();
        self
    }

    pub(crate) fn default(mut self, value: impl Into<Cow<'static, str>>) -> Self {
        self.default = Some(value.into());
        self
    }

    pub(crate) fn choices(mut self, values: impl IntoIterator<Item = &'static str>) -> Self {
        self.choices = values.into_iter().collect();
        self
    }

    /// Repeatable; the environment variable holds the values split on `delimiter`.
    pub(crate) fn list(mut self, delimiter: char) -> Self {
        self.list = Some(delimiter);
        self
    }

    /// `--bind <ADDR>`, as help and errors name the flag.
    fn display(&self) -> String {
        match self.value_name {
            Some(name) => format!("--{} <{name}>", self.long),
            None => format!("--{}", self.long),
        }
    }
}

/// A command: its name, version, one-line description and flags.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    name: &'static str,
    version: &'static str,
    about: Option<&'static str>,
    flags: Vec<Flag>,
}

/// What a command line asks for.
#[derive(Debug)]
pub(crate) enum Parsed {
    /// Serve, with these values.
    Run(Matches),
    /// Print this text on stdout and exit successfully (`--help`, `--version`).
    Print(String),
}

/// Where a value came from, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Flag,
    Env(&'static str),
    Default,
}

#[derive(Debug)]
struct Found {
    values: Vec<String>,
    source: Source,
}

/// The values of a parsed command line, by flag.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    found: HashMap<&'static str, Found>,
    /// How each flag is shown, for errors raised while reading a value.
    shown: HashMap<&'static str, String>,
}

/// A command line that cannot be served; shown on stderr, exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CliError {
    message: String,
}

impl CliError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
        }
    }

    /// The exit code of a usage error, as sysexits and clap use it.
    pub(crate) const EXIT_CODE: u8 = 2;
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error: {}\n\nFor more information, try '--help'.",
            self.message
        )
    }
}

impl std::error::Error for CliError {}

impl Command {
    pub(crate) fn new(name: &'static str, version: &'static str) -> Self {
        Command {
            name,
            version,
            about: None,
            flags: Vec::new(),
        }
    }

    pub(crate) fn about(mut self, about: &'static str) -> Self {
        self.about = Some(about);
        self
    }

    pub(crate) fn flag(mut self, flag: Flag) -> Self {
        debug_assert!(
            self.flags.iter().all(|known| known.long != flag.long),
            "--{} defined twice",
            flag.long
        );
        self.flags.push(flag);
        self
    }

    /// Parses `args` (the first is the program's name) and then, for every flag not
    /// given, the environment through `env`, then the defaults.
    pub(crate) fn parse<I, T>(
        &self,
        args: I,
        env: impl Fn(&str) -> Option<OsString>,
    ) -> Result<Parsed, CliError>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let mut matches = Matches::default();
        let mut args = args.into_iter().skip(1).map(Into::into);
        while let Some(arg) = args.next() {
            let arg = arg
                .into_string()
                .map_err(|arg| CliError::new(format!("invalid UTF-8 in argument {arg:?}")))?;
            match arg.as_str() {
                "-h" | "--help" => return Ok(Parsed::Print(self.help())),
                "-V" | "--version" => {
                    return Ok(Parsed::Print(format!("{} {}\n", self.name, self.version)));
                }
                _ => {}
            }
            let Some(body) = arg.strip_prefix("--") else {
                return Err(CliError::new(format!("unexpected argument '{arg}' found")));
            };
            let (long, inline) = match body.split_once('=') {
                Some((long, value)) => (long, Some(value.to_owned())),
                None => (body, None),
            };
            let flag = self
                .flags
                .iter()
                .find(|flag| flag.long == long)
                .ok_or_else(|| CliError::new(format!("unexpected argument '--{long}' found")))?;
            let value = match (flag.value_name, inline) {
                (None, None) => String::from("true"),
                (None, Some(value)) => {
                    return Err(CliError::new(format!(
                        "unexpected value '{value}' for '{}': it takes none",
                        flag.display()
                    )));
                }
                (Some(_), Some(value)) => value,
                (Some(_), None) => match args.next().map(OsString::into_string) {
                    Some(Ok(value)) if !value.starts_with("--") => value,
                    Some(Err(value)) => {
                        return Err(CliError::new(format!(
                            "invalid UTF-8 in the value of '{}': {value:?}",
                            flag.display()
                        )));
                    }
                    _ => {
                        return Err(CliError::new(format!(
                            "a value is required for '{}' but none was supplied",
                            flag.display()
                        )));
                    }
                },
            };
            check_choice(flag, &value, Source::Flag)?;
            let found = matches.found.entry(flag.long).or_insert(Found {
                values: Vec::new(),
                source: Source::Flag,
            });
            if !found.values.is_empty() && flag.list.is_none() {
                return Err(CliError::new(format!(
                    "the argument '{}' cannot be used multiple times",
                    flag.display()
                )));
            }
            found.values.push(value);
        }
        for flag in &self.flags {
            matches.shown.insert(flag.long, flag.display());
            if matches.found.contains_key(flag.long) {
                continue;
            }
            if let Some(found) = from_env(flag, &env)? {
                matches.found.insert(flag.long, found);
            } else if let Some(default) = &flag.default {
                matches.found.insert(
                    flag.long,
                    Found {
                        values: vec![default.to_string()],
                        source: Source::Default,
                    },
                );
            }
        }
        Ok(Parsed::Run(matches))
    }

    /// The text of `--help`: every flag, its environment variable and default.
    pub(crate) fn help(&self) -> String {
        let mut help = String::new();
        if let Some(about) = self.about {
            help.push_str(about);
            help.push_str("\n\n");
        }
        help.push_str(&format!("Usage: {} [OPTIONS]\n\nOptions:\n", self.name));
        for flag in &self.flags {
            let mut notes = Vec::new();
            if let Some(env) = flag.env {
                notes.push(format!("[env: {env}]"));
            }
            if let Some(default) = &flag.default {
                notes.push(format!("[default: {default}]"));
            }
            if !flag.choices.is_empty() {
                notes.push(format!("[possible values: {}]", flag.choices.join(", ")));
            }
            if flag.list.is_some() {
                notes.push(String::from("[repeatable]"));
            }
            entry(&mut help, &flag.display(), &flag.help, &notes.join(" "));
        }
        entry(&mut help, "-h, --help", "Print help", "");
        entry(&mut help, "-V, --version", "Print version", "");
        help
    }
}

fn entry(help: &mut String, shown: &str, text: &str, notes: &str) {
    help.push_str("  ");
    help.push_str(shown);
    help.push('\n');
    for line in [text, notes] {
        if !line.is_empty() {
            help.push_str("          ");
            help.push_str(line);
            help.push('\n');
        }
    }
}

fn check_choice(flag: &Flag, value: &str, source: Source) -> Result<(), CliError> {
    if flag.choices.is_empty() || flag.choices.contains(&value) {
        return Ok(());
    }
    Err(CliError::new(format!(
        "invalid value '{value}' for '{}'{}\n  [possible values: {}]",
        flag.display(),
        from(source),
        flag.choices.join(", ")
    )))
}

/// ` (from MCP_BIND)` when the value came from the environment.
fn from(source: Source) -> String {
    match source {
        Source::Env(name) => format!(" (from {name})"),
        Source::Flag | Source::Default => String::new(),
    }
}

/// The flag's value from its environment variable; an empty variable counts as unset.
fn from_env(
    flag: &Flag,
    env: &impl Fn(&str) -> Option<OsString>,
) -> Result<Option<Found>, CliError> {
    let Some(name) = flag.env else {
        return Ok(None);
    };
    let Some(raw) = env(name) else {
        return Ok(None);
    };
    let text = raw
        .into_string()
        .map_err(|raw| CliError::new(format!("{name} is not valid UTF-8: {raw:?}")))?;
    if text.is_empty() {
        return Ok(None);
    }
    let source = Source::Env(name);
    let values = if flag.value_name.is_none() {
        if !switch_is_on(&text).map_err(|message| {
            CliError::new(format!("invalid value '{text}' in {name}: {message}"))
        })? {
            return Ok(None);
        }
        vec![String::from("true")]
    } else if let Some(delimiter) = flag.list {
        text.split(delimiter)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
            .collect()
    } else {
        vec![text]
    };
    for value in &values {
        check_choice(flag, value, source)?;
    }
    Ok(Some(Found { values, source }))
}

/// Whether an environment variable's text turns a switch on.
fn switch_is_on(text: &str) -> Result<bool, &'static str> {
    match text.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" | "y" | "t" => Ok(true),
        "0" | "false" | "no" | "off" | "n" | "f" => Ok(false),
        _ => Err("expected true or false"),
    }
}

impl Matches {
    /// The flag's value, parsed; `None` when it was not given and has no default.
    pub(crate) fn get<T>(&self, long: &str) -> Result<Option<T>, CliError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let Some(found) = self.found.get(long) else {
            return Ok(None);
        };
        let Some(text) = found.values.first() else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|error| {
            let shown = self.shown.get(long).map_or(long, String::as_str);
            CliError::new(format!(
                "invalid value '{text}' for '{shown}'{}: {error}",
                from(found.source)
            ))
        })
    }

    /// Every value of a repeatable flag, in order.
    pub(crate) fn all(&self, long: &str) -> &[String] {
        self.found
            .get(long)
            .map_or(&[], |found| found.values.as_slice())
    }

    /// Whether a switch is on.
    pub(crate) fn is_on(&self, long: &str) -> bool {
        self.found.contains_key(long)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command() -> Command {
        Command::new("calc", "1.2.3")
            .about("Adds numbers")
            .flag(
                Flag::value("transport", "TRANSPORT")
                    .env("T_ENV")
                    .choices(["stdio", "http"])
                    .default("stdio")
                    .help("How clients reach the server"),
            )
            .flag(Flag::value("size", "ITEMS").env("SIZE_ENV"))
            .flag(Flag::switch("open").env("OPEN_ENV"))
            .flag(Flag::value("origin", "ORIGIN").env("ORIGINS").list(','))
    }

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Parsed, CliError> {
        let env: Vec<(String, OsString)> = env
            .iter()
            .map(|(key, value)| (key.to_string(), OsString::from(value)))
            .collect();
        let all = std::iter::once("calc").chain(args.iter().copied());
        command().parse(all, |name| {
            env.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        })
    }

    fn run(args: &[&str], env: &[(&str, &str)]) -> Matches {
        match parse(args, env) {
            Ok(Parsed::Run(matches)) => matches,
            other => panic!("{other:?}"),
        }
    }

    fn error(args: &[&str], env: &[(&str, &str)]) -> String {
        parse(args, env).unwrap_err().to_string()
    }

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_default() {
        let value = |m: Matches| m.get::<String>("transport").unwrap().unwrap();
        assert_eq!(value(run(&[], &[])), "stdio");
        assert_eq!(value(run(&[], &[("T_ENV", "http")])), "http");
        let flag = run(&["--transport", "stdio"], &[("T_ENV", "http")]);
        assert_eq!(value(flag), "stdio");
        assert_eq!(value(run(&["--transport=http"], &[])), "http");
    }

    #[test]
    fn values_are_parsed_into_their_type_with_a_message_naming_the_flag() {
        assert_eq!(
            run(&["--size", "7"], &[]).get::<usize>("size").unwrap(),
            Some(7)
        );
        assert_eq!(run(&[], &[]).get::<usize>("size").unwrap(), None);
        let bad = run(&[], &[("SIZE_ENV", "seven")])
            .get::<usize>("size")
            .unwrap_err()
            .to_string();
        assert!(
            bad.contains("'seven'") && bad.contains("--size <ITEMS>") && bad.contains("SIZE_ENV"),
            "{bad}"
        );
    }

    #[test]
    fn a_value_outside_the_choices_lists_them() {
        for text in [
            error(&["--transport", "htp"], &[]),
            error(&[], &[("T_ENV", "bogus")]),
        ] {
            assert!(text.contains("[possible values: stdio, http]"), "{text}");
        }
    }

    #[test]
    fn switches_take_no_value_and_read_boolean_words_from_the_environment() {
        assert!(run(&["--open"], &[]).is_on("open"));
        assert!(!run(&[], &[]).is_on("open"));
        assert!(run(&[], &[("OPEN_ENV", "yes")]).is_on("open"));
        assert!(!run(&[], &[("OPEN_ENV", "false")]).is_on("open"));
        assert!(error(&[], &[("OPEN_ENV", "maybe")]).contains("OPEN_ENV"));
        assert!(error(&["--open=1"], &[]).contains("takes none"));
    }

    #[test]
    fn lists_repeat_on_the_command_line_and_split_in_the_environment() {
        let flags = run(&["--origin", "a", "--origin=b"], &[("ORIGINS", "c")]);
        assert_eq!(flags.all("origin"), ["a", "b"]);
        let env = run(&[], &[("ORIGINS", "c, d,,")]);
        assert_eq!(env.all("origin"), ["c", "d"]);
        assert!(run(&[], &[]).all("origin").is_empty());
    }

    #[test]
    fn mistakes_are_errors_not_guesses() {
        assert!(error(&["--bogus"], &[]).contains("'--bogus'"));
        assert!(error(&["stray"], &[]).contains("'stray'"));
        assert!(error(&["--size"], &[]).contains("a value is required"));
        assert!(error(&["--size", "--open"], &[]).contains("a value is required"));
        assert!(error(&["--size", "1", "--size", "2"], &[]).contains("multiple times"));
        assert!(error(&["--bogus"], &[]).contains("try '--help'"));
    }

    #[test]
    fn an_empty_environment_variable_counts_as_unset() {
        let matches = run(&[], &[("T_ENV", ""), ("SIZE_ENV", "")]);
        assert_eq!(
            matches.get::<String>("transport").unwrap().as_deref(),
            Some("stdio")
        );
        assert_eq!(matches.get::<usize>("size").unwrap(), None);
    }

    #[test]
    fn help_and_version_are_printed_not_served() {
        let Ok(Parsed::Print(help)) = parse(&["--size", "1", "--help"], &[]) else {
            panic!("--help is not printed");
        };
        assert!(
            help.starts_with("Adds numbers\n\nUsage: calc [OPTIONS]"),
            "{help}"
        );
        assert!(
            help.contains(
                "  --transport <TRANSPORT>\n          How clients reach the server\n          \
                 [env: T_ENV] [default: stdio] [possible values: stdio, http]\n"
            ),
            "{help}"
        );
        assert!(help.contains("  --origin <ORIGIN>\n          [env: ORIGINS] [repeatable]"));
        let Ok(Parsed::Print(version)) = parse(&["-V"], &[]) else {
            panic!("-V is not printed");
        };
        assert_eq!(version, "calc 1.2.3\n");
    }
}
