//! Records: the one way a catalog row becomes named text, and the one ordered parallel
//! driver over whole catalogs that `scan`, `fix`, `audit` and library users share.
//!
//! [`decode`] turns a [`RawRecord`] into a [`RecordText`] — the listing id and the chosen
//! columns as text — or into a [`BadRow`] saying why it cannot be read (a field that is
//! not valid text, a NUL byte). [`drive`] reads batches of records on one thread, runs a
//! per-record function over each batch with rayon, and hands every row, decoded or
//! rejected, to a [`RowSink`] in input order, so the output is byte-identical for any
//! number of threads. Memory is bounded by the batch size, not the file size.
//!
//! ```
//! use brandscan::catalog::{CatalogOptions, CatalogReader};
//! use brandscan::record::{drive, Row, RowSink, ScanOptions};
//!
//! struct Titles(Vec<String>);
//! impl RowSink<String> for Titles {
//!     fn row(&mut self, row: Row<'_, String>) -> brandscan::Result<()> {
//!         self.0.push(row.outcome.unwrap_or_else(|bad| format!("bad: {}", bad.reason)));
//!         Ok(())
//!     }
//! }
//! let data = "sku,title\nA1,Rolex strap\nA2,Nike\0shoe\n";
//! let reader = CatalogReader::from_reader("c.csv", Box::new(data.as_bytes()), &CatalogOptions::default()).unwrap();
//! let mut titles = Titles(Vec::new());
//! let stats = drive(vec![reader], &ScanOptions::default(), None, |rec, _| {
//!     format!("{}: {}", rec.listing_id, rec.field("title").unwrap_or(""))
//! }, &mut titles).unwrap();
//! assert_eq!(titles.0[0], "A1: Rolex strap");
//! assert!(titles.0[1].starts_with("bad: NUL byte in column `title`"));
//! assert_eq!((stats.rows_read, stats.rows_scanned, stats.rows_rejected), (2, 1, 1));
//! ```

use crate::catalog::{BadRow, CatalogReader, Columns, Notice, NoticeLevel, RawRecord, ReadOutcome};
use crate::error::{Error, Result};
use crate::matcher::Scratch;
use crate::scan::FieldText;
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One named field of a record, as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The column's name.
    pub name: &'a Arc<str>,
    /// The field's text.
    pub text: &'a str,
    /// True when this column is also the id column (named in `--fields`): it is scanned
    /// like any other, but `fix` never edits a listing's key.
    pub is_id: bool,
}

/// A record read as text: its listing id and its chosen fields, in column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordText<'a> {
    /// Index of the catalog among the inputs.
    pub file_index: usize,
    /// 1-based data record number in its file.
    pub row: u64,
    /// 1-based physical line the record starts on.
    pub line: u64,
    /// The id column's text, trimmed, or the row number when there is no id column.
    pub listing_id: Cow<'a, str>,
    /// The chosen columns, in order.
    pub fields: Vec<Field<'a>>,
}

impl RecordText<'_> {
    /// The text of the field named `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| &**f.name == name)
            .map(|f| f.text)
    }
}

impl FieldText for RecordText<'_> {
    fn field_text(&self, field: &str) -> Option<&str> {
        self.field(field)
    }
}

