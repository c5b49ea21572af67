//! `audit` output: `csv`, one row per listing, brand and field, most dangerous first;
//! `json`, the whole [`AuditReport`] with exposure.

use super::AuditReport;
use crate::error::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

/// The columns of `audit -f csv`, in order (a `file` column comes first when there are
/// several catalogs).
pub const AUDIT_COLUMNS: &[&str] = &[
    "rank",
    "listing_id",
    "row",
    "brand",
    "complaint",
    "action",
    "field",
    "words",
    "terms",
];

fn out_err(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => out_err(e),
        other => out_err(std::io::Error::other(format!("{other:?}"))),
    }
}

/// Write the affected listings as CSV. `files` are the catalogs in input order; with
/// more than one, each row names its file.
///
/// ```
/// use brandscan::audit::{write_csv, Audit};
/// use brandscan::policy::Policy;
/// use brandscan::{Matcher, RecordFindings, Rules};
/// let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
/// let mut a = Audit::new(Policy::builtin(), &["Rolex".into()], m.rules());
/// a.add(&RecordFindings { listing_id: "P1".into(), row: 1, file_index: 0,
///     findings: m.find_all("title", "Rolex strap for rolex") });
/// let mut out = Vec::new();
/// write_csv(&a.finish(), &[], &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(),
///     "rank,listing_id,row,brand,complaint,action,field,words,terms\n\
///      1,P1,1,Rolex,general,remove,title,Rolex;rolex,Rolex\n");
/// ```
pub fn write_csv(report: &AuditReport, files: &[Arc<str>], out: &mut dyn Write) -> Result<()> {
    let multi = files.len() > 1;
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    if multi {
        w.write_field("file").map_err(csv_err)?;
    }
    w.write_record(AUDIT_COLUMNS).map_err(csv_err)?;
    for l in &report.listings {
        let (rank, row) = (l.rank.to_string(), l.row.to_string());
        for c in &l.fields {
            if multi {
                let file = files.get(l.file_index).map_or("", |f| &**f);
                w.write_field(file).map_err(csv_err)?;
            }
            let terms: Vec<&str> = c.terms.iter().map(|t| &**t).collect();
            w.write_record([
                rank.as_str(),
                &l.listing_id,
                &row,
                &l.brand,
                l.complaint,
                l.action.as_str(),
                &c.field,
                &c.words.join(";"),
                &terms.join(";"),
            ])
            .map_err(csv_err)?;
        }
    }
    w.flush().map_err(out_err)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: &'a [Arc<str>],
    word_lists: WordLists<'a>,
    #[serde(flatten)]
    report: &'a AuditReport,
}

#[derive(Serialize)]
struct WordLists<'a> {
    rules: usize,
    fingerprint: &'a str,
}

/// Write the whole report as one JSON document, with the catalogs it covers and the
/// word lists it used (`rules`, `fingerprint`); a listing's `file_index` points into
/// `files`.
pub fn write_json(
    report: &AuditReport,
    files: &[Arc<str>],
    rules: usize,
    fingerprint: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let doc = JsonReport {
        files,
        word_lists: WordLists { rules, fingerprint },
        report,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(|e| out_err(e.into()))?;
    out.write_all(b"\n").map_err(out_err)?;
    out.flush().map_err(out_err)
}
