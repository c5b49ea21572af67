//! What the evasion trigger ([`super::first_sign`]) asks of a character that is not
//! ASCII, from one table lookup: non-ASCII fields ask it of nearly every character, and
//! the questions behind it (two searches of the look-alike table, an uppercase mapping,
//! the letter tables) cost far more than the answer.

use super::{capital_lookalike, is_invisible, lookalike, lookalike_search};
use crate::normalize::{is_cjk, is_letter};

/// Rendered as nothing: dropped inside words ([`is_invisible`]).
pub(super) const INVISIBLE: u8 = 1;
/// A letter that is not CJK: part of a word as the view reads it.
pub(super) const LETTER: u8 = 2;
/// A letter that imitates a Latin one, or that is the lowercase of a capital that does
/// ([`capital_lookalike`]): the view maps it.
pub(super) const LOOK_LETTER: u8 = 4;
/// A symbol that imitates a Latin letter (`×`, `¢`): part of a word for the view, which
/// reads it as that letter only between two letters, as an ASCII `@`.
pub(super) const LOOK_SYMBOL: u8 = 8;

/// The table covers the characters below this: every script with look-alikes of Latin
/// letters, punctuation and symbols; CJK and the rest are asked directly.
const TABLE_END: usize = 0x3000;

static TABLE: std::sync::LazyLock<Box<[u8]>> = std::sync::LazyLock::new(|| {
    (0..TABLE_END as u32)
        .map(|n| char::from_u32(n).map_or(0, slow))
        .collect()
});

/// The letter each character below [`TABLE_END`] imitates, or 0 ([`lookalike`]): the
/// view asks for every character of a Greek or Russian phrase.
pub(super) static LOOKS: std::sync::LazyLock<Box<[u8]>> = std::sync::LazyLock::new(|| {
    (0..TABLE_END as u32)
        .map(|n| {
            char::from_u32(n)
                .and_then(lookalike_search)
                .map_or(0, |l| l as u8)
        })
        .collect()
});

/// The trigger's bits of `c` (not ASCII).
#[inline]
pub(super) fn bits(c: char) -> u8 {
    match TABLE.get(c as usize) {
        Some(&b) => b,
        // Chinese text: a range test, no search.
        None if is_cjk(c) => 0,
        None => slow(c),
    }
}

/// [`bits`] without the table, from the questions themselves.
fn slow(c: char) -> u8 {
    if c.is_ascii() {
        return 0;
    }
    if is_invisible(c) {
        return INVISIBLE;
    }
    if is_cjk(c) {
        return 0;
    }
    let letter = is_letter(c);
    let look = lookalike(c).is_some() || capital_lookalike(c);
    // As the view classifies: squared and regional-indicator letters are symbols to
    // Unicode but letters there.
    let letterish = letter || matches!(c as u32, 0x1F100..=0x1F1FF);
    let bit = |on: bool, bit: u8| if on { bit } else { 0 };
    bit(letter, LETTER) | bit(look && letterish, LOOK_LETTER) | bit(look && !letterish, LOOK_SYMBOL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_the_questions() {
        for c in (0x80..TABLE_END as u32).filter_map(char::from_u32) {
            assert_eq!(bits(c), slow(c), "{c:?}");
        }
        for c in (0..TABLE_END as u32).filter_map(char::from_u32) {
            assert_eq!(lookalike(c), lookalike_search(c), "{c:?}");
        }
        assert_eq!(bits('×'), LOOK_SYMBOL);
        assert_eq!(bits('і'), LETTER | LOOK_LETTER);
        assert_eq!(bits('é'), LETTER);
        assert_eq!(bits('°'), 0);
        assert_eq!(bits('\u{200B}'), INVISIBLE);
    }
}
