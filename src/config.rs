//! The options of `scan`, `check`, `audit`, `serve` and `fix`, and `brandscan.toml`, the
//! file that holds their defaults.
//!
//! Every option is declared once, here, as a key of [`Config`]: the keys shared by every
//! command that matches text sit at the top level, each command's own keys in its table
//! (`[scan]`, `[check]`, `[audit]`, `[serve]`, `[fix]`). Every value is optional, so a
//! `Config` is a *layer*: the file is one, the command line is another (the binary turns
//! its flags into a `Config`), and [`Config::update`] lays one over the other. The
//! accessors ([`ScanConfig::format`], …) give a value or its default, so a default is
//! also written once. `fail_on` may appear at the top and in a table; the table wins for
//! its command (see [`Config::scan`]).
//!
//! An unknown key or a bad value in the file is an error naming the file, the line and
//! the key, so a typo never silently does nothing. Relative paths in the file are
//! relative to the file's directory, so one config can be used from anywhere.
//!
//! ```
//! use brandscan::config::{Config, FailOn, Layer};
//! use brandscan::report::Format;
//!
//! let mut cfg = Config::parse(
//!     "/etc/brandscan/brandscan.toml",
//!     "wordlists = [\"brands.csv\"]\nfail_on = \"hide\"\n\n[scan]\nformat = \"listings\"\ndelimiter = \"tab\"\n",
//! ).unwrap();
//! assert_eq!(cfg.wordlists.as_ref().unwrap()[0], std::path::Path::new("/etc/brandscan/brands.csv"));
//! let scan = cfg.scan();
//! assert_eq!((scan.format(), scan.delimiter), (Format::Listings, Some(b'\t')));
//! assert_eq!(scan.fail_on(), FailOn::Hide);
//!
//! // The command line is a layer over the file: what it sets wins.
//! let flags = Config::parse("flags", "[scan]\nfail_on = \"never\"\n").unwrap();
//! cfg.update(&flags);
//! assert_eq!(cfg.scan().fail_on(), FailOn::Never);
//! assert_eq!(cfg.scan().format(), Format::Listings);
//!
//! let err = Config::parse("brandscan.toml", "[scan]\nfromat = \"csv\"\n").unwrap_err();
//! assert!(err.to_string().starts_with("brandscan.toml:2: unknown key `scan.fromat`"));
//! ```

use crate::catalog::CatalogOptions;
use crate::error::{Error, Location, Result};
use crate::finding::Action;
use crate::report::Format;
use serde::{Deserialize, Deserializer, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The name looked up in the working directory.
pub const FILE_NAME: &str = "brandscan.toml";

/// `image_max_pixels` by default: an 8000 × 5000 photo. A decoded picture takes 3 bytes
/// a pixel, and product pictures are far smaller.
pub const DEFAULT_IMAGE_MAX_PIXELS: u64 = 40_000_000;

/// The keys that only a build with the `ocr` feature uses. A build without it accepts
/// them (one file serves both builds) and refuses a run that `scan.images` asks to
/// read pictures.
pub const PICTURE_KEYS: &[&str] = &[
    "ocr_models",
    "image_min_confidence",
    "image_trust",
    "image_max_pixels",
    "no_image_tiles",
    "image_cache",
    "no_image_cache",
    "scan.images",
];

/// A value of one layer laid over another's: a table merges key by key, any other value
/// replaces the one below.
pub trait Layer {
    /// Take every value `over` sets.
    fn update(&mut self, over: &Self);
}

impl<T: Layer + Clone> Layer for Option<T> {
    fn update(&mut self, over: &Self) {
        match (self.as_mut(), over) {
            (_, None) => {}
            (Some(mine), Some(theirs)) => mine.update(theirs),
            (None, Some(theirs)) => *self = Some(theirs.clone()),
        }
    }
}

macro_rules! replaced {
    ($($t:ty),*) => {$(
        impl Layer for $t {
            fn update(&mut self, over: &Self) {
                self.clone_from(over);
            }
        }
    )*};
}
replaced!(
    bool,
    u8,
    f32,
    u64,
    usize,
    String,
    PathBuf,
    SocketAddr,
    Vec<String>,
    Vec<PathBuf>,
    Action,
    Format,
    FailOn,
    CheckFormat,
    AuditFormat,
    std::time::Duration,
    LogFormat
);

/// Declare a layer: a struct of optional keys (each with its doc comment, serde
/// attributes and, after `=`, its default), its list of keys and its `update`.
macro_rules! layer {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $key:ident : $ty:ty $(= $default:expr)? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(skip_serializing_if = "Option::is_none")]
                pub $key: Option<$ty>,
            )*
        }

        impl $name {
            /// The keys of this table, as written in `brandscan.toml`.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];

            $( layer!(@default $key : $ty $(= $default)?); )*
        }

        impl Layer for $name {
            fn update(&mut self, over: &Self) {
                $( self.$key.update(&over.$key); )*
            }
        }
    };
    (@default $key:ident : $ty:ty = $default:expr) => {
        #[doc = concat!("`", stringify!($key), "`, or its default `", stringify!($default), "`.")]
        pub fn $key(&self) -> $ty {
            self.$key.clone().unwrap_or_else(|| $default)
        }
    };
    (@default $key:ident : $ty:ty) => {};
}

