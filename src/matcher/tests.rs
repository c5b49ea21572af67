//! Table-driven tests of docs/matching.md, one row per example line.

use super::*;
use crate::finding::{Action, Context, MatchKind, Severity};
use crate::obfuscate::might_be_obfuscated;

fn rules(csv: &str) -> Rules {
    Rules::parse_csv("test.csv", csv).unwrap()
}

fn terms(m: &Matcher, text: &str) -> Vec<String> {
    m.find_all("title", text)
        .into_iter()
        .map(|f| f.term.to_string())
        .collect()
}

fn txt(list: &str) -> Matcher {
    Matcher::new(Rules::parse_txt("test.txt", list).unwrap()).unwrap()
}

/// A matcher without the ASCII prefilter: every field normalized and read in full.
fn unfiltered(list: &str) -> Matcher {
    MatcherBuilder::new()
        .ascii_prefilter(false)
        .build(Rules::parse_txt("test.txt", list).unwrap())
        .unwrap()
}

/// A matcher that builds the whole obfuscation view of every field with a sign.
fn ungated(list: &str) -> Matcher {
    MatcherBuilder::new()
        .view_gate(false)
        .build(Rules::parse_txt("test.txt", list).unwrap())
        .unwrap()
}

/// (text, terms, expected terms)
const SPEC_CASES: &[(&str, &str, &[&str])] = &[
    ("NIKE running shoes", "Nike", &["Nike"]),
    ("Pineapple slicer", "Apple", &[]),
    ("Applesauce", "Apple", &[]),
    ("Apple's charger", "Apple", &["Apple"]),
    ("iPhone13 case", "iPhone", &["iPhone"]),
    ("13M tape", "3M", &[]),
    ("3M tape", "3M", &["3M"]),
    ("耐克运动鞋", "耐克", &["耐克"]),
    ("louis-vuitton bag", "Louis Vuitton", &["Louis Vuitton"]),
    ("LOUIS_VUITTON bag", "Louis Vuitton", &["Louis Vuitton"]),
    ("louis  vuitton bag", "Louis Vuitton", &["Louis Vuitton"]),
    ("LouisVuitton bag", "Louis Vuitton", &["Louis Vuitton"]),
    ("ＮＩＫＥ shoes", "Nike", &["Nike"]),
    ("Hermès scarf", "Hermes", &["Hermes"]),
    ("Hermes scarf", "Hermès", &["Hermès"]),
    ("Moët champagne flute", "Moet", &["Moet"]),
    ("Moet flute", "Moët", &["Moët"]),
    ("Air Jordan 1", "Jordan\nAir Jordan", &["Air Jordan"]),
    ("Nike Airline bag", "Nike\nNike Air", &["Nike"]),
];

#[test]
fn spec_section_2_examples() {
    for (text, list, want) in SPEC_CASES {
        let m = txt(list);
        assert_eq!(terms(&m, text), *want, "text {text:?} with terms {list:?}");
    }
}

#[test]
fn every_span_slices_to_matched() {
    for (text, list, _) in SPEC_CASES {
        for f in txt(list).find_all("t", text) {
            assert_eq!(&text[f.start..f.end], f.matched, "{text:?}");
        }
    }
}

#[test]
fn match_kinds() {
    let m = txt("Nike\nHermès\nLouis Vuitton");
    let f = m.find_all("t", "NIKE");
    assert_eq!(f[0].match_kind, MatchKind::Exact);
    let f = m.find_all("t", "ＮＩＫＥ");
    assert_eq!(f[0].match_kind, MatchKind::Normalized);
    let f = m.find_all("t", "Hermes");
    assert_eq!(f[0].match_kind, MatchKind::Normalized);
    let f = m.find_all("t", "louis vuitton");
    assert_eq!(f[0].match_kind, MatchKind::Exact);
    let f = m.find_all("t", "louis-vuitton");
    assert_eq!(f[0].match_kind, MatchKind::Normalized);
}

