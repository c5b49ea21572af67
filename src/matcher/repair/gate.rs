//! Whether the repair reading can find anything in a field, from one pass over its
//! normalized text: the reading builds a cell for every character of the field, and
//! non-ASCII fields (typographic quotes, `°C`, `€29.90`) almost never hold what it
//! looks for.

use super::{is_split, is_symbol, stands_for};
use crate::normalize::{char_class, CJK, DIGIT, LETTER};

/// False only where [`super::Repair::read`] finds nothing in `hay`, the normalization
/// of `src`: no word of it gets a slot, no word is split, no letters are spaced out by a
/// symbol. Every slot needs one of these, each looser than the rule it stands for:
///
/// * an ASCII digit right before a letter, and right after a letter, after a digit
///   after a letter, or after no letter or digit for a `0` (`Mak17a`, `0mega`);
/// * a symbol with a letter right before it and one after it (past the symbols and
///   modifiers that ride on it), or a symbol that stands for a letter (`$`, `(`, `€`)
///   next to a letter on either side;
/// * in the original, a splitting character (`-`, `.`, `·`) with no ASCII non-letter
///   within two bytes on either side;
/// * a single ASCII letter, space, ASCII symbol, space, ASCII letter (`a . d`).
pub(crate) fn may_read(hay: &str, src: &str) -> bool {
    let letter = |c: Option<char>| c.is_some_and(|c| char_class(c) & LETTER != 0);
    let b = hay.as_bytes();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let (mut prev, mut prev2): (Option<char>, Option<char>) = (None, None);
    let mut chars = hay.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        crate::work::step(1);
        let (p, pp) = (prev, prev2);
        let before = letter(p);
        (prev, prev2) = (Some(c), p);
        if c.is_ascii_alphabetic() || c == ' ' {
            continue;
        }
        if c.is_ascii_digit() {
            // Before a letter, and after a letter, after a digit after a letter, or a
            // `0` that starts its word (`0mega`): not `20mm` or `12v`.
            let read = before || (digit(p) && letter(pp)) || (c == '0' && !digit(p));
            if read && letter(chars.peek().map(|&(_, n)| n)) {
                return true;
            }
            continue;
        }
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            let spaced = i >= 2
                && b[i - 1] == b' '
                && b[i - 2].is_ascii_alphabetic()
                && b.get(i + 1) == Some(&b' ')
                && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic);
            if spaced {
                return true;
            }
        }
        if !symbol(c) {
            continue;
        }
        // A run of symbols: only its first one has a letter before it, and the first
        // character after the run is what follows each (modifiers ride on a symbol).
        let mut stands = stands_for(c).is_some();
        let first_stands = stands;
        while let Some(&(_, n)) = chars.peek().filter(|&&(_, n)| symbol(n)) {
            crate::work::step(1);
            stands |= stands_for(n).is_some();
            (prev, prev2) = (Some(n), prev);
            chars.next();
        }
        let after = letter(chars.peek().map(|&(_, n)| n));
        if (before && (after || first_stands)) || (after && stands) {
            return true;
        }
    }
    splits(src)
}

/// [`is_symbol`], with the class table answering for characters that are not ASCII
/// (letters, numbers and CJK are what it asks about).
#[inline]
fn symbol(c: char) -> bool {
    if c.is_ascii() {
        return is_symbol(c);
    }
    char_class(c) & (LETTER | DIGIT | CJK) == 0 && !c.is_whitespace()
}

/// Whether `src` has a splitting character that may stand between two letters of a
/// word after normalization: no ASCII byte that is not a letter within two bytes before
/// or after it.
fn splits(src: &str) -> bool {
    let b = src.as_bytes();
    let near = |k: Option<usize>| {
        k.and_then(|k| b.get(k))
            .is_some_and(|&c| c >= 0x80 || c.is_ascii_alphabetic())
    };
    crate::work::step(b.len());
    b.iter().enumerate().any(|(i, &lead)| {
        // The splitting characters: `-`, `.`, `_` and some of two or three bytes.
        if !matches!(lead, b'-' | b'.' | b'_' | 0xC2 | 0xE2 | 0xE3) {
            return false;
        }
        let Some(c) = src.get(i..).and_then(|s| s.chars().next()) else {
            return false;
        };
        let end = i + c.len_utf8();
        is_split(c)
            && near(i.checked_sub(1))
            && near(i.checked_sub(2))
            && near(Some(end))
            && near(Some(end + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_the_repair_readings_symbols() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(symbol(c), is_symbol(c), "{c:?}");
        }
    }
}
