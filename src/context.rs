//! The context a term was found in (docs/matching.md#context): compatible use and counterfeit signals.
//!
//! Both are read from the field's normalized text, so they are case- and
//! separator-insensitive (`Compatible-With`, `FITS`), and both are whole-word.
//!
//! * **compatible** — the term comes directly after `compatible with`, `for`, `fits`,
//!   `fit for`, `replacement for`, `works with` or `suitable for` (`Strap for Rolex`;
//!   not `Fits most LEGO sets`). In Chinese, `适用于`, `适配`, `兼容` or `用于` come before
//!   the term, at most one short word apart (`适用于苹果iPhone 15`: the maker's name
//!   often stands between), or `配` directly before it (`配iPhone`, not `搭配`). Its
//!   action is the rule's unless [`crate::MatcherBuilder::compatible_action`] says
//!   otherwise.
//! * **counterfeit** — the field also says `replica`, `fake`, `copy`, `1:1`, `AAA`,
//!   `mirror quality`, `dupe`, `knockoff`, `inspired by`, `similar to` or `better than`,
//!   or in Chinese `高仿`, `复刻`, `原单`, `莆田`, `精仿`, `A货`, `超A`, `大牌同款`, `一比一`
//!   or `1比1`; or `style` comes right after the term (`Rolex style`). Severity becomes
//!   `serious` and action `remove`. A few fixed phrases where a signal word means
//!   something else are not signals: `AAA battery`, `AAA batteries`, `copy paper`.
//!
//! ```
//! use brandscan::{Context, Matcher, Rules, Severity, Action};
//! let m = Matcher::new(Rules::parse_csv("l.csv", "term,action\nRolex,hide\n").unwrap()).unwrap();
//! let f = &m.find_all("t", "Strap for Rolex 20mm")[0];
//! assert_eq!((f.context, f.action), (Context::Compatible, Action::Hide));
//! let f = &m.find_all("t", "Rolex style watch")[0];
//! assert_eq!((f.context, f.severity, f.action), (Context::Counterfeit, Severity::Serious, Action::Remove));
//! ```

use crate::finding::Context;
use crate::normalize::{is_boundary, is_cjk, Normalized};
use aho_corasick::{AhoCorasick, MatchKind};

/// What may come right before a term used compatibly, normalized. `replacement for`,
/// `fit for` and `suitable for` end in `for`.
const COMPATIBLE: &[&str] = &["compatible with", "works with", "fits", "for"];

/// Chinese compatible-use words ("suitable for", "adapted to", "compatible", "used for"):
/// they may stand a short word away from the term, since the maker's name often comes
/// between (`适用于苹果iPhone`).
const COMPATIBLE_CJK: &[&str] = &["适用于", "适配", "兼容", "用于"];

/// What may stand between a Chinese trigger and the term: a maker's name, as up to four
/// Chinese characters (`苹果`, `华为`) or one word in Latin letters or digits (`Apple`).
const CJK_GAP: usize = 4;
const LATIN_GAP: usize = 12;

/// `配` ("goes with") counts only directly before the term, and not where it ends a
/// word of its own: 搭配 (pairs with), 标配 (standard kit), 原配 (original), 选配
/// (optional), 分配, 匹配 (matching), 装配 (assembly).
const PEI_WORDS: &[char] = &['搭', '标', '原', '选', '分', '匹', '装'];

/// Words and phrases that mark a listing as a counterfeit offer, normalized.
pub const COUNTERFEIT: &[&str] = &[
    "replica",
    "replicas",
    "fake",
    "fakes",
    "super fake",
    "copy",
    "1:1",
    "aaa",
    "aaa+",
    "aaaa",
    "aaaaa",
    "mirror quality",
    "dupe",
    "dupes",
    "knockoff",
    "knockoffs",
    "knock off",
    "knock offs",
    "inspired by",
    "similar to",
    "better than",
    // Chinese: high imitation, replica ("re-engraved"), factory leftovers, Putian (the
    // town known for copied sneakers), fine imitation, A-goods, super-A, "same style as
    // the big brand", one-to-one.
    "高仿",
    "复刻",
    "原单",
    "莆田",
    "精仿",
    "a货",
    "超a",
    "大牌同款",
    "一比一",
    "1比1",
    // imitation goods, imitation brand
    "仿品",
    "仿牌",
];

