//! Command-line arguments (clap derive). One doc comment per flag: it is the `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Find banned brand and trademark words in marketplace product listings.
#[derive(Debug, Parser)]
#[command(name = "brandscan", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan catalog exports and report every listing to remove, hide or review.
    Scan(ScanArgs),
    /// Pre-publish check of one listing, or of JSON lines on stdin.
    Check(CheckArgs),
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
    /// Refuse word lists whose automaton would take more memory than this, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_automaton_mb: u64,
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
    /// The column holding the listing id (default: detected from the header).
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// The columns to scan, comma-separated (default: detected from the header).
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,
    /// The field delimiter (default: detected; `tab` or `\t` for tab).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
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
    #[arg(long, value_name = "N", default_value_t = 4096, hide = true)]
    pub batch_rows: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The listing title.
    #[arg(long, value_name = "TEXT", required_unless_present = "jsonl")]
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

#[derive(Debug, Subcommand)]
pub enum WordlistCommand {
    /// The built-in lists with rule and brand counts.
    List,
    /// Lint word lists: errors, duplicates, conflicts.
    Check {
        /// Word list files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
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

/// `4096`, `512K`, `8M`, `1G` (binary units; a trailing `B`/`iB` is allowed).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (digits, shift) = match t.chars().last() {
        Some('K') => (&t[..t.len() - 1], 10),
        Some('M') => (&t[..t.len() - 1], 20),
        Some('G') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: usize = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a size (like 4096, 512K, 8M)"))?;
    n.checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is not a usable size"))
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
    fn sizes_parse() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("8M"), Ok(8 << 20));
        assert_eq!(parse_size("8MiB"), Ok(8 << 20));
        assert_eq!(parse_size("1gb"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
    }
}
