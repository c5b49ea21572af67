//! Catalog reading: every CSV reader setting in one place, delimiter and column
//! detection, gzip, stdin (SPEC §3).
//!
//! The reader only splits records; UTF-8 checks and matching happen in the parallel
//! scan stage so that the single reading thread stays fast. A row with the wrong number
//! of fields is returned as a [`BadRow`] — bad rows are data, not errors.
//!
//! ```
//! use brandscan::catalog::{CatalogOptions, CatalogReader, ReadOutcome, RawRecord};
//! let data = "sku;title;price\nA1;Nike shoe;10\n";
//! let mut r = CatalogReader::from_reader("mem.csv", Box::new(data.as_bytes()), &CatalogOptions::default()).unwrap();
//! assert_eq!(r.delimiter(), b';');
//! assert_eq!(r.columns().id.as_ref().map(|c| c.name.as_ref()), Some("sku"));
//! let mut rec = RawRecord::default();
//! assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Record));
//! assert_eq!(rec.row, 1);
//! ```

use crate::error::{Error, Location, Result};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

/// How to read a catalog; `None` means detect.
#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// The column holding the listing id.
    pub id_column: Option<String>,
    /// The columns to scan.
    pub fields: Option<Vec<String>>,
    /// The field delimiter.
    pub delimiter: Option<u8>,
}

/// Column names checked, in this order, for the listing id.
pub const ID_COLUMNS: &[&str] = &[
    "product_id",
    "id",
    "sku",
    "item_sku",
    "handle",
    "listing_id",
    "asin",
    "product id",
];

/// Words that make a column a text field to scan when they occur in its name.
pub const FIELD_WORDS: &[&str] = &[
    "title",
    "name",
    "description",
    "bullet",
    "keyword",
    "tag",
    "body",
    "image",
    "img",
    "picture",
    "photo",
];

/// A column of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// 0-based index in the record.
    pub index: usize,
    /// Header name.
    pub name: Arc<str>,
}

/// The columns chosen for a catalog.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Every header name, in order.
    pub headers: Vec<String>,
    /// The id column; `None` makes the row number the id.
    pub id: Option<Column>,
    /// The columns to scan.
    pub fields: Vec<Column>,
}

impl Columns {
    /// Choose the id and text columns from `headers`, as SPEC §3 says, or as the options
    /// name them.
    pub fn detect(headers: Vec<String>, opts: &CatalogOptions, file: &str) -> Result<Columns> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let missing = |what: &str, name: &str| {
            Error::catalog(
                Location::file(file).at_line(1),
                format!(
                    "{what} `{name}` is not in the header (columns: {})",
                    headers.join(", ")
                ),
            )
        };
        let id = match &opts.id_column {
            Some(name) => Some(find(name).ok_or_else(|| missing("id column", name))?),
            None => ID_COLUMNS.iter().find_map(|c| find(c)),
        };
        let fields: Vec<usize> = match &opts.fields {
            Some(names) => names
                .iter()
                .map(|n| find(n).ok_or_else(|| missing("field", n)))
                .collect::<Result<_>>()?,
            None => headers
                .iter()
                .enumerate()
                .filter(|(i, h)| Some(*i) != id && is_text_column(h))
                .map(|(i, _)| i)
                .collect(),
        };
        if fields.is_empty() {
            return Err(Error::catalog(
                Location::file(file).at_line(1),
                format!(
                    "no text column to scan was found (columns: {}); name them with --fields",
                    headers.join(", ")
                ),
            ));
        }
        let col = |i: usize| Column {
            index: i,
            name: Arc::from(headers[i].trim()),
        };
        Ok(Columns {
            id: id.map(col),
            fields: fields.into_iter().map(col).collect(),
            headers,
        })
    }
}

fn is_text_column(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    if matches!(h.as_str(), "brand_name" | "brand name" | "brand-name") {
        return false;
    }
    FIELD_WORDS.iter().any(|w| h.contains(w))
}