layer! {
    /// `brandscan.toml`, or the options of one command line. The top-level keys are the
    /// word-list and matching options every command that matches text shares.
    pub struct Config {
        /// `-w/--wordlist`: word lists; they replace the built-in lists unless `builtin =
        /// true`.
        wordlists: Vec<PathBuf>,
        /// `--builtin`: use the built-in lists together with `wordlists`; `false` is
        /// `--no-builtin`.
        builtin: bool,
        /// `--no-builtin`: do not use the built-in lists.
        no_builtin: bool,
        /// `--authorized`: brands the seller is authorized for; their findings are dropped.
        authorized: Vec<String>,
        /// `--compatible-action`: the action of findings in compatible-use context
        /// (default: each rule's own).
        compatible_action: Action,
        /// `--fuzzy`: also report terms written with one edit, at `review`.
        fuzzy: bool = false,
        /// `--no-evasion`: report exact and normalized matches only.
        no_evasion: bool = false,
        /// `--max-automaton-mb`: refuse word lists whose automaton would take more memory.
        #[serde(default, deserialize_with = "positive")]
        max_automaton_mb: u64 = 512,
        /// `--fail-on` for every command that has it, under each table's own `fail_on`.
        fail_on: FailOn,
        /// `--ocr-models` (build feature `ocr`, as every `image` key): the folder of the
        /// text models; default `$BRANDSCAN_OCR_MODELS`, else `~/.cache/brandscan/models`.
        ocr_models: PathBuf,
        /// `--image-min-confidence`: lines of picture text read with less confidence
        /// (0 to 1) are not matched.
        #[serde(default, deserialize_with = "confidence")]
        image_min_confidence: f32 = 0.5,
        /// `--image-trust`: picture findings read with at least this confidence keep
        /// their rule's action; without it every picture finding is `review`.
        #[serde(default, deserialize_with = "confidence")]
        image_trust: f32,
        /// `--image-max-pixels`: larger pictures are reported, not decoded.
        #[serde(default, deserialize_with = "positive")]
        image_max_pixels: u64 = DEFAULT_IMAGE_MAX_PIXELS,
        /// `--no-image-tiles`: read large pictures only scaled down, not also in
        /// full-resolution tiles (faster, misses small print).
        no_image_tiles: bool = false,
        /// `--image-cache`: where what was read is kept by picture hash; default
        /// `~/.cache/brandscan/pictures`.
        image_cache: PathBuf,
        /// `--no-image-cache`: read every picture again, keep nothing.
        no_image_cache: bool = false,
        /// The `[scan]` table.
        scan: ScanConfig,
        /// The `[check]` table.
        check: CheckConfig,
        /// The `[audit]` table.
        audit: AuditConfig,
        /// The `[serve]` table.
        serve: ServeConfig,
        /// The `[fix]` table.
        fix: FixConfig,
    }
}

