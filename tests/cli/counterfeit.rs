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
