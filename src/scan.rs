//! Scanning: one record → findings, and the ordered parallel driver over whole catalogs.
//!
//! The driver reads batches on one thread, scans each batch with rayon, and hands the
//! results to a [`ScanEvents`] sink in input order, so the output is byte-identical for
//! any number of threads. At most a few batches are alive at once: memory is bounded by
//! the batch size, not the file size.
//!
//! ```
//! use brandscan::{Matcher, Rules, Scanner};
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
//! let scanner = Scanner::new(m);
//! let found = scanner.scan_fields([("title", "Strap for Rolex"), ("description", "20mm")]);
//! assert_eq!(found[0].matched, "Rolex");
//! assert_eq!(&*found[0].field, "title");
//! ```

use crate::catalog::{BadRow, CatalogReader, Columns, Notice, NoticeLevel, RawRecord, ReadOutcome};
use crate::error::Result;
use crate::finding::{Action, Finding, RecordFindings};
use crate::matcher::{Matcher, Scratch};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
        let mut scratch = Scratch::new();
        let mut out = Vec::new();
        for (name, text) in fields {
            self.matcher
                .find_into(&Arc::from(name), text, &mut scratch, &mut out);
        }
        out
    }

    /// Scan one catalog record. A scanned column or the id that is not valid text (not
    /// UTF-8, bytes not valid in the catalog's encoding, or a NUL byte) makes the row a
    /// [`BadRow`].
    pub fn scan_record(
        &self,
        file: &Arc<str>,
        file_index: usize,
        columns: &Columns,
        raw: &RawRecord,
        scratch: &mut Scratch,
    ) -> std::result::Result<RecordFindings, BadRow> {
        let bad = |reason: String| BadRow {
            file: file.clone(),
            row: raw.row,
            line: raw.line,
            reason,
        };
        let listing_id = match &columns.id {
            Some(col) => match field_text(&raw.record[col.index], &col.name, columns) {
                Ok(s) => s.trim().to_string(),
                Err(reason) => return Err(bad(reason)),
            },
            None => raw.row.to_string(),
        };
        let mut findings = Vec::new();
        for col in &columns.fields {
            let text = match field_text(&raw.record[col.index], &col.name, columns) {
                Ok(s) => s,
                Err(reason) => return Err(bad(reason)),
            };
            self.matcher
                .find_into(&col.name, text, scratch, &mut findings);
        }
        Ok(RecordFindings {
            listing_id,
            row: raw.row,
            file_index,
            findings,
        })
    }
}

/// A field as text, or why it is not.
fn field_text<'a>(
    bytes: &'a [u8],
    column: &str,
    columns: &Columns,
) -> std::result::Result<&'a str, String> {
    // Most fields are ASCII with no NUL: one branch-free pass settles them. The
    // vectorized check settles other valid fields; std's finds the byte of an invalid
    // one for the message.
    if plain_ascii(bytes) {
        // SAFETY: ASCII bytes are valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        if memchr::memchr(0, bytes).is_none() {
            return Ok(text);
        }
    }
    let text = std::str::from_utf8(bytes).map_err(|e| match columns.encoding {
        Some(enc) => format!(
            "bytes that are not valid {enc} in column `{column}` (at byte {} of the decoded field)",
            e.valid_up_to()
        ),
        None => format!(
            "invalid UTF-8 in column `{column}` at byte {} (try --encoding)",
            e.valid_up_to()
        ),
    })?;
    // A NUL is never text: a binary file, or UTF-16 read as UTF-8.
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(format!(
            "NUL byte in column `{column}` at byte {at} (a binary file, or UTF-16 without a byte-order mark? try --encoding utf-16le)"
        ));
    }
    Ok(text)
}

/// True when every byte is ASCII and none is NUL. Written without an early exit so
/// that the compiler vectorizes it.
fn plain_ascii(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(0u8, |acc, &b| acc | b | b.wrapping_sub(1))
        & 0x80
        == 0
}

/// Options of the parallel driver.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Worker threads; 0 uses every core.
    pub threads: usize,
    /// Records per batch: the unit of parallel work and of memory. A batch also ends
    /// once its records hold [`BATCH_BYTES`]. The default, [`DEFAULT_BATCH_ROWS`], keeps
    /// a batch small enough (about half a MiB of catalog rows) to be still in cache
    /// when a worker reads what the reader thread just wrote.
    pub batch_rows: usize,
}

