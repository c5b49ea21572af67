//! The obfuscation view (docs/matching.md#evasions, match_kind `obfuscated`): a second reading of a field
//! that undoes what sellers do to hide a brand word from a keyword filter.
//!
//! It is built from the *normalized* text ([`crate::normalize`]) and only when
//! [`might_be_obfuscated`] sees something that can be an evasion, so ordinary text pays
//! one byte scan and nothing else. The view:
//!
//! * maps look-alike letters from other scripts and styled letter symbols to the Latin
//!   letter they imitate (`Nіke` with Cyrillic `і`, `RΟLEX` with Greek `Ο`, `🅽🅸🅺🅴`),
//!   from tables generated out of Unicode's confusables and character names
//!   (`tools/gen-lookalikes`); a word written wholly in another script is left alone
//!   unless the field is mostly Latin, so Russian or Greek text stays Russian or Greek;
//! * drops zero-width characters and soft hyphens (`Gu\u{200B}cci`);
//! * reads a digit or `@ $ ! |` inside a word as the letter it imitates (`N1ke`,
//!   `Adid@s`, `Gucc1`, `R0lex`) — only a lone digit after a letter, and only in a word
//!   with more letters than substitutions, so `N1K3-200`, `3M`, `A1`, `5mm` and `iPhone13`
//!   stay what they are;
//! * joins three or more single letters separated by one separator each (`N I K E`,
//!   `N.i.k.e`, `n-i-k-e`) — never words of two letters or more (`sign in ike`);
//! * squeezes repeated letters (`Niiiike`), and folds `l` into `i` (`1` can stand for
//!   either). Terms are searched in the same squeezed, folded form ([`skeleton_term`]).
//!
//! Every view byte remembers the normalized bytes it came from and which of these
//! tricks produced it. A match in the view is a finding only when its span really used
//! one of them ([`ObfuscationView::evidence`]): `Roiex` matches the skeleton of `Rolex`
//! but is not an evasion and is not reported.
//!
//! ```
//! use brandscan::obfuscate::ObfuscationView;
//! let mut v = ObfuscationView::default();
//! v.build("n1ke and n i k e");
//! assert_eq!(v.as_str(), "nike and nike");
//! assert!(v.evidence(0, 4));
//! assert!(!v.evidence(5, 8));
//! ```

mod lookalikes;
mod signs;

use crate::normalize::{is_letter, Normalized};
use lookalikes::LOOKALIKES;

/// Evidence flags, one set per view byte.
const LOOKALIKE: u8 = 1;
const SUBSTITUTED: u8 = 2;
const INVISIBLE_BEFORE: u8 = 4;
const SPACED: u8 = 8;
const STRETCHED: u8 = 16;
/// An invisible character between two letters that were squeezed into one.
const INVISIBLE_INSIDE: u8 = 32;

/// Characters that render as nothing and are dropped inside words: zero-width space,
/// joiners, direction marks, word joiner, invisible operators, BOM, soft hyphen.
#[inline]
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// The Latin letter `c` imitates, for a character that normalization leaves non-ASCII
/// (generated table; see `tools/gen-lookalikes`).
///
/// ```
/// use brandscan::obfuscate::lookalike;
/// assert_eq!(lookalike('і'), Some('i')); // Cyrillic
/// assert_eq!(lookalike('ο'), Some('o')); // Greek
/// assert_eq!(lookalike('🅽'), Some('n'));
/// assert_eq!(lookalike('é'), None);
/// ```
#[inline]
pub fn lookalike(c: char) -> Option<char> {
    match signs::LOOKS.get(c as usize) {
        Some(&0) => None,
        Some(&l) => Some(l as char),
        None => lookalike_search(c),
    }
}

/// [`lookalike`] from the generated table itself.
fn lookalike_search(c: char) -> Option<char> {
    LOOKALIKES
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| LOOKALIKES[i].1 as char)
}

/// True for styled letters that compatibility decomposition folds to plain ones (bold,
/// italic, script, double-struck, circled, squared letters): the plain view finds them,
/// and a finding that contains one is reported as `obfuscated`, not `normalized`.
#[inline]
pub(crate) fn is_styled(c: char) -> bool {
    matches!(c as u32, 0x1D400..=0x1D7FF | 0x2460..=0x24FF | 0x1F100..=0x1F1FF)
}

