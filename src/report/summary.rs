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
        "word lists: {}, fingerprint {}",
        super::plural(meta.rules, "rule"),
        meta.fingerprint
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
    if let Some(t) = &stats.triage {
        write_triage(out, meta, t)?;
    }
    let top = stats.top_brands(10);
    if !top.is_empty() {
        writeln!(out, "top brands:")?;
        for (brand, b) in top {
            writeln!(
                out,
                "  {brand}: {}, {}",
                super::plural(b.listings, "listing"),
                super::plural(b.findings, "finding")
            )?;
        }
    }
    for (group, b) in stats.apart_from_brands() {
        writeln!(
            out,
            "{}: {}, {}",
            group.trim_matches(['(', ')']),
            super::plural(b.listings, "listing"),
            super::plural(b.findings, "finding")
        )?;
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

/// Write what `--baseline` and `--suppress` did: new, unchanged and resolved findings,
/// suppressed findings, and every expired or unused suppression.
///
/// ```
/// use brandscan::baseline::{BaselineStats, TriageStats};
/// let t = TriageStats { baseline: Some(BaselineStats { new: 2, resolved: 1, ..Default::default() }), suppressions: None };
/// let mut out = Vec::new();
/// brandscan::report::write_triage(&mut out, &Default::default(), &t).unwrap();
/// assert!(String::from_utf8(out).unwrap().contains("new: 2  unchanged: 0  resolved: 1"));
/// ```
pub fn write_triage(
    out: &mut dyn Write,
    meta: &ReportMeta,
    triage: &crate::baseline::TriageStats,
) -> std::io::Result<()> {
    if let Some(b) = &triage.baseline {
        writeln!(
            out,
            "baseline: {} ({})",
            b.path.display(),
            super::plural(b.rows, "finding")
        )?;
        writeln!(
            out,
            "  new: {}  unchanged: {}  resolved: {}",
            b.new, b.unchanged, b.resolved
        )?;
        if let Some(fp) = b
            .fingerprint
            .as_deref()
            .filter(|fp| *fp != meta.fingerprint)
        {
            writeln!(
                out,
                "  word lists changed since the baseline ({fp} then, {} now): new findings may come from new rules",
                meta.fingerprint
            )?;
        }
    }
    if let Some(s) = &triage.suppressions {
        writeln!(
            out,
            "suppressions: {} ({} holding on {}); {} suppressed",
            s.path.display(),
            s.active,
            s.today,
            super::plural(s.suppressed, "finding")
        )?;
        if !s.expired.is_empty() {
            writeln!(out, "  expired ({}):", s.expired.len())?;
            for sup in &s.expired {
                writeln!(out, "    {sup}")?;
            }
        }
        if !s.unused.is_empty() {
            writeln!(out, "  unused ({}):", s.unused.len())?;
            for sup in &s.unused {
                writeln!(out, "    {sup}")?;
            }
        }
    }
    Ok(())
}
