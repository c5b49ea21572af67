//! Writing a catalog back with its listings fixed, in its own format.
//!
//! The catalog is read with [`CatalogReader`] (so `fix` splits records, detects columns
//! and rejects bad rows exactly as `scan` does) through a tape that keeps the raw bytes
//! of each record. A record with no edit is written back as those bytes — header, BOM,
//! quoting, line endings, blank lines and bad rows byte-identical. An edited record keeps
//! its raw bytes for every field it does not change; a changed field is written quoted if
//! it was quoted, else quoted only where CSV needs it. Gzip in, gzip out.

use super::{FieldEdit, Fixer, LeftReason, ListingFix};
use crate::catalog::{BadRow, CatalogOptions, CatalogReader, Columns, InputFormat};
use crate::error::{Error, Location, Result};
use crate::matcher::Scratch;
use crate::record::{drive, RecordText, Row, RowSink, ScanOptions};
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How to read and fix a catalog.
#[derive(Debug, Clone)]
pub struct FixOptions {
    /// Columns and delimiter, as for `scan`.
    pub catalog: CatalogOptions,
    /// Worker threads; 0 uses every core.
    pub threads: usize,
    /// Records fixed in parallel at a time: the unit of memory.
    pub batch_rows: usize,
}

impl Default for FixOptions {
    fn default() -> Self {
        FixOptions {
            catalog: CatalogOptions::default(),
            threads: 0,
            batch_rows: 4096,
        }
    }
}

/// One record that was edited or left for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedRecord {
    /// The listing id (the id column, or the row number when there is none).
    pub listing_id: String,
    /// 1-based data record number.
    pub row: u64,
    /// 1-based physical line the record starts on.
    pub line: u64,
    /// What was done.
    pub fix: ListingFix,
}

/// What a fix did. `rows_read == rows_scanned + rows_rejected`, always.
#[derive(Debug, Clone, Default)]
pub struct FixStats {
    /// Data records read (the header not counted).
    pub rows_read: u64,
    /// Records fixed or checked.
    pub rows_scanned: u64,
    /// Bad rows, copied through unchanged.
    pub rows_rejected: u64,
    /// Records with at least one edited field.
    pub rows_edited: u64,
    /// Fields edited.
    pub fields_edited: u64,
    /// Records left for a person for a reason other than `review` (bad rows included).
    pub rows_left: u64,
    /// Records per reason, indexed like [`LeftReason::ALL`]; a record with two reasons
    /// counts in both.
    pub by_reason: [u64; LeftReason::ALL.len()],
    /// True when the catalog was gzip and was written back as gzip.
    pub gzip: bool,
    /// Bytes of catalog read (after decompression).
    pub bytes: u64,
    /// Wall time.
    pub elapsed: Duration,
}

impl FixStats {
    /// Records with `reason`.
    pub fn left(&self, reason: LeftReason) -> u64 {
        LeftReason::ALL
            .iter()
            .position(|r| *r == reason)
            .map_or(0, |i| self.by_reason[i])
    }

    fn count(&mut self, reason: LeftReason) {
        if let Some(i) = LeftReason::ALL.iter().position(|r| *r == reason) {
            self.by_reason[i] += 1;
        }
    }
}

/// Where [`fix_catalog`] reports, in input order.
pub trait FixEvents {
    /// The catalog is open and its columns chosen; nothing is written yet.
    fn start(&mut self, _name: &str, _columns: &Columns) -> Result<()> {
        Ok(())
    }
    /// A record that was edited or left for a person.
    fn record(&mut self, rec: &FixedRecord) -> Result<()>;
    /// A row that could not be read; it is copied through unchanged.
    fn bad_row(&mut self, bad: &BadRow) -> Result<()>;
}