layer! {
    /// The `[scan]` table: how `scan` runs and reports.
    pub struct ScanConfig {
        /// `-f/--format`.
        #[serde(default, deserialize_with = "parsed")]
        format: Format = Format::Csv,
        /// `-o/--output`.
        output: PathBuf,
        /// `--id-column`.
        id_column: String,
        /// `--fields`.
        fields: Vec<String>,
        /// `--delimiter`: one ASCII character, or `tab`.
        #[serde(default, deserialize_with = "delimiter")]
        delimiter: u8,
        /// `--sheet`: the worksheet of an .xlsx catalog.
        sheet: String,
        /// `--encoding`: the text encoding of catalogs without a byte-order mark.
        #[serde(default, deserialize_with = "encoding")]
        encoding: String,
        /// `--header-row`: the 1-based row holding the header.
        #[serde(default, deserialize_with = "positive")]
        header_row: u64,
        /// `--max-field-bytes`: reject a row with a longer field.
        #[serde(default, deserialize_with = "size")]
        max_field_bytes: usize = 8 << 20,
        /// `-j/--threads`; 0 uses every core.
        threads: usize = 0,
        /// `--fail-on` for `scan`, over the top-level `fail_on`.
        fail_on: FailOn = FailOn::Remove,
        /// `--strict`.
        strict: bool = false,
        /// `-q/--quiet`.
        quiet: bool = false,
        /// `--baseline`.
        baseline: PathBuf,
        /// `--save-baseline`.
        save_baseline: PathBuf,
        /// `--suppress`.
        suppress: PathBuf,
        /// `--fingerprint-column`.
        fingerprint_column: bool = false,
        /// `--images` (build feature `ocr`): the folder the picture columns' files are
        /// looked up in; their text is read and matched.
        images: PathBuf,
    }
}

layer! {
    /// The `[check]` table.
    pub struct CheckConfig {
        /// `--format`.
        format: CheckFormat = CheckFormat::Human,
        /// `--fail-on` for `check`, over the top-level `fail_on`.
        fail_on: FailOn = FailOn::Remove,
    }
}

layer! {
    /// The `[audit]` table. The brands and the complaint's terms are what an audit is
    /// about, not how it runs, so they are not keys.
    pub struct AuditConfig {
        /// `--policy`: the penalty policy file.
        policy: PathBuf,
        /// `-f/--format`.
        format: AuditFormat = AuditFormat::Csv,
        /// `-o/--output`.
        output: PathBuf,
        /// `--fail-on` for `audit`, over the top-level `fail_on`.
        fail_on: FailOn = FailOn::Remove,
        /// `--id-column`.
        id_column: String,
        /// `--fields`.
        fields: Vec<String>,
        /// `--delimiter`: one ASCII character, or `tab`.
        #[serde(default, deserialize_with = "delimiter")]
        delimiter: u8,
        /// `--sheet`: the worksheet of an .xlsx catalog.
        sheet: String,
        /// `--encoding`: the text encoding of catalogs without a byte-order mark.
        #[serde(default, deserialize_with = "encoding")]
        encoding: String,
        /// `--header-row`: the 1-based row holding the header.
        #[serde(default, deserialize_with = "positive")]
        header_row: u64,
        /// `--max-field-bytes`: reject a row with a longer field.
        #[serde(default, deserialize_with = "size")]
        max_field_bytes: usize = 8 << 20,
        /// `-q/--quiet`.
        quiet: bool = false,
    }
}

