//! Supporting evidence for rules that need it (the `with` column, SPEC §1): an
//! abbreviation such as `LV` or `VCA` names the brand only next to the brand's goods or
//! marks, so its finding keeps the rule's action only when the same field also has one
//! of the rule's supporting words, or another term of the same brand where the rule asks
//! for one (`@brand`); otherwise a person reviews it. Such a rule is read as a token of
//! its own: a match glued to letters or digits (`MK190XPRO4`, `EV1MK`, `AF1GSDP`) is a
//! model number, not the brand, and is dropped.
//!
//! ```
//! use brandscan::{Action, Matcher, Rules};
//! let rules = Rules::parse_csv("l.csv", "term,brand,case,with\n\
//!     LV,Louis Vuitton,sensitive,monogram;bag;@brand\nNeverfull,Louis Vuitton,,\n").unwrap();
//! let m = Matcher::new(rules).unwrap();
//! assert_eq!(m.find_all("title", "LV Monogram tote")[0].action, Action::Remove);
//! assert_eq!(m.find_all("title", "LV Neverfull MM")[0].action, Action::Remove);
//! assert_eq!(m.find_all("title", "LV 12V power cable")[0].action, Action::Review);
//! assert!(m.find_all("title", "LV90 cable").is_empty());
//! ```

use crate::finding::{Action, Context, Finding};
use crate::normalize::{is_boundary, is_cjk, normalize_term};
use crate::wordlist::{Rules, BRAND_TERMS};

/// What one rule needs beside it.
#[derive(Debug, Clone, Default)]
struct Need {
    /// Normalized supporting words and phrases.
    words: Vec<String>,
    /// Another term of the same brand also supports it.
    brand_terms: bool,
}

/// The `with` requirements of a rule set, by rule index; empty when no rule has one, so
/// a matcher without them pays one check per field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Support {
    needs: Vec<Option<Need>>,
}

impl Support {
    pub(crate) fn new(rules: &Rules) -> Support {
        if rules.iter().all(|r| r.with.is_empty()) {
            return Support::default();
        }
        let needs = rules
            .iter()
            .map(|r| {
                (!r.with.is_empty()).then(|| Need {
                    words: r
                        .with
                        .iter()
                        .filter(|w| &***w != BRAND_TERMS)
                        .map(|w| normalize_term(w))
                        .collect(),
                    brand_terms: r.with.iter().any(|w| &**w == BRAND_TERMS),
                })
            })
            .collect();
        Support { needs }
    }

    /// For the findings `found[first..]` of one field (original text `text`, normalized
    /// `hay`): drop those of rules with supporting words that are glued to letters or
    /// digits, and lower to `review` those whose rule needs support the field does not
    /// give. A counterfeit context is evidence enough: the listing names the brand to
    /// sell a copy of it.
    pub(crate) fn apply(&self, text: &str, hay: &str, found: &mut Vec<Finding>, first: usize) {
        if self.needs.is_empty() || found.len() == first {
            return;
        }
        let needs = |rule: usize| matches!(self.needs.get(rule), Some(Some(_)));
        let mut kept = first;
        for j in first..found.len() {
            let f = &found[j];
            if !needs(f.rule) || stands_alone(text, f.start, f.end) {
                found.swap(kept, j);
                kept += 1;
            }
        }
        found.truncate(kept);
        let found = &mut found[first..];
        let mut lower = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let Some(Some(need)) = self.needs.get(f.rule) else {
                continue;
            };
            if f.context == Context::Counterfeit {
                continue;
            }
            let by_brand = need.brand_terms
                && found.iter().any(|g| {
                    g.rule != f.rule
                        && g.brand == f.brand
                        && !matches!(self.needs.get(g.rule), Some(Some(_)))
                });
            if !by_brand && !need.words.iter().any(|w| has_word(hay, w)) {
                lower.push(i);
            }
        }
        for i in lower {
            found[i].action = found[i].action.min(Action::Review);
        }
    }
}

/// True when `text[start..end]` has no letter or digit right before or after it. A CJK
/// character is a word of its own, not glue: Chinese titles write `高仿LV老花包`.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    !glued(text[..start].chars().next_back()) && !glued(text[end..].chars().next())
}

/// True when `word` occurs in `hay` as whole words.
fn has_word(hay: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    hay.match_indices(word).any(|(s, m)| {
        let e = s + m.len();
        let before = hay[..s].chars().next_back();
        let after = hay[e..].chars().next();
        is_boundary(before, m.chars().next()) && is_boundary(m.chars().next_back(), after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Matcher;

    fn actions(list: &str, text: &str) -> Vec<(String, Action)> {
        let m = Matcher::new(Rules::parse_csv("l.csv", list).unwrap()).unwrap();
        m.find_all("title", text)
            .into_iter()
            .map(|f| (f.term.to_string(), f.action))
            .collect()
    }

    const LV: &str =
        "term,brand,case,with\nLV,Louis Vuitton,sensitive,monogram;speedy;neverfull;@brand\n\
                      Damier,Louis Vuitton,,\nVCA,Van Cleef & Arpels,sensitive,alhambra;necklace\n";

    #[test]
    fn supporting_words_keep_the_action() {
        assert_eq!(
            actions(LV, "LV Monogram Speedy 30"),
            [("LV".into(), Action::Remove)]
        );
        assert_eq!(
            actions(LV, "VCA Alhambra style"),
            [("VCA".into(), Action::Remove)]
        );
    }

    #[test]
    fn another_term_of_the_brand_keeps_the_action() {
        let got = actions(LV, "LV Damier Ebene wallet");
        assert_eq!(
            got,
            [
                ("LV".into(), Action::Remove),
                ("Damier".into(), Action::Remove)
            ]
        );
        // `@brand` only where the rule asks for it: VCA lists words alone.
        let list = "term,brand,case,with\nVCA,Van Cleef & Arpels,sensitive,alhambra\nFrivole,Van Cleef & Arpels,,\n";
        assert_eq!(
            actions(list, "VCA Frivole")[0],
            ("VCA".into(), Action::Review)
        );
    }

    #[test]
    fn without_support_a_person_looks() {
        assert_eq!(
            actions(LV, "LV 12V battery cable"),
            [("LV".into(), Action::Review)]
        );
        // A supporting word inside another word is no support.
        assert_eq!(
            actions(LV, "LV speedyboat"),
            [("LV".into(), Action::Review)]
        );
        // Two findings of the same rule do not support each other.
        let got = actions(LV, "LV LV");
        assert!(got.iter().all(|(_, a)| *a == Action::Review), "{got:?}");
    }

    #[test]
    fn a_match_glued_to_letters_or_digits_is_a_model_number() {
        assert!(actions(LV, "MK190XPRO4 LV90 EV1LV").is_empty());
        assert_eq!(
            actions(LV, "(LV) monogram")[0],
            ("LV".into(), Action::Remove)
        );
        // Other fields' findings are left alone.
        let rules = Rules::parse_csv("l.csv", LV).unwrap();
        let m = Matcher::new(rules).unwrap();
        let mut out = m.find_all("title", "LV Speedy");
        let mut scratch = crate::Scratch::new();
        m.find_into(&std::sync::Arc::from("sku"), "LV90", &mut scratch, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn counterfeit_context_is_support_enough() {
        let got = actions(LV, "Replica LV wallet");
        assert_eq!(got, [("LV".into(), Action::Remove)]);
    }

    #[test]
    fn rules_without_with_are_untouched() {
        let list = "term,action\nRolex,hide\n";
        assert_eq!(actions(list, "Rolex"), [("Rolex".into(), Action::Hide)]);
    }
}
