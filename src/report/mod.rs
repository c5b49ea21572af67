//! Reports: one file per output format behind one [`Report`] trait (a sink).
//!
//! Reports only serialize findings; they never re-match or re-normalize.
//!
//! ```
//! use brandscan::report::{new_report, Format, ReportMeta};
//! use brandscan::{Matcher, Rules, RecordFindings, Stats};
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\n").unwrap()).unwrap();
//! let rec = RecordFindings { listing_id: "A1".into(), row: 1, file_index: 0,
//!     findings: m.find_all("title", "Nike shoe") };
//! let mut out = Vec::new();
//! {
//!     let mut r = new_report(Format::Csv, ReportMeta::default(), Box::new(&mut out));
//!     r.record(&rec).unwrap();
//!     r.finish(&Stats::default()).unwrap();
//! }
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.lines().nth(1).unwrap().starts_with("A1,1,title,0,4,Nike,Nike,Nike,"));
//! ```

mod csv_report;
pub mod html;
mod jsonl;
mod listings;
mod summary;

use crate::error::{Error, Result};
use crate::finding::{Finding, RecordFindings};
use crate::scan::{FieldText, Stats};
use serde::Serialize;
use std::io::Write;
use std::str::FromStr;
use std::sync::Arc;

pub use summary::{write_summary, write_triage};

/// `n` and a noun, singular for one: `1 listing`, `0 listings`, `2 listings`. For the
/// nouns of reports and messages, which all take an `s`.
///
/// ```
/// use brandscan::report::plural;
/// assert_eq!(plural(1, "listing"), "1 listing");
/// assert_eq!(plural(2u64, "duplicate"), "2 duplicates");
/// assert_eq!(plural(0usize, "finding"), "0 findings");
/// ```
pub fn plural<N: Copy + std::fmt::Display + TryInto<u64>>(n: N, noun: &str) -> String {
    if n.try_into().ok() == Some(1) {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// An output format (`-f/--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One row per finding.
    Csv,
    /// One JSON object per finding.
    Jsonl,
    /// One row per flagged listing.
    Listings,
    /// A summary for people.
    Summary,
    /// One self-contained HTML page: totals, a chart, a searchable table.
    Html,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "jsonl" => Ok(Format::Jsonl),
            "listings" => Ok(Format::Listings),
            "summary" => Ok(Format::Summary),
            "html" => Ok(Format::Html),
            _ => Err(format!(
                "unknown format `{s}` (expected csv, jsonl, listings, summary or html)"
            )),
        }
    }
}

/// What every report knows about the run.
#[derive(Debug, Clone, Default)]
pub struct ReportMeta {
    /// The catalogs, in input order; with more than one, rows carry a `file` column.
    pub files: Vec<Arc<str>>,
    /// The word-list fingerprint ([`crate::Rules::fingerprint`]).
    pub fingerprint: String,
    /// The number of rules loaded.
    pub rules: usize,
}

impl ReportMeta {
    fn multi_file(&self) -> bool {
        self.files.len() > 1
    }

    fn file(&self, index: usize) -> Option<&str> {
        if self.multi_file() {
            self.files.get(index).map(|f| &**f)
        } else {
            None
        }
    }
}

/// A sink for scan results, fed records in input order.
pub trait Report {
    /// One listing with at least one finding.
    fn record(&mut self, rec: &RecordFindings) -> Result<()>;
    /// [`Report::record`] with the text the findings were found in, for reports that show
    /// context around the matched words. The default ignores the text.
    fn record_with_text(&mut self, rec: &RecordFindings, _text: &dyn FieldText) -> Result<()> {
        self.record(rec)
    }
    /// The end of the run: write totals, flush.
    fn finish(&mut self, stats: &Stats) -> Result<()>;
}

/// A report of `format` writing to `out`.
pub fn new_report<'w>(
    format: Format,
    meta: ReportMeta,
    out: Box<dyn Write + 'w>,
) -> Box<dyn Report + 'w> {
    new_report_with(format, meta, &ReportOptions::default(), out)
}