#[test]
fn allow_phrase_suppresses_only_what_it_covers() {
    let m = Matcher::new(rules(
        "term,brand,kind\nApple,Apple,literal\niPhone,Apple,literal\napple green,Apple,allow\n",
    ))
    .unwrap();
    let text = "Apple iPhone case, apple green";
    let found = m.find_all("title", text);
    let got: Vec<(&str, usize)> = found.iter().map(|f| (&*f.term, f.start)).collect();
    assert_eq!(got, [("Apple", 0), ("iPhone", 6)]);
}

#[test]
fn case_sensitive_rules() {
    let m = Matcher::new(rules("term,case\nCoach,sensitive\nNike,insensitive\n")).unwrap();
    assert_eq!(terms(&m, "Coach leather bag"), ["Coach"]);
    assert!(terms(&m, "coach bus toy").is_empty());
    assert!(terms(&m, "cOACH bus toy").is_empty());
    // Capitals are the brand's too (docs/matching.md#case).
    assert_eq!(terms(&m, "COACH bus toy"), ["Coach"]);
    assert_eq!(terms(&m, "nike"), ["Nike"]);
}

#[test]
fn authorized_brands_are_dropped() {
    let r = rules("term,brand\nAir Jordan,Nike\nNike,Nike\nRolex,Rolex\n");
    let m = MatcherBuilder::new().authorized(["NIKE"]).build(r).unwrap();
    assert_eq!(terms(&m, "Nike Air Jordan strap for Rolex"), ["Rolex"]);
}

#[test]
fn authorized_longer_term_still_hides_the_shorter_one() {
    // "Jordan" inside an authorized "Air Jordan" is part of that mark, not a new finding.
    let r = rules("term,brand\nAir Jordan,Nike\nJordan,Jordan\n");
    let m = MatcherBuilder::new().authorized(["Nike"]).build(r).unwrap();
    assert!(terms(&m, "Air Jordan 1").is_empty());
}

#[test]
fn regex_rules_run_on_normalized_text() {
    let m = Matcher::new(rules(
        "term,kind,brand\nr[o0]lex\\s*(sub|daytona),regex,Rolex\n",
    ))
    .unwrap();
    let text = "ROLEX-Daytona style";
    let f = m.find_all("t", text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].match_kind, MatchKind::Regex);
    assert_eq!(f[0].matched, "ROLEX-Daytona");
}

#[test]
fn duplicate_rule_strictest_action_is_reported() {
    let m = Matcher::new(rules("term,action\nNike,review\nnike,hide\n")).unwrap();
    let f = m.find_all("t", "nike");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].action, Action::Hide);
}

#[test]
fn failed_boundary_never_hides_a_passing_term() {
    let m = txt("Gap\nSinga");
    assert!(terms(&m, "Singapore").is_empty());
    let m = txt("Nike Air\nNike");
    assert_eq!(terms(&m, "nike airplane"), ["Nike"]);
}

#[test]
fn cjk_inside_mixed_text() {
    let m = txt("耐克\n劳力士");
    let text = "Strap for Rolex 劳力士表带 20mm";
    let f = m.find_all("t", text);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].matched, "劳力士");
    assert_eq!(&text[f[0].start..f[0].end], "劳力士");
}

#[test]
fn abbreviation_dots_and_sentence_ends() {
    let m = txt("Dr. Martens\nG-Shock\nTiffany & Co.");
    assert_eq!(terms(&m, "Dr. Martens boots"), ["Dr. Martens"]);
    assert_eq!(terms(&m, "DR MARTENS boots"), ["Dr. Martens"]);
    assert_eq!(terms(&m, "drmartens boots"), ["Dr. Martens"]);
    assert_eq!(terms(&m, "g-shock watch"), ["G-Shock"]);
    assert!(terms(&m, "weight 200 g. Shock absorbing").is_empty());
    assert_eq!(terms(&m, "Tiffany & Co. necklace"), ["Tiffany & Co."]);
    assert_eq!(terms(&m, "tiffany & co necklace"), ["Tiffany & Co."]);
}

#[test]
fn several_findings_in_order() {
    let m = txt("Nike\nAdidas\nPuma");
    assert_eq!(
        terms(&m, "nike vs adidas vs puma vs nike"),
        ["Nike", "Adidas", "Puma", "Nike"]
    );
}

