//! Command-line arguments (clap derive). One doc comment per flag: it is the `--help`.
//!
//! An option that `brandscan.toml` may also set is an `Option` (or a switch) here, with
//! no clap default: each command's flags become a [`Config`] layer (`to_config`), laid
//! over the file's in `config::merged`, and the command reads the merged values with
//! their defaults from the library's option types. A test in `config.rs` proves every
//! such flag has its key and every key its flag.

use brandscan::config::{
    AuditConfig, AuditFormat, CheckConfig, CheckFormat, Config, FailOn, FixConfig, ScanConfig,
    ServeConfig,
};
use brandscan::report::Format;
use brandscan::Action;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Find banned brand and trademark words in marketplace product listings.
#[derive(Debug, Parser)]
#[command(name = "brandscan", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Where defaults come from (docs/configuration.md): `brandscan.toml` in the working directory unless
/// told otherwise.
#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    /// Read defaults from FILE instead of ./brandscan.toml (flags still win).
    #[arg(long, value_name = "FILE", global = true, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore ./brandscan.toml.
    #[arg(long, global = true)]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan catalog exports and report every listing to remove, hide or review.
    Scan(ScanArgs),
    /// Pre-publish check of one listing, or of JSON lines on stdin.
    Check(CheckArgs),
    /// Write the catalog back with every `remove` finding cut out, ready for re-upload.
    Fix(FixArgs),
    /// Pre-publish HTTP service: POST /v1/check, GET /healthz, POST /v1/reload.
    Serve(ServeArgs),
    /// After a complaint: one brand's listings, what to change, and the store's exposure.
    Audit(AuditArgs),
    /// Inspect word lists.
    #[command(subcommand)]
    Wordlist(WordlistCommand),
}

/// Which word lists to load; shared by every command that matches.
#[derive(Debug, Args, Clone)]
pub struct RuleArgs {
    /// A word list (.csv or .txt); repeatable. Replaces the built-in lists unless
    /// --builtin is given.
    #[arg(short = 'w', long = "wordlist", value_name = "FILE")]
    pub wordlists: Vec<PathBuf>,
    /// Use the built-in lists together with -w lists.
    #[arg(long, conflicts_with = "no_builtin")]
    pub builtin: bool,
    /// Do not use the built-in lists.
    #[arg(long)]
    pub no_builtin: bool,
    /// A brand the seller is authorized for: its findings are dropped; repeatable.
    #[arg(long = "authorized", value_name = "BRAND")]
    pub authorized: Vec<String>,
    /// The action of findings in compatible-use context ("Strap for Rolex"); default:
    /// each rule's own action.
    #[arg(long, value_enum, value_name = "ACTION")]
    pub compatible_action: Option<Action>,
    /// Also report terms of 6+ letters written with one edit ("Addidas") as `fuzzy`,
    /// action `review`.
    #[arg(long)]
    pub fuzzy: bool,
    /// Do not look through evasions (look-alike letters, N1ke, N I K E, Niiike,
    /// zero-width characters); only exact and normalized matches are reported.
    #[arg(long)]
    pub no_evasion: bool,
    /// Refuse word lists whose automaton would take more memory than this, in MiB
    /// [default: 512].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_automaton_mb: Option<u64>,
}

/// A switch typed on the command line sets its key; an absent one leaves the file's.
fn switch(on: bool) -> Option<bool> {
    on.then_some(true)
}

/// A repeatable flag typed at least once replaces the file's list.
fn list<T: Clone>(values: &[T]) -> Option<Vec<T>> {
    Some(values.to_vec()).filter(|v| !v.is_empty())
}