/// One record as read, not yet decoded.
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    /// 1-based data record number in its file (header not counted).
    pub row: u64,
    /// 1-based physical line the record starts on.
    pub line: u64,
    /// The raw fields.
    pub record: csv::ByteRecord,
}

/// A row that could not be scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The catalog's name.
    pub file: Arc<str>,
    /// 1-based data record number.
    pub row: u64,
    /// 1-based physical line.
    pub line: u64,
    /// What is wrong, in words.
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: row {} rejected: {}",
            self.file, self.line, self.row, self.reason
        )
    }
}

/// What [`CatalogReader::read`] found.
#[derive(Debug)]
pub enum ReadOutcome {
    /// A record with the header's field count was read into the caller's buffer.
    Record,
    /// A record that cannot be scanned.
    Bad(BadRow),
    /// The end of the input.
    Eof,
}

/// A streaming reader over one catalog.
pub struct CatalogReader {
    name: Arc<str>,
    reader: csv::Reader<Box<dyn Read + Send>>,
    columns: Columns,
    delimiter: u8,
    row: u64,
}

impl std::fmt::Debug for CatalogReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogReader")
            .field("name", &self.name)
            .field("columns", &self.columns)
            .field("delimiter", &(self.delimiter as char))
            .finish()
    }
}

/// How many bytes of the head are examined to detect the delimiter.
const HEAD_LIMIT: usize = 1 << 20;

impl CatalogReader {
    /// Open a file, or standard input for `-`. `.gz` files (or gzip content) are
    /// decompressed.
    pub fn open(path: &Path, opts: &CatalogOptions) -> Result<CatalogReader> {
        let name = path.display().to_string();
        let source: Box<dyn Read + Send> = if name == "-" {
            Box::new(io::stdin())
        } else {
            Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
        };
        CatalogReader::from_reader(&name, source, opts)
    }

