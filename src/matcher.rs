//! The matching engine: one Aho-Corasick automaton over normalized terms, then cheap
//! filters (SPEC §2).
//!
//! A search normalizes the field once ([`crate::normalize`]), runs the automaton in
//! overlapping mode so that every candidate is seen, and then:
//!
//! 1. drops candidates that fail the whole-word boundary check or, for `case=sensitive`
//!    rules, whose original text has another case;
//! 2. drops candidates covered by an allow phrase that itself passed its boundaries;
//! 3. resolves overlaps leftmost-longest among what is left — so a term that failed its
//!    boundary check never hides one that passed;
//! 4. drops authorized brands, maps every span back to the original bytes and classifies
//!    it (`exact` or `normalized`).
//!
//! Regex rules run on the same normalized text and join step 3 as candidates.
//!
//! ```
//! use brandscan::{Matcher, Rules};
//! let rules = Rules::parse_txt("l.txt", "Nike\nAir Jordan\nJordan\n").unwrap();
//! let m = Matcher::new(rules).unwrap();
//! let found = m.find_all("title", "Air Jordan 1 by NIKE");
//! let terms: Vec<&str> = found.iter().map(|f| &*f.term).collect();
//! assert_eq!(terms, ["Air Jordan", "Nike"]);
//! assert_eq!(found[1].matched, "NIKE");
//! ```

use crate::error::{Error, Result};
use crate::finding::{Context, Finding, MatchKind};
use crate::normalize::{case_key, eq_ignore_case, is_boundary, normalize_term, Normalized};
use crate::wordlist::{CaseMode, Rule, RuleKind, Rules};
use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use regex::Regex;
use std::collections::HashMap;
use std::sync::Arc;

/// Upper bound on a compiled regex rule, so a hostile list cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// Compile a regex rule the way the matcher runs it: case-insensitive, on normalized text.
pub fn compile_regex(pattern: &str) -> std::result::Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))
}

fn over_budget(verb: &str, bytes: usize, budget: usize, patterns: &[String]) -> Error {
    Error::usage(format!(
        "the word lists are too big: their automaton {verb} {:.1} MiB ({} patterns, {} bytes of terms), over the memory budget of {:.1} MiB (--max-automaton-mb); split the lists or raise the budget",
        bytes as f64 / f64::from(1 << 20),
        patterns.len(),
        patterns.iter().map(|p| p.len()).sum::<usize>(),
        budget as f64 / f64::from(1 << 20),
    ))
}

/// Options for building a [`Matcher`].
///
/// ```
/// use brandscan::{MatcherBuilder, Rules};
/// let rules = Rules::parse_txt("l.txt", "Nike\nRolex\n").unwrap();
/// let m = MatcherBuilder::new().authorized(["nike"]).build(rules).unwrap();
/// assert_eq!(m.find_all("t", "Nike strap for Rolex").len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MatcherBuilder {
    authorized: Vec<String>,
    max_automaton_bytes: Option<usize>,
}

/// The default of [`MatcherBuilder::max_automaton_bytes`]: 512 MiB.
pub const DEFAULT_MAX_AUTOMATON_BYTES: usize = 512 << 20;

/// Heap bytes the automaton takes per byte of pattern, rounded up from measurements
/// (per byte of normalized term: 24 for the built-in lists, 17 for
/// `benches/data/terms_10k.txt`, 13 for 20,000 generated terms), so that a list far over
/// the budget is refused before it is built; the built automaton is checked again.
const AUTOMATON_BYTES_PER_PATTERN_BYTE: usize = 32;

impl MatcherBuilder {
    /// Default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Brands the seller is authorized for: every finding of theirs is dropped.
    /// Compared after normalization, so case and accents do not matter.
    pub fn authorized<I, S>(mut self, brands: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.authorized
            .extend(brands.into_iter().map(|b| normalize_term(b.as_ref())));
        self
    }

