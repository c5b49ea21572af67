//! "Did you mean": the names nearest a mistyped one, for messages.
//!
//! Names are compared as terms are ([`normalize_term`]: case, accents and separators do
//! not matter), then by edit distance, then by one containing the other. A brand is also
//! known by its abbreviation (the initials of a name of two words or more: `LV`, `YSL`)
//! and by every term of its rules (`耐克` is Nike's Chinese name, `Air Jordan` a product
//! mark); an exact hit on one of those ranks first.
//!
//! ```
//! use brandscan::suggest::{did_you_mean, similar_brands};
//! use brandscan::Rules;
//! assert_eq!(did_you_mean("Titel", ["sku", "Title", "price"]), ["Title"]);
//! let rules = Rules::parse_csv("l.csv",
//!     "term,brand\nLouis Vuitton,\nValvoline,\nVolvo,\n耐克,Nike\nNike,\n").unwrap();
//! assert_eq!(similar_brands(&rules, "LV")[0].as_ref(), "Louis Vuitton");
//! assert_eq!(similar_brands(&rules, "耐克")[0].as_ref(), "Nike");
//! assert_eq!(similar_brands(&rules, "Nkie")[0].as_ref(), "Nike");
//! ```

use crate::normalize::normalize_term;
use crate::wordlist::{RuleKind, Rules};
use std::sync::Arc;

/// Suggestions given at most.
pub const MAX_SUGGESTIONS: usize = 5;

/// A name as compared: normalized like a term, without spaces.
fn key(s: &str) -> String {
    normalize_term(s).chars().filter(|c| *c != ' ').collect()
}

/// Edits allowed between names of `len` characters: a typo or two, never a rename.
fn max_edits(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// How far `query` is from `name` (both keys), lower is nearer; `None` when unrelated.
fn distance(query: &str, name: &str) -> Option<usize> {
    if query.is_empty() || name.is_empty() {
        return None;
    }
    if query == name {
        return Some(0);
    }
    let len = query.chars().count().min(name.chars().count());
    let d = strsim::osa_distance(query, name);
    if d <= max_edits(len) {
        return Some(1 + d);
    }
    // One name inside the other (`LV` in `Valvoline`): related, but after any typo.
    if len >= 2 && (name.contains(query) || query.contains(name)) {
        let diff = name.chars().count().abs_diff(query.chars().count());
        return Some(10 + diff);
    }
    None
}

/// The names of `candidates` near `query`, nearest first (ties keep their order), at
/// most [`MAX_SUGGESTIONS`], each once.
pub fn did_you_mean<'a, I>(query: &str, candidates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let q = key(query);
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if scored.iter().any(|(_, _, s)| *s == c) {
            continue;
        }
        if let Some(d) = distance(&q, &key(c)) {
            scored.push((d, i, c));
        }
    }
    scored.sort_unstable();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, c)| c)
        .collect()
}

/// The initials of a name of two words or more (`Louis Vuitton` → `lv`), else `None`.
fn initials(name: &str) -> Option<String> {
    let norm = normalize_term(name);
    let firsts: Vec<char> = norm.split(' ').filter_map(|w| w.chars().next()).collect();
    (firsts.len() >= 2).then(|| firsts.into_iter().collect())
}

/// The brands of `rules` a user may have meant by `query`, nearest first, at most
/// [`MAX_SUGGESTIONS`]: an exact abbreviation or term of a brand first, then names a
/// typo away, then names containing the query or contained in it.
pub fn similar_brands(rules: &Rules, query: &str) -> Vec<Arc<str>> {
    let q = key(query);
    // (score, brand); a brand's score is that of its nearest name.
    let mut best: Vec<(usize, Arc<str>)> = Vec::new();
    let mut score = |brand: &Arc<str>, s: usize| match best.iter_mut().find(|(_, b)| b == brand) {
        Some(e) => e.0 = e.0.min(s),
        None => best.push((s, brand.clone())),
    };
    for r in rules.iter().filter(|r| r.kind != RuleKind::Allow) {
        if let Some(d) = distance(&q, &key(&r.brand)) {
            score(&r.brand, d);
        }
        if initials(&r.brand).is_some_and(|i| i == q) {
            score(&r.brand, 0);
        }
        // A term is another name of its brand only as itself; a typo of a product mark
        // is too far from the brand to suggest it.
        if r.kind == RuleKind::Literal && key(&r.term) == q {
            score(&r.brand, 0);
        }
    }
    best.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    best.into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, b)| b)
        .collect()
}

/// ` (did you mean `A`? also similar: `B`, `C`)` to follow a name in a message, or
/// nothing when there is no suggestion.
///
/// ```
/// assert_eq!(brandscan::suggest::hint(&["Title"]), " (did you mean `Title`?)");
/// assert_eq!(brandscan::suggest::hint::<&str>(&[]), "");
/// ```
pub fn hint<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => format!(" (did you mean `{}`?)", one.as_ref()),
        [first, rest @ ..] => format!(
            " (did you mean `{}`? also similar: {})",
            first.as_ref(),
            rest.iter()
                .map(|n| format!("`{}`", n.as_ref()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