/// The built-in list of counterfeit wording (docs/matching.md#counterfeit-wording): its
/// terms are findings of their own when the built-in lists are loaded, and its allow
/// phrases (`AAA batteries`, `replica jersey`, `1:1 scale`) say where a signal word
/// means something else, for brand context too.
pub const COUNTERFEIT_LIST: &str = include_str!("../wordlists/counterfeit.csv");

/// The brand of the built-in counterfeit-wording rules, so reports can tell them apart
/// from brands.
pub const COUNTERFEIT_WORDING: &str = "(counterfeit wording)";

/// True for the brand of a real rights holder; false for the two groups that are kept
/// apart from brands in reports: counterfeit wording and the unknown brands beside it.
///
/// ```
/// use brandscan::context::names_a_brand;
/// assert!(names_a_brand("Rolex"));
/// assert!(!names_a_brand("(counterfeit wording)"));
/// assert!(!names_a_brand("(unknown brand)"));
/// ```
pub fn names_a_brand(brand: &str) -> bool {
    brand != COUNTERFEIT_WORDING && brand != crate::unknown::UNKNOWN_BRAND
}

/// Innocent uses of the weak signals that are no finding of their own (not in
/// [`COUNTERFEIT_LIST`]), normalized.
const INNOCENT_WEAK: &[&str] = &["copy paper", "copy holder", "copy stand"];

/// The one-to-one wording, normalized: a copy of a product, or the scale of a model.
const RATIOS: &[&str] = &["1比1", "一比一", "1:1"];

/// Chinese words that make a one-to-one ratio a model's scale anywhere in the field:
/// 比例 (scale, also in 等比例 "to scale") and 模型 (a model, also in 仿真模型). A seller
/// of copies says 1比1 to mean "identical", not "to scale", and sells no 模型.
const SCALE_WORDS: &[&str] = &["比例", "模型"];

/// True when `signal` (normalized counterfeit wording) is one-to-one wording
/// ([`RATIOS`]) in a field (normalized `hay`) that speaks of scale ([`SCALE_WORDS`]):
/// `1比1 等比例 汽车模型` is a model car. Such wording is no signal, and the policy step
/// drops its finding of the counterfeit-wording list.
pub(crate) fn ratio_means_scale(signal: &str, hay: &str) -> bool {
    RATIOS.contains(&signal) && SCALE_WORDS.iter().any(|w| hay.contains(w))
}

/// The compiled context rules; part of a [`crate::Matcher`].
#[derive(Debug, Clone)]
pub(crate) struct ContextRules {
    signals: AhoCorasick,
    innocent: AhoCorasick,
}

impl ContextRules {
    pub(crate) fn new() -> ContextRules {
        let signals = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(COUNTERFEIT)
            .unwrap_or_else(|_| unreachable!("fixed, valid patterns"));
        let innocent = AhoCorasick::new(innocent_phrases())
            .unwrap_or_else(|_| unreachable!("fixed, valid patterns"));
        ContextRules { signals, innocent }
    }

    /// The context of the term at normalized range `start..end` of `hay`.
    /// `counterfeit_field` caches the field-wide signal check across the field's findings.
    pub(crate) fn classify(
        &self,
        hay: &str,
        start: usize,
        end: usize,
        counterfeit_field: &mut Option<bool>,
    ) -> Context {
        let field_says = *counterfeit_field.get_or_insert_with(|| {
            crate::work::step(hay.len());
            self.field_signal(hay)
        });
        if field_says || style_follows(&hay[end..]) {
            Context::Counterfeit
        } else if compatible_before(&hay[..start]) || cjk_compatible_before(&hay[..start]) {
            Context::Compatible
        } else {
            Context::None
        }
    }

    fn field_signal(&self, hay: &str) -> bool {
        self.signal_spans(hay).next().is_some()
    }

