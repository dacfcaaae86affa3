//! [`Error`] and [`Result`]: the error type for tool functions.

use std::fmt;

/// An error a tool returns; its text becomes the `isError` result the model reads.
///
/// Any `std::error::Error` converts into it with `?`, and [`Error::msg`] makes one from
/// text.
///
/// ```
/// /// Read a number from text.
/// #[mcp::tool]
/// fn parse(text: String) -> mcp::Result<i64> {
///     if text.is_empty() {
///         return Err(mcp::Error::msg("the text is empty"));
///     }
///     Ok(text.trim().parse::<i64>()?)
/// }
/// assert!(parse("42".into()).is_ok());
/// ```
pub struct Error {
    message: String,
}

/// `Result<T, mcp::Error>`, the usual return type of a fallible tool.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with this message.
    pub fn msg(message: impl fmt::Display) -> Error {
        Error {
            message: message.to_string(),
        }
    }
}

impl<E: std::error::Error> From<E> for Error {
    fn from(error: E) -> Error {
        Error::msg(error)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.message, f)
    }
}
