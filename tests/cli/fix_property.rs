//! Property tests of `fix`: a fixed field has no finding of the fixed rules left, and
//! differs from the original only around the removed spans.

use brandscan::fix::{apply_edits, Edit, Fixer, MAX_PEELS};
use brandscan::{Action, Matcher, Rules, Scratch};
use proptest::prelude::*;

/// Words and marks a listing is made of, tidy's special cases included: connectives,
/// conjunctions, brackets, tags, entities, CJK.
const WORDS: &[&str] = &[
    "Rolex",
    "Nike",
    "Louis",
    "Vuitton",
    "strap",
    "steel",
    "watch",
    "band",
    "20mm",
    "1",
    "for",
    "fits",
    "compatible",
    "with",
    "and",
    "or",
    "style",
    "by",
    "inspired",
    "(",
    ")",
    "[",
    "]",
    "【",
    "】",
    "<b>",
    "</b>",
    "<p>",
    "</p>",
    "-",
    ",",
    "/",
    "&",
    "+",
    "|",
    ".",
    "&amp;",
    "&nbsp;",
    "'s",
    "®",
    "#",
    "\"",
    "耐克",
    "运动鞋",
    "表带",
    "x",
];

const SEPARATORS: &[&str] = &[" ", " ", " ", "", ", ", " - ", "/", "\n", "  ", "\t"];

/// A field as tokens and the separators after them.
fn tokens() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((0..WORDS.len(), 0..SEPARATORS.len()), 1..80)
}

/// The text, and the byte range of each token.
fn build(tokens: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for &(w, s) in tokens {
        let start = text.len();
        text.push_str(WORDS[w]);
        ranges.push((start, text.len()));
        text.push_str(SEPARATORS[s]);
    }
    (text, ranges)
}

/// True when `needle` is a subsequence of `hay` (by characters).
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|c| h.any(|d| d == c))
}

/// The whitespace-delimited words of `text` that have a letter or digit, as ranges.
fn content_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                if text[s..i].chars().any(char::is_alphanumeric) {
                    out.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// One pass of cuts: nothing is invented, and every word far enough from a cut
    /// survives, with the text between such words byte-identical and in order.
    #[test]
    fn cuts_touch_only_the_text_around_them(toks in tokens(), picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4)) {
        let (text, ranges) = build(&toks);
        let cuts: Vec<(usize, usize)> = picks.iter().map(|i| ranges[i.index(ranges.len())]).collect();
        let edits: Vec<Edit<'_>> = cuts.iter().map(|&(start, end)| Edit { start, end, replacement: "" }).collect();
        let out = apply_edits(&text, &edits);
        prop_assert!(is_subsequence(&out, &text), "{text:?} → {out:?}");
        // Each peel takes at most three words (`same style as`) on the left or one on
        // the right; `style` one more.
        let reach = 3 * MAX_PEELS + 2;
        let words = content_words(&text);
        let near: Vec<bool> = (0..words.len())
            .map(|i| {
                let lo = i.saturating_sub(reach);
                let hi = (i + reach).min(words.len() - 1);
                // The junk between words belongs to the windows on both sides.
                let from = if lo == 0 { 0 } else { words[lo - 1].1 };
                let to = words.get(hi + 1).map_or(text.len(), |w| w.0);
                cuts.iter().any(|&(s, e)| s < to && e > from)
            })
            .collect();
        let mut at = 0;
        let mut i = 0;
        while i < words.len() {
            if near[i] {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < words.len() && !near[j + 1] {
                j += 1;
            }
            let run = &text[words[i].0..words[j].1];
            match out[at..].find(run) {
                Some(k) => at += k + run.len(),
                None => prop_assert!(false, "{run:?} of {text:?} is not intact in {out:?}"),
            }
            i = j + 1;
        }
    }

    /// The whole fix: a converged field has no editable `remove` finding left, and fixing
    /// it again changes nothing.
    #[test]
    fn fixed_fields_have_no_finding_of_the_fixed_rules(toks in tokens(), terms in prop::collection::vec((any::<prop::sample::Index>(), 1usize..3, any::<bool>()), 1..5)) {
        let (text, ranges) = build(&toks);
        let mut list = String::from("term,action,replacement\n");
        for (i, len, replace) in &terms {
            let first = i.index(ranges.len());
            let last = (first + len - 1).min(ranges.len() - 1);
            let term = text[ranges[first].0..ranges[last].1].trim().replace('"', "");
            if term.chars().any(char::is_alphanumeric) && !term.contains(['\n', ',']) {
                list.push_str(&format!("\"{term}\",remove,{}\n", if *replace { "generic" } else { "" }));
            }
        }
        let (Ok(a), Ok(b)) = (Rules::parse_csv("p.csv", &list), Rules::parse_csv("p.csv", &list)) else {
            return Ok(());
        };
        let matcher = Matcher::new(a).unwrap();
        let fixer = Fixer::new(Matcher::new(b).unwrap());
        let field = "title".into();
        let f = fixer.fix_field(&field, &text, &mut Scratch::new());
        prop_assume!(f.converged);
        let fixed = f.fixed.clone().unwrap_or_else(|| text.clone());
        for finding in matcher.find_all("title", &fixed) {
            prop_assert!(
                // The only `remove` findings a fix keeps are those in a URL or file name.
                finding.action != Action::Remove
                    || f.kept.iter().any(|k| (k.start, k.end) == (finding.start, finding.end)),
                "{text:?} → {fixed:?} still has {:?}", finding.matched
            );
        }
        let again = fixer.fix_field(&field, &fixed, &mut Scratch::new());
        prop_assert_eq!(again.fixed, None, "{:?} → {:?} is not a fixed point", text, fixed);
    }
}
