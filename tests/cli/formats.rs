//! Every input format on a real file of that format (`tests/data/formats/`, made by
//! `tests/data/make_fixtures.py`): the same five listings in each, so every format must
//! give the same findings.

use crate::util::*;
use std::io::Write;

/// `(listing_id, field, start, end, matched, term)` of each finding, in order.
type Found = Vec<(String, String, usize, usize, String, String)>;

fn scan_format(file: &str, extra: &[&str]) -> (Run, Found) {
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .args(extra)
        .arg(data(file)));
    let found = if r.stdout.is_empty() {
        Vec::new()
    } else {
        csv_rows(&r.stdout)
            .into_iter()
            .map(|row| {
                (
                    row["listing_id"].clone(),
                    row["field"].clone(),
                    row["start"].parse().unwrap(),
                    row["end"].parse().unwrap(),
                    row["matched"].clone(),
                    row["term"].clone(),
                )
            })
            .collect()
    };
    (r, found)
}

/// The five listings' findings with `test_rules.csv`, ids `F1`… or `1001`… and the
/// title column's name.
fn expected(id: impl Fn(usize) -> String, title: &str) -> Found {
    [
        (1, 10, 15, "Rolex", "Rolex"),
        (2, 0, 6, "耐克", "耐克"),
        (4, 0, 4, "NIKE", "Nike"),
        (5, 0, 13, "Louis-Vuitton", "Louis Vuitton"),
    ]
    .into_iter()
    .map(|(n, s, e, m, t)| (id(n), title.to_string(), s, e, m.to_string(), t.to_string()))
    .collect()
}

fn f_ids(n: usize) -> String {
    format!("F{n}")
}

/// `(read, scanned, rejected)` from the stderr summary.
pub fn counts(stderr: &str) -> (u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.contains(" rows (") && l.contains(" scanned, "))
        .unwrap_or_else(|| panic!("no summary in: {stderr}"));
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    (nums[0], nums[1], nums[2])
}

#[test]
fn xlsx_first_sheet_with_numbers_as_typed() {
    let (r, found) = scan_format("formats/listings.xlsx", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // SKUs typed as numbers read back as `1001`, not `1001.0`.
    assert_eq!(found, expected(|n| format!("{}", 1000 + n), "title"));
    assert!(
        r.stderr.contains("listings.xlsx (xlsx): id column `sku`"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (5, 5, 0));
}

#[test]
fn xlsx_sheet_by_name_with_template_rows() {
    let (r, found) = scan_format("formats/listings.xlsx", &["--sheet", "Template"]);
    let mut want = expected(f_ids, "item_name");
    // Row 6 comes after an empty sheet row and lacks a description cell.
    want.push((
        "F6".into(),
        "item_name".into(),
        0,
        5,
        "Coach".into(),
        "Coach".into(),
    ));
    assert_eq!(found, want, "{}", r.stderr);
    assert!(r.stderr.contains("header on line 3"), "{}", r.stderr);
    assert_eq!(counts(&r.stderr), (6, 6, 0));
}

#[test]
fn xlsx_unknown_sheet_names_the_sheets_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let r = run(brandscan()
        .args(["scan", "--sheet", "Products", "-o"])
        .arg(&out)
        .arg(data("formats/listings.xlsx")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "listings.xlsx: no sheet `Products` in the workbook (sheets: Listings, Template)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn amazon_flat_file_header_is_found_below_the_template_rows() {
    let (r, found) = scan_format("formats/amazon_template.tsv", &[]);
    assert_eq!(found, expected(f_ids, "item_name"));
    assert!(
        r.stderr.contains(
            "amazon_template.tsv (tab-separated, header on line 3): id column `item_sku`"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("amazon_template.tsv:3: note: the header is on line 3"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (5, 5, 0));
    // The same, said explicitly; and row 2 (the labels) when asked for.
    let (_, explicit) = scan_format("formats/amazon_template.tsv", &["--header-row", "3"]);
    assert_eq!(explicit, found);
    let (r, labels) = scan_format("formats/amazon_template.tsv", &["--header-row", "2"]);
    assert!(r.stderr.contains("id column `SKU`"), "{}", r.stderr);
    // Row 3 (the attribute names) is now data: 6 rows.
    assert_eq!(counts(&r.stderr), (6, 6, 0));
    assert_eq!(labels.len(), 4);
}

#[test]
fn gzip_works_for_every_text_format() {
    let (_, plain) = scan_format("formats/amazon_template.tsv", &[]);
    let (r, gz) = scan_format("formats/amazon_template.tsv.gz", &[]);
    assert_eq!(gz, plain, "{}", r.stderr);
    let (_, plain) = scan_format("formats/listings.jsonl", &[]);
    let (r, gz) = scan_format("formats/listings.jsonl.gz", &[]);
    assert_eq!(gz, plain, "{}", r.stderr);
    assert!(r.stderr.contains("(jsonl)"), "{}", r.stderr);
}

#[test]
fn jsonl_fields_by_key() {
    let (r, found) = scan_format("formats/listings.jsonl", &[]);
    assert_eq!(found, expected(f_ids, "title"));
    // `tags` (an array) is a text column; `price` (a number) is not.
    assert!(
        r.stderr
            .contains("listings.jsonl (jsonl): id column `sku`; scanning title, description, tags"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (5, 5, 0));
}

#[test]
fn jsonl_on_stdin_is_recognised_by_its_content() {
    let text = std::fs::read(data("formats/listings.jsonl")).unwrap();
    let out = brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .args(["-f", "listings", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<String> = csv_rows(&stdout)
        .into_iter()
        .map(|r| r["listing_id"].clone())
        .collect();
    assert_eq!(
        ids,
        ["F1", "F2", "F4", "F5"],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn gb18030_is_decoded_with_encoding() {
    let (r, found) = scan_format("formats/listings_gb18030.csv", &["--encoding", "gb18030"]);
    assert_eq!(found, expected(f_ids, "title"));
    assert!(r.stderr.contains("(decoded from gb18030)"), "{}", r.stderr);
    // GBK is the same text for these characters.
    let (_, gbk) = scan_format("formats/listings_gb18030.csv", &["--encoding", "gbk"]);
    assert_eq!(gbk, found);
}

#[test]
fn gb18030_without_encoding_rejects_rows_and_says_why() {
    let (r, found) = scan_format("formats/listings_gb18030.csv", &[]);
    assert!(
        r.stderr.contains("listings_gb18030.csv:3: row 2 rejected: invalid UTF-8 in column `title` at byte 0 (it reads as gb18030: try --encoding gb18030)"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (5, 4, 1));
    assert!(found.iter().all(|f| f.0 != "F2"));
}

#[test]
fn utf16_with_bom_is_detected() {
    let (r, found) = scan_format("formats/listings_utf16.txt", &[]);
    assert_eq!(found, expected(f_ids, "title"));
    assert!(
        r.stderr
            .contains("listings_utf16.txt (tab-separated, decoded from UTF-16LE)"),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_encoding_is_a_usage_error() {
    let r = run(brandscan()
        .args(["scan", "--encoding", "klingon"])
        .arg(data("formats/listings_gb18030.csv")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown encoding `klingon`"),
        "{}",
        r.stderr
    );
}

#[test]
fn tsv_extension_means_tab_even_when_commas_dominate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.tsv");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"sku\ttitle, name, label\n1\tRolex, steel, strap\n")
        .unwrap();
    drop(f);
    let out = brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&path)
        .output()
        .unwrap();
    let rows = csv_rows(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["field"], "title, name, label");
}
