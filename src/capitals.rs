//! Capitalisation as evidence for `case=sensitive` rules, the brands that are common
//! words (`Coach`, `Converse`, `Vans`; docs/matching.md#capitalisation):
//!
//! * a sensitive rule matches its written form and its ALL-CAPS form: `COACH Tabby bag`
//!   → Coach, `coach bus` ✗ ([`case_fits`]);
//! * casing is evidence only where it stands out from the rest of the field: where most
//!   other words are capitalised (a field in title case or in capitals), a finding of a
//!   sensitive rule falls to `review` — `How To Converse With Confidence`, `COACH BUS TOY
//!   MODEL` — unless another rule of the same brand (a product mark: `Chuck 70`, `Old
//!   Skool`) is found in the field too ([`Capitals::apply`]);
//! * in tag and keyword fields, where lowercase is the habit ([`is_tag_field`]), any
//!   casing is found, and a lowercase one at `review` (`tags: jordan, basketball`).
//!
//! What the obfuscation view finds keeps its action: a seller who writes `$UPREME` is
//! not writing a common word. So does what is found in counterfeit context, and rules
//! with supporting words (the `with` column), which [`crate::support`] weighs.
//!
//! ```
//! use brandscan::{Action, Matcher, Rules};
//! let rules = Rules::parse_csv("l.csv", "term,brand,case\nCoach,Coach,sensitive\n").unwrap();
//! let m = Matcher::new(rules).unwrap();
//! assert_eq!(m.find_all("title", "COACH Tabby bag")[0].action, Action::Remove);
//! assert_eq!(m.find_all("title", "COACH BUS TOY MODEL")[0].action, Action::Review);
//! assert!(m.find_all("title", "coach bus").is_empty());
//! assert_eq!(m.find_all("tags", "coach, bags")[0].action, Action::Review);
//! ```

use crate::finding::{Action, Context, Finding, MatchKind};
use crate::normalize::{case_key, is_cjk};
use crate::wordlist::{CaseMode, Rules};

/// How text a sensitive rule matched compares with the rule's written form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseFit {
    /// As written in the list (up to accents and separators).
    Written,
    /// In capitals: every cased letter uppercase.
    Capitals,
    /// Any other casing: a finding only in tag and keyword fields.
    Other,
}

fn case_fit(text: &str, key: &str) -> CaseFit {
    if case_key(text) == key {
        CaseFit::Written
    } else if in_capitals(text) {
        CaseFit::Capitals
    } else {
        CaseFit::Other
    }
}

/// Whether the text a sensitive rule matched stands, given the rule's case key
/// ([`case_key`] of its term) and whether the field is a tag field: the written form and
/// capitals everywhere, any casing in tag fields.
pub(crate) fn case_fits(text: &str, key: &str, tag_field: bool) -> bool {
    tag_field || case_fit(text, key) != CaseFit::Other
}

/// For a sensitive rule read through the obfuscation view, where letters are replaced
/// and the case key cannot be compared: text in capitals matches (`C0ACH`), as does text
/// whose first letter has the term's case (`C0ach`, not `c0ach`); a symbol standing for
/// the first letter hides its case (`$upreme`). In tag fields any casing matches.
pub(crate) fn case_shape_fits(text: &str, term: &str, tag_field: bool) -> bool {
    if tag_field || text.chars().all(|c| !c.is_lowercase()) {
        return true;
    }
    let Some(first) = text.chars().next().filter(|c| c.is_alphabetic()) else {
        return true;
    };
    term.chars()
        .find(|c| c.is_alphabetic())
        .is_none_or(|w| w.is_uppercase() == first.is_uppercase())
}

/// True when `text` has an uppercase letter and no lowercase one.
fn in_capitals(text: &str) -> bool {
    let mut upper = false;
    for c in text.chars() {
        if c.is_lowercase() {
            return false;
        }
        upper |= c.is_uppercase();
    }
    upper
}

/// True for a column of tags or keywords: a word of its name is `tag` or `tags` or
/// holds `keyword` (`Tags`, `generic_keywords`, `Search Keywords`), or it is a Chinese
/// keyword or tag column (`关键词`, `关键字`, `标签`). `vintage` is not a tag column.
///
/// ```
/// use brandscan::capitals::is_tag_field;
/// assert!(is_tag_field("Tags") && is_tag_field("generic_keywords") && is_tag_field("关键词"));
/// assert!(!is_tag_field("title") && !is_tag_field("vintage_year") && !is_tag_field("stage"));
/// ```
pub fn is_tag_field(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "tag" || w == "tags" || w.contains("keyword"))
        || ["关键词", "关键字", "标签"]
            .iter()
            .any(|k| lower.contains(k))
}

