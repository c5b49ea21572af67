//! Text encodings: a byte-order mark decides, then `--encoding`, then UTF-8.
//!
//! Decoding streams through [`DecodeReader`], which turns any encoding that
//! `encoding_rs` knows (GB18030, GBK, UTF-16, Shift_JIS, windows-1252, …) into UTF-8 for
//! the format readers. Bytes that are not valid in the source encoding are not replaced
//! with U+FFFD — that would hide them — but with the byte `0xFF`, which can never occur
//! in UTF-8, so the row holding them fails the UTF-8 check of the scan stage and is
//! reported with its line like any other bad row.

use super::Notice;
use crate::error::{Error, Location, Result};
use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::io::{self, Read};

/// The byte written in place of input that is not valid in the source encoding.
pub(crate) const MALFORMED_MARKER: u8 = 0xFF;

/// Look up an `--encoding` label (`gb18030`, `gbk`, `utf-16`, `utf-16be`, `shift_jis`,
/// `latin1`, …: the WHATWG Encoding Standard labels). `utf-16` means little-endian, as
/// Windows writes it.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Error::usage(format!(
            "unknown encoding `{label}` (try utf-8, gb18030, gbk, big5, utf-16le, utf-16be, shift_jis, euc-kr, windows-1252)"
        ))
    })
}

/// Read up to `n` bytes without losing them: the returned reader yields them again.
pub(crate) fn peek(
    mut input: Box<dyn Read + Send>,
    n: usize,
) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = vec![0u8; n];
    let got = read_up_to(&mut input, &mut head)?;
    head.truncate(got);
    let again: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(input));
    Ok((head, again))
}

/// Read until `buf` is full or the input ends.
pub(crate) fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
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