impl RuleArgs {
    /// The top-level keys these flags set.
    pub fn to_config(&self) -> Config {
        // `--builtin` and `--no-builtin` are one choice: typing either sets both keys,
        // so it overrides whichever of them the file set.
        let builtin = match (self.builtin, self.no_builtin) {
            (true, _) => (Some(true), Some(false)),
            (_, true) => (Some(false), Some(true)),
            _ => (None, None),
        };
        Config {
            wordlists: list(&self.wordlists),
            builtin: builtin.0,
            no_builtin: builtin.1,
            authorized: list(&self.authorized),
            compatible_action: self.compatible_action,
            fuzzy: switch(self.fuzzy),
            no_evasion: switch(self.no_evasion),
            max_automaton_mb: self.max_automaton_mb,
            ..Config::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Catalog files (CSV, TSV, .xlsx, .jsonl, any of them .gz), or - for standard input.
    #[arg(value_name = "CATALOG", required = true)]
    pub catalogs: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format [default: csv].
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub columns: ColumnArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// Exit 1 when a listing's action reaches this level [default: remove].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Fail the run (exit 2, no report) when any row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// No summary or column notes on stderr (bad rows are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Records per parallel batch.
    #[arg(long, value_name = "N", default_value_t = brandscan::scan::DEFAULT_BATCH_ROWS, hide = true)]
    pub batch_rows: usize,
    /// A previous csv findings report: report only findings whose (listing_id, field,
    /// term) are not in it, and count new and resolved ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Also write every finding not suppressed (new or not) as csv to FILE, atomically:
    /// the next run's --baseline. May be the --baseline file itself.
    #[arg(long, value_name = "FILE")]
    pub save_baseline: Option<PathBuf>,
    /// Findings a person cleared: CSV listing_id,term,reason,reviewer,expires
    /// (expires YYYY-MM-DD, empty for never).
    #[arg(long, value_name = "FILE")]
    pub suppress: Option<PathBuf>,
    /// Add the word-list fingerprint as a last `fingerprint` column (key in jsonl).
    #[arg(long)]
    pub fingerprint_column: bool,
    /// The date suppressions expire against (default: today, local time); for tests.
    #[arg(long, value_name = "YYYY-MM-DD", hide = true)]
    pub today: Option<chrono::NaiveDate>,
    /// Read the text in each listing's pictures: the picture columns' file names (or
    /// their URLs' last segments) are looked up in DIR.
    #[cfg(feature = "ocr")]
    #[arg(long, value_name = "DIR")]
    pub images: Option<PathBuf>,
    #[command(flatten)]
    pub image_opts: ImageArgs,
}

/// How pictures are read (build feature `ocr`). Each flag sets the top-level key of its
/// name, which `scan`, `check` and `serve` share.
/// Without the feature it has no flags, and the keys stay the file's.
#[derive(Debug, Args, Clone)]
pub struct ImageArgs {
    #[cfg(feature = "ocr")]
    /// The folder of the text models [default: $BRANDSCAN_OCR_MODELS, else
    /// ~/.cache/brandscan/models]; scripts/setup-ocr-models fetches them.
    #[arg(long, value_name = "DIR")]
    pub ocr_models: Option<PathBuf>,
    #[cfg(feature = "ocr")]
    /// Lines of picture text read with less confidence (0 to 1) are not matched
    /// [default: 0.5].
    #[arg(long, value_name = "CONF", value_parser = brandscan::config::parse_confidence)]
    pub image_min_confidence: Option<f32>,
    #[cfg(feature = "ocr")]
    /// Picture findings read with at least this confidence keep their rule's action;
    /// the others, and all of them without this flag, are `review`.
    #[arg(long, value_name = "CONF", value_parser = brandscan::config::parse_confidence)]
    pub image_trust: Option<f32>,
    #[cfg(feature = "ocr")]
    /// Pictures with more pixels are reported, not read [default: 40000000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub image_max_pixels: Option<u64>,
    #[cfg(feature = "ocr")]
    /// Read large pictures only scaled down, not also in full-resolution tiles: faster,
    /// misses small print.
    #[arg(long)]
    pub no_image_tiles: bool,
    #[cfg(feature = "ocr")]
    /// Where what was read is kept by picture hash [default: ~/.cache/brandscan/pictures].
    #[arg(long, value_name = "DIR")]
    pub image_cache: Option<PathBuf>,
    #[cfg(feature = "ocr")]
    /// Read every picture again, and keep nothing.
    #[arg(long)]
    pub no_image_cache: bool,
}

impl ImageArgs {
    /// Set the top-level keys these flags set in `cfg`.
    fn set(&self, cfg: &mut Config) {
        #[cfg(feature = "ocr")]
        {
            cfg.ocr_models = self.ocr_models.clone();
            cfg.image_min_confidence = self.image_min_confidence;
            cfg.image_trust = self.image_trust;
            cfg.image_max_pixels = self.image_max_pixels;
            cfg.no_image_tiles = switch(self.no_image_tiles);
            cfg.image_cache = self.image_cache.clone();
            cfg.no_image_cache = switch(self.no_image_cache);
        }
        #[cfg(not(feature = "ocr"))]
        let _ = cfg;
    }
}

impl ScanArgs {
    /// The keys these flags set.
    pub fn to_config(&self) -> Config {
        let (c, i) = (&self.columns, &self.input);
        let mut cfg = Config {
            scan: Some(ScanConfig {
                format: self.format,
                output: self.output.clone(),
                id_column: c.id_column.clone(),
                fields: c.fields.clone(),
                delimiter: c.delimiter,
                sheet: i.sheet.clone(),
                encoding: i.encoding.clone(),
                header_row: i.header_row,
                max_field_bytes: i.max_field_bytes,
                threads: self.threads,
                fail_on: self.fail_on,
                strict: switch(self.strict),
                quiet: switch(self.quiet),
                baseline: self.baseline.clone(),
                save_baseline: self.save_baseline.clone(),
                suppress: self.suppress.clone(),
                fingerprint_column: switch(self.fingerprint_column),
                #[cfg(feature = "ocr")]
                images: self.images.clone(),
                #[cfg(not(feature = "ocr"))]
                images: None,
            }),
            ..self.rules.to_config()
        };
        self.image_opts.set(&mut cfg);
        cfg
    }
}

#[derive(Debug, Args)]
// One listing from flags or many from stdin: a bare `check` names both ways.
#[cfg_attr(
    not(feature = "ocr"),
    command(group(clap::ArgGroup::new("listing").required(true).args(["title", "jsonl"])))
)]
#[cfg_attr(
    feature = "ocr",
    command(group(clap::ArgGroup::new("listing").required(true).multiple(true).args(["title", "jsonl", "image"])))
)]
pub struct CheckArgs {
    /// The listing title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The listing description.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// The listing id, carried into the output.
    #[arg(long, value_name = "ID", default_value = "")]
    pub id: String,
    /// Read JSON objects (`id` and text fields) from stdin, one per line, and write one
    /// verdict per line, flushed per line.
    #[arg(long, conflicts_with_all = ["title", "description"])]
    pub jsonl: bool,
    /// Output format for --title [default: human].
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Exit 1 when the verdict reaches this level [default: remove].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// A picture of the listing whose text to check (repeatable); findings have field
    /// `image:image`.
    #[cfg(feature = "ocr")]
    #[arg(long, value_name = "FILE", conflicts_with = "jsonl")]
    pub image: Vec<PathBuf>,
    #[command(flatten)]
    pub image_opts: ImageArgs,
}

