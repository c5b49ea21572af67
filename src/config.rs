//! `brandscan.toml`: defaults for every option of `scan` and `check` (SPEC §6).
//!
//! The file is looked up in the working directory (or named with `--config FILE`). Flags
//! on the command line win over it; the binary does that merge, this module only reads
//! and validates. An unknown key or a bad value is an error naming the file, the line and
//! the key, so a typo never silently does nothing.
//!
//! Top-level keys are shared by every command that matches text; the `[scan]` and
//! `[check]` tables hold each command's own options. `fail_on` may appear at the top and
//! in a table; the table wins for its command.
//!
//! Relative paths in the file (`wordlists`, `scan.output`, `scan.baseline`,
//! `scan.save_baseline`, `scan.suppress`) are relative to the file's directory, so one
//! config can be used from anywhere.
//!
//! ```
//! use brandscan::config::{Config, FailOn};
//! use brandscan::report::Format;
//!
//! let cfg = Config::parse(
//!     "/etc/brandscan/brandscan.toml",
//!     "wordlists = [\"brands.csv\"]\nfail_on = \"hide\"\n\n[scan]\nformat = \"listings\"\ndelimiter = \"tab\"\n",
//! ).unwrap();
//! assert_eq!(cfg.wordlists.as_ref().unwrap()[0], std::path::Path::new("/etc/brandscan/brands.csv"));
//! assert_eq!(cfg.scan.format, Some(Format::Listings));
//! assert_eq!(cfg.scan.delimiter, Some(b'\t'));
//! assert_eq!(cfg.scan_fail_on(), Some(FailOn::Hide));
//!
//! let err = Config::parse("brandscan.toml", "[scan]\nfromat = \"csv\"\n").unwrap_err();
//! assert!(err.to_string().starts_with("brandscan.toml:2: unknown key `scan.fromat`"));
//! ```

use crate::error::{Error, Location, Result};
use crate::finding::Action;
use crate::report::Format;
use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The name looked up in the working directory.
pub const FILE_NAME: &str = "brandscan.toml";

/// The contents of a `brandscan.toml`. Every value is optional: absent means "use the
/// flag's default".
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The file this was read from.
    #[serde(skip)]
    pub path: PathBuf,
    /// Word lists (`-w`); replace the built-in lists unless `builtin = true`.
    pub wordlists: Option<Vec<PathBuf>>,
    /// Use the built-in lists together with `wordlists` (`--builtin`); `false` is
    /// `--no-builtin`.
    pub builtin: Option<bool>,
    /// Do not use the built-in lists (`--no-builtin`).
    pub no_builtin: Option<bool>,
    /// Brands the seller is authorized for (`--authorized`).
    pub authorized: Option<Vec<String>>,
    /// The level at which the exit code becomes 1, for every command (`--fail-on`).
    pub fail_on: Option<FailOn>,
    /// Options of `scan`.
    #[serde(default)]
    pub scan: ScanConfig,
    /// Options of `check`.
    #[serde(default)]
    pub check: CheckConfig,
}

/// The `[scan]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// `-f/--format`.
    #[serde(default, deserialize_with = "parsed")]
    pub format: Option<Format>,
    /// `-o/--output`.
    pub output: Option<PathBuf>,
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--fields`.
    pub fields: Option<Vec<String>>,
    /// `--delimiter`: one ASCII character, or `tab`.
    #[serde(default, deserialize_with = "delimiter")]
    pub delimiter: Option<u8>,
    /// `-j/--threads`; 0 uses every core.
    pub threads: Option<usize>,
    /// `--fail-on` for `scan`, over the top-level `fail_on`.
    pub fail_on: Option<FailOn>,
    /// `--strict`.
    pub strict: Option<bool>,
    /// `-q/--quiet`.
    pub quiet: Option<bool>,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--save-baseline`.
    pub save_baseline: Option<PathBuf>,
    /// `--suppress`.
    pub suppress: Option<PathBuf>,
    /// `--fingerprint-column`.
    pub fingerprint_column: Option<bool>,
}

