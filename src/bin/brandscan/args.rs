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
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Catalog files (CSV, TSV, .gz), or - for standard input.
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
