//! CSV and TSV: every delimited-text reader setting in one place.
//!
//! Records are split by `csv_core`, fed from a buffer this reader owns, for three things
//! the `csv` crate's reader cannot do:
//!
//! * **bounded memory** — a field longer than `--max-field-bytes` (or a record longer
//!   than four times that) is not buffered whole: the rest of its record is skipped and
//!   the row reported;
//! * **physical lines** — `\n`, `\r\n` and a lone `\r` each end a line, so line numbers
//!   stay right in files with mixed line endings;
//! * **unbalanced quotes** — a `"` that opens a field and never closes makes any CSV
//!   parser swallow the lines after it into one field, up to the next quote or the end
//!   of the file. A quoted field with line breaks in it is taken for a stray quote when
//!   the file ends inside it, when it runs past the field limit, when its closing quote
//!   is followed by more text (`…,"A5",…` closing it: well-formed CSV never has that),
//!   or when its record ends up with a field count other than the header's. Then the
//!   record from its first line to the line where the quote opened is rejected, naming
//!   that line, and reading starts again on the next line; the bytes are still in the
//!   buffer, so this works on pipes and gzip streams as well as files. A stray quote
//!   that happens to close cleanly, on a record with the right field count, cannot be
//!   told from a real multi-line field: that record keeps the lines it swallowed.

use super::{FormatSource, InputFormat, Item, Problem, QuoteEnd, RawRecord};
use crate::error::{Error, Result};
use memchr::{memchr, memchr2, memchr2_iter, memchr3};
use std::io::{self, Read};

/// How much of the head is examined to detect the delimiter.
const HEAD_LIMIT: usize = 1 << 20;
/// How many lines of the head are examined to detect the delimiter.
const HEAD_LINES: usize = 12;
const QUOTE: u8 = b'"';

/// A streaming reader of delimited records over a UTF-8 byte stream.
pub(crate) struct DelimitedSource {
    input: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// Valid bytes in `buf`.
    len: usize,
    /// The next unparsed byte.
    pos: usize,
    eof: bool,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Physical line of `buf[pos]`.
    line: u64,
    /// The byte before `buf[pos]` was `\r` (so a `\n` there ends no new line).
    after_cr: bool,
    parser: csv_core::Reader,
    delimiter: u8,
    fields: Vec<u8>,
    ends: Vec<usize>,
    max_field: usize,
    max_record: usize,
    /// The header's field count, once known (0 before).
    expected_fields: usize,
    /// Plain records are split with `memchr` ([`DelimitedSource::plain_record`]); off
    /// only in tests, which compare with `csv_core` alone.
    plain: bool,
    /// A plain quoted field with `""` in it, unescaped.
    unescaped: Vec<u8>,
}

impl DelimitedSource {
    /// Read the head of `input` and settle the delimiter: `delimiter` if given, else
    /// detected on line `header_line` (1-based) or the first line that has one.
    pub(crate) fn new(
        input: Box<dyn Read + Send>,
        delimiter: Option<u8>,
        header_line: Option<u64>,
        max_field: usize,
        name: &str,
    ) -> Result<DelimitedSource> {
        let mut src = DelimitedSource {
            input,
            buf: vec![0; 1 << 16],
            len: 0,
            pos: 0,
            eof: false,
            base: 0,
            line: 1,
            after_cr: false,
            parser: csv_core::Reader::new(),
            delimiter: b',',
            fields: vec![0; 1 << 12],
            ends: vec![0; 64],
            max_field: max_field.max(1),
            max_record: max_field.max(1).saturating_mul(4),
            expected_fields: 0,
            plain: true,
            unescaped: Vec::new(),
        };
        src.fill_head().map_err(|e| Error::io(name, e))?;
        let delimiter = delimiter.unwrap_or_else(|| {
            let skip = header_line.map_or(0, |n| n.saturating_sub(1) as usize);
            detect_delimiter_from(&src.buf[..src.len], skip)
        });
        src.delimiter = delimiter;
        src.parser = csv_core::ReaderBuilder::new()
            .delimiter(delimiter)
            .quote(QUOTE)
            .double_quote(true)
            .build();
        Ok(src)
    }

    /// Tell the reader how many fields the header has: a multi-line record with another
    /// count is taken for a stray quote.
    pub(crate) fn expect_fields(&mut self, n: usize) {
        self.expected_fields = n;
    }