/// Whether the words of `text` outside `skip` (the byte spans of its findings) are
/// mostly capitalised, so that a capital on a term says nothing: a field in title case
/// or in capitals. Words are runs of two letters or more (an apostrophe stays inside:
/// `Women's`); a run of CJK characters is a word that is not capitalised. Title case
/// leaves short function words in lower case (`How to Converse with Confidence`, `Sac à
/// Main en Cuir`), so a lowercase [`FUNCTION_WORDS`] word counts neither way. With no
/// other word nothing makes the term stand out, so that counts as capitalised too. With
/// `html`, markup (`<div class="x">`) is not read.
///
/// ```
/// use brandscan::capitals::mostly_capitalised;
/// assert!(mostly_capitalised("How To Converse With Confidence", &[(7, 15)], false));
/// assert!(mostly_capitalised("How to Converse with Confidence", &[(7, 15)], false));
/// assert!(mostly_capitalised("COACH BUS TOY MODEL", &[(0, 5)], false));
/// assert!(!mostly_capitalised("Coach tote bag", &[(0, 5)], false));
/// assert!(!mostly_capitalised("COACH 托特包", &[(0, 5)], false));
/// assert!(!mostly_capitalised("<P CLASS=\"X\">COACH tote bag</P>", &[(13, 18)], true));
/// ```
pub fn mostly_capitalised(text: &str, skip: &[(usize, usize)], html: bool) -> bool {
    let skipped = |i: usize| skip.iter().any(|&(s, e)| s <= i && i < e);
    let (mut capital, mut other) = (0usize, 0usize);
    // The word being read: its start, first letter and number of letters.
    let mut word: Option<(usize, char, usize)> = None;
    let close =
        |w: Option<(usize, char, usize)>, end: usize, capital: &mut usize, other: &mut usize| {
            if let Some((start, first, letters)) = w {
                if letters < 2 || skipped(start) {
                    return;
                }
                if first.is_uppercase() {
                    *capital += 1;
                } else if !is_function_word(&text[start..end]) {
                    *other += 1;
                }
            }
        };
    let mut cjk_run = false;
    let mut in_tag = false;
    for (i, c) in text.char_indices() {
        if html && (in_tag || c == '<') {
            in_tag = c != '>';
            close(word.take(), i, &mut capital, &mut other);
            continue;
        }
        if is_cjk(c) {
            close(word.take(), i, &mut capital, &mut other);
            if !cjk_run && !skipped(i) {
                other += 1;
            }
            cjk_run = true;
            continue;
        }
        cjk_run = false;
        if c.is_alphabetic() || (c == '\'' && word.is_some()) {
            match &mut word {
                Some((_, _, n)) => *n += usize::from(c.is_alphabetic()),
                None => word = Some((i, c, 1)),
            }
        } else {
            close(word.take(), i, &mut capital, &mut other);
        }
    }
    close(word.take(), text.len(), &mut capital, &mut other);
    capital + other == 0 || capital > other
}

/// The short function words that title case leaves in lower case — articles,
/// conjunctions and short prepositions — in the languages of the catalogs the lists
/// serve: English, French, Spanish, Italian, Portuguese, German and Dutch. Sorted, for a
/// binary search.
pub const FUNCTION_WORDS: &[&str] = &[
    "aan", "al", "am", "an", "and", "as", "at", "au", "auf", "aus", "aux", "avec", "bei", "but",
    "by", "con", "da", "das", "de", "dei", "del", "della", "delle", "dem", "der", "des", "di",
    "die", "dos", "du", "een", "el", "em", "en", "et", "for", "from", "für", "gli", "het", "il",
    "im", "in", "into", "la", "las", "le", "les", "lo", "los", "met", "mit", "na", "nor", "of",
    "on", "onto", "op", "or", "par", "para", "per", "por", "pour", "sur", "than", "the", "to",
    "um", "un", "una", "und", "une", "uno", "upon", "van", "via", "voor", "vs", "with", "zu",
    "zum", "zur",
];

/// True for a lowercase function word ([`FUNCTION_WORDS`]).
///
/// ```
/// use brandscan::capitals::is_function_word;
/// assert!(is_function_word("with") && is_function_word("für"));
/// assert!(!is_function_word("With") && !is_function_word("bus"));
/// ```
pub fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.binary_search(&word).is_ok()
}

/// The case keys of the sensitive rules that capitalisation weighs, by rule index; part
/// of a matcher. Empty when no rule is sensitive, so such a matcher pays one check per
/// field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Capitals {
    keys: Vec<Option<String>>,
}

impl Capitals {
    pub(crate) fn new(rules: &Rules) -> Capitals {
        if rules.iter().all(|r| r.case != CaseMode::Sensitive) {
            return Capitals::default();
        }
        let keys = rules
            .iter()
            .map(|r| {
                (r.case == CaseMode::Sensitive && r.with.is_empty()).then(|| case_key(&r.term))
            })
            .collect();
        Capitals { keys }
    }

    fn weighs(&self, f: &Finding) -> bool {
        matches!(self.keys.get(f.rule), Some(Some(_)))
            && f.match_kind != MatchKind::Obfuscated
            && f.context != Context::Counterfeit
    }

