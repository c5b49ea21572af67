//! `csv`: one row per finding (docs/matching.md#output).

use super::{csv_err, Report, ReportMeta, FINDING_COLUMNS};
use crate::error::Result;
use crate::finding::RecordFindings;
use crate::scan::Stats;
use std::io::Write;

pub(super) struct CsvReport<'w> {
    meta: ReportMeta,
    out: csv::Writer<Box<dyn Write + 'w>>,
    header_written: bool,
    fingerprint_column: bool,
    confidence_column: bool,
    /// The date for a last `saved` column, already formatted.
    saved_on: Option<String>,
}

impl<'w> CsvReport<'w> {
    pub(super) fn new(
        meta: ReportMeta,
        out: Box<dyn Write + 'w>,
        fingerprint_column: bool,
        confidence_column: bool,
        saved_on: Option<chrono::NaiveDate>,
    ) -> Self {
        CsvReport {
            meta,
            out: csv::WriterBuilder::new().flexible(true).from_writer(out),
            header_written: false,
            fingerprint_column,
            confidence_column,
            saved_on: saved_on.map(|d| d.to_string()),
        }
    }

    fn header(&mut self) -> Result<()> {
        if !self.header_written {
            self.header_written = true;
            let mut columns = FINDING_COLUMNS.to_vec();
            if self.confidence_column {
                columns.push("confidence");
            }
            super::write_csv_header_saved(
                &mut self.out,
                &self.meta,
                &columns,
                self.fingerprint_column,
                self.saved_on.is_some(),
            )?;
        }
        Ok(())
    }
}

impl Report for CsvReport<'_> {
    fn record(&mut self, rec: &RecordFindings) -> Result<()> {
        self.header()?;
        let file = self.meta.file(rec.file_index);
        let row = rec.row.to_string();
        for f in &rec.findings {
            if let Some(file) = file {
                self.out.write_field(file).map_err(csv_err)?;
            }
            let (start, end) = (f.start.to_string(), f.end.to_string());
            for field in [
                rec.listing_id.as_str(),
                &row,
                &f.field,
                &start,
                &end,
                &f.matched,
                &f.term,
                &f.brand,
                f.severity.as_str(),
                f.action.as_str(),
                f.match_kind.as_str(),
                f.context.as_str(),
            ] {
                self.out.write_field(field).map_err(csv_err)?;
            }
            if self.confidence_column {
                let conf = f.confidence.map(|c| c.to_string()).unwrap_or_default();
                self.out.write_field(conf).map_err(csv_err)?;
            }
            if self.fingerprint_column {
                self.out
                    .write_field(&self.meta.fingerprint)
                    .map_err(csv_err)?;
            }
            if let Some(saved) = &self.saved_on {
                self.out.write_field(saved).map_err(csv_err)?;
            }
            self.out.write_record(None::<&[u8]>).map_err(csv_err)?;
        }
        Ok(())
    }

    fn finish(&mut self, _stats: &Stats) -> Result<()> {
        self.header()?;
        self.out.flush().map_err(super::out_err)
    }
}
