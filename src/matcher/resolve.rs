//! The middle stage of a search: candidates from every reading of a field, and the one
//! pure function that decides which of them stand (docs/matching.md#overlaps, #allow-phrases).
//!
//! A reading ([`Reading`]) turns a field into candidates — spans of its normalized
//! text with the rule found there — having checked what only it can check (whole-word
//! boundaries in its own text, case for `case=sensitive` rules, evidence of an evasion).
//! [`resolve`] then sees only passing candidates, so a term that failed its boundary
//! check never hides one that passed.

use crate::finding::{Action, MatchKind};

/// How a field was read to find a candidate. Everything that depends on the reading
/// lives in this one `impl`, so a new reading is a variant here, a function that yields
/// its candidates, and one arm in the matcher's dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The normalized text through the automaton of literal terms.
    Plain,
    /// Regex rules on the normalized text.
    Regex,
    /// The obfuscation view ([`crate::obfuscate`]).
    Obfuscated,
    /// One edit away from a term ([`crate::fuzzy`]).
    Fuzzy,
}

impl Reading {
    /// Precedence at one span, lower first: a view never re-reports what the plain text
    /// said. Plain and regex rank alike (then the strictest rule wins).
    pub(crate) const fn rank(self) -> u8 {
        match self {
            Reading::Plain | Reading::Regex => 0,
            Reading::Obfuscated => 1,
            Reading::Fuzzy => 2,
        }
    }

    /// Whether it may find something in a field whose raw bytes show neither a literal
    /// term nor an evasion sign (the ASCII prefilter, [`super::Engine::ascii_quick`]):
    /// then the prefilter cannot be used at all.
    pub(crate) const fn sees_past_the_prefilter(self) -> bool {
        matches!(self, Reading::Regex | Reading::Fuzzy)
    }

    /// The match kind of its findings; `None` for the plain reading, whose kind depends
    /// on the text (`exact`, `normalized`, or `obfuscated` for styled letters).
    pub(crate) const fn match_kind(self) -> Option<MatchKind> {
        match self {
            Reading::Plain => None,
            Reading::Regex => Some(MatchKind::Regex),
            Reading::Obfuscated => Some(MatchKind::Obfuscated),
            Reading::Fuzzy => Some(MatchKind::Fuzzy),
        }
    }

    /// The strictest action its findings may get: a fuzzy match is a guess, a person
    /// decides.
    pub(crate) const fn action_cap(self) -> Action {
        match self {
            Reading::Fuzzy => Action::Review,
            _ => Action::Remove,
        }
    }
}

/// A rule found at a span of the field's normalized text by one reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) rule: usize,
    pub(crate) reading: Reading,
}

/// What the readings of one field yield: candidates, and the spans of allow phrases
/// that passed their own checks.
#[derive(Debug, Default)]
pub(crate) struct Candidates {
    pub(crate) found: Vec<Candidate>,
    pub(crate) allowed: Vec<(usize, usize)>,
}

impl Candidates {
    pub(crate) fn clear(&mut self) {
        self.found.clear();
        self.allowed.clear();
    }

    /// A rule found by `reading` at `start..end`.
    #[inline]
    pub(crate) fn push(&mut self, start: usize, end: usize, rule: usize, reading: Reading) {
        self.found.push(Candidate {
            start,
            end,
            rule,
            reading,
        });
    }
}

/// Keep, in position order, the candidates that stand (docs/matching.md#overlaps): none that an allow
/// phrase covers; then, leftmost first, the longest; at one span the reading of lower
/// [`Reading::rank`], then the strictest rule (`action_of`), then the first rule.
/// Candidates that overlap one kept are dropped.
pub(crate) fn resolve(c: &mut Candidates, action_of: impl Fn(usize) -> Action) {
    let Candidates { found, allowed } = c;
    if !allowed.is_empty() {
        found.retain(|c| !allowed.iter().any(|&(s, e)| s <= c.start && c.end <= e));
    }
    found.sort_unstable_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.reading.rank().cmp(&b.reading.rank()))
            .then_with(|| {
                action_of(b.rule)
                    .cmp(&action_of(a.rule))
                    .then(a.rule.cmp(&b.rule))
            })
    });
    let mut last_end = 0;
    found.retain(|c| {
        if c.start < last_end {
            return false;
        }
        last_end = c.end;
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(
        found: &[(usize, usize, usize, Reading)],
        allowed: &[(usize, usize)],
    ) -> Vec<(usize, usize, usize)> {
        let mut c = Candidates::default();
        for &(s, e, r, how) in found {
            c.push(s, e, r, how);
        }
        c.allowed.extend_from_slice(allowed);
        // Rule 2 is the strictest.
        resolve(&mut c, |r| {
            if r == 2 {
                Action::Remove
            } else {
                Action::Review
            }
        });
        c.found.iter().map(|c| (c.start, c.end, c.rule)).collect()
    }

    use Reading::*;

    #[test]
    fn leftmost_then_longest() {
        // `air jordan 1`: `jordan` inside `air jordan` loses; `air` loses to the longer.
        let got = resolved(
            &[(4, 10, 0, Plain), (0, 10, 1, Plain), (0, 3, 3, Plain)],
            &[],
        );
        assert_eq!(got, [(0, 10, 1)]);
        let got = resolved(&[(5, 9, 0, Plain), (0, 4, 1, Plain), (3, 6, 3, Plain)], &[]);
        assert_eq!(got, [(0, 4, 1), (5, 9, 0)]);
    }

    #[test]
    fn at_one_span_the_plain_reading_then_the_strictest_rule() {
        assert_eq!(
            resolved(&[(0, 4, 0, Obfuscated), (0, 4, 1, Plain)], &[]),
            [(0, 4, 1)]
        );
        assert_eq!(
            resolved(&[(0, 4, 0, Fuzzy), (0, 4, 1, Obfuscated)], &[]),
            [(0, 4, 1)]
        );
        assert_eq!(
            resolved(&[(0, 4, 0, Plain), (0, 4, 2, Regex)], &[]),
            [(0, 4, 2)]
        );
        assert_eq!(
            resolved(&[(0, 4, 3, Plain), (0, 4, 1, Plain)], &[]),
            [(0, 4, 1)]
        );
        // Longer beats better-read.
        assert_eq!(
            resolved(&[(0, 4, 0, Plain), (0, 6, 1, Fuzzy)], &[]),
            [(0, 6, 1)]
        );
    }

    #[test]
    fn allow_phrases_drop_only_what_they_cover() {
        // `apple iphone case, apple green` with allow `apple green` at 19..30.
        let found = [(0, 5, 0, Plain), (6, 12, 1, Plain), (19, 24, 0, Plain)];
        assert_eq!(resolved(&found, &[(19, 30)]), [(0, 5, 0), (6, 12, 1)]);
        // A candidate reaching past the phrase stands, and hides what overlaps it.
        assert_eq!(
            resolved(&[(17, 24, 0, Plain), (19, 24, 1, Plain)], &[(19, 30)]),
            [(17, 24, 0)]
        );
    }

    #[test]
    fn readings_declare_their_own_kind_and_cap() {
        assert_eq!(Plain.match_kind(), None);
        assert_eq!(Fuzzy.match_kind(), Some(MatchKind::Fuzzy));
        assert_eq!(Fuzzy.action_cap(), Action::Review);
        assert_eq!(Obfuscated.action_cap(), Action::Remove);
        assert!(Regex.sees_past_the_prefilter() && !Obfuscated.sees_past_the_prefilter());
    }
}