    /// The delimiter in use.
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes consumed so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The first bytes of the input, for sniffing (NUL bytes in a header).
    pub(crate) fn head(&self) -> &[u8] {
        &self.buf[..self.len.min(4096)]
    }

    fn fill_head(&mut self) -> io::Result<()> {
        while !self.eof && self.len < HEAD_LIMIT {
            let lines = memchr2_iter(b'\n', b'\r', &self.buf[..self.len]).count();
            if lines > HEAD_LINES {
                break;
            }
            self.refill(0)?;
        }
        Ok(())
    }

    /// Read more input, keeping `buf[keep..]`: the bytes before `keep` are dropped and
    /// everything shifts down by `keep`. Grows the buffer when nothing can be dropped.
    /// Returns the shift.
    fn refill(&mut self, keep: usize) -> io::Result<usize> {
        if self.eof {
            return Ok(0);
        }
        if keep > 0 {
            self.buf.copy_within(keep..self.len, 0);
            self.base += keep as u64;
            self.len -= keep;
            self.pos -= keep;
        }
        if self.len == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(keep);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(keep);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Move `pos` forward by `n` bytes, counting the lines passed.
    fn advance(&mut self, n: usize) {
        let bytes = &self.buf[self.pos..self.pos + n];
        self.line += count_lines(bytes, self.after_cr);
        if let Some(&last) = bytes.last() {
            self.after_cr = last == b'\r';
        }
        self.pos += n;
    }

    /// Read the next record into `out` (its `line` and `record`).
    pub(crate) fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        // Blank lines are no records, as in every CSV reader; skipping them here makes
        // the record's first byte its first line.
        loop {
            if self.pos == self.len {
                if self.eof {
                    return Ok(Item::Eof);
                }
                let keep = self.pos;
                self.refill(keep)?;
                continue;
            }
            match self.buf[self.pos] {
                b'\n' | b'\r' => self.advance(1),
                _ => break,
            }
        }
        let start_line = self.line;
        out.line = start_line;
        let mut start = self.pos;
        let mut nout = 0;
        let mut nend = 0;
        let mut skipping: Option<Problem> = None;
        let plain = if self.plain {
            self.plain_record(&mut out.record)
        } else {
            None
        };
        match plain {
            Some(nin) => {
                self.advance(nin);
                nend = out.record.len();
            }
            None => out.record.clear(),
        }
        while plain.is_none() {
            let (res, nin, o, e) = self.parser.read_record(
                &self.buf[self.pos..self.len],
                &mut self.fields[nout..],
                &mut self.ends[nend..],
            );
            self.advance(nin);
            nout += o;
            nend += e;
            if skipping.is_none() {
                let field_start = if nend == 0 { 0 } else { self.ends[nend - 1] };
                let field_len = nout.saturating_sub(field_start);
                let raw = &self.buf[start..self.pos];
                if field_len > self.max_field || raw.len() > self.max_record {
                    if let Some(Trouble::Open(q)) = quote_trouble(raw, self.delimiter) {
                        if memchr2(b'\n', b'\r', &raw[q..]).is_some() {
                            return Ok(self.resume_after_quote(
                                start,
                                start_line,
                                q,
                                QuoteEnd::PastLimit,
                            ));
                        }
                    }
                    skipping = Some(if field_len > self.max_field {
                        Problem::FieldTooLong {
                            column: nend,
                            limit: self.max_field,
                        }
                    } else {
                        Problem::RecordTooLong {
                            limit: self.max_record,
                        }
                    });
                    nout = 0;
                    nend = 0;
                }
            }
            match res {
                csv_core::ReadRecordResult::Record => break,
                csv_core::ReadRecordResult::End => {
                    if nend == 0 && nout == 0 && skipping.is_none() {
                        return Ok(Item::Eof);
                    }
                    break;
                }
                csv_core::ReadRecordResult::InputEmpty => {
                    let keep = if skipping.is_some() { self.pos } else { start };
                    let shift = self.refill(keep)?;
                    start = start.saturating_sub(shift);
                }
                csv_core::ReadRecordResult::OutputFull => {
                    if skipping.is_some() {
                        nout = 0;
                    } else {
                        let n = self.fields.len() * 2;
                        self.fields.resize(n, 0);
                    }
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    if skipping.is_some() {
                        nend = 0;
                    } else {
                        let n = self.ends.len() * 2;
                        self.ends.resize(n, 0);
                    }
                }
            }
        }
        if let Some(problem) = skipping {
            return Ok(Item::Bad(problem));
        }
        // A record over several lines has a quoted field with line breaks: legitimate
        // (an HTML description) or a stray quote that swallowed the lines after it.
        let at_eof = self.eof && self.pos == self.len;
        let lines = self.line - start_line;
        // A plain record's quoted fields all closed right before a delimiter or a line
        // end: its line breaks are suspect only with the wrong number of fields.
        let suspect = plain.is_none() || (self.expected_fields > 0 && nend != self.expected_fields);
        if suspect && (lines > 1 || (at_eof && memchr(QUOTE, &self.buf[start..self.pos]).is_some()))
        {
            let raw = &self.buf[start..self.pos];
            let end = match quote_trouble(raw, self.delimiter) {
                Some(Trouble::Open(q)) => Some((q, QuoteEnd::Eof)),
                Some(Trouble::JunkAfterClose(q)) => Some((q, QuoteEnd::JunkAfterClose)),
                Some(Trouble::Multiline(q))
                    if self.expected_fields > 0 && nend != self.expected_fields =>
                {
                    Some((
                        q,
                        QuoteEnd::FieldCount {
                            found: nend,
                            want: self.expected_fields,
                        },
                    ))
                }
                _ => None,
            };
            if let Some((q, how)) = end {
                return Ok(self.resume_after_quote(start, start_line, q, how));
            }
        }
        if plain.is_none() {
            let mut prev = 0;
            for &end in &self.ends[..nend] {
                out.record.push_field(&self.fields[prev..end]);
                prev = end;
            }
        }
        Ok(Item::Record)
    }

