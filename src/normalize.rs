//! Text normalization with an offset map back to the original bytes.
//!
//! Terms and field text go through the same [`Normalized::normalize`] so that what a word list
//! says and what a listing says meet in one form:
//!
//! * compatibility decomposition (NFKD, per character): full-width `ＮＩＫＥ` becomes
//!   `NIKE`, ligatures split, circled letters become plain;
//! * combining marks are dropped, so accents match either way (`Hermès` ↔ `Hermes`);
//! * Unicode lowercase (`char::to_lowercase`, not ASCII-only);
//! * separators — white space, `-`, `_`, `/`, dashes, middle dots, and `.` between two
//!   words (not a sentence-ending `.`) — become one space, runs of them collapse to one,
//!   which makes `louis-vuitton`, `LOUIS_VUITTON`, `louis.vuitton` and `louis  vuitton`
//!   one text;
//! * typographic apostrophes become `'`.
//!
//! Every normalized byte remembers the original character it came from, so a match in
//! the normalized text maps back to a span of the original that slices cleanly
//! ([`Normalized::original_span`]). Pure-ASCII text takes a fast path that keeps the map
//! implicit: the identity, shifted after each collapsed separator run.
//!
//! ```
//! use brandscan::normalize::Normalized;
//! let mut n = Normalized::default();
//! n.normalize("ＬＯＵＩＳ--Vuitton bag");
//! assert_eq!(n.as_str(), "louis vuitton bag");
//! let (s, e) = n.original_span(0, "louis vuitton".len());
//! assert_eq!(&"ＬＯＵＩＳ--Vuitton bag"[s..e], "ＬＯＵＩＳ--Vuitton");
//! ```

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A field's normalized text and the map back to its original bytes.
///
/// Reuse one value per thread: [`Normalized::normalize`] clears and refills its buffers
/// without allocating once they have grown.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    text: String,
    /// How the normalized bytes map back to the original ones.
    map: MapKind,
    /// Unicode path: the map back in segments, each from its normalized position on to
    /// the next: a run of ASCII bytes copied one for one, or all that one original
    /// character became. Most of a non-ASCII field is ASCII: a run is one entry, not one
    /// per byte.
    segs: Vec<Seg>,
    /// ASCII path: `(normalized position, offset)` pairs; from that position on,
    /// original = normalized + offset. Each collapsed separator adds one.
    shifts: Vec<(u32, u32)>,
    original_len: usize,
}

/// One segment of the Unicode path's map back to the original.
#[derive(Debug, Clone, Copy)]
struct Seg {
    /// Normalized position it starts at.
    norm: u32,
    /// Original position it starts at.
    orig: u32,
    /// [`COPIED`] for a run of bytes copied one for one; else the original end of the
    /// character it came from (extended over dropped characters that follow it).
    end: u32,
}

const COPIED: u32 = u32::MAX;

impl Seg {
    /// The original span of normalized byte `p`, which lies in this segment: its own
    /// byte in a copied run, else the whole character it came from.
    #[inline]
    fn span_of(&self, p: u32) -> (u32, u32) {
        if self.end == COPIED {
            let o = self.orig + (p - self.norm);
            (o, o + 1)
        } else {
            (self.orig, self.end)
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum MapKind {
    /// ASCII text: one normalized byte per original byte, except collapsed separator
    /// runs, recorded sparsely in `shifts` (empty for most fields).
    #[default]
    Shifted,
    /// Other text: segments in `segs`.
    Explicit,
}

mod class;
mod paged;
pub(crate) use class::{
    ascii_normal_byte, char_class, classes_part, BYTE_CLASS, DIGIT, DOT, LETTER, SEPARATOR, SIGN,
};
use paged::{Paged, PAGE};

/// True for characters that separate the words of a multi-word term ([`class`]).
///
/// ```
/// use brandscan::normalize::is_separator;
/// assert!(is_separator('-') && is_separator('.') && is_separator('\u{3000}'));
/// assert!(!is_separator('a') && !is_separator('\''));
/// ```
#[inline]
pub fn is_separator(c: char) -> bool {
    char_class(c) & (SEPARATOR | DOT) != 0
}

/// True for characters of scripts written without spaces, where every character is a
/// word of its own for boundary checks (Han, kana, CJK symbols).
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF       // Hiragana, Katakana
        | 0x3400..=0x4DBF     // CJK Extension A
        | 0x4E00..=0x9FFF     // CJK Unified Ideographs
        | 0xF900..=0xFAFF     // CJK Compatibility Ideographs
        | 0x20000..=0x3FFFF   // CJK Extensions B..
    )
}

/// True when a word boundary exists between `a` and `b` (docs/matching.md#whole-words): always, unless both
/// are letters or both are digits; CJK characters are words of their own.
///
/// ```
/// use brandscan::normalize::is_boundary;
/// assert!(!is_boundary(Some('e'), Some('a')));  // pineApple
/// assert!(is_boundary(Some('e'), Some('1')));   // iPhone13
/// assert!(!is_boundary(Some('1'), Some('3')));  // 13M
/// assert!(is_boundary(Some('克'), Some('运')));  // 耐克运动鞋
/// assert!(is_boundary(None, Some('n')));
/// ```
#[inline]
pub fn is_boundary(a: Option<char>, b: Option<char>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => classes_part(char_class(a), char_class(b)),
        _ => true,
    }
}

