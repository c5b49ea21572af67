//! Excel workbooks (`.xlsx`, `.xlsm`), read with `calamine`.
//!
//! The sheet is streamed cell by cell on a thread of its own that owns the workbook
//! (calamine's cell reader borrows it) and hands over rows in small chunks, so a large
//! sheet is never held in memory as a whole: only the workbook's shared-string table is.
//!
//! Every cell becomes text: strings as they are, whole numbers without a decimal point
//! (a SKU typed as `1001` stays `1001`), other numbers in their shortest form, booleans
//! `TRUE`/`FALSE`, dates `YYYY-MM-DD` (with ` HH:MM:SS` when there is a time), errors as
//! Excel shows them (`#N/A`). A record's `line` is its sheet row number; rows with no
//! value at all are skipped, like blank lines.

use super::{FormatSource, InputFormat, Item, RawRecord};
use crate::error::{Error, Location, Result};
use calamine::{DataRef, Reader, Xlsx};
use std::collections::VecDeque;
use std::io::{self, Read, Seek};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

/// Rows handed over at a time.
const CHUNK_ROWS: usize = 256;

/// Excel's last column is XFD, the 16,384th. A cell past it is a damaged file, and
/// padding a row out to it would take unbounded memory.
const MAX_COLUMNS: usize = 16_384;

/// A seekable byte source a workbook can be read from.
pub(crate) trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

struct SheetRow {
    line: u64,
    cells: Vec<String>,
}

type Chunk = std::result::Result<Vec<SheetRow>, String>;

/// The rows of one worksheet.
pub(crate) struct XlsxSource {
    rx: mpsc::Receiver<Chunk>,
    rows: VecDeque<SheetRow>,
    bytes: u64,
    done: bool,
}

impl XlsxSource {
    /// Open the workbook and start streaming `sheet` (default: the first).
    pub(crate) fn open(
        name: &str,
        input: Box<dyn ReadSeek>,
        sheet: Option<&str>,
    ) -> Result<XlsxSource> {
        let at = || Location::file(name);
        let damaged = |what: String| {
            Error::catalog(
                at(),
                format!("cannot read the file as an .xlsx workbook: {what}"),
            )
        };
        // calamine can panic on a damaged archive (found by fuzzing): that is a bad file,
        // not a crash.
        let mut book: Xlsx<Box<dyn ReadSeek>> = catch_unwind(AssertUnwindSafe(|| Xlsx::new(input)))
            .map_err(|p| damaged(panic_text(&*p)))?
            .map_err(|e| damaged(e.to_string()))?;
        let names = book.sheet_names();
        let sheet = match sheet {
            Some(s) => names
                .iter()
                .find(|n| n.as_str() == s)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(s)))
                .cloned()
                .ok_or_else(|| {
                    Error::catalog(
                        at(),
                        format!(
                            "no sheet `{s}` in the workbook (sheets: {})",
                            names.join(", ")
                        ),
                    )
                })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| Error::catalog(at(), "the workbook has no sheets"))?,
        };
        // Fail here, not on the first read, when the sheet cannot be opened.
        catch_unwind(AssertUnwindSafe(|| {
            book.worksheet_cells_reader(&sheet).map(|_| ())
        }))
        .map_err(|p| damaged(panic_text(&*p)))?
        .map_err(|e| Error::catalog(at(), format!("cannot read sheet `{sheet}`: {e}")))?;
        let (tx, rx) = mpsc::sync_channel::<Chunk>(4);
        std::thread::Builder::new()
            .name("brandscan-xlsx".into())
            .spawn(move || {
                // A panic must not look like the end of the sheet: send it as an error.
                let failed = tx.clone();
                let run = catch_unwind(AssertUnwindSafe(|| stream_sheet(book, &sheet, tx)));
                if let Err(p) = run {
                    let _ = failed.send(Err(format!(
                        "sheet `{sheet}` is damaged: {}",
                        panic_text(&*p)
                    )));
                }
            })
            .map_err(|e| Error::io(name, e))?;
        Ok(XlsxSource {
            rx,
            rows: VecDeque::new(),
            bytes: 0,
            done: false,
        })
    }

    /// Text bytes of the cells handed out so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes
    }

    pub(crate) fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        while self.rows.is_empty() {
            if self.done {
                return Ok(Item::Eof);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => self.rows.extend(chunk),
                Ok(Err(e)) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                Err(_) => self.done = true,
            }
        }
        let Some(row) = self.rows.pop_front() else {
            return Ok(Item::Eof);
        };
        out.line = row.line;
        out.record.clear();
        for cell in &row.cells {
            self.bytes += cell.len() as u64 + 1;
            out.record.push_field(cell.as_bytes());
        }
        Ok(Item::Record)
    }
}