    /// Split the record at `buf[pos]` into `rec` as `csv_core` would, when it is plain
    /// and whole in the buffer: every quoted field closes right before a delimiter or a
    /// line end, and no field or the record is over its limit. Returns the bytes
    /// consumed (through the line end); `None` leaves everything to `csv_core`, and `rec`
    /// to be cleared. `memchr` jumps over a field in a few steps where `csv_core` reads
    /// byte by byte, and fields go straight into `rec`, with no copy in between but
    /// where `""` must become `"`.
    fn plain_record(&mut self, rec: &mut csv::ByteRecord) -> Option<usize> {
        let b = &self.buf[self.pos..self.len];
        let d = self.delimiter;
        let (max_field, max_record) = (self.max_field, self.max_record);
        let unescaped = &mut self.unescaped;
        // Limits are checked before a field is kept: a record over one is `csv_core`'s.
        let fits = |i: usize, len: usize| len <= max_field && i + 2 <= max_record;
        rec.clear();
        let mut i = 0;
        loop {
            if b.get(i) == Some(&QUOTE) {
                i += 1;
                let k = memchr(QUOTE, &b[i..])?;
                if b.get(i + k + 1) == Some(&QUOTE) {
                    // `""` inside quotes is one quote.
                    unescaped.clear();
                    loop {
                        let k = memchr(QUOTE, &b[i..])?;
                        unescaped.extend_from_slice(&b[i..i + k]);
                        i += k + 1;
                        if b.get(i) == Some(&QUOTE) {
                            unescaped.push(QUOTE);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                    if !fits(i, unescaped.len()) {
                        return None;
                    }
                    rec.push_field(unescaped);
                } else {
                    if !fits(i + k, k) {
                        return None;
                    }
                    rec.push_field(&b[i..i + k]);
                    i += k + 1;
                }
                if !matches!(b.get(i), Some(&c) if c == d || c == b'\n' || c == b'\r') {
                    return None;
                }
            } else {
                let k = memchr3(d, b'\n', b'\r', &b[i..])?;
                if !fits(i + k, k) {
                    return None;
                }
                rec.push_field(&b[i..i + k]);
                i += k;
            }
            if i + 2 > max_record {
                return None;
            }
            let c = b[i];
            i += 1;
            if c != d {
                return Some(i);
            }
        }
    }

    /// The record starting at `buf[start]` has a quoted field, opened at `start + q`,
    /// that never closes: report the record up to the quote's line, and go back to read
    /// the line after it again.
    fn resume_after_quote(
        &mut self,
        start: usize,
        start_line: u64,
        q: usize,
        how: QuoteEnd,
    ) -> Item {
        let mut raw = &self.buf[start..self.pos];
        while let [rest @ .., b'\n' | b'\r'] = raw {
            raw = rest;
        }
        // The line the record's last byte is on: where the quote closed, or the end.
        let last_line = start_line + count_lines(raw, false);
        let open_line = start_line + count_lines(&self.buf[start..start + q], false);
        let quote_at = start + q;
        let resume = memchr2(b'\n', b'\r', &self.buf[quote_at..self.len]).map(|i| {
            let t = quote_at + i;
            if self.buf[t] == b'\r' && self.buf.get(t + 1) == Some(&b'\n') && t + 1 < self.len {
                t + 2
            } else {
                t + 1
            }
        });
        let resumed = match resume {
            Some(at) => {
                self.pos = at;
                self.line = open_line + 1;
                self.after_cr = self.buf[at - 1] == b'\r';
                at < self.len || !self.eof
            }
            None => false,
        };
        self.parser.reset();
        Item::Bad(Problem::StrayQuote {
            open_line,
            last_line,
            how,
            resumed,
        })
    }
}

/// Lines ended in `bytes`: `\n`, `\r\n` and a lone `\r` each end one. `after_cr` says
/// the byte before `bytes` was `\r`.
impl FormatSource for DelimitedSource {
    fn format(&self) -> InputFormat {
        InputFormat::Delimited
    }

    fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        DelimitedSource::next(self, out)
    }

    fn bytes_read(&self) -> u64 {
        DelimitedSource::bytes_read(self)
    }

    fn delimiter(&self) -> u8 {
        DelimitedSource::delimiter(self)
    }

    fn expect_fields(&mut self, n: usize) {
        DelimitedSource::expect_fields(self, n);
    }

    fn nul_hint(&self) -> String {
        match super::encoding::looks_like_utf16(self.head()) {
            Some(enc) => format!(
                "it looks like {} without a byte-order mark: give --encoding {}",
                enc.name(),
                enc.name().to_ascii_lowercase()
            ),
            None => "is this a text export?".to_string(),
        }
    }
}

fn count_lines(bytes: &[u8], after_cr: bool) -> u64 {
    let mut n = 0;
    for i in memchr2_iter(b'\n', b'\r', bytes) {
        let crlf_tail = bytes[i] == b'\n'
            && if i == 0 {
                after_cr
            } else {
                bytes[i - 1] == b'\r'
            };
        if !crlf_tail {
            n += 1;
        }
    }
    n
}

/// What is wrong with the quoting of one record's bytes (`raw`, from its start), read
/// with the same rules as `csv_core`: a quote opens a field only as its first byte, and
/// `""` inside is a literal quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    /// The quoted field opened at this offset is still open at the end.
    Open(usize),
    /// The quoted field opened at this offset spans a line break and its closing quote
    /// is followed by more text, which a well-formed file never has.
    JunkAfterClose(usize),
    /// The first quoted field that spans a line break opened at this offset; it closed
    /// properly (legitimate, unless the record has the wrong number of fields).
    Multiline(usize),
}

