//! Fixer tests: the passes, and each safety rule of a listing.

use super::*;
use crate::{Matcher, Rules, Scratch};

fn fixer(csv: &str) -> Fixer {
    let rules = Rules::parse_csv("t.csv", csv).unwrap();
    Fixer::new(Matcher::new(rules).unwrap())
}

const RULES: &str = "term,brand,action,case,replacement\n\
    Rolex,,remove,,\n\
    Submariner,Rolex,remove,,\n\
    Louis Vuitton,,remove,,\n\
    Coach,,hide,sensitive,\n\
    Jordan,,review,,\n\
    iPhone,Apple,remove,,smartphone\n\
    Gucci,,remove,,Gucci\n";

fn listing<'a>(f: &Fixer, fields: &'a [(Arc<str>, &'a str)]) -> ListingFix {
    f.fix_listing(fields.iter().map(|(n, t)| (n, *t)))
}

fn fields<'a>(pairs: &[(&str, &'a str)]) -> Vec<(Arc<str>, &'a str)> {
    pairs.iter().map(|(n, t)| (Arc::from(*n), *t)).collect()
}

#[test]
fn a_cut_that_joins_a_new_match_is_fixed_in_the_next_pass() {
    let f = fixer(RULES);
    let r = f.fix_field(
        &"description".into(),
        "Tote Louis Rolex Vuitton bag",
        &mut Scratch::new(),
    );
    assert_eq!(r.fixed.as_deref(), Some("Tote bag"));
    assert!(r.converged);
    assert_eq!(r.findings.len(), 1, "the first pass sees only Rolex");
}

#[test]
fn replacements_are_written_and_a_replacement_that_is_the_term_never_converges() {
    let f = fixer(RULES);
    let r = f.fix_field(&"title".into(), "Case for iPhone 15", &mut Scratch::new());
    assert_eq!(r.fixed.as_deref(), Some("Case for smartphone 15"));
    let r = f.fix_field(&"title".into(), "Gucci belt", &mut Scratch::new());
    assert!(!r.converged);
    assert_eq!(r.fixed, None, "the text did not change");
}

#[test]
fn an_unchanged_field_has_no_fix() {
    let f = fixer(RULES);
    let r = f.fix_field(&"title".into(), "Steel strap 20mm", &mut Scratch::new());
    assert_eq!(r.fixed, None);
    assert!(r.converged && r.findings.is_empty());
}

#[test]
fn hide_findings_leave_the_whole_listing_unedited() {
    let f = fixer(RULES);
    let fx = fields(&[
        ("title", "Coach bag for Rolex fans"),
        ("description", "Rolex"),
    ]);
    let r = listing(&f, &fx);
    assert!(r.edits.is_empty());
    assert_eq!(r.left.len(), 1);
    assert_eq!(r.left[0].reason, LeftReason::Hide);
    assert!(r.left[0].detail.contains("Coach"), "{:?}", r.left);
    assert!(r.needs_person());
}

#[test]
fn a_title_that_would_be_empty_leaves_the_listing_unedited() {
    let f = fixer(RULES);
    for title in ["Rolex Submariner", "Rolex - (Submariner)", "for Rolex"] {
        let fx = fields(&[("Title", title), ("Body", "Fits Rolex 20mm")]);
        let r = listing(&f, &fx);
        assert!(r.edits.is_empty(), "{title}: {r:?}");
        assert_eq!(r.left[0].reason, LeftReason::EmptyTitle, "{title}");
        assert_eq!(r.left[0].field.as_deref(), Some("Title"));
    }
    // Other fields may end up empty; a title that was empty already is no reason.
    let fx = fields(&[("Title", ""), ("Tags", "Rolex"), ("Body", "steel")]);
    let r = listing(&f, &fx);
    assert_eq!(r.edits.len(), 1);
    assert_eq!(r.edits[0].after, "");
    assert!(!r.needs_person());
}

#[test]
fn review_findings_are_not_edited_but_reported() {
    let f = fixer(RULES);
    // (Not `Jordan style …`: "style" after a term is a counterfeit signal, which makes
    // the finding `remove`.)
    let fx = fields(&[("title", "Jordan strap for Rolex")]);
    let r = listing(&f, &fx);
    assert_eq!(r.edits.len(), 1);
    assert_eq!(r.edits[0].after, "Jordan strap");
    assert_eq!(r.left.len(), 1);
    assert_eq!(r.left[0].reason, LeftReason::Review);
    assert!(!r.needs_person());
}