    /// The counterfeit signals of the normalized `hay`, as byte ranges of it.
    fn signal_spans<'h>(&'h self, hay: &'h str) -> impl Iterator<Item = (usize, usize)> + 'h {
        self.signals.find_iter(hay).filter_map(move |m| {
            let (s, e) = (m.start(), m.end());
            let before = hay[..s].chars().next_back();
            let first = hay[s..].chars().next();
            let last = hay[..e].chars().next_back();
            let after = hay[e..].chars().next();
            if !(is_boundary(before, first) && is_boundary(last, after)) {
                return None;
            }
            let innocent = self.innocent.find_overlapping_iter(hay).any(|a| {
                a.start() <= s
                    && e <= a.end()
                    && is_boundary(
                        hay[..a.start()].chars().next_back(),
                        hay[a.start()..].chars().next(),
                    )
                    && is_boundary(
                        hay[..a.end()].chars().next_back(),
                        hay[a.end()..].chars().next(),
                    )
            });
            (!innocent && !ratio_means_scale(&hay[s..e], hay)).then_some((s, e))
        })
    }
}

/// The counterfeit signals in `text` (`AAA`, `Replica`, `1:1`), as the matcher finds
/// them for a finding's `counterfeit` context, as byte ranges of `text`: what a report
/// highlights beside the brand words.
///
/// ```
/// let text = "AAA Replica Rolex, 1:1 dial, AAA batteries";
/// let spans = brandscan::context::counterfeit_signals(text);
/// let words: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
/// assert_eq!(words, ["AAA", "Replica", "1:1"]);
/// ```
pub fn counterfeit_signals(text: &str) -> Vec<(usize, usize)> {
    static RULES: std::sync::OnceLock<ContextRules> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(ContextRules::new);
    let mut n = Normalized::default();
    n.normalize(text);
    rules
        .signal_spans(n.as_str())
        .map(|(s, e)| n.original_span(s, e))
        .collect()
}

/// The allow phrases of [`COUNTERFEIT_LIST`] and [`INNOCENT_WEAK`], normalized; a phrase
/// of several words also with its words joined, as the matcher reads it (`莆田 特产` is
/// also `莆田特产`: Chinese titles space their words or not).
fn innocent_phrases() -> Vec<String> {
    let list = crate::Rules::parse_csv("<builtin:counterfeit>", COUNTERFEIT_LIST)
        .unwrap_or_else(|e| unreachable!("the built-in list parses: {e}"));
    list.iter()
        .filter(|r| r.kind == crate::wordlist::RuleKind::Allow)
        .map(|r| crate::normalize::normalize_term(&r.term))
        .chain(INNOCENT_WEAK.iter().map(|s| s.to_string()))
        .flat_map(|p| {
            let joined = p.contains(' ').then(|| p.replace(' ', ""));
            std::iter::once(p).chain(joined)
        })
        .collect()
}

