//! Word-list lint for `brandscan wordlist check` (docs/commands.md#wordlist), beyond the parse errors,
//! duplicates and conflicts [`crate::Rules`] already records:
//!
//! * **dead rules** — a literal that never finds its own text (an allow phrase covers
//!   it), an allow phrase that covers no term, a regex whose literal text the normalizer
//!   never produces (`Hermès`, `louis-vuitton`: the field is searched lowercased, accents
//!   dropped, separators as spaces);
//! * **dictionary words** — a case-insensitive term that is a common English word
//!   (`Shell`, `Coach`) with no allow phrase of its brand: every `shell case` would be
//!   flagged. A phrase made only of common words, one of them a function word
//!   (`On Running`, `Spirit of Ecstasy`), is reported as such;
//! * **noisy terms on a catalog** — [`TermActivity`]: which terms fire most on a sample
//!   of the user's own listings, so a noisy term shows up before the nightly run does.
//!
//! ```
//! use brandscan::lint::{lint, LintKind};
//! use brandscan::Rules;
//! let rules = Rules::parse_csv("l.csv", "term,kind\nShell,literal\nRolex,literal\nRolex,allow\n").unwrap();
//! let kinds: Vec<LintKind> = lint(&rules).into_iter().map(|l| l.kind).collect();
//! assert_eq!(kinds, [LintKind::DictionaryWord, LintKind::Dead]);
//! ```

use crate::dictionary::is_english_word;
use crate::error::Location;
use crate::finding::Finding;
use crate::matcher::{Matcher, MatcherBuilder};
use crate::normalize::normalize_term;
use crate::wordlist::{CaseMode, RuleKind, Rules};
use regex_syntax::hir::{Hir, HirKind};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What a lint says about a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LintKind {
    /// The rule can never produce or suppress a finding.
    Dead,
    /// A case-insensitive common English word without an allow phrase.
    DictionaryWord,
    /// A phrase made only of common English words.
    CommonPhrase,
}

impl LintKind {
    /// The word `wordlist check` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            LintKind::Dead => "dead",
            LintKind::DictionaryWord => "dictionary",
            LintKind::CommonPhrase => "common phrase",
        }
    }
}

/// One lint message about one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// What kind of problem.
    pub kind: LintKind,
    /// Where the rule is defined.
    pub location: Location,
    /// The rule's term.
    pub term: String,
    /// The problem and the way out, in words.
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: `{}` {}",
            self.kind.as_str(),
            self.location,
            self.term,
            self.message
        )
    }
}

/// Short words that make a phrase of common words likely to occur in ordinary text.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "off", "on", "or", "out",
    "over", "the", "to", "up", "with",
];

