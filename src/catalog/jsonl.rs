//! JSON Lines: one JSON object per line, fields by key.
//!
//! The columns are the keys of the first [`KEY_SAMPLE`] objects, in the order they are
//! first seen; an object without a key has an empty field there. A key that first
//! appears later is not a column: it is reported once, with its line, so nothing is
//! skipped without a word.
//!
//! Values become text: strings as they are, numbers and booleans as written, `null` as
//! empty, arrays as their items joined by `; ` (so `"tags": ["nike", "air max"]` is
//! scanned as `nike; air max`, and no match runs from one item into the next), objects
//! as compact JSON. A line that is not valid JSON, not an object, or has a key twice is
//! a bad row. Blank lines are skipped.

use super::{
    human_bytes, CatalogOptions, FormatSource, InputFormat, Item, Notice, Problem, RawRecord,
};
use crate::error::{Error, Location, Result};
use memchr::memchr;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

/// How many objects are read ahead to learn the columns.
pub(crate) const KEY_SAMPLE: usize = 100;

/// One line, parsed: `(key, text)` pairs in order, or why not.
type Parsed = std::result::Result<Vec<(String, String)>, String>;

pub(crate) struct JsonlSource {
    input: BufReader<Box<dyn Read + Send>>,
    line_buf: Vec<u8>,
    /// Physical line of the next line to read.
    line: u64,
    bytes: u64,
    max_line: usize,
    encoding: Option<&'static str>,
    headers: Vec<String>,
    index: HashMap<String, usize>,
    ahead: VecDeque<(u64, Parsed)>,
    /// Keys that are not columns, with the line they were first seen on.
    unknown: Vec<(String, u64)>,
    reported: usize,
}

enum Line {
    Text,
    TooLong,
    Eof,
}

impl JsonlSource {
    pub(crate) fn open(
        name: &str,
        input: Box<dyn Read + Send>,
        opts: &CatalogOptions,
        encoding: Option<&'static str>,
    ) -> Result<JsonlSource> {
        let mut src = JsonlSource {
            input: BufReader::with_capacity(1 << 16, input),
            line_buf: Vec::new(),
            line: 1,
            bytes: 0,
            max_line: opts.max_field().saturating_mul(4),
            encoding,
            headers: Vec::new(),
            index: HashMap::new(),
            ahead: VecDeque::new(),
            unknown: Vec::new(),
            reported: 0,
        };
        let mut objects = 0;
        while objects < KEY_SAMPLE {
            let Some((line, parsed)) = src.next_line().map_err(|e| Error::io(name, e))? else {
                break;
            };
            if let Ok(pairs) = &parsed {
                objects += 1;
                for (k, _) in pairs {
                    if !src.index.contains_key(k) {
                        src.index.insert(k.clone(), src.headers.len());
                        src.headers.push(k.clone());
                    }
                }
            }
            src.ahead.push_back((line, parsed));
        }
        if src.headers.is_empty() {
            let why = match src.ahead.front() {
                Some((line, Err(e))) => format!("; line {line}: {e}"),
                _ => String::new(),
            };
            return Err(Error::catalog(
                Location::file(name).at_line(1),
                format!("no JSON object with keys in the first {KEY_SAMPLE} lines{why}"),
            ));
        }
        Ok(src)
    }

    /// The columns: the keys of the first objects.
    pub(crate) fn headers(&self) -> Vec<String> {
        self.headers.clone()
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// Keys first seen since the last call that are not columns.
    pub(crate) fn take_notices(&mut self, name: &str) -> Vec<Notice> {
        let new = &self.unknown[self.reported..];
        self.reported = self.unknown.len();
        new.iter()
            .map(|(key, line)| {
                Notice::warning(
                    Location::file(name).at_line(*line).in_column(key.as_str()),
                    format!(
                        "key `{key}` first appears here, after the first {KEY_SAMPLE} objects that set the columns: it is not read"
                    ),
                )
            })
            .collect()
    }

    pub(crate) fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        let (line, parsed) = match self.ahead.pop_front() {
            Some(x) => x,
            None => match self.next_line()? {
                Some(x) => x,
                None => return Ok(Item::Eof),
            },
        };
        out.line = line;
        let pairs = match parsed {
            Ok(p) => p,
            Err(reason) => return Ok(Item::Bad(Problem::Other(reason))),
        };
        let mut fields: Vec<Option<String>> = vec![None; self.headers.len()];
        for (key, text) in pairs {
            match self.index.get(&key) {
                Some(&i) => fields[i] = Some(text),
                None => {
                    if !self.unknown.iter().any(|(k, _)| *k == key) {
                        self.unknown.push((key, line));
                    }
                }
            }
        }
        out.record.clear();
        for f in &fields {
            out.record.push_field(f.as_deref().unwrap_or("").as_bytes());
        }
        Ok(Item::Record)
    }

    /// The next non-blank line, parsed, with its line number.
    fn next_line(&mut self) -> io::Result<Option<(u64, Parsed)>> {
        loop {
            let line = self.line;
            let read = self.read_line()?;
            self.line += 1;
            match read {
                Line::Eof => return Ok(None),
                Line::TooLong => {
                    return Ok(Some((
                        line,
                        Err(format!(
                            "the line is longer than {} (4 × --max-field-bytes); it is skipped",
                            human_bytes(self.max_line)
                        )),
                    )))
                }
                Line::Text => {}
            }
            let text = self.line_buf.strip_suffix(b"\r").unwrap_or(&self.line_buf);
            if text.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Ok(Some((line, parse_line(text, self.encoding))));
        }
    }

