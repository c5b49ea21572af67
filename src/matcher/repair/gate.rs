//! Whether the repair reading can find anything in a field, from one pass over its
//! normalized text and a few steps of the automaton: the reading builds a cell for every
//! character of the field, and most fields that show what it reads (`long-lasting`,
//! `cdn.example.com`, `20mm`, `(Black)`) hold no term that a repair would complete.

use super::{is_symbol, letter_cell, slot_site, stands_for, symbol_end, Fill};
use crate::matcher::letters_end;
use crate::matcher::trie::{Trie, DEAD};
use crate::normalize::Normalized;

/// Walks alive at once; past this many the gate gives up and lets the reading decide.
const LIVE: usize = 16;

/// False only where [`super::Repair::read`] finds nothing in `norm` (the normalization of
/// `src`) with `trie`.
///
/// A repaired match starts at a word start and reads the cells before its first slot as
/// they are, so the automaton is walked from every word start over the text itself, and
/// only where a walk is still alive at a character that may start a slot
/// ([`super::slot_site`], the reading's own rules) is the slot filled, each way it may
/// be, and the walk taken one step past it. A field passes only if some walk lives
/// through that.
pub(crate) fn may_find(trie: &Trie, norm: &Normalized, src: &str) -> bool {
    let hay = norm.as_str();
    let b = hay.as_bytes();
    crate::work::step(b.len());
    let mut live = [DEAD; LIVE];
    let mut n = 0;
    // The character before: a letter's or a digit's cell (no word starts after it), a
    // letter's.
    let (mut in_word, mut letter_before) = (false, false);
    let mut i = 0;
    while i < b.len() {
        // No walk is alive inside a word: nothing to read until it ends.
        if n == 0 && in_word && b[i].is_ascii_alphabetic() {
            let end = letters_end(b, i + 1);
            crate::work::step(end - i);
            (i, letter_before) = (end, true);
            continue;
        }
        let c = if b[i] < 0x80 {
            b[i] as char
        } else {
            hay[i..].chars().next().unwrap_or(' ')
        };
        let letter = letter_cell(c);
        // A symbol and the marks that ride on it are one cell, as the reading has it.
        let len = if !letter && is_symbol(c) {
            symbol_end(hay, i + c.len_utf8()) - i
        } else {
            c.len_utf8()
        };
        // A cell of a character that is not ASCII and no letter (CJK, a symbol) is not
        // read: a walk goes on past it only through it as a slot.
        let unread = !letter && !c.is_ascii();
        if unread && !is_symbol(c) && stands_for(c).is_none() {
            (n, in_word, letter_before) = (0, false, false);
            i += len;
            continue;
        }
        // Every first letter, digit or slot of a word is a start, and more.
        if !in_word && c != ' ' {
            if n == LIVE {
                return true;
            }
            live[n] = trie.root();
            n += 1;
        }
        if n > 0 && !letter {
            if let Some((fill, after)) = slot_site(norm, src, i, c, letter_before) {
                crate::work::step(n);
                if live[..n]
                    .iter()
                    .any(|&s| fills(trie, norm, src, s, fill, after))
                {
                    return true;
                }
            }
        }
        if unread {
            (n, in_word, letter_before) = (0, false, false);
            i += len;
            continue;
        }
        // The walks read the character as it is.
        crate::work::step(n);
        let mut kept = 0;
        for k in 0..n {
            let mut s = live[k];
            // An ASCII symbol's cell is read as its one byte, its marks left out.
            for &x in &b[i..i + c.len_utf8()] {
                s = trie.next(s, x);
                if s == DEAD {
                    break;
                }
            }
            if s != DEAD {
                live[kept] = s;
                kept += 1;
            }
        }
        n = kept;
        in_word = letter || c.is_ascii_digit();
        letter_before = letter;
        i += len;
    }
    false
}

/// Whether a walk in `state` may go on through a slot filled as `fill`, with the cells
/// after it starting at byte `after`.
fn fills(trie: &Trie, norm: &Normalized, src: &str, state: u32, fill: Fill, after: usize) -> bool {
    let letter = |x: u8| {
        let s = trie.next(state, x);
        s != DEAD && (Trie::is_match(s) || reads_on(trie, norm, src, s, after))
    };
    match fill {
        Fill::Letters(letters) => letters.iter().any(|&x| letter(x)),
        Fill::Nothing => reads_on(trie, norm, src, state, after),
        Fill::Wild => reads_on(trie, norm, src, state, after) || (b'a'..=b'z').any(letter),
    }
}

/// Whether a walk in `state` may read on from byte `after` to a match: through the
/// cells there as they are, up to a match, a cell that may be a slot itself, or where
/// the walk dies (a cell of a character that is not ASCII and no letter is not read).
fn reads_on(trie: &Trie, norm: &Normalized, src: &str, mut state: u32, mut at: usize) -> bool {
    let hay = norm.as_str();
    let b = hay.as_bytes();
    while let Some(c) = hay.get(at..).and_then(|s| s.chars().next()) {
        crate::work::step(1);
        if !letter_cell(c) {
            let before = hay[..at].chars().next_back().is_some_and(letter_cell);
            if slot_site(norm, src, at, c, before).is_some() {
                return true;
            }
            if !c.is_ascii() {
                return false;
            }
        }
        for &x in &b[at..at + c.len_utf8()] {
            state = trie.next(state, x);
            if state == DEAD {
                return false;
            }
        }
        if Trie::is_match(state) {
            return true;
        }
        at = if is_symbol(c) {
            symbol_end(hay, at + c.len_utf8())
        } else {
            at + c.len_utf8()
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(terms: &[&str], text: &str) -> bool {
        let trie = Trie::build(terms).unwrap();
        let mut n = Normalized::default();
        n.normalize(text);
        may_find(&trie, &n, text)
    }

    #[test]
    fn passes_evasions_of_terms() {
        let t = [
            "hermes",
            "chanel",
            "makita",
            "dyson",
            "estee lauder",
            "toshiba",
        ];
        for text in [
            "Her-mes scarf",
            "a (hanel bag",
            "Mak17a drill",
            "D*Y*S*O*N fan",
            "D . y . s . o . n",
            "Estee |auder",
            "Toshib@",
        ] {
            assert!(gate(&t, text), "{text}");
        }
    }

    #[test]
    fn stops_what_holds_no_term() {
        let t = ["hermes", "chanel", "makita", "longines", "omega"];
        for text in [
            "made for long-lasting use",
            "https://img.shopcdn.example/a3/9f/wireless-earbuds-5.jpg",
            "(Black) 20mm strap, 0.5 kg",
            "Color: Beige. Size: 20mm.",
        ] {
            assert!(!gate(&t, text), "{text}");
        }
    }
}
