//! Brand-shaped words beside counterfeit wording (docs/matching.md#counterfeit-wording).
//!
//! A listing that says `[AAA+] … [Replica]` is selling a copy of *something*: a capitalised
//! word near such wording that no list knows (`CAZAL EYEWEAR 607 - [AAA+] - [Replica]`) is
//! most likely the brand being copied. It is reported with brand `(unknown brand)`, context
//! `counterfeit` and action `review`, so a person can add it to the lists; `wordlist check
//! --catalog` lists the most frequent ones. A capitalised English word counts only where it
//! is one edit away from a known brand term (`Channel Shoulder Bag AAA+` beside `Chanel`),
//! since ordinary words (`Boots`, `Premium`) are what titles are made of.
//!
//! Only fields with a finding of the counterfeit-wording list are looked at, so a matcher
//! without that list (`--no-builtin`) never reports one. Chinese text has no capitals to
//! tell a name by and is left out.
//!
//! ```
//! use brandscan::{Action, Context, Matcher, Rules};
//! let m = Matcher::new(Rules::builtin().unwrap()).unwrap();
//! let found = m.find_all("title", "ZORBLAT EYEWEAR 607 BLACK - [AAA+] - [Replica]");
//! let unknown: Vec<_> = found.iter().filter(|f| &*f.brand == "(unknown brand)").collect();
//! assert_eq!(unknown.len(), 1);
//! assert_eq!((unknown[0].matched.as_str(), unknown[0].action), ("ZORBLAT", Action::Review));
//! assert_eq!(unknown[0].context, Context::Counterfeit);
//! ```

use crate::context::COUNTERFEIT_WORDING;
use crate::dictionary::is_english_word;
use crate::finding::{Action, Context, Finding, MatchKind, Severity};
use crate::normalize::{is_cjk, normalize_term};
use crate::wordlist::{RuleKind, Rules};
use std::collections::HashSet;
use std::sync::Arc;

/// The brand of a brand-shaped word beside counterfeit wording that no list knows.
pub const UNKNOWN_BRAND: &str = "(unknown brand)";

/// How many words away from counterfeit wording a word may stand: a title names the
/// brand a few words before or after `[Replica]`, rarely farther.
const WINDOW: usize = 5;

/// Listing words that are not in the dictionary but name no brand.
const LISTING_WORDS: &[&str] = &[
    "aaa",
    "activewear",
    "bodycon",
    "chrono",
    "chronograph",
    "crossbody",
    "diy",
    "earbuds",
    "eyewear",
    "footwear",
    "hoodie",
    "hoodies",
    "jogger",
    "joggers",
    "lcd",
    "led",
    "leggings",
    "mens",
    "menswear",
    "nubuck",
    "oem",
    "pcs",
    "qty",
    "smartwatch",
    "sneaker",
    "sneakers",
    "sportswear",
    "sunnies",
    "swimwear",
    "tee",
    "tees",
    "tshirt",
    "tshirts",
    "unisex",
    "usb",
    "wifi",
    "womens",
    "womenswear",
];

/// What the detector needs from the loaded rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnknownBrands {
    /// Off when no rule is counterfeit wording.
    on: bool,
    /// Every literal term that is one word, normalized: a known word is no unknown brand.
    known: HashSet<String>,
    /// Single-word brand terms of six letters or more, normalized, for the one-edit test.
    near: Vec<String>,
}

impl UnknownBrands {
    pub(crate) fn new(rules: &Rules) -> UnknownBrands {
        let on = rules
            .iter()
            .any(|r| r.kind == RuleKind::Literal && &*r.brand == COUNTERFEIT_WORDING);
        if !on {
            return UnknownBrands::default();
        }
        let mut known = HashSet::new();
        let mut near = Vec::new();
        for r in rules.iter() {
            let norm = normalize_term(&r.term);
            if r.kind == RuleKind::Regex || norm.contains(' ') {
                continue;
            }
            if r.kind == RuleKind::Literal
                && &*r.brand != COUNTERFEIT_WORDING
                && norm.chars().count() >= 6
                && norm.chars().all(char::is_alphabetic)
            {
                near.push(norm.clone());
            }
            known.insert(norm);
        }
        near.sort();
        near.dedup();
        UnknownBrands { on, known, near }
    }

