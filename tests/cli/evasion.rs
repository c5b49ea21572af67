//! The docs/matching.md evasion, context, fuzzy and HTML examples through the binary
//! (`check --format json`), each span checked against the original text.

use crate::util::*;
use serde_json::Value;

/// (matched, term, match_kind, context, action) of every finding.
fn check(terms: &str, text: &str, extra: &[&str]) -> Vec<[String; 5]> {
    check_findings("terms.csv", terms, text, extra)
        .iter()
        .map(|f| {
            ["matched", "term", "match_kind", "context", "action"]
                .map(|k| f[k].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn matched_kinds(terms: &str, text: &str) -> Vec<(String, String)> {
    check(&format!("term\n{terms}"), text, &[])
        .into_iter()
        .map(|[m, _, k, _, _]| (m, k))
        .collect()
}

macro_rules! obfuscated {
    ($name:ident, $term:expr, $text:expr, $matched:expr) => {
        #[test]
        fn $name() {
            assert_eq!(
                matched_kinds($term, $text),
                [($matched.to_string(), "obfuscated".to_string())]
            );
        }
    };
}

obfuscated!(cyrillic_i, "Nike", "N\u{456}ke running", "N\u{456}ke");
obfuscated!(greek_omicron, "Rolex", "R\u{39F}LEX watch", "R\u{39F}LEX");
obfuscated!(zero_width, "Nike", "Ni\u{200b}ke socks", "Ni\u{200b}ke");
obfuscated!(soft_hyphen, "Gucci", "Gu\u{ad}cci belt", "Gu\u{ad}cci");
obfuscated!(digit_one, "Nike", "N1ke Air", "N1ke");
obfuscated!(at_sign, "Adidas", "Adid@s slides", "Adid@s");
obfuscated!(trailing_one, "Gucci", "Gucc1 bag", "Gucc1");
obfuscated!(zero_for_o, "Rolex", "R0lex watch", "R0lex");
obfuscated!(spaced, "Nike", "N I K E hoodie", "N I K E");
obfuscated!(dotted, "Nike", "N.i.k.e hoodie", "N.i.k.e");
obfuscated!(hyphenated, "Nike", "n-i-k-e hoodie", "n-i-k-e");
obfuscated!(stretched, "Nike", "Niiiike shoes", "Niiiike");
obfuscated!(bold, "Nike", "𝐍𝐢𝐤𝐞 tee", "𝐍𝐢𝐤𝐞");
obfuscated!(circled, "Nike", "Ⓝⓘⓚⓔ tee", "Ⓝⓘⓚⓔ");
obfuscated!(negative_squared, "Nike", "🅽🅸🅺🅴 tee", "🅽🅸🅺🅴");

#[test]
fn never_across_real_words() {
    assert!(matched_kinds("Nike", "sign in ike").is_empty());
    assert!(matched_kinds("Nike", "a 1 ke").is_empty());
    assert!(matched_kinds("Nike", "N1K3-200 spare part").is_empty());
    assert!(matched_kinds("3M", "13M hose").is_empty());
}

#[test]
fn full_width_stays_normalized() {
    assert_eq!(
        matched_kinds("Nike", "ＮＩＫＥ"),
        [("ＮＩＫＥ".to_string(), "normalized".to_string())]
    );
}

#[test]
fn compatible_context_and_its_action_flag() {
    let list = "term,action\nRolex,hide\n";
    let f = check(list, "Strap for Rolex", &[]);
    assert_eq!(f[0][3], "compatible");
    assert_eq!(f[0][4], "hide");
    let f = check(list, "Strap for Rolex", &["--compatible-action", "review"]);
    assert_eq!(f[0][4], "review");
    let f = check(list, "Rolex strap", &["--compatible-action", "review"]);
    assert_eq!((f[0][3].as_str(), f[0][4].as_str()), ("", "hide"));
}

#[test]
fn counterfeit_context_overrides_the_rule() {
    let list = "term,action,severity\nRolex,review,minor\n";
    for text in ["Rolex style watch", "AAA Rolex 1:1", "replica R0lex"] {
        let (_d, wl) = wordlist("l.csv", list);
        let r = run(brandscan()
            .args(["check", "--format", "json", "-w"])
            .arg(&wl)
            .args(["--title", text]));
        assert_eq!(r.code, 1, "{text}: {}", r.stdout);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let f = &v["findings"][0];
        assert_eq!(f["context"], "counterfeit", "{text}");
        assert_eq!(f["severity"], "serious", "{text}");
        assert_eq!(f["action"], "remove", "{text}");
    }
}

#[test]
fn fuzzy_needs_its_flag() {
    let list = "term\nAdidas\nRolex\n";
    assert!(check(list, "Addidas Rollex", &[]).is_empty());
    let f = check(list, "Addidas Rollex", &["--fuzzy"]);
    let got: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|f| (f[0].as_str(), f[2].as_str(), f[4].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Addidas", "fuzzy", "review"),
            ("Rollex", "fuzzy", "review")
        ]
    );
}

#[test]
fn no_evasion_turns_the_view_off() {
    let list = "term\nNike\n";
    assert_eq!(check(list, "N1ke", &[]).len(), 1);
    assert!(check(list, "N1ke", &["--no-evasion"]).is_empty());
}

#[test]
fn html_description_through_check() {
    let (_d, wl) = wordlist("l.csv", "term\nMoët\nOmega\n");
    let desc = r#"<p>Holds <b>Mo&euml;t</b></p><img src="omega.jpg" alt="bucket">"#;
    let r = run(brandscan()
        .args(["check", "--format", "json", "--fail-on", "never", "-w"])
        .arg(&wl)
        .args(["--title", "Ice bucket", "--description", desc]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["matched"], "Mo&euml;t");
    let (s, e) = (
        f[0]["start"].as_u64().unwrap(),
        f[0]["end"].as_u64().unwrap(),
    );
    assert_eq!(&desc[s as usize..e as usize], "Mo&euml;t");
}