#[test]
fn empty_text_and_no_rules() {
    let m = txt("Nike");
    assert!(m.find_all("t", "").is_empty());
    let m = Matcher::new(Rules::new()).unwrap();
    assert!(m.find_all("t", "Nike").is_empty());
}

/// (text, terms, expected matched text) — docs/matching.md#evasions lines and their near-misses.
const OBFUSCATION_CASES: &[(&str, &str, &[&str])] = &[
    ("N\u{456}ke shoes", "Nike", &["N\u{456}ke"]),
    ("\u{39F}mega watch", "Omega", &["\u{39F}mega"]),
    ("Ni\u{200b}ke socks", "Nike", &["Ni\u{200b}ke"]),
    ("Gu\u{ad}cci belt", "Gucci", &["Gu\u{ad}cci"]),
    ("N1ke Air", "Nike", &["N1ke"]),
    ("Adid@s slides", "Adidas", &["Adid@s"]),
    ("Gucc1 bag", "Gucci", &["Gucc1"]),
    ("R0lex watch", "Rolex", &["R0lex"]),
    ("N I K E hoodie", "Nike", &["N I K E"]),
    ("N.i.k.e hoodie", "Nike", &["N.i.k.e"]),
    ("n-i-k-e hoodie", "Nike", &["n-i-k-e"]),
    ("Niiiike shoes", "Nike", &["Niiiike"]),
    ("𝐍𝐢𝐤𝐞 tee", "Nike", &["𝐍𝐢𝐤𝐞"]),
    ("Ⓝⓘⓚⓔ tee", "Nike", &["Ⓝⓘⓚⓔ"]),
    ("🅽🅸🅺🅴 tee", "Nike", &["🅽🅸🅺🅴"]),
    ("L0uis Vu1tton bag", "Louis Vuitton", &["L0uis Vu1tton"]),
    ("sign in ike", "Nike", &[]),
    ("a 1 ke", "Nike", &[]),
    ("N1K3-200 pump", "Nike", &[]),
    ("Roiex", "Rolex", &[]),
    ("G.Skill Ripjaws", "SK-II", &[]),
    ("Nikes", "Nike", &[]),
    ("сосо шанель", "Coco", &[]),
];

#[test]
fn obfuscation_examples() {
    for (text, list, want) in OBFUSCATION_CASES {
        let found = txt(list).find_all("t", text);
        let got: Vec<&str> = found.iter().map(|f| f.matched.as_str()).collect();
        assert_eq!(got, *want, "text {text:?} with terms {list:?}");
        for f in &found {
            assert_eq!(&text[f.start..f.end], f.matched);
            assert_eq!(f.match_kind, MatchKind::Obfuscated, "{text:?}");
        }
    }
}

#[test]
fn plain_reading_wins_and_evasion_can_be_off() {
    let m = txt("Nike");
    let f = m.find_all("t", "Nike N1ke");
    let kinds: Vec<MatchKind> = f.iter().map(|f| f.match_kind).collect();
    assert_eq!(kinds, [MatchKind::Exact, MatchKind::Obfuscated]);
    let off = MatcherBuilder::new()
        .evasion(false)
        .build(Rules::parse_txt("l.txt", "Nike\n").unwrap())
        .unwrap();
    assert_eq!(off.find_all("t", "Nike N1ke").len(), 1);
}

#[test]
fn case_sensitive_rules_through_the_view() {
    let m = Matcher::new(rules("term,case\nCoach,sensitive\n")).unwrap();
    assert_eq!(terms(&m, "C0ach bag"), ["Coach"]);
    assert!(terms(&m, "c0ach bus").is_empty());
    assert_eq!(terms(&m, "C0ACH BUS"), ["Coach"]);
    // In a tag field any casing is read.
    assert_eq!(m.find_all("tags", "c0ach, bags").len(), 1);
}