thread_local! {
    /// Each pool thread's buffers, kept from batch to batch: a `Scratch` made per rayon
    /// split grew its buffers again for every few hundred rows.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::new());
}

/// Records per batch by default. Measured on the 1 GB catalog of `benches/compare.sh`,
/// 2 cores, medians of 7: 4096 rows took 3.72 s (6.52 s of CPU), 512 rows 3.50 s
/// (6.11 s), and 1024 rows matched 512 in a second run; 256 was slower again.
pub const DEFAULT_BATCH_ROWS: usize = 1024;

/// The most bytes of records one batch holds, so that a few batches of long rows stay
/// within memory whatever `batch_rows` says.
pub const BATCH_BYTES: usize = 64 << 20;

/// A record buffer that has grown past this is dropped rather than reused, so that one
/// long row does not keep its memory for the rest of the run.
const KEEP_RECORD_BYTES: usize = 1 << 20;

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: 0,
            batch_rows: DEFAULT_BATCH_ROWS,
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
    /// Catalog warnings ([`NoticeLevel::Warning`]) passed to [`ScanEvents::notice`].
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

    /// Brands by flagged listings, most first.
    pub fn top_brands(&self, n: usize) -> Vec<(&str, &BrandStats)> {
        let mut v: Vec<(&str, &BrandStats)> =
            self.brands.iter().map(|(k, v)| (k.as_str(), v)).collect();
        v.sort_by(|a, b| b.1.listings.cmp(&a.1.listings).then(a.0.cmp(b.0)));
        v.truncate(n);
        v
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

/// The driver's view of a raw record: decoded only when a report asks.
struct RawText<'a> {
    columns: &'a Columns,
    raw: &'a RawRecord,
}

impl FieldText for RawText<'_> {
    fn field_text(&self, field: &str) -> Option<&str> {
        let col = self.columns.fields.iter().find(|c| &*c.name == field)?;
        std::str::from_utf8(self.raw.record.get(col.index)?).ok()
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

struct Slot {
    raw: RawRecord,
    reject: Option<BadRow>,
}

struct Batch {
    notices: Vec<Notice>,
    file_index: usize,
    file: Arc<str>,
    columns: Arc<Columns>,
    slots: Vec<Slot>,
    len: usize,
    bytes: u64,
}

enum Message {
    Batch(Batch),
    Failed(crate::error::Error),
}

/// Scan every catalog in `readers` in order, sending results to `events`.
///
/// Three stages run side by side: one thread reads batches, the pool matches one batch
/// while this thread hands the findings of the batch before it to `events`, so neither
/// CSV parsing nor report writing holds up matching.
pub fn scan_catalogs(
    scanner: &Scanner,
    readers: Vec<CatalogReader>,
    opts: &ScanOptions,
    events: &mut dyn ScanEvents,
) -> Result<Stats> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| crate::error::Error::usage(format!("cannot start threads: {e}")))?;
    let batch_rows = opts.batch_rows.max(1);
    let (tx, rx) = mpsc::sync_channel::<Message>(2);
    let (matched_tx, matched_rx) = mpsc::sync_channel::<Matched>(1);
    let (free_tx, free_rx) = mpsc::channel::<Vec<Slot>>();
    let (free_results_tx, free_results_rx) = mpsc::channel::<Results>();
    let mut stats = Stats::default();
    let mut done_bytes = 0u64;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || read_batches(readers, batch_rows, tx, free_rx));
        let pool = &pool;
        scope.spawn(move || {
            for msg in rx {
                let batch = match msg {
                    Message::Failed(e) => {
                        let _ = matched_tx.send(Err(e));
                        return;
                    }
                    Message::Batch(b) => b,
                };
                let mut results = free_results_rx.try_recv().unwrap_or_default();
                pool.install(|| {
                    batch.slots[..batch.len]
                        .par_iter()
                        .map(|slot| match &slot.reject {
                            Some(bad) => Err(bad.clone()),
                            None => SCRATCH.with_borrow_mut(|scratch| {
                                scanner.scan_record(
                                    &batch.file,
                                    batch.file_index,
                                    &batch.columns,
                                    &slot.raw,
                                    scratch,
                                )
                            }),
                        })
                        .collect_into_vec(&mut results);
                });
                if matched_tx.send(Ok((batch, results))).is_err() {
                    return;
                }
            }
        });
        for matched in matched_rx {
            let (batch, mut results) = matched?;
            for n in &batch.notices {
                if n.level == NoticeLevel::Warning {
                    stats.warnings += 1;
                }
                events.notice(n)?;
            }
            for (r, slot) in results.drain(..).zip(&batch.slots) {
                stats.rows_read += 1;
                match r {
                    Ok(mut rec) => {
                        stats.rows_scanned += 1;
                        if !rec.findings.is_empty() {
                            events.filter(&mut rec)?;
                        }
                        if !rec.findings.is_empty() {
                            stats.add_record(&rec);
                            let text = RawText {
                                columns: &batch.columns,
                                raw: &slot.raw,
                            };
                            events.record_with_text(&rec, &text)?;
                        }
                    }
                    Err(bad) => {
                        stats.rows_rejected += 1;
                        events.bad_row(&bad)?;
                    }
                }
            }
            done_bytes = done_bytes.max(batch.bytes);
            events.progress(batch.bytes);
            let _ = free_tx.send(batch.slots);
            let _ = free_results_tx.send(results);
        }
        Ok(())
    })?;
    stats.bytes = done_bytes;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// A matched batch and its results, row by row.
