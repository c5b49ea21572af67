//! Catalog reading: every export a seller has, as records of raw fields (docs/matching.md#catalog-input).
//!
//! One reader per format, all producing the same [`RawRecord`]s:
//!
//! | format | chosen by | reader |
//! |---|---|---|
//! | CSV (`,` `;` tab `\|` detected) | anything else | `delimited` |
//! | TSV | `.tsv`, `.tab` | `delimited`, tab |
//! | Excel | `.xlsx`, `.xlsm`, or zip content | `xlsx`: first sheet or [`CatalogOptions::sheet`] |
//! | JSON Lines | `.jsonl`, `.ndjson`, or content starting with `{` | `jsonl`: fields by key |
//!
//! Any of them may be gzip-compressed (`.gz` or gzip content). Text formats are decoded
//! from a byte-order mark's encoding, else [`CatalogOptions::encoding`], else read as
//! UTF-8.
//!
//! The header is row 1, or [`CatalogOptions::header_row`], or — when row 1 is Amazon
//! template metadata (`TemplateType=…`) or has neither an id nor a text column — the
//! last row of the first run of header-like rows (an id column and a text column) among
//! the first eleven: an Amazon inventory template's row 3 of attribute names, under its
//! metadata and label rows.
//!
//! The reader only splits records; UTF-8 checks and matching happen in the parallel
//! scan stage so that the single reading thread stays fast. A row that cannot be used
//! is returned as a [`BadRow`] — bad rows are data, not errors — and things a user
//! should know that are not rows (no id column, a duplicated column name, a header with
//! no data) are [`Notice`]s.
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

mod columns;
mod delimited;
mod encoding;
mod jsonl;
mod xlsx;

pub use columns::{Column, Columns, FIELD_WORDS, ID_COLUMNS};
pub use delimited::detect_delimiter;
pub use encoding::encoding_for_label;
pub(crate) use encoding::suggest_encoding;
pub(crate) use jsonl::is_text as is_json_text;
pub use jsonl::json_fields;

use crate::error::{Error, Location, Result};
use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;
use std::sync::Arc;

/// The default of [`CatalogOptions::max_field_bytes`]: 8 MiB, far above any real
/// listing field and far below what would hurt a nightly run's memory.
pub const DEFAULT_MAX_FIELD_BYTES: usize = 8 << 20;

/// How many rows after row 1 are examined for a header.
const HEADER_SEARCH_ROWS: usize = 10;

/// How to read a catalog; `None` means detect.
#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// The column holding the listing id.
    pub id_column: Option<String>,
    /// The columns to scan.
    pub fields: Option<Vec<String>>,
    /// The field delimiter (CSV/TSV).
    pub delimiter: Option<u8>,
    /// The worksheet of an `.xlsx` file (default: the first).
    pub sheet: Option<String>,
    /// The text encoding when there is no byte-order mark (an Encoding Standard label:
    /// `gb18030`, `gbk`, `utf-16le`, …; default UTF-8). Not used for `.xlsx`.
    pub encoding: Option<String>,
    /// The 1-based line (sheet row, for a workbook) holding the header; the lines above
    /// it are skipped. Default: detected.
    pub header_row: Option<u64>,
    /// The longest field accepted, in bytes; a longer one rejects its row (and a record
    /// longer than four times this, in all). Default [`DEFAULT_MAX_FIELD_BYTES`].
    pub max_field_bytes: Option<usize>,
}

impl CatalogOptions {
    fn max_field(&self) -> usize {
        self.max_field_bytes
            .unwrap_or(DEFAULT_MAX_FIELD_BYTES)
            .max(1)
    }
}

/// The format of a catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Delimited text: CSV, TSV and the like.
    Delimited,
    /// An Excel workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// JSON Lines: one object per line.
    Jsonl,
}