fn quote_trouble(raw: &[u8], delimiter: u8) -> Option<Trouble> {
    #[derive(Clone, Copy)]
    enum S {
        Start,
        Field,
        /// In a quoted field opened at the offset; the flag: a line break seen in it.
        Quoted(usize, bool),
        AfterQuote(usize, bool),
    }
    let has_break = |b: &[u8]| memchr2(b'\n', b'\r', b).is_some();
    let mut s = S::Start;
    let mut multiline = None;
    let mut i = 0;
    // Field and quoted-field bodies are skipped with memchr: this runs on every
    // multi-line record (HTML descriptions), so it must cost little more than a copy.
    while i < raw.len() {
        let b = raw[i];
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        s = match s {
            S::Field => match memchr3(delimiter, b'\n', b'\r', &raw[i..]) {
                Some(k) => {
                    i += k + 1;
                    S::Start
                }
                None => break,
            },
            S::Quoted(q, nl) => match memchr(QUOTE, &raw[i..]) {
                Some(k) => {
                    let nl = nl || has_break(&raw[i..i + k]);
                    i += k + 1;
                    S::AfterQuote(q, nl)
                }
                None => {
                    i = raw.len();
                    S::Quoted(q, nl)
                }
            },
            S::Start if b == QUOTE => {
                i += 1;
                S::Quoted(i - 1, false)
            }
            S::Start if ends_field => {
                i += 1;
                S::Start
            }
            S::Start => S::Field,
            S::AfterQuote(q, nl) if b == QUOTE => {
                i += 1;
                S::Quoted(q, nl)
            }
            S::AfterQuote(q, true) if !ends_field => return Some(Trouble::JunkAfterClose(q)),
            S::AfterQuote(q, nl) => {
                if nl && multiline.is_none() {
                    multiline = Some(q);
                }
                if ends_field {
                    i += 1;
                    S::Start
                } else {
                    S::Field
                }
            }
        };
    }
    match s {
        S::Quoted(q, _) => Some(Trouble::Open(q)),
        S::AfterQuote(q, true) if multiline.is_none() => Some(Trouble::Multiline(q)),
        _ => multiline.map(Trouble::Multiline),
    }
}

