//! Property tests: offsets are sacred, and parallelism never changes the output.

use crate::util::*;
use brandscan::normalize::Normalized;
use brandscan::{MatchKind, Matcher, MatcherBuilder, Rules};
use proptest::prelude::*;

/// Characters that stress normalization: ASCII, separators, accents (precomposed and
/// combining), full-width, ligatures, CJK, Cyrillic, emoji, zero-width.
fn field_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', '-', '_', '.', '/', '\'', ',', '\t', '\u{3000}', '\u{00A0}']),
        1 => prop::sample::select(vec!['é', 'è', 'ë', 'ü', 'ß', 'İ', 'Ω', '\u{301}', '\u{308}', '\u{327}']),
        1 => prop::sample::select(vec!['Ｎ', 'ｉ', 'ｋ', 'ｅ', 'ﬁ', 'Ⓝ', '①', '㎏', '\u{200B}', '\u{AD}']),
        1 => prop::sample::select(vec!['耐', '克', '运', '动', '鞋', 'ア', 'і', 'Ο', '😀', '한']),
    ]
}

/// ASCII-only fields exercise the shifted-map fast path.
fn ascii_field() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'e'),
            2 => prop::char::range('A', 'E'),
            3 => prop::sample::select(vec![' ', '-', '_', '.', '/', '\'', ',', '\t', '1']),
        ],
        0..60,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn field() -> impl Strategy<Value = String> {
    prop::collection::vec(field_char(), 0..60).prop_map(|v| v.into_iter().collect())
}

/// Pieces that send a field through the obfuscation view and the HTML reader: digits
/// and symbols in words, spaced and stretched letters, look-alikes, tags, entities and
/// attributes (some broken).
fn evasive_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => field_char().prop_map(String::from),
        1 => prop::sample::select(vec![
            "N1ke", "R0lex", "Adid@s", "$upreme", "N I K E", "n.i.k.e", "Niiiike", "Gu\u{200b}cci",
            "N\u{456}ke", "🅽🅸🅺🅴", "𝐍𝐢𝐤𝐞", "Rolex style", "for Rolex", "1:1", "Addidas",
            "<p>", "</p>", "<b>", "<br/>", "<img src=\"rolex.jpg\" alt=\"Mo&euml;t\">",
            "<a title='N1ke", "&amp;", "&nbsp;", "&#233;", "&#x", "<!-- x -->", "<", "&",
        ]).prop_map(String::from),
    ]
}

fn evasive_field() -> impl Strategy<Value = String> {
    prop::collection::vec(evasive_piece(), 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_trigger_never_skips_a_field_the_view_would_read(text in evasive_field()) {
        use brandscan::obfuscate::{might_be_obfuscated, ObfuscationView};
        let mut n = Normalized::default();
        n.normalize(&text);
        let mut v = ObfuscationView::default();
        v.build_from(&n, &text);
        let len = v.as_str().len();
        if len > 0 && v.evidence(0, len) {
            prop_assert!(might_be_obfuscated(n.as_str()), "{:?} -> {:?}", n.as_str(), v.as_str());
        }
    }

    #[test]
    fn spans_slice_the_original_through_every_view(text in evasive_field(), html_column in any::<bool>()) {
        let list = "Nike\nRolex\nGucci\nAdidas\nSupreme\nMoët\nLouis Vuitton\nN I\n";
        let rules = Rules::parse_txt("p.txt", list).unwrap();
        let m = MatcherBuilder::new().fuzzy(true).build(rules).unwrap();
        let column = if html_column { "Body (HTML)" } else { "title" };
        for f in m.find_all(column, &text) {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
        }
    }

    #[test]
    fn every_span_slices_the_original(text in field(), picks in prop::collection::vec((0usize..60, 1usize..8), 1..6), extra in field()) {
        // Terms: pieces of the text itself (so matches happen) plus a random one.
        let chars: Vec<char> = text.chars().collect();
        let mut list = String::new();
        for (start, len) in picks {
            if start < chars.len() {
                let end = (start + len).min(chars.len());
                let term: String = chars[start..end].iter().collect();
                list.push_str(term.trim());
                list.push('\n');
            }
        }
        list.push_str(extra.trim());
        list.push('\n');
        let rules = Rules::parse_txt("p.txt", &list).unwrap_or_default();
        let m = Matcher::new(rules).unwrap();
        for f in m.find_all("title", &text) {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
        }
    }

    #[test]
    fn ascii_spans_slice_the_original(text in ascii_field(), terms in prop::collection::vec("[a-eA-E][a-e .-]{0,6}[a-e]", 1..6)) {
        let rules = Rules::parse_txt("p.txt", &terms.join("\n")).unwrap_or_default();
        let m = Matcher::new(rules).unwrap();
        for f in m.find_all("title", &text) {
            prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
            // The match really is the term up to case and separators.
            // A plain reading is the term up to case and separators (an obfuscated one,
            // such as stretched letters `bbbAA` for `Baaa`, is checked by the view's own
            // property tests).
            if matches!(f.match_kind, MatchKind::Exact | MatchKind::Normalized) {
                let squash =
                    |s: &str| s.to_lowercase().replace([' ', '-', '_', '.', '/', '\t'], "");
                prop_assert_eq!(squash(&f.matched), squash(&f.term));
            }
        }
    }

    #[test]
    fn normalized_map_is_monotonic_and_in_bounds(text in field()) {
        let mut n = Normalized::default();
        n.normalize(&text);
        let norm = n.as_str().to_string();
        let mut prev_start = 0;
        for (i, c) in norm.char_indices() {
            let (s, e) = n.original_span(i, i + c.len_utf8());
            prop_assert!(s < e && e <= text.len());
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            prop_assert!(s >= prev_start, "map goes backwards at {}", i);
            prev_start = s;
        }
        if !norm.is_empty() {
            let (s, e) = n.original_span(0, norm.len());
            prop_assert!(s <= e && e <= text.len());
        }
    }
}

/// A deterministic catalog big enough for many batches.
fn catalog(rows: usize) -> String {
    let words = [
        "Rolex",
        "strap",
        "steel",
        "Nike",
        "ＮＩＫＥ",
        "Pineapple",
        "louis-vuitton",
        "耐克运动鞋",
        "Hermès",
        "for",
        "case",
        "iPhone13",
        "13M",
        "3M",
        "Coach",
        "coach",
        "apple green",
        "Apple",
    ];
    let mut s = String::from("id,title,description\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..rows {
        let mut cell = |n: usize| {
            let mut out = Vec::new();
            for _ in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                out.push(words[(x % words.len() as u64) as usize]);
            }
            out.join(" ")
        };
        let t = cell(5);
        let d = cell(12);
        s.push_str(&format!("L{i},{t},\"{d}\"\n"));
    }
    s
}

#[test]
fn threads_one_and_two_give_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, catalog(20_000)).unwrap();
    let list = data(TEST_RULES);
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        for format in ["csv", "listings"] {
            let r = run(brandscan()
                .args([
                    "scan",
                    "--no-builtin",
                    "--quiet",
                    "--batch-rows",
                    "97",
                    "-j",
                    threads,
                    "-f",
                    format,
                    "-w",
                ])
                .arg(&list)
                .arg(&cat));
            assert_eq!(r.code, 1, "{}", r.stderr);
            outs.push((threads, format, r.stdout));
        }
    }
    assert!(outs[0].2.lines().count() > 10_000);
    assert_eq!(outs[0].2, outs[2].2, "csv differs between -j1 and -j2");
    assert_eq!(outs[1].2, outs[3].2, "listings differ between -j1 and -j2");
}
