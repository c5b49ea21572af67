//! Counterfeit wording as a finding of its own: the built-in list, its allow phrases for
//! innocent uses, and `fix` leaving such listings for a person.
//! `tests/data/counterfeit_listings.csv` holds counterfeit-style listings (`expect` =
//! `counterfeit`) and innocent ones that use the same words (`innocent`).

use crate::util::{brandscan, csv_rows, data, run, wordlist};
use std::collections::BTreeSet;

const WORDING: &str = "(counterfeit wording)";

fn scan_listings(extra: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let r = run(brandscan()
        .args(["scan", "-q", "--fail-on", "never", "--fields", "title"])
        .args(extra)
        .arg(data("counterfeit_listings.csv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    csv_rows(&r.stdout)
}

#[test]
fn counterfeit_wording_is_found_without_a_brand_and_innocent_uses_are_not() {
    let expect = csv_rows(&std::fs::read_to_string(data("counterfeit_listings.csv")).unwrap());
    let findings = scan_listings(&[]);
    let wording: Vec<_> = findings.iter().filter(|f| f["brand"] == WORDING).collect();
    for f in &wording {
        assert_eq!(
            (
                f["context"].as_str(),
                f["severity"].as_str(),
                f["action"].as_str()
            ),
            ("counterfeit", "serious", "remove"),
            "{f:?}"
        );
    }
    let flagged: BTreeSet<&str> = wording.iter().map(|f| f["listing_id"].as_str()).collect();
    let mut missed = Vec::new();
    let mut false_flags = Vec::new();
    for row in &expect {
        let id = row["id"].as_str();
        match (row["expect"].as_str(), flagged.contains(id)) {
            ("counterfeit", false) => missed.push(id),
            ("innocent", true) => false_flags.push(id),
            _ => {}
        }
    }
    assert!(missed.is_empty(), "missed: {missed:?}");
    assert!(
        false_flags.is_empty(),
        "innocent uses flagged: {false_flags:?}"
    );
    assert!(flagged.len() >= 25, "{flagged:?}");
    // The words themselves, exactly as written.
    let c01: Vec<&str> = wording
        .iter()
        .filter(|f| f["listing_id"] == "C01")
        .map(|f| f["matched"].as_str())
        .collect();
    assert_eq!(c01, ["AAA+", "Replica"]);
}

#[test]
fn the_list_is_built_in_and_goes_with_the_built_in_lists() {
    let (_d, list) = wordlist("l.csv", "term\nKorvex\n");
    let own = scan_listings(&["-w", list.to_str().unwrap()]);
    assert!(own.iter().all(|f| f["brand"] != WORDING), "{own:?}");
    let both = scan_listings(&["-w", list.to_str().unwrap(), "--builtin"]);
    assert!(both.iter().any(|f| f["brand"] == WORDING));
    let r = run(brandscan().args(["wordlist", "list"]));
    assert!(r.stdout.contains("counterfeit"), "{}", r.stdout);
    let r = run(brandscan().args(["wordlist", "list", "--terms", WORDING]));
    assert!(r
        .stdout
        .contains("replica,(counterfeit wording),literal,serious,remove"));
    assert!(r
        .stdout
        .contains("aaa batteries,(counterfeit wording),allow"));
}

#[test]
fn innocent_uses_are_no_counterfeit_context_for_a_brand_either() {
    let (_d, list) = wordlist("l.csv", "term\nKorvex\n");
    let context = |title: &str| {
        let r = run(brandscan()
            .args(["check", "--format", "json", "--fail-on", "never", "-w"])
            .arg(&list)
            .args(["--title", title]));
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        v["findings"][0]["context"]
            .as_str()
            .unwrap_or("?")
            .to_string()
    };
    assert_eq!(context("Korvex Home Replica Jersey 2024"), "");
    assert_eq!(context("Korvex photo frame 1:1 square"), "");
    assert_eq!(context("Korvex remote, 2 AAA batteries"), "");
    assert_eq!(context("Korvex Replica Watch"), "counterfeit");
    assert_eq!(context("Korvex AAA+ grade"), "counterfeit");
}

#[test]
fn fix_leaves_every_listing_with_counterfeit_wording_for_a_person() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "sku,title\n\
         A-1,AAA+ Replica boots FREE SHIPPING\n\
         A-2,高仿 女士 链条包\n\
         A-3,AAA Batteries 24 Pack\n",
    )
    .expect("write");
    let out = dir.path().join("out.csv");
    let left = dir.path().join("left.csv");
    let r = run(brandscan()
        .arg("fix")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .arg("--left")
        .arg(&left));
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Nothing is cut: the listing goes to a person as it is.
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        std::fs::read_to_string(&out).unwrap()
    );
    let left = csv_rows(&std::fs::read_to_string(&left).unwrap());
    let reasons: Vec<(&str, &str)> = left
        .iter()
        .map(|l| (l["listing_id"].as_str(), l["reason"].as_str()))
        .collect();
    assert_eq!(reasons, [("A-1", "counterfeit"), ("A-2", "counterfeit")]);
}

