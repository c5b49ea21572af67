//! Typed errors for everything the library can refuse.
//!
//! Every error that comes from a user's file names the file and, where there is one,
//! the line and column, so the binary can print it as is and exit with code 2.

use std::fmt;
use std::path::PathBuf;

/// Where in a user's file a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, or `<builtin:NAME>` / `<stdin>` for input that has no path.
    pub file: PathBuf,
    /// 1-based physical line, when known.
    pub line: Option<u64>,
    /// The column name (CSV) or 1-based column number, when known.
    pub column: Option<String>,
}

impl Location {
    /// A location in `file` with no line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    /// The same location at `line`.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location in `column`.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(col) = &self.column {
            write!(f, " (column `{col}`)")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A word list could not be used: bad header, bad row, bad regex.
    #[error("{location}: {message}")]
    WordList {
        /// Where.
        location: Location,
        /// What, in words a user understands.
        message: String,
    },
    /// A catalog could not be read at all (not a bad row: those are data).
    #[error("{location}: {message}")]
    Catalog {
        /// Where.
        location: Location,
        /// What.
        message: String,
    },
    /// A supporting file could not be used: a `brandscan.toml`, a `--baseline` report or a
    /// `--suppress` list (bad key, bad row, bad date).
    #[error("{location}: {message}")]
    Input {
        /// Where.
        location: Location,
        /// What.
        message: String,
    },
    /// An option had a value that cannot work.
    #[error("{0}")]
    Usage(String),
    /// The word lists need more than a budget allows (`--max-automaton-mb`).
    #[error("{0}")]
    TooBig(String),
    /// The system refused a resource the run needs (threads).
    #[error("{0}")]
    System(String),
    /// A penalty policy file could not be used (`audit --policy`).
    #[error("{location}: {message}")]
    Policy {
        /// Where.
        location: Location,
        /// What.
        message: String,
    },
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// The library's error type: an [`ErrorKind`] behind a box, so `Result<T>` stays small.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// A word-list error at `location`.
    pub fn wordlist(location: Location, message: impl Into<String>) -> Self {
        ErrorKind::WordList {
            location,
            message: message.into(),
        }
        .into()
    }

    /// A catalog error at `location`.
    pub fn catalog(location: Location, message: impl Into<String>) -> Self {
        ErrorKind::Catalog {
            location,
            message: message.into(),
        }
        .into()
    }

    /// A penalty-policy error at `location`.
    pub fn policy(location: Location, message: impl Into<String>) -> Self {
        ErrorKind::Policy {
            location,
            message: message.into(),
        }
        .into()
    }

    /// An error in a supporting file (config, baseline, suppressions) at `location`.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        ErrorKind::Input {
            location,
            message: message.into(),
        }
        .into()
    }

    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Self {
        ErrorKind::Usage(message.into()).into()
    }

    /// Word lists over a memory budget.
    pub fn too_big(message: impl Into<String>) -> Self {
        ErrorKind::TooBig(message.into()).into()
    }

    /// A resource the system refused.
    pub fn system(message: impl Into<String>) -> Self {
        ErrorKind::System(message.into()).into()
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ErrorKind::Io {
            path: path.into(),
            source,
        }
        .into()
    }

    /// True when the error is a closed pipe on output: the reader went away, which is not
    /// a failure of the run (ripgrep exits 0 then too).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&*self.0, ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MatcherBuilder, Rules};

    #[test]
    fn errors_say_their_kind() {
        let rules = Rules::parse_txt("l.txt", "Rolex\nNike\n").unwrap();
        let e = MatcherBuilder::new()
            .max_automaton_bytes(1)
            .build(rules)
            .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::TooBig(_)), "{e:?}");
        assert!(e.to_string().contains("the word lists are too big"), "{e}");
        let e = crate::fix::fix_catalog(
            &crate::fix::Fixer::new(
                crate::Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap(),
            ),
            "c.xlsx",
            Box::new(&b"PK\x03\x04"[..]),
            &mut Vec::new(),
            &crate::fix::FixOptions::default(),
            &mut NoEvents,
        )
        .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Catalog { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "c.xlsx: fix cannot write Excel workbooks yet; save the sheet as CSV and fix that"
        );
    }

    struct NoEvents;
    impl crate::fix::FixEvents for NoEvents {
        fn record(&mut self, _: &crate::fix::FixedRecord) -> Result<()> {
            Ok(())
        }
        fn bad_row(&mut self, _: &crate::catalog::BadRow) -> Result<()> {
            Ok(())
        }
    }
}