    /// One line into `line_buf`, without its `\n`; a line over the limit is skipped
    /// without being buffered.
    fn read_line(&mut self) -> io::Result<Line> {
        self.line_buf.clear();
        let mut any = false;
        let mut too_long = false;
        loop {
            let avail = match self.input.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(match (any, too_long) {
                    (false, _) => Line::Eof,
                    (true, true) => Line::TooLong,
                    (true, false) => Line::Text,
                });
            }
            any = true;
            let (take, done) = match memchr(b'\n', avail) {
                Some(i) => (i, i + 1),
                None => (avail.len(), 0),
            };
            if !too_long {
                if self.line_buf.len() + take > self.max_line {
                    too_long = true;
                    self.line_buf = Vec::new();
                } else {
                    self.line_buf.extend_from_slice(&avail[..take]);
                }
            }
            let consumed = if done > 0 { done } else { take };
            self.input.consume(consumed);
            self.bytes += consumed as u64;
            if done > 0 {
                return Ok(if too_long { Line::TooLong } else { Line::Text });
            }
        }
    }
}

impl FormatSource for JsonlSource {
    fn format(&self) -> InputFormat {
        InputFormat::Jsonl
    }

    fn next(&mut self, out: &mut RawRecord) -> io::Result<Item> {
        JsonlSource::next(self, out)
    }

    fn bytes_read(&self) -> u64 {
        JsonlSource::bytes_read(self)
    }

    /// JSON Lines has no header row: the columns are the keys of the first objects.
    fn header(&self) -> Option<Vec<String>> {
        Some(self.headers())
    }

    fn take_notices(&mut self, name: &str) -> Vec<Notice> {
        JsonlSource::take_notices(self, name)
    }
}

fn parse_line(bytes: &[u8], encoding: Option<&'static str>) -> Parsed {
    let text = std::str::from_utf8(bytes).map_err(|e| match encoding {
        Some(enc) => format!("bytes that are not valid {enc} at byte {}", e.valid_up_to()),
        None => format!("invalid UTF-8 at byte {} (try --encoding)", e.valid_up_to()),
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let obj = Object::deserialize(&mut de)
        .and_then(|o| de.end().map(|()| o))
        .map_err(|e| {
            let msg = e.to_string();
            let msg = msg.rfind(" at line ").map_or(msg.as_str(), |i| &msg[..i]);
            format!("invalid JSON at column {}: {msg}", e.column())
        })?;
    Ok(obj.0)
}

/// A JSON object as `(key, text)` pairs in the order written; a repeated key is an
/// error (serde_json's own maps keep the last silently).
struct Object(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Object, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Object, A::Error> {
                let mut pairs: Vec<(String, Value)> = Vec::new();
                while let Some(pair) = map.next_entry::<String, Value>()? {
                    pairs.push(pair);
                }
                json_fields(pairs).map(Object).map_err(de::Error::custom)
            }
        }
        d.deserialize_map(V)
    }
}

/// A JSON listing's fields: each key, in the order written, with its value as the text
/// to scan — the one reading of a JSON listing that `scan` (JSON Lines), `check --jsonl`
/// and `serve` share. A string is its own text; an array of strings is one field, its
/// items joined by `; ` so that no match runs from one item into the next; numbers and
/// booleans are read as written, `null` as empty, an object as compact JSON. A key
/// written twice is an error (a JSON parser would keep one of the two silently).
///
/// ```
/// use brandscan::catalog::json_fields;
/// use serde_json::json;
/// let obj = json!({"id": "J1", "title": "Running shoe", "tags": ["nike", "running"], "stock": 3});
/// let fields = json_fields(obj.as_object().unwrap().clone()).unwrap();
/// assert_eq!(fields[2], ("tags".to_string(), "nike; running".to_string()));
/// assert_eq!(fields[3], ("stock".to_string(), "3".to_string()));
/// ```
pub fn json_fields<I>(obj: I) -> std::result::Result<Vec<(String, String)>, String>
where
    I: IntoIterator<Item = (String, Value)>,
{
    let mut fields: Vec<(String, String)> = Vec::new();
    for (key, value) in obj {
        if fields.iter().any(|(seen, _)| *seen == key) {
            return Err(format!("key `{key}` appears twice"));
        }
        fields.push((key, value_text(&value)));
    }
    Ok(fields)
}

/// True for the values that are a listing's text, whatever their key: strings and
/// arrays (of strings). `check` scans these fields; a catalog scans its chosen columns.
pub(crate) fn is_text(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Array(_))
}

/// A value as the text to scan (see [`json_fields`]).
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .map(value_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(_) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_become_text() {
        let p = parse_line(
            br#"{"id": 7, "title": "Nike", "tags": ["a", "b c", 3], "ok": true, "x": null, "o": {"k": 1}}"#,
            None,
        )
        .unwrap();
        let texts: Vec<&str> = p.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["7", "Nike", "a; b c; 3", "true", "", r#"{"k":1}"#]);
    }

    #[test]
    fn bad_lines_say_why() {
        let e = parse_line(br#"{"id": 1, "title": "x""#, None).unwrap_err();
        assert!(e.starts_with("invalid JSON at column"), "{e}");
        let e = parse_line(br#"[1, 2]"#, None).unwrap_err();
        assert!(e.contains("expected a JSON object"), "{e}");
        let e = parse_line(br#"{"id": 1, "id": 2}"#, None).unwrap_err();
        assert!(e.contains("key `id` appears twice"), "{e}");
        let e = parse_line(b"{\"id\": \"\xFF\"}", None).unwrap_err();
        assert!(e.contains("invalid UTF-8 at byte 8"), "{e}");
        let e = parse_line(br#"{"id": 1} {"id": 2}"#, None).unwrap_err();
        assert!(e.contains("trailing"), "{e}");
    }
}
