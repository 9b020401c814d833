//! The one error type of the core. Messages are lowercase, without a final period, with the
//! offending value after a colon.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An option name or value that does not exist.
    Config {
        message: String,
    },
    /// Bytes that cannot be decoded as text.
    Decode {
        encoding: &'static str,
        offset: usize,
    },
    /// Bytes that are binary data (a file read from a path), not text in any encoding.
    NotText,
    /// An input over the configured size limit.
    TooLarge {
        len: usize,
        limit: usize,
    },
    /// A page with more blocks (lines, HTML elements) than the labeller takes.
    TooManyBlocks {
        limit: usize,
    },
    Io(std::io::Error),
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    path: Option<PathBuf>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind) -> Self {
        Error { kind, path: None }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config {
            message: message.into(),
        })
    }

    /// "NAME must be one of 'a', 'b'; got 'x'"
    pub fn choice(name: &str, choices: &[&str], got: &str) -> Self {
        let list: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
        Error::config(format!(
            "{name} must be one of {}; got '{got}'",
            list.join(", ")
        ))
    }

    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{}: ", p.display())?;
        }
        match &self.kind {
            ErrorKind::Config { message } => f.write_str(message),
            ErrorKind::Decode { encoding, offset } => {
                write!(
                    f,
                    "cannot decode as {encoding}: invalid byte at offset {offset}"
                )
            }
            ErrorKind::NotText => f.write_str("binary data, not text"),
            ErrorKind::TooLarge { len, limit } => {
                write!(f, "input too large: {len} bytes (limit {limit})")
            }
            ErrorKind::TooManyBlocks { limit } => {
                write!(
                    f,
                    "input too large: more than {limit} blocks (lines or elements), not one page"
                )
            }
            ErrorKind::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_message_names_the_choices() {
        let e = Error::choice("preset", &["safe", "search"], "fast");
        assert_eq!(
            e.to_string(),
            "preset must be one of 'safe', 'search'; got 'fast'"
        );
    }

    #[test]
    fn path_comes_first() {
        let e = Error::new(ErrorKind::Decode {
            encoding: "utf-8",
            offset: 5,
        })
        .with_path("a.txt");
        assert_eq!(
            e.to_string(),
            "a.txt: cannot decode as utf-8: invalid byte at offset 5"
        );
    }
}
