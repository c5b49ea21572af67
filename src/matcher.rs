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

use crate::capitals::{case_fits, case_shape_fits, is_tag_field, Capitals};
use crate::error::{Error, Result};
use crate::finding::{Action, Context, Finding, MatchKind};
use crate::fuzzy::FuzzyIndex;
use crate::html::{is_html, HtmlText};
use crate::normalize::{
    ascii_normal_byte, case_key, char_class, classes_part, eq_ignore_case, is_boundary, is_cjk,
    normalize_term, Normalized, BYTE_CLASS, DIGIT, DOT, LETTER, SEPARATOR, SIGN,
};
use crate::obfuscate::{
    ascii_sign_at, ascii_stretched, first_sign, is_styled, latin_field, sign_scan, skeleton_term,
    ObfuscationView,
};
use crate::support::Support;
use crate::unknown::UnknownBrands;
use crate::wordlist::{compile_regex, CaseMode, Rule, RuleKind, Rules};
use foldhash::{HashMap, HashSet};
use policy::Policy;
use regex::Regex;
use resolve::{resolve, Candidate, Candidates, Reading};
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
    prefilters: Prefilters,
}

/// The shortcuts a search may take, each of which must change no finding: tests turn
/// them off and compare.
#[derive(Debug, Clone, Copy)]
struct Prefilters {
    /// Rule out an ASCII field from its raw bytes before normalizing it
    /// ([`Engine::ascii_quick`]); only when every rule is a literal (no regex or fuzzy
    /// rule could match what the automaton rules out).
    ascii: bool,
    /// Build the whole obfuscation view only when an evasion in the field could belong
    /// to a term ([`view_may_find`]).
    view: bool,
}