#[test]
fn context_changes_action_and_severity() {
    let r = rules("term,action,severity\nRolex,hide,general\n");
    let m = Matcher::new(r.clone()).unwrap();
    let f = &m.find_all("t", "Strap for Rolex")[0];
    assert_eq!((f.context, f.action), (Context::Compatible, Action::Hide));
    let m = MatcherBuilder::new()
        .compatible_action(Some(Action::Review))
        .build(r.clone())
        .unwrap();
    assert_eq!(m.find_all("t", "Strap for Rolex")[0].action, Action::Review);
    let f = &m.find_all("t", "AAA Rolex for men")[0];
    assert_eq!(f.context, Context::Counterfeit);
    assert_eq!((f.severity, f.action), (Severity::Serious, Action::Remove));
    let f = &m.find_all("t", "R0lex replica")[0];
    assert_eq!(
        (f.match_kind, f.context),
        (MatchKind::Obfuscated, Context::Counterfeit)
    );
}

#[test]
fn html_fields_read_as_text_with_original_offsets() {
    let m = txt("Moët\nLouis Vuitton\nSamsung\nOmega");
    let text = "<p>Mo&euml;t &amp; Chandon, Louis&nbsp;Vuitton</p>\
                <img src=\"omega.jpg\" alt=\"Fits Samsung\"><b>x</b>";
    let f = m.find_all("Body (HTML)", text);
    let got: Vec<&str> = f.iter().map(|f| f.matched.as_str()).collect();
    assert_eq!(got, ["Mo&euml;t", "Louis&nbsp;Vuitton", "Samsung"]);
    for f in &f {
        assert_eq!(&text[f.start..f.end], f.matched);
    }
    assert_eq!(f[2].context, Context::Compatible);
    // Tags are not words.
    assert!(txt("strong").find_all("d", "<strong>x</strong>").is_empty());
}

#[test]
fn fuzzy_is_opt_in_and_review_at_most() {
    let r = rules("term,action\nAdidas,remove\nRolex,remove\n");
    assert!(Matcher::new(r.clone())
        .unwrap()
        .find_all("t", "Addidas")
        .is_empty());
    let m = MatcherBuilder::new().fuzzy(true).build(r).unwrap();
    let f = m.find_all("t", "Addidas replica, Rollex, Rolx");
    assert_eq!(f.len(), 2);
    assert_eq!(f[1].matched, "Rollex");
    assert_eq!(
        (f[0].match_kind, f[0].action),
        (MatchKind::Fuzzy, Action::Review)
    );
    assert_eq!(
        f[0].severity,
        Severity::Serious,
        "counterfeit still raises severity"
    );
}