impl InputFormat {
    /// The format `name` and the first bytes of its (decompressed) content say. A zip
    /// file is a workbook whatever its name. The one rule: the reader and `fix` both ask.
    pub(crate) fn detect(name: &str, head: &[u8]) -> InputFormat {
        let lower = name.to_ascii_lowercase();
        let base = lower.strip_suffix(".gz").unwrap_or(&lower);
        if head.starts_with(b"PK\x03\x04") || base.ends_with(".xlsx") || base.ends_with(".xlsm") {
            return InputFormat::Xlsx;
        }
        if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
            return InputFormat::Jsonl;
        }
        let known_text = [".csv", ".tsv", ".tab", ".txt"]
            .iter()
            .any(|e| base.ends_with(e));
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        if !known_text && first == Some(&b'{') {
            return InputFormat::Jsonl;
        }
        InputFormat::Delimited
    }

    /// A short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Delimited => "csv",
            InputFormat::Xlsx => "xlsx",
            InputFormat::Jsonl => "jsonl",
        }
    }
}

/// How much a [`Notice`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Worth knowing: where the header was found, which encoding won.
    Info,
    /// Something is off in the catalog, though every row is still read: no id column,
    /// a duplicated column name, no data rows. `--strict` fails the run on these.
    Warning,
}

/// Something about a catalog a user should know that is not a bad row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Info or warning.
    pub level: NoticeLevel,
    /// Where.
    pub location: Location,
    /// What, in words.
    pub message: String,
}

impl Notice {
    pub(crate) fn info(location: Location, message: impl Into<String>) -> Notice {
        Notice {
            level: NoticeLevel::Info,
            location,
            message: message.into(),
        }
    }

    pub(crate) fn warning(location: Location, message: impl Into<String>) -> Notice {
        Notice {
            level: NoticeLevel::Warning,
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            NoticeLevel::Info => "note",
            NoticeLevel::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.location, self.message)
    }
}

/// One record as read, not yet decoded.
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    /// 1-based data record number in its file (header not counted).
    pub row: u64,
    /// 1-based physical line the record starts on (the sheet row for `.xlsx`).
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

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// What a format reader found: the record is in the caller's buffer.
#[derive(Debug)]
pub(crate) enum Item {
    Record,
    Bad(Problem),
    Eof,
}

/// Why a format reader could not return a record; worded by [`CatalogReader`], which
/// knows the column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Field `column` (0-based) is longer than `limit` bytes.
    FieldTooLong { column: usize, limit: usize },
    /// The record is longer than `limit` bytes in all.
    RecordTooLong { limit: usize },
    /// A quoted field opened on `open_line` looks like a stray quote (see `how`); the
    /// record ran to `last_line`. `resumed`: lines after `open_line` were read again.
    StrayQuote {
        open_line: u64,
        last_line: u64,
        how: QuoteEnd,
        resumed: bool,
    },
    /// Anything else, already in words (invalid JSON, …).
    Other(String),
}

/// Why a multi-line quoted field was taken for a stray quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QuoteEnd {
    /// The file ends inside it.
    Eof,
    /// It runs past the field limit.
    PastLimit,
    /// Its closing quote is followed by more text.
    JunkAfterClose,
    /// Its record has `found` fields where the header has `want`.
    FieldCount { found: usize, want: usize },
}

/// One input format: how it reads records, and what only it knows about its header,
/// its rows and its notices. The reader asks; it never checks which format it reads.
pub(crate) trait FormatSource: Send {
    /// Which format this is.
    fn format(&self) -> InputFormat;
    /// The next record into `out`.
    fn next(&mut self, out: &mut RawRecord) -> io::Result<Item>;
    /// Bytes consumed so far (after decompression and decoding).
    fn bytes_read(&self) -> u64;
    /// The field delimiter; `,` for formats that have none.
    fn delimiter(&self) -> u8 {
        b','
    }
    /// The column names when the format carries them apart from its rows (the keys of
    /// JSON objects); `None` when the header is a row to find.
    fn header(&self) -> Option<Vec<String>> {
        None
    }
    /// The header has `n` fields.
    fn expect_fields(&mut self, _n: usize) {}
    /// Bring `record` to the header's `want` fields where the format leaves some out,
    /// or say why the row cannot be read. The default leaves it as it is.
    fn pad(&self, _record: &mut csv::ByteRecord, _want: usize) -> Option<String> {
        None
    }
    /// What a header with NUL bytes suggests about this input.
    fn nul_hint(&self) -> String {
        "is this a text export?".to_string()
    }
    /// Notices gathered while reading since the last call.
    fn take_notices(&mut self, _name: &str) -> Vec<Notice> {
        Vec::new()
    }
}