/// Lint `rules`, in rule order.
pub fn lint(rules: &Rules) -> Vec<Lint> {
    let mut out = Vec::new();
    let Ok(full) = Matcher::new(rules.clone()) else {
        return out;
    };
    // The terms, in any case: an allow phrase written `shell case` covers `Shell Case`.
    let mut terms_only = Rules::new();
    for r in rules.iter().filter(|r| r.kind == RuleKind::Literal) {
        let mut r = r.clone();
        r.case = CaseMode::Insensitive;
        terms_only.push(r);
    }
    let terms_only = MatcherBuilder::new().evasion(false).build(terms_only).ok();
    // Normalized allow phrases per brand, to tell whether a common word is handled.
    let mut allows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rules.iter().filter(|r| r.kind == RuleKind::Allow) {
        allows
            .entry(r.brand.to_lowercase())
            .or_default()
            .push(normalize_term(&r.term));
    }
    for (i, r) in rules.iter().enumerate() {
        let mut push = |kind, message: String| {
            out.push(Lint {
                kind,
                location: r.source.clone(),
                term: r.term.to_string(),
                message,
            })
        };
        match r.kind {
            RuleKind::Literal => {
                if !full.find_all("term", &r.term).iter().any(|f| f.rule == i) {
                    let why = rules
                        .iter()
                        .find(|a| {
                            a.kind == RuleKind::Allow
                                && normalize_term(&a.term).contains(&normalize_term(&r.term))
                        })
                        .map_or("never matches its own text".to_string(), |a| {
                            format!(
                                "is always covered by allow phrase `{}` ({})",
                                a.term, a.source
                            )
                        });
                    push(LintKind::Dead, why);
                    continue;
                }
                if r.case == CaseMode::Sensitive {
                    continue;
                }
                let norm = normalize_term(&r.term);
                let words: Vec<&str> = norm.split(' ').collect();
                if !words.iter().all(|w| is_english_word(w)) {
                    continue;
                }
                let handled = allows
                    .get(&r.brand.to_lowercase())
                    .is_some_and(|a| a.iter().any(|p| p.contains(&norm)));
                if handled {
                    continue;
                }
                // Phrases of content words (`Range Rover`) rarely occur by accident;
                // a function word makes ordinary text likely (`slip on running`).
                let function_word = words.iter().any(|w| FUNCTION_WORDS.contains(w));
                if words.len() > 1 && !function_word {
                    continue;
                }
                if words.len() == 1 {
                    push(
                        LintKind::DictionaryWord,
                        "is a common English word: add case=sensitive, or allow phrases for its common uses"
                            .into(),
                    );
                } else {
                    push(
                        LintKind::CommonPhrase,
                        "is made of common English words, one a function word, and can occur in ordinary text (`slip on running`): consider case=sensitive or allow phrases"
                            .into(),
                    );
                }
            }
            RuleKind::Allow => {
                let covers = terms_only
                    .as_ref()
                    .is_some_and(|m| !m.find_all("term", &r.term).is_empty());
                if !covers {
                    push(
                        LintKind::Dead,
                        "is an allow phrase that covers no term of these lists".into(),
                    );
                }
            }
            RuleKind::Regex => {
                if let Some(lit) = dead_regex_literal(&r.term) {
                    push(
                        LintKind::Dead,
                        format!(
                            "needs `{lit}`, which a normalized field never contains (fields are matched lowercased, accents dropped, `-_/.` as spaces)"
                        ),
                    );
                }
            }
        }
    }
    out
}

/// A literal piece of `pattern` that every match needs and that normalized text never
/// contains, if there is one.
fn dead_regex_literal(pattern: &str) -> Option<String> {
    // Parsed as written: case-insensitive parsing would turn letters into classes.
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    dead_in(&hir)
}

fn dead_in(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let text = String::from_utf8_lossy(&lit.0).into_owned();
            let ok = text.chars().all(|c| {
                let s = c.to_string();
                let mut n = crate::normalize::Normalized::default();
                n.normalize(&s);
                n.as_str() == s.to_lowercase() || c == ' '
            });
            (!ok).then_some(text)
        }
        HirKind::Concat(parts) => parts.iter().find_map(dead_in),
        // An alternation is dead only when every branch is.
        HirKind::Alternation(branches) => {
            let dead: Vec<String> = branches.iter().filter_map(dead_in).collect();
            (dead.len() == branches.len()).then(|| dead.join("|"))
        }
        HirKind::Capture(c) => dead_in(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => dead_in(&r.sub),
        _ => None,
    }
}

/// How often one term fired on a catalog sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCount {
    /// The rule's term.
    pub term: String,
    /// The rule's brand.
    pub brand: String,
    /// Findings.
    pub findings: u64,
    /// Listings with at least one finding of the term.
    pub listings: u64,
    /// A few distinct matched texts.
    pub examples: BTreeSet<String>,
}

/// Per-term counts over a sample of listings: feed each listing's findings to
/// [`TermActivity::add_listing`], then read [`TermActivity::top`].
///
/// ```
/// use brandscan::lint::TermActivity;
/// use brandscan::{Matcher, Rules};
/// let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\nRolex\n").unwrap()).unwrap();
/// let mut a = TermActivity::default();
/// for title in ["Nike shoe", "nike sock, NIKE cap", "Rolex strap"] {
///     a.add_listing(&m.find_all("title", title));
/// }
/// let top = a.top(1);
/// assert_eq!((top[0].term.as_str(), top[0].listings, top[0].findings), ("Nike", 2, 3));
/// assert_eq!(a.listings(), 3);
/// ```
#[derive(Debug, Clone, Default)]
pub struct TermActivity {
    listings: u64,
    terms: BTreeMap<usize, TermCount>,
    unknown: BTreeMap<String, TermCount>,
}