    /// Refuse word lists whose automaton would take more than `bytes` of memory
    /// (default [`DEFAULT_MAX_AUTOMATON_BYTES`]): a list that big is a mistake (a catalog
    /// passed as a word list, a generated list gone wrong), and failing at once with the
    /// reason beats a nightly job killed for memory.
    ///
    /// ```
    /// use brandscan::{MatcherBuilder, Rules};
    /// let terms: String = (0..2000).map(|i| format!("brand{i} product line\n")).collect();
    /// let rules = Rules::parse_txt("big.txt", &terms).unwrap();
    /// let e = MatcherBuilder::new().max_automaton_bytes(64 << 10).build(rules).unwrap_err();
    /// assert!(e.to_string().contains("memory budget"));
    /// ```
    pub fn max_automaton_bytes(mut self, bytes: usize) -> Self {
        self.max_automaton_bytes = Some(bytes);
        self
    }

    /// Compile the rules into a matcher.
    pub fn build(self, rules: Rules) -> Result<Matcher> {
        let mut pattern_ids: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<u32>> = Vec::new();
        let mut regexes = Vec::new();
        let mut case_keys = Vec::with_capacity(rules.len());
        let mut authorized = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            case_keys.push(match rule.case {
                CaseMode::Sensitive => Some(case_key(&rule.term)),
                CaseMode::Insensitive => None,
            });
            authorized.push(
                rule.kind != RuleKind::Allow
                    && self.authorized.contains(&normalize_term(&rule.brand)),
            );
            if rule.kind == RuleKind::Regex {
                let re = compile_regex(&rule.term)
                    .map_err(|e| Error::wordlist(rule.source.clone().in_column("term"), e))?;
                regexes.push((i, re));
                continue;
            }
            let forms = term_forms(&normalize_term(&rule.term));
            for form in forms {
                let id = *pattern_ids.entry(form.clone()).or_insert_with(|| {
                    patterns.push(form);
                    pattern_rules.push(Vec::new());
                    patterns.len() - 1
                });
                if !pattern_rules[id].contains(&(i as u32)) {
                    pattern_rules[id].push(i as u32);
                }
            }
        }
        let budget = self
            .max_automaton_bytes
            .unwrap_or(DEFAULT_MAX_AUTOMATON_BYTES);
        let pattern_bytes: usize = patterns.iter().map(|p| p.len()).sum();
        let estimate = pattern_bytes.saturating_mul(AUTOMATON_BYTES_PER_PATTERN_BYTE);
        if estimate > budget {
            return Err(over_budget("would need about", estimate, budget, &patterns));
        }
        let ac = AhoCorasick::builder()
            .match_kind(AcMatchKind::Standard)
            .build(&patterns)
            .map_err(|e| Error::usage(format!("cannot build the matcher: {e}")))?;
        if ac.memory_usage() > budget {
            return Err(over_budget("needs", ac.memory_usage(), budget, &patterns));
        }
        Ok(Matcher {
            rules,
            ac,
            pattern_rules,
            regexes,
            case_keys,
            authorized,
        })
    }
}

/// A compiled set of rules. Immutable, `Send + Sync`: share one across threads and give
/// each thread its own [`Scratch`].
#[derive(Debug)]
pub struct Matcher {
    rules: Rules,
    ac: AhoCorasick,
    pattern_rules: Vec<Vec<u32>>,
    regexes: Vec<(usize, Regex)>,
    case_keys: Vec<Option<String>>,
    authorized: Vec<bool>,
}

/// Per-thread buffers a search reuses, so the hot loop does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    candidates: Vec<Candidate>,
    allowed: Vec<(usize, usize)>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    rule: usize,
    regex: bool,
}

impl Matcher {
    /// Build with default options.
    pub fn new(rules: Rules) -> Result<Matcher> {
        MatcherBuilder::new().build(rules)
    }

    /// The rules this matcher was built from.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Heap bytes of the literal automaton: what [`MatcherBuilder::max_automaton_bytes`]
    /// bounds.
    pub fn automaton_bytes(&self) -> usize {
        self.ac.memory_usage()
    }

    /// Find every finding in `text`, allocating fresh buffers. Convenient for one-off
    /// calls; scanners use [`Matcher::find_into`].
    pub fn find_all(&self, field: &str, text: &str) -> Vec<Finding> {
        let mut out = Vec::new();
        self.find_into(&Arc::from(field), text, &mut Scratch::new(), &mut out);
        out
    }

