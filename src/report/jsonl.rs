//! `jsonl`: one JSON object per finding, the same fields as `csv`.
//!
//! ```text
//! {"listing_id":"A1","row":1,"field":"title","start":0,"end":4,"matched":"Nike","term":"Nike","brand":"Nike","severity":"general","action":"remove","match_kind":"exact","context":""}
//! ```

use super::{out_err, FindingRow, Report, ReportMeta};
use crate::error::Result;
use crate::finding::RecordFindings;
use crate::scan::Stats;
use std::io::Write;

pub(super) struct JsonlReport<'w> {
    meta: ReportMeta,
    out: Box<dyn Write + 'w>,
    fingerprint_column: bool,
}

impl<'w> JsonlReport<'w> {
    pub(super) fn new(
        meta: ReportMeta,
        out: Box<dyn Write + 'w>,
        fingerprint_column: bool,
    ) -> Self {
        JsonlReport {
            meta,
            out,
            fingerprint_column,
        }
    }
}

/// A row with the word-list fingerprint as its last key (`--fingerprint-column`).
#[derive(serde::Serialize)]
struct WithFingerprint<'a> {
    #[serde(flatten)]
    row: FindingRow<'a>,
    fingerprint: &'a str,
}

impl Report for JsonlReport<'_> {
    fn record(&mut self, rec: &RecordFindings) -> Result<()> {
        for row in FindingRow::of(rec, self.meta.file(rec.file_index)) {
            let written = if self.fingerprint_column {
                let row = WithFingerprint {
                    row,
                    fingerprint: &self.meta.fingerprint,
                };
                serde_json::to_writer(&mut self.out, &row)
            } else {
                serde_json::to_writer(&mut self.out, &row)
            };
            written.map_err(|e| out_err(e.into()))?;
            self.out.write_all(b"\n").map_err(out_err)?;
        }
        Ok(())
    }

    fn finish(&mut self, _stats: &Stats) -> Result<()> {
        self.out.flush().map_err(out_err)
    }
}
