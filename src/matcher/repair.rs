//! The repair reading (docs/matching.md#evasions, match_kind `obfuscated`): evasions the
//! obfuscation view cannot write as one string, because a character may stand for a
//! letter or for nothing.
//!
//! * a symbol for the first or last letter of a word: `|ego`, `(hanel`, `@didas`,
//!   `Toshib@`, `Bos€`, `Michae| Kors`, and `0` for a first `o` (`0mega`);
//! * a symbol or an emoji (with its variation selector, skin tone or ZWJ sequence) inside a
//!   word, added or in place of a letter: `Gu*ci`, `Ni🌟ke`, `Pa★ek`, `Samsu👍🏽ng`;
//! * one or two digits between letters in place of letters: `Mak17a`, `Le6o`;
//! * one hyphen, dot or middle dot inside a word, with two letters or more on each side:
//!   `Her-mes`, `Valenti.no`, `Sa·nrio`;
//! * letters parted by one symbol throughout: `D*Y*S*O*N`, `O!w!a!l!a`, `A . d . i . d
//!   . a . s`.
//!
//! Such a word is read as a row of cells, some of them slots (the letters a character may
//! stand for, or nothing, or any letter), and the literal automaton is walked through
//! every way of filling them. A match is a candidate only when it fills a slot, starts at
//! a word start and ends at a word end, and its term has four letters or more, as in the
//! view. Digits are read only between letters, so model numbers keep their meaning
//! (`N1K3-200`, `IPX7`, `3M`, `5mm`, `iPhone13`); a word is never joined to the next one
//! across a space.
//!
//! ```
//! use brandscan::{MatchKind, Matcher, Rules};
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Chanel\nHermes\nGucci\n").unwrap()).unwrap();
//! for t in ["(hanel bag", "Her-mes scarf", "Gu*ci belt", "Gu💎cci belt"] {
//!     let f = m.find_all("title", t);
//!     assert_eq!(f.len(), 1, "{t}");
//!     assert_eq!(f[0].match_kind, MatchKind::Obfuscated);
//! }
//! assert!(m.find_all("title", "(Chanel) well-known 5mm her mes").len() == 1);
//! ```

use super::trie::{Trie, DEAD};
use crate::normalize::{is_cjk, is_letter, Normalized, BYTE_CLASS, SEPARATOR};
pub(crate) use gate::may_find;

/// What a cell of the text is to the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A byte of a letter (of any script).
    Letter,
    Digit,
    Space,
    /// Anything else, read as it is where it is ASCII.
    Other,
    /// The letters a character may stand for, whether it may stand for nothing, and
    /// whether for any letter.
    Slot(&'static [u8], bool, bool),
}

#[derive(Debug, Clone, Copy)]
struct Cell {
    kind: Kind,
    /// The byte read where the cell is read as it is (0: not readable).
    byte: u8,
    /// Its character's first byte: letters are counted once.
    lead: bool,
    /// Normalized byte range.
    start: u32,
    end: u32,
}

const ANY: &[u8] = b"abcdefghijklmnopqrstuvwxyz";

/// The letters a digit or symbol may stand for.
fn stands_for(c: char) -> Option<&'static [u8]> {
    Some(match c {
        '@' | '4' => b"a",
        '$' | '5' => b"s",
        '|' | '!' | '1' => b"li",
        '(' | '¢' => b"c",
        '€' | '£' | '3' => b"e",
        '0' => b"o",
        '7' => b"t",
        '8' => b"b",
        '9' | '6' => b"g",
        _ => return None,
    })
}

/// A symbol that may stand for a word's first letter.
fn stands_at_start(c: char) -> bool {
    matches!(c, '$' | '@' | '|' | '!' | '(' | '€' | '¢' | '£')
}

/// A symbol that may stand for a word's last letter.
fn stands_at_end(c: char) -> bool {
    matches!(c, '$' | '@' | '|' | '!' | '€' | '£')
}