/// `style` right after the term: `Rolex style`, `Chanel-style`.
fn style_follows(after: &str) -> bool {
    after
        .strip_prefix(' ')
        .and_then(|a| a.strip_prefix("style"))
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// A compatible-use trigger directly before the term.
fn compatible_before(before: &str) -> bool {
    let all = before.len();
    let before = before.trim_end_matches([' ', ':']);
    crate::work::step(all - before.len() + 32);
    COMPATIBLE.iter().any(|t| {
        before.strip_suffix(t).is_some_and(|head| {
            head.chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// A Chinese compatible-use trigger before the term: one of [`COMPATIBLE_CJK`] with at
/// most one short word between ([`CJK_GAP`], [`LATIN_GAP`]), or `配` right before.
fn cjk_compatible_before(before: &str) -> bool {
    let all = before.len();
    let before = before.trim_end_matches(' ');
    // The spaces, then a look back over at most one short word.
    crate::work::step(all - before.len() + 4 * (CJK_GAP + LATIN_GAP + 2));
    if let Some(head) = before.strip_suffix('配') {
        if !head.ends_with(PEI_WORDS) {
            return true;
        }
    }
    let ends_in_trigger = |s: &str| {
        let s = s.trim_end_matches(' ');
        COMPATIBLE_CJK.iter().any(|t| s.ends_with(t))
    };
    if ends_in_trigger(before) {
        return true;
    }
    // The word between: a run of Chinese characters or one of ASCII letters and digits.
    let mut rest = before;
    let (mut cjk, mut latin) = (0, 0);
    while let Some(c) = rest.chars().next_back() {
        if is_cjk(c) && latin == 0 && cjk < CJK_GAP {
            cjk += 1;
        } else if c.is_ascii_alphanumeric() && cjk == 0 && latin < LATIN_GAP {
            latin += 1;
        } else {
            return false;
        }
        rest = &rest[..rest.len() - c.len_utf8()];
        if ends_in_trigger(rest) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(hay: &str, term: &str) -> Context {
        let s = hay.find(term).unwrap();
        ContextRules::new().classify(hay, s, s + term.len(), &mut None)
    }

    #[test]
    fn compatible_triggers() {
        for hay in [
            "strap for rolex",
            "compatible with rolex 20mm",
            "fits rolex",
            "fit for rolex",
            "replacement for rolex",
            "works with rolex",
            "suitable for rolex",
            "bracelet for: rolex",
            "适用于rolex",
            "适用于劳力士rolex",
            "适配 rolex",
            "兼容rolex表带",
            "用于 rolex",
            "配rolex",
            "表带 配 rolex",
        ] {
            assert_eq!(ctx(hay, "rolex"), Context::Compatible, "{hay}");
        }
        for hay in [
            "rolex strap",
            "for ps5 rolex",
            "fits most rolex",
            "platform rolex",
            "outfits rolex",
            "rolex兼容",
            "搭配rolex",
            "标配 rolex",
            "适用于办公室家用 rolex",
            "适用于手表, rolex",
        ] {
            assert_eq!(ctx(hay, "rolex"), Context::None, "{hay}");
        }
    }

    #[test]
    fn counterfeit_signals() {
        for hay in [
            "rolex replica",
            "1:1 rolex",
            "aaa rolex daytona",
            "rolex style watch",
            "rolex mirror quality",
            "rolex knock off",
            "inspired by rolex",
            "strap for rolex, dupe",
            "高仿 rolex 手表",
            "rolex复刻",
            "原单rolex",
            "莆田 rolex",
            "精仿rolex",
            "rolex a货",
            "超a rolex",
            "超a货 rolex",
            "大牌同款rolex",
            "rolex 一比一",
            "rolex 1比1",
            // Scale words make only the ratio innocent.
            "高仿 1比1 rolex 模型",
            "rolex 1比1 型号 116610",
            "rolex aaaa",
            "rolex aaa+",
            "仿品 rolex",
            "rolex replica watch, jersey",
        ] {
            assert_eq!(ctx(hay, "rolex"), Context::Counterfeit, "{hay}");
        }
        for hay in [
            "rolex stylet",
            "1:10 rolex",
            "rolex with aaa batteries",
            "rolex copy paper",
            "rolex fakeout",
            "styled rolex",
            "rolex 11比1",
            "rolex replica jersey",
            "rolex 1:1 scale",
            "aspect ratio 1:1 rolex",
            "1比1 等比例 rolex 汽车模型",
            "一比一 rolex 仿真模型",
            "1:1 等身 rolex 模型",
            "rolex 4 aaa batteries",
            "原单号 rolex",
            "data货 rolex",
            "rolex风格",
            "rolex同款",
        ] {
            assert_eq!(ctx(hay, "rolex"), Context::None, "{hay}");
        }
    }

    #[test]
    fn every_term_of_the_counterfeit_list_is_a_signal() {
        let list = crate::Rules::parse_csv("counterfeit.csv", COUNTERFEIT_LIST).unwrap();
        let rules = ContextRules::new();
        let mut terms = 0;
        for r in list.iter() {
            assert_eq!(&*r.brand, COUNTERFEIT_WORDING, "{}", r.term);
            let norm = crate::normalize::normalize_term(&r.term);
            let signal = rules.field_signal(&norm);
            match r.kind {
                crate::wordlist::RuleKind::Allow => assert!(!signal, "allow `{}`", r.term),
                _ => {
                    terms += 1;
                    assert!(signal, "term `{}`", r.term);
                }
            }
        }
        assert!(terms >= 20, "{terms}");
    }
}