    /// Lower to `review` the findings `found[first..]` of one field (column `field`,
    /// original text `text`, read as HTML when `html`) where the casing of a sensitive
    /// rule's match is no evidence: another casing than written or capitals (found only
    /// in tag fields), or a mostly capitalised field ([`mostly_capitalised`]) with no
    /// other rule of the brand beside it.
    pub(crate) fn apply(
        &self,
        field: &str,
        text: &str,
        html: bool,
        found: &mut [Finding],
        first: usize,
    ) {
        let found = &mut found[first..];
        if self.keys.is_empty() || !found.iter().any(|f| self.weighs(f)) {
            return;
        }
        let tag_field = is_tag_field(field);
        let mut capitalised = None;
        let mut lower = Vec::new();
        for (i, f) in found.iter().enumerate() {
            let Some(Some(key)) = self.keys.get(f.rule).filter(|_| self.weighs(f)) else {
                continue;
            };
            let other_casing = tag_field && case_fit(&f.matched, key) == CaseFit::Other;
            let weak = other_casing
                || (*capitalised.get_or_insert_with(|| {
                    let spans: Vec<(usize, usize)> =
                        found.iter().map(|g| (g.start, g.end)).collect();
                    mostly_capitalised(text, &spans, html)
                }) && !found
                    .iter()
                    .any(|g| g.rule != f.rule && g.brand == f.brand && g.term != f.term));
            if weak {
                lower.push(i);
            }
        }
        for i in lower {
            found[i].action = found[i].action.min(Action::Review);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_form_and_capitals_fit_everywhere_other_casings_only_in_tags() {
        let key = case_key("Coach");
        assert!(case_fits("Coach", &key, false));
        assert!(case_fits("COACH", &key, false));
        assert!(!case_fits("coach", &key, false));
        assert!(!case_fits("cOACH", &key, false));
        assert!(case_fits("coach", &key, true));
        // A term written in capitals has only one form.
        let key = case_key("BOSS");
        assert!(!case_fits("Boss", &key, false));
    }

    #[test]
    fn case_shape_through_the_view() {
        assert!(case_shape_fits("C0ACH", "Coach", false));
        assert!(case_shape_fits("C0ach", "Coach", false));
        assert!(!case_shape_fits("c0ach", "Coach", false));
        assert!(case_shape_fits("c0ach", "Coach", true));
        assert!(case_shape_fits("$upreme", "Supreme", false));
    }

    #[test]
    fn tag_fields() {
        for name in [
            "tags",
            "Tag",
            "keywords",
            "Search Keywords",
            "item_keyword_1",
            "标签",
        ] {
            assert!(is_tag_field(name), "{name}");
        }
        for name in [
            "title",
            "vintage",
            "stage_name",
            "description",
            "image_tag_url_x",
        ] {
            assert_eq!(is_tag_field(name), name.contains("_tag_"), "{name}");
        }
    }

    #[test]
    fn capitalised_fields() {
        let all = |t: &str| mostly_capitalised(t, &[], false);
        assert!(all("Soccer Coach Whistle Lanyard New"));
        assert!(all("PUMA SUEDE SNEAKERS FAST SHIPPING"));
        assert!(all(""));
        assert!(!all("Shoulder bag for women"));
        // A tie is not mostly.
        assert!(!all("Great bag for you"));
        // One-letter words and numbers do not count; an apostrophe is inside a word.
        assert!(!all("A 5 x Women's bag"));
        assert!(all("Women's Bag 45mm X"));
    }

    #[test]
    fn lowercase_function_words_do_not_count_against_title_case() {
        let around = |t: &str, term: &str| {
            let s = t.find(term).unwrap();
            mostly_capitalised(t, &[(s, s + term.len())], false)
        };
        assert!(around("How to Converse with Confidence", "Converse"));
        assert!(around("The Art of Coach and Team Building", "Coach"));
        assert!(around("Sac à Main en Cuir pour Coach", "Coach"));
        assert!(around("Zapatillas Puma de Running para Hombre", "Puma"));
        assert!(around("Schuhe von Puma für Damen und Herren", "Puma"));
        // Content words in lower case still count: the term stands out.
        assert!(!around("Converse all star sneakers", "Converse"));
        assert!(!around("Coach tote in pebbled leather", "Coach"));
        assert!(!around("Moving Vans toy truck", "Vans"));
        // Only in lower case: a capitalised function word is a capitalised word.
        assert!(around("How To Converse With Confidence", "Converse"));
        // A field of function words alone gives no evidence either way.
        assert!(around("Coach to the", "Coach"));
    }

    #[test]
    fn function_words_are_sorted_lowercase_and_short() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in FUNCTION_WORDS {
            assert_eq!(w.to_lowercase(), *w);
            assert!(w.chars().count() <= 5, "{w}");
        }
    }
}