impl CheckArgs {
    /// The keys these flags set.
    pub fn to_config(&self) -> Config {
        let mut cfg = Config {
            check: Some(CheckConfig {
                format: self.format,
                fail_on: self.fail_on,
            }),
            ..self.rules.to_config()
        };
        self.image_opts.set(&mut cfg);
        cfg
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 written, nothing left for a person; 1 written, but some \
listings were left for a person (see --left); 2 usage, word-list or input error, nothing written."
)]
pub struct FixArgs {
    /// The catalog (CSV, TSV, .gz), or - for standard input.
    #[arg(value_name = "CATALOG")]
    pub catalog: PathBuf,
    /// Write the cleaned catalog to FILE (atomically; never the input), in the input's
    /// format.
    #[arg(
        short = 'o',
        long,
        value_name = "FILE",
        required_unless_present = "dry_run"
    )]
    pub output: Option<PathBuf>,
    /// Log every edited field to FILE as CSV: listing_id,field,before,after.
    #[arg(long, value_name = "FILE")]
    pub changes: Option<PathBuf>,
    /// Write the listings left for a person to FILE as CSV
    /// (listing_id,row,line,edited,reason,field,detail) instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub left: Option<PathBuf>,
    /// Fix only this brand's findings (with only its rules); repeatable. Case and
    /// accents do not matter.
    #[arg(long = "brand", value_name = "NAME")]
    pub brands: Vec<String>,
    /// The complaint's own terms (.txt or .csv word list), as `audit --terms` reads
    /// them: rules without a brand belong to the first --brand.
    #[arg(long, value_name = "FILE")]
    pub terms: Vec<PathBuf>,
    /// Write no catalog: print the changes CSV on stdout (or to --changes FILE).
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// No summary or column notes on stderr (bad rows and listings left for a person
    /// are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Records per parallel batch.
    #[arg(long, value_name = "N", default_value_t = brandscan::scan::DEFAULT_BATCH_ROWS, hide = true)]
    pub batch_rows: usize,
}

