//! The matching engine: one automaton over normalized terms (a trie, walked from word
//! starts), then cheap filters (docs/matching.md#matching).
//!
//! An ASCII field is first read raw: if no term can start at any of its words and it
//! shows no sign of an evasion, it has no finding and is never normalized. Otherwise a
//! search normalizes the field once ([`crate::normalize`]), walks the automaton from
//! every word start so that every candidate is seen, and then:
//!
//! 1. drops candidates that fail the whole-word boundary check or, for `case=sensitive`
//!    rules, whose original text has another case;
//! 2. drops candidates covered by an allow phrase that itself passed its boundaries;
//! 3. resolves overlaps leftmost-longest among what is left — so a term that failed its
//!    boundary check never hides one that passed;
//! 4. drops authorized brands, maps every span back to the original bytes and classifies
//!    it (`exact` or `normalized`).
//!
//! Regex rules run on the same normalized text and join step 3 as candidates, and so do
//! the two optional readings: the obfuscation view ([`crate::obfuscate`], on by default,
//! match_kind `obfuscated`) and fuzzy matching ([`crate::fuzzy`], off by default). At the
//! same span the plain reading wins, so a view never re-reports what the plain text said.
//! HTML fields are read as the text a shopper sees first ([`crate::html`]); every
//! finding gets its context ([`crate::context`]).
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

use crate::context::ContextRules;
use crate::error::{Error, Result};
use crate::finding::{Action, Context, Finding, MatchKind, Severity};
use crate::fuzzy::FuzzyIndex;
use crate::html::{is_html, HtmlText};
use crate::normalize::{
    ascii_normal_byte, case_key, classes_part, eq_ignore_case, is_boundary, normalize_term,
    word_class, Normalized,
};
use crate::obfuscate::{
    ascii_sign_at, ascii_stretched, first_sign, is_styled, latin_field, might_be_obfuscated,
    sign_scan, skeleton_term, ObfuscationView,
};
use crate::support::Support;
use crate::wordlist::{compile_regex, CaseMode, Rule, RuleKind, Rules};
use foldhash::{HashMap, HashSet};
use regex::Regex;
use std::sync::Arc;
use trie::{Trie, DEAD};

