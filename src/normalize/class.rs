//! What a character is to a word: the one table every reader of text derives from.
//!
//! The normalizer (which bytes become a space, which are lowercased), the matcher's word
//! loop (where words start, docs/matching.md#whole-words) and its ASCII prefilter (which reads raw
//! bytes as the normalizer would write them) all ask [`BYTE_CLASS`] or [`char_class`],
//! so a new separator or letter is one edit here, and the property tests that compare
//! the prefilter with the full reading draw from every byte and every character.

use super::is_cjk;
use super::paged::{Paged, PAGE};

/// A letter (`char::is_alphabetic`).
pub(crate) const LETTER: u8 = 1;
/// A digit or other number (`char::is_numeric`).
pub(crate) const DIGIT: u8 = 2;
/// A character of a script written without spaces: a word of its own ([`super::is_cjk`]).
pub(crate) const CJK: u8 = 4;
/// Separates the words of a multi-word term; normalizes to a space, and a run of
/// separators to one space.
pub(crate) const SEPARATOR: u8 = 8;
/// `.`: a separator between two words (`louis.vuitton`), itself at a sentence end
/// ([`sentence_dot`]).
pub(crate) const DOT: u8 = 16;
/// A byte of a character that is not ASCII: its class is its character's
/// ([`char_class`]).
pub(crate) const MULTIBYTE: u8 = 32;
/// `@ $ ! |`: symbols that stand for a letter inside a word (`Adid@s`, `$upreme`).
pub(crate) const SIGN: u8 = 64;

/// The class bits of an ASCII byte, in one place.
const fn ascii_class(c: u8) -> u8 {
    match c {
        b'a'..=b'z' | b'A'..=b'Z' => LETTER,
        b'0'..=b'9' => DIGIT,
        // The ASCII white space of `char::is_whitespace`, and the joiners of words.
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b'-' | b'_' | b'/' => SEPARATOR,
        b'.' => DOT,
        b'@' | b'$' | b'!' | b'|' => SIGN,
        _ => 0,
    }
}

/// The class bits of every byte: [`ascii_class`] below 0x80, [`MULTIBYTE`] above.
pub(crate) static BYTE_CLASS: [u8; 256] = {
    let mut t = [MULTIBYTE; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = ascii_class(b as u8);
        b += 1;
    }
    t
};

/// The normalization of each ASCII byte before separator runs collapse: letters
/// lowercased, separators a space; `.` is kept and decided by context ([`sentence_dot`]).
pub(crate) static ASCII_NORMAL: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let class = ascii_class(c);
        t[b] = if class & SEPARATOR != 0 {
            b' '
        } else if class & LETTER != 0 {
            c.to_ascii_lowercase()
        } else {
            c
        };
        b += 1;
    }
    t
};

/// Non-ASCII separators, besides white space: middle dot, hyphens and dashes, minus,
/// katakana middle dot.
#[inline]
fn other_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00B7}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FB}'
        )
}

/// The class bits of a character: [`BYTE_CLASS`] for ASCII; else [`CJK`] alone, or
/// [`LETTER`], [`DIGIT`] and [`SEPARATOR`] as Unicode says.
#[inline]
pub(crate) fn char_class(c: char) -> u8 {
    if c.is_ascii() {
        return BYTE_CLASS[c as usize];
    }
    let n = c as u32;
    match CHAR_CLASS.page(n) {
        Some(page) => page[(n % PAGE) as usize],
        None => unicode_class(c),
    }
}

/// [`char_class`] of a character that is not ASCII, from Unicode's tables: asked once
/// per character below [`CHAR_TABLE_END`] to fill [`CHAR_CLASS`], on every call above.
fn unicode_class(c: char) -> u8 {
    if is_cjk(c) {
        return CJK;
    }
    let sep = if other_separator(c) { SEPARATOR } else { 0 };
    u8::from(super::is_letter(c)) | (u8::from(super::is_number(c)) << 1) | sep
}

/// [`CHAR_CLASS`] covers the characters below this: every alphabet, punctuation and
/// symbols, kana and the common CJK ideographs. Non-ASCII fields ask for the class of
/// nearly every character, and white space alone is a search of the standard library's
/// tables.
const CHAR_TABLE_END: usize = 0xA000;

static CHAR_CLASS: Paged<[u8; PAGE as usize], { CHAR_TABLE_END / PAGE as usize }> =
    Paged::new(|first| {
        std::array::from_fn(|k| match char::from_u32(first + k as u32) {
            Some(c) if c.is_ascii() => BYTE_CLASS[c as usize],
            Some(c) => unicode_class(c),
            None => 0,
        })
    });

/// True when a word boundary lies between characters of classes `a` and `b`
/// (docs/matching.md#whole-words):
/// unless both are letters or both are digits; always next to CJK.
#[inline]
pub(crate) fn classes_part(a: u8, b: u8) -> bool {
    (a | b) & CJK != 0 || a & b & (LETTER | DIGIT) == 0
}

/// A `.` that ends a sentence or an abbreviation (`Dr. Martens`, `200 g. Shock`) rather
/// than joining two words (`louis.vuitton`): followed by white space or the end. Such a dot
/// stays a dot, so terms never match across a sentence end.
#[inline]
pub(crate) fn sentence_dot(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
}

/// The byte that ASCII `bytes[i]` normalizes to before separator runs collapse: a
/// lowercase letter, a space for a separator or a joining `.`, else the byte itself.
/// Lets a reader walk the normalized form of ASCII text without building it.
#[inline]
pub(crate) fn ascii_normal_byte(bytes: &[u8], i: usize) -> u8 {
    let b = bytes[i] & 0x7f;
    if b == b'.' && !sentence_dot(bytes, i) {
        b' '
    } else {
        ASCII_NORMAL[b as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_are_the_char_classes_of_ascii() {
        for b in 0u8..128 {
            let c = b as char;
            let class = BYTE_CLASS[b as usize];
            assert_eq!(class & LETTER != 0, c.is_alphabetic(), "{c:?}");
            assert_eq!(class & DIGIT != 0, c.is_numeric(), "{c:?}");
            if c.is_whitespace() {
                assert_eq!(class, SEPARATOR, "{c:?}");
            }
            assert_eq!(char_class(c), class);
            let normal = ASCII_NORMAL[b as usize];
            assert!(normal.is_ascii() && !normal.is_ascii_uppercase());
        }
        assert!(BYTE_CLASS[128..].iter().all(|&c| c == MULTIBYTE));
    }

    #[test]
    fn class_table_agrees_with_unicode() {
        for c in (0x80..CHAR_TABLE_END as u32).filter_map(char::from_u32) {
            assert_eq!(char_class(c), unicode_class(c), "{c:?}");
        }
    }

    #[test]
    fn char_classes_follow_unicode() {
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            let class = char_class(c);
            if is_cjk(c) {
                assert_eq!(class, CJK, "{c:?}");
                continue;
            }
            assert_eq!(class & LETTER != 0, c.is_alphabetic(), "{c:?}");
            assert_eq!(class & DIGIT != 0, c.is_numeric(), "{c:?}");
            if c.is_whitespace() {
                assert!(class & SEPARATOR != 0, "{c:?}");
            }
        }
    }
}