/// `c.is_alphabetic()`, from a table for the characters below U+A000 (Latin, Greek,
/// Cyrillic, Hebrew, Arabic, Thai, Hangul jamo, kana, CJK ideographs, …), where the
/// standard library searches its tables on every call: non-ASCII fields ask it for
/// nearly every character.
///
/// ```
/// use brandscan::normalize::is_letter;
/// assert!(is_letter('ж') && is_letter('ı') && is_letter('耐'));
/// assert!(!is_letter('5') && !is_letter('·'));
/// ```
#[inline]
pub fn is_letter(c: char) -> bool {
    class_bits(c).map_or_else(|| c.is_alphabetic(), |b| b & 1 != 0)
}

/// `c.is_numeric()`, from a table as [`is_letter`].
///
/// ```
/// use brandscan::normalize::is_number;
/// assert!(is_number('٣') && is_number('½') && is_number('7'));
/// assert!(!is_number('x') && !is_number('耐'));
/// ```
#[inline]
pub fn is_number(c: char) -> bool {
    class_bits(c).map_or_else(|| c.is_numeric(), |b| b & 2 != 0)
}

/// `c`'s bits in [`CLASS_TABLES`] (1 a letter, 2 a number), or `None` past its end.
#[inline]
fn class_bits(c: char) -> Option<u8> {
    let n = c as u32;
    CLASS_TABLES.page(n).map(|p| p[(n % PAGE) as usize])
}

/// The letters and the numbers below U+A000, a page at a time.
static CLASS_TABLES: Paged<[u8; PAGE as usize], { 0xA000 / PAGE as usize }> = Paged::new(|first| {
    std::array::from_fn(|k| {
        char::from_u32(first + k as u32).map_or(0, |c| {
            u8::from(c.is_alphabetic()) | (u8::from(c.is_numeric()) << 1)
        })
    })
});

