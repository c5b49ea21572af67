//! Optional fuzzy matching (docs/matching.md#fuzzy, `--fuzzy`, match_kind `fuzzy`): one
//! edit — insert, delete, substitute or swap two neighbours — on terms of six letters or
//! more (`Addidas`). A five-letter term matches only with one letter inserted, which
//! makes a six-letter word (`Rollex`); a deletion or substitution in a word that short
//! too often lands on another word.
//!
//! Lookup is by deletion neighbourhood: every term and every one-deletion variant of it
//! is a key; a text word (or run of words, for multi-word terms) and its one-deletion
//! variants are looked up, and a hit is confirmed with an edit distance of exactly one.
//! To keep a person's review queue worth reading, a candidate is dropped when it is an
//! English word itself (`goggle` is not `Google`), when it is the term plus `s`
//! (`Pandoras`), when one side has digits the other lacks (`iPhone5`), when the edit
//! touches the first or last letter (`Michel`, `Camara`, `HypervenomX` are names, other
//! languages' words and model variants far more often than evasions), or when it falls
//! in a word of fewer than five letters of a multi-word term (`WP Black`). Rules with
//! `case=sensitive` are common words and are never matched fuzzily.
//!
//! ```
//! use brandscan::{MatcherBuilder, MatchKind, Action, Rules};
//! let rules = Rules::parse_txt("l.txt", "Rolex\nAdidas\n").unwrap();
//! let m = MatcherBuilder::new().fuzzy(true).build(rules).unwrap();
//! let f = m.find_all("t", "Addidas shoes, Rollex watch, Rolx strap");
//! let got: Vec<&str> = f.iter().map(|f| f.matched.as_str()).collect();
//! assert_eq!(got, ["Addidas", "Rollex"]); // `Rolx`: a deletion in a five-letter term
//! assert_eq!((f[0].match_kind, f[0].action), (MatchKind::Fuzzy, Action::Review));
//! ```

use crate::dictionary::is_english_word;
use std::collections::HashMap;

/// Terms of this many letters or more match with any one edit.
pub const MIN_LETTERS: usize = 6;

/// The deletion-neighbourhood index of the eligible terms.
#[derive(Debug, Default)]
pub(crate) struct FuzzyIndex {
    /// Key (a term form or a one-deletion variant) → indices into `forms`.
    keys: HashMap<String, Vec<u32>>,
    /// (normalized term form, rule index).
    forms: Vec<(String, u32)>,
    /// The most words in any indexed form.
    max_words: usize,
    /// The longest indexed form, in bytes: a text one edit away is at most one
    /// character (four bytes) longer.
    max_len: usize,
}

/// A fuzzy hit: normalized byte range and rule index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
}