/// Read `raw`, a record of catalog `file` (input number `file_index`) with `columns`, as
/// text. The id or a chosen column that is not valid text (not UTF-8, bytes not valid in
/// the catalog's encoding, or a NUL byte) makes the row a [`BadRow`].
///
/// ```
/// use brandscan::catalog::{CatalogOptions, Columns, RawRecord};
/// use brandscan::record::decode;
/// let columns = Columns::detect(vec!["sku".into(), "title".into()], &CatalogOptions::default(), "c.csv").unwrap();
/// let mut raw = RawRecord { row: 1, line: 2, record: csv::ByteRecord::from(vec![" A1 ", "Rolex strap"]) };
/// let rec = decode(&"c.csv".into(), 0, &columns, &raw).unwrap();
/// assert_eq!((&*rec.listing_id, rec.field("title")), ("A1", Some("Rolex strap")));
/// raw.record = csv::ByteRecord::from(vec!["A1", "Rolex\0strap"]);
/// assert!(decode(&"c.csv".into(), 0, &columns, &raw).unwrap_err().reason.starts_with("NUL byte"));
/// ```
pub fn decode<'a>(
    file: &Arc<str>,
    file_index: usize,
    columns: &'a Columns,
    raw: &'a RawRecord,
) -> std::result::Result<RecordText<'a>, BadRow> {
    let bad = |reason: String| BadRow {
        file: file.clone(),
        row: raw.row,
        line: raw.line,
        reason,
    };
    let listing_id = match &columns.id {
        Some(col) => Cow::Borrowed(
            field_text(&raw.record[col.index], &col.name, columns)
                .map_err(bad)?
                .trim(),
        ),
        None => Cow::Owned(raw.row.to_string()),
    };
    let mut fields = Vec::with_capacity(columns.fields.len());
    for col in &columns.fields {
        let text = field_text(&raw.record[col.index], &col.name, columns).map_err(bad)?;
        fields.push(Field {
            name: &col.name,
            text,
            is_id: columns.id.as_ref().is_some_and(|id| id.index == col.index),
        });
    }
    Ok(RecordText {
        file_index,
        row: raw.row,
        line: raw.line,
        listing_id,
        fields,
    })
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
            "invalid UTF-8 in column `{column}` at byte {} ({})",
            e.valid_up_to(),
            match crate::catalog::suggest_encoding(bytes) {
                Some(enc) => format!("it reads as {enc}: try --encoding {enc}"),
                None => "try --encoding".to_string(),
            }
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

/// A rejected-or-read row's text for reports that show context: decoded only when a
/// report asks, the same way [`decode`] reads it.
pub(crate) struct RawText<'a> {
    pub(crate) columns: &'a Columns,
    pub(crate) raw: &'a RawRecord,
}

impl FieldText for RawText<'_> {
    fn field_text(&self, field: &str) -> Option<&str> {
        let col = self.columns.fields.iter().find(|c| &*c.name == field)?;
        field_text(self.raw.record.get(col.index)?, field, self.columns).ok()
    }
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

thread_local! {
    /// Each pool thread's buffers, kept from batch to batch: a `Scratch` made per rayon
    /// split grew its buffers again for every few hundred rows.
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::new());
}

/// One row as [`drive`] hands it over, in input order.
#[derive(Debug)]
pub struct Row<'a, T> {
    /// Index of the catalog among the inputs.
    pub file_index: usize,
    /// The catalog's columns.
    pub columns: &'a Columns,
    /// The record as read.
    pub raw: &'a RawRecord,
    /// The record's bytes as the [`Tap`] copied them; empty without a tap.
    pub bytes: &'a [u8],
    /// What the per-record function made of it, or why the row could not be read.
    pub outcome: std::result::Result<T, BadRow>,
}

