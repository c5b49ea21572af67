//! The last stage of a search: what the options and the field's context make of the
//! candidates that stood (docs/matching.md#context). Readings find, [`super::resolve`] decides, and only
//! this step changes a finding's severity or action, one rule after another:
//!
//! 1. authorized brands are dropped ([`Policy::admits`], before a finding is made);
//! 2. context: `counterfeit` makes it serious and `remove`, `compatible` takes the
//!    compatible action when one is set ([`apply_context`]);
//! 3. the reading's cap: a fuzzy match is at most `review` ([`apply_cap`]);
//! 4. supporting words (the `with` column, [`crate::support`]): a rule that needs them
//!    is dropped where glued to a word and lowered to `review` where the field lacks
//!    them; this sees every finding of the field at once.
//! 5. capitalisation ([`crate::capitals`]): a `case=sensitive` finding whose casing is
//!    no evidence — lowercase in a tag field, or in a field where most words are
//!    capitalised with no other rule of its brand beside it — is lowered to `review`;
//! 6. unknown brands ([`crate::unknown`]): a brand-shaped word beside counterfeit wording
//!    that no list knows is added at `review`.
//!
//! A new rule of this kind is one more function here, called from [`Policy::apply`],
//! which sees every finding of the field at once.

use super::resolve::Candidate;
use crate::capitals::Capitals;
use crate::context::{ratio_means_scale, ContextRules, COUNTERFEIT_WORDING};
use crate::finding::{Action, Context, Finding, Severity};
use crate::support::Support;
use crate::unknown::UnknownBrands;

/// The compiled options of the policy step; part of a [`super::Matcher`].
#[derive(Debug)]
pub(crate) struct Policy {
    context: ContextRules,
    compatible_action: Option<Action>,
    /// Per rule: its brand is authorized.
    authorized: Vec<bool>,
    /// The `with` column's requirements.
    support: Support,
    /// The case keys of `case=sensitive` rules.
    capitals: Capitals,
    /// Brand-shaped words beside counterfeit wording.
    unknown: UnknownBrands,
}

impl Policy {
    pub(crate) fn new(
        compatible_action: Option<Action>,
        authorized: Vec<bool>,
        support: Support,
    ) -> Policy {
        Policy {
            context: ContextRules::new(),
            compatible_action,
            authorized,
            support,
            capitals: Capitals::default(),
            unknown: UnknownBrands::default(),
        }
    }

    /// Weigh the casing of `case=sensitive` rules' findings ([`crate::capitals`]).
    pub(crate) fn with_capitals(mut self, capitals: Capitals) -> Policy {
        self.capitals = capitals;
        self
    }

    /// Report brand-shaped words beside counterfeit wording ([`crate::unknown`]).
    pub(crate) fn with_unknown_brands(mut self, unknown: UnknownBrands) -> Policy {
        self.unknown = unknown;
        self
    }

    /// Whether a finding of `rule` may be reported at all: not when the seller is
    /// authorized for its brand.
    #[inline]
    pub(crate) fn admits(&self, rule: usize) -> bool {
        !self.authorized[rule]
    }

    /// Apply every rule of the step to the findings `out[first..]` of one field (column
    /// `field`), whose original text is `text` (HTML when `html`) and normalized text
    /// `hay`; `out[first + i]` was made from `cands[i]`. Supporting words may drop
    /// findings.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn apply(
        &self,
        field: &str,
        text: &str,
        html: bool,
        hay: &str,
        cands: &[Candidate],
        out: &mut Vec<Finding>,
        first: usize,
    ) {
        debug_assert_eq!(cands.len(), out.len() - first);
        let mut counterfeit_field = None;
        let mut scale = false;
        for (c, f) in cands.iter().zip(&mut out[first..]) {
            f.context = self
                .context
                .classify(hay, c.start, c.end, &mut counterfeit_field);
            apply_context(f, self.compatible_action);
            apply_cap(f, c.reading.action_cap());
            scale |= is_scale_ratio(f, hay, c);
        }
        if scale {
            drop_scale_ratios(hay, cands, out, first);
        }
        self.support.apply(text, hay, out, first);
        self.capitals.apply(field, text, html, out, first);
        self.unknown.apply(text, out, first);
    }
}

/// A finding of the counterfeit-wording list that is one-to-one wording in a field that
/// speaks of a model's scale (`1比1 等比例 汽车模型`, [`crate::context`]).
fn is_scale_ratio(f: &Finding, hay: &str, c: &Candidate) -> bool {
    &*f.brand == COUNTERFEIT_WORDING && ratio_means_scale(&hay[c.start..c.end], hay)
}