/// The reading thread: cells in sheet order, grouped into rows.
impl FormatSource for XlsxSource {
    fn format(&self) -> InputFormat {
        InputFormat::Xlsx
    }

    fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        XlsxSource::next(self, out)
    }

    fn bytes_read(&self) -> u64 {
        XlsxSource::bytes_read(self)
    }

    /// A sheet stores no trailing empty cells: a short row is a full one.
    fn pad(&self, record: &mut csv::ByteRecord, want: usize) -> Option<String> {
        if record.len() > want {
            return Some(format!(
                "a value in column {}, beyond the header's {}",
                record.len(),
                crate::report::plural(want, "column")
            ));
        }
        for _ in record.len()..want {
            record.push_field(b"");
        }
        None
    }
}

fn stream_sheet(mut book: Xlsx<Box<dyn ReadSeek>>, sheet: &str, tx: mpsc::SyncSender<Chunk>) {
    let mut cells = match book.worksheet_cells_reader(sheet) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Err(format!("cannot read sheet `{sheet}`: {e}")));
            return;
        }
    };
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut current: Option<SheetRow> = None;
    let mut has_value = false;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                // The rows before the damage are data: hand them over first.
                let _ = tx.send(Ok(chunk));
                let _ = tx.send(Err(format!("sheet `{sheet}` is damaged: {e}")));
                return;
            }
        };
        let (r, c) = cell.get_position();
        let line = u64::from(r) + 1;
        if current.as_ref().is_some_and(|row| row.line != line) {
            if let Some(row) = current.take() {
                if has_value {
                    chunk.push(row);
                }
            }
            if chunk.len() >= CHUNK_ROWS
                && tx
                    .send(Ok(std::mem::replace(
                        &mut chunk,
                        Vec::with_capacity(CHUNK_ROWS),
                    )))
                    .is_err()
            {
                return;
            }
        }
        let row = current.get_or_insert_with(|| {
            has_value = false;
            SheetRow {
                line,
                cells: Vec::new(),
            }
        });
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        has_value = true;
        let c = c as usize;
        if c >= MAX_COLUMNS {
            let _ = tx.send(Ok(chunk));
            let _ = tx.send(Err(format!(
                "sheet `{sheet}` is damaged: row {line} has a cell in column {}, past Excel's last column ({MAX_COLUMNS})",
                c + 1
            )));
            return;
        }
        if row.cells.len() <= c {
            row.cells.resize(c + 1, String::new());
        }
        row.cells[c] = text;
    }
    if let Some(row) = current {
        if has_value {
            chunk.push(row);
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send(Ok(chunk));
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the workbook reader failed".to_string())
}

/// A cell as text (see the module docs).
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => {
            let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{da:02}")
            } else {
                format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_person_typed_them() {
        assert_eq!(float_text(1001.0), "1001");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(19.99), "19.99");
        assert_eq!(float_text(1e20), "100000000000000000000");
        assert_eq!(cell_text(&DataRef::Bool(true)), "TRUE");
        assert_eq!(cell_text(&DataRef::SharedString("Nike")), "Nike");
        assert_eq!(cell_text(&DataRef::Empty), "");
    }

    #[test]
    fn not_a_workbook_is_an_error_naming_the_file() {
        let e = match XlsxSource::open(
            "x.xlsx",
            Box::new(io::Cursor::new(b"PK\x03\x04junk".to_vec())),
            None,
        ) {
            Ok(_) => panic!("opened junk"),
            Err(e) => e.to_string(),
        };
        assert!(
            e.starts_with("x.xlsx: cannot read the file as an .xlsx workbook"),
            "{e}"
        );
    }
}