/// Guess the delimiter: the most frequent of `,` `;` tab `|` outside quotes on the first
/// line that has any of them, `,` on a tie or when none occurs.
pub fn detect_delimiter(head: &[u8]) -> u8 {
    detect_delimiter_from(head, 0)
}

/// [`detect_delimiter`] starting at line `skip + 1` (the header row when it is known).
fn detect_delimiter_from(head: &[u8], skip: usize) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut line = 0;
    let mut prev = 0u8;
    for &b in head {
        let crlf_tail = b == b'\n' && prev == b'\r';
        prev = b;
        match b {
            b'"' => in_quotes = !in_quotes,
            _ if crlf_tail => {}
            b'\n' | b'\r' if !in_quotes => {
                if line >= skip && counts.iter().any(|&c| c > 0) {
                    break;
                }
                line += 1;
                counts = [0; 4];
            }
            _ if !in_quotes && line >= skip => {
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

    fn source(data: &[u8], max_field: usize) -> DelimitedSource {
        DelimitedSource::new(
            Box::new(io::Cursor::new(data.to_vec())),
            None,
            None,
            max_field,
            "t.csv",
        )
        .unwrap()
    }

    /// Every item as `(line, fields or problem)`.
    fn items(data: &[u8], max_field: usize) -> Vec<(u64, String)> {
        items_with(data, max_field, true, |r| {
            r.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>()
                .join("|")
        })
    }

    /// Every item, each record shown by `show`, with or without the plain-record path.
    fn items_with(
        data: &[u8],
        max_field: usize,
        plain: bool,
        show: fn(&csv::ByteRecord) -> String,
    ) -> Vec<(u64, String)> {
        let mut src = source(data, max_field);
        src.plain = plain;
        let mut out = Vec::new();
        let mut rec = RawRecord::default();
        loop {
            match src.next(&mut rec).unwrap() {
                Item::Eof => return out,
                Item::Record => out.push((rec.line, show(&rec.record))),
                Item::Bad(p) => out.push((rec.line, format!("BAD {p:?}"))),
            }
        }
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c\n"), b'|');
        assert_eq!(detect_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter(b"title\n"), b',');
        // A title line without delimiters above the header.
        assert_eq!(detect_delimiter(b"Inventory report\nsku;title\n"), b';');
        assert_eq!(detect_delimiter_from(b"a,b\nx\ty\tz\n", 1), b'\t');
        assert_eq!(detect_delimiter_from(b"a,b\r\nx\ty\tz\r\n", 1), b'\t');
    }

    #[test]
    fn mixed_line_endings_keep_line_numbers() {
        // Lines: 1 `id,t` CR, 2 `1,a` CRLF, 3 `2,b` LF, 4 empty, 5 `3,c` CR, 6 empty
        // CRLF, 7 `4,d` with no line end.
        let got = items(b"id,t\r1,a\r\n2,b\n\n3,c\r\r\n4,d", 100);
        let lines: Vec<u64> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 3, 5, 7]);
        assert_eq!(got[4].1, "4|d");
    }

    #[test]
    fn multi_line_quoted_fields_are_one_record() {
        let got = items(b"id,t\n1,\"a\nb\"\n2,c\n", 100);
        assert_eq!(got[1], (2, "1|a\nb".to_string()));
        assert_eq!(got[2], (4, "2|c".to_string()));
    }

    #[test]
    fn unbalanced_quote_is_reported_and_the_rest_read_again() {
        let got = items(
            b"id,t\n1,ok\n2,\"broken\n3,fine\n4,\"\"\"quoted\"\" ok\"\n5,end\n",
            1000,
        );
        assert_eq!(got[1], (2, "1|ok".to_string()));
        assert_eq!(got[2].0, 3);
        assert!(got[2].1.contains("open_line: 3"), "{:?}", got[2]);
        assert_eq!(got[3], (4, "3|fine".to_string()));
        assert_eq!(got[4], (5, "4|\"quoted\" ok".to_string()));
        assert_eq!(got[5], (6, "5|end".to_string()));
        assert_eq!(got.len(), 6);
    }

    #[test]
    fn a_file_ending_inside_a_quote() {
        let got = items(b"id,t\n1,ok\n2,\"never closed", 1000);
        assert_eq!(got.len(), 3);
        assert!(
            got[2].1.contains("open_line: 3")
                && got[2].1.contains("how: Eof")
                && got[2].1.contains("resumed: false"),
            "{:?}",
            got[2]
        );
    }

    #[test]
    fn runaway_quote_past_the_limit_resumes_on_the_next_line() {
        let mut data = b"id,t\n1,\"opens here\n".to_vec();
        for i in 2..2000 {
            data.extend_from_slice(format!("{i},row {i}\n").as_bytes());
        }
        let got = items(&data, 256);
        assert!(
            got[1].1.contains("StrayQuote") && got[1].1.contains("PastLimit"),
            "{:?}",
            got[1]
        );
        assert_eq!(got[2], (3, "2|row 2".to_string()));
        assert_eq!(got.len(), 2000);
        assert_eq!(got[1999], (2000, "1999|row 1999".to_string()));
    }

    #[test]
    fn a_long_field_is_skipped_without_buffering_it() {
        let mut data = b"id,t\n1,".to_vec();
        data.extend(std::iter::repeat_n(b'x', 10_000));
        data.extend_from_slice(b",more\n2,next\n");
        let mut src = source(&data, 1000);
        let mut rec = RawRecord::default();
        assert!(matches!(src.next(&mut rec).unwrap(), Item::Record));
        match src.next(&mut rec).unwrap() {
            Item::Bad(Problem::FieldTooLong { column, limit }) => {
                assert_eq!((column, limit), (1, 1000))
            }
            _ => panic!("expected a long field"),
        }
        assert!(src.fields.len() <= 4096, "buffered {}", src.fields.len());
        assert!(matches!(src.next(&mut rec).unwrap(), Item::Record));
        assert_eq!((rec.line, &rec.record[1]), (3, &b"next"[..]));
    }

    #[test]
    fn quote_trouble_follows_csv_rules() {
        use Trouble::*;
        assert_eq!(quote_trouble(b"a,\"b", b','), Some(Open(2)));
        assert_eq!(quote_trouble(b"a,\"b\"", b','), None);
        assert_eq!(quote_trouble(b"a,\"b\"\"c", b','), Some(Open(2)));
        assert_eq!(quote_trouble(b"a,b\"c", b','), None);
        assert_eq!(quote_trouble(b"a,\"b\"x,\"", b','), Some(Open(7)));
        // On one line, text after a closing quote is tolerated, as csv_core does.
        assert_eq!(quote_trouble(b"a,\"b\"x\n", b','), None);
        assert_eq!(
            quote_trouble(b"a,\"b\nc\"x\n", b','),
            Some(JunkAfterClose(2))
        );
        assert_eq!(quote_trouble(b"a,\"b\nc\",d\n", b','), Some(Multiline(2)));
        assert_eq!(quote_trouble(b"a,\"b\nc\"", b','), Some(Multiline(2)));
    }

    /// `quote_trouble` one byte at a time, as first written: the memchr version must agree.
    fn quote_trouble_slow(raw: &[u8], delimiter: u8) -> Option<Trouble> {
        #[derive(Clone, Copy)]
        enum S {
            Start,
            Field,
            Quoted(usize, bool),
            AfterQuote(usize, bool),
        }
        let mut s = S::Start;
        let mut multiline = None;
        for (i, &b) in raw.iter().enumerate() {
            let line_break = b == b'\n' || b == b'\r';
            let ends_field = b == delimiter || line_break;
            s = match s {
                S::Start if b == QUOTE => S::Quoted(i, false),
                S::Start | S::Field if ends_field => S::Start,
                S::Start | S::Field => S::Field,
                S::Quoted(q, nl) if b == QUOTE => S::AfterQuote(q, nl),
                S::Quoted(q, nl) => S::Quoted(q, nl || line_break),
                S::AfterQuote(q, nl) if b == QUOTE => S::Quoted(q, nl),
                S::AfterQuote(q, true) if !ends_field => return Some(Trouble::JunkAfterClose(q)),
                S::AfterQuote(q, nl) => {
                    if nl && multiline.is_none() {
                        multiline = Some(q);
                    }
                    if ends_field {
                        S::Start
                    } else {
                        S::Field
                    }
                }
            };
        }
        match s {
            S::Quoted(q, _) => Some(Trouble::Open(q)),
            S::AfterQuote(q, true) if multiline.is_none() => Some(Trouble::Multiline(q)),
            _ => multiline.map(Trouble::Multiline),
        }
    }

    /// Every item, records in full (`Debug`, which tells no field from one empty
    /// field), with or without the plain-record path.
    fn items_plain(data: &[u8], max_field: usize, plain: bool) -> Vec<(u64, String)> {
        items_with(data, max_field, plain, |r| format!("{r:?}"))
    }

    #[test]
    fn plain_records_split_as_csv_core_does() {
        let data =
            b"id,t\n1,\"a \"\"b\"\" c\"\r\n2,\"x\ny\",z\n\n3,\"\"\n4,a\"b,\"q\"junk\n5,\"open\n";
        assert_eq!(
            items_plain(data, 1000, true),
            items_plain(data, 1000, false)
        );
        assert_eq!(items(data, 1000)[1], (2, "1|a \"b\" c".to_string()));
    }

    proptest::proptest! {
        #[test]
        fn plain_record_path_agrees_with_csv_core(raw in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b'b', b',', b'"', b'"', b'\n', b'\r', b' ']), 0..80),
            max_field in 1usize..12) {
            proptest::prop_assert_eq!(items_plain(&raw, max_field, true), items_plain(&raw, max_field, false));
        }

        #[test]
        fn quote_trouble_fast_path_agrees(raw in proptest::collection::vec(
            proptest::sample::select(vec![b'a', b',', b'"', b'\n', b'\r']), 0..40)) {
            proptest::prop_assert_eq!(quote_trouble(&raw, b','), quote_trouble_slow(&raw, b','));
        }
    }

    #[test]
    fn a_stray_quote_closed_by_a_later_quoted_field_is_caught() {
        // Line 3 opens a quote; line 5's quoted field closes it, followed by text.
        let got = items(b"id,t\n1,ok\n2,\"broken\n3,fine\n4,\"quoted\" ok\n", 1000);
        assert!(
            got[2].1.contains("open_line: 3") && got[2].1.contains("JunkAfterClose"),
            "{:?}",
            got[2]
        );
        assert_eq!(got[3], (4, "3|fine".to_string()));
        assert_eq!(got[4], (5, "4|quoted ok".to_string()));
    }

    #[test]
    fn a_stray_quote_that_leaves_the_wrong_field_count_is_caught() {
        let mut src = source(b"id,t\n1,\"broken\n2,x\",z\n3,fine\n", 1000);
        src.expect_fields(2);
        let mut rec = RawRecord::default();
        assert!(matches!(src.next(&mut rec).unwrap(), Item::Record));
        match src.next(&mut rec).unwrap() {
            Item::Bad(Problem::StrayQuote { open_line, how, .. }) => {
                assert_eq!(open_line, 2);
                assert_eq!(how, QuoteEnd::FieldCount { found: 3, want: 2 });
            }
            other => panic!("{other:?}"),
        }
        // Line 3 is then read on its own (and is itself a bad row, 3 fields); line 4 is fine.
        assert!(matches!(src.next(&mut rec).unwrap(), Item::Record));
        assert_eq!((rec.line, rec.record.len()), (3, 3));
        assert!(matches!(src.next(&mut rec).unwrap(), Item::Record));
        assert_eq!((rec.line, &rec.record[1]), (4, &b"fine"[..]));
    }
}