/// A streaming reader over one catalog.
pub struct CatalogReader {
    name: Arc<str>,
    source: Box<dyn FormatSource>,
    columns: Columns,
    header_line: u64,
    /// Records read ahead while looking for the header, returned before reading on.
    pending: VecDeque<(RawRecord, Item)>,
    notices: Vec<Notice>,
    max_field: usize,
    row: u64,
    /// The physical line of the last item read, for I/O error messages.
    line: u64,
    finished: bool,
}

impl fmt::Debug for CatalogReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CatalogReader")
            .field("name", &self.name)
            .field("format", &self.format())
            .field("columns", &self.columns)
            .field("delimiter", &(self.delimiter() as char))
            .field("header_line", &self.header_line)
            .finish()
    }
}

impl CatalogReader {
    /// Open a file, or standard input for `-`. Compressed input (`.gz` or gzip content)
    /// is decompressed; the format follows the name and the content.
    pub fn open(path: &Path, opts: &CatalogOptions) -> Result<CatalogReader> {
        let name = path.display().to_string();
        if name == "-" {
            return CatalogReader::from_reader(&name, Box::new(io::stdin()), opts);
        }
        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
        let mut head = [0u8; 4];
        let n = encoding::read_up_to(&mut file, &mut head)
            .and_then(|n| file.seek(io::SeekFrom::Start(0)).map(|_| n))
            .map_err(|e| Error::io(path, e))?;
        if InputFormat::detect(&name, &head[..n]) == InputFormat::Xlsx && !is_gzip(&head[..n]) {
            // A workbook is a zip archive, read by seeking: a file needs no copy in memory.
            let source = xlsx::XlsxSource::open(
                &name,
                Box::new(io::BufReader::new(file)),
                opts.sheet.as_deref(),
            )?;
            return CatalogReader::with_source(&name, Box::new(source), opts, Vec::new());
        }
        CatalogReader::from_reader(&name, Box::new(file), opts)
    }