/// ASCII text built to reach every branch of the quick path: terms and their prefixes,
/// glued and spaced words, sentence and joining dots, digits after letters, stretched
/// and spaced-out letters, symbols.
fn quick_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(vec![
                "nike", "NIKE", "Nikes", "air", "Air Jordan", "jordan", "3M", "13m", "G.Shock",
                "g shock", "louis", "Vuitton", "LouisVuitton", "dr.", "Dr. Martens", "martens",
                "N1ke", "n i k e", "N.I.K.E", "Niiike", "$upreme", "supreme", "Adid@s", "ipx7",
                "a", "b", "x", "7", "us!", "you!", "KID$", "ab22c!", "a!|bc", "a1@b", "x22a1",
                "R9.", "$", "@", "|", "!", "1", "0", "2", "ooo", "Aa", "NikeAirJordanShoes",
                "louisvuittonlouisvuitton", "Supremes", "(upreme", "(Nike)", "|ike", "Nik@", "Ni*ke",
                "Su-preme", "Sup.reme", "N . i . k . e", "0didas", "Adi7as", "Ad17as", "A*d*i*d*a*s",
                "(", ")", "*", "#", "Nik3",
            ]).prop_map(String::from),
            2 => prop::sample::select(vec![" ", "  ", "-", " - ", ".", ". ", "/", "_", ",", "'", "\t", "!", "|"]).prop_map(String::from),
            1 => "[a-zA-Z0-9]{1,3}",
            1 => "[a-c0-4@$!| ]{1,5}",
        ],
        0..14,
    )
    .prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

    /// The quick path only skips fields where the full reading finds nothing.
    #[test]
    fn quick_path_changes_no_finding(text in quick_text()) {
        let list = "Nike\nAir Jordan\n3M\nG-Shock\nLouis Vuitton\nDr. Martens\nSupreme\nAdidas\nNike Air\n";
        let quick = txt(list);
        let full = unfiltered(list);
        proptest::prop_assert!(quick.quick);
        proptest::prop_assert!(!full.quick);
        proptest::prop_assert_eq!(quick.find_all("title", &text), full.find_all("title", &text));
    }

    /// The quick path sends on (a possible match, or an evasion sign) every field the
    /// trigger would let through.
    #[test]
    fn quick_evasion_signs_cover_the_trigger(text in quick_text()) {
        let mut n = Normalized::default();
        n.normalize(&text);
        if might_be_obfuscated(n.as_str()) {
            let q = txt("Nike\n").engine.ascii_quick(text.as_bytes());
            proptest::prop_assert!(q.hit || q.evasion_sign || ascii_stretched(text.as_bytes()), "{:?}", text);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

    /// Settling a text's view from the views of the words around its evasion signs finds
    /// what reading its whole view finds.
    #[test]
    fn view_gate_changes_no_finding(words in proptest::collection::vec(quick_text(), 1..40)) {
        let list = "Nike\nAir Jordan\nG-Shock\nLouis Vuitton\nSupreme\nAdidas\nNike Air\nBape\nipx7 pro\n";
        gate_agrees(list, &words.join(" "))?;
    }

    /// The same in text of any script: look-alike letters in Latin words and in whole
    /// Cyrillic or Greek words (read through them only where the field is mostly Latin),
    /// invisible characters, accents, CJK, styled letters, and terms of other scripts.
    #[test]
    fn view_gate_changes_no_finding_in_any_script(words in proptest::collection::vec(unicode_text(), 1..30)) {
        let list = "Nike\nSupreme\nHermès\nКачество\nЖара\nΑλφα Beta\n耐克\nMaxicaps\nипх7\n";
        gate_agrees(list, &words.join(" "))?;
    }
}

/// The gated reading of `text` finds what the whole view finds, with the terms of `list`.
fn gate_agrees(list: &str, text: &str) -> Result<(), proptest::test_runner::TestCaseError> {
    let gated = txt(list);
    let whole = ungated(list);
    proptest::prop_assert_eq!(gated.find_all("title", text), whole.find_all("title", text));
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 1000, ..Default::default() })]

    /// The engine's word loop over text of any script reports every whole-word match
    /// that walking the automaton from every word start (docs/matching.md#whole-words), with no
    /// filter, reports.
    #[test]
    fn engine_finds_every_match_at_word_starts(words in proptest::collection::vec(unicode_text(), 1..12)) {
        let mut n = Normalized::default();
        n.normalize(&words.join(" "));
        let hay = n.as_str();
        // Two-word keys of every shape: spaced or not, letters, digits, one symbol, a
        // non-ASCII second word.
        let patterns: Vec<String> = ["nike", "nike air", "жара", "качество", "耐克", "运动", "ab", "a1",
            "hermes", "ипх7", "αλφα beta", "7", "b ж", "ж b", "x-", "ü", "nike ab", "a 7", "x ж",
            "ab7", "nike耐克", "7 b", "nike 耐克", "a-b", "x a ab"]
            .iter().map(|p| normalize_term(p)).collect();
        let engine = Engine::build(&patterns).unwrap();
        let mut got = Vec::new();
        engine.for_each_match(hay, &mut |s, e, p| {
            if passes_boundaries(hay, s, e) {
                got.push((s, e, p));
            }
        });
        let mut want = Vec::new();
        let mut prev = None;
        for (p, c) in hay.char_indices() {
            if c != ' ' && is_boundary(prev, Some(c)) {
                walk(&engine.trie, hay.as_bytes(), p, &mut |s, e, id| {
                    if passes_boundaries(hay, s, e) {
                        want.push((s, e, id));
                    }
                });
            }
            prev = Some(c);
        }
        proptest::prop_assert_eq!(got, want, "{:?}", hay);
    }
}