fn check_title(title: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let r = run(brandscan()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .args(extra)
        .args(["--title", title]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    v["findings"].as_array().expect("findings").clone()
}

fn unknown_words(title: &str, extra: &[&str]) -> Vec<String> {
    check_title(title, extra)
        .iter()
        .filter(|f| f["brand"] == "(unknown brand)")
        .map(|f| {
            assert_eq!(f["action"], "review", "{f}");
            assert_eq!(f["context"], "counterfeit", "{f}");
            f["matched"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn a_brand_shaped_word_beside_counterfeit_wording_is_an_unknown_brand_to_review() {
    assert_eq!(
        unknown_words(
            "ZORBLAT EYEWEAR 607 BLACK - [AAA+] - FREE SHIPPING - [Replica]",
            &[]
        ),
        ["ZORBLAT"]
    );
    // A real word one edit from a known brand, beside the wording.
    assert_eq!(
        unknown_words("Channel Shoulder Bag AAA+ grade", &[]),
        ["Channel"]
    );
    // Not without the wording, not for ordinary or known words, not lower case.
    assert!(unknown_words("ZORBLAT EYEWEAR 607 BLACK", &[]).is_empty());
    assert!(unknown_words("Premium Leather Boots [Replica]", &[]).is_empty());
    assert!(unknown_words("Chanel Shoulder Bag AAA+ grade", &[]).is_empty());
    assert!(unknown_words("zorblat belt replica", &[]).is_empty());
    // Only with the counterfeit-wording list loaded.
    let (_d, list) = wordlist("l.csv", "term\nKorvex\n");
    let own = ["-w", list.to_str().unwrap()];
    assert!(unknown_words("ZORBLAT [AAA+] [Replica]", &own).is_empty());
    // The listing is a counterfeit to remove whatever the word is.
    let all = check_title("ZORBLAT [AAA+] [Replica]", &[]);
    assert!(all.iter().any(|f| f["action"] == "remove"));
}

#[test]
fn wordlist_check_on_a_catalog_lists_the_unknown_brands_most_frequent_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("c.csv");
    std::fs::write(
        &catalog,
        "id,title\n\
         1,Zorblat Chain Bag [Replica]\n\
         2,ZORBLAT belt AAA+ quality\n\
         3,Quexa sunglasses 1:1 mirror\n\
         4,Zorblat tote\n\
         5,Korvex cap\n",
    )
    .expect("write");
    let (_d, list) = wordlist("l.csv", "term\nKorvex\n");
    let r = run(brandscan()
        .args(["wordlist", "check"])
        .arg(&list)
        .arg("--catalog")
        .arg(&catalog));
    assert_eq!(r.code, 0, "{}", r.stdout);
    let section = r
        .stdout
        .split("brand-shaped words beside counterfeit wording")
        .nth(1)
        .unwrap_or_else(|| panic!("no unknown-brand section:\n{}", r.stdout));
    let rows: Vec<(String, String)> = section
        .lines()
        .skip(2)
        .map(|l| {
            let mut w = l.split_whitespace();
            (w.next().unwrap().to_string(), w.next().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2".to_string(), "Zorblat".to_string()),
            ("1".to_string(), "Quexa".to_string())
        ]
    );
    // The terms on the most listings are still the file's own.
    let head = r.stdout.split("brand-shaped").next().unwrap();
    assert!(
        head.contains("Korvex") && !head.contains("replica"),
        "{head}"
    );
}

#[test]
fn reports_count_counterfeit_wording_apart_from_brands() {
    let r = run(brandscan()
        .args([
            "scan",
            "--fields",
            "title",
            "-f",
            "summary",
            "--fail-on",
            "never",
        ])
        .arg(data("counterfeit_listings.csv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let top = r
        .stdout
        .split("top brands:")
        .nth(1)
        .and_then(|t| t.split("counterfeit wording:").next())
        .unwrap_or_default();
    assert!(!top.contains("(counterfeit wording)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("counterfeit wording: 25 listings"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("unknown brand: 1 listing"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("; counterfeit wording: 25 listings"),
        "{}",
        r.stderr
    );
    // The page's chart draws the wording first, marked apart from the brands.
    let r = run(brandscan()
        .args([
            "scan",
            "--fields",
            "title",
            "-f",
            "html",
            "--fail-on",
            "never",
        ])
        .arg(data("counterfeit_listings.csv")));
    let chart = r.stdout.split("id=\"chart\"").nth(1).expect("chart");
    let first = chart.find("(counterfeit wording)").expect("wording bar");
    let cazal = chart.find("Cazal").expect("brand bar");
    assert!(first < cazal);
    assert!(
        chart.contains("<span class=\"brand apart\">(counterfeit wording)</span>"),
        "{chart}"
    );
}
