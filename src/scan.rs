//! Scanning: one record → findings, and whole catalogs through the record driver
//! ([`crate::record::drive`]), whose results reach a [`ScanEvents`] sink in input order.
//!
//! ```
//! use brandscan::{Matcher, Rules, Scanner};
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
//! let scanner = Scanner::new(m);
//! let found = scanner.scan_fields([("title", "Strap for Rolex"), ("description", "20mm")]);
//! assert_eq!(found[0].matched, "Rolex");
//! assert_eq!(&*found[0].field, "title");
//! ```

use crate::catalog::{BadRow, CatalogReader, Columns, Notice, RawRecord};
use crate::error::Result;
use crate::finding::{Action, Finding, RecordFindings};
use crate::matcher::{Matcher, Scratch};
use crate::record::{decode, drive, RawText, RecordText, Row, RowSink};
pub use crate::record::{ScanOptions, BATCH_BYTES, DEFAULT_BATCH_ROWS};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Scans text with one [`Matcher`]; cheap to clone and share.
#[derive(Debug, Clone)]
pub struct Scanner {
    matcher: Arc<Matcher>,
}

impl Scanner {
    /// A scanner over `matcher`.
    pub fn new(matcher: Matcher) -> Scanner {
        Scanner {
            matcher: Arc::new(matcher),
        }
    }

    /// The matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Scan named fields of one listing (the `check` entry point).
    pub fn scan_fields<'a, I>(&self, fields: I) -> Vec<Finding>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        self.scan_fields_in(fields, &mut Scratch::new())
    }

    /// [`Scanner::scan_fields`] with the caller's buffers, which may carry a
    /// [`crate::Cancel`]: once it is set, the scan stops and what it returns is partial.
    pub fn scan_fields_in<'a, I>(&self, fields: I, scratch: &mut Scratch) -> Vec<Finding>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut out = Vec::new();
        for (name, text) in fields {
            if scratch.cancelled() {
                out.clear();
                break;
            }
            self.matcher
                .find_into(&Arc::from(name), text, scratch, &mut out);
        }
        if scratch.cancelled() {
            out.clear();
        }
        out
    }

    /// Scan one catalog record, read by [`decode`]: a scanned column or the id that is
    /// not valid text (not UTF-8, bytes not valid in the catalog's encoding, or a NUL
    /// byte) makes the row a [`BadRow`].
    pub fn scan_record(
        &self,
        file: &Arc<str>,
        file_index: usize,
        columns: &Columns,
        raw: &RawRecord,
        scratch: &mut Scratch,
    ) -> std::result::Result<RecordFindings, BadRow> {
        Ok(self.scan_text(&decode(file, file_index, columns, raw)?, scratch))
    }

    /// Scan a record already read as text: what [`scan_catalogs`] runs on every record.
    pub fn scan_text(&self, rec: &RecordText<'_>, scratch: &mut Scratch) -> RecordFindings {
        let mut findings = Vec::new();
        for f in &rec.fields {
            self.matcher
                .find_into(f.name, f.text, scratch, &mut findings);
        }
        RecordFindings {
            listing_id: rec.listing_id.to_string(),
            row: rec.row,
            file_index: rec.file_index,
            findings,
        }
    }
}

/// Per-brand counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandStats {
    /// Listings with at least one finding of the brand.
    pub listings: u64,
    /// Findings of the brand.
    pub findings: u64,
}

/// What a scan saw. `rows_read == rows_scanned + rows_rejected`, always.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Data records read (header rows not counted).
    pub rows_read: u64,
    /// Records scanned.
    pub rows_scanned: u64,
    /// Records rejected as bad rows.
    pub rows_rejected: u64,
    /// Findings reported.
    pub findings: u64,
    /// Flagged listings by their strictest action, indexed by `Action as usize`.
    pub listings_by_action: [u64; 3],
    /// Per-brand counts.
    pub brands: BTreeMap<String, BrandStats>,
    /// Bytes of catalog read (after decompression).
    pub bytes: u64,
    /// Catalog warnings ([`crate::catalog::NoticeLevel::Warning`]) passed to [`ScanEvents::notice`].
    pub warnings: u64,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// What `--baseline` and `--suppress` dropped, when they were given. The counts above
    /// are of what is left: what the report shows.
    pub triage: Option<crate::baseline::TriageStats>,
}