layer! {
    /// The `[serve]` table.
    pub struct ServeConfig {
        /// `--listen`: the address and port.
        listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8080)),
        /// `--max-body`: a byte count, or a size with a unit (`"256KiB"`, see
        /// [`parse_size`]).
        #[serde(default, deserialize_with = "size")]
        max_body: usize = 1 << 20,
        /// `--timeout-ms`.
        timeout_ms: u64 = 5000,
        /// `-j/--threads`; 0 uses every core.
        threads: usize = 0,
        /// `--shutdown-timeout`: a duration (`"10s"`, `"500ms"`) or milliseconds.
        #[serde(default, deserialize_with = "duration")]
        shutdown_timeout: std::time::Duration = std::time::Duration::from_secs(10),
        /// `--header-timeout`: a duration or milliseconds.
        #[serde(default, deserialize_with = "duration")]
        header_timeout: std::time::Duration = std::time::Duration::from_secs(10),
        /// `--idle-timeout`: a duration or milliseconds.
        #[serde(default, deserialize_with = "duration")]
        idle_timeout: std::time::Duration = std::time::Duration::from_secs(30),
        /// `--max-connections`.
        max_connections: usize = 1000,
        /// `--max-in-flight`; 0 is two per worker thread.
        max_in_flight: usize = 0,
        /// `--max-queue`.
        max_queue: usize = 256,
        /// `--max-findings`: per listing.
        max_findings: usize = 100,
        /// `--max-response-findings`: per answer.
        max_response_findings: usize = 1000,
        /// `--reload-token`: turns `POST /v1/reload` on. A file readable only by its
        /// owner is a better home for it than the command line, which others can see.
        reload_token: String,
        /// `--allow-host`: more names the `Host` header of a reload may carry.
        allow_host: Vec<String>,
        /// `--log-format`: `text` or `json`.
        log_format: LogFormat = LogFormat::Text,
        /// `--no-access-log`: no line per request.
        no_access_log: bool = false,
        /// `--token`: the bearer token the API and the page's sign-in ask for. A file
        /// readable only by its owner is a better home for it than the command line.
        token: String,
        /// `--max-upload`: the largest catalog the page takes (a size, see
        /// [`parse_size`]).
        #[serde(default, deserialize_with = "size")]
        max_upload: usize = 1 << 30,
        /// `--max-jobs`: catalogs the page scans at once.
        max_jobs: usize = 2,
        /// `--job-ttl`: how long the page keeps a job's files after their last use.
        #[serde(default, deserialize_with = "duration")]
        job_ttl: std::time::Duration = std::time::Duration::from_secs(30 * 60),
    }
}

/// How `serve` writes its log lines on stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One line of text per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Parse a duration: a number with `ms`, `s`, `m` or `h` (`"500ms"`, `"10s"`), or a bare
/// number of milliseconds.
///
/// ```
/// use brandscan::config::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
/// assert_eq!(parse_duration("250"), Ok(Duration::from_millis(250)));
/// assert!(parse_duration("1 fortnight").unwrap_err().contains("unit"));
/// ```
pub fn parse_duration(s: &str) -> std::result::Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (examples: 500ms, 10s, 2m)"))?;
    let ms: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "ms" => 1,
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        _ => {
            return Err(format!(
                "unknown duration unit in `{s}` (use ms, s, m or h)"
            ))
        }
    };
    n.checked_mul(ms)
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| format!("`{s}` is too long a duration"))
}