    /// Append the findings in `text` (the value of column `field`) to `out`, in position
    /// order.
    pub fn find_into(
        &self,
        field: &Arc<str>,
        text: &str,
        scratch: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        if text.is_empty() {
            return;
        }
        let Scratch {
            norm,
            candidates,
            allowed,
        } = scratch;
        norm.normalize(text);
        candidates.clear();
        allowed.clear();
        let hay = norm.as_str();
        for m in self.ac.find_overlapping_iter(hay) {
            let (s, e) = (m.start(), m.end());
            if !passes_boundaries(hay, s, e) {
                continue;
            }
            for &rule in &self.pattern_rules[m.pattern().as_usize()] {
                let rule = rule as usize;
                let r = self.rules.get(rule);
                if let Some(key) = &self.case_keys[rule] {
                    let (os, oe) = norm.original_span(s, e);
                    if case_key(&text[os..oe]) != *key {
                        continue;
                    }
                }
                if r.kind == RuleKind::Allow {
                    allowed.push((s, e));
                } else {
                    candidates.push(Candidate {
                        start: s,
                        end: e,
                        rule,
                        regex: false,
                    });
                }
            }
        }
        for (rule, re) in &self.regexes {
            for m in re.find_iter(hay) {
                // Whole words for regex rules too: a pattern that ends inside a word
                // (`rolex sub` in `rolex submariner`) is not a finding.
                if m.start() < m.end() && passes_boundaries(hay, m.start(), m.end()) {
                    candidates.push(Candidate {
                        start: m.start(),
                        end: m.end(),
                        rule: *rule,
                        regex: true,
                    });
                }
            }
        }
        if candidates.is_empty() {
            return;
        }
        if !allowed.is_empty() {
            candidates.retain(|c| !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e));
        }
        // Leftmost first, then longest, then strictest rule for the same span.
        candidates.sort_unstable_by(|a, b| {
            a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then_with(|| {
                let (ra, rb) = (self.rules.get(a.rule), self.rules.get(b.rule));
                rb.action.cmp(&ra.action).then(a.rule.cmp(&b.rule))
            })
        });
        let mut last_end = 0;
        for c in candidates.iter() {
            if c.start < last_end {
                continue;
            }
            last_end = c.end;
            if self.authorized[c.rule] {
                continue;
            }
            let (os, oe) = norm.original_span(c.start, c.end);
            let rule = self.rules.get(c.rule);
            let matched = &text[os..oe];
            let match_kind = if c.regex {
                MatchKind::Regex
            } else if eq_ignore_case(matched, &rule.term) {
                MatchKind::Exact
            } else {
                MatchKind::Normalized
            };
            out.push(finding(field, rule, c.rule, os, oe, matched, match_kind));
        }
    }
}

fn finding(
    field: &Arc<str>,
    rule: &Rule,
    index: usize,
    start: usize,
    end: usize,
    matched: &str,
    match_kind: MatchKind,
) -> Finding {
    Finding {
        field: field.clone(),
        start,
        end,
        matched: matched.to_string(),
        term: rule.term.clone(),
        brand: rule.brand.clone(),
        severity: rule.severity,
        action: rule.action,
        match_kind,
        context: Context::None,
        rule: index,
    }
}

/// The normalized forms a term is searched in: as written; without abbreviation dots
/// (`dr. martens` → `dr martens`); and with its words joined (`louisvuitton`).
fn term_forms(norm: &str) -> Vec<String> {
    let mut forms = vec![norm.to_string()];
    if norm.contains(". ") {
        forms.push(norm.replace(". ", " "));
    }
    if norm.contains(' ') {
        let joined: Vec<String> = forms.iter().map(|f| f.replace(' ', "")).collect();
        forms.extend(joined);
    }
    forms.dedup();
    forms
}

#[inline]
fn passes_boundaries(hay: &str, s: usize, e: usize) -> bool {
    let before = hay[..s].chars().next_back();
    let mut inner = hay[s..e].chars();
    let first = inner.next();
    let last = inner.next_back().or(first);
    let after = hay[e..].chars().next();
    is_boundary(before, first) && is_boundary(last, after)
}

#[cfg(test)]
mod tests;