/// Marks that ride on the character before them in an emoji sequence.
fn is_modifier(c: char) -> bool {
    matches!(
        c,
        '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}'
    ) || ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// A symbol that may sit inside a word for a letter or for nothing: not a letter, digit,
/// space, CJK character or sentence punctuation.
fn is_symbol(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '@' | '$'
                | '!'
                | '|'
                | '*'
                | '#'
                | '~'
                | '^'
                | '+'
                | '='
                | '<'
                | '>'
                | '%'
                | '&'
                | '\\'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '?'
        );
    }
    !is_letter(c) && !c.is_numeric() && !c.is_whitespace() && !is_cjk(c)
}

/// A separator that splits a word when it stands alone between letters (`Her-mes`).
fn is_split(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '_' | '\u{00B7}' | '\u{2010}' | '\u{2011}' | '\u{2027}' | '\u{30FB}'
    )
}

/// Whether character `c` of the normalized text makes letter cells ([`Kind::Letter`]):
/// a letter of any script but CJK, whose characters are words of their own.
#[inline]
fn letter_cell(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_letter(c) && !is_cjk(c)
    }
}

/// Whether the space at byte `i` of normalized text `norm` (of `src`) is one splitting
/// character between two letters or more on each side (`Her-mes`): a slot that stands
/// for nothing, inside the word.
fn split_at(norm: &Normalized, src: &str, i: usize) -> bool {
    let b = norm.as_str().as_bytes();
    let letter_at = |k: usize| b.get(k).is_some_and(u8::is_ascii_alphabetic);
    i >= 2
        && b[i] == b' '
        && letter_at(i - 1)
        && letter_at(i - 2)
        && letter_at(i + 1)
        && letter_at(i + 2)
        && {
            let (os, oe) = norm.original_span(i, i + 1);
            let mut o = src[os..oe].chars();
            matches!((o.next(), o.next()), (Some(s), None) if is_split(s))
        }
}

/// The end of the cell of a symbol that ends at byte `end` of `hay`: the modifiers of an
/// emoji, and the symbols a zero-width joiner joins to it, ride on it.
fn symbol_end(hay: &str, mut end: usize) -> usize {
    while let Some(n) = hay[end..].chars().next() {
        let joined = hay[..end].ends_with('\u{200D}') && is_symbol(n);
        if !(is_modifier(n) || joined) {
            break;
        }
        end += n.len_utf8();
    }
    end
}

