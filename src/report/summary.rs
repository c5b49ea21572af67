//! `summary`: totals for people.

use super::{out_err, Report, ReportMeta};
use crate::error::Result;
use crate::finding::{Action, RecordFindings};
use crate::scan::Stats;
use std::io::Write;

pub(super) struct SummaryReport<'w> {
    meta: ReportMeta,
    out: Box<dyn Write + 'w>,
}

impl<'w> SummaryReport<'w> {
    pub(super) fn new(meta: ReportMeta, out: Box<dyn Write + 'w>) -> Self {
        SummaryReport { meta, out }
    }
}

impl Report for SummaryReport<'_> {
    fn record(&mut self, _rec: &RecordFindings) -> Result<()> {
        Ok(())
    }

    fn finish(&mut self, stats: &Stats) -> Result<()> {
        write_summary(&mut self.out, &self.meta, stats).map_err(out_err)?;
        self.out.flush().map_err(out_err)
    }
}

/// Write the people's summary of a run.
///
/// ```
/// let mut out = Vec::new();
/// brandscan::report::write_summary(&mut out, &Default::default(), &Default::default()).unwrap();
/// assert!(String::from_utf8(out).unwrap().contains("rows read: 0"));
/// ```
pub fn write_summary(out: &mut dyn Write, meta: &ReportMeta, stats: &Stats) -> std::io::Result<()> {
    writeln!(out, "brandscan summary")?;
    if !meta.files.is_empty() {
        let files: Vec<&str> = meta.files.iter().map(|f| &**f).collect();
        writeln!(out, "catalogs: {}", files.join(", "))?;
    }
    writeln!(
        out,
        "word lists: {} rules, fingerprint {}",
        meta.rules, meta.fingerprint
    )?;
    writeln!(
        out,
        "rows read: {}  scanned: {}  rejected: {}",
        stats.rows_read, stats.rows_scanned, stats.rows_rejected
    )?;
    writeln!(
        out,
        "listings flagged: {}  (remove {}, hide {}, review {})",
        stats.listings_flagged(),
        stats.listings(Action::Remove),
        stats.listings(Action::Hide),
        stats.listings(Action::Review)
    )?;
    writeln!(out, "findings: {}", stats.findings)?;
    let top = stats.top_brands(10);
    if !top.is_empty() {
        writeln!(out, "top brands:")?;
        for (brand, b) in top {
            writeln!(
                out,
                "  {brand}: {} listings, {} findings",
                b.listings, b.findings
            )?;
        }
    }
    let secs = stats.elapsed.as_secs_f64().max(1e-9);
    writeln!(
        out,
        "elapsed: {:.2} s  ({:.0} rows/s, {:.1} MB/s)",
        secs,
        stats.rows_read as f64 / secs,
        stats.bytes as f64 / 1e6 / secs
    )
}