/// A UTF-8 stream, the encoding it was decoded from (`None`: passed through as UTF-8)
/// and notes about the choice.
pub(crate) type Utf8Stream = (Box<dyn Read + Send>, Option<&'static Encoding>, Vec<Notice>);

/// Turn `input` into UTF-8: strip a UTF-8 BOM, decode after a UTF-16 BOM, else decode
/// from `label` when it names something other than UTF-8. Returns the UTF-8 stream, the
/// encoding decoded from (`None`: the bytes are passed through as UTF-8) and notes.
pub(crate) fn to_utf8(
    input: Box<dyn Read + Send>,
    label: Option<&str>,
    name: &str,
) -> Result<Utf8Stream> {
    let asked = label.map(encoding_for_label).transpose()?;
    let (head, input) = peek(input, 3).map_err(|e| Error::io(name, e))?;
    let mut notices = Vec::new();
    let (bom, bom_len) = match Encoding::for_bom(&head) {
        Some((enc, len)) => (Some(enc), len),
        None => (None, 0),
    };
    if let (Some(bom), Some(asked)) = (bom, asked) {
        if bom != asked {
            notices.push(Notice::info(
                Location::file(name).at_line(1),
                format!(
                    "the file starts with a {} byte-order mark, which wins over --encoding {}",
                    bom.name(),
                    asked.name()
                ),
            ));
        }
    }
    let mut input = input;
    if bom_len > 0 {
        let mut skip = [0u8; 3];
        read_up_to(&mut input, &mut skip[..bom_len]).map_err(|e| Error::io(name, e))?;
    }
    let enc = bom.or(asked).unwrap_or(UTF_8);
    if enc == UTF_8 {
        return Ok((input, None, notices));
    }
    Ok((Box::new(DecodeReader::new(input, enc)), Some(enc), notices))
}

/// A UTF-16 byte-order mark, or a head whose every other byte is NUL: UTF-16 read as
/// if it were UTF-8. Used to explain a header full of NUL bytes.
pub(crate) fn looks_like_utf16(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 8 {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 8 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The `--encoding` to suggest for bytes that are not UTF-8: `gb18030` when they read as
/// Chinese in it without an error (a Chinese back office's export, the usual case).
/// Called only on bytes already found invalid, so its cost never touches good input.
///
/// A Latin-1 `é` before a letter also reads as a GB18030 pair, so the suggestion asks
/// for Chinese characters in the result and no ASCII control bytes.
pub(crate) fn suggest_encoding(bytes: &[u8]) -> Option<&'static str> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let text = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
    let cjk = text
        .chars()
        .filter(|&c| crate::normalize::is_cjk(c))
        .count();
    let other = text
        .chars()
        .filter(|&c| !c.is_ascii() && !crate::normalize::is_cjk(c))
        .count();
    (cjk > 0
        && cjk >= other
        && !text
            .chars()
            .any(|c| c.is_ascii_control() && !c.is_ascii_whitespace()))
    .then_some("gb18030")
}

/// A streaming decoder from any `encoding_rs` encoding to UTF-8 that marks invalid input
/// with [`MALFORMED_MARKER`] instead of replacing it.
pub(crate) struct DecodeReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    done: bool,
    output: Box<[u8]>,
    out_start: usize,
    out_end: usize,
}

impl<R: Read> DecodeReader<R> {
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 1 << 16].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            eof: false,
            done: false,
            output: vec![0; 3 << 16].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
        }
    }

    /// Decode the next piece of input into the output buffer.
    fn fill(&mut self) -> io::Result<()> {
        if self.in_start == self.in_end && !self.eof {
            self.in_start = 0;
            self.in_end = read_up_to(&mut self.inner, &mut self.input)?;
            self.eof = self.in_end < self.input.len();
        }
        let last = self.eof;
        // One byte is kept free for the marker of malformed input.
        let room = self.output.len() - 1;
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.input[self.in_start..self.in_end],
            &mut self.output[..room],
            last,
        );
        self.in_start += read;
        self.out_start = 0;
        self.out_end = written;
        match result {
            DecoderResult::InputEmpty => {
                if last && self.in_start == self.in_end {
                    self.done = true;
                }
            }
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) => {
                self.output[self.out_end] = MALFORMED_MARKER;
                self.out_end += 1;
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], label: Option<&str>) -> (Vec<u8>, Option<&'static str>) {
        let (mut r, enc, _) =
            to_utf8(Box::new(io::Cursor::new(bytes.to_vec())), label, "t").unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (out, enc.map(|e| e.name()))
    }

    #[test]
    fn gb18030_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("id,title\n1,耐克运动鞋\n");
        let (out, enc) = decode_all(&bytes, Some("gb18030"));
        assert_eq!(String::from_utf8(out).unwrap(), "id,title\n1,耐克运动鞋\n");
        assert_eq!(enc, Some("gb18030"));
    }

    #[test]
    fn utf16_bom_wins_without_a_label() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "id\ttitle\n1\tNike\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (out, enc) = decode_all(&bytes, None);
        assert_eq!(out, b"id\ttitle\n1\tNike\n");
        assert_eq!(enc, Some("UTF-16LE"));
    }

    #[test]
    fn utf8_bom_is_stripped_and_utf8_passes_through() {
        let (out, enc) = decode_all(b"\xEF\xBB\xBFid\n\xFF\n", None);
        assert_eq!(out, b"id\n\xFF\n");
        assert_eq!(enc, None);
    }

    #[test]
    fn invalid_input_is_marked_not_replaced() {
        // 0x81 0x20 is not a GB18030 sequence.
        let (out, _) = decode_all(b"a,\x81\x20b\n", Some("gb18030"));
        assert!(out.contains(&MALFORMED_MARKER), "{out:?}");
        assert!(std::str::from_utf8(&out).is_err());
        // A truncated sequence at the very end is malformed too.
        let (out, _) = decode_all(b"a\x81", Some("gbk"));
        assert_eq!(out.last(), Some(&MALFORMED_MARKER));
    }

    #[test]
    fn long_input_crosses_buffer_boundaries() {
        let text: String = "耐克,阿迪达斯\n".repeat(20_000);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let (out, _) = decode_all(&bytes, Some("gb18030"));
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }

    #[test]
    fn unknown_label_is_a_usage_error() {
        let e = encoding_for_label("klingon").unwrap_err().to_string();
        assert!(e.contains("klingon") && e.contains("gb18030"), "{e}");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let le: Vec<u8> = "id,title"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(looks_like_utf16(&le), Some(UTF_16LE));
        assert_eq!(looks_like_utf16(b"id,title"), None);
    }

    #[test]
    fn chinese_bytes_suggest_gb18030() {
        let (gb, _, _) = encoding_rs::GB18030.encode("商品标题 耐克运动鞋");
        assert_eq!(suggest_encoding(&gb), Some("gb18030"));
        assert_eq!(suggest_encoding("耐克".as_bytes()), None);
        // Latin-1 `Café`: not Chinese.
        assert_eq!(suggest_encoding(b"Caf\xe9"), None);
    }
}
