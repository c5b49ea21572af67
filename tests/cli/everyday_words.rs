//! Everyday uses of brand words with the built-in lists, on `tests/data/everyday_words.csv`:
//! a lowercase function word does not make a title-case field stand out (`How to Converse
//! with Confidence` → Converse, review), allow phrases for everyday compounds (`Moving
//! Vans`, 三星堆 the museum, 汗血宝马 a fine horse), one-to-one wording that means a
//! model's scale (`1比1 等比例 坦克模型`), and bare `3M` (review without a 3M mark, nothing
//! beside a length or a cache size). `scan`, `check --jsonl`, `serve` and `fix` agree.

use crate::util::*;
use serde_json::Value;

const CATALOG: &str = "everyday_words.csv";

/// `(listing_id, matched, brand, action, context)` of every finding, in order.
const EXPECTED: &[[&str; 5]] = &[
    // Title case with its function words in lower case: the capital says nothing.
    ["E1", "Converse", "Converse", "review", ""],
    // E2 `Moving Vans`, E3 三星堆, E4 汗血宝马: allow phrases. E5: a model's scale.
    // Bare 3M: the brand's own spelling, for a person without a 3M mark.
    ["E6", "3M", "3M", "review", ""],
    // E7 a cable's length and E8 a cache size are no finding.
    ["E9", "3M Scotch", "3M", "remove", ""],
    // The lowercase words around it are content words: the capital stands out.
    ["E10", "Converse", "Converse", "remove", ""],
    [
        "E11",
        "高仿",
        "(counterfeit wording)",
        "remove",
        "counterfeit",
    ],
    [
        "E11",
        "1比1",
        "(counterfeit wording)",
        "remove",
        "counterfeit",
    ],
    ["E11", "古驰", "Gucci", "remove", "counterfeit"],
];

fn expected() -> Vec<[String; 5]> {
    EXPECTED.iter().map(|e| e.map(String::from)).collect()
}

fn rows(findings: &[Value]) -> Vec<[String; 5]> {
    findings
        .iter()
        .map(|f| {
            ["listing_id", "matched", "brand", "action", "context"]
                .map(|k| f[k].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn listings() -> Vec<Value> {
    let text = std::fs::read_to_string(data(CATALOG)).unwrap();
    csv_rows(&text)
        .into_iter()
        .map(|r| serde_json::json!({"id": r["id"], "title": r["title"]}))
        .collect()
}

/// The findings of per-listing verdicts, each tagged with its listing's id.
fn verdict_findings(verdicts: &[Value]) -> Vec<Value> {
    let mut found = Vec::new();
    for v in verdicts {
        for mut f in v["findings"].as_array().cloned().unwrap_or_default() {
            f["listing_id"] = v["id"].clone();
            found.push(f);
        }
    }
    found
}

#[test]
fn scan_reads_everyday_words_as_such() {
    let r = run(brandscan()
        .args([
            "--no-config",
            "scan",
            "-q",
            "-f",
            "jsonl",
            "--fail-on",
            "never",
        ])
        .arg(data(CATALOG)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let found: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows(&found), expected(), "{}", r.stdout);
}

#[test]
fn check_jsonl_and_serve_agree_with_scan() {
    let lines: String = listings().iter().map(|l| format!("{l}\n")).collect();
    let r = run(brandscan()
        .args(["--no-config", "check", "--jsonl", "--fail-on", "never"])
        .write_stdin(lines));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let verdicts: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows(&verdict_findings(&verdicts)), expected());

    let srv = crate::serve::Server::start(&[]);
    let r = crate::serve::post(
        srv.addr,
        "/v1/check",
        &serde_json::json!({ "listings": listings() }),
    );
    assert_eq!(r.status, 200);
    let results = r.json()["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows(&verdict_findings(&results)), expected());
}

#[test]
fn fix_cuts_only_what_stands_and_leaves_the_rest_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fixed.csv");
    let left = dir.path().join("left.csv");
    let r = run(brandscan()
        .args(["--no-config", "fix", "-q"])
        .arg(data(CATALOG))
        .arg("-o")
        .arg(&out)
        .arg("--left")
        .arg(&left));
    // The counterfeit listing is left for a person: exit 1.
    assert_eq!(r.code, 1, "{}", r.stderr);
    let before = csv_rows(&std::fs::read_to_string(data(CATALOG)).unwrap());
    let after = csv_rows(&std::fs::read_to_string(&out).unwrap());
    for (b, a) in before.iter().zip(&after) {
        let want = match b["id"].as_str() {
            "E9" => "Magic Tape 6 rolls",
            "E10" => "all star sneakers",
            // Review findings are never cut; the rest has nothing to cut.
            _ => b["title"].as_str(),
        };
        assert_eq!(a["title"], want, "{}", b["id"]);
    }
    let left = std::fs::read_to_string(&left).unwrap();
    assert!(left.contains("E11"), "{left}");
}
