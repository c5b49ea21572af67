//! `brandscan.toml`: defaults for every option of `scan`, `check`, `audit`, `serve` and
//! `fix` (SPEC §6).
//!
//! The file is looked up in the working directory (or named with `--config FILE`). Flags
//! on the command line win over it; the binary does that merge, this module only reads
//! and validates. An unknown key or a bad value is an error naming the file, the line and
//! the key, so a typo never silently does nothing.
//!
//! Top-level keys are shared by every command that matches text; the `[scan]`,
//! `[check]`, `[audit]`, `[serve]` and `[fix]` tables hold each command's own options.
//! `fail_on` may appear at the top and in a table; the table wins for its command.
//!
//! Relative paths in the file (`wordlists`, `scan.output`, `scan.baseline`,
//! `scan.save_baseline`, `scan.suppress`, `audit.policy`, `audit.output`, `fix.changes`,
//! `fix.left`) are relative to the file's directory, so one config can be used from
//! anywhere.
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
    /// Options of `audit`.
    #[serde(default)]
    pub audit: AuditConfig,
    /// Options of `serve`.
    #[serde(default)]
    pub serve: ServeConfig,
    /// Options of `fix`.
    #[serde(default)]
    pub fix: FixConfig,
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

/// The `[audit]` table. The brands and the complaint's terms are what an audit is about,
/// not how it runs, so they are not keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// `--policy`: the penalty policy file.
    pub policy: Option<PathBuf>,
    /// `-f/--format`.
    pub format: Option<AuditFormat>,
    /// `-o/--output`.
    pub output: Option<PathBuf>,
    /// `--fail-on` for `audit`, over the top-level `fail_on`.
    pub fail_on: Option<FailOn>,
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--fields`.
    pub fields: Option<Vec<String>>,
    /// `--delimiter`: one ASCII character, or `tab`.
    #[serde(default, deserialize_with = "delimiter")]
    pub delimiter: Option<u8>,
    /// `-q/--quiet`.
    pub quiet: Option<bool>,
}

/// The `[serve]` table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// `--listen`: the address and port.
    pub listen: Option<std::net::SocketAddr>,
    /// `--max-body`: a byte count, or a size with a unit (`"256KiB"`, see
    /// [`parse_size`]).
    #[serde(default, deserialize_with = "size")]
    pub max_body: Option<usize>,
    /// `--timeout-ms`.
    pub timeout_ms: Option<u64>,
    /// `-j/--threads`; 0 uses every core.
    pub threads: Option<usize>,
}

/// The `[fix]` table. The catalog and the cleaned file (`-o`) are what a fix is about,
/// not how it runs, so they are not keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixConfig {
    /// `--changes`: the log of edited fields.
    pub changes: Option<PathBuf>,
    /// `--left`: the listings left for a person.
    pub left: Option<PathBuf>,
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--fields`.
    pub fields: Option<Vec<String>>,
    /// `--delimiter`: one ASCII character, or `tab`.
    #[serde(default, deserialize_with = "delimiter")]
    pub delimiter: Option<u8>,
    /// `-j/--threads`; 0 uses every core.
    pub threads: Option<usize>,
    /// `-q/--quiet`.
    pub quiet: Option<bool>,
}

/// The output of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditFormat {
    /// One row per listing, brand and field.
    Csv,
    /// The whole report with exposure.
    Json,
    /// One self-contained page for people.
    Html,
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
            &mut self.audit.policy,
            &mut self.audit.output,
            &mut self.fix.changes,
            &mut self.fix.left,
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

    /// `fail_on` for `audit`: the `[audit]` value, else the top-level one.
    pub fn audit_fail_on(&self) -> Option<FailOn> {
        self.audit.fail_on.or(self.fail_on)
    }
}

/// Parse a byte size: a number with an optional unit (`B`, `KB`, `KiB`, `MB`, `MiB`,
/// `GB`, `GiB`; `K`, `M`, `G` are binary). Zero is refused: no body fits in it.
///
/// ```
/// use brandscan::config::parse_size;
/// assert_eq!(parse_size("1MiB"), Ok(1 << 20));
/// assert_eq!(parse_size("2kb"), Ok(2000));
/// assert!(parse_size("1 parsec").unwrap_err().contains("unit"));
/// ```
pub fn parse_size(s: &str) -> std::result::Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (examples: 65536, 512KiB, 1MiB)"))?;
    let mult: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "k" | "kib" => 1 << 10,
        "mb" => 1_000_000,
        "m" | "mib" => 1 << 20,
        "gb" => 1_000_000_000,
        "g" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "unknown size unit in `{s}` (use B, KB, KiB, MB, MiB, GB or GiB)"
            ))
        }
    };
    n.checked_mul(mult)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is not a usable size"))
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