/// Drop the findings `out[first..]` (made from `cands`, in order) that [`is_scale_ratio`].
fn drop_scale_ratios(hay: &str, cands: &[Candidate], out: &mut Vec<Finding>, first: usize) {
    let mut kept = first;
    for (j, c) in (first..out.len()).zip(cands) {
        if !is_scale_ratio(&out[j], hay, c) {
            out.swap(kept, j);
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Counterfeit signals draw complaints first: serious and `remove`, whatever the rule
/// says. Compatible use takes `compatible_action` when one is set.
pub(crate) fn apply_context(f: &mut Finding, compatible_action: Option<Action>) {
    match f.context {
        Context::Counterfeit => {
            f.severity = Severity::Serious;
            f.action = Action::Remove;
        }
        Context::Compatible => f.action = compatible_action.unwrap_or(f.action),
        Context::None => {}
    }
}

/// No finding is stricter than its reading allows.
pub(crate) fn apply_cap(f: &mut Finding, cap: Action) {
    f.action = f.action.min(cap);
}

#[cfg(test)]
mod tests {
    use super::super::resolve::Reading;
    use super::*;
    use crate::finding::MatchKind;
    use std::sync::Arc;

    fn finding(action: Action) -> Finding {
        Finding {
            field: Arc::from("title"),
            start: 0,
            end: 5,
            matched: "Rolex".into(),
            term: Arc::from("Rolex"),
            brand: Arc::from("Rolex"),
            severity: Severity::General,
            action,
            match_kind: MatchKind::Exact,
            context: Context::None,
            confidence: None,
            rule: 0,
        }
    }

    fn applied(
        policy: &Policy,
        hay: &str,
        term: &str,
        reading: Reading,
        action: Action,
    ) -> Finding {
        let start = hay.find(term).unwrap();
        let cand = Candidate {
            start,
            end: start + term.len(),
            rule: 0,
            reading,
        };
        let mut f = vec![Finding {
            start: cand.start,
            end: cand.end,
            ..finding(action)
        }];
        policy.apply("title", hay, false, hay, &[cand], &mut f, 0);
        f.pop().unwrap()
    }

    #[test]
    fn context_sets_severity_and_action() {
        let p = Policy::new(Some(Action::Review), vec![false], Support::default());
        let f = applied(&p, "rolex replica", "rolex", Reading::Plain, Action::Hide);
        assert_eq!(
            (f.context, f.severity, f.action),
            (Context::Counterfeit, Severity::Serious, Action::Remove)
        );
        let f = applied(
            &p,
            "strap for rolex",
            "rolex",
            Reading::Plain,
            Action::Remove,
        );
        assert_eq!((f.context, f.action), (Context::Compatible, Action::Review));
        let p = Policy::new(None, vec![false], Support::default());
        let f = applied(&p, "strap for rolex", "rolex", Reading::Plain, Action::Hide);
        assert_eq!((f.context, f.action), (Context::Compatible, Action::Hide));
        let f = applied(&p, "rolex watch", "rolex", Reading::Plain, Action::Hide);
        assert_eq!(
            (f.context, f.severity, f.action),
            (Context::None, Severity::General, Action::Hide)
        );
    }

    #[test]
    fn the_reading_caps_the_action_after_context() {
        let p = Policy::new(None, vec![false], Support::default());
        let f = applied(
            &p,
            "rollex replica",
            "rollex",
            Reading::Fuzzy,
            Action::Remove,
        );
        assert_eq!(
            (f.context, f.severity, f.action),
            (Context::Counterfeit, Severity::Serious, Action::Review)
        );
        let f = applied(&p, "r0lex", "r0lex", Reading::Obfuscated, Action::Remove);
        assert_eq!(f.action, Action::Remove);
    }

    #[test]
    fn support_runs_last_and_sees_the_context() {
        let rules = crate::Rules::parse_csv(
            "l.csv",
            "term,brand,case,with\nLV,Louis Vuitton,sensitive,monogram\n",
        )
        .unwrap();
        let p = Policy::new(None, vec![false], Support::new(&rules));
        let f = applied(&p, "lv cable", "lv", Reading::Plain, Action::Remove);
        assert_eq!(f.action, Action::Review);
        let f = applied(&p, "lv monogram", "lv", Reading::Plain, Action::Remove);
        assert_eq!(f.action, Action::Remove);
        // A counterfeit context is support enough, so context is applied first.
        let f = applied(&p, "lv replica", "lv", Reading::Plain, Action::Hide);
        assert_eq!(
            (f.context, f.action),
            (Context::Counterfeit, Action::Remove)
        );
    }

    #[test]
    fn authorized_rules_are_not_admitted() {
        let p = Policy::new(None, vec![false, true], Support::default());
        assert!(p.admits(0) && !p.admits(1));
    }
}