    /// Read from any source; `name` is used in messages and for format hints
    /// (`.tsv`, `.xlsx`, `.jsonl`, `.gz`).
    pub fn from_reader(
        name: &str,
        source: Box<dyn Read + Send>,
        opts: &CatalogOptions,
    ) -> Result<CatalogReader> {
        let io_err = |e| Error::io(name, e);
        let (mut head, mut source) = encoding::peek(source, 4).map_err(io_err)?;
        if is_gzip(&head) {
            let gz: Box<dyn Read + Send> = Box::new(flate2::read::MultiGzDecoder::new(source));
            (head, source) = encoding::peek(gz, 4).map_err(|e| {
                Error::catalog(
                    Location::file(name),
                    format!("cannot decompress the gzip data: {e}"),
                )
            })?;
        }
        if head.is_empty() {
            return Err(Error::catalog(
                Location::file(name),
                "the file is empty (0 bytes): a header row is required",
            ));
        }
        if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(Error::catalog(
                Location::file(name),
                "this is a legacy Excel .xls workbook, which brandscan does not read: save it as .xlsx or CSV",
            ));
        }
        // The one place the format is decided: by name and content, after gzip.
        let format = InputFormat::detect(name, &head);
        if format == InputFormat::Xlsx {
            let mut bytes = Vec::new();
            source.read_to_end(&mut bytes).map_err(io_err)?;
            let src = xlsx::XlsxSource::open(
                name,
                Box::new(io::Cursor::new(bytes)),
                opts.sheet.as_deref(),
            )?;
            return CatalogReader::with_source(name, Box::new(src), opts, Vec::new());
        }
        let (text, enc, notices) = encoding::to_utf8(source, opts.encoding.as_deref(), name)?;
        let source: Box<dyn FormatSource> = if format == InputFormat::Jsonl {
            Box::new(jsonl::JsonlSource::open(
                name,
                text,
                opts,
                enc.map(|e| e.name()),
            )?)
        } else {
            let lower = name.to_ascii_lowercase();
            let base = lower.strip_suffix(".gz").unwrap_or(&lower);
            let tab = base.ends_with(".tsv") || base.ends_with(".tab");
            let delimiter = opts.delimiter.or(tab.then_some(b'\t'));
            Box::new(delimited::DelimitedSource::new(
                text,
                delimiter,
                opts.header_row,
                opts.max_field(),
                name,
            )?)
        };
        let mut reader = CatalogReader::with_source(name, source, opts, notices)?;
        reader.columns.encoding = enc.map(|e| e.name());
        Ok(reader)
    }

    fn with_source(
        name: &str,
        source: Box<dyn FormatSource>,
        opts: &CatalogOptions,
        notices: Vec<Notice>,
    ) -> Result<CatalogReader> {
        let mut reader = CatalogReader {
            name: Arc::from(name),
            source,
            columns: Columns::default(),
            header_line: 1,
            pending: VecDeque::new(),
            notices,
            max_field: opts.max_field(),
            row: 0,
            line: 1,
            finished: false,
        };
        match reader.source.header() {
            Some(headers) => {
                reader.header_line = 0;
                let (columns, notices) = Columns::detect_at(headers, opts, name, 1)?;
                reader.columns = columns;
                reader.notices.extend(notices);
            }
            None => reader.settle_header(opts)?,
        }
        Ok(reader)
    }

    /// Find the header row (see the module docs) and choose the columns from it.
    fn settle_header(&mut self, opts: &CatalogOptions) -> Result<()> {
        let name = self.name.clone();
        // The first record on or after line `want` (the sheet row, for a workbook): the
        // lines above an explicit header row are skipped, whatever they hold.
        let want = opts.header_row.map_or(1, |n| n.max(1));
        let (first, first_item) = loop {
            let mut rec = RawRecord::default();
            match self.next_item(&mut rec)? {
                Item::Eof if opts.header_row.is_some() => {
                    return Err(Error::catalog(
                        Location::file(&*name),
                        format!("--header-row {want}, but the file ends before line {want}"),
                    ))
                }
                Item::Eof => {
                    return Err(Error::catalog(
                        Location::file(&*name),
                        "the file has no rows (only blank lines): a header row is required",
                    ))
                }
                _ if rec.line < want => continue,
                item => break (rec, item),
            }
        };
        if let Item::Bad(p) = &first_item {
            return Err(Error::catalog(
                Location::file(&*name).at_line(first.line),
                format!("cannot read the header: {}", self.explain(p, &[])),
            ));
        }
        let headers = header_cells(&first);
        self.check_header_bytes(&first, &headers)?;
        if opts.header_row.is_some() {
            return self.use_header(first.line, headers, opts);
        }
        let template = headers
            .first()
            .is_some_and(|h| h.trim_start().starts_with("TemplateType="));
        let first_error = if template {
            None
        } else {
            match Columns::detect_at(headers.clone(), opts, &name, first.line) {
                Ok(_) => return self.use_header(first.line, headers, opts),
                // A near miss of a named column says row 1 is the header.
                Err(e) if columns::mistyped_column(&headers, opts) => return Err(e),
                Err(e) => Some(e),
            }
        };
        // Row 1 is not the header: look for it among the next rows.
        let mut ahead: Vec<(RawRecord, Item)> = Vec::new();
        let mut found: Option<usize> = None;
        for _ in 0..HEADER_SEARCH_ROWS {
            let mut rec = RawRecord::default();
            let item = self.next_item(&mut rec)?;
            let header_like = match &item {
                Item::Eof => break,
                Item::Record => Columns::detect_at(header_cells(&rec), opts, &name, rec.line)
                    .is_ok_and(|(c, _)| c.id.is_some()),
                Item::Bad(_) => false,
            };
            ahead.push((rec, item));
            if header_like {
                found = Some(ahead.len() - 1);
            } else if found.is_some() {
                break;
            }
        }
        let Some(h) = found else {
            let hint = format!(
                "rows 2–{} do not look like a header either (an id column and a text column); give --header-row N",
                HEADER_SEARCH_ROWS + 1
            );
            return Err(match first_error {
                Some(e) => Error::catalog(
                    Location::file(&*name).at_line(first.line),
                    format!("{}; {hint}", strip_location(&e)),
                ),
                None => Error::catalog(
                    Location::file(&*name).at_line(first.line),
                    format!("row 1 is Amazon template metadata (TemplateType=…), and {hint}"),
                ),
            });
        };
        let mut rest = ahead.split_off(h);
        let (header, _) = rest.remove(0);
        self.pending.extend(rest);
        self.notices.push(Notice::info(
            Location::file(&*name).at_line(header.line),
            format!(
                "the header is on line {}: the rows above it look like {} (choose another with --header-row)",
                header.line,
                if template { "Amazon template metadata" } else { "a title or template rows" }
            ),
        ));
        let headers = header_cells(&header);
        self.use_header(header.line, headers, opts)
    }

    fn use_header(&mut self, line: u64, headers: Vec<String>, opts: &CatalogOptions) -> Result<()> {
        self.source.expect_fields(headers.len());
        let (columns, notices) = Columns::detect_at(headers, opts, &self.name, line)?;
        self.columns = columns;
        self.header_line = line;
        self.notices.extend(notices);
        Ok(())
    }

    /// NUL bytes in a header mean a binary file or UTF-16 read as UTF-8, and Chinese
    /// names that are not UTF-8 a GB18030 export read without `--encoding`: say which,
    /// rather than fail later on names no one wrote.
    fn check_header_bytes(&self, rec: &RawRecord, headers: &[String]) -> Result<()> {
        if let Some(enc) = rec.record.iter().find_map(suggest_encoding) {
            let names: Vec<String> = rec
                .record
                .iter()
                .filter_map(|h| {
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(h)
                        .map(|n| n.trim().to_string())
                })
                .collect();
            return Err(Error::catalog(
                Location::file(&*self.name).at_line(rec.line),
                format!(
                    "the header is not UTF-8; it reads as {enc} ({}): give --encoding {enc}",
                    names.join(", ")
                ),
            ));
        }
        if !headers.iter().any(|h| h.contains('\0')) {
            return Ok(());
        }
        let hint = self.source.nul_hint();
        Err(Error::catalog(
            Location::file(&*self.name).at_line(rec.line),
            format!("the header contains NUL bytes: {hint}"),
        ))
    }

    fn next_item(&mut self, out: &mut RawRecord) -> Result<Item> {
        let item = self.source.next(out).map_err(|e| {
            Error::catalog(
                Location::file(&*self.name).at_line(self.line),
                format!("cannot read past this line: {e}"),
            )
        })?;
        if !matches!(item, Item::Eof) {
            self.line = out.line;
        }
        Ok(item)
    }

    /// The catalog's name as given.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// The chosen columns.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// The format being read.
    pub fn format(&self) -> InputFormat {
        self.source.format()
    }

    /// The delimiter in use (`,` for formats that have none).
    pub fn delimiter(&self) -> u8 {
        self.source.delimiter()
    }

    /// The 1-based line (sheet row) of the header; 0 for JSON Lines, which has none.
    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    /// Bytes consumed so far (after decompression and decoding).
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes_read()
    }

    /// The notices gathered since the last call: at open (where the header is, missing id
    /// column, …) and while reading (a JSON key that is not a column, no data rows).
    pub fn take_notices(&mut self) -> Vec<Notice> {
        let found = self.source.take_notices(&self.name);
        self.notices.extend(found);
        std::mem::take(&mut self.notices)
    }

    /// Read the next record into `out`.
    pub fn read(&mut self, out: &mut RawRecord) -> Result<ReadOutcome> {
        let item = match self.pending.pop_front() {
            Some((rec, item)) => {
                *out = rec;
                item
            }
            None => self.next_item(out)?,
        };
        let problem = match item {
            Item::Eof => {
                if self.row == 0 && !self.finished {
                    self.notices.push(Notice::warning(
                        Location::file(&*self.name).at_line(self.header_line.max(1)),
                        "no data rows: the file has a header only",
                    ));
                }
                self.finished = true;
                return Ok(ReadOutcome::Eof);
            }
            Item::Bad(p) => Some(p),
            Item::Record => None,
        };
        self.row += 1;
        out.row = self.row;
        if let Some(p) = problem {
            return Ok(self.bad(out, self.explain(&p, &self.columns.headers)));
        }
        let want = self.columns.headers.len();
        if let Some(reason) = self.source.pad(&mut out.record, want) {
            return Ok(self.bad(out, reason));
        }
        if out.record.len() != want {
            let reason = format!(
                "expected {}, found {}{}",
                crate::report::plural(want, "field"),
                out.record.len(),
                if out.record.len() > want {
                    " (an unquoted delimiter or a stray quote?)"
                } else {
                    ""
                }
            );
            return Ok(self.bad(out, reason));
        }
        if let Some(column) = out.record.iter().position(|f| f.len() > self.max_field) {
            let reason = self.explain(
                &Problem::FieldTooLong {
                    column,
                    limit: self.max_field,
                },
                &self.columns.headers,
            );
            return Ok(self.bad(out, reason));
        }
        Ok(ReadOutcome::Record)
    }

    fn bad(&self, out: &RawRecord, reason: String) -> ReadOutcome {
        ReadOutcome::Bad(BadRow {
            file: self.name.clone(),
            row: out.row,
            line: out.line,
            reason,
        })
    }

    /// A [`Problem`] in words, with column names from `headers`.
    fn explain(&self, p: &Problem, headers: &[String]) -> String {
        match p {
            Problem::FieldTooLong { column, limit } => format!(
                "column {} is longer than {} (--max-field-bytes); the row is skipped",
                headers
                    .get(*column)
                    .map_or(format!("{}", column + 1), |h| format!("`{}`", h.trim())),
                human_bytes(*limit)
            ),
            Problem::RecordTooLong { limit } => format!(
                "the row is longer than {} in all (4 × --max-field-bytes); it is skipped",
                human_bytes(*limit)
            ),
            Problem::StrayQuote {
                open_line,
                last_line,
                how,
                resumed,
            } => {
                let what = match how {
                    QuoteEnd::Eof => "never closes: the file ends inside it".to_string(),
                    QuoteEnd::PastLimit => format!(
                        "runs on to line {last_line}, past {} (--max-field-bytes), without closing",
                        human_bytes(self.max_field)
                    ),
                    QuoteEnd::JunkAfterClose => format!(
                        "only closes on line {last_line}, with text right after the closing quote"
                    ),
                    QuoteEnd::FieldCount { found, want } => format!(
                        "only closes on line {last_line}, leaving {} where the header has {want}",
                        crate::report::plural(*found, "field")
                    ),
                };
                let then = if *resumed {
                    format!("; reading resumed on line {}", open_line + 1)
                } else {
                    String::new()
                };
                format!(
                    "a quoted field opens on line {open_line} and {what} (an unbalanced `\"` on line {open_line}?){then}"
                )
            }
            Problem::Other(s) => s.clone(),
        }
    }
}

fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// The cells of a header row, trimmed, invalid UTF-8 replaced.
fn header_cells(rec: &RawRecord) -> Vec<String> {
    rec.record
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect()
}

/// An error's message without its `file:line: ` prefix, to reword it.
fn strip_location(e: &Error) -> String {
    match e.kind() {
        crate::error::ErrorKind::Catalog { message, .. } => message.clone(),
        _ => e.to_string(),
    }
}

/// `8 MiB`, `512 KiB`, `100 bytes`.
pub(crate) fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests;