impl FuzzyIndex {
    /// Index one normalized term form of rule `rule`.
    pub(crate) fn add(&mut self, form: &str, rule: usize) {
        if form.chars().filter(|c| c.is_alphabetic()).count() + 1 < MIN_LETTERS {
            return;
        }
        let id = self.forms.len() as u32;
        self.forms.push((form.to_string(), rule as u32));
        self.max_words = self.max_words.max(form.split(' ').count());
        self.max_len = self.max_len.max(form.len());
        let mut push = |k: String| {
            let v = self.keys.entry(k).or_default();
            if !v.contains(&id) {
                v.push(id);
            }
        };
        push(form.to_string());
        for k in deletions(form) {
            push(k);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Every fuzzy hit in normalized text `hay`.
    pub(crate) fn find(&self, hay: &str, out: &mut Vec<Hit>) {
        crate::work::step(hay.len());
        let words = word_spans(hay);
        for i in 0..words.len() {
            for n in 1..=self.max_words.min(words.len() - i) {
                // Only words separated by a single space form a run.
                if n > 1 && &hay[words[i + n - 2].1..words[i + n - 1].0] != " " {
                    break;
                }
                let (s, e) = (words[i].0, words[i + n - 1].1);
                // Longer runs are only longer: none of them can be one edit away, and
                // looking up a long word's deletions would cost its length squared.
                if e - s > self.max_len + 4 {
                    break;
                }
                self.lookup(hay, s, e, out);
            }
        }
    }

    fn lookup(&self, hay: &str, s: usize, e: usize, out: &mut Vec<Hit>) {
        let cand = &hay[s..e];
        // Hashing the candidate, then each of its deletions.
        crate::work::step(cand.len() * (cand.chars().count() + 1));
        let len = cand.chars().count();
        if len + 1 < MIN_LETTERS {
            return;
        }
        let mut seen: Vec<u32> = Vec::new();
        let mut check = |ids: &[u32]| {
            for &id in ids {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let (form, rule) = &self.forms[id as usize];
                if plausible(cand, form) && strsim::osa_distance(cand, form) == 1 {
                    out.push(Hit {
                        start: s,
                        end: e,
                        rule: *rule as usize,
                    });
                }
            }
        };
        if let Some(ids) = self.keys.get(cand) {
            check(ids);
        }
        for k in deletions(cand) {
            if let Some(ids) = self.keys.get(&k) {
                check(ids);
            }
        }
    }
}

/// The length rule and precision guards of the module docs.
fn plausible(cand: &str, form: &str) -> bool {
    let letters = form.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS && cand.chars().count() != form.chars().count() + 1 {
        return false;
    }
    let digits = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    if digits(cand) != digits(form) {
        return false;
    }
    if cand.strip_suffix('s') == Some(form) {
        return false;
    }
    let (c, f): (Vec<char>, Vec<char>) = (cand.chars().collect(), form.chars().collect());
    let prefix = c.iter().zip(&f).take_while(|(a, b)| a == b).count();
    let suffix = c
        .iter()
        .rev()
        .zip(f.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == 0 || suffix == 0 {
        return false;
    }
    // The word of the term the edit is in.
    let at = prefix.min(f.len() - 1);
    let word_start = f[..at]
        .iter()
        .rposition(|&ch| ch == ' ')
        .map_or(0, |p| p + 1);
    let word_end = f[at..]
        .iter()
        .position(|&ch| ch == ' ')
        .map_or(f.len(), |p| at + p);
    if word_end - word_start < 5 {
        return false;
    }
    !cand.split(' ').all(is_english_word)
}

/// Every string made by deleting one character of `s`.
fn deletions(s: &str) -> impl Iterator<Item = String> + '_ {
    s.char_indices().map(move |(i, c)| {
        let mut k = String::with_capacity(s.len());
        k.push_str(&s[..i]);
        k.push_str(&s[i + c.len_utf8()..]);
        k
    })
}

/// Byte ranges of the alphanumeric words of `hay`.
fn word_spans(hay: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in hay.char_indices() {
        let word = c.is_alphanumeric() && !crate::normalize::is_cjk(c);
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, hay.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(terms: &[&str], hay: &str) -> Vec<String> {
        let mut ix = FuzzyIndex::default();
        for (i, t) in terms.iter().enumerate() {
            ix.add(t, i);
        }
        let mut out = Vec::new();
        ix.find(hay, &mut out);
        out.iter()
            .map(|h| hay[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn one_edit_of_each_kind() {
        let t = &["adidas", "louis vuitton"];
        assert_eq!(hits(t, "addidas"), ["addidas"]); // insert
        assert_eq!(hits(t, "adias"), ["adias"]); // delete
        assert_eq!(hits(t, "adudas"), ["adudas"]); // substitute
        assert_eq!(hits(t, "aidday"), Vec::<String>::new()); // two edits
        assert_eq!(hits(t, "adiads"), ["adiads"]); // swap
        assert!(hits(t, "daidas adidaz").is_empty(), "first or last letter");
        assert_eq!(hits(t, "louis vuiton bag"), ["louis vuiton"]);
        assert!(hits(t, "adidas").is_empty(), "exact is not fuzzy");
    }

    #[test]
    fn words_longer_than_any_term_are_skipped_but_one_insertion_is_not() {
        let t = &["adidas", "louis vuitton"];
        // The longest form plus one letter, even a multi-byte one, is still read.
        assert_eq!(hits(t, "louis vuitt\u{3BB}on"), ["louis vuitt\u{3BB}on"]);
        assert_eq!(hits(t, "louis vuittoon x"), ["louis vuittoon"]);
        assert!(hits(t, &"adidaz".repeat(50)).is_empty());
    }

    #[test]
    fn guards() {
        assert!(hits(&["google"], "ski goggle").is_empty());
        assert!(hits(&["pandora"], "pandoras box").is_empty());
        assert!(hits(&["iphone"], "iphone5").is_empty());
        assert_eq!(hits(&["rolex"], "rollex"), ["rollex"], "insertion");
        assert!(hits(&["rolex"], "roiex rolx").is_empty(), "five letters");
        assert!(hits(&["puma"], "pumas pumma").is_empty(), "four letters");
        assert!(
            hits(&["wd black"], "wp black").is_empty(),
            "short word of a phrase"
        );
        assert!(
            hits(&["hypervenom"], "hypervenomx").is_empty(),
            "model variant"
        );
    }
}