/// Whether byte `k` of normalized text `b` is an ASCII letter that may be a word of one
/// letter, as [`Repair::join_dotted`] reads them: a space (or the start) before it, no
/// ASCII letter or digit after it.
fn single_letter(b: &[u8], k: usize) -> bool {
    b.get(k).is_some_and(u8::is_ascii_alphabetic)
        && (k == 0 || b[k - 1] == b' ')
        && b.get(k + 1).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// What a slot may be filled with, for the repair gate ([`gate::may_find`]).
#[derive(Debug, Clone, Copy)]
enum Fill {
    /// One of these letters.
    Letters(&'static [u8]),
    /// Nothing: the walk reads on from the next cell.
    Nothing,
    /// Any letter, or nothing.
    Wild,
}

/// Whether the character `c` at byte `i` of normalized text `norm` (of `src`) may be the
/// first cell of a slot, with `letter_before` telling whether a letter's cell is right
/// before it: what it may be filled with and where the cells after the slot start. Every
/// slot [`slot_word`] and [`Repair::join_dotted`] make starts at such a character, with
/// a fill among these, so the gate that asks this misses none: a split (a space that was
/// one splitting character), the first space of letters spaced out by a symbol, a digit
/// that stands for a letter next to a letter, a symbol between two letters, and a
/// symbol that stands for a letter next to one.
fn slot_site(
    norm: &Normalized,
    src: &str,
    i: usize,
    c: char,
    letter_before: bool,
) -> Option<(Fill, usize)> {
    let hay = norm.as_str();
    let b = hay.as_bytes();
    let letter_at = |k: usize| {
        hay.get(k..)
            .and_then(|s| s.chars().next())
            .is_some_and(letter_cell)
    };
    if c == ' ' {
        if split_at(norm, src, i) {
            return Some((Fill::Nothing, i + 1));
        }
        // `a . d . i`: the space after a single letter, the symbol and the space after
        // it are slots; a letter follows.
        let symbol = b
            .get(i + 1)
            .is_some_and(|&s| s.is_ascii() && !s.is_ascii_alphanumeric() && s != b' ');
        let dotted = i >= 1
            && single_letter(b, i - 1)
            && symbol
            && b.get(i + 2) == Some(&b' ')
            && single_letter(b, i + 3);
        return dotted.then_some((Fill::Nothing, i + 3));
    }
    if c.is_ascii_digit() {
        // One or two digits between letters, or `0` for a word's first `o` ([`slot_word`]).
        let letters = stands_for(c)?;
        let mut back = hay[..i].chars().rev();
        let (p1, p2) = (back.next(), back.next());
        let mut on = hay[i + 1..].chars();
        let (n1, n2) = (on.next(), on.next());
        let l = |c: Option<char>| c.is_some_and(letter_cell);
        let d = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let between = (l(p1) && (l(n1) || (d(n1) && l(n2)))) || (d(p1) && l(p2) && l(n1));
        let first_o = c == '0' && l(n1) && !l(p1) && !d(p1);
        return (between || first_o).then_some((Fill::Letters(letters), i + 1));
    }
    // `a . d . i`: the symbol between two spaced letters is a slot too.
    let spaced = c.is_ascii()
        && i >= 2
        && b[i - 1] == b' '
        && single_letter(b, i - 2)
        && b.get(i + 1) == Some(&b' ')
        && single_letter(b, i + 2);
    if spaced {
        return Some((Fill::Nothing, i + 2));
    }
    let symbol = is_symbol(c);
    let end = if symbol {
        symbol_end(hay, i + c.len_utf8())
    } else {
        i + c.len_utf8()
    };
    let letter_after = letter_at(end);
    if symbol && letter_before && letter_after {
        return Some((Fill::Wild, end));
    }
    let letters = stands_for(c)?;
    (letter_before || letter_after).then_some((Fill::Letters(letters), end))
}

/// A cheap test on ASCII original text `raw`: false only where [`Repair::read`] finds
/// nothing, so the matcher's ASCII prefilter may rule the field out.
pub(crate) fn ascii_sign(raw: &[u8]) -> bool {
    crate::work::step(raw.len());
    let alpha = |k: usize| raw.get(k).is_some_and(u8::is_ascii_alphabetic);
    let digit = |k: usize| raw.get(k).is_some_and(u8::is_ascii_digit);
    (0..raw.len()).any(|i| {
        let before = i > 0 && alpha(i - 1);
        let after = alpha(i + 1);
        match raw[i] {
            b'0'..=b'9' => {
                (before && (after || (digit(i + 1) && alpha(i + 2))))
                    || (i > 1 && alpha(i - 2) && digit(i - 1) && after)
                    || (raw[i] == b'0' && after)
            }
            b'-' | b'.' | b'_' => {
                (i >= 2 && before && alpha(i - 2) && after && alpha(i + 2)) || spaced_out(raw, i)
            }
            b'$' | b'@' | b'|' | b'!' => before || after,
            b'(' => before || (after && !closed(raw, i + 1)),
            c => (before && after && is_symbol(c as char)) || spaced_out(raw, i),
        }
    })
}

/// Whether the symbol at `raw[i]` stands between separators with a letter beyond each
/// (`A . d`), as in letters spaced out by a symbol.
fn spaced_out(raw: &[u8], i: usize) -> bool {
    let sep = |c: &u8| BYTE_CLASS[*c as usize] & SEPARATOR != 0;
    if raw[i].is_ascii_alphanumeric() || sep(&raw[i]) {
        return false;
    }
    let before = raw[..i].iter().rposition(|c| !sep(c));
    let after = raw[i + 1..].iter().position(|c| !sep(c)).map(|p| i + 1 + p);
    // Each run of separators is looked across from its two ends only.
    crate::work::step(after.unwrap_or(raw.len()) - before.map_or(0, |b| b + 1));
    matches!((before, after), (Some(b), Some(a)) if b + 1 < i && a > i + 1
        && raw[b].is_ascii_alphabetic() && raw[a].is_ascii_alphabetic())
}

/// Whether the run of letters and digits at `raw[i..]` is closed by `)`.
fn closed(raw: &[u8], i: usize) -> bool {
    let end = raw[i..]
        .iter()
        .position(|c| !c.is_ascii_alphanumeric())
        .map_or(raw.len(), |p| i + p);
    crate::work::step(end - i + 1);
    raw.get(end) == Some(&b')')
}

/// The repair reading's buffers; part of a matcher's scratch.
#[derive(Debug, Default)]
pub(crate) struct Repair {
    cells: Vec<Cell>,
    words: Vec<(usize, usize)>,
    starts: Vec<usize>,
}

impl Repair {
    /// Call `f(start, end, pattern)`, a normalized byte range, for every occurrence of a
    /// pattern of `trie` in `norm` (the normalization of `src`) that a repaired word
    /// shows.
    pub(crate) fn read(
        &mut self,
        trie: &Trie,
        norm: &Normalized,
        src: &str,
        f: &mut dyn FnMut(usize, usize, usize),
    ) {
        if !self.build(norm, src) {
            return;
        }
        let cells = &self.cells;
        for &s in &self.starts {
            let mut found = |e: usize, pattern: usize| {
                f(cells[s].start as usize, cells[e - 1].end as usize, pattern);
            };
            walk(trie, cells, s, trie.root(), false, &mut found);
        }
    }

    /// Read the normalized text into cells and decide the slots; false when no word
    /// needs repair. `starts` gets the cells walks start from: the start of each word
    /// with a slot and of the two words before it (terms of several words: `Estee
    /// |auder`).
    fn build(&mut self, norm: &Normalized, src: &str) -> bool {
        let hay = norm.as_str();
        self.cells.clear();
        self.words.clear();
        self.starts.clear();
        // The source's and the text's bytes are each read once to make the cells, and
        // the cells once more by the slot and dotted-run passes ([`slot_word`] and
        // [`Repair::join_dotted`] count their own).
        crate::work::step(src.len() + hay.len());
        let b = hay.as_bytes();
        let splits = src
            .bytes()
            .any(|c| matches!(c, b'-' | b'.' | b'_' | 0xC2 | 0xE2 | 0xE3));
        let plain = b.iter().all(|&c| {
            c.is_ascii_lowercase() || matches!(c, b' ' | b',' | b';' | b':' | b'"' | b'\'')
        });
        if plain && !splits {
            return false;
        }
        let mut word_start = 0;
        let mut chars = hay.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let end = i + c.len_utf8();
            if c == ' ' {
                let split = splits && split_at(norm, src, i);
                if split {
                    // The word goes on through a slot that stands for nothing.
                    self.cells
                        .push(cell(Kind::Slot(b"", true, false), 0, true, i, end));
                } else {
                    self.words.push((word_start, self.cells.len()));
                    self.cells.push(cell(Kind::Space, b' ', true, i, end));
                    word_start = self.cells.len();
                }
                continue;
            }
            if c.is_ascii_digit() {
                self.cells.push(cell(Kind::Digit, c as u8, true, i, end));
            } else if letter_cell(c) {
                let mut buf = [0u8; 4];
                for (k, &byte) in c.encode_utf8(&mut buf).as_bytes().iter().enumerate() {
                    self.cells
                        .push(cell(Kind::Letter, byte, k == 0, i + k, i + k + 1));
                }
            } else {
                // A symbol with the marks that ride on it is one cell.
                let e = if is_symbol(c) {
                    symbol_end(hay, end)
                } else {
                    end
                };
                while chars.next_if(|&(j, _)| j < e).is_some() {}
                let byte = if c.is_ascii() { c as u8 } else { 0 };
                self.cells.push(cell(Kind::Other, byte, true, i, e));
            }
        }
        self.words.push((word_start, self.cells.len()));
        let mut any = self.join_dotted(hay);
        for w in 0..self.words.len() {
            let (a, z) = self.words[w];
            if !slot_word(hay, &mut self.cells[a..z]) {
                continue;
            }
            any = true;
            for &(s, e) in &self.words[w.saturating_sub(2)..=w] {
                crate::work::step(e - s);
                let first = (s..e).find(|&k| {
                    matches!(
                        self.cells[k].kind,
                        Kind::Letter | Kind::Digit | Kind::Slot(..)
                    )
                });
                self.starts.extend(first);
            }
        }
        // A word's start is pushed for it and for the two words after it: once each.
        self.starts.sort_unstable();
        self.starts.dedup();
        any
    }
}

impl Repair {
    /// Letters spaced out by one symbol between spaces (`A . d . i . d . a . s`, three
    /// letters or more): the spaces and symbols become slots that are nothing. Adds the
    /// walks' starts; true when there was such a run.
    fn join_dotted(&mut self, hay: &str) -> bool {
        let cells = &mut self.cells;
        let single = |cells: &[Cell], k: usize| {
            cells
                .get(k)
                .is_some_and(|c| c.kind == Kind::Letter && c.byte.is_ascii_alphabetic())
                && (k == 0 || cells[k - 1].kind == Kind::Space)
                && cells
                    .get(k + 1)
                    .is_none_or(|c| matches!(c.kind, Kind::Space | Kind::Other))
        };
        let mut any = false;
        let mut k = 0;
        crate::work::step(cells.len());
        while k < cells.len() {
            if !single(cells, k) {
                k += 1;
                continue;
            }
            // `k` letter, then ` x ` and a letter, again and again, with one symbol `x`.
            let sym = cells
                .get(k + 2)
                .filter(|c| c.kind == Kind::Other && c.byte != 0);
            let Some(sym) = sym.map(|c| char_at(hay, c.start)) else {
                k += 1;
                continue;
            };
            let mut end = k + 1;
            let mut letters = 1;
            crate::work::step(1);
            while cells.get(end).is_some_and(|c| c.kind == Kind::Space)
                && cells
                    .get(end + 1)
                    .is_some_and(|c| c.kind == Kind::Other && char_at(hay, c.start) == sym)
                && cells.get(end + 2).is_some_and(|c| c.kind == Kind::Space)
                && single(cells, end + 3)
            {
                letters += 1;
                end += 4;
                crate::work::step(4);
            }
            if letters < 3 {
                k += 1;
                continue;
            }
            for c in &mut cells[k + 1..end - 1] {
                if c.kind != Kind::Letter {
                    c.kind = Kind::Slot(b"", true, false);
                }
            }
            any = true;
            // Starts: the first letter and the two words before it.
            let w = self.words.partition_point(|&(s, _)| s <= k);
            for &(s, e) in &self.words[w.saturating_sub(3)..w] {
                crate::work::step(e - s);
                let first = (s..e).find(|&j| matches!(cells[j].kind, Kind::Letter | Kind::Digit));
                self.starts.extend(first);
            }
            k = end;
        }
        any
    }
}

fn cell(kind: Kind, byte: u8, lead: bool, start: usize, end: usize) -> Cell {
    Cell {
        kind,
        byte,
        lead,
        start: start as u32,
        end: end as u32,
    }
}

/// Decide the slots of one word (its cells between spaces; a split inside it is already
/// a slot); true when it has a slot.
fn slot_word(hay: &str, word: &mut [Cell]) -> bool {
    // A few passes over the word's cells.
    crate::work::step(4 * word.len() + 1);
    let ch = |c: &Cell| char_at(hay, c.start);
    let split = word.iter().any(|c| matches!(c.kind, Kind::Slot(..)));
    let letters = word
        .iter()
        .filter(|c| c.kind == Kind::Letter && c.lead)
        .count();
    if letters < 2 {
        return split;
    }
    // The word proper, without sentence punctuation at its edges (`(Black)`, `bag,`).
    let Some(first) = word
        .iter()
        .position(|c| c.kind != Kind::Other || stands_at_start(ch(c)))
    else {
        return split;
    };
    let Some(last) = word
        .iter()
        .rposition(|c| c.kind != Kind::Other || stands_at_end(ch(c)))
    else {
        return split;
    };
    if first > last {
        return split;
    }
    // `(Black)` is a word in brackets, not `c`.
    let closed = word.get(last + 1).is_some_and(|c| ch(c) == ')');
    let core = &word[first..=last];
    let n = core.len();
    let spaced = spaced_symbol(hay, core);
    let is_l = |k: Option<usize>| {
        k.and_then(|k| core.get(k))
            .is_some_and(|c| c.kind == Kind::Letter)
    };
    let is_d = |k: Option<usize>| {
        k.and_then(|k| core.get(k))
            .is_some_and(|c| c.kind == Kind::Digit)
    };
    let mut kinds: Vec<Kind> = core.iter().map(|c| c.kind).collect();
    let (mut slots, mut wild) = (0, 0);
    for k in 0..n {
        let c = core[k];
        let (prev, next) = (k.checked_sub(1), Some(k + 1));
        match c.kind {
            Kind::Other => {
                let sym = ch(&c);
                if spaced == Some(sym) {
                    kinds[k] = Kind::Slot(b"", true, false);
                    slots += 1;
                } else if is_l(prev) && is_l(next) && is_symbol(sym) {
                    kinds[k] = match stands_for(sym) {
                        Some(l) => Kind::Slot(l, false, false),
                        None => {
                            wild += 1;
                            Kind::Slot(b"", true, true)
                        }
                    };
                    slots += 1;
                } else if (k == 0 && is_l(next) && !(sym == '(' && closed))
                    || (k == n - 1 && is_l(prev) && letters >= 3)
                {
                    if let Some(l) = stands_for(sym) {
                        kinds[k] = Kind::Slot(l, false, false);
                        slots += 1;
                    }
                }
            }
            Kind::Digit => {
                // One or two digits between letters, or `0` for a word's first `o`.
                let d = ch(&c);
                let between = (is_l(prev) && (is_l(next) || (is_d(next) && is_l(Some(k + 2)))))
                    || (is_d(prev) && is_l(prev.and_then(|p| p.checked_sub(1))) && is_l(next));
                let first_o = k == 0 && d == '0' && is_l(next) && letters >= 3;
                if between || first_o {
                    if let Some(l) = stands_for(d) {
                        kinds[k] = Kind::Slot(l, false, false);
                        slots += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if slots == 0 || slots > letters || wild > 3 {
        return split;
    }
    for (k, kind) in kinds.into_iter().enumerate() {
        word[first + k].kind = kind;
    }
    true
}

/// The character at byte `i` of `hay`; a space inside a character (a letter's later
/// bytes, which have cells of their own).
fn char_at(hay: &str, i: u32) -> char {
    hay.get(i as usize..)
        .and_then(|s| s.chars().next())
        .unwrap_or(' ')
}

/// The one symbol that parts every letter of `core` (`d*y*s*o*n`, three letters or
/// more), if there is one.
fn spaced_symbol(hay: &str, core: &[Cell]) -> Option<char> {
    if core.len() < 5 || core.len() % 2 == 0 {
        return None;
    }
    let ch = |c: &Cell| char_at(hay, c.start);
    let sym = ch(&core[1]);
    let all = core.iter().enumerate().all(|(k, c)| {
        if k % 2 == 0 {
            c.kind == Kind::Letter && c.byte.is_ascii_alphabetic()
        } else {
            c.kind == Kind::Other && ch(c) == sym && is_symbol(sym)
        }
    });
    all.then_some(sym)
}

/// Walk `trie` from `state` over `cells[i..]`, every way of filling the slots; report
/// `(end cell, pattern)` for each match that filled a slot and ends at a word end.
fn walk(
    trie: &Trie,
    cells: &[Cell],
    i: usize,
    state: u32,
    used: bool,
    found: &mut dyn FnMut(usize, usize),
) {
    crate::work::step(1);
    let Some(c) = cells.get(i) else {
        return;
    };
    let step = |byte: u8, used: bool, found: &mut dyn FnMut(usize, usize)| {
        let s = trie.next(state, byte);
        if s == DEAD {
            return;
        }
        if used && Trie::is_match(s) && ends_word(cells, i + 1) {
            found(i + 1, trie.pattern(s));
        }
        walk(trie, cells, i + 1, s, used, found);
    };
    match c.kind {
        Kind::Slot(letters, nothing, any) => {
            if nothing {
                walk(trie, cells, i + 1, state, true, found);
            }
            for &b in if any { ANY } else { letters } {
                step(b, true, found);
            }
        }
        _ if c.byte == 0 => {}
        _ => step(c.byte, used, found),
    }
}

/// Whether a match that ends before `cells[e]` ends at a word end.
fn ends_word(cells: &[Cell], e: usize) -> bool {
    cells
        .get(e)
        .is_none_or(|c| matches!(c.kind, Kind::Space | Kind::Other))
}

mod gate;

#[cfg(test)]
mod tests {
    use super::*;

    fn found(terms: &[&str], text: &str) -> Vec<String> {
        let patterns: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        let trie = Trie::build(&patterns).unwrap();
        let mut n = Normalized::default();
        n.normalize(text);
        let mut out = Vec::new();
        Repair::default().read(&trie, &n, text, &mut |s, e, p| {
            out.push(format!("{}={}", &n.as_str()[s..e], patterns[p]));
        });
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn edges() {
        let t = [
            "lego",
            "chanel",
            "adidas",
            "toshiba",
            "bose",
            "michael kors",
            "omega",
        ];
        assert_eq!(found(&t, "|ego set"), ["|ego=lego"]);
        assert_eq!(found(&t, "(hanel bag"), ["(hanel=chanel"]);
        assert_eq!(
            found(&t, "@didas, toshib@."),
            ["@didas=adidas", "toshib@=toshiba"]
        );
        assert_eq!(found(&t, "Bos€ buds"), ["bos€=bose"]);
        assert_eq!(
            found(&t, "a Michae| Kors bag"),
            ["michae| kors=michael kors"]
        );
        assert_eq!(found(&t, "0mega"), ["0mega=omega"]);
        // Brackets and sentence punctuation are not letters.
        assert!(found(&t, "(Lego) (hanel)").is_empty());
    }

    #[test]
    fn inside_words() {
        let t = [
            "gucci", "nike", "patek", "samsung", "makita", "hermes", "dyson", "owala",
        ];
        assert_eq!(found(&t, "Gu*ci"), ["gu*ci=gucci"]);
        assert_eq!(found(&t, "Ni🌟ke"), ["ni🌟ke=nike"]);
        assert_eq!(found(&t, "Pa★ek"), ["pa★ek=patek"]);
        assert_eq!(found(&t, "Samsu👍🏽ng"), ["samsu👍🏽ng=samsung"]);
        assert_eq!(found(&t, "Mak17a"), ["mak17a=makita"]);
        assert_eq!(found(&t, "Her-mes scarf"), ["her mes=hermes"]);
        assert_eq!(found(&t, "D*Y*S*O*N fan"), ["d*y*s*o*n=dyson"]);
        assert_eq!(found(&t, "O!w!a!l!a"), ["o!w!a!l!a=owala"]);
        assert_eq!(found(&t, "D . y . s . o . n"), ["d . y . s . o . n=dyson"]);
        assert!(found(&t, "D . y fan").is_empty());
    }

    #[test]
    fn never_across_words_or_model_numbers() {
        let t = ["nike", "hermes", "ipxt", "nikes"];
        assert!(found(&t, "her mes").is_empty());
        assert!(found(&t, "N1K3-200 IPX7 3M 5mm iPhone13").is_empty());
        assert!(found(&t, "Nike-s").is_empty());
    }

    #[test]
    fn ascii_signs_cover_the_reading() {
        for t in [
            "|ego",
            "(hanel",
            "Toshib@",
            "Gu*ci",
            "Mak17a",
            "Her-mes",
            "D*Y*S*O*N",
            "0mega",
            "D  . y",
        ] {
            assert!(ascii_sign(t.as_bytes()), "{t}");
        }
        for t in [
            "Nike Air Max 90 Black",
            "45mm case, black",
            "iPhone13 (Black)",
        ] {
            assert!(!ascii_sign(t.as_bytes()), "{t}");
        }
    }
}