type Results = Vec<std::result::Result<RecordFindings, BadRow>>;
type Matched = Result<(Batch, Results)>;

fn read_batches(
    readers: Vec<CatalogReader>,
    batch_rows: usize,
    tx: mpsc::SyncSender<Message>,
    free_rx: mpsc::Receiver<Vec<Slot>>,
) {
    let mut base_bytes = 0u64;
    for (file_index, mut reader) in readers.into_iter().enumerate() {
        let columns = Arc::new(reader.columns().clone());
        let file = reader.name().clone();
        loop {
            let mut slots = free_rx.try_recv().unwrap_or_default();
            let mut len = 0;
            let mut eof = false;
            let mut bytes = 0;
            while len < batch_rows && bytes < BATCH_BYTES {
                if len == slots.len() {
                    slots.push(Slot {
                        raw: RawRecord::default(),
                        reject: None,
                    });
                }
                let slot = &mut slots[len];
                slot.reject = None;
                if slot.raw.record.as_slice().len() > KEEP_RECORD_BYTES {
                    slot.raw.record = csv::ByteRecord::new();
                }
                match reader.read(&mut slot.raw) {
                    Ok(ReadOutcome::Record) => {
                        bytes += slot.raw.record.as_slice().len();
                        len += 1;
                    }
                    Ok(ReadOutcome::Bad(bad)) => {
                        slot.reject = Some(bad);
                        len += 1;
                    }
                    Ok(ReadOutcome::Eof) => {
                        eof = true;
                        break;
                    }
                    Err(e) => {
                        let _ = tx.send(Message::Failed(e));
                        return;
                    }
                }
            }
            let batch = Batch {
                notices: reader.take_notices(),
                file_index,
                file: file.clone(),
                columns: columns.clone(),
                slots,
                len,
                bytes: base_bytes + reader.bytes_read(),
            };
            if (len > 0 || !batch.notices.is_empty()) && tx.send(Message::Batch(batch)).is_err() {
                return;
            }
            if eof {
                break;
            }
        }
        base_bytes += reader.bytes_read();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_ascii_without_nul() {
        for b in 0..=255u8 {
            assert_eq!(plain_ascii(&[b'a', b, b'z']), b != 0 && b < 0x80, "{b:#x}");
        }
        assert!(plain_ascii(b""));
        assert!(plain_ascii("Strap for Rolex, 20 mm".repeat(9).as_bytes()));
        assert!(!plain_ascii(
            "Strap for Rolex, 20 mm é".repeat(9).as_bytes()
        ));
    }

    #[test]
    fn field_text_rejects_nul_and_invalid_utf8() {
        let columns = Columns::default();
        assert_eq!(
            field_text(b"Rolex strap", "title", &columns),
            Ok("Rolex strap")
        );
        assert_eq!(
            field_text("Hermès".as_bytes(), "title", &columns),
            Ok("Hermès")
        );
        let nul = field_text(b"Rolex\0strap", "title", &columns).unwrap_err();
        assert!(
            nul.contains("NUL byte in column `title` at byte 5"),
            "{nul}"
        );
        let bad = field_text(b"Rolex \xff strap", "title", &columns).unwrap_err();
        assert!(
            bad.contains("invalid UTF-8 in column `title` at byte 6"),
            "{bad}"
        );
    }
}