/// The `[check]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// `--format`.
    pub format: Option<CheckFormat>,
    /// `--fail-on` for `check`, over the top-level `fail_on`.
    pub fail_on: Option<FailOn>,
}

/// The level at which a run's exit code becomes 1 (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// A listing to remove.
    Remove,
    /// A listing to hide or remove.
    Hide,
    /// Any flagged listing.
    Review,
    /// Never: the exit code is 0 unless the run fails.
    Never,
}

impl FailOn {
    /// True when a listing whose strictest action is `action` reaches this level.
    ///
    /// ```
    /// use brandscan::{config::FailOn, Action};
    /// assert!(FailOn::Hide.reached_by(Action::Remove));
    /// assert!(!FailOn::Hide.reached_by(Action::Review));
    /// assert!(!FailOn::Never.reached_by(Action::Remove));
    /// ```
    pub fn reached_by(self, action: Action) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Remove => action >= Action::Remove,
            FailOn::Hide => action >= Action::Hide,
            FailOn::Review => action >= Action::Review,
        }
    }
}

/// The output of `check --title`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckFormat {
    /// Lines for people.
    Human,
    /// One JSON verdict object.
    Json,
}

impl Config {
    /// Read `path`.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Config::parse(path, &text)
    }

    /// `brandscan.toml` in `dir`, if there is one.
    pub fn discover(dir: &Path) -> Result<Option<Config>> {
        let path = dir.join(FILE_NAME);
        if !path.is_file() {
            return Ok(None);
        }
        // Shown as the bare name: the user knows which directory they are in.
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut cfg = Config::parse(FILE_NAME, &text)?;
        cfg.resolve_paths(dir);
        Ok(Some(cfg))
    }

    /// Parse the text of `path`; relative paths in it become relative to `path`'s
    /// directory.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Config> {
        let path = path.as_ref();
        let mut cfg: Config = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
        cfg.path = path.to_path_buf();
        if cfg.builtin.is_some() && cfg.no_builtin.is_some() && cfg.builtin == cfg.no_builtin {
            return Err(Error::input(
                Location::file(path),
                "`builtin` and `no_builtin` contradict each other; keep one of them",
            ));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            cfg.resolve_paths(dir);
        }
        Ok(cfg)
    }

    fn resolve_paths(&mut self, dir: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() && p.as_os_str() != "-" {
                *p = dir.join(&*p);
            }
        };
        for p in self.wordlists.iter_mut().flatten() {
            fix(p);
        }
        let s = &mut self.scan;
        for p in [
            &mut s.output,
            &mut s.baseline,
            &mut s.save_baseline,
            &mut s.suppress,
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
    }

    /// Whether the built-in lists are wanted: `Some(true)` for `builtin = true` or
    /// `no_builtin = false`, `Some(false)` for the opposite, `None` when neither is set.
    pub fn use_builtin(&self) -> Option<bool> {
        self.builtin.or(self.no_builtin.map(|n| !n))
    }

    /// `fail_on` for `scan`: the `[scan]` value, else the top-level one.
    pub fn scan_fail_on(&self) -> Option<FailOn> {
        self.scan.fail_on.or(self.fail_on)
    }

    /// `fail_on` for `check`: the `[check]` value, else the top-level one.
    pub fn check_fail_on(&self) -> Option<FailOn> {
        self.check.fail_on.or(self.fail_on)
    }
}

/// Parse a `--delimiter` value: one ASCII character, or `tab` / `\t`.
///
/// ```
/// assert_eq!(brandscan::config::parse_delimiter("tab"), Ok(b'\t'));
/// assert_eq!(brandscan::config::parse_delimiter(";"), Ok(b';'));
/// assert!(brandscan::config::parse_delimiter("ab").is_err());
/// ```
pub fn parse_delimiter(d: &str) -> std::result::Result<u8, String> {
    match d {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if d.len() == 1 && d.is_ascii() => Ok(d.as_bytes()[0]),
        _ => Err(format!(
            "the delimiter must be one ASCII character or `tab`, not `{d}`"
        )),
    }
}