impl Stats {
    /// Listings with at least one finding.
    pub fn listings_flagged(&self) -> u64 {
        self.listings_by_action.iter().sum()
    }

    /// Flagged listings whose strictest action is `action`.
    pub fn listings(&self, action: Action) -> u64 {
        self.listings_by_action[action as usize]
    }

    /// Count one record's findings.
    pub fn add_record(&mut self, rec: &RecordFindings) {
        self.findings += rec.findings.len() as u64;
        if let Some(action) = rec.action() {
            self.listings_by_action[action as usize] += 1;
        }
        let mut seen: Vec<&str> = Vec::new();
        for f in &rec.findings {
            // Most findings are of a brand already counted: no key to allocate.
            let b = match self.brands.get_mut(&*f.brand) {
                Some(b) => b,
                None => self.brands.entry(f.brand.to_string()).or_default(),
            };
            b.findings += 1;
            if !seen.contains(&&*f.brand) {
                seen.push(&f.brand);
                b.listings += 1;
            }
        }
    }

    /// Brands by flagged listings, most first; counterfeit wording and unknown brands
    /// are not brands ([`Stats::apart_from_brands`]).
    pub fn top_brands(&self, n: usize) -> Vec<(&str, &BrandStats)> {
        let mut v: Vec<(&str, &BrandStats)> = self
            .brands
            .iter()
            .filter(|(k, _)| crate::context::names_a_brand(k))
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        v.sort_by(|a, b| b.1.listings.cmp(&a.1.listings).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// The counts of counterfeit wording and of the unknown brands beside it, the
    /// findings reports show apart from brands, in that order, where there are any.
    pub fn apart_from_brands(&self) -> Vec<(&str, &BrandStats)> {
        [
            crate::context::COUNTERFEIT_WORDING,
            crate::unknown::UNKNOWN_BRAND,
        ]
        .into_iter()
        .filter_map(|b| self.brands.get(b).map(|s| (b, s)))
        .collect()
    }
}

/// The original text of a record's scanned fields, by column name: what a finding's
/// `start..end` points into. Reports that show context (HTML) cut it from here.
///
/// ```
/// use brandscan::scan::FieldText;
/// let fields = [("title", "Strap for Rolex"), ("description", "20mm")];
/// assert_eq!(fields.field_text("title"), Some("Strap for Rolex"));
/// assert_eq!(fields.field_text("tags"), None);
/// let text: &dyn FieldText = &fields;
/// assert_eq!(text.field_text("description"), Some("20mm"));
/// ```
pub trait FieldText {
    /// The text of column `field`, if the record has it.
    fn field_text(&self, field: &str) -> Option<&str>;
}

fn find_field<'a, S: AsRef<str>>(pairs: &'a [(S, S)], field: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(name, _)| name.as_ref() == field)
        .map(|(_, t)| t.as_ref())
}

impl<S: AsRef<str>> FieldText for &[(S, S)] {
    fn field_text(&self, field: &str) -> Option<&str> {
        find_field(self, field)
    }
}

impl<S: AsRef<str>> FieldText for Vec<(S, S)> {
    fn field_text(&self, field: &str) -> Option<&str> {
        find_field(self, field)
    }
}

impl<S: AsRef<str>, const N: usize> FieldText for [(S, S); N] {
    fn field_text(&self, field: &str) -> Option<&str> {
        find_field(self, field)
    }
}

/// Where the driver sends what it finds, in input order.
pub trait ScanEvents {
    /// Drop findings before they are counted and reported (a baseline, suppressions).
    /// A record left with no findings is not reported. The default keeps everything.
    fn filter(&mut self, _rec: &mut RecordFindings) -> Result<()> {
        Ok(())
    }
    /// A scanned record with at least one finding (after [`ScanEvents::filter`]).
    fn record(&mut self, rec: &RecordFindings) -> Result<()>;
    /// [`ScanEvents::record`] with the record's field text, for reports that show
    /// context. The default ignores the text.
    fn record_with_text(&mut self, rec: &RecordFindings, _text: &dyn FieldText) -> Result<()> {
        self.record(rec)
    }
    /// A rejected row.
    fn bad_row(&mut self, bad: &BadRow) -> Result<()>;
    /// Bytes read so far, after every batch.
    fn progress(&mut self, _bytes: u64) {}
    /// Something about a catalog that is not a row: a JSON key that is not a column, a
    /// file with no data rows. Comes in input order with the rows.
    fn notice(&mut self, _notice: &Notice) -> Result<()> {
        Ok(())
    }
}