proptest::proptest! {
    /// The word-at-a-time letter run ends where the byte-at-a-time one does, in text of
    /// any script.
    #[test]
    fn letter_runs_end_where_bytes_say(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40), i in 0usize..40) {
        let i = i.min(b.len());
        let want = (i..b.len()).find(|&j| !b[j].is_ascii_alphabetic()).unwrap_or(b.len());
        proptest::prop_assert_eq!(letters_end(&b, i), want);
    }
}

/// Words of many scripts for [`view_gate_changes_no_finding_in_any_script`].
fn unicode_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![
                "Nіke", "NІKЕ", "nike", "Ν1ke", "Ｎｉｋｅ", "𝐍𝐢𝐤𝐞", "🅽🅸🅺🅴", "N\u{200B}ike", "Su\u{00AD}preme",
                "$uprеme", "Hermès", "Hermes", "Hèrmès", "КАЧЕСТВО", "Качество", "Kачество",
                "Kачeствo", "Качеств0", "Жаpa", "жaрa", "ЖАPA", "Жар@", "Ж@ра", "качесттво", "хит", "продаж", "Υψηλή", "ποιότητα", "Αλφα",
                "Αλφα Beta", "Аlfа", "耐克", "耐克运动鞋", "运动", "Güzel", "Żółty", "Très", "ipx7",
                "ипх7", "Maxicaps", "Mахicaps", "Мaxiсaрs", "a", "б", "x", "ж", "7", "ab", "ий",
                "Ünïcödé", "straße", "ﬁne", "Ⅻ", "½", "٣", "é", "ё",
                "Ni×e", "N1×e", "10×20", "5 × 3", "ab×c1", "×nike", "nike×", "Nik×", "×", "¢", "ǃ",
                "Ни×е", "su¢\u{200B}preme", "°", "±", "—", "“", "”", "™", "®", "\u{A0}",
            ]).prop_map(String::from),
            2 => prop::sample::select(vec![" ", "  ", "-", " - ", ".", ". ", "/", ",", "，", "。", "·", "\u{200B}", "!", "|"]).prop_map(String::from),
            1 => "[a-zA-Zа-яА-Яα-ω0-9]{1,4}",
            1 => "[a-cаеоοι0-4@$!| ]{1,5}",
        ],
        0..10,
    )
    .prop_map(|v| v.concat())
}

/// Evasions of listed terms are found through the gate wherever they stand in a long
/// text; model numbers alone do not build the whole view.
#[test]
fn view_gate_keeps_evasions_of_terms() {
    let filler = "waterproof ipx7 case with strap ".repeat(20);
    let list = "Nike\nLouis Vuitton\nSupreme\nAdidas\n";
    let m = txt(list);
    for evasion in [
        "N1ke",
        "Louis Vu1tton",
        "Supr3me",
        "$upreme",
        "Adid@s",
        "Niiiike",
        "n i k e",
        "L0uis V.uitton",
    ] {
        let text = format!("{filler}{evasion} {filler}");
        let whole = ungated(list);
        let found = m.find_all("title", &text);
        assert_eq!(found, whole.find_all("title", &text), "{evasion}");
        assert!(
            !found.is_empty() || evasion == "L0uis V.uitton",
            "{evasion}"
        );
    }
    let mut view = ObfuscationView::default();
    let ob = m.obfuscation.as_ref().unwrap();
    let mut n = Normalized::default();
    n.normalize(&filler);
    assert!(might_be_obfuscated(n.as_str()));
    assert!(!view_may_find(ob, &n, &filler, &mut view));
    // A phrase in Greek or Russian in an English text builds no whole view either.
    let text = format!("{filler}Υψηλή ποιότητα, γρήγορη αποστολή. Хит продаж {filler}");
    n.normalize(&text);
    assert!(might_be_obfuscated(n.as_str()));
    assert!(!view_may_find(ob, &n, &text, &mut view));
    let text = format!("{filler}Νіkе {filler}");
    n.normalize(&text);
    assert!(view_may_find(ob, &n, &text, &mut view));
}