/// Read the catalog `name` from `source`, fix every listing with `fixer`, and write the
/// catalog back to `out` in the same format; edits and listings left for a person go to
/// `events`.
///
/// `source` is the file as stored: gzip is detected and the output is gzip too. A
/// workbook or JSON Lines is refused (a usage error), as is a catalog whose records
/// cannot be written back byte for byte. Nothing is written to `out` before the header is read and
/// the columns are chosen.
///
/// ```
/// use brandscan::fix::{fix_catalog, FixEvents, FixOptions, FixedRecord, Fixer};
/// use brandscan::catalog::BadRow;
/// use brandscan::{Matcher, Rules};
///
/// struct Count(usize);
/// impl FixEvents for Count {
///     fn record(&mut self, r: &FixedRecord) -> brandscan::Result<()> { self.0 += r.fix.edits.len(); Ok(()) }
///     fn bad_row(&mut self, _: &BadRow) -> brandscan::Result<()> { Ok(()) }
/// }
/// let fixer = Fixer::new(Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap());
/// let input = "sku;title;price\r\nA1;\"Strap for Rolex, steel\";10\r\nA2;Plain strap;8\r\n";
/// let mut out = Vec::new();
/// let mut events = Count(0);
/// fix_catalog(&fixer, "c.csv", Box::new(input.as_bytes()), &mut out, &FixOptions::default(), &mut events).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "sku;title;price\r\nA1;\"Strap, steel\";10\r\nA2;Plain strap;8\r\n");
/// assert_eq!(events.0, 1);
/// ```
pub fn fix_catalog(
    fixer: &Fixer,
    name: &str,
    source: Box<dyn Read + Send>,
    out: &mut dyn Write,
    opts: &FixOptions,
    events: &mut dyn FixEvents,
) -> Result<FixStats> {
    let started = Instant::now();
    let io_err = |e| Error::io(name, e);
    let (source, gzip) = sniff(source).map_err(io_err)?;
    let (source, head) = peek(source, 4).map_err(io_err)?;
    match InputFormat::detect(name, &head) {
        InputFormat::Delimited => {}
        InputFormat::Xlsx => return Err(refused(name, "Excel workbooks", "save the sheet as CSV")),
        InputFormat::Jsonl => return Err(refused(name, "JSON Lines", "export the catalog as CSV")),
    }
    let tape = Tape::default();
    let recorded = Box::new(Recording {
        inner: source,
        tape: tape.clone(),
    });
    let reader = CatalogReader::from_reader(name, recorded, &opts.catalog)?;
    let columns = reader.columns().clone();
    let delimiter = reader.delimiter();
    // The reader strips a BOM before the CSV parser sees it: its offsets start after it.
    let bom = if tape.lock().buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let header_end = bom + reader.bytes_read();
    let header = tape.take(0, header_end);
    check_header(name, &header[bom as usize..], delimiter, &columns)?;
    events.start(name, &columns)?;
    let mut sink = if gzip {
        Sink::Gzip(Box::new(flate2::write::GzEncoder::new(
            out,
            flate2::Compression::default(),
        )))
    } else {
        Sink::Plain(out)
    };
    sink.write_all(&header)
        .map_err(|e| Error::io("<output>", e))?;

    let mut stats = FixStats {
        gzip,
        ..FixStats::default()
    };
    // The reading thread copies each record's raw bytes off the tape as it reads it.
    let mut prev_end = header_end;
    let mut tap = |reader: &CatalogReader, out: &mut Vec<u8>| {
        let end = bom + reader.bytes_read();
        tape.copy_into(prev_end, end, out);
        prev_end = end;
    };
    let mut writer = Writer {
        name,
        delimiter,
        sink: &mut sink,
        events,
        stats: &mut stats,
        buf: Vec::new(),
    };
    let d = drive(
        vec![reader],
        &ScanOptions {
            threads: opts.threads,
            batch_rows: opts.batch_rows,
        },
        Some(&mut tap),
        |rec, scratch| fix_text(fixer, rec, scratch),
        &mut writer,
    )?;
    // Blank lines after the last record.
    let rest = tape.take(prev_end, u64::MAX);
    sink.write_all(&rest)
        .and_then(|()| sink.finish())
        .map_err(|e| Error::io("<output>", e))?;
    stats.rows_read = d.rows_read;
    stats.rows_scanned = d.rows_scanned;
    stats.rows_rejected = d.rows_rejected;
    stats.bytes = prev_end + rest.len() as u64;
    stats.elapsed = started.elapsed();
    Ok(stats)
}