fn duration<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<std::time::Duration>, D::Error> {
    struct Dur;
    impl serde::de::Visitor<'_> for Dur {
        type Value = std::time::Duration;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("milliseconds or a duration such as \"10s\"")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
            Ok(std::time::Duration::from_millis(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
            u64::try_from(v)
                .map(std::time::Duration::from_millis)
                .map_err(|_| E::custom(format!("`{v}` is not a duration")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
            parse_duration(v).map_err(E::custom)
        }
    }
    d.deserialize_any(Dur).map(Some)
}

layer! {
    /// The `[fix]` table. The catalog and the cleaned file (`-o`) are what a fix is
    /// about, not how it runs, so they are not keys.
    pub struct FixConfig {
        /// `--changes`: the log of edited fields.
        changes: PathBuf,
        /// `--left`: the listings left for a person.
        left: PathBuf,
        /// `--id-column`.
        id_column: String,
        /// `--fields`.
        fields: Vec<String>,
        /// `--delimiter`: one ASCII character, or `tab`.
        #[serde(default, deserialize_with = "delimiter")]
        delimiter: u8,
        /// `-j/--threads`; 0 uses every core.
        threads: usize = 0,
        /// `-q/--quiet`.
        quiet: bool = false,
    }
}

/// The output of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum AuditFormat {
    /// One row per listing, brand and field.
    Csv,
    /// The whole report with exposure.
    Json,
    /// One self-contained page for people.
    Html,
}

/// The level at which a run's exit code becomes 1 (see docs/matching.md, "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CheckFormat {
    /// Lines for people.
    Human,
    /// One JSON verdict object.
    Json,
}

/// The catalog reader options of a table that has the column and input keys.
macro_rules! catalog_options {
    ($($table:ty),*) => {$(
        impl $table {
            /// How this command reads catalogs.
            pub fn catalog(&self) -> CatalogOptions {
                CatalogOptions {
                    id_column: self.id_column.clone(),
                    fields: self.fields.clone(),
                    delimiter: self.delimiter,
                    sheet: self.sheet.clone(),
                    encoding: self.encoding.clone(),
                    header_row: self.header_row,
                    max_field_bytes: Some(self.max_field_bytes()),
                }
            }
        }
    )*};
}
catalog_options!(ScanConfig, AuditConfig);

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
        self.wordlists.iter_mut().flatten().for_each(fix);
        self.ocr_models.iter_mut().for_each(fix);
        self.image_cache.iter_mut().for_each(fix);
        let scan = self.scan.as_mut().map(|s| {
            [
                &mut s.output,
                &mut s.baseline,
                &mut s.save_baseline,
                &mut s.suppress,
                &mut s.images,
            ]
        });
        let audit = self.audit.as_mut().map(|a| [&mut a.policy, &mut a.output]);
        let fix_table = self.fix.as_mut().map(|f| [&mut f.changes, &mut f.left]);
        scan.into_iter()
            .flatten()
            .chain(audit.into_iter().flatten())
            .chain(fix_table.into_iter().flatten())
            .flatten()
            .for_each(fix);
    }

    /// Whether the built-in lists are wanted: `Some(true)` for `builtin = true` or
    /// `no_builtin = false`, `Some(false)` for the opposite, `None` when neither is set.
    pub fn use_builtin(&self) -> Option<bool> {
        self.builtin.or(self.no_builtin.map(|n| !n))
    }

    /// The options of `scan`: its table, `fail_on` falling back to the top level.
    pub fn scan(&self) -> ScanConfig {
        let mut s = self.scan.clone().unwrap_or_default();
        s.fail_on = s.fail_on.or(self.fail_on);
        s
    }

    /// The options of `check`: its table, `fail_on` falling back to the top level.
    pub fn check(&self) -> CheckConfig {
        let mut s = self.check.clone().unwrap_or_default();
        s.fail_on = s.fail_on.or(self.fail_on);
        s
    }

    /// The options of `audit`: its table, `fail_on` falling back to the top level.
    pub fn audit(&self) -> AuditConfig {
        let mut s = self.audit.clone().unwrap_or_default();
        s.fail_on = s.fail_on.or(self.fail_on);
        s
    }

    /// The options of `serve`.
    pub fn serve(&self) -> ServeConfig {
        self.serve.clone().unwrap_or_default()
    }

    /// The options of `fix`.
    pub fn fix(&self) -> FixConfig {
        self.fix.clone().unwrap_or_default()
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

/// A count that must be at least 1.
fn positive<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u64>, D::Error> {
    match u64::deserialize(d)? {
        0 => Err(serde::de::Error::custom("must be at least 1")),
        n => Ok(Some(n)),
    }
}

/// A confidence: a number from 0 to 1 (`0.8`, or `1`).
fn confidence<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<f32>, D::Error> {
    let v = f64::deserialize(d)?;
    if (0.0..=1.0).contains(&v) {
        Ok(Some(v as f32))
    } else {
        Err(serde::de::Error::custom(format!(
            "`{v}` is not a confidence (a number from 0 to 1)"
        )))
    }
}

/// Parse a confidence flag: a number from 0 to 1.
///
/// ```
/// assert_eq!(brandscan::config::parse_confidence("0.8"), Ok(0.8));
/// assert!(brandscan::config::parse_confidence("80").unwrap_err().contains("0 to 1"));
/// ```
pub fn parse_confidence(s: &str) -> std::result::Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a confidence (a number from 0 to 1)")),
    }
}