impl TermActivity {
    /// Count one listing's findings.
    pub fn add_listing(&mut self, findings: &[Finding]) {
        self.listings += 1;
        let mut seen = BTreeSet::new();
        let mut seen_unknown = BTreeSet::new();
        for f in findings {
            if &*f.brand == crate::unknown::UNKNOWN_BRAND {
                let key = normalize_term(&f.matched);
                let t = self
                    .unknown
                    .entry(key.clone())
                    .or_insert_with(|| TermCount {
                        term: f.matched.clone(),
                        brand: f.brand.to_string(),
                        findings: 0,
                        listings: 0,
                        examples: BTreeSet::new(),
                    });
                t.findings += 1;
                if seen_unknown.insert(key) {
                    t.listings += 1;
                }
                if t.examples.len() < 3 {
                    t.examples.insert(f.matched.clone());
                }
                continue;
            }
            let t = self.terms.entry(f.rule).or_insert_with(|| TermCount {
                term: f.term.to_string(),
                brand: f.brand.to_string(),
                findings: 0,
                listings: 0,
                examples: BTreeSet::new(),
            });
            t.findings += 1;
            if seen.insert(f.rule) {
                t.listings += 1;
            }
            if t.examples.len() < 3 {
                t.examples.insert(f.matched.clone());
            }
        }
    }

    /// Listings counted.
    pub fn listings(&self) -> u64 {
        self.listings
    }

    /// The `n` terms on the most listings, most first.
    pub fn top(&self, n: usize) -> Vec<&TermCount> {
        most_listings(self.terms.values(), n)
    }

    /// The `n` brand-shaped words beside counterfeit wording that no list knows
    /// ([`crate::unknown`]) on the most listings, most first: candidates for the lists.
    ///
    /// ```
    /// use brandscan::lint::TermActivity;
    /// use brandscan::{Matcher, Rules};
    /// let m = Matcher::new(Rules::builtin().unwrap()).unwrap();
    /// let mut a = TermActivity::default();
    /// for title in ["Zorblat bag [Replica]", "ZORBLAT belt AAA+", "Zorblat tote"] {
    ///     a.add_listing(&m.find_all("title", title));
    /// }
    /// let words = a.unknown_brands(5);
    /// assert_eq!((words[0].term.as_str(), words[0].listings), ("Zorblat", 2));
    /// ```
    pub fn unknown_brands(&self, n: usize) -> Vec<&TermCount> {
        most_listings(self.unknown.values(), n)
    }
}

/// The `n` counts on the most listings, then the most findings, then by term.
fn most_listings<'a>(counts: impl Iterator<Item = &'a TermCount>, n: usize) -> Vec<&'a TermCount> {
    let mut v: Vec<&TermCount> = counts.collect();
    v.sort_by(|a, b| {
        b.listings
            .cmp(&a.listings)
            .then(b.findings.cmp(&a.findings))
            .then(a.term.cmp(&b.term))
    });
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(csv: &str) -> Vec<(LintKind, String)> {
        lint(&Rules::parse_csv("l.csv", csv).unwrap())
            .into_iter()
            .map(|l| (l.kind, l.term))
            .collect()
    }

    #[test]
    fn dead_rules() {
        let got = kinds("term,kind\nJordan,literal\njordan,allow\nred apple,allow\n");
        assert_eq!(
            got,
            [
                (LintKind::Dead, "Jordan".to_string()),
                (LintKind::Dead, "red apple".to_string())
            ]
        );
        let got = kinds(
            "term,kind\nHermès.*bag,regex\nlouis-vuitton,regex\nr[o0]lex,regex\n(a|é)x,regex\n",
        );
        let dead: Vec<&str> = got.iter().map(|g| g.1.as_str()).collect();
        assert_eq!(dead, ["Hermès.*bag", "louis-vuitton"]);
    }

    #[test]
    fn dictionary_words_unless_handled() {
        let got = kinds(
            "term,brand,kind,case\nShell,Shell,literal,insensitive\nCoach,Coach,literal,sensitive\n\
             Gap,Gap,literal,insensitive\ngap year,Gap,allow,\nOn Running,On,literal,\nRolex,Rolex,literal,\n",
        );
        assert_eq!(
            got,
            [
                (LintKind::DictionaryWord, "Shell".to_string()),
                (LintKind::CommonPhrase, "On Running".to_string())
            ]
        );
    }

    #[test]
    fn messages_name_file_and_line() {
        let l = &lint(&Rules::parse_csv("l.csv", "term\nRolex\nShell\n").unwrap())[0];
        assert_eq!(
            l.to_string().split(": ").take(2).collect::<Vec<_>>(),
            ["dictionary", "l.csv:3"]
        );
    }
}