#[cfg(test)]
fn is_boundary_reference(a: Option<char>, b: Option<char>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a.is_ascii() && b.is_ascii() {
        return !((a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
            || (a.is_ascii_digit() && b.is_ascii_digit()));
    }
    if is_cjk(a) || is_cjk(b) {
        return true;
    }
    !((a.is_alphabetic() && b.is_alphabetic()) || (a.is_numeric() && b.is_numeric()))
}

impl Normalized {
    /// Normalize `input`, replacing what the buffer held.
    pub fn normalize(&mut self, input: &str) {
        self.text.clear();
        self.segs.clear();
        self.shifts.clear();
        self.original_len = input.len();
        crate::work::step(input.len());
        if input.is_ascii() {
            self.map = MapKind::Shifted;
            self.normalize_ascii(input.as_bytes());
        } else {
            self.map = MapKind::Explicit;
            self.normalize_unicode(input);
        }
    }

    /// Normalize `input` on the general path even when it is ASCII: the reference the
    /// ASCII path is tested against.
    #[cfg(test)]
    fn normalize_general(&mut self, input: &str) {
        self.text.clear();
        self.segs.clear();
        self.shifts.clear();
        self.original_len = input.len();
        self.map = MapKind::Explicit;
        self.normalize_unicode(input);
    }

    /// The normalized text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The byte length of the original text.
    pub fn original_len(&self) -> usize {
        self.original_len
    }

    /// Map the normalized byte range `start..end` (non-empty, on char boundaries of
    /// [`Self::as_str`]) to the original byte range it came from.
    #[inline]
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        match self.map {
            MapKind::Shifted => (start + self.shift_at(start), end + self.shift_at(end)),
            MapKind::Explicit => {
                let span = |p: usize| {
                    let i = self.segs.partition_point(|s| s.norm as usize <= p);
                    self.segs[i - 1].span_of(p as u32)
                };
                (span(start).0 as usize, span(end - 1).1 as usize)
            }
        }
    }

    /// [`Self::original_span`] for a caller that asks in increasing order of position,
    /// as a walk over the text does: `at` keeps where the last answer was found in the
    /// map, so the walk costs one pass over the map rather than a search per character.
    /// Start it at 0; any order still gets the right answer.
    #[inline]
    pub(crate) fn original_span_from(
        &self,
        at: &mut usize,
        start: usize,
        end: usize,
    ) -> (usize, usize) {
        if self.map == MapKind::Shifted {
            return self.original_span(start, end);
        }
        debug_assert!(start < end && end <= self.text.len());
        let mut span = |p: usize| {
            if self.segs.get(*at).is_none_or(|s| s.norm as usize > p) {
                *at = self.segs.partition_point(|s| s.norm as usize <= p) - 1;
            }
            while self.segs.get(*at + 1).is_some_and(|s| s.norm as usize <= p) {
                *at += 1;
            }
            self.segs[*at].span_of(p as u32)
        };
        (span(start).0 as usize, span(end - 1).1 as usize)
    }

    /// The offset in force at normalized position `pos` (ASCII path).
    #[inline]
    fn shift_at(&self, pos: usize) -> usize {
        let i = self.shifts.partition_point(|&(p, _)| p as usize <= pos);
        if i == 0 {
            0
        } else {
            self.shifts[i - 1].1 as usize
        }
    }

    fn normalize_ascii(&mut self, bytes: &[u8]) {
        let mut out = std::mem::take(&mut self.text).into_bytes();
        out.reserve(bytes.len());
        let mut last_space = false;
        let mut skipped = 0u32;
        for i in 0..bytes.len() {
            let m = ascii_normal_byte(bytes, i);
            if m == b' ' {
                if last_space {
                    // A run of separators collapses to its first space, which then
                    // stands for all of them: later bytes sit one further on.
                    skipped += 1;
                    let pos = out.len() as u32;
                    match self.shifts.last_mut() {
                        Some(last) if last.0 == pos => last.1 = skipped,
                        _ => self.shifts.push((pos, skipped)),
                    }
                    continue;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            out.push(m);
        }
        // SAFETY: every byte pushed above comes from ASCII_NORMAL, which holds only ASCII,
        // so `out` is valid UTF-8; skipping the check saves a pass over every field.
        self.text = unsafe { String::from_utf8_unchecked(out) };
    }

    fn normalize_unicode(&mut self, input: &str) {
        let bytes = input.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Most characters of most non-ASCII fields are still ASCII: one byte in, at
            // most one byte out, no decoding.
            if bytes[i] < 0x80 {
                let run = bytes[i..]
                    .iter()
                    .position(|&b| b >= 0x80)
                    .map_or(bytes.len(), |p| i + p);
                self.ascii_run(bytes, i, run);
                i = run;
                continue;
            }
            let Some(ch) = input[i..].chars().next() else {
                break;
            };
            let start = i as u32;
            let end = (i + ch.len_utf8()) as u32;
            i += ch.len_utf8();
            let before = self.text.len();
            match ch {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => self.emit('\'', start, end),
                // `Nike™` is Nike: the mark's compatibility form `TM` must not glue onto
                // the word.
                '\u{2122}' | '\u{2120}' => self.emit_separator(start, end),
                // Unified ideographs have no decomposition and no case.
                '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => self.emit(ch, start, end),
                _ => {
                    let mut put = |l: char| {
                        if l == ' ' {
                            self.emit_separator(start, end);
                        } else {
                            self.emit(l, start, end);
                        }
                    };
                    match FOLDS.get(ch) {
                        Some(folded) => folded.iter().copied().for_each(put),
                        None => fold_char(ch, &mut put),
                    }
                }
            }
            if self.text.len() == before {
                self.grow_last(end);
            }
        }
    }

    /// Normalize the ASCII bytes `from..to` of `bytes` (the whole field, which the dot
    /// rule looks around in), one byte in and at most one out, with room made once.
    fn ascii_run(&mut self, bytes: &[u8], from: usize, to: usize) {
        let mut out = std::mem::take(&mut self.text).into_bytes();
        out.reserve(to - from);
        let mut last_space = out.last() == Some(&b' ');
        // A run starts a copied segment: what came before it is a character of its own,
        // whose segment is never a copied one. So does the byte after a collapsed
        // separator, which closed the segment before it.
        let mut copied_on = false;
        for k in from..to {
            let m = ascii_normal_byte(bytes, k);
            if m == b' ' && last_space {
                self.grow_last_at(out.len() as u32, k as u32 + 1);
                copied_on = false;
                continue;
            }
            last_space = m == b' ';
            if !copied_on {
                self.segs.push(Seg {
                    norm: out.len() as u32,
                    orig: k as u32,
                    end: COPIED,
                });
                copied_on = true;
            }
            out.push(m);
        }
        // SAFETY: `out` held UTF-8 and only ASCII bytes were pushed onto it.
        self.text = unsafe { String::from_utf8_unchecked(out) };
    }

    /// A character vanished (a combining mark, or a separator folded into the previous
    /// one): the previous character's span grows over it, so a span never cuts an
    /// accent off its letter.
    fn grow_last(&mut self, end: u32) {
        self.grow_last_at(self.text.len() as u32, end);
    }

    /// [`Self::grow_last`] with the normalized text `p` bytes long.
    fn grow_last_at(&mut self, p: u32, end: u32) {
        let Some(last) = self.segs.last_mut() else {
            return;
        };
        if last.end != COPIED {
            last.end = end;
            return;
        }
        // The last byte of a copied run becomes a segment of its own.
        let p = p - 1;
        let orig = last.span_of(p).0;
        if last.norm == p {
            last.end = end;
        } else {
            self.segs.push(Seg { norm: p, orig, end });
        }
    }

    #[inline]
    fn emit(&mut self, c: char, start: u32, end: u32) {
        // One character may become several (`ﬁ`): they share its segment.
        let same = self
            .segs
            .last()
            .is_some_and(|s| s.end != COPIED && s.orig == start);
        if !same {
            self.segs.push(Seg {
                norm: self.text.len() as u32,
                orig: start,
                end,
            });
        }
        self.text.push(c);
    }

    #[inline]
    fn emit_separator(&mut self, start: u32, end: u32) {
        if self.text.ends_with(' ') {
            return; // folded into the previous separator by the caller's vanish rule
        }
        self.emit(' ', start, end);
    }
}

/// What character `ch` becomes, in order, a space for each separator: compatibility
/// decomposition, combining marks dropped, lowercase (the general case of
/// [`Normalized::normalize`]).
fn fold_char(ch: char, put: &mut dyn FnMut(char)) {
    decompose_compatible(ch, |d| {
        if is_combining_mark(d) {
            return;
        }
        for l in d.to_lowercase() {
            if is_combining_mark(l) {
                continue;
            }
            put(if is_separator(l) { ' ' } else { l });
        }
    });
}

/// [`fold_char`] of the common characters ([`Folds::covered`]), done once: accented
/// letters, Greek, Cyrillic, punctuation, symbols and full-width forms fill non-ASCII
/// fields, and each is otherwise a decomposition, a lowercase mapping and three table
/// searches.
struct Folds;

/// One page of [`FOLDS`]: per slot, where its folding starts in `chars` (high bits) and
/// its length (low byte).
struct FoldPage {
    index: [u32; PAGE as usize],
    chars: Box<[char]>,
}

impl Folds {
    /// The characters below this, besides the unified ideographs, which fold to
    /// themselves: alphabets, punctuation, symbols, CJK punctuation and kana.
    const END: u32 = 0x3400;
    /// And the full-width and half-width forms of Chinese and Japanese text.
    const WIDE: std::ops::Range<u32> = 0xFF00..0xFFF0;
    /// Pages of slots.
    const PAGES: usize = (Self::END + 0xF0).div_ceil(PAGE) as usize;

    /// The index slot of `ch`, if the table has one.
    #[inline]
    fn slot(ch: char) -> Option<u32> {
        let n = ch as u32;
        if n < Self::END {
            Some(n)
        } else if Self::WIDE.contains(&n) {
            Some(Self::END + n - Self::WIDE.start)
        } else {
            None
        }
    }

    /// The character of a slot.
    fn char_of(slot: u32) -> Option<char> {
        let n = if slot < Self::END {
            slot
        } else {
            Self::WIDE.start + slot - Self::END
        };
        char::from_u32(n).filter(|_| n < Self::END || Self::WIDE.contains(&n))
    }

    /// Every character the table covers, in slot order.
    #[cfg(test)]
    fn covered() -> impl Iterator<Item = u32> {
        (0..Self::END).chain(Self::WIDE)
    }

    /// The page of slots from `first`.
    fn fill(first: u32) -> FoldPage {
        let mut chars = Vec::new();
        let index = std::array::from_fn(|k| {
            let start = chars.len() as u32;
            if let Some(c) = Self::char_of(first + k as u32) {
                fold_char(c, &mut |l| chars.push(l));
            }
            (start << 8) | (chars.len() as u32 - start)
        });
        FoldPage {
            index,
            chars: chars.into_boxed_slice(),
        }
    }

    #[inline]
    fn get(&self, ch: char) -> Option<&'static [char]> {
        let slot = Self::slot(ch)?;
        let page = FOLD_PAGES.page(slot)?;
        let at = page.index[(slot % PAGE) as usize];
        let start = (at >> 8) as usize;
        Some(&page.chars[start..start + (at & 0xFF) as usize])
    }
}

