//! Command-line arguments (clap derive). One doc comment per flag: it is the `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};
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

/// Where defaults come from (SPEC §6): `brandscan.toml` in the working directory unless
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
    pub compatible_action: Option<ActionArg>,
    /// Also report terms of 6+ letters written with one edit ("Addidas") as `fuzzy`,
    /// action `review`.
    #[arg(long)]
    pub fuzzy: bool,
    /// Do not look through evasions (look-alike letters, N1ke, N I K E, Niiike,
    /// zero-width characters); only exact and normalized matches are reported.
    #[arg(long)]
    pub no_evasion: bool,
    /// Refuse word lists whose automaton would take more memory than this, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_automaton_mb: u64,
}

/// A rule action, as a flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionArg {
    Remove,
    Hide,
    Review,
}

impl From<ActionArg> for brandscan::Action {
    fn from(a: ActionArg) -> Self {
        match a {
            ActionArg::Remove => brandscan::Action::Remove,
            ActionArg::Hide => brandscan::Action::Hide,
            ActionArg::Review => brandscan::Action::Review,
        }
    }
}

/// The level at which the exit code becomes 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Remove,
    Hide,
    Review,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Csv,
    Jsonl,
    Listings,
    Summary,
    Html,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Catalog files (CSV, TSV, .xlsx, .jsonl, any of them .gz), or - for standard input.
    #[arg(value_name = "CATALOG", required = true)]
    pub catalogs: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value = "csv")]
    pub format: ScanFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub columns: ColumnArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Exit 1 when a listing's action reaches this level.
    #[arg(long, value_enum, default_value = "remove")]
    pub fail_on: FailOn,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
// One listing from flags or many from stdin: a bare `check` names both ways.
#[command(group(clap::ArgGroup::new("listing").required(true).args(["title", "jsonl"])))]
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
    /// Output format for --title.
    #[arg(long, value_enum, default_value = "human")]
    pub format: CheckFormat,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Exit 1 when the verdict reaches this level.
    #[arg(long, value_enum, default_value = "remove")]
    pub fail_on: FailOn,
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
    /// Write no catalog: print the changes CSV on stdout (or to --changes FILE).
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No summary or column notes on stderr (bad rows and listings left for a person
    /// are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Records per parallel batch.
    #[arg(long, value_name = "N", default_value_t = brandscan::scan::DEFAULT_BATCH_ROWS, hide = true)]
    pub batch_rows: usize,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; port 0 picks a free port. The bound address is printed
    /// on stderr.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The largest request body accepted (B, KB, KiB, MB, MiB); larger ones get 413.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: usize,
    /// Milliseconds a request may take, body upload included: 408 when the body is
    /// late, 503 when the check is.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Csv,
    Json,
    Html,
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
    /// (listings and exposure) or html (one self-contained page for people).
    #[arg(short = 'f', long, value_enum, default_value = "csv")]
    pub format: AuditFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Exit 1 when an affected listing's action reaches this level.
    #[arg(long, value_enum, default_value = "remove")]
    pub fail_on: FailOn,
    /// No exposure summary or column notes on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// A byte size (`--max-body`); the library parses it, so `brandscan.toml` reads sizes the
/// same way.
pub use brandscan::config::parse_size;

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
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
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
    /// Reject a row with a field longer than this many bytes (suffixes K, M, G).
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = parse_size)]
    pub max_field_bytes: usize,
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