/// Writes each row the driver hands over: a rejected row copied through unchanged and
/// left for a person, an edited one rewritten, any other copied.
struct Writer<'a, 'o> {
    name: &'a str,
    delimiter: u8,
    sink: &'a mut Sink<'o>,
    events: &'a mut dyn FixEvents,
    stats: &'a mut FixStats,
    buf: Vec<u8>,
}

impl RowSink<Option<FixedRecord>> for Writer<'_, '_> {
    fn row(&mut self, row: Row<'_, Option<FixedRecord>>) -> Result<()> {
        let bytes = match &row.outcome {
            Err(bad) => {
                self.stats.rows_left += 1;
                self.stats.count(LeftReason::BadRow);
                self.events.bad_row(bad)?;
                row.bytes
            }
            Ok(None) => row.bytes,
            Ok(Some(rec)) => {
                count(self.stats, &rec.fix);
                self.events.record(rec)?;
                if rec.fix.edited() {
                    self.buf.clear();
                    rewrite_record(
                        row.bytes,
                        &row.raw.record,
                        self.delimiter,
                        row.columns,
                        &rec.fix.edits,
                        &mut self.buf,
                    )
                    .map_err(|m| Error::catalog(Location::file(self.name).at_line(rec.line), m))?;
                    &self.buf[..]
                } else {
                    row.bytes
                }
            }
        };
        self.sink
            .write_all(bytes)
            .map_err(|e| Error::io("<output>", e))
    }
}

fn refused(name: &str, what: &str, instead: &str) -> Error {
    Error::catalog(
        Location::file(name),
        format!("fix cannot write {what} yet; {instead} and fix that"),
    )
}

fn count(stats: &mut FixStats, fix: &ListingFix) {
    if fix.edited() {
        stats.rows_edited += 1;
        stats.fields_edited += fix.edits.len() as u64;
    }
    if fix.needs_person() {
        stats.rows_left += 1;
    }
    let mut seen: Vec<LeftReason> = Vec::new();
    for l in &fix.left {
        if !seen.contains(&l.reason) {
            seen.push(l.reason);
            stats.count(l.reason);
        }
    }
}

/// Fix one record read as text; `None` when there is nothing to report.
fn fix_text(fixer: &Fixer, rec: &RecordText<'_>, scratch: &mut Scratch) -> Option<FixedRecord> {
    let fix = fixer.fix_record(rec, scratch);
    if fix.edits.is_empty() && fix.left.is_empty() {
        return None;
    }
    Some(FixedRecord {
        listing_id: rec.listing_id.to_string(),
        row: rec.row,
        line: rec.line,
        fix,
    })
}

enum Sink<'a> {
    Plain(&'a mut dyn Write),
    Gzip(Box<flate2::write::GzEncoder<&'a mut dyn Write>>),
}

impl Sink<'_> {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(bytes),
            Sink::Gzip(w) => w.write_all(bytes),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => {
                w.try_finish()?;
                w.get_mut().flush()
            }
        }
    }
}

/// Decompress gzip content (by its magic number, as the reader does).
fn sniff(source: Box<dyn Read + Send>) -> io::Result<(Box<dyn Read + Send>, bool)> {
    let (source, magic) = peek(source, 2)?;
    if magic == [0x1f, 0x8b] {
        Ok((Box::new(flate2::read::MultiGzDecoder::new(source)), true))
    } else {
        Ok((source, false))
    }
}

/// Read the first `n` bytes and put them back in front.
fn peek(mut source: Box<dyn Read + Send>, n: usize) -> io::Result<(Box<dyn Read + Send>, Vec<u8>)> {
    let mut head = Vec::with_capacity(n);
    (&mut source).take(n as u64).read_to_end(&mut head)?;
    let chained = io::Cursor::new(head.clone()).chain(source);
    Ok((Box::new(chained), head))
}