/// A size written as a byte count (`65536`) or a string with a unit (`"256KiB"`).
fn size<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<usize>, D::Error> {
    struct Size;
    impl serde::de::Visitor<'_> for Size {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a byte count or a size such as \"256KiB\"")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<usize, E> {
            usize::try_from(v)
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| E::custom(format!("`{v}` is not a usable size")))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<usize, E> {
            match u64::try_from(v) {
                Ok(v) => self.visit_u64(v),
                Err(_) => Err(E::custom(format!("`{v}` is not a usable size"))),
            }
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<usize, E> {
            parse_size(v).map_err(E::custom)
        }
    }
    d.deserialize_any(Size).map(Some)
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

[audit]
policy = "policies/strict.toml"
format = "html"
output = "audit.html"
fail_on = "hide"
id_column = "asin"
fields = ["title"]
delimiter = "tab"
quiet = true

[serve]
listen = "127.0.0.1:9090"
max_body = "256KiB"
timeout_ms = 2000
threads = 4

[fix]
changes = "changes.csv"
left = "left.csv"
id_column = "handle"
fields = ["Title", "Body (HTML)"]
delimiter = ","
threads = 1
quiet = false
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
        let a = &cfg.audit;
        assert_eq!(a.policy.as_deref(), Some(Path::new("policies/strict.toml")));
        assert_eq!(a.format, Some(AuditFormat::Html));
        assert_eq!(cfg.audit_fail_on(), Some(FailOn::Hide));
        assert_eq!(a.delimiter, Some(b'\t'));
        assert_eq!(a.fields.as_deref(), Some(&["title".to_string()][..]));
        assert_eq!(a.quiet, Some(true));
        let s = &cfg.serve;
        assert_eq!(s.listen, Some(([127, 0, 0, 1], 9090).into()));
        assert_eq!(s.max_body, Some(256 << 10));
        assert_eq!((s.timeout_ms, s.threads), (Some(2000), Some(4)));
        let f = &cfg.fix;
        assert_eq!(f.left.as_deref(), Some(Path::new("left.csv")));
        assert_eq!(f.id_column.as_deref(), Some("handle"));
        assert_eq!(
            (f.delimiter, f.threads, f.quiet),
            (Some(b','), Some(1), Some(false))
        );
    }

    #[test]
    fn audit_fail_on_falls_back_to_the_top_level() {
        let cfg = Config::parse("b.toml", "fail_on = \"review\"\n[audit]\nquiet = true\n").unwrap();
        assert_eq!(cfg.audit_fail_on(), Some(FailOn::Review));
        assert_eq!(cfg.scan_fail_on(), Some(FailOn::Review));
    }

    #[test]
    fn sizes_as_numbers_or_with_units() {
        let max_body = |v: &str| {
            Config::parse("b.toml", &format!("[serve]\nmax_body = {v}\n")).map(|c| c.serve.max_body)
        };
        assert_eq!(max_body("65536").unwrap(), Some(65536));
        assert_eq!(max_body("\"1MiB\"").unwrap(), Some(1 << 20));
        assert_eq!(max_body("\"2 kb\"").unwrap(), Some(2000));
        for bad in ["0", "-5", "\"1 parsec\"", "1.5", "true"] {
            let e = max_body(bad).unwrap_err().to_string();
            assert!(
                e.starts_with("b.toml:2: key `serve.max_body`"),
                "{bad}: {e}"
            );
        }
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("0").is_err());
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
        let cfg = Config::parse(
            "conf/b.toml",
            "[audit]\npolicy = \"p.toml\"\noutput = \"/abs/a.html\"\n[fix]\nchanges = \"c.csv\"\nleft = \"l.csv\"\n",
        )
        .unwrap();
        assert_eq!(cfg.audit.policy.unwrap(), Path::new("conf").join("p.toml"));
        assert_eq!(cfg.audit.output.unwrap(), Path::new("/abs/a.html"));
        assert_eq!(cfg.fix.changes.unwrap(), Path::new("conf").join("c.csv"));
        assert_eq!(cfg.fix.left.unwrap(), Path::new("conf").join("l.csv"));
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
        assert!(err("[audit]\nformat = \"json\"\nbrand = \"Rolex\"\n")
            .starts_with("b.toml:3: unknown key `audit.brand` (expected one of `policy`"));
        assert_eq!(
            err("[audit]\nformat = \"xml\"\n"),
            "b.toml:2: key `audit.format`: unknown variant `xml`, expected one of `csv`, `json`, `html`"
        );
        assert!(
            err("[serve]\nlisten = \"localhost\"\n").starts_with("b.toml:2: key `serve.listen`")
        );
        assert!(err("[serve]\nthreads = 2\nport = 80\n")
            .starts_with("b.toml:3: unknown key `serve.port`"));
        assert!(
            err("[fix]\noutput = \"x.csv\"\n").starts_with("b.toml:2: unknown key `fix.output`")
        );
        assert!(err("[fix]\ndelimiter = \"tabs\"\n").contains("one ASCII character"));
    }
}