/// Terms of [`PREFILTER_LIST`] and evasions of them, to splice into random text.
const PIECES: &[&str] = &[
    "nike",
    "NIKE",
    "Nikes",
    "N1ke",
    "n i k e",
    "N.I.K.E",
    "Niiike",
    "Air Jordan",
    "air-jordan",
    "3M",
    "13m",
    "G.Shock",
    "g_shock",
    "louis",
    "LouisVuitton",
    "Louis / Vuitton",
    "Dr. Martens",
    "dr.",
    "$upreme",
    "Adid@s",
    "ipx7",
    "ab22c!",
    "耐克",
    "Nіke",
    "Ni\u{AD}ke",
    "Hermès",
    "Ｎｉｋｅ",
    "Ni×e",
    "10×20",
    "N1k×",
];

const PREFILTER_LIST: &str =
    "Nike\nAir Jordan\n3M\nG-Shock\nLouis Vuitton\nDr. Martens\nSupreme\nAdidas\nNike Air\n耐克\nHermes\n";

/// [`PREFILTER_LIST`] with every prefilter, without the ASCII one, without the view gate:
/// built once for all cases.
static PREFILTER_MATCHERS: std::sync::LazyLock<[Matcher; 3]> = std::sync::LazyLock::new(|| {
    [
        txt(PREFILTER_LIST),
        unfiltered(PREFILTER_LIST),
        ungated(PREFILTER_LIST),
    ]
});

/// Text of `chars` with [`PIECES`] spliced in, so that terms meet every neighbour.
fn spliced(
    chars: impl proptest::strategy::Strategy<Value = char> + Clone + 'static,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            2 => prop::collection::vec(chars, 1..5).prop_map(String::from_iter),
            1 => prop::sample::select(PIECES).prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

/// Every ASCII byte, not a chosen alphabet: a new separator or sign is drawn too.
fn any_ascii() -> impl proptest::strategy::Strategy<Value = char> + Clone {
    use proptest::prelude::*;
    any::<u8>().prop_map(|b| char::from(b & 0x7f))
}

fn spans_slice(text: &str, found: &[Finding]) -> Result<(), proptest::test_runner::TestCaseError> {
    for f in found {
        proptest::prop_assert!(
            f.start < f.end && f.end <= text.len(),
            "{:?} in {:?}",
            f,
            text
        );
        proptest::prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        proptest::prop_assert_eq!(&text[f.start..f.end], f.matched.as_str());
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 1500, ..Default::default() })]

    /// On text of any ASCII bytes (where it runs), the prefilter changes no finding, and
    /// every finding is a real slice of the field.
    #[test]
    fn prefilter_changes_no_finding_on_any_bytes(text in spliced(any_ascii())) {
        let [quick, full, _] = &*PREFILTER_MATCHERS;
        proptest::prop_assert!(quick.quick);
        let found = quick.find_all("title", &text);
        proptest::prop_assert_eq!(&found, &full.find_all("title", &text));
        spans_slice(&text, &found)?;
    }

    /// On text of any characters, with and without each prefilter, the same findings,
    /// each a real slice of the field.
    #[test]
    fn prefilters_change_no_finding_on_any_text(text in spliced(proptest::prelude::any::<char>())) {
        let [quick, full, whole] = &*PREFILTER_MATCHERS;
        let found = quick.find_all("title", &text);
        proptest::prop_assert_eq!(&found, &full.find_all("title", &text));
        proptest::prop_assert_eq!(&found, &whole.find_all("title", &text));
        spans_slice(&text, &found)?;
    }

    /// Any bytes, read as the lossy UTF-8 a catalog reader would refuse or repair: the
    /// spans still slice.
    #[test]
    fn spans_slice_text_from_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..60), at in 0usize..60) {
        let mut b = bytes;
        let at = at.min(b.len());
        b.splice(at..at, b"N1ke Air Jordan ".iter().copied());
        let text = String::from_utf8_lossy(&b);
        spans_slice(&text, &PREFILTER_MATCHERS[0].find_all("title", &text))?;
    }

    /// The word loop over text of any characters reports every whole-word match that
    /// walking the automaton from every word start reports.
    #[test]
    fn word_loop_finds_every_match_in_any_text(text in spliced(proptest::prelude::any::<char>())) {
        let mut n = Normalized::default();
        n.normalize(&text);
        let hay = n.as_str();
        let patterns: Vec<String> = PREFILTER_LIST.lines().chain(["n1ke", "a", "7", "ab7"])
            .flat_map(|t| term_forms(&normalize_term(t))).collect();
        let engine = Engine::build(&patterns).unwrap();
        let mut got = Vec::new();
        engine.for_each_match(hay, &mut |s, e, p| {
            if passes_boundaries(hay, s, e) {
                got.push((s, e, p));
            }
        });
        let mut want = Vec::new();
        let mut prev = None;
        for (p, c) in hay.char_indices() {
            if c != ' ' && is_boundary(prev, Some(c)) {
                walk(&engine.trie, hay.as_bytes(), p, &mut |s, e, id| {
                    if passes_boundaries(hay, s, e) {
                        want.push((s, e, id));
                    }
                });
            }
            prev = Some(c);
        }
        proptest::prop_assert_eq!(got, want, "{:?}", hay);
    }
}

