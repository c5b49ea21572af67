//! Broken word lists (`tests/data/bad/wordlist_*`): an error naming file, line and
//! column, exit 2, before any output is written. BOM and CR/CRLF line ends just work.

use crate::util::*;

/// Scan a good catalog with a bad list into `-o`: the error, and no report.
fn refused(list: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(data(&format!("bad/{list}")))
        .arg("-o")
        .arg(&out)
        .arg(data("formats/listings.jsonl")));
    assert_eq!(r.code, 2, "{list}: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{list}: {}", r.stdout);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "{list}: output was written"
    );
    // The word list fails before the catalog is even opened.
    assert!(!r.stderr.contains("scanning"), "{list}: {}", r.stderr);
    r.stderr
}

#[test]
fn every_bad_list_is_refused_with_file_line_and_column() {
    let cases = [
        (
            "wordlist_unknown_enum.csv",
            ":3 (column `action`): unknown value `delete` (expected one of: review, hide, remove)",
        ),
        ("wordlist_empty_term.csv", ":3 (column `term`): empty term"),
        (
            "wordlist_invalid_regex.csv",
            ":3 (column `term`): invalid regex: regex parse error",
        ),
        (
            "wordlist_huge_regex.csv",
            ":3 (column `term`): invalid regex: Compiled regex exceeds size limit of 2097152 bytes",
        ),
        (
            "wordlist_unknown_column.csv",
            ":1 (column `colour`): unknown column `colour`",
        ),
        (
            "wordlist_duplicate_column.csv",
            ":1 (column `Brand`): duplicate column `Brand`",
        ),
        (
            "wordlist_bom_crlf_bad_row.csv",
            ":4 (column `severity`): unknown value `grave`",
        ),
        (
            "wordlist_normalizes_to_nothing.txt",
            ":3 (column `term`): term `---` has no letters or digits left after normalization",
        ),
        (
            "wordlist_unbalanced_quote.csv",
            ":3 (column `term`): the value runs over lines 3–4: an unbalanced `\"` on line 3?",
        ),
        (
            "wordlist_wrong_field_count.csv",
            ":3: row has 2 fields, the header has 3",
        ),
    ];
    for (list, want) in cases {
        let stderr = refused(list);
        let expected = format!(
            "brandscan: {}{want}",
            data(&format!("bad/{list}")).display()
        );
        assert!(
            stderr.contains(&expected),
            "{list}:\n want {expected}\n got  {stderr}"
        );
    }
}

#[test]
fn wordlist_check_reports_the_same_errors() {
    let r = run(brandscan()
        .args(["wordlist", "check"])
        .arg(data("bad/wordlist_unknown_enum.csv")));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        all.contains("wordlist_unknown_enum.csv:3 (column `action`)"),
        "{all}"
    );
}

#[test]
fn bom_and_crlf_lists_read_as_clean_ones() {
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(data("bad/wordlist_bom_crlf.csv"))
        .arg(data("formats/listings.jsonl")));
    let rows = csv_rows(&r.stdout);
    let found: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["listing_id"].as_str(),
                r["term"].as_str(),
                r["action"].as_str(),
            )
        })
        .collect();
    // `term` is found despite the BOM, `hide` despite the CR before the line end.
    assert_eq!(
        found,
        [("F1", "Rolex", "remove"), ("F4", "Nike", "hide")],
        "{}",
        r.stderr
    );
}

#[test]
fn cr_only_txt_list_has_one_term_per_line() {
    let r = run(brandscan()
        .args(["wordlist", "check"])
        .arg(data("bad/wordlist_cr_only.txt")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2 rules"), "{}", r.stdout);
}

#[test]
fn utf16_list_with_bom_is_read() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "term,brand\r\nRolex,Rolex\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unicode.csv");
    std::fs::write(&path, bytes).unwrap();
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&path)
        .args(["-f", "listings"])
        .arg(data("formats/listings.jsonl")));
    let ids: Vec<String> = csv_rows(&r.stdout)
        .into_iter()
        .map(|r| r["listing_id"].clone())
        .collect();
    assert_eq!(ids, ["F1"], "{}", r.stderr);
}
