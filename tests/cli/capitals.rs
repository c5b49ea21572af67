//! Capitalisation as evidence (SPEC §2) on `tests/data/capitals.csv` with
//! `tests/data/wordlists/capitals.csv`: the same actions from scan, check, fix and audit
//! (serve: `serve::capitals_are_the_same_in_serve`).

use crate::util::*;
use serde_json::Value;

pub const LIST: &str = "wordlists/capitals.csv";
pub const CATALOG: &str = "capitals.csv";

/// `(listing_id, field, matched, action)` of every finding, in order.
pub const EXPECTED: &[[&str; 4]] = &[
    // Written form, in a field that is not title case.
    ["K1", "title", "Coach", "remove"],
    // Capitals stand out from `Tabby bag`.
    ["K2", "title", "COACH", "remove"],
    // K3 `coach bus`: lowercase is not the brand.
    // A field in capitals: the capitals say nothing.
    ["K4", "title", "COACH", "review"],
    // Title case: the capital says nothing.
    ["K5", "title", "Converse", "review"],
    // A product mark of the brand beside it is the evidence.
    ["K6", "title", "CONVERSE", "remove"],
    ["K6", "title", "Chuck 70", "remove"],
    ["K7", "title", "Vans", "remove"],
    ["K7", "title", "Old Skool", "remove"],
    // Tags are lowercase by habit: found, for a person.
    ["K8", "tags", "jordan", "review"],
    // Tags in title case: no evidence either.
    ["K9", "tags", "Jordan", "review"],
    ["K10", "title", "SUPREME", "remove"],
    ["K11", "title", "Converse", "remove"],
    // Title case leaves function words in lower case: still title case.
    ["K12", "title", "Converse", "review"],
];

fn rows(findings: &[Value]) -> Vec<[String; 4]> {
    findings
        .iter()
        .map(|f| {
            ["listing_id", "field", "matched", "action"]
                .map(|k| f[k].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

pub fn expected() -> Vec<[String; 4]> {
    EXPECTED.iter().map(|e| e.map(String::from)).collect()
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// The catalog's rows as JSON listings, tags as an array as a shop's API sends them.
pub fn listings() -> Vec<Value> {
    let mut r = csv::Reader::from_path(data(CATALOG)).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let tags: Vec<&str> = rec[2]
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            serde_json::json!({"id": &rec[0], "title": &rec[1], "tags": tags})
        })
        .collect()
}

#[test]
fn scan_finds_capitals_and_weighs_them() {
    let r = run(brandscan()
        .args(["--no-config", "scan", "-f", "jsonl", "--fail-on", "never"])
        .args(["--no-builtin", "-w"])
        .arg(data(LIST))
        .arg(data(CATALOG)));
    assert_eq!(rows(&jsonl(&r.stdout)), expected(), "{}", r.stderr);
}

#[test]
fn check_jsonl_gives_the_same_actions_with_tags_as_arrays() {
    let lines: String = listings().iter().map(|l| format!("{l}\n")).collect();
    let r = run(brandscan()
        .args(["--no-config", "check", "--jsonl", "--fail-on", "never"])
        .args(["--no-builtin", "-w"])
        .arg(data(LIST))
        .write_stdin(lines));
    let mut found = Vec::new();
    for v in jsonl(&r.stdout) {
        let id = v["id"].clone();
        for mut f in v["findings"].as_array().cloned().unwrap_or_default() {
            f["listing_id"] = id.clone();
            found.push(f);
        }
    }
    assert_eq!(rows(&found), expected(), "{}", r.stderr);
}

#[test]
fn check_title_spec_examples() {
    let list = std::fs::read_to_string(data(LIST)).unwrap();
    for (title, want) in [
        ("Coach tote", Some("remove")),
        ("COACH Tabby bag", Some("remove")),
        ("coach bus", None),
        ("COACH BUS TOY MODEL", Some("review")),
        ("How To Converse With Confidence", Some("review")),
        ("How to Converse with Confidence", Some("review")),
        ("Converse with white soles, size 9", Some("remove")),
    ] {
        let found = check_findings("capitals.csv", &list, title, &["--no-builtin"]);
        assert_eq!(
            found.first().map(|f| f["action"].as_str().unwrap()),
            want,
            "{title}"
        );
    }
}

#[test]
fn fix_cuts_only_what_the_capitals_support() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fixed.csv");
    let r = run(brandscan()
        .args(["--no-config", "fix", "-q", "--no-builtin", "-w"])
        .arg(data(LIST))
        .arg(data(CATALOG))
        .arg("-o")
        .arg(&out));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fixed = std::fs::read_to_string(&out).unwrap();
    let titles: Vec<String> = csv_rows(&fixed)
        .into_iter()
        .map(|r| r["title"].clone())
        .collect();
    assert_eq!(titles[0], "tote in pebbled leather");
    assert_eq!(titles[1], "Tabby bag");
    // Review findings are never cut.
    assert_eq!(titles[3], "COACH BUS TOY MODEL");
    assert_eq!(titles[4], "How To Converse With Confidence");
    assert_eq!(titles[11], "How to Converse with Confidence");
    let tags: Vec<String> = csv_rows(&fixed)
        .into_iter()
        .map(|r| r["tags"].clone())
        .collect();
    assert_eq!(tags[7], "jordan, basketball");
}

#[test]
fn audit_reports_the_same_actions() {
    let r = run(brandscan()
        .args([
            "--no-config",
            "audit",
            "--brand",
            "Coach",
            "-f",
            "csv",
            "--no-builtin",
            "-w",
        ])
        .arg(data(LIST))
        .arg(data(CATALOG)));
    let got: Vec<(String, String)> = csv_rows(&r.stdout)
        .into_iter()
        .map(|r| (r["listing_id"].clone(), r["action"].clone()))
        .collect();
    let mut want = vec![
        ("K1".to_string(), "remove".to_string()),
        ("K2".to_string(), "remove".to_string()),
        ("K4".to_string(), "review".to_string()),
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn serve_gives_the_same_actions() {
    let list = data(LIST).display().to_string();
    let srv = crate::serve::Server::start(&["--no-builtin", "-w", &list]);
    let r = crate::serve::post(
        srv.addr,
        "/v1/check",
        &serde_json::json!({ "listings": listings() }),
    );
    assert_eq!(r.status, 200);
    let mut found = Vec::new();
    for v in r.json()["results"].as_array().cloned().unwrap_or_default() {
        for mut f in v["findings"].as_array().cloned().unwrap_or_default() {
            f["listing_id"] = v["id"].clone();
            found.push(f);
        }
    }
    assert_eq!(rows(&found), expected());
}