static FOLD_PAGES: Paged<FoldPage, { Folds::PAGES }> = Paged::new(Folds::fill);

/// [`fold_char`] of the common characters, a page at a time ([`Folds::get`]).
static FOLDS: Folds = Folds;

/// Normalize a term: the same transformation as field text, with outer separators
/// trimmed.
///
/// ```
/// use brandscan::normalize::normalize_term;
/// assert_eq!(normalize_term("Hermès"), "hermes");
/// assert_eq!(normalize_term(" Louis_Vuitton "), "louis vuitton");
/// assert_eq!(normalize_term("ＮＩＫＥ"), "nike");
/// ```
pub fn normalize_term(term: &str) -> String {
    let mut n = Normalized::default();
    n.normalize(term);
    n.as_str().trim_matches([' ', '.']).to_string()
}

/// A term's case-preserving key for `case=sensitive` rules: decomposed, marks dropped,
/// separators removed, case kept.
///
/// ```
/// use brandscan::normalize::case_key;
/// assert_eq!(case_key("Coach"), case_key("Coach"));
/// assert_ne!(case_key("coach"), case_key("Coach"));
/// assert_eq!(case_key("Moët"), "Moet");
/// ```
pub fn case_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            _ => decompose_compatible(ch, |d| {
                if !is_combining_mark(d) && !is_separator(d) {
                    out.push(d);
                }
            }),
        }
    }
    out
}