/// The letter a digit or symbol stands for inside a word.
#[inline]
fn substitute(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

/// The skeleton of one letter: `l` and `i` are one letter here, because `1`, `|` and `!`
/// can stand for either.
#[inline]
fn fold(c: char) -> char {
    if c == 'l' {
        'i'
    } else {
        c
    }
}

/// A cheap test on normalized text: true when it holds anything the view would change
/// — a non-ASCII look-alike or invisible character, a lone digit or `@ $ ! |` right after
/// a letter, three single letters in a row, or a letter three times in a row. False for
/// nearly all ordinary titles, which then skip the view.
///
/// ```
/// use brandscan::obfuscate::might_be_obfuscated;
/// assert!(might_be_obfuscated("n1ke"));
/// assert!(might_be_obfuscated("n i k e shoes"));
/// assert!(!might_be_obfuscated("nike air max 90 41mm"));
/// ```
pub fn might_be_obfuscated(norm: &str) -> bool {
    first_sign(norm).is_some()
}

/// Where [`might_be_obfuscated`] decides: the byte at or just after the first sign of an
/// evasion (inside a stretched run, at the end of a word with a substitution, at the
/// space after two one-letter words), or `None`.
pub(crate) fn first_sign(norm: &str) -> Option<usize> {
    if plainly_nothing(norm.as_bytes()) {
        return None;
    }
    sign_scan(norm)
}

/// [`first_sign`] without its pre-test: for a caller that already knows the text is not
/// plainly free of signs and goes on looking after the first one.
pub(crate) fn sign_scan(norm: &str) -> Option<usize> {
    let sign = scan_for_sign(norm);
    // It reads the text up to the sign, and a character or two past it.
    crate::work::step(sign.unwrap_or(norm.len()) + 4);
    sign
}

fn scan_for_sign(norm: &str) -> Option<usize> {
    let b = norm.as_bytes();
    let mut single_letters = 0u32; // one-letter words in a row, one space apart
    let mut word_len = 0u32; // characters of the current word
    let mut last_lower = false; // the last character was an ASCII letter
                                // The current word (letters, digits, `@ $ ! |`): its letters and the digits and
                                // symbols the view would read as letters. Decided as the view decides, so hex
                                // hashes in picture URLs (`a1`, `e0`) and sizes (`5mm`) do not build a view.
    let (mut letters, mut subs) = (0u32, 0u32);
    // A `$` or `!` ending a word counts only after three letters (`KID$`, not `us!`).
    let mut tail = false;
    let mut prev_letter = false;
    let mut i = 0;
    while i <= b.len() {
        let c = b.get(i).copied().unwrap_or(b' ');
        // Lowercase letters are nearly all of the text: keep their path short.
        if c.is_ascii_lowercase() {
            let start = i;
            let (mut p1, mut p2) = (0u8, 0u8);
            while let Some(&c) = b.get(i).filter(|c| c.is_ascii_lowercase()) {
                if c == p1 && c == p2 {
                    return Some(i); // stretched
                }
                p2 = p1;
                p1 = c;
                i += 1;
            }
            letters += (i - start) as u32;
            word_len += (i - start) as u32;
            prev_letter = true;
            last_lower = true;
            continue;
        }
        if c >= 0x80 {
            let ch = norm.get(i..).and_then(|s| s.chars().next()).unwrap_or(' ');
            i += ch.len_utf8();
            // Only a character the view would change counts.
            let bits = signs::bits(ch);
            if bits & (signs::INVISIBLE | signs::LOOK_LETTER) != 0 {
                return Some(i.min(b.len()));
            }
            last_lower = false;
            let after_letter = prev_letter;
            prev_letter = bits & signs::LETTER != 0;
            if bits & signs::LOOK_SYMBOL != 0 {
                // `10×20`, `5 × 3`: a look-alike symbol stays in its word and stands for
                // a letter only between two letters (`Ni×e`), as an ASCII `@`. An
                // invisible character after it is a sign of its own.
                word_len += 1;
                let next_letter = norm
                    .get(i..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(|n| {
                        n.is_ascii_lowercase()
                            || (!n.is_ascii() && signs::bits(n) & signs::LETTER != 0)
                    });
                subs += u32::from(after_letter && next_letter);
                continue;
            }
            if prev_letter {
                letters += 1;
                word_len += 1;
            } else {
                single_letters = 0;
                word_len = 0;
                // Ends a word, as in the view.
                let total = subs + u32::from(tail && letters >= 3);
                if total > 0 && letters >= 2 && total < letters {
                    return Some(i.min(b.len()));
                }
                (letters, subs, tail) = (0, 0, false);
            }
            continue;
        }
        let at = i;
        i += 1;
        let in_word = c.is_ascii_alphanumeric() || matches!(c, b'@' | b'$' | b'!' | b'|');
        if !in_word {
            let total = subs + u32::from(tail && letters >= 3);
            if total > 0 && letters >= 2 && total < letters {
                return Some(i.min(b.len()));
            }
            (letters, subs, tail) = (0, 0, false);
        }
        let after_letter = prev_letter;
        let single = word_len == 1 && last_lower;
        prev_letter = false;
        last_lower = false;
        if c == b' ' {
            if single {
                single_letters += 1;
                if single_letters >= 2 && next_is_single_letter(norm, at + 1) {
                    return Some(i.min(b.len()));
                }
            } else {
                single_letters = 0;
            }
            word_len = 0;
            continue;
        }
        if !in_word {
            single_letters = 0;
            word_len = 0;
            continue;
        }
        word_len += 1;
        let prev_word = at > 0 && (b[at - 1].is_ascii_alphanumeric() || after_letter);
        let next = b.get(at + 1).copied().unwrap_or(b' ');
        let next_letter = next.is_ascii_lowercase()
            || (next >= 0x80
                && norm
                    .get(at + 1..)
                    .and_then(|s| s.chars().next())
                    .is_some_and(|n| is_letter(n) && !crate::normalize::is_cjk(n)));
        let sub = match c {
            b'0'..=b'9' => {
                after_letter && !next.is_ascii_digit() && substitute(c as char).is_some()
            }
            b'$' if !prev_word => next_letter,
            b'$' | b'!' if after_letter && next_letter => true,
            b'$' | b'!' => {
                tail = after_letter && !next.is_ascii_alphanumeric() && !next_letter;
                false
            }
            _ => after_letter && next_letter,
        };
        subs += u32::from(sub);
    }
    None
}

/// A substitution sign at byte `i` of ASCII text that has not been normalized: a
/// substitute digit or `@ $ ! |` there that could count in the normalized text — next to
/// a letter, in a word with room for two letters. With [`ascii_stretched`] and two
/// one-letter words in a row (which the matcher's word loop sees), a looser
/// [`might_be_obfuscated`]: where none of them is, the trigger is false. Sentence ends
/// (`Thank us!`) and model numbers (`model C8.`) are not signs.
///
#[inline]
pub(crate) fn ascii_sign_at(raw: &[u8], i: usize) -> bool {
    let at = |k: Option<usize>| k.and_then(|k| raw.get(k)).copied().unwrap_or(b' ');
    let (y, z) = (raw[i], at(Some(i + 1)));
    // A letter's sign is a stretch, which `ascii_stretched` finds.
    if y.is_ascii_alphabetic() {
        return false;
    }
    sign_at(
        at(i.checked_sub(3)),
        at(i.checked_sub(2)),
        at(i.checked_sub(1)),
        y,
        z,
    )
}

/// True when ASCII `raw` has a letter three times in a row, in any case (`NiiIke`).
/// Vectorized.
pub(crate) fn ascii_stretched(raw: &[u8]) -> bool {
    let n = raw.len();
    n >= 3
        && raw[..n - 2].iter().zip(&raw[1..n - 1]).zip(&raw[2..]).fold(
            false,
            |a, ((&x, &y), &z)| {
                let (fx, fy, fz) = (x | 0x20, y | 0x20, z | 0x20);
                a | ((fx.wrapping_sub(b'a') < 26) & (fx == fy) & (fy == fz))
            },
        )
}

/// Whether the digit or symbol `y`, after `v w x` and before `z`, is a sign for
/// [`ascii_sign_at`].
#[inline(always)]
fn sign_at(v: u8, w: u8, x: u8, y: u8, z: u8) -> bool {
    let alpha = |c: u8| (c | 0x20).wrapping_sub(b'a') < 26;
    let digit = |c: u8| c.wrapping_sub(b'0') < 10;
    let odd = |c: u8| (c == b'@') | (c == b'$') | (c == b'!') | (c == b'|');
    // The characters of a word as the view reads it.
    let in_word = |c: u8| alpha(c) | digit(c) | odd(c);
    // The digits `substitute` reads as letters: all but 2 and 6.
    let sub = digit(y) & (y != b'2') & (y != b'6');
    // A substitute digit right after a letter counts in a word of two letters or more.
    let digit_sign = alpha(x) & sub & !digit(z) & (in_word(w) | in_word(z));
    // `@ |` and `! $` stand for a letter between letters; `$` also before one
    // (`$upreme`); `! $` end a word of three letters or more (`KID$`).
    let between = alpha(x) & alpha(z);
    let tail = alpha(x) & (odd(z) | (in_word(w) & in_word(v)));
    let odd_sign = ((y == b'@') | (y == b'|')) & between
        | (y == b'!') & (between | tail)
        | (y == b'$') & (alpha(z) | tail);
    digit_sign | odd_sign
}

/// A branch-free pre-test the compiler can vectorize: true when `b` has none of the
/// byte patterns any trick starts with — a non-ASCII byte, `@ $ ! |`, a digit right after
/// a letter, a letter three times, two one-letter words in a row. Most fields stop here.
fn plainly_nothing(b: &[u8]) -> bool {
    crate::work::step(b.len());
    let n = b.len();
    let lower = |c: u8| c.wrapping_sub(b'a') < 26;
    let digit = |c: u8| c.wrapping_sub(b'0') < 10;
    let word = |c: u8| lower(c) || digit(c);
    let odd = b.iter().fold(false, |a, &c| {
        a | (c >= 0x80) | (c == b'@') | (c == b'$') | (c == b'!') | (c == b'|')
    });
    if odd {
        return false;
    }
    if n < 2 {
        return true;
    }
    let pairs = b[..n - 1]
        .iter()
        .zip(&b[1..])
        .fold(false, |a, (&x, &y)| a | (lower(x) & digit(y)));
    if pairs {
        return false;
    }
    if n < 3 {
        return true;
    }
    // The text is ASCII and lowercase here.
    if ascii_stretched(b) {
        return false;
    }
    // ` x y `: two one-letter words in a row; at the start of the text too.
    let at_start = n >= 4 && lower(b[0]) & (b[1] == b' ') & lower(b[2]) & !word(b[3]);
    if at_start || n < 5 {
        return !at_start;
    }
    let spaced = b[..n - 4]
        .iter()
        .zip(&b[1..n - 3])
        .zip(&b[2..n - 2])
        .zip(&b[3..n - 1])
        .zip(&b[4..])
        .fold(false, |a, ((((&v, &w), &x), &y), &z)| {
            a | (!word(v) & lower(w) & (x == b' ') & lower(y) & !word(z))
        });
    !spaced
}

/// True when `c` is the lowercase of a look-alike capital (`м` of Cyrillic `М`): the
/// normalizer lowercased the letter a seller chose for its capital shape.
fn capital_lookalike(c: char) -> bool {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u != c && lookalike(u).is_some(),
        _ => false,
    }
}

fn next_is_single_letter(norm: &str, i: usize) -> bool {
    let b = norm.as_bytes();
    if !b.get(i).is_some_and(|c| c.is_ascii_lowercase()) {
        return false;
    }
    // The letter must end its word, as the view's words end.
    match norm.get(i + 1..).and_then(|s| s.chars().next()) {
        None => true,
        Some(c) if c.is_ascii() => {
            !c.is_ascii_alphanumeric() && !matches!(c, '@' | '$' | '!' | '|')
        }
        Some(c) => {
            crate::normalize::is_cjk(c)
                || !(is_letter(c) || is_invisible(c) || lookalike(c).is_some())
        }
    }
}

/// Whether the view reads a word written wholly in another script through its
/// look-alikes: when normalized text `norm` has at least as many ASCII letters as
/// letters of other scripts (CJK and styled letters count for neither). Russian or
/// Greek text stays what it is; a Cyrillic word in an English title is read as Latin.
pub(crate) fn latin_field(norm: &str) -> bool {
    crate::work::step(norm.len());
    if norm.is_ascii() {
        return true;
    }
    let b = norm.as_bytes();
    let latin = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    // Each character that is not ASCII has one lead byte: an upper bound of the others.
    if latin >= b.iter().filter(|&&c| c >= 0xC0).count() {
        return true;
    }
    let foreign = norm
        .chars()
        .filter(|&c| {
            !c.is_ascii()
                && is_letter(c)
                && !is_invisible(c)
                && !crate::normalize::is_cjk(c)
                && !is_styled(c)
        })
        .count();
    latin >= foreign
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An ASCII letter, or another script's letter with no look-alike.
    Letter,
    /// A letter of another script that imitates a Latin one.
    LookLetter,
    Digit,
    /// `@ $ ! |` and look-alike symbols (`×`, `¢`).
    Symbol,
    Invisible,
    Space,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Ch {
    c: char,
    /// The Latin letter it imitates, looked up on the original character first.
    look: Option<char>,
    out: char,
    start: u32,
    end: u32,
    flags: u8,
    class: Class,
    keep: bool,
}

/// A field's obfuscation view and its map back to the normalized text. Reuse one per
/// thread; [`ObfuscationView::build`] refills it.
#[derive(Debug, Default, Clone)]
pub struct ObfuscationView {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
    flags: Vec<u8>,
    chars: Vec<Ch>,
}

impl ObfuscationView {
    /// Build the view of normalized text `norm`, looking up look-alikes on the
    /// normalized characters only (tests and examples; the matcher uses
    /// [`ObfuscationView::build_from`]).
    pub fn build(&mut self, norm: &str) {
        self.build_with(norm, latin_field(norm), |_, _| None);
    }

    /// Build the view of `norm`, the normalization of `src`: look-alikes are looked up on
    /// the original characters first, so a capital chosen for its shape (Greek `Ν`, which
    /// lowercases to `ν`, a `v` look-alike) reads as the letter it imitates.
    pub fn build_from(&mut self, norm: &Normalized, src: &str) {
        let text = norm.as_str();
        self.build_part_from(norm, src, 0..text.len(), latin_field(text));
    }

    /// Build the view of the part `range` of `norm` (the normalization of `src`), as
    /// the whole text's view reads it when `latin` is [`latin_field`] of the whole text.
    /// Positions in this view count from `range.start`. Between two safe cuts (spaces
    /// between words of two characters or more) the view of a part is that part of the
    /// whole view: everything else it does stays inside a word or a run of one-letter
    /// words.
    pub(crate) fn build_part_from(
        &mut self,
        norm: &Normalized,
        src: &str,
        range: std::ops::Range<usize>,
        latin: bool,
    ) {
        let base = range.start;
        let mut at = 0;
        self.build_with(&norm.as_str()[range], latin, |s, e| {
            let (os, oe) = norm.original_span_from(&mut at, base + s, base + e);
            src.get(os..oe).and_then(|o| o.chars().next())
        });
    }

    fn build_with(
        &mut self,
        norm: &str,
        latin_field: bool,
        mut original: impl FnMut(usize, usize) -> Option<char>,
    ) {
        self.text.clear();
        self.starts.clear();
        self.ends.clear();
        self.flags.clear();
        self.chars.clear();
        crate::work::step(norm.len());
        for (i, c) in norm.char_indices() {
            let end = i + c.len_utf8();
            let look = if c.is_ascii() {
                None
            } else {
                original(i, end)
                    .filter(|o| !o.is_ascii())
                    .and_then(lookalike)
                    .or_else(|| lookalike(c))
            };
            let class = classify(c, look);
            self.chars.push(Ch {
                c,
                look,
                out: c,
                start: i as u32,
                end: end as u32,
                flags: 0,
                class,
                keep: class != Class::Invisible,
            });
        }
        let mut a = 0;
        while a < self.chars.len() {
            if is_word(self.chars[a].class) {
                let mut b = a;
                while b < self.chars.len() && is_word(self.chars[b].class) {
                    b += 1;
                }
                rewrite_word(&mut self.chars[a..b], latin_field);
                a = b;
            } else {
                a += 1;
            }
        }
        join_spaced_letters(&mut self.chars);
        self.emit();
    }

    fn emit(&mut self) {
        crate::work::step(self.chars.len());
        let mut prev: Option<char> = None;
        // The run of one letter before folding: `ill` folds to `iii`, which is squeezed
        // like a run but is no stretched letter.
        let mut raw_prev: Option<char> = None;
        let mut run = 0usize;
        for ch in &self.chars {
            if !ch.keep {
                continue;
            }
            let out = fold(ch.out);
            run = if raw_prev == Some(ch.out) { run + 1 } else { 1 };
            raw_prev = Some(ch.out);
            if out.is_ascii_lowercase() && prev == Some(out) {
                // A repeated letter: the kept one grows over it.
                if let Some(e) = self.ends.last_mut() {
                    *e = ch.end;
                }
                if let Some(f) = self.flags.last_mut() {
                    *f |= ch.flags & !INVISIBLE_BEFORE;
                    if ch.flags & INVISIBLE_BEFORE != 0 {
                        *f |= INVISIBLE_INSIDE;
                    }
                    if run >= 3 {
                        *f |= STRETCHED;
                    }
                }
                continue;
            }
            prev = Some(out);
            self.text.push(out);
            for _ in 0..out.len_utf8() {
                self.starts.push(ch.start);
                self.ends.push(ch.end);
                self.flags.push(ch.flags);
            }
        }
    }

    /// The view text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether a term could use an evasion of this view, asked run by run: a match must
    /// hold an evasion and cannot start or end inside a run of letters or of digits, so
    /// it holds the whole run around the evasion, and that run is a run of the term.
    /// `known_run` says whether a run is one of some term's; true when it says so for a
    /// run around an evasion, and whenever the question cannot be put that way (spaced
    /// letters, which may be cut anywhere, invisible characters, an evasion on a symbol).
    ///
    /// ```
    /// use brandscan::obfuscate::ObfuscationView;
    /// let mut v = ObfuscationView::default();
    /// v.build("waterproof ipx7 case");
    /// assert!(!v.evidence_could_match(|run| run == "nike"));
    /// assert!(v.evidence_could_match(|run| run == "ipxt"));
    /// ```
    pub fn evidence_could_match(&self, known_run: impl Fn(&str) -> bool) -> bool {
        let t = self.text.as_bytes();
        let mut k = 0;
        while k < t.len() {
            crate::work::step(1);
            let f = self.flags[k];
            if f == 0 {
                k += 1;
                continue;
            }
            if f & !(LOOKALIKE | SUBSTITUTED | STRETCHED) != 0 {
                return true;
            }
            // `k` is a character's first byte: the bytes before it have no flags, or
            // flags of their own character, which ended the last round at its run's end.
            let Some((start, end)) = self.run_around(k) else {
                return true;
            };
            crate::work::step(2 * (end - start));
            if self.flags[start..end].iter().any(|&f| f & SPACED != 0)
                || known_run(&self.text[start..end])
            {
                return true;
            }
            k = end;
        }
        false
    }

    /// The run of letters or of digits around the character at byte `k` of the view, as
    /// word boundaries cut it (docs/matching.md#whole-words), in any script; `None` when a character of it is
    /// neither letter nor digit, so that no pattern's run can be it.
    fn run_around(&self, k: usize) -> Option<(usize, usize)> {
        let t = &self.text;
        let alnum = |c: char| is_letter(c) || crate::normalize::is_number(c);
        let c = t[k..].chars().next()?;
        if !alnum(c) {
            return None;
        }
        let mut start = k;
        let mut first = c;
        while let Some(p) = t[..start].chars().next_back() {
            crate::work::step(1);
            if crate::normalize::is_boundary(Some(p), Some(first)) {
                break;
            }
            if !alnum(p) {
                return None;
            }
            start -= p.len_utf8();
            first = p;
        }
        let mut end = k + c.len_utf8();
        let mut last = c;
        while let Some(n) = t[end..].chars().next() {
            crate::work::step(1);
            if crate::normalize::is_boundary(Some(last), Some(n)) {
                break;
            }
            if !alnum(n) {
                return None;
            }
            end += n.len_utf8();
            last = n;
        }
        Some((start, end))
    }

    /// The normalized byte range the view range `start..end` (non-empty, on char
    /// boundaries) came from.
    pub fn normalized_span(&self, start: usize, end: usize) -> (usize, usize) {
        (self.starts[start] as usize, self.ends[end - 1] as usize)
    }

    /// True when `start..end` is whole words of the view: the usual boundary rule, and
    /// also inside a run of spaced letters, whose letters were words of their own
    /// (`N I K E t-shirt` reads `niket shirt`, and `nike` ends at a boundary).
    pub fn passes_boundaries(&self, start: usize, end: usize) -> bool {
        let t = &self.text;
        let spaced = |i: usize| self.flags.get(i).is_some_and(|f| f & SPACED != 0);
        let soft = |i: usize| i > 0 && spaced(i - 1) && spaced(i);
        let before = t[..start].chars().next_back();
        let first = t[start..].chars().next();
        let last = t[..end].chars().next_back();
        let after = t[end..].chars().next();
        (soft(start) || crate::normalize::is_boundary(before, first))
            && (soft(end) || crate::normalize::is_boundary(last, after))
    }

    /// The byte ranges of the view within `reach` bytes of an evasion, merged and on
    /// char boundaries: a match of at most `reach` bytes that used an evasion lies in one
    /// of them, so only they need searching (a long description with one `ipx7` is
    /// searched around `ipx7` only).
    pub fn evidence_windows(&self, reach: usize, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let t = &self.text;
        crate::work::step(self.flags.len());
        for (i, &f) in self.flags.iter().enumerate() {
            if f == 0 {
                continue;
            }
            let mut s = i.saturating_sub(reach);
            while !t.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = (i + reach + 1).min(t.len());
            while !t.is_char_boundary(e) {
                e += 1;
            }
            match out.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
    }

    /// True when the view range `start..end` used an evasion: a look-alike, a
    /// substitution, an invisible character inside it, spaced or stretched letters.
    pub fn evidence(&self, start: usize, end: usize) -> bool {
        crate::work::step(end - start);
        let mut any = self.flags[start] & !INVISIBLE_BEFORE;
        for &f in &self.flags[start + 1..end] {
            any |= f;
        }
        any != 0
    }
}

fn classify(c: char, look: Option<char>) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' => Class::Letter,
            '0'..='9' => Class::Digit,
            '@' | '$' | '!' | '|' => Class::Symbol,
            ' ' => Class::Space,
            _ => Class::Other,
        };
    }
    if is_invisible(c) {
        return Class::Invisible;
    }
    if crate::normalize::is_cjk(c) {
        // Every CJK character is a word of its own: never part of a substitution.
        return Class::Other;
    }
    match look {
        // Squared and regional-indicator letters are symbols to Unicode but letters here.
        Some(_) if is_letter(c) || matches!(c as u32, 0x1F100..=0x1F1FF) => Class::LookLetter,
        Some(_) => Class::Symbol,
        None if is_letter(c) => Class::Letter,
        None => Class::Other,
    }
}

