//! The docs/matching.md examples, one test each, through the binary (`check --format json`).

use crate::util::*;
use serde_json::Value;

fn check_terms(terms: &str, text: &str) -> Vec<String> {
    check_findings("terms.txt", terms, text, &[])
        .iter()
        .map(|f| f["term"].as_str().unwrap().to_string())
        .collect()
}

macro_rules! spec_case {
    ($name:ident, $terms:expr, $text:expr, [$($want:expr),*]) => {
        #[test]
        fn $name() {
            let want: Vec<&str> = vec![$($want),*];
            assert_eq!(check_terms($terms, $text), want);
        }
    };
}

spec_case!(case_insensitive, "Nike", "NIKE running shoes", ["Nike"]);
spec_case!(pineapple_is_not_apple, "Apple", "Pineapple slicer", []);
spec_case!(applesauce_is_not_apple, "Apple", "Applesauce", []);
spec_case!(possessive_is_a_word, "Apple", "Apple's charger", ["Apple"]);
spec_case!(digits_after_letters, "iPhone", "iPhone13 case", ["iPhone"]);
spec_case!(digits_before_digits, "3M", "13M tape", []);
spec_case!(three_m, "3M", "3M tape", ["3M"]);
spec_case!(cjk_has_no_spaces, "耐克", "耐克运动鞋", ["耐克"]);
spec_case!(
    separator_hyphen,
    "Louis Vuitton",
    "louis-vuitton",
    ["Louis Vuitton"]
);
spec_case!(
    separator_underscore,
    "Louis Vuitton",
    "LOUIS_VUITTON",
    ["Louis Vuitton"]
);
spec_case!(
    separator_double_space,
    "Louis Vuitton",
    "louis  vuitton",
    ["Louis Vuitton"]
);
spec_case!(
    separator_none,
    "Louis Vuitton",
    "LouisVuitton",
    ["Louis Vuitton"]
);
spec_case!(full_width, "Nike", "ＮＩＫＥ", ["Nike"]);
spec_case!(accent_in_text, "Hermes", "Hermès scarf", ["Hermes"]);
spec_case!(accent_in_term, "Hermès", "Hermes scarf", ["Hermès"]);
spec_case!(moet_either_way, "Moet", "Moët flute", ["Moet"]);
spec_case!(moet_term_accent, "Moët", "Moet flute", ["Moët"]);
spec_case!(
    longest_wins,
    "Jordan\nAir Jordan",
    "Air Jordan 1",
    ["Air Jordan"]
);
spec_case!(
    failed_boundary_never_hides,
    "Nike\nNike Air",
    "Nike Airline bag",
    ["Nike"]
);

#[test]
fn allow_phrase_covers_only_its_match() {
    let (_dir, list) = wordlist(
        "l.csv",
        "term,brand,kind\nApple,Apple,literal\niPhone,Apple,literal\napple green,Apple,allow\n",
    );
    let text = "Apple iPhone case, apple green";
    let r = run(brandscan()
        .args(["check", "--format", "json", "-w"])
        .arg(&list)
        .args(["--title", text]));
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["term"].as_str().unwrap().into(),
                f["start"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("Apple".to_string(), 0), ("iPhone".to_string(), 6)]);
}

#[test]
fn authorized_brand_is_dropped() {
    let (_dir, list) = wordlist(
        "l.csv",
        "term,brand\nNike,Nike\nAir Jordan,Nike\nRolex,Rolex\n",
    );
    let r = run(brandscan()
        .args(["check", "--format", "json", "--authorized", "nike", "-w"])
        .arg(&list)
        .args(["--title", "Nike Air Jordan strap for Rolex"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["brand"], "Rolex");
}

#[test]
fn case_sensitive_rule_from_builtin_kind_of_list() {
    let (_dir, list) = wordlist("l.csv", "term,case,action\nCoach,sensitive,hide\n");
    let r = run(brandscan()
        .args(["check", "--format", "json", "-w"])
        .arg(&list)
        .args(["--title", "coach bus toy"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("\"verdict\":\"pass\""), "{}", r.stdout);
    let r = run(brandscan()
        .args(["check", "--format", "json", "--fail-on", "hide", "-w"])
        .arg(&list)
        .args(["--title", "Coach tote"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("\"verdict\":\"hide\""), "{}", r.stdout);
}

#[test]
fn regex_rule_match_kind() {
    let (_dir, list) = wordlist(
        "l.csv",
        "term,kind,brand\nr[o0]lex\\s*(sub|daytona),regex,Rolex\n",
    );
    let r = run(brandscan()
        .args(["check", "--format", "json", "-w"])
        .arg(&list)
        .args(["--title", "R0LEX Daytona 40mm"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"][0]["match_kind"], "regex");
    assert_eq!(v["findings"][0]["matched"], "R0LEX Daytona");
}
