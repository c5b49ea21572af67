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
use aho_corasick::automaton::Automaton;
use aho_corasick::{nfa, Anchored, MatchKind as AcMatchKind};
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
}

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
        let engine = Engine::build(&patterns)?;
        Ok(Matcher {
            rules,
            engine,
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
    engine: Engine,
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

    /// Heap bytes used by the automaton (for budgets and benchmarks).
    pub fn automaton_memory(&self) -> usize {
        self.engine.memory_usage()
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
        let mut literal = |s: usize, e: usize, pid: usize| {
            if !passes_boundaries(hay, s, e) {
                return;
            }
            for &rule in &self.pattern_rules[pid] {
                let rule = rule as usize;
                if let Some(key) = &self.case_keys[rule] {
                    let (os, oe) = norm.original_span(s, e);
                    if case_key(&text[os..oe]) != *key {
                        continue;
                    }
                }
                if self.rules.get(rule).kind == RuleKind::Allow {
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
        };
        self.engine.for_each_match(hay, &mut literal);
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

/// The automaton, run anchored at each word start.
///
/// A match can only begin where a word begins (SPEC §2 boundaries), so instead of feeding
/// every byte through an unanchored automaton, the search walks the automaton from its
/// anchored start state at each word start until it dies. Most words die after a byte or
/// two, so the work per byte is a class lookup, and the hot states (the trie's top) stay
/// in cache even for 200,000 terms. A contiguous NFA measured faster than a DFA here at
/// every list size (`cargo bench --bench matcher`): the DFA's larger rows miss the cache
/// more than the NFA's extra work per transition costs, and it takes 30× the memory.
#[derive(Debug)]
struct Engine(nfa::contiguous::NFA);

impl Engine {
    fn build(patterns: &[String]) -> Result<Engine> {
        nfa::contiguous::NFA::builder()
            .match_kind(AcMatchKind::Standard)
            .prefilter(false)
            .build(patterns)
            .map(Engine)
            .map_err(|e| Error::usage(format!("cannot build the matcher: {e}")))
    }

    /// Call `f(start, end, pattern)` for every pattern occurrence that starts at a word
    /// start of `hay`.
    #[inline]
    fn for_each_match(&self, hay: &str, f: &mut impl FnMut(usize, usize, usize)) {
        for_each_word_start(hay, |p| walk(&self.0, hay.as_bytes(), p, f));
    }

    /// Heap bytes used by the automaton.
    fn memory_usage(&self) -> usize {
        self.0.memory_usage()
    }
}

/// Walk `a` anchored at `p`, reporting every pattern that starts exactly at `p`.
#[inline]
fn walk<A: Automaton>(a: &A, hay: &[u8], p: usize, f: &mut impl FnMut(usize, usize, usize)) {
    let Ok(mut sid) = a.start_state(Anchored::Yes) else {
        return;
    };
    for (i, &b) in hay[p..].iter().enumerate() {
        sid = a.next_state(Anchored::Yes, sid, b);
        if a.is_special(sid) {
            if a.is_dead(sid) {
                return;
            }
            if a.is_match(sid) {
                let len = i + 1;
                for k in 0..a.match_len(sid) {
                    let pid = a.match_pattern(sid, k);
                    // Match states also carry the patterns of their suffixes, which
                    // start later than `p`: those are found from their own start.
                    if a.pattern_len(pid) == len {
                        f(p, p + len, pid.as_usize());
                    }
                }
            }
        }
    }
}

/// Byte classes for word starts: 0 space, 1 letter, 2 digit, 3 other ASCII, 4 non-ASCII.
static WORD_CLASS: [u8; 256] = {
    let mut t = [4u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b' ' => 0,
            b'a'..=b'z' | b'A'..=b'Z' => 1,
            b'0'..=b'9' => 2,
            _ => 3,
        };
        b += 1;
    }
    t
};

/// Call `f` with every position where a term may start: a boundary before a character
/// that is not a space (normalized terms never start with one).
#[inline]
fn for_each_word_start(hay: &str, mut f: impl FnMut(usize)) {
    let bytes = hay.as_bytes();
    if hay.is_ascii() {
        let mut prev = 0u8;
        for (p, &b) in bytes.iter().enumerate() {
            let c = WORD_CLASS[b as usize];
            if c == 3 || (c != 0 && c != prev) {
                f(p);
            }
            prev = c;
        }
        return;
    }
    let mut prev: Option<char> = None;
    for (p, c) in hay.char_indices() {
        if c != ' ' && is_boundary(prev, Some(c)) {
            f(p);
        }
        prev = Some(c);
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