fn over_budget(verb: &str, bytes: usize, budget: usize, patterns: &[String]) -> Error {
    Error::too_big(format!(
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
#[derive(Debug, Clone)]
pub struct MatcherBuilder {
    authorized: Vec<String>,
    evasion: bool,
    fuzzy: bool,
    compatible_action: Option<Action>,
    max_automaton_bytes: Option<usize>,
}

impl Default for MatcherBuilder {
    fn default() -> Self {
        MatcherBuilder {
            authorized: Vec::new(),
            evasion: true,
            fuzzy: false,
            compatible_action: None,
            max_automaton_bytes: None,
        }
    }
}

/// The default of [`MatcherBuilder::max_automaton_bytes`]: 512 MiB.
pub const DEFAULT_MAX_AUTOMATON_BYTES: usize = 512 << 20;

/// Heap bytes the automaton and its filters take per byte of pattern, rounded up from
/// measurements (per byte of normalized term: 15.5 for the built-in lists, where the
/// fixed 192 KiB of filters weigh most, 8.8 for `benches/data/terms_10k.txt`, 6.2 for
/// 200,000 terms), so that a list far over the budget is refused before it is built;
/// the built automaton is checked again.
const AUTOMATON_BYTES_PER_PATTERN_BYTE: usize = 16;

/// The most characters of terms whose automaton can fit in `budget` bytes: lists with
/// more are refused before they are loaded ([`crate::Rules::size_of_file`]). A term's
/// normalized forms take at least a byte per character, so this never refuses lists
/// that would fit.
///
/// ```
/// assert_eq!(brandscan::matcher::max_term_chars(16 << 20), 1 << 20);
/// ```
pub fn max_term_chars(budget: usize) -> usize {
    budget / AUTOMATON_BYTES_PER_PATTERN_BYTE
}

impl MatcherBuilder {
    /// Default options: evasion detection on, fuzzy matching off.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read every field a second time through the obfuscation view (look-alikes, digit
    /// substitutions, spaced and stretched letters, zero-width characters) and report
    /// what only it finds as `obfuscated`. On by default; the view is built only for
    /// fields that hold something it would change, so ordinary text costs one byte scan.
    pub fn evasion(mut self, on: bool) -> Self {
        self.evasion = on;
        self
    }

    /// Also report terms of six letters or more written with one edit (`Addidas`), as
    /// `fuzzy` with action `review`. Off by default: it costs a dictionary lookup per
    /// word and finds words a person should look at, not words to remove.
    pub fn fuzzy(mut self, on: bool) -> Self {
        self.fuzzy = on;
        self
    }

    /// The action of findings in compatible-use context (`Strap for Rolex`); `None`
    /// keeps each rule's own action.
    pub fn compatible_action(mut self, action: Option<Action>) -> Self {
        self.compatible_action = action;
        self
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
        let mut pattern_ids: HashMap<String, usize> = HashMap::default();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_rules: Vec<Vec<u32>> = Vec::new();
        let mut regexes = Vec::new();
        let mut ob_ids: HashMap<String, usize> = HashMap::default();
        let mut ob_patterns: Vec<String> = Vec::new();
        let mut ob_rules: Vec<Vec<u32>> = Vec::new();
        let mut fuzzy = FuzzyIndex::default();
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
            if self.evasion {
                for form in forms.iter().filter_map(|f| skeleton_term(f)) {
                    let id = *ob_ids.entry(form.clone()).or_insert_with(|| {
                        ob_patterns.push(form);
                        ob_rules.push(Vec::new());
                        ob_patterns.len() - 1
                    });
                    if !ob_rules[id].contains(&(i as u32)) {
                        ob_rules[id].push(i as u32);
                    }
                }
            }
            if self.fuzzy && rule.kind == RuleKind::Literal && rule.case == CaseMode::Insensitive {
                for form in &forms {
                    fuzzy.add(form, i);
                }
            }
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
        // The two automata are independent: build them side by side (a 200,000-term list
        // spends most of its start-up here).
        let (engine, obfuscation) = rayon::join(
            || Engine::build(&patterns),
            || -> Result<Option<ObIndex>> {
                if ob_patterns.is_empty() {
                    return Ok(None);
                }
                Ok(Some(ObIndex {
                    trie: Trie::build(&ob_patterns)?,
                    max_len: ob_patterns.iter().map(String::len).max().unwrap_or(0),
                    runs: ob_patterns
                        .iter()
                        .flat_map(|p| runs(p))
                        .map(Box::from)
                        .collect(),
                    rules: ob_rules,
                }))
            },
        );
        let (engine, obfuscation) = (engine?, obfuscation?);
        if engine.memory_usage() > budget {
            return Err(over_budget(
                "needs",
                engine.memory_usage(),
                budget,
                &patterns,
            ));
        }
        let quick = regexes.is_empty() && fuzzy.is_empty();
        Ok(Matcher {
            support: Support::new(&rules),
            rules,
            engine,
            pattern_rules,
            regexes,
            case_keys,
            authorized,
            obfuscation,
            quick,
            view_gate: true,
            fuzzy: (!fuzzy.is_empty()).then_some(fuzzy),
            context: ContextRules::new(),
            compatible_action: self.compatible_action,
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
    obfuscation: Option<ObIndex>,
    fuzzy: Option<FuzzyIndex>,
    context: ContextRules,
    compatible_action: Option<Action>,
    /// The `with` column's requirements, applied to each field's findings together.
    support: Support,
    /// ASCII fields may be ruled out before normalizing ([`Engine::ascii_quick`]): only
    /// literal terms and the obfuscation view can match, no regex or fuzzy rule.
    quick: bool,
    /// Texts build the whole obfuscation view only when an evasion in them could
    /// belong to a term ([`view_may_find`]). Always on; a field so tests can
    /// compare with the ungated reading.
    view_gate: bool,
}

/// Whether the obfuscation view of `norm` (the normalization of `src`) may hold a
/// finding: each evasion sign is read through the view of the few words around it, and
/// the runs around its evasions are looked up among the patterns' runs. A long
/// description whose only sign is a model number (`ipx7`) or a phrase in Greek is
/// settled without its whole view.
///
/// The view is local but for one bit, [`latin_field`], which is taken from the whole
/// text: words are rewritten one by one, only one-letter words are joined and repeated
/// letters are squeezed within words, so between two safe cuts
/// ([`safe_cut_at_or_after`]) it is that part of the whole text's view, and the
/// trigger, which starts afresh at a safe cut, finds every sign in it.
fn view_may_find(ob: &ObIndex, norm: &Normalized, src: &str, view: &mut ObfuscationView) -> bool {
    let hay = norm.as_str();
    let b = hay.as_bytes();
    let mut latin = None;
    let mut s = 0;
    while s < b.len() {
        // The pre-test of `first_sign` reads the whole rest: once is enough.
        let sign = if s == 0 {
            first_sign(hay)
        } else {
            sign_scan(&hay[s..])
        };
        let Some(p) = sign else {
            return false;
        };
        // The sign is decided inside its word or just after it.
        let p = s + p;
        let a = safe_cut_at_or_before(b, p.saturating_sub(2));
        let z = safe_cut_at_or_after(b, p + 1);
        let latin = *latin.get_or_insert_with(|| latin_field(hay));
        view.build_part_from(norm, src, a..z, latin);
        if view.evidence_could_match(|run| ob.runs.contains(run)) {
            return true;
        }
        s = z.max(p + 1);
    }
    false
}

/// The first safe cut of normalized text `b` at or after `i` (or its end): a space
/// between two ASCII words of two characters or more.
fn safe_cut_at_or_after(b: &[u8], i: usize) -> usize {
    (i..b.len()).find(|&p| is_safe_cut(b, p)).unwrap_or(b.len())
}

/// The last safe cut at or before `i` (or the start).
fn safe_cut_at_or_before(b: &[u8], i: usize) -> usize {
    (0..=i.min(b.len()))
        .rev()
        .find(|&p| p < b.len() && is_safe_cut(b, p))
        .unwrap_or(0)
}

fn is_safe_cut(b: &[u8], p: usize) -> bool {
    let alnum = |k: Option<usize>| {
        k.and_then(|k| b.get(k))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    b[p] == b' '
        && alnum(p.checked_sub(1))
        && alnum(p.checked_sub(2))
        && alnum(Some(p + 1))
        && alnum(Some(p + 2))
}

/// The automaton over term skeletons ([`crate::obfuscate::skeleton_term`]).
#[derive(Debug)]
struct ObIndex {
    trie: Trie,
    /// Pattern → rules.
    rules: Vec<Vec<u32>>,
    /// The longest pattern, in bytes: how far from an evasion a match can start.
    max_len: usize,
    /// Every run of letters or of digits of the patterns
    /// ([`ObfuscationView::evidence_could_match`]).
    runs: HashSet<Box<str>>,
}

/// The runs of letters or of digits of `s`, as word boundaries cut it (docs/matching.md#whole-words).
fn runs(s: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        if is_boundary(prev, Some(c)) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    out.push(&s[start..]);
    out.into_iter()
        .filter(|r| r.chars().all(|c| c.is_alphabetic() || c.is_numeric()) && !r.is_empty())
}

/// How many bytes of the evasion view are walked between two looks at the cancel flag.
const CANCEL_EVERY: usize = 4 << 10;

/// Per-thread buffers a search reuses, so the hot loop does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    candidates: Vec<Candidate>,
    allowed: Vec<(usize, usize)>,
    html: HtmlText,
    view: ObfuscationView,
    windows: Vec<(usize, usize)>,
    fuzzy: Vec<crate::fuzzy::Hit>,
    cancel: Option<crate::Cancel>,
}

impl Scratch {
    /// Empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Buffers for searches that stop early once `cancel` is set (see [`crate::cancel`]).
    pub fn with_cancel(mut self, cancel: crate::Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// True when this scratch carries a cancel flag that has been set.
    #[inline]
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(crate::Cancel::is_cancelled)
    }
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    rule: usize,
    /// How it was found; at the same span the plain reading wins.
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum How {
    Plain,
    Regex,
    Obfuscated,
    Fuzzy,
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

    /// Heap bytes of the literal automaton and its filter: what
    /// [`MatcherBuilder::max_automaton_bytes`] bounds.
    pub fn automaton_bytes(&self) -> usize {
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
            html,
            view,
            windows,
            fuzzy,
            cancel,
        } = scratch;
        // A cancelled search returns between passes (and inside the evasion walk);
        // the caller discards what it found.
        let stop = || cancel.as_ref().is_some_and(crate::Cancel::is_cancelled);
        if stop() {
            return;
        }
        // HTML is read as the text a shopper sees; `src` is what the normalizer reads.
        let in_html = is_html(field, text);
        let src = if in_html {
            html.build(text);
            html.as_str()
        } else {
            text
        };
        // Plain matches need the normalized text only where a pattern may occur, and
        // the obfuscation view only where an evasion sign is; in ASCII text both are
        // ruled out straight from the bytes for most fields.
        let mut plain = true;
        if self.quick && src.is_ascii() {
            let q = self.engine.ascii_quick(src.as_bytes());
            if !q.hit {
                let maybe_evasion = self.obfuscation.is_some()
                    && (q.evasion_sign || ascii_stretched(src.as_bytes()));
                if !maybe_evasion {
                    return;
                }
                plain = false;
            }
        }
        norm.normalize(src);
        if stop() {
            return;
        }
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
                    if case_key(&src[os..oe]) != *key {
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
                        how: How::Plain,
                    });
                }
            }
        };
        if plain {
            self.engine.for_each_match(hay, &mut literal);
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
                        how: How::Regex,
                    });
                }
            }
        }
        if stop() {
            return;
        }
        if let Some(ob) = &self.obfuscation {
            let read = if self.view_gate {
                view_may_find(ob, norm, src, view)
            } else {
                might_be_obfuscated(hay)
            };
            if read {
                view.build_from(norm, src);
                if stop() {
                    return;
                }
                view.evidence_windows(ob.max_len, windows);
                self.obfuscated_candidates(
                    ob, view, windows, norm, src, candidates, allowed, &stop,
                );
                if stop() {
                    return;
                }
            }
        }
        if let Some(index) = &self.fuzzy {
            fuzzy.clear();
            index.find(hay, fuzzy);
            for h in fuzzy.iter() {
                candidates.push(Candidate {
                    start: h.start,
                    end: h.end,
                    rule: h.rule,
                    how: How::Fuzzy,
                });
            }
        }
        if candidates.is_empty() {
            return;
        }
        if !allowed.is_empty() {
            candidates.retain(|c| !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e));
        }
        // Leftmost first, then longest, then the plain reading, then the strictest rule.
        candidates.sort_unstable_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.how.rank().cmp(&b.how.rank()))
                .then_with(|| {
                    let (ra, rb) = (self.rules.get(a.rule), self.rules.get(b.rule));
                    rb.action.cmp(&ra.action).then(a.rule.cmp(&b.rule))
                })
        });
        let first = out.len();
        let mut last_end = 0;
        let mut counterfeit_field = None;
        for c in candidates.iter() {
            if c.start < last_end {
                continue;
            }
            last_end = c.end;
            if self.authorized[c.rule] {
                continue;
            }
            let (ss, se) = norm.original_span(c.start, c.end);
            let (os, oe) = if in_html {
                html.original_span(ss, se)
            } else {
                (ss, se)
            };
            let rule = self.rules.get(c.rule);
            let matched = &text[os..oe];
            let match_kind = match c.how {
                How::Regex => MatchKind::Regex,
                How::Obfuscated => MatchKind::Obfuscated,
                How::Fuzzy => MatchKind::Fuzzy,
                How::Plain if src[ss..se].chars().any(is_styled) => MatchKind::Obfuscated,
                How::Plain if eq_ignore_case(matched, &rule.term) => MatchKind::Exact,
                How::Plain => MatchKind::Normalized,
            };
            let mut f = finding(field, rule, c.rule, os, oe, matched, match_kind);
            f.context = self
                .context
                .classify(hay, c.start, c.end, &mut counterfeit_field);
            match f.context {
                Context::Counterfeit => {
                    f.severity = Severity::Serious;
                    f.action = Action::Remove;
                }
                Context::Compatible => f.action = self.compatible_action.unwrap_or(f.action),
                Context::None => {}
            }
            if c.how == How::Fuzzy {
                // A fuzzy match is a guess: a person decides.
                f.action = f.action.min(Action::Review);
            }
            out.push(f);
        }
        self.support.apply(text, hay, out, first);
    }

    /// Candidates from the obfuscation view, in normalized coordinates: only where the
    /// view's span really used an evasion, and never where the plain text would not
    /// pass a `case=sensitive` rule's case.
    #[allow(clippy::too_many_arguments)]
    fn obfuscated_candidates(
        &self,
        ob: &ObIndex,
        view: &ObfuscationView,
        windows: &[(usize, usize)],
        norm: &Normalized,
        src: &str,
        candidates: &mut Vec<Candidate>,
        allowed: &mut Vec<(usize, usize)>,
        stop: &dyn Fn() -> bool,
    ) {
        let vt = view.as_str();
        // Every occurrence in a window: walks from each of its characters.
        let mut matches = Vec::new();
        let mut next_check = 0;
        for &(ws, we) in windows {
            let w = &vt.as_bytes()[..we];
            for (p, _) in vt[ws..we].char_indices() {
                if ws + p >= next_check {
                    if stop() {
                        return;
                    }
                    next_check = ws + p + CANCEL_EVERY;
                }
                ob.trie
                    .walk(w, ws + p, |e, pattern| matches.push((ws + p, e, pattern)));
            }
        }
        for (s, e, pattern) in matches {
            if !view.passes_boundaries(s, e) || !view.evidence(s, e) {
                continue;
            }
            let (ns, ne) = view.normalized_span(s, e);
            for &rule in &ob.rules[pattern] {
                let rule = rule as usize;
                let r = self.rules.get(rule);
                if self.case_keys[rule].is_some() {
                    let (os, oe) = norm.original_span(ns, ne);
                    if !case_shape_matches(&src[os..oe], &r.term) {
                        continue;
                    }
                }
                if r.kind == RuleKind::Allow {
                    allowed.push((ns, ne));
                } else if r.kind == RuleKind::Literal {
                    candidates.push(Candidate {
                        start: ns,
                        end: ne,
                        rule,
                        how: How::Obfuscated,
                    });
                }
            }
        }
    }
}