fn parsed<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = String>,
{
    let s = String::deserialize(d)?;
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

fn delimiter<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u8>, D::Error> {
    let s = String::deserialize(d)?;
    parse_delimiter(&s)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// A TOML error as `file:line: key `k`: problem`. The toml crate gives a byte span but
/// not the key path, so the key is read back from the line and the last table header.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let Some(span) = e.span() else {
        return Error::input(Location::file(path), e.message().to_string());
    };
    let at = span.start.min(text.len());
    let line_no = 1 + text[..at].bytes().filter(|&b| b == b'\n').count() as u64;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let table = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let header = line.trim();
    let key = if header.starts_with('[') {
        // An unknown table: its header is the key, and it sits in no table.
        let name = header.trim_matches(|c| c == '[' || c == ']').trim();
        Some(name.to_string()).filter(|n| !n.is_empty())
    } else {
        line.split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty())
    };
    let table = table.filter(|_| !header.starts_with('['));
    let message = e.message().trim_end();
    let message = match key {
        Some(key) => {
            let full = match table {
                Some(t) if !t.is_empty() => format!("{t}.{key}"),
                _ => key,
            };
            if let Some(rest) = message.strip_prefix("unknown field ") {
                let expected = rest.split_once(", ").map_or("", |(_, r)| r);
                format!("unknown key `{full}` ({expected})")
            } else {
                format!("key `{full}`: {message}")
            }
        }
        None => message.to_string(),
    };
    Error::input(Location::file(path).at_line(line_no), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Config::parse("b.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn every_key_parses() {
        let cfg = Config::parse(
            "b.toml",
            r#"
wordlists = ["a.csv", "/abs/b.txt"]
builtin = true
authorized = ["Nike"]
fail_on = "review"

[scan]
format = "html"
output = "out.html"
id_column = "sku"
fields = ["title", "description"]
delimiter = ";"
threads = 2
fail_on = "never"
strict = true
quiet = true
baseline = "last.csv"
save_baseline = "next.csv"
suppress = "cleared.csv"
fingerprint_column = true

[check]
format = "json"
"#,
        )
        .unwrap();
        assert_eq!(
            cfg.wordlists.as_deref(),
            Some(&[PathBuf::from("a.csv"), PathBuf::from("/abs/b.txt")][..])
        );
        assert_eq!(cfg.use_builtin(), Some(true));
        assert_eq!(cfg.scan.format, Some(Format::Html));
        assert_eq!(cfg.scan.delimiter, Some(b';'));
        assert_eq!(cfg.scan_fail_on(), Some(FailOn::Never));
        assert_eq!(cfg.check_fail_on(), Some(FailOn::Review));
        assert_eq!(cfg.check.format, Some(CheckFormat::Json));
        assert_eq!(cfg.scan.fingerprint_column, Some(true));
    }

    #[test]
    fn relative_paths_follow_the_file() {
        let cfg = Config::parse(
            "conf/b.toml",
            "wordlists = [\"l.csv\"]\n[scan]\nbaseline = \"x.csv\"\n",
        )
        .unwrap();
        assert_eq!(cfg.wordlists.unwrap()[0], Path::new("conf").join("l.csv"));
        assert_eq!(cfg.scan.baseline.unwrap(), Path::new("conf").join("x.csv"));
    }

    #[test]
    fn errors_name_line_and_key() {
        assert!(err("wordlist = [\"a\"]\n").starts_with("b.toml:1: unknown key `wordlist`"));
        assert_eq!(
            err("[check]\nformat = \"xml\"\n"),
            "b.toml:2: key `check.format`: unknown variant `xml`, expected `human` or `json`"
        );
        assert!(err("\n[scan]\nthreads = \"four\"\n").starts_with("b.toml:3: key `scan.threads`"));
        assert!(err("[scan]\ndelimiter = \"::\"\n").contains("one ASCII character"));
        assert!(err("[scan]\nformat = \"xml\"\n").contains("unknown format `xml`"));
        assert!(err("[sacn]\nformat = \"csv\"\n")
            .starts_with("b.toml:1: unknown key `sacn` (expected one of `wordlists`"));
        assert!(err("builtin = true\nno_builtin = true\n").contains("contradict"));
        assert!(err("fail_on = \n").starts_with("b.toml:1"));
    }
}