/// Evasions the repair reading undoes, near-misses, and the typographic symbols of
/// sellers' text that must not send a field to it.
const REPAIR_PIECES: &[&str] = &[
    "(hanel",
    "(hanel)!",
    "(Chanel)",
    "Her-mes",
    "Gu*ci",
    "Gu💎cci",
    "Ni🌟\u{FE0F}ke",
    "Pa★ek",
    "Mak17a",
    "Le6o",
    "D*Y*S*O*N",
    "A . d . i . d . a . s",
    "Bos€",
    "€oss",
    "¢hanel",
    "Michae| Kors",
    "0mega",
    "Valenti.no",
    "Sa·nrio",
    "Samsu👍🏽ng",
    "Estee |auder",
    "Gu\u{200D}★cci",
    "°C",
    "“Premium”",
    "Design®",
    "10×20",
    "(Black)",
    "€29.90",
    "½",
    "Ø 38 mm",
    "µm",
    "It’s",
    "a-b",
    "ab.cd",
    "Ni\u{2011}ke",
    "Gu*\u{FE0F}ci",
    "耐克Pa★ek",
    "a & b",
    "Le6o 9f",
];

fn repair_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(REPAIR_PIECES).prop_map(String::from),
            2 => "[a-zé0-9 ().$@|!*€¢£°×·‐‑‧・★🌟\u{FE0F}\u{200D}\u{1F3FB}-]{1,4}",
            1 => proptest::prelude::any::<char>().prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

/// [`REPAIR_LIST`] gated and ungated, built once for all cases.
static REPAIR_MATCHERS: std::sync::LazyLock<[Matcher; 2]> =
    std::sync::LazyLock::new(|| [txt(REPAIR_LIST), ungated(REPAIR_LIST)]);

const REPAIR_LIST: &str = "Chanel\nHermes\nGucci\nNike\nPatek\nMakita\nLego\nDyson\nAdidas\nBoss\nMichael Kors\nOmega\nValentino\nSanrio\nSamsung\nEstee Lauder\n";

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 1500, ..Default::default() })]

    /// Skipping the repair reading where its gate says it finds nothing changes no
    /// finding, and where it says so the reading walks to no term.
    #[test]
    fn repair_gate_changes_no_finding(text in repair_text()) {
        let [gated, whole] = &*REPAIR_MATCHERS;
        proptest::prop_assert_eq!(gated.find_all("title", &text), whole.find_all("title", &text));
        let mut n = Normalized::default();
        n.normalize(&text);
        if !repair::may_find(&gated.engine.trie, &n, &text) {
            let mut any = false;
            repair::Repair::default().read(&gated.engine.trie, &n, &text, &mut |_, _, _| any = true);
            proptest::prop_assert!(!any, "{:?}", text);
        }
    }
}