impl How {
    /// The plain reading and regex rules rank alike; the views come after them.
    fn rank(self) -> u8 {
        match self {
            How::Plain | How::Regex => 0,
            How::Obfuscated => 1,
            How::Fuzzy => 2,
        }
    }
}

/// For `case=sensitive` rules read through a view, where letters are replaced and the
/// case key cannot be compared: the first letter's case must be the term's, and a term
/// with lowercase letters does not match text in capitals (`COACH` is not `Coach`).
fn case_shape_matches(text: &str, term: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .collect::<Vec<char>>()
    };
    let (t, w) = (letters(text), letters(term));
    let (Some(tf), Some(wf)) = (t.first(), w.first()) else {
        return true;
    };
    if tf.is_uppercase() != wf.is_uppercase() {
        return false;
    }
    let all_caps = |v: &[char]| v.len() > 1 && v.iter().all(|c| !c.is_lowercase());
    !all_caps(&t) || all_caps(&w)
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
/// A match can only begin where a word begins (docs/matching.md#whole-words), so instead of feeding
/// every byte through an unanchored automaton, the search walks the patterns' trie from
/// its root at each word start until it dies. Most words die after a byte or two, so the
/// work per byte is a class lookup, and the hot states (the trie's top) stay in cache
/// even for 200,000 terms. Walks from the root need no failure transitions, so the
/// automaton is our own [`Trie`], not Aho-Corasick's contiguous NFA (which had measured
/// faster than its DFA at every list size): with it a 200,000-term matcher builds in
/// about half the time and a quarter less memory, and walks as fast
/// (`cargo bench --bench matcher`).
#[derive(Debug)]
struct Engine {
    trie: Trie,
    /// A one-hash Bloom filter over the first characters of the patterns that start
    /// with a non-ASCII one, as a CJK word or a Cyrillic one is met: a word whose key is
    /// not in it cannot start a match, so the automaton is not touched.
    first_chars: Box<[u64]>,
    /// For words that start with an ASCII byte, a sharper pair of filters: the one-word
    /// patterns, and the first two words (and whether a space parts them) of the
    /// others. Common words that only start longer terms (`the`, `perfect`) then pass
    /// only together with the word that follows them. A word is a run of ASCII letters,
    /// a run of ASCII digits, or one other byte ([`ascii_word_end`]): the same cut in
    /// the pattern as in the text where the pattern occurs, up to the pattern's end,
    /// where a text run that goes on fails the whole-word check anyway.
    one_word: Box<[u64]>,
    two_words: Box<[u64]>,
}