    /// Read from any source; `name` is used in messages and for format hints
    /// (`.tsv`, `.gz`).
    pub fn from_reader(
        name: &str,
        mut source: Box<dyn Read + Send>,
        opts: &CatalogOptions,
    ) -> Result<CatalogReader> {
        let io_err = |e| Error::io(name, e);
        let mut magic = [0u8; 2];
        let n = read_up_to(&mut source, &mut magic).map_err(io_err)?;
        let source: Box<dyn Read + Send> =
            Box::new(io::Cursor::new(magic[..n].to_vec()).chain(source));
        let mut source: Box<dyn Read + Send> = if n == 2 && magic == [0x1f, 0x8b] {
            Box::new(flate2::read::MultiGzDecoder::new(source))
        } else {
            source
        };
        let head = read_head(&mut source).map_err(io_err)?;
        let head_body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).to_vec();
        let lower = name.to_ascii_lowercase();
        let delimiter = opts.delimiter.unwrap_or_else(|| {
            if lower.ends_with(".tsv") || lower.ends_with(".tsv.gz") {
                b'\t'
            } else {
                detect_delimiter(&head_body)
            }
        });
        let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head_body).chain(source));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(chained);
        let mut header = csv::ByteRecord::new();
        let got = reader.read_byte_record(&mut header).map_err(|e| {
            Error::catalog(
                Location::file(name).at_line(1),
                format!("cannot read the header: {e}"),
            )
        })?;
        if !got {
            return Err(Error::catalog(
                Location::file(name),
                "the file is empty: a header row is required",
            ));
        }
        let headers: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let columns = Columns::detect(headers, opts, name)?;
        Ok(CatalogReader {
            name: Arc::from(name),
            reader,
            columns,
            delimiter,
            row: 0,
        })
    }

    /// The catalog's name as given.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// The chosen columns.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The delimiter in use.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes consumed so far (after decompression).
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Read the next record into `out`.
    pub fn read(&mut self, out: &mut RawRecord) -> Result<ReadOutcome> {
        let line = self.reader.position().line();
        let more = self.reader.read_byte_record(&mut out.record).map_err(|e| {
            Error::catalog(Location::file(&*self.name).at_line(line), e.to_string())
        })?;
        if !more {
            return Ok(ReadOutcome::Eof);
        }
        self.row += 1;
        out.row = self.row;
        out.line = out.record.position().map_or(line, |p| p.line());
        let want = self.columns.headers.len();
        if out.record.len() != want {
            return Ok(ReadOutcome::Bad(BadRow {
                file: self.name.clone(),
                row: out.row,
                line: out.line,
                reason: format!(
                    "expected {want} fields, found {}{}",
                    out.record.len(),
                    if out.record.len() > want {
                        " (an unquoted delimiter or a stray quote?)"
                    } else {
                        ""
                    }
                ),
            }));
        }
        Ok(ReadOutcome::Record)
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Read until the first line is complete (or a limit), so the delimiter can be guessed
/// from the header.
fn read_head(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(8192);
    let mut buf = [0u8; 8192];
    while head.len() < HEAD_LIMIT {
        let n = read_up_to(r, &mut buf)?;
        head.extend_from_slice(&buf[..n]);
        if n < buf.len() || buf[..n].contains(&b'\n') {
            break;
        }
    }
    Ok(head)
}

/// Guess the delimiter from the first line: the most frequent of `,` `;` tab `|`
/// outside quotes, `,` on a tie or when none occurs.
pub fn detect_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut in_quotes = false;
    for &b in head {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
            _ if !in_quotes => {
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..4 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    CANDIDATES[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(data: &str, opts: &CatalogOptions) -> Result<CatalogReader> {
        CatalogReader::from_reader("t.csv", Box::new(io::Cursor::new(data.to_string())), opts)
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n"), b'|');
        assert_eq!(detect_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter(b"title\n"), b',');
    }

    #[test]
    fn columns_detected_from_header() {
        let r = reader(
            "SKU,Item Name,brand_name,Bullet Point 1,price,Main Image URL\n",
            &CatalogOptions::default(),
        )
        .unwrap();
        let c = r.columns();
        assert_eq!(c.id.as_ref().map(|c| c.index), Some(0));
        let names: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
        assert_eq!(names, ["Item Name", "Bullet Point 1", "Main Image URL"]);
    }

    #[test]
    fn explicit_columns_must_exist() {
        let opts = CatalogOptions {
            id_column: Some("code".into()),
            ..Default::default()
        };
        let e = reader("sku,title\n", &opts).unwrap_err().to_string();
        assert!(e.contains("code") && e.contains("t.csv"), "{e}");
    }

    #[test]
    fn bom_is_stripped_and_bad_rows_reported() {
        let mut r = reader(
            "\u{FEFF}id,title\n1,Nike\n2,too,many\n3,ok\n",
            &CatalogOptions::default(),
        )
        .unwrap();
        assert_eq!(r.columns().id.as_ref().map(|c| &*c.name), Some("id"));
        let mut rec = RawRecord::default();
        assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Record));
        match r.read(&mut rec).unwrap() {
            ReadOutcome::Bad(b) => {
                assert_eq!((b.row, b.line), (2, 3));
                assert!(b.reason.contains("expected 2 fields, found 3"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Record));
        assert_eq!(rec.row, 3);
        assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Eof));
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = reader("", &CatalogOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty"), "{e}");
    }

    #[test]
    fn gzip_is_decompressed() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"id\ttitle\n1\tNike\n").unwrap();
        let gz = enc.finish().unwrap();
        let mut r = CatalogReader::from_reader(
            "x.tsv.gz",
            Box::new(io::Cursor::new(gz)),
            &CatalogOptions::default(),
        )
        .unwrap();
        assert_eq!(r.delimiter(), b'\t');
        let mut rec = RawRecord::default();
        assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Record));
        assert_eq!(&rec.record[1], b"Nike");
    }
}