/// The bytes read so far that no record has claimed yet.
#[derive(Debug, Default)]
struct TapeInner {
    buf: Vec<u8>,
    /// The stream offset of `buf[0]`.
    base: u64,
}

#[derive(Debug, Clone, Default)]
struct Tape(Arc<Mutex<TapeInner>>);

impl Tape {
    fn lock(&self) -> MutexGuard<'_, TapeInner> {
        // A panic while holding the lock cannot leave the bytes half-appended in a way
        // that matters more than the panic itself.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Copy stream bytes `from..to` (clamped to what was read) into `out`, and let go of
    /// everything before `to`.
    fn copy_into(&self, from: u64, to: u64, out: &mut Vec<u8>) {
        let mut t = self.lock();
        let start = from.saturating_sub(t.base).min(t.buf.len() as u64) as usize;
        let end = to.saturating_sub(t.base).min(t.buf.len() as u64) as usize;
        out.clear();
        out.extend_from_slice(&t.buf[start..end.max(start)]);
        // Drain in large steps so the cost stays linear in the file size.
        if end >= 1 << 20 || end == t.buf.len() {
            t.buf.drain(..end);
            t.base += end as u64;
        }
    }

    fn take(&self, from: u64, to: u64) -> Vec<u8> {
        let mut out = Vec::new();
        self.copy_into(from, to, &mut out);
        out
    }
}

/// A reader that keeps a copy of every byte it hands out on its tape.
struct Recording {
    inner: Box<dyn Read + Send>,
    tape: Tape,
}

impl Read for Recording {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.tape.lock().buf.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// The raw pieces of one record: anything before its first field (blank lines, the `\n`
/// of the previous `\r\n`), each field's raw bytes, and its terminator.
#[derive(Debug, PartialEq, Eq)]
struct RawFields {
    lead: std::ops::Range<usize>,
    fields: Vec<std::ops::Range<usize>>,
    trail: std::ops::Range<usize>,
}

/// Split a record's raw bytes the way `csv_core` reads them (quote `"`, doubled quotes,
/// `\r`, `\n` or `\r\n` ends a record, text after a closing quote kept literally).
fn split_raw(raw: &[u8], delimiter: u8) -> RawFields {
    let mut i = 0;
    while i < raw.len() && (raw[i] == b'\r' || raw[i] == b'\n') {
        i += 1;
    }
    let lead = 0..i;
    let mut fields = Vec::new();
    loop {
        let start = i;
        if i < raw.len() && raw[i] == b'"' {
            i += 1;
            while i < raw.len() {
                if raw[i] == b'"' {
                    if raw.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < raw.len() && raw[i] != delimiter && raw[i] != b'\r' && raw[i] != b'\n' {
            i += 1;
        }
        fields.push(start..i);
        if i < raw.len() && raw[i] == delimiter {
            i += 1;
            continue;
        }
        break;
    }
    RawFields {
        lead,
        fields,
        trail: i..raw.len(),
    }
}

/// The value of one raw field, as `csv_core` reads it.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let Some(body) = raw.strip_prefix(b"\"") else {
        return raw.to_vec();
    };
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'"' {
            if body.get(i + 1) == Some(&b'"') {
                out.push(b'"');
                i += 2;
                continue;
            }
            out.extend_from_slice(&body[i + 1..]);
            return out;
        }
        out.push(body[i]);
        i += 1;
    }
    out
}

fn check_header(name: &str, raw: &[u8], delimiter: u8, columns: &Columns) -> Result<()> {
    let split = split_raw(raw, delimiter);
    let same =
        split.fields.len() == columns.headers.len()
            && split.fields.iter().zip(&columns.headers).all(|(r, h)| {
                String::from_utf8_lossy(&unescape(&raw[r.clone()])).trim() == h.as_str()
            });
    if same {
        Ok(())
    } else {
        Err(Error::catalog(
            Location::file(name).at_line(1),
            "fix cannot write this catalog back byte for byte (an encoding other than UTF-8?)",
        ))
    }
}

/// Write `raw` with the edited fields replaced; every other byte is copied.
fn rewrite_record(
    raw: &[u8],
    record: &csv::ByteRecord,
    delimiter: u8,
    columns: &Columns,
    edits: &[FieldEdit],
    out: &mut Vec<u8>,
) -> std::result::Result<(), String> {
    let split = split_raw(raw, delimiter);
    let consistent = split.fields.len() == record.len()
        && split
            .fields
            .iter()
            .zip(record.iter())
            .all(|(r, v)| unescape(&raw[r.clone()]) == v);
    if !consistent {
        return Err("fix cannot write this record back byte for byte".into());
    }
    out.extend_from_slice(&raw[split.lead]);
    for (i, range) in split.fields.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        // `FieldEdit::position` counts the record's fields: the chosen columns.
        let edit = edits
            .iter()
            .find(|e| columns.fields.get(e.position).map(|c| c.index) == Some(i));
        match edit {
            None => out.extend_from_slice(&raw[range.clone()]),
            Some(e) => {
                let quoted = raw[range.clone()].starts_with(b"\"");
                write_field(e.after.as_bytes(), quoted, delimiter, out);
            }
        }
    }
    out.extend_from_slice(&raw[split.trail]);
    Ok(())
}