/// Bits in the first-word filter: 64 KiB, small enough to stay in cache, about 3% false
/// positives at 15,000 distinct first words.
const FILTER_BITS: u32 = 19;

impl Engine {
    fn build(patterns: &[String]) -> Result<Engine> {
        let trie = Trie::build(patterns)?;
        let filter = || vec![0u64; (1usize << FILTER_BITS) / 64].into_boxed_slice();
        let (mut first_chars, mut one_word, mut two_words) = (filter(), filter(), filter());
        for p in patterns {
            let b = p.as_bytes();
            let Some(&lead) = b.first() else {
                continue;
            };
            if !lead.is_ascii() {
                set_bit(&mut first_chars, word_hash(b, 0, utf8_len(lead), 0));
                continue;
            }
            let end = ascii_word_end(b, 0);
            let h = word_hash(b, 0, end, 0);
            if end == b.len() {
                set_bit(&mut one_word, h);
                continue;
            }
            let spaced = b[end] == b' ';
            let second = end + usize::from(spaced);
            let h2 = word_hash(b, second, ascii_word_end(b, second), 0);
            set_bit(&mut two_words, pair_hash(h, spaced, h2));
        }
        Ok(Engine {
            trie,
            first_chars,
            one_word,
            two_words,
        })
    }

    /// Call `f(start, end, pattern)` for every pattern occurrence that starts at a word
    /// start of `hay`.
    #[inline]
    fn for_each_match(&self, hay: &str, f: &mut impl FnMut(usize, usize, usize)) {
        let bytes = hay.as_bytes();
        // A word that starts with an ASCII byte is keyed by its run of letters or of
        // digits (or its one other character), in the pattern as in the text; others by
        // their first character. ASCII words are stepped over whole; other characters
        // are decoded and their class looked up once (Unicode tables are not cheap).
        // The class before: none at the start, a boundary.
        let mut prev = 0u8;
        // The next word's start, end and hash, when this one needed them.
        let mut ahead = (usize::MAX, 0, 0u64);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let class = word_class(b as char);
                if b == b' ' || !classes_part(prev, class) {
                    prev = class;
                    i += 1;
                    continue;
                }
                // A run of letters or digits has no word start inside it.
                let (end, h) = if ahead.0 == i {
                    (ahead.1, ahead.2)
                } else {
                    let end = word_end(bytes, i);
                    (end, word_hash(bytes, i, end, 0))
                };
                let mut may = has_bit(&self.one_word, h);
                if !may {
                    let spaced = bytes.get(end) == Some(&b' ');
                    let second = end + usize::from(spaced);
                    if second < bytes.len() {
                        let end2 = word_end(bytes, second);
                        ahead = (second, end2, word_hash(bytes, second, end2, 0));
                        may = has_bit(&self.two_words, pair_hash(h, spaced, ahead.2));
                    }
                }
                if may {
                    walk(&self.trie, bytes, i, f);
                }
                prev = class;
                i = end;
                continue;
            }
            let len = utf8_len(b);
            let class = hay[i..].chars().next().map_or(0, word_class);
            if classes_part(prev, class)
                && has_bit(&self.first_chars, word_hash(bytes, i, i + len, 0))
            {
                walk(&self.trie, bytes, i, f);
            }
            prev = class;
            i += len;
        }
    }

    /// Read ASCII text that has not been normalized, as the normalizer would have
    /// written it, and tell whether a pattern may occur at one of its word starts
    /// (boundaries and case are not checked: a `true` can be wrong, a `false` cannot).
    /// Most fields end here, without a normalized copy, an offset map or a second pass.
    /// On the way it notes the evasion signs it passes (see [`Quick`]).
    #[inline]
    fn ascii_quick(&self, raw: &[u8]) -> Quick {
        let mut q = Quick::default();
        let mut prev_single = false;
        // The word before this one, decided once the word after it is known.
        let mut prev: Option<(usize, u64)> = None;
        let mut spaced = false;
        let mut i = 0;
        while i < raw.len() {
            let b = raw[i];
            let class = WORD_CLASS[b as usize];
            // Separators and joining dots are spaces in the normalized text.
            if class == 0 || (class == 3 && ascii_normal_byte(raw, i) == b' ') {
                spaced = true;
                i += 1;
                continue;
            }
            let end = word_end(raw, i);
            // Evasion signs: a digit right after a letter, a symbol, and two one-letter
            // words in a row; stretched letters are the caller's.
            let single = class == 1 && end == i + 1;
            q.evasion_sign |= single && prev_single;
            prev_single = single;
            let after_letter = i > 0 && WORD_CLASS[raw[i - 1] as usize] == 1;
            if (class == 2 && after_letter)
                || (class == 3 && matches!(b, b'@' | b'$' | b'!' | b'|'))
            {
                q.evasion_sign |= ascii_sign_at(raw, i);
            }
            let h = word_hash(raw, i, end, if class == 1 { 0x20 } else { 0 });
            if let Some((start, ph)) = prev {
                let may = has_bit(&self.one_word, ph)
                    | has_bit(&self.two_words, pair_hash(ph, spaced, h));
                if may && walk_raw(&self.trie, raw, start) {
                    q.hit = true;
                    return q;
                }
            }
            prev = Some((i, h));
            spaced = false;
            i = end;
        }
        if let Some((start, ph)) = prev {
            q.hit = has_bit(&self.one_word, ph) && walk_raw(&self.trie, raw, start);
        }
        q
    }

    /// Heap bytes used by the automaton and its filter.
    fn memory_usage(&self) -> usize {
        self.trie.memory_usage()
            + (self.first_chars.len() + self.one_word.len() + self.two_words.len()) * 8
    }
}