/// Choices that change what a report writes, beyond its format.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Add a last `fingerprint` column to `csv` and `listings` rows and a `fingerprint`
    /// key to `jsonl` objects. Off by default: the columns of docs/matching.md#output are a contract, and the
    /// fingerprint is the same on every row (the summary, the HTML page and the stderr
    /// paragraph always carry it).
    pub fingerprint_column: bool,
    /// Add a `confidence` column to `csv` rows, after `context` (before `fingerprint`):
    /// how sure the picture reader was of the text a finding was read from, empty for
    /// findings in text. `scan --images` turns it on; `jsonl` carries the key whenever
    /// a finding has a confidence.
    pub confidence_column: bool,
    /// Add a last `saved` column with this date to `csv` rows (after `fingerprint`):
    /// `--save-baseline` does, so a later run knows when its baseline was taken and can
    /// tell a finding a suppression hid since then from one already known.
    pub saved_on: Option<chrono::NaiveDate>,
}

/// A report of `format` writing to `out`, with `options`.
pub fn new_report_with<'w>(
    format: Format,
    meta: ReportMeta,
    options: &ReportOptions,
    out: Box<dyn Write + 'w>,
) -> Box<dyn Report + 'w> {
    let fp = options.fingerprint_column;
    match format {
        Format::Csv => Box::new(csv_report::CsvReport::new(
            meta,
            out,
            fp,
            options.confidence_column,
            options.saved_on,
        )),
        Format::Jsonl => Box::new(jsonl::JsonlReport::new(meta, out, fp)),
        Format::Listings => Box::new(listings::ListingsReport::new(meta, out, fp)),
        Format::Summary => Box::new(summary::SummaryReport::new(meta, out)),
        Format::Html => Box::new(html::HtmlReport::new(meta, out)),
    }
}

/// The columns of the `csv` format, in order (docs/matching.md#output).
pub const FINDING_COLUMNS: &[&str] = &[
    "listing_id",
    "row",
    "field",
    "start",
    "end",
    "matched",
    "term",
    "brand",
    "severity",
    "action",
    "match_kind",
    "context",
];

/// One finding as it is written in `csv` and `jsonl` and returned by `check`.
#[derive(Debug, Serialize)]
pub struct FindingRow<'a> {
    /// The catalog, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
    /// The listing id.
    pub listing_id: &'a str,
    /// 1-based data record number.
    pub row: u64,
    /// The field and everything else of the finding.
    #[serde(flatten)]
    pub finding: &'a Finding,
}

impl<'a> FindingRow<'a> {
    /// Rows for every finding of `rec`.
    pub fn of(
        rec: &'a RecordFindings,
        file: Option<&'a str>,
    ) -> impl Iterator<Item = FindingRow<'a>> {
        rec.findings.iter().map(move |f| FindingRow {
            file,
            listing_id: &rec.listing_id,
            row: rec.row,
            finding: f,
        })
    }
}

fn out_err(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => out_err(e),
        other => Error::io("<output>", std::io::Error::other(format!("{other:?}"))),
    }
}

/// Write a CSV report's header once: `file` first with several catalogs, then `columns`,
/// then `fingerprint` when asked for.
fn write_csv_header<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    meta: &ReportMeta,
    columns: &[&str],
    fingerprint_column: bool,
) -> Result<()> {
    write_csv_header_saved(out, meta, columns, fingerprint_column, false)
}

/// [`write_csv_header`] with a last `saved` column when `saved` is true.
fn write_csv_header_saved<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    meta: &ReportMeta,
    columns: &[&str],
    fingerprint_column: bool,
    saved: bool,
) -> Result<()> {
    if meta.multi_file() {
        out.write_field("file").map_err(csv_err)?;
    }
    for c in columns {
        out.write_field(c).map_err(csv_err)?;
    }
    if fingerprint_column {
        out.write_field("fingerprint").map_err(csv_err)?;
    }
    if saved {
        out.write_field("saved").map_err(csv_err)?;
    }
    out.write_record(None::<&[u8]>).map_err(csv_err)
}