#[test]
fn findings_in_urls_and_file_names_are_kept_and_reported() {
    let f = fixer(RULES);
    let fx = fields(&[
        ("title", "Rolex strap"),
        ("image", "https://cdn.example.com/rolex-strap.jpg"),
        ("body", "<img src=\"/files/rolex.png\" alt=\"Rolex strap\">"),
    ]);
    let r = listing(&f, &fx);
    let after: Vec<(&str, &str)> = r
        .edits
        .iter()
        .map(|e| (&*e.field, e.after.as_str()))
        .collect();
    assert_eq!(
        after,
        [
            ("title", "strap"),
            ("body", "<img src=\"/files/rolex.png\" alt=\"strap\">")
        ]
    );
    let url: Vec<&str> = r
        .left
        .iter()
        .filter(|l| l.reason == LeftReason::InUrl)
        .filter_map(|l| l.field.as_deref())
        .collect();
    // HTML `src` values are not scanned (docs/matching.md#html-fields), so only the image column is a URL
    // finding; the `alt` text is fixed.
    assert_eq!(url, ["image"]);
    assert!(r.needs_person());
}

#[test]
fn a_fix_that_would_create_a_hide_finding_is_not_made() {
    // Cutting Rolex joins `Co` and `ach`? No: boundaries hold. But `Coach` can be built
    // from a replacement.
    let f = fixer("term,action,case,replacement\nRolex,remove,,Coach\nCoach,hide,sensitive,\n");
    let fx = fields(&[("title", "Rolex bag")]);
    let r = listing(&f, &fx);
    assert!(r.edits.is_empty());
    assert_eq!(r.left[0].reason, LeftReason::NotConverged);
}

#[test]
fn url_detection() {
    for (text, term, want) in [
        ("https://cdn.x.com/a/rolex-1.jpg", "rolex", true),
        ("www.rolex-straps.com", "rolex", true),
        ("rolex_sub.JPEG?v=2", "rolex", true),
        ("href=\"/collections/rolex\"", "rolex", true),
        ("Strap for Rolex.", "Rolex", false),
        ("Rolex/Omega strap", "Rolex", false),
        ("Rolex, steel", "Rolex", false),
    ] {
        let s = text.find(term).unwrap();
        assert_eq!(in_url(text, s, s + term.len()), want, "{text}");
    }
}

#[test]
fn brands_are_kept_by_normalized_name() {
    let mut rules = Rules::parse_csv(
        "t.csv",
        "term,brand,kind\nAir Jordan,Nike,\nRolex,,\napple green,Apple,allow\nHermès,,\n",
    )
    .unwrap();
    retain_brands(&mut rules, &["HERMES", "nike"]).unwrap();
    let terms: Vec<&str> = rules.iter().map(|r| &*r.term).collect();
    assert_eq!(terms, ["Air Jordan", "apple green", "Hermès"]);
    let e = retain_brands(&mut rules, &["Rolx"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("Rolx"), "{e}");
}

#[test]
fn titles_urls_and_blank_text() {
    assert!(is_title_column("SEO Title"));
    assert!(!is_title_column("Body (HTML)"));
    let t = "see https://cdn.example.com/rolex-1.jpg or rolex-2.png; Rolex strap";
    assert!(in_url(t, 28, 33));
    let png = t.find("rolex-2").unwrap();
    assert!(in_url(t, png, png + 5));
    assert!(!in_url(t, t.len() - 11, t.len() - 6));
    assert!(is_blank(" - ()"));
    assert!(!is_blank("运动鞋"));
}

#[test]
fn product_words_are_letters_beyond_connectives_and_markup() {
    use super::has_product_words;
    assert!(has_product_words("Strap 20mm"));
    assert!(has_product_words("手柄 5"));
    assert!(!has_product_words("15/14/13"));
    assert!(!has_product_words("<p>Compatible with 15/14/13</p>"));
    assert!(!has_product_words("for - 2 x"));
    assert!(has_product_words("<div class=\"x\">Leather band</div>"));
}