#[inline]
fn is_word(c: Class) -> bool {
    !matches!(c, Class::Space | Class::Other)
}

fn is_lettery(ch: &Ch) -> bool {
    matches!(ch.class, Class::Letter | Class::LookLetter) || ch.out.is_ascii_lowercase()
}

/// Apply look-alikes and substitutions inside one word.
fn rewrite_word(word: &mut [Ch], latin_field: bool) {
    let has_ascii_letter = word
        .iter()
        .any(|c| c.class == Class::Letter && c.c.is_ascii());
    let map_lookalikes = has_ascii_letter || latin_field;
    let mut letters = 0;
    for ch in word.iter_mut() {
        match ch.class {
            Class::Letter => letters += 1,
            Class::LookLetter => {
                letters += 1;
                if map_lookalikes {
                    if let Some(l) = ch.look {
                        ch.out = l;
                        ch.flags |= LOOKALIKE;
                    }
                }
            }
            _ => {}
        }
    }
    // Invisible characters inside a word mark the next kept character.
    let mut seen_kept = false;
    let mut pending = false;
    for ch in word.iter_mut() {
        if ch.class == Class::Invisible {
            pending = seen_kept;
            continue;
        }
        if pending {
            ch.flags |= INVISIBLE_BEFORE;
            pending = false;
        }
        seen_kept = true;
    }
    if letters < 2 {
        return;
    }
    // Substitutions: decided on the original classes, so one substitution does not
    // license the next.
    let mut subs = Vec::new();
    // The kept characters on either side of each one, found in one pass: a run of
    // invisible characters is stepped over once, not once per character of it.
    let mut prev_at: Option<usize> = None;
    let mut next_at = 0;
    for i in 0..word.len() {
        let ch = word[i];
        if next_at <= i {
            next_at = i + 1;
            while next_at < word.len() && !word[next_at].keep {
                crate::work::step(1);
                next_at += 1;
            }
        }
        crate::work::step(1);
        let prev = prev_at.map(|k| &word[k]);
        let next = word.get(next_at);
        if ch.keep {
            prev_at = Some(i);
        }
        let after_letter = prev.is_some_and(is_lettery);
        let before_letter = next.is_some_and(is_lettery);
        let ok = match ch.class {
            Class::Digit => {
                after_letter
                    && !next.is_some_and(|n| n.class == Class::Digit)
                    && substitute(ch.c).is_some()
            }
            // `$upreme`, `Adid@s`, and at a word's end `Gucc!`, `KID$` — but not `@home`.
            Class::Symbol if ch.c.is_ascii() => {
                (after_letter && before_letter)
                    || (ch.c == '$' && prev.is_none() && before_letter)
                    || (matches!(ch.c, '$' | '!') && after_letter && next.is_none() && letters >= 3)
            }
            Class::Symbol => after_letter && before_letter,
            _ => false,
        };
        if ok {
            subs.push(i);
        }
    }
    if subs.is_empty() || subs.len() >= letters {
        return;
    }
    for i in subs {
        let ch = &mut word[i];
        ch.out = substitute(ch.c).or(ch.look).unwrap_or(ch.c);
        ch.flags |= SUBSTITUTED;
    }
}

