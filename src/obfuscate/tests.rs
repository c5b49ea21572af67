//! The view on each evasion kind and on the near-misses it must leave alone.

use super::*;
use crate::normalize::Normalized;

fn view(text: &str) -> (String, ObfuscationView) {
    let mut n = Normalized::default();
    n.normalize(text);
    let mut v = ObfuscationView::default();
    v.build(n.as_str());
    (n.as_str().to_string(), v)
}

fn text_of(text: &str) -> String {
    view(text).1.as_str().to_string()
}

#[test]
fn each_evasion_kind_reads_as_the_word() {
    for (text, want) in [
        ("N1ke", "nike"),
        ("Adid@s", "adidas"),
        ("Gucc1", "guci"),
        ("R0lex", "roiex"),
        ("N\u{456}ke", "nike"),
        ("R\u{39F}LEX", "roiex"),
        ("🅽🅸🅺🅴", "nike"),
        ("Gu\u{200B}cci", "guci"),
        ("Gu\u{AD}cci", "guci"),
        ("N I K E", "nike"),
        ("N.i.k.e", "nike"),
        ("n-i-k-e", "nike"),
        ("Niiiike", "nike"),
        ("$upreme", "supreme"),
    ] {
        assert_eq!(text_of(text), want, "{text:?}");
    }
}

#[test]
fn near_misses_stay_apart() {
    for (text, want) in [
        ("sign in ike", "sign in ike"),
        ("a 1 ke", "a 1 ke"),
        ("N1K3-200", "n1k3 200"),
        ("3M tape", "3m tape"),
        ("A1 sauce", "a1 sauce"),
        ("5mm 41mm", "5m 41m"),
        ("iPhone13", "iphone13"),
        ("Size M L", "size m i"),
        ("go!", "go!"),
        ("@home", "@home"),
    ] {
        assert_eq!(text_of(text), want, "{text:?}");
    }
}

#[test]
fn other_scripts_stay_themselves_unless_mixed() {
    // A Russian word in a Russian field is not an evasion.
    let russian = "сосо рура";
    assert_eq!(text_of(russian), russian);
    // One Cyrillic letter in a Latin word is.
    assert_eq!(text_of("Nіke air"), "nike air");
}

#[test]
fn evidence_is_required_and_local() {
    let (_, v) = view("Roiex and N1ke");
    assert_eq!(v.as_str(), "roiex and nike");
    assert!(!v.evidence(0, 5), "plain letters are no evasion");
    assert!(v.evidence(10, 14));
    // An invisible character before a word is outside it.
    let (_, v) = view("\u{200B}Nike");
    assert!(!v.evidence(0, 4));
    let (_, v) = view("Ni\u{200B}ke");
    assert!(v.evidence(0, 4));
    // Double letters are squeezed but are no evidence; three are.
    let (_, v) = view("Rollex");
    assert!(!v.evidence(0, v.as_str().len()));
    let (_, v) = view("Rolllex");
    assert!(v.evidence(0, v.as_str().len()));
}

#[test]
fn spans_map_back_over_dropped_characters() {
    let src = "buy N I K E now";
    let (norm, v) = view(src);
    let at = v.as_str().find("nike").unwrap();
    let (s, e) = v.normalized_span(at, at + 4);
    assert_eq!(&norm[s..e], "n i k e");
    let (norm, v) = view("Niiiike!");
    let (s, e) = v.normalized_span(0, 4);
    assert_eq!(&norm[s..e], "niiiike");
}

#[test]
fn trigger_agrees_with_the_view() {
    for text in [
        "nike air max 90",
        "steel strap for rolex 20mm",
        "louis vuitton bag",
        "apple's charger",
        "耐克运动鞋",
        "size m l xl",
    ] {
        assert!(!might_be_obfuscated(text), "{text:?}");
    }
    for text in [
        "n1ke",
        "adid@s",
        "n i k e",
        "niiike",
        "gu\u{200b}cci",
        "nіke",
        "$upreme",
    ] {
        assert!(might_be_obfuscated(text), "{text:?}");
    }
}

#[test]
fn lookalike_table_is_sorted_and_latin() {
    assert!(LOOKALIKES.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(LOOKALIKES
        .iter()
        .all(|&(c, l)| !c.is_ascii() && l.is_ascii_lowercase()));
    assert!(LOOKALIKES.len() > 400);
}

#[test]
fn crate_helpers_read_signs_stretches_and_scripts() {
    assert_eq!(first_sign("nike air"), None);
    assert!(first_sign("fits n1ke").is_some_and(|p| p >= 5));
    assert!(ascii_sign_at(b"N1KE shoes", 1));
    assert!(ascii_sign_at(b"$upreme", 0));
    let plain = b"Model S600, C8. Thank us!";
    assert!(!(0..plain.len()).any(|i| ascii_sign_at(plain, i)));
    assert!(ascii_stretched(b"NiiIke"));
    assert!(!ascii_stretched(b"Coffee"));
    assert!(latin_field("nike shoes хит"));
    assert!(!latin_field("хит продаж nike"));
    assert!(latin_field("耐克运动鞋 nike"));
    assert_eq!(skeleton_term("gucci").as_deref(), Some("guci"));
    assert_eq!(
        skeleton_term("louis vuitton").as_deref(),
        Some("iouis vuiton")
    );
    assert_eq!(skeleton_term("kia"), None);
}