impl FixArgs {
    /// The keys these flags set.
    pub fn to_config(&self) -> Config {
        let c = &self.columns;
        Config {
            fix: Some(FixConfig {
                changes: self.changes.clone(),
                left: self.left.clone(),
                id_column: c.id_column.clone(),
                fields: c.fields.clone(),
                delimiter: c.delimiter,
                threads: self.threads,
                quiet: switch(self.quiet),
            }),
            ..self.rules.to_config()
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port. The bound address is printed
    /// on stderr [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,
    /// The largest request body accepted (B, KB, KiB, MB, MiB); larger ones get 413
    /// [default: 1MiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_body: Option<usize>,
    /// Milliseconds a request may take, body upload included: 408 when the body is
    /// late, 503 when the check is [default: 5000].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish before
    /// their connections are closed and their checks cancelled [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub shutdown_timeout: Option<Duration>,
    /// A connection that has started a request must send its whole header within
    /// this time, or it is closed [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub header_timeout: Option<Duration>,
    /// A connection with no request in progress is closed after this time
    /// [default: 30s].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// Open connections allowed; one more gets an immediate 503 and is closed. Kept
    /// below the open-file limit (ulimit -n) [default: 1000].
    #[arg(long, value_name = "N")]
    pub max_connections: Option<usize>,
    /// Checks running at once; more wait in a queue [default: 2 per worker thread].
    #[arg(long, value_name = "N")]
    pub max_in_flight: Option<usize>,
    /// Requests that may wait for a check slot; one more, or one still waiting at its
    /// deadline, gets 503 with Retry-After [default: 256].
    #[arg(long, value_name = "N")]
    pub max_queue: Option<usize>,
    /// Findings listed per listing; more are left out and the verdict carries
    /// "truncated": true (the verdict counts them all) [default: 100].
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
    /// Findings listed per answer, over all its listings [default: 1000].
    #[arg(long, value_name = "N")]
    pub max_response_findings: Option<usize>,
    /// Turn on POST /v1/reload for requests that send `Authorization: Bearer TOKEN`
    /// (off without it; SIGHUP always reloads). Better kept in brandscan.toml, which
    /// other users cannot read, than on the command line, which they can.
    #[arg(long, value_name = "TOKEN")]
    pub reload_token: Option<String>,
    /// A host name clients use to reach the service; a reload whose Host header names
    /// neither this, the listening address nor localhost is refused. Repeatable.
    #[arg(long, value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Log lines on stderr as text or as JSON objects [default: text].
    #[arg(long, value_name = "FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// No access log line per request (events are still logged).
    #[arg(long)]
    pub no_access_log: bool,
    /// Ask for `Authorization: Bearer TOKEN` on the API, and for the token once on the
    /// page (a sign-in field); off without it. Better kept in brandscan.toml.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The largest catalog the page takes (B, KB, KiB, MB, MiB, GB, GiB); larger uploads
    /// get 413 [default: 1GiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_upload: Option<usize>,
    /// Catalogs the page scans at once; one more is refused with 503 until one is done
    /// [default: 2].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(usize))]
    pub max_jobs: Option<usize>,
    /// The page's uploaded catalogs and results are deleted this long after their last
    /// use (and at shutdown, and once every result was downloaded) [default: 30m].
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub job_ttl: Option<Duration>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub image_opts: ImageArgs,
}

impl ServeArgs {
    /// The keys these flags set.
    pub fn to_config(&self) -> Config {
        let mut cfg = Config {
            serve: Some(ServeConfig {
                listen: self.listen,
                max_body: self.max_body,
                timeout_ms: self.timeout_ms,
                threads: self.threads,
                shutdown_timeout: self.shutdown_timeout,
                header_timeout: self.header_timeout,
                idle_timeout: self.idle_timeout,
                max_connections: self.max_connections,
                max_in_flight: self.max_in_flight,
                max_queue: self.max_queue,
                max_findings: self.max_findings,
                max_response_findings: self.max_response_findings,
                reload_token: self.reload_token.clone(),
                allow_host: (!self.allow_host.is_empty()).then(|| self.allow_host.clone()),
                log_format: self.log_format,
                no_access_log: switch(self.no_access_log),
                token: self.token.clone(),
                max_upload: self.max_upload,
                max_jobs: self.max_jobs,
                job_ttl: self.job_ttl,
            }),
            ..self.rules.to_config()
        };
        self.image_opts.set(&mut cfg);
        cfg
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Catalog files (CSV, TSV, .gz), or - for standard input.
    #[arg(value_name = "CATALOG", required = true)]
    pub catalogs: Vec<PathBuf>,
    /// The complainant's brand, as the word lists name it (case and accents do not
    /// matter); repeatable. Only these brands' rules are used.
    #[arg(long = "brand", value_name = "NAME", required = true)]
    pub brands: Vec<String>,
    /// The complaint's own terms (.txt or .csv word list); rules without a brand belong
    /// to the first --brand.
    #[arg(long, value_name = "FILE")]
    pub terms: Vec<PathBuf>,
    /// The marketplace penalty policy (TOML; default: the built-in Alibaba policy).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format: csv (one row per listing and field, most dangerous first), json
    /// (listings and exposure) or html (one self-contained page for people) [default:
    /// csv].
    #[arg(short = 'f', long, value_enum)]
    pub format: Option<AuditFormat>,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Exit 1 when an affected listing's action reaches this level [default: remove].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// No exposure summary or column notes on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

impl AuditArgs {
    /// The keys these flags set.
    pub fn to_config(&self) -> Config {
        let (c, i) = (&self.columns, &self.input);
        Config {
            audit: Some(AuditConfig {
                policy: self.policy.clone(),
                format: self.format,
                output: self.output.clone(),
                fail_on: self.fail_on,
                id_column: c.id_column.clone(),
                fields: c.fields.clone(),
                delimiter: c.delimiter,
                sheet: i.sheet.clone(),
                encoding: i.encoding.clone(),
                header_row: i.header_row,
                max_field_bytes: i.max_field_bytes,
                quiet: switch(self.quiet),
            }),
            ..self.rules.to_config()
        }
    }
}

use brandscan::config::LogFormat;
/// A byte size (`--max-body`); the library parses it, so `brandscan.toml` reads sizes the
/// same way.
pub use brandscan::config::{parse_duration, parse_size};
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum WordlistCommand {
    /// The built-in lists with rule and brand counts; --brands every brand, --terms
    /// every rule as word-list CSV (which -w reads back).
    List {
        /// Every built-in brand with its lists and rule count (tab-separated).
        #[arg(long, conflicts_with = "terms")]
        brands: bool,
        /// Every built-in rule as word-list CSV, or only BRAND's (any case, accents
        /// optional).
        #[arg(long, value_name = "BRAND", num_args = 0..=1, default_missing_value = "")]
        terms: Option<String>,
    },
    /// Lint word lists: errors, duplicates, conflicts, dead rules, common words; with
    /// --catalog, the terms that fire most on a sample of your listings.
    Check {
        /// Word list files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// A catalog (CSV, TSV, .gz) to try the lists on.
        #[arg(long, value_name = "CATALOG")]
        catalog: Option<PathBuf>,
        /// Listings of the catalog to sample (from the top).
        #[arg(long, value_name = "N", default_value_t = 10_000, requires = "catalog")]
        sample: u64,
        /// Terms to show from the catalog sample.
        #[arg(long, value_name = "N", default_value_t = 20, requires = "catalog")]
        top: usize,
    },
}

/// Which columns of a catalog are read; shared by `scan`, `audit` and `fix`.
#[derive(Debug, Args, Clone, Default)]
pub struct ColumnArgs {
    /// The column holding the listing id (default: detected from the header).
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// The columns to read, comma-separated (default: detected from the header: the
    /// title, description and other text columns).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,
    /// The field delimiter (default: detected; `tab` or `\t` for tab).
    #[arg(long, value_name = "CHAR", value_parser = brandscan::config::parse_delimiter)]
    pub delimiter: Option<u8>,
}

/// How catalogs are read; shared by every command that reads catalogs.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The worksheet of an .xlsx catalog (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Text encoding of catalogs without a byte-order mark: gb18030, gbk, big5,
    /// utf-16le, utf-16be, shift_jis, windows-1252, … (default: utf-8).
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<String>,
    /// The 1-based row holding the header; the rows above it are skipped (default: row
    /// 1, or the row below template metadata such as an Amazon flat file's).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub header_row: Option<u64>,
    /// Reject a row with a field longer than this many bytes (suffixes K, M, G)
    /// [default: 8M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_field_bytes: Option<usize>,
}

fn parse_encoding(s: &str) -> Result<String, String> {
    brandscan::catalog::encoding_for_label(s)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("2kb"), Ok(2000));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1 parsec").unwrap_err().contains("unit"));
        assert!(parse_size("MiB").is_err());
    }
}
