//! `listings`: one row per flagged listing, its strictest action, brands and terms.

use super::{csv_err, out_err, Report, ReportMeta};
use crate::error::Result;
use crate::finding::RecordFindings;
use crate::scan::Stats;
use std::io::Write;

/// The columns of the `listings` format.
pub const LISTING_COLUMNS: &[&str] =
    &["listing_id", "row", "action", "brands", "terms", "findings"];

pub(super) struct ListingsReport<'w> {
    meta: ReportMeta,
    out: csv::Writer<Box<dyn Write + 'w>>,
    header_written: bool,
    fingerprint_column: bool,
}

impl<'w> ListingsReport<'w> {
    pub(super) fn new(
        meta: ReportMeta,
        out: Box<dyn Write + 'w>,
        fingerprint_column: bool,
    ) -> Self {
        ListingsReport {
            meta,
            out: csv::WriterBuilder::new().flexible(true).from_writer(out),
            header_written: false,
            fingerprint_column,
        }
    }

    fn header(&mut self) -> Result<()> {
        if !self.header_written {
            self.header_written = true;
            super::write_csv_header(
                &mut self.out,
                &self.meta,
                LISTING_COLUMNS,
                self.fingerprint_column,
            )?;
        }
        Ok(())
    }
}

/// Distinct values in first-seen order, `;`-joined.
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for i in items {
        if !seen.contains(&i) {
            seen.push(i);
        }
    }
    seen.join(";")
}

impl Report for ListingsReport<'_> {
    fn record(&mut self, rec: &RecordFindings) -> Result<()> {
        let Some(action) = rec.action() else {
            return Ok(());
        };
        self.header()?;
        if let Some(file) = self.meta.file(rec.file_index) {
            self.out.write_field(file).map_err(csv_err)?;
        }
        let brands = joined(rec.findings.iter().map(|f| &*f.brand));
        let terms = joined(rec.findings.iter().map(|f| &*f.term));
        for field in [
            rec.listing_id.as_str(),
            &rec.row.to_string(),
            action.as_str(),
            &brands,
            &terms,
            &rec.findings.len().to_string(),
        ] {
            self.out.write_field(field).map_err(csv_err)?;
        }
        if self.fingerprint_column {
            self.out
                .write_field(&self.meta.fingerprint)
                .map_err(csv_err)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(csv_err)
    }

    fn finish(&mut self, _stats: &Stats) -> Result<()> {
        self.header()?;
        self.out.flush().map_err(out_err)
    }
}