/// The end of the ASCII word starting at `i` (docs/matching.md#whole-words): a run of letters, a
/// run of digits, or one other character.
#[inline]
fn ascii_word_end(b: &[u8], i: usize) -> usize {
    let c = WORD_CLASS[b[i] as usize];
    let mut j = i + 1;
    if c == 1 || c == 2 {
        while j < b.len() && WORD_CLASS[b[j] as usize] == c {
            j += 1;
        }
    }
    j
}

/// [`ascii_word_end`], with letter runs read eight bytes at a time.
#[inline(always)]
fn word_end(b: &[u8], i: usize) -> usize {
    if WORD_CLASS[b[i] as usize] == 1 {
        letters_end(b, i + 1)
    } else {
        ascii_word_end(b, i)
    }
}

/// The length of the UTF-8 character whose first byte is `lead` (not ASCII).
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// The end of the run of ASCII letters in `b` from `i`, eight bytes at a time.
#[inline]
fn letters_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    while let Some(eight) = b.get(i..i + 8) {
        let v = u64::from_le_bytes(eight.try_into().unwrap_or_default()) | (0x20 * ONES);
        // Per byte, the high bit of `v + (0x80 - c)` says `v >= c`. A byte below 0x80
        // carries into no other. A byte above (not ASCII) comes out flagged whatever
        // it is, and may carry into the bytes after it, but only the first flag counts.
        let at_least_a = v.wrapping_add((0x80 - u64::from(b'a')) * ONES);
        let past_z = v.wrapping_add((0x80 - u64::from(b'z' + 1)) * ONES);
        let not_letter = !(at_least_a & !past_z) & (0x80 * ONES);
        if not_letter != 0 {
            return i + (not_letter.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && WORD_CLASS[b[i] as usize] == 1 {
        i += 1;
    }
    i
}

/// The filter hash of the word `b[start..end]`: its first eight bytes and its length.
/// `fold` is or-ed into each byte: 0x20 lowercases a run of ASCII letters, 0 keeps
/// other words. One unaligned load where eight bytes are there to read.
#[inline]
fn word_hash(b: &[u8], start: usize, end: usize, fold: u8) -> u64 {
    let len = end - start;
    let head = match b.get(start..start + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().unwrap_or_default()),
        None => b[start..end.min(start + 8)]
            .iter()
            .rev()
            .fold(0u64, |k, &c| (k << 8) | u64::from(c)),
    };
    // Words are never empty: the shift is 0 to 56, with no branch.
    let mask = u64::MAX >> (64 - 8 * len.min(8));
    let word = (head | (u64::from(fold) * 0x0101_0101_0101_0101)) & mask;
    (word ^ (len as u64).rotate_right(5)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The hash of two words in a row, with or without a space between them.
#[inline]
fn pair_hash(first: u64, spaced: bool, second: u64) -> u64 {
    (first ^ second.rotate_left(29) ^ u64::from(spaced)).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

#[inline]
fn set_bit(filter: &mut [u64], h: u64) {
    let k = (h >> (64 - FILTER_BITS)) as usize;
    filter[k / 64] |= 1 << (k % 64);
}

#[inline]
fn has_bit(filter: &[u64], h: u64) -> bool {
    let k = (h >> (64 - FILTER_BITS)) as usize;
    filter[k / 64] & (1 << (k % 64)) != 0
}

/// Report every pattern that starts exactly at `hay[p]`.
#[inline]
fn walk(t: &Trie, hay: &[u8], p: usize, f: &mut impl FnMut(usize, usize, usize)) {
    t.walk(hay, p, |e, pid| f(p, e, pid));
}

/// [`walk`] over the normalized form of ASCII `raw` from its word start `p`, produced
/// byte by byte ([`ascii_normal_byte`], separator runs collapsed); true as soon as a
/// pattern starts exactly at `p`.
#[inline]
fn walk_raw(t: &Trie, raw: &[u8], p: usize) -> bool {
    let mut sid = t.root();
    let mut last_space = false;
    for j in p..raw.len() {
        let b = ascii_normal_byte(raw, j);
        let space = b == b' ';
        if space && last_space {
            continue;
        }
        last_space = space;
        sid = t.next(sid, b);
        if sid == DEAD {
            return false;
        }
        // The end must be a word boundary too (not `class` in `classic`).
        if Trie::is_match(sid)
            && raw.get(j + 1).is_none_or(|&n| {
                let (c, d) = (WORD_CLASS[b as usize], WORD_CLASS[n as usize]);
                c != d || c > 2
            })
        {
            return true;
        }
    }
    false
}

/// What [`Engine::ascii_quick`] saw.
#[derive(Debug, Default, Clone, Copy)]
struct Quick {
    /// A pattern may occur.
    hit: bool,
    /// A substitution sign ([`ascii_sign_at`]), or two one-letter words in a row.
    evasion_sign: bool,
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
mod trie;