/// Write a field quoted when it was quoted, or when CSV needs it: a delimiter, a line
/// break or a leading quote. A quote inside an unquoted field is left as it was, as the
/// reader reads it literally.
fn write_field(value: &[u8], was_quoted: bool, delimiter: u8, out: &mut Vec<u8>) {
    let needs = value
        .iter()
        .any(|&b| b == delimiter || b == b'\r' || b == b'\n')
        || value.first() == Some(&b'"');
    if !(was_quoted || needs) {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'"');
    for &b in value {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(raw: &str, d: u8) -> Vec<String> {
        let s = split_raw(raw.as_bytes(), d);
        s.fields
            .iter()
            .map(|r| String::from_utf8(unescape(&raw.as_bytes()[r.clone()])).unwrap())
            .collect()
    }

    #[test]
    fn raw_split_reads_like_the_csv_crate() {
        for (raw, d) in [
            ("a,b,c\n", b','),
            ("\n\r\n\"x,1\",\"say \"\"hi\"\"\",\r\n", b','),
            ("\"multi\nline\",2\r", b','),
            ("10\" laces,b\n", b','),
            ("\"a\"tail,b", b','),
            ("a\tb\t\tc", b'\t'),
            ("", b','),
        ] {
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(d)
                .from_reader(raw.as_bytes());
            let mut rec = csv::ByteRecord::new();
            let want: Vec<String> = if rdr.read_byte_record(&mut rec).unwrap() {
                rec.iter()
                    .map(|f| String::from_utf8(f.to_vec()).unwrap())
                    .collect()
            } else {
                vec![String::new()]
            };
            assert_eq!(fields(raw, d), want, "{raw:?}");
        }
    }

    #[test]
    fn lead_and_trail_are_kept_apart() {
        let raw = b"\n\r\na,\"b\"\r\n";
        let s = split_raw(raw, b',');
        assert_eq!(&raw[s.lead], b"\n\r\n");
        assert_eq!(&raw[s.trail], b"\r\n");
    }

    #[test]
    fn fields_are_quoted_as_before_or_as_needed() {
        let w = |v: &str, q: bool| {
            let mut o = Vec::new();
            write_field(v.as_bytes(), q, b',', &mut o);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(w("plain", false), "plain");
        assert_eq!(w("plain", true), "\"plain\"");
        assert_eq!(w("a,b", false), "\"a,b\"");
        assert_eq!(w("10\" laces", false), "10\" laces");
        assert_eq!(w("\"q\" x", false), "\"\"\"q\"\" x\"");
        assert_eq!(w("two\nlines", false), "\"two\nlines\"");
    }
}