/// An encoding label the catalog reader knows.
fn encoding<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    crate::catalog::encoding_for_label(&s).map_err(serde::de::Error::custom)?;
    Ok(Some(s))
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
compatible_action = "review"
fuzzy = true
no_evasion = true
max_automaton_mb = 64
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
sheet = "Sheet2"
encoding = "gb18030"
header_row = 3
max_field_bytes = "1MiB"

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
sheet = "Listings"
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
        assert_eq!(cfg.compatible_action, Some(Action::Review));
        assert!(cfg.fuzzy() && cfg.no_evasion());
        assert_eq!(cfg.max_automaton_mb(), 64);
        let scan = cfg.scan();
        assert_eq!(scan.format(), Format::Html);
        assert_eq!(scan.delimiter, Some(b';'));
        assert_eq!(scan.fail_on(), FailOn::Never);
        assert_eq!(scan.encoding.as_deref(), Some("gb18030"));
        assert_eq!(
            (scan.header_row, scan.max_field_bytes()),
            (Some(3), 1 << 20)
        );
        assert_eq!(cfg.check().fail_on(), FailOn::Review);
        assert_eq!(cfg.check().format(), CheckFormat::Json);
        assert!(scan.fingerprint_column());
        let a = cfg.audit();
        assert_eq!(a.policy.as_deref(), Some(Path::new("policies/strict.toml")));
        assert_eq!(a.format(), AuditFormat::Html);
        assert_eq!(a.fail_on(), FailOn::Hide);
        assert_eq!(a.delimiter, Some(b'\t'));
        assert_eq!(a.fields.as_deref(), Some(&["title".to_string()][..]));
        assert_eq!(a.sheet.as_deref(), Some("Listings"));
        assert!(a.quiet());
        let s = cfg.serve();
        assert_eq!(s.listen(), ([127, 0, 0, 1], 9090).into());
        assert_eq!(s.max_body(), 256 << 10);
        assert_eq!((s.timeout_ms(), s.threads()), (2000, 4));
        let f = cfg.fix();
        assert_eq!(f.left.as_deref(), Some(Path::new("left.csv")));
        assert_eq!(f.id_column.as_deref(), Some("handle"));
        assert_eq!(
            (f.delimiter, f.threads, f.quiet),
            (Some(b','), Some(1), Some(false))
        );
    }

    #[test]
    fn picture_keys_parse_check_their_ranges_and_resolve_their_paths() {
        let cfg = Config::parse(
            "/srv/shop/brandscan.toml",
            "ocr_models = \"models\"\nimage_min_confidence = 0.6\nimage_trust = 1\n\
             image_max_pixels = 1000000\nno_image_tiles = true\nimage_cache = \"/var/cache/pics\"\n\
             no_image_cache = true\n[scan]\nimages = \"pictures\"\n",
        )
        .unwrap();
        assert_eq!(
            cfg.ocr_models.as_deref(),
            Some(Path::new("/srv/shop/models"))
        );
        assert_eq!(
            (cfg.image_min_confidence(), cfg.image_trust),
            (0.6, Some(1.0))
        );
        assert_eq!(cfg.image_max_pixels(), 1_000_000);
        assert!(cfg.no_image_tiles() && cfg.no_image_cache());
        assert_eq!(
            cfg.image_cache.as_deref(),
            Some(Path::new("/var/cache/pics"))
        );
        assert_eq!(
            cfg.scan().images.as_deref(),
            Some(Path::new("/srv/shop/pictures"))
        );
        // Nothing set: the defaults.
        let none = Config::default();
        assert_eq!(none.image_min_confidence(), 0.5);
        assert_eq!(none.image_max_pixels(), DEFAULT_IMAGE_MAX_PIXELS);
        assert!(!none.no_image_tiles() && none.image_trust.is_none());
        let e = err("fuzzy = true\nimage_trust = 1.5\n");
        assert!(e.starts_with("b.toml:2") && e.contains("0 to 1"), "{e}");
        let e = err("image_max_pixels = 0\n");
        assert!(e.starts_with("b.toml:1") && e.contains("at least 1"), "{e}");
        for key in PICTURE_KEYS {
            let (table, key) = key.split_once('.').unwrap_or(("", key));
            let known = if table.is_empty() {
                Config::KEYS
            } else {
                ScanConfig::KEYS
            };
            assert!(known.contains(&key), "{key}");
        }
    }

    #[test]
    fn audit_fail_on_falls_back_to_the_top_level() {
        let cfg = Config::parse("b.toml", "fail_on = \"review\"\n[audit]\nquiet = true\n").unwrap();
        assert_eq!(cfg.audit().fail_on(), FailOn::Review);
        assert_eq!(cfg.scan().fail_on(), FailOn::Review);
        // Nothing set: the defaults.
        let cfg = Config::default();
        assert_eq!(cfg.scan().fail_on(), FailOn::Remove);
        assert_eq!(cfg.scan().max_field_bytes(), 8 << 20);
        assert_eq!(cfg.serve().listen(), ([127, 0, 0, 1], 8080).into());
    }

    #[test]
    fn sizes_as_numbers_or_with_units() {
        let max_body = |v: &str| {
            Config::parse("b.toml", &format!("[serve]\nmax_body = {v}\n"))
                .map(|c| c.serve().max_body)
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
        assert_eq!(
            cfg.wordlists.as_ref().unwrap()[0],
            Path::new("conf").join("l.csv")
        );
        assert_eq!(
            cfg.scan().baseline.unwrap(),
            Path::new("conf").join("x.csv")
        );
        let cfg = Config::parse(
            "conf/b.toml",
            "[audit]\npolicy = \"p.toml\"\noutput = \"/abs/a.html\"\n[fix]\nchanges = \"c.csv\"\nleft = \"l.csv\"\n",
        )
        .unwrap();
        assert_eq!(
            cfg.audit().policy.unwrap(),
            Path::new("conf").join("p.toml")
        );
        assert_eq!(cfg.audit().output.unwrap(), Path::new("/abs/a.html"));
        assert_eq!(cfg.fix().changes.unwrap(), Path::new("conf").join("c.csv"));
        assert_eq!(cfg.fix().left.unwrap(), Path::new("conf").join("l.csv"));
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
        assert!(err("max_automaton_mb = 0\n").contains("at least 1"));
        assert!(err("[scan]\nheader_row = 0\n").starts_with("b.toml:2: key `scan.header_row`"));
        assert!(err("[audit]\nencoding = \"klingon\"\n").contains("unknown encoding"));
        assert!(
            err("compatible_action = \"ban\"\n").starts_with("b.toml:1: key `compatible_action`")
        );
    }
}