/// True when `a` and `b` are the same text up to case.
///
/// ```
/// use brandscan::normalize::eq_ignore_case;
/// assert!(eq_ignore_case("NIKE", "Nike"));
/// assert!(!eq_ignore_case("Hermes", "Hermès"));
/// ```
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Normalized {
        let mut n = Normalized::default();
        n.normalize(s);
        n
    }

    #[test]
    fn ascii_lowercases_and_collapses_separators() {
        let n = norm("LOUIS__Vuitton  Bag");
        assert_eq!(n.as_str(), "louis vuitton bag");
        assert_eq!(n.original_span(6, 13), (7, 14));
        assert_eq!(n.original_span(5, 6), (5, 7));
    }

    #[test]
    fn ascii_shift_map_covers_runs_everywhere() {
        let src = "  Nike - - Air  ";
        let n = norm(src);
        assert_eq!(n.as_str(), " nike air ");
        assert_eq!(n.original_span(0, 1), (0, 2));
        assert_eq!(n.original_span(1, 5), (2, 6));
        assert_eq!(n.original_span(5, 6), (6, 11));
        assert_eq!(n.original_span(6, 9), (11, 14));
        assert_eq!(n.original_span(9, 10), (14, 16));
        assert_eq!(n.original_span(1, 9), (2, 14));
    }

    #[test]
    fn ascii_without_runs_keeps_identity_map() {
        let n = norm("Nike Air-Max");
        assert!(n.shifts.is_empty());
        assert_eq!(n.as_str(), "nike air max");
    }

    #[test]
    fn accents_fold_both_ways() {
        assert_eq!(norm("Hermès").as_str(), "hermes");
        assert_eq!(norm("Herme\u{300}s").as_str(), "hermes");
        assert_eq!(norm("Moët").as_str(), "moet");
    }

    #[test]
    fn full_width_and_compatibility_forms() {
        let src = "ＮＩＫＥ ﬁt";
        let n = norm(src);
        assert_eq!(n.as_str(), "nike fit");
        let (s, e) = n.original_span(0, 4);
        assert_eq!(&src[s..e], "ＮＩＫＥ");
        let (s, e) = n.original_span(5, 7);
        assert_eq!(&src[s..e], "ﬁ");
    }

    #[test]
    fn dropped_mark_extends_previous_span() {
        let src = "Herme\u{300}";
        let n = norm(src);
        assert_eq!(n.as_str(), "herme");
        assert_eq!(n.original_span(4, 5), (4, src.len()));
    }

    #[test]
    fn copied_runs_map_back_byte_by_byte() {
        // A non-ASCII field: its ASCII runs are copied segments, split where a dropped
        // mark or a collapsed separator grows the byte before it.
        let src = "Strap  for Herme\u{300}s,  ﬁt é";
        let n = norm(src);
        assert_eq!(n.as_str(), "strap for hermes, fit e");
        let spans: Vec<&str> = n
            .as_str()
            .char_indices()
            .map(|(i, c)| {
                let (s, e) = n.original_span(i, i + c.len_utf8());
                &src[s..e]
            })
            .collect();
        let want = [
            "S", "t", "r", "a", "p", "  ", "f", "o", "r", " ", "H", "e", "r", "m", "e\u{300}", "s",
            ",", "  ", "ﬁ", "ﬁ", "t", " ", "é",
        ];
        assert_eq!(spans, want);
        assert_eq!(n.original_span(10, 16), (11, 19));
    }

    #[test]
    fn spans_asked_in_order_agree_with_spans_asked_alone() {
        let src = "Strap  for Herme\u{300}s,  ﬁt é ＮＩＫＥ хит";
        let n = norm(src);
        let mut at = 0;
        for (i, c) in n.as_str().char_indices() {
            let e = i + c.len_utf8();
            assert_eq!(n.original_span_from(&mut at, i, e), n.original_span(i, e));
        }
        let mut at = 0;
        assert_eq!(
            n.original_span_from(&mut at, 10, 16),
            n.original_span(10, 16)
        );
        assert_eq!(n.original_span_from(&mut at, 0, 5), n.original_span(0, 5));
    }

    #[test]
    fn unicode_separator_runs_collapse() {
        let src = "louis\u{3000}\u{3000}vuitton";
        let n = norm(src);
        assert_eq!(n.as_str(), "louis vuitton");
        let (s, e) = n.original_span(0, n.as_str().len());
        assert_eq!(&src[s..e], src);
    }

    #[test]
    fn unified_ideographs_normalize_to_themselves() {
        for c in ('\u{3400}'..='\u{4DBF}').chain('\u{4E00}'..='\u{9FFF}') {
            let mut d = Vec::new();
            decompose_compatible(c, |x| d.push(x));
            assert_eq!(d, [c]);
            assert!(c.to_lowercase().eq([c]));
        }
    }

    #[test]
    fn boundary_classes_agree_with_the_rule() {
        let chars = [
            'a', 'Z', '5', ' ', '-', 'é', 'Ω', 'ж', '耐', 'ア', '١', 'Ⅻ', '½', '😀', '\'',
        ];
        for &a in &chars {
            for &b in &chars {
                assert_eq!(
                    is_boundary(Some(a), Some(b)),
                    is_boundary_reference(Some(a), Some(b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn fold_table_agrees_with_the_decomposition() {
        for c in Folds::covered().filter_map(char::from_u32) {
            let mut want = Vec::new();
            fold_char(c, &mut |l| want.push(l));
            assert_eq!(FOLDS.get(c), Some(&want[..]), "{c:?}");
        }
        assert_eq!(FOLDS.get('É'), Some(&['e'][..]));
        assert_eq!(FOLDS.get('…'), Some(&[' ', ' ', ' '][..]));
        assert_eq!(FOLDS.get('Ｘ'), Some(&['x'][..]));
        assert_eq!(FOLDS.get('\u{4E00}'), None);
        assert_eq!(FOLDS.get('\u{FFF0}'), None);
    }

    #[test]
    fn class_tables_agree_with_std_for_every_character() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_number(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn sentence_dots_are_not_separators() {
        assert_eq!(norm("200 g. Shock").as_str(), "200 g. shock");
        assert_eq!(norm("louis.vuitton").as_str(), "louis vuitton");
        assert_eq!(norm("Nike.").as_str(), "nike.");
        assert_eq!(norm("é g. Shock").as_str(), "e g. shock");
        assert_eq!(normalize_term("Tiffany & Co."), "tiffany & co");
    }

    #[test]
    fn trademark_signs_separate_words() {
        assert_eq!(norm("Nike™ Air").as_str(), "nike air");
        assert_eq!(norm("Nike™").as_str(), "nike ");
    }

    #[test]
    fn cjk_is_untouched() {
        assert_eq!(norm("耐克运动鞋").as_str(), "耐克运动鞋");
    }

    /// Every normalized range on character boundaries, mapped back.
    fn all_spans(n: &Normalized) -> Vec<(usize, usize)> {
        let t = n.as_str();
        let cuts: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        let mut out = Vec::new();
        for (k, &s) in cuts.iter().enumerate() {
            for &e in &cuts[k + 1..] {
                out.push(n.original_span(s, e));
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// The ASCII path writes what the general path writes, with the same map, for
        /// text of every ASCII byte (not a chosen alphabet: a new separator is drawn too).
        #[test]
        fn ascii_path_agrees_with_the_general_path(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            let text: String = bytes.iter().map(|&b| char::from(b & 0x7f)).collect();
            let fast = norm(&text);
            let mut general = Normalized::default();
            general.normalize_general(&text);
            proptest::prop_assert_eq!(fast.as_str(), general.as_str());
            proptest::prop_assert_eq!(all_spans(&fast), all_spans(&general));
        }

        /// Spans asked in order, character by character and then word by word, are
        /// the spans asked alone, on any text.
        #[test]
        fn spans_in_order_agree_on_any_text(text in proptest::prelude::any::<String>()) {
            let n = norm(&text);
            let mut at = 0;
            for (i, c) in n.as_str().char_indices() {
                let e = i + c.len_utf8();
                proptest::prop_assert_eq!(n.original_span_from(&mut at, i, e), n.original_span(i, e));
            }
            let cuts: Vec<usize> = (0..=n.as_str().len()).filter(|&i| n.as_str().is_char_boundary(i)).collect();
            for w in cuts.windows(3) {
                proptest::prop_assert_eq!(n.original_span_from(&mut at, w[0], w[2]), n.original_span(w[0], w[2]));
            }
        }

        /// On any text every normalized character maps to a non-empty slice of the
        /// original, in order, and the whole text to at most the whole original.
        #[test]
        fn map_slices_the_original_on_any_text(text in proptest::prelude::any::<String>()) {
            let n = norm(&text);
            let mut last = 0;
            for (i, c) in n.as_str().char_indices() {
                let (s, e) = n.original_span(i, i + c.len_utf8());
                proptest::prop_assert!(s < e && e <= text.len());
                proptest::prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                proptest::prop_assert!(s >= last, "{:?}", text);
                last = s;
            }
        }
    }

    #[test]
    fn boundaries_follow_spec() {
        assert!(is_boundary(Some('\''), Some('s')));
        assert!(!is_boundary(Some('é'), Some('a')));
        assert!(is_boundary(Some('运'), Some('a')));
    }
}