/// Where [`drive`] sends rows, notices and progress, in input order.
pub trait RowSink<T> {
    /// A row: read and processed, or rejected.
    fn row(&mut self, row: Row<'_, T>) -> Result<()>;
    /// Something about a catalog that is not a row (a JSON key that is not a column, a
    /// file with no data rows), in input order with the rows. The default ignores it.
    fn notice(&mut self, _notice: &Notice) -> Result<()> {
        Ok(())
    }
    /// Bytes read so far, after every batch.
    fn progress(&mut self, _bytes: u64) {}
}

/// Called on the reading thread right after each record is read, to copy what the
/// caller needs of it (`fix` keeps each record's raw bytes to write it back).
pub type Tap<'t> = &'t mut (dyn FnMut(&CatalogReader, &mut Vec<u8>) + Send);

/// What [`drive`] saw. `rows_read == rows_scanned + rows_rejected`, always.
#[derive(Debug, Clone, Default)]
pub struct DriveStats {
    /// Data records read (header rows not counted).
    pub rows_read: u64,
    /// Records decoded and given to the per-record function.
    pub rows_scanned: u64,
    /// Rows rejected.
    pub rows_rejected: u64,
    /// Catalog warnings ([`NoticeLevel::Warning`]) passed to [`RowSink::notice`].
    pub warnings: u64,
    /// Bytes of catalog read (after decompression).
    pub bytes: u64,
    /// Wall time.
    pub elapsed: Duration,
}

struct Slot {
    raw: RawRecord,
    reject: Option<BadRow>,
    bytes: Vec<u8>,
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
    Failed(Error),
}

/// A batch and what the per-record function made of each of its rows.
type Matched<T> = Result<(Batch, Vec<std::result::Result<T, BadRow>>)>;

/// Read every catalog in `readers` in order, run `work` over each record that
/// [`decode`] reads, and send every row to `sink` in input order.
///
/// Three stages run side by side: one thread reads batches (calling `tap` after each
/// record), the pool runs `work` over one batch while this thread hands the rows of the
/// batch before it to `sink`, so neither parsing nor writing holds up the work.
pub fn drive<T, F>(
    readers: Vec<CatalogReader>,
    opts: &ScanOptions,
    tap: Option<Tap<'_>>,
    work: F,
    sink: &mut dyn RowSink<T>,
) -> Result<DriveStats>
where
    T: Send,
    F: Fn(&RecordText<'_>, &mut Scratch) -> T + Sync,
{
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| Error::system(format!("cannot start threads: {e}")))?;
    let batch_rows = opts.batch_rows.max(1);
    let (tx, rx) = mpsc::sync_channel::<Message>(2);
    let (matched_tx, matched_rx) = mpsc::sync_channel::<Matched<T>>(1);
    let (free_tx, free_rx) = mpsc::channel::<Vec<Slot>>();
    let (free_results_tx, free_results_rx) = mpsc::channel();
    let mut stats = DriveStats::default();
    let work = &work;
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || read_batches(readers, batch_rows, tap, tx, free_rx));
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
                let mut results: Vec<_> = free_results_rx.try_recv().unwrap_or_default();
                pool.install(|| {
                    batch.slots[..batch.len]
                        .par_iter()
                        .map(|slot| match &slot.reject {
                            Some(bad) => Err(bad.clone()),
                            None => {
                                let rec = decode(
                                    &batch.file,
                                    batch.file_index,
                                    &batch.columns,
                                    &slot.raw,
                                )?;
                                // Taken out, not borrowed: a worker that waits on
                                // another pool (the text models of the `ocr` feature)
                                // may run a second record of this batch meanwhile, on
                                // this thread; that one starts with empty buffers.
                                let mut scratch = SCRATCH.take();
                                let out = work(&rec, &mut scratch);
                                SCRATCH.set(scratch);
                                Ok(out)
                            }
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
                sink.notice(n)?;
            }
            for (outcome, slot) in results.drain(..).zip(&batch.slots) {
                stats.rows_read += 1;
                match outcome {
                    Ok(_) => stats.rows_scanned += 1,
                    Err(_) => stats.rows_rejected += 1,
                }
                sink.row(Row {
                    file_index: batch.file_index,
                    columns: &batch.columns,
                    raw: &slot.raw,
                    bytes: &slot.bytes,
                    outcome,
                })?;
            }
            stats.bytes = stats.bytes.max(batch.bytes);
            sink.progress(batch.bytes);
            let _ = free_tx.send(batch.slots);
            let _ = free_results_tx.send(results);
        }
        Ok(())
    })?;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

fn read_batches(
    readers: Vec<CatalogReader>,
    batch_rows: usize,
    mut tap: Option<Tap<'_>>,
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
                        bytes: Vec::new(),
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
                    }
                    Ok(ReadOutcome::Bad(bad)) => slot.reject = Some(bad),
                    Ok(ReadOutcome::Eof) => {
                        eof = true;
                        break;
                    }
                    Err(e) => {
                        let _ = tx.send(Message::Failed(e));
                        return;
                    }
                }
                if let Some(tap) = tap.as_mut() {
                    tap(&reader, &mut slot.bytes);
                }
                len += 1;
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

    #[test]
    fn the_id_column_named_in_fields_is_a_field_marked_as_the_id() {
        let opts = crate::catalog::CatalogOptions {
            fields: Some(vec!["sku".into(), "title".into()]),
            ..Default::default()
        };
        let columns = Columns::detect(vec!["sku".into(), "title".into()], &opts, "c.csv").unwrap();
        let raw = RawRecord {
            row: 1,
            line: 2,
            record: csv::ByteRecord::from(vec!["ROLEX1", "Strap"]),
        };
        let rec = decode(&"c.csv".into(), 0, &columns, &raw).unwrap();
        let names: Vec<(&str, bool)> = rec.fields.iter().map(|f| (&**f.name, f.is_id)).collect();
        assert_eq!(names, [("sku", true), ("title", false)]);
        assert_eq!(rec.listing_id, "ROLEX1");
    }
}