/// Join runs of three or more one-letter words separated by single spaces.
fn join_spaced_letters(chars: &mut [Ch]) {
    // Indices of kept characters, so invisible ones do not break a run.
    let n = chars.len();
    let mut i = 0;
    while i < n {
        crate::work::step(1);
        // A one-letter word starts at i: a letter with no word character on either side.
        let starts_word = i == 0 || !is_word(chars[i - 1].class);
        if !(starts_word && single_letter_word(chars, i)) {
            i += 1;
            continue;
        }
        let mut letters = vec![i];
        let mut j = i + 1; // the space after the letter
        while j + 1 < n && chars[j].class == Class::Space && single_letter_word(chars, j + 1) {
            crate::work::step(1);
            letters.push(j + 1);
            j += 2;
        }
        if letters.len() >= 3 {
            for w in letters.windows(2) {
                chars[w[0] + 1].keep = false;
            }
            for &l in &letters {
                chars[l].flags |= SPACED;
            }
        }
        i = j.max(i + 1);
    }
}

fn single_letter_word(chars: &[Ch], i: usize) -> bool {
    let ch = &chars[i];
    let letter = ch.out.is_ascii_lowercase() && ch.class != Class::Digit;
    letter && chars.get(i + 1).is_none_or(|c| !is_word(c.class))
}

/// The form a normalized term is searched in within the view: look-alikes mapped, `l`
/// folded into `i`, repeated letters squeezed. `None` for terms of fewer than four
/// letters, which are too short to tell an evasion from an accident (`A1`, `G7X`).
pub(crate) fn skeleton_term(norm: &str) -> Option<String> {
    if norm.chars().filter(|c| c.is_alphabetic()).count() < 4 {
        return None;
    }
    let mut out = String::with_capacity(norm.len());
    let mut prev = None;
    for c in norm.chars() {
        let c = fold(lookalike(c).unwrap_or(c));
        if c.is_ascii_lowercase() && prev == Some(c) {
            continue;
        }
        prev = Some(c);
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