/// What a per-record step beside the text scan adds to a record ([`scan_catalogs_with`]):
/// the text of extra fields its findings point into (the words read in a picture), and
/// warnings about the record that do not reject it.
#[derive(Debug, Default)]
pub struct Extra {
    /// `(field, text)` of each extra field with findings.
    pub texts: Vec<(Arc<str>, String)>,
    /// Warnings, reported before the record, counted with the catalog warnings.
    pub notices: Vec<Notice>,
}

/// Sends the driver's rows to a [`ScanEvents`], counting what it reports.
struct Events<'e> {
    events: &'e mut dyn ScanEvents,
    stats: Stats,
}

/// A record's fields from the extra step first, then from the catalog row.
struct WithExtra<'a> {
    texts: &'a [(Arc<str>, String)],
    raw: RawText<'a>,
}

impl FieldText for WithExtra<'_> {
    fn field_text(&self, field: &str) -> Option<&str> {
        match self.texts.iter().find(|(name, _)| &**name == field) {
            Some((_, text)) => Some(text),
            None => self.raw.field_text(field),
        }
    }
}

impl RowSink<(RecordFindings, Extra)> for Events<'_> {
    fn row(&mut self, row: Row<'_, (RecordFindings, Extra)>) -> Result<()> {
        match row.outcome {
            Ok((mut rec, extra)) => {
                for n in &extra.notices {
                    self.stats.warnings += 1;
                    self.events.notice(n)?;
                }
                if !rec.findings.is_empty() {
                    self.events.filter(&mut rec)?;
                }
                if !rec.findings.is_empty() {
                    self.stats.add_record(&rec);
                    let text = WithExtra {
                        texts: &extra.texts,
                        raw: RawText {
                            columns: row.columns,
                            raw: row.raw,
                        },
                    };
                    self.events.record_with_text(&rec, &text)?;
                }
                Ok(())
            }
            Err(bad) => self.events.bad_row(&bad),
        }
    }

    fn notice(&mut self, notice: &Notice) -> Result<()> {
        self.events.notice(notice)
    }

    fn progress(&mut self, bytes: u64) {
        self.events.progress(bytes);
    }
}

/// Scan every catalog in `readers` in order with the record driver ([`drive`]), sending
/// results to `events`.
pub fn scan_catalogs(
    scanner: &Scanner,
    readers: Vec<CatalogReader>,
    opts: &ScanOptions,
    events: &mut dyn ScanEvents,
) -> Result<Stats> {
    scan_catalogs_with(scanner, readers, opts, events, |_, _, _| Extra::default())
}

/// [`scan_catalogs`] with a step of its own run on every record beside the text scan, on
/// the same worker and in the same order: `more` may add findings (the text in a
/// listing's pictures) and say what they point into.
pub fn scan_catalogs_with<F>(
    scanner: &Scanner,
    readers: Vec<CatalogReader>,
    opts: &ScanOptions,
    events: &mut dyn ScanEvents,
    more: F,
) -> Result<Stats>
where
    F: Fn(&RecordText<'_>, &mut Scratch, &mut RecordFindings) -> Extra + Sync,
{
    let mut sink = Events {
        events,
        stats: Stats::default(),
    };
    let d = drive(
        readers,
        opts,
        None,
        |rec, scratch| {
            let mut found = scanner.scan_text(rec, scratch);
            let extra = more(rec, scratch, &mut found);
            (found, extra)
        },
        &mut sink,
    )?;
    Ok(Stats {
        rows_read: d.rows_read,
        rows_scanned: d.rows_scanned,
        rows_rejected: d.rows_rejected,
        bytes: d.bytes,
        warnings: d.warnings + sink.stats.warnings,
        elapsed: d.elapsed,
        ..sink.stats
    })
}