impl Default for MatcherBuilder {
    fn default() -> Self {
        MatcherBuilder {
            authorized: Vec::new(),
            evasion: true,
            fuzzy: false,
            compatible_action: None,
            max_automaton_bytes: None,
            prefilters: Prefilters {
                ascii: true,
                view: true,
            },
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

    /// Take the ASCII prefilter ([`Engine::ascii_quick`]), which rules most ASCII
    /// fields out from their raw bytes. On by default; off, every field is normalized and
    /// read in full, which must find the same.
    #[cfg(test)]
    pub(crate) fn ascii_prefilter(mut self, on: bool) -> Self {
        self.prefilters.ascii = on;
        self
    }

    /// Build the whole obfuscation view only when an evasion sign could belong to a term
    /// ([`view_may_find`]). On by default; off, every field gets its whole view.
    #[cfg(test)]
    pub(crate) fn view_gate(mut self, on: bool) -> Self {
        self.prefilters.view = on;
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
        // The repair reading, as the view, reads terms of four letters or more.
        let repairable: Vec<bool> = patterns
            .iter()
            .map(|p| p.chars().filter(|c| c.is_alphabetic()).count() >= 4)
            .collect();
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
        let fuzzy = (!fuzzy.is_empty()).then_some(fuzzy);
        // The readings this matcher runs, in the order they are read.
        let readings: Vec<Reading> = [
            Some(Reading::Plain),
            (!regexes.is_empty()).then_some(Reading::Regex),
            obfuscation.is_some().then_some(Reading::Obfuscated),
            fuzzy.is_some().then_some(Reading::Fuzzy),
        ]
        .into_iter()
        .flatten()
        .collect();
        let quick = self.prefilters.ascii && !readings.iter().any(|r| r.sees_past_the_prefilter());
        Ok(Matcher {
            policy: Policy::new(self.compatible_action, authorized, Support::new(&rules))
                .with_capitals(Capitals::new(&rules))
                .with_unknown_brands(UnknownBrands::new(&rules)),
            rules,
            engine,
            pattern_rules,
            repairable,
            regexes,
            case_keys,
            obfuscation,
            fuzzy,
            readings,
            quick,
            view_gate: self.prefilters.view,
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
    /// Per pattern: long enough for the repair reading.
    repairable: Vec<bool>,
    regexes: Vec<(usize, Regex)>,
    case_keys: Vec<Option<String>>,
    obfuscation: Option<ObIndex>,
    fuzzy: Option<FuzzyIndex>,
    /// The readings a search runs ([`Reading`]).
    readings: Vec<Reading>,
    policy: Policy,
    /// ASCII fields may be ruled out before normalizing ([`Engine::ascii_quick`]): the
    /// prefilter is on and no reading sees past it.
    quick: bool,
    /// Texts build the whole obfuscation view only when an evasion in them could
    /// belong to a term ([`view_may_find`]).
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
    let cut = (i..b.len()).find(|&p| is_safe_cut(b, p)).unwrap_or(b.len());
    crate::work::step(cut.saturating_sub(i));
    cut
}

/// The last safe cut at or before `i` (or the start).
fn safe_cut_at_or_before(b: &[u8], i: usize) -> usize {
    let cut = (0..=i.min(b.len()))
        .rev()
        .find(|&p| p < b.len() && is_safe_cut(b, p))
        .unwrap_or(0);
    crate::work::step(i.min(b.len()) - cut);
    cut
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
    html: HtmlText,
    cands: Candidates,
    view: ObfuscationView,
    windows: Vec<(usize, usize)>,
    repair: repair::Repair,
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

/// What the ASCII prefilter ([`Engine::ascii_quick`]) decided for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefiltered {
    /// Nothing can be found: the field is done.
    Nothing,
    /// No literal term can occur, but an evasion sign may belong to one.
    ViewOnly,
    /// Every reading runs.
    All,
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
    ///
    /// In stages: the prefilter may settle the field from its raw bytes; each reading
    /// yields candidates in normalized coordinates; [`resolve`] keeps those that stand;
    /// each is placed in the original text ([`Matcher::locate`]) and the policy step
    /// ([`Policy::apply`]) sets its context, severity and action.
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
            html,
            cands,
            view,
            windows,
            repair,
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
        let gate = self.prefilter(src);
        if gate == Prefiltered::Nothing {
            return;
        }
        norm.normalize(src);
        cands.clear();
        for &reading in &self.readings {
            if stop() {
                return;
            }
            match reading {
                Reading::Plain if gate == Prefiltered::All => {
                    self.read_plain(field, norm, src, cands)
                }
                Reading::Plain => {}
                Reading::Regex => self.read_regex(norm.as_str(), cands),
                Reading::Obfuscated => {
                    self.read_obfuscated(field, norm, src, view, windows, cands, &stop);
                    self.read_repaired(field, norm, src, repair, cands);
                }
                Reading::Fuzzy => self.read_fuzzy(norm.as_str(), fuzzy, cands),
            }
        }
        if cands.found.is_empty() || stop() {
            return;
        }
        resolve(cands, |rule| self.rules.get(rule).action);
        cands.found.retain(|c| self.policy.admits(c.rule));
        let first = out.len();
        let html = in_html.then_some(&*html);
        for c in &cands.found {
            out.push(self.locate(field, text, src, html, norm, c));
        }
        self.policy.apply(
            field,
            text,
            in_html,
            norm.as_str(),
            &cands.found,
            out,
            first,
        );
    }

    /// Settle an ASCII field from its raw bytes when the prefilter is on and every
    /// reading is one it can speak for.
    #[inline]
    fn prefilter(&self, src: &str) -> Prefiltered {
        if !self.quick || !src.is_ascii() {
            return Prefiltered::All;
        }
        let q = self.engine.ascii_quick(src.as_bytes());
        if q.hit {
            Prefiltered::All
        } else if self.obfuscation.is_some()
            && (q.evasion_sign
                || ascii_stretched(src.as_bytes())
                || repair::ascii_sign(src.as_bytes()))
        {
            Prefiltered::ViewOnly
        } else {
            Prefiltered::Nothing
        }
    }

    /// The finding a candidate that stood makes, before the policy step: its span
    /// mapped back through the normalizer (and the HTML reader) to the original `text`,
    /// and its match kind.
    fn locate(
        &self,
        field: &Arc<str>,
        text: &str,
        src: &str,
        html: Option<&HtmlText>,
        norm: &Normalized,
        c: &Candidate,
    ) -> Finding {
        let (ss, se) = norm.original_span(c.start, c.end);
        let (os, oe) = html.map_or((ss, se), |h| h.original_span(ss, se));
        let rule = self.rules.get(c.rule);
        let matched = &text[os..oe];
        crate::work::step(oe - os);
        let match_kind = c.reading.match_kind().unwrap_or_else(|| {
            if src[ss..se].chars().any(is_styled) {
                MatchKind::Obfuscated
            } else if eq_ignore_case(matched, &rule.term) {
                MatchKind::Exact
            } else {
                MatchKind::Normalized
            }
        });
        finding(field, rule, c.rule, os, oe, matched, match_kind)
    }

    /// The plain reading: literal terms and allow phrases at word starts of the
    /// normalized text, whole words only, `case=sensitive` rules as written or in
    /// capitals (in any case in a tag field, [`crate::capitals`]).
    fn read_plain(&self, field: &str, norm: &Normalized, src: &str, cands: &mut Candidates) {
        let hay = norm.as_str();
        // Asked only once a sensitive rule's candidate is met.
        let mut tag_field = None;
        self.engine.for_each_match(hay, &mut |s, e, pid| {
            if !passes_boundaries(hay, s, e) {
                return;
            }
            for &rule in &self.pattern_rules[pid] {
                let rule = rule as usize;
                if let Some(key) = &self.case_keys[rule] {
                    let (os, oe) = norm.original_span(s, e);
                    crate::work::step(oe - os);
                    let tag = *tag_field.get_or_insert_with(|| is_tag_field(field));
                    if !case_fits(&src[os..oe], key, tag) {
                        continue;
                    }
                }
                if self.rules.get(rule).kind == RuleKind::Allow {
                    cands.allowed.push((s, e));
                } else {
                    cands.push(s, e, rule, Reading::Plain);
                }
            }
        });
        if !src.is_ascii() {
            self.read_glued(norm, src, cands);
        }
    }

    /// Latin words glued together where they touch Chinese text (`超AGivenchy`,
    /// `LacostePOLO衫`; docs/matching.md#whole-words). Chinese titles have no spaces, so
    /// inside a run of Latin letters next to a CJK character a change of case is a word
    /// boundary (`…eP…`, `…AGi…`), for a term found there exactly as written in its list.
    /// Latin text keeps its camel-case words whole (`PlayStation`, `MacBook`).
    fn read_glued(&self, norm: &Normalized, src: &str, cands: &mut Candidates) {
        let hay = norm.as_str();
        let (starts, cuts) = glued_cuts(norm, src);
        if cuts.is_empty() {
            return;
        }
        let cut = |p: usize| cuts.binary_search(&p).is_ok();
        let bytes = hay.as_bytes();
        for &p in &starts {
            walk(&self.engine.trie, bytes, p, &mut |s, e, pid| {
                let before = hay[..s].chars().next_back();
                let first = hay[s..].chars().next();
                let last = hay[..e].chars().next_back();
                let after = hay[e..].chars().next();
                let (cut_s, cut_e) = (cut(s), cut(e));
                // At least one end at a cut; the other at a cut or a plain boundary.
                let starts = cut_s || (cut_e && is_boundary(before, first));
                let ends = cut_e || is_boundary(last, after);
                if !(starts && ends) {
                    return;
                }
                let (os, oe) = norm.original_span(s, e);
                for &rule in &self.pattern_rules[pid] {
                    let r = self.rules.get(rule as usize);
                    if r.kind == RuleKind::Literal && *r.term == src[os..oe] {
                        cands.push(s, e, rule as usize, Reading::Plain);
                    }
                }
            });
        }
    }

    /// Regex rules on the normalized text, whole words only: a pattern that ends
    /// inside a word (`rolex sub` in `rolex submariner`) is not a finding.
    fn read_regex(&self, hay: &str, cands: &mut Candidates) {
        for (rule, re) in &self.regexes {
            // The regex engine is linear in the text.
            crate::work::step(hay.len());
            for m in re.find_iter(hay) {
                if m.start() < m.end() && passes_boundaries(hay, m.start(), m.end()) {
                    cands.push(m.start(), m.end(), *rule, Reading::Regex);
                }
            }
        }
    }

    /// One edit away from a term of six letters or more.
    fn read_fuzzy(&self, hay: &str, hits: &mut Vec<crate::fuzzy::Hit>, cands: &mut Candidates) {
        let Some(index) = &self.fuzzy else {
            return;
        };
        hits.clear();
        index.find(hay, hits);
        for h in hits.iter() {
            cands.push(h.start, h.end, h.rule, Reading::Fuzzy);
        }
    }

    /// The repair reading ([`repair`]): symbols and digits that stand for a letter or
    /// for nothing, at a word's edges and inside it, and split words, read through the
    /// literal automaton; terms of four letters or more, `case=sensitive` rules in their
    /// case's shape.
    fn read_repaired(
        &self,
        field: &str,
        norm: &Normalized,
        src: &str,
        repair: &mut repair::Repair,
        cands: &mut Candidates,
    ) {
        if self.view_gate && !repair::may_find(&self.engine.trie, norm, src) {
            return;
        }
        let mut tag = None;
        repair.read(&self.engine.trie, norm, src, &mut |s, e, pid| {
            if !self.repairable[pid] {
                return;
            }
            for &rule in &self.pattern_rules[pid] {
                let rule = rule as usize;
                let r = self.rules.get(rule);
                if self.case_keys[rule].is_some() {
                    let (os, oe) = norm.original_span(s, e);
                    let tag = *tag.get_or_insert_with(|| is_tag_field(field));
                    if !case_shape_fits(&src[os..oe], &r.term, tag) {
                        continue;
                    }
                }
                match r.kind {
                    RuleKind::Allow => cands.allowed.push((s, e)),
                    RuleKind::Literal => cands.push(s, e, rule, Reading::Obfuscated),
                    RuleKind::Regex => {}
                }
            }
        });
    }

    /// The obfuscation view, built only where it may hold a finding; candidates in
    /// normalized coordinates, only where the view's span really used an evasion, and
    /// never where the plain text would not pass a `case=sensitive` rule's case.
    #[allow(clippy::too_many_arguments)]
    fn read_obfuscated(
        &self,
        field: &str,
        norm: &Normalized,
        src: &str,
        view: &mut ObfuscationView,
        windows: &mut Vec<(usize, usize)>,
        cands: &mut Candidates,
        stop: &dyn Fn() -> bool,
    ) {
        let Some(ob) = &self.obfuscation else {
            return;
        };
        // Without the gate (tests), every field gets its whole view: the reference the
        // gate and its sign scan are held to.
        let read = !self.view_gate || view_may_find(ob, norm, src, view);
        if !read {
            return;
        }
        view.build_from(norm, src);
        if stop() {
            return;
        }
        view.evidence_windows(ob.max_len, windows);
        let vt = view.as_str();
        // Every occurrence in a window: walks from each of its characters.
        let mut matches = Vec::new();
        let mut next_check = 0;
        for &(ws, we) in windows.iter() {
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
            crate::work::step(e - s);
            let (ns, ne) = view.normalized_span(s, e);
            for &rule in &ob.rules[pattern] {
                let rule = rule as usize;
                let r = self.rules.get(rule);
                if self.case_keys[rule].is_some() {
                    let (os, oe) = norm.original_span(ns, ne);
                    crate::work::step(oe - os);
                    if !case_shape_fits(&src[os..oe], &r.term, is_tag_field(field)) {
                        continue;
                    }
                }
                if r.kind == RuleKind::Allow {
                    cands.allowed.push((ns, ne));
                } else if r.kind == RuleKind::Literal {
                    cands.push(ns, ne, rule, Reading::Obfuscated);
                }
            }
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
        confidence: None,
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
            crate::work::step(1);
            let b = bytes[i];
            if b < 0x80 {
                let class = BYTE_CLASS[b as usize];
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
            let class = hay[i..].chars().next().map_or(0, char_class);
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
            crate::work::step(1);
            let class = BYTE_CLASS[raw[i] as usize];
            // Separators and joining dots are spaces in the normalized text.
            if class & SEPARATOR != 0 || (class & DOT != 0 && ascii_normal_byte(raw, i) == b' ') {
                spaced = true;
                i += 1;
                continue;
            }
            let end = word_end(raw, i);
            // Evasion signs: a digit right after a letter, a symbol, and two one-letter
            // words in a row; stretched letters are the caller's.
            let single = class & LETTER != 0 && end == i + 1;
            q.evasion_sign |= single && prev_single;
            prev_single = single;
            let after_letter = i > 0 && BYTE_CLASS[raw[i - 1] as usize] & LETTER != 0;
            if (class & DIGIT != 0 && after_letter) || class & SIGN != 0 {
                q.evasion_sign |= ascii_sign_at(raw, i);
            }
            let h = word_hash(raw, i, end, if class & LETTER != 0 { 0x20 } else { 0 });
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
    let c = BYTE_CLASS[b[i] as usize] & (LETTER | DIGIT);
    let mut j = i + 1;
    if c != 0 {
        while j < b.len() && BYTE_CLASS[b[j] as usize] & (LETTER | DIGIT) == c {
            j += 1;
        }
    }
    j
}

/// [`ascii_word_end`], with letter runs read eight bytes at a time.
#[inline(always)]
fn word_end(b: &[u8], i: usize) -> usize {
    if BYTE_CLASS[b[i] as usize] & LETTER != 0 {
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
    while i < b.len() && BYTE_CLASS[b[i] as usize] & LETTER != 0 {
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
        crate::work::step(1);
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
            && raw
                .get(j + 1)
                .is_none_or(|&n| classes_part(BYTE_CLASS[b as usize], BYTE_CLASS[n as usize]))
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

/// Where [`Matcher::read_glued`] reads: the word starts to walk from (each glued run's
/// start and its cuts) and the cuts, sorted. A run is ASCII letters of the normalized
/// text with a CJK character right before or after it; a cut is where, in the original
/// text, a lowercase letter meets a capital (`Lacoste|POLO`) or a capital meets a
/// capitalised word (`A|Givenchy`).
fn glued_cuts(norm: &Normalized, src: &str) -> (Vec<usize>, Vec<usize>) {
    let hay = norm.as_str();
    let b = hay.as_bytes();
    let (mut starts, mut cuts) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let touches_cjk = hay[..s].chars().next_back().is_some_and(is_cjk)
            || hay[i..].chars().next().is_some_and(is_cjk);
        if !touches_cjk || i - s < 4 {
            continue;
        }
        let upper: Vec<Option<bool>> = (s..i)
            .map(|p| {
                let (os, oe) = norm.original_span(p, p + 1);
                src[os..oe]
                    .chars()
                    .next()
                    .filter(|c| c.is_alphabetic())
                    .map(char::is_uppercase)
            })
            .collect();
        let before = cuts.len();
        for k in 1..upper.len() {
            let next = upper.get(k + 1).copied().flatten();
            let camel = match (upper[k - 1], upper[k]) {
                (Some(false), Some(true)) => true,
                (Some(true), Some(true)) => next == Some(false),
                _ => false,
            };
            if camel {
                cuts.push(s + k);
            }
        }
        if cuts.len() > before {
            starts.push(s);
            starts.extend_from_slice(&cuts[before..]);
        }
    }
    (starts, cuts)
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
mod linear;
mod policy;
mod repair;
mod resolve;
#[cfg(test)]
mod tests;
mod trie;