    /// Add the unknown brands of one field (original text `text`) to its findings
    /// `found[first..]`, keeping them in position order.
    pub(crate) fn apply(&self, text: &str, found: &mut Vec<Finding>, first: usize) {
        if !self.on || found.len() == first {
            return;
        }
        let field = found[first].field.clone();
        let wording: Vec<(usize, usize, usize)> = found[first..]
            .iter()
            .filter(|f| &*f.brand == COUNTERFEIT_WORDING)
            .map(|f| (f.start, f.end, f.rule))
            .collect();
        if wording.is_empty() {
            return;
        }
        let words = words(text);
        // Each wording as the word indexes around it: the words before it end at or
        // before its start, the words after it start at or after its end.
        let spans: Vec<(usize, usize, usize)> = wording
            .iter()
            .map(|&(ws, we, rule)| {
                let before = words.partition_point(|w| w.1 <= ws);
                let after = words.partition_point(|w| w.0 < we);
                (before, after, rule)
            })
            .collect();
        // Each wording names one copied brand: the nearest brand-shaped word, the one
        // before it on a tie (`Cazal replica`).
        let mut added: Vec<Finding> = Vec::new();
        for &(before, after, rule) in &spans {
            let distance = |i: usize| {
                if i < before {
                    Some((before - i - 1) * 2)
                } else if i >= after {
                    Some((i - after) * 2 + 1)
                } else {
                    None
                }
            };
            let best = (0..words.len())
                .filter_map(|i| distance(i).map(|d| (d, i)))
                .filter(|&(d, _)| d / 2 < WINDOW)
                .filter(|&(_, i)| {
                    let (s, e) = words[i];
                    !found[first..].iter().any(|f| f.start < e && s < f.end)
                        && self.is_unknown_brand(&text[s..e])
                })
                .min();
            let Some((_, i)) = best else { continue };
            let (s, e) = words[i];
            if added.iter().any(|f| f.start == s) {
                continue;
            }
            let word = &text[s..e];
            added.push(Finding {
                field: field.clone(),
                start: s,
                end: e,
                matched: word.to_string(),
                term: Arc::from(word),
                brand: Arc::from(UNKNOWN_BRAND),
                severity: Severity::Serious,
                action: Action::Review,
                match_kind: MatchKind::Exact,
                context: Context::Counterfeit,
                rule,
                confidence: None,
            });
        }
        if !added.is_empty() {
            found.extend(added);
            found[first..].sort_by_key(|f| (f.start, f.end));
        }
    }

    fn is_unknown_brand(&self, word: &str) -> bool {
        let mut chars = word.chars();
        let Some(head) = chars.next() else {
            return false;
        };
        let letters = word.chars().count();
        if !head.is_uppercase() || letters < 3 {
            return false;
        }
        // Short words in capitals are mostly abbreviations (`HDD`, `SATA`, `GPS`).
        if letters < 5 && chars.all(char::is_uppercase) {
            return false;
        }
        let norm = normalize_term(word);
        if self.known.contains(&norm) || LISTING_WORDS.contains(&norm.as_str()) {
            return false;
        }
        let plural_of_a_word = ["s", "es"]
            .iter()
            .any(|end| norm.strip_suffix(end).is_some_and(is_english_word));
        if !is_english_word(word) && !plural_of_a_word {
            return true;
        }
        // An ordinary word counts only as a near miss of a brand (`Channel` for Chanel).
        norm.chars().count() >= 6 && self.near.iter().any(|b| one_edit(&norm, b))
    }
}

/// The words of `text` that could be a name: runs of letters (not Chinese) that no digit
/// touches (`UV400`, `A4A` are model codes), outside HTML tags, as byte ranges.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut glued = false;
    let mut in_tag = false;
    let mut prev: Option<char> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if in_tag {
            in_tag = c != '>';
            prev = Some(c);
            continue;
        }
        let letter = c.is_alphabetic() && !is_cjk(c);
        match (start, letter) {
            (None, true) => {
                start = Some(i);
                glued = prev.is_some_and(|p| p.is_numeric());
            }
            (Some(s), false) => {
                if !glued && !c.is_numeric() {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
        if c == '<' && text[i + 1..].starts_with(|n: char| n.is_ascii_alphabetic() || n == '/') {
            in_tag = true;
        }
        prev = Some(c);
    }
    out
}

/// `a` and `b` are one insertion, deletion or substitution apart.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => short.iter().zip(&long).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let p = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
            short[p..] == long[p + 1..]
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(text: &str) -> Vec<String> {
        let rules = Rules::parse_csv(
            "l.csv",
            "term,brand\nChanel,Chanel\nreplica,(counterfeit wording)\nAAA+,(counterfeit wording)\n",
        )
        .unwrap();
        crate::Matcher::new(rules)
            .unwrap()
            .find_all("title", text)
            .into_iter()
            .filter(|f| &*f.brand == UNKNOWN_BRAND)
            .map(|f| f.matched)
            .collect()
    }

    #[test]
    fn brand_shaped_words_beside_counterfeit_wording() {
        assert_eq!(
            unknown("KORVEX - BOOTS PREMIUM - [AAA+] - Nubuck - FREE SHIPPING - [Replica]"),
            ["KORVEX"]
        );
        // An English word that is no near miss of a brand is no name.
        assert!(unknown("TIMBERLAND BOOTS [AAA+]").is_empty());
        assert_eq!(
            unknown("CAZAL EYEWEAR 607 BLACK - [AAA+] - [Replica]"),
            ["CAZAL"]
        );
        assert_eq!(unknown("Channel Shoulder Bag AAA+ grade"), ["Channel"]);
        assert_eq!(
            unknown("Chanel Shoulder Bag AAA+ grade"),
            Vec::<String>::new()
        );
        // No counterfeit wording, lower case, model codes, far away, HTML tags.
        assert!(unknown("CAZAL EYEWEAR 607 BLACK").is_empty());
        assert!(unknown("replica of a cazal frame").is_empty());
        assert!(unknown("Replica UV400 A4A frame").is_empty());
        assert!(unknown("Cazal one two three four five six seven eight nine replica").is_empty());
        assert!(unknown("<Span class=\"Zorblat\">Replica</Span> frame").is_empty());
    }

    #[test]
    fn one_edit_apart() {
        assert!(one_edit("channel", "chanel"));
        assert!(one_edit("chanel", "chanet"));
        assert!(!one_edit("chanel", "chanel"));
        assert!(!one_edit("channels", "chanel"));
    }
}
