//! `brandscan fix` on the real exports in `tests/data/`: before/after pairs, untouched
//! records byte-identical, idempotence, scan-after-fix, and each safety rule.

use crate::util::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

const FIXTURES: &[&str] = &[
    "shopify_export.csv",
    "amazon_flat.tsv",
    "alibaba_export.csv",
    "broken_rows.csv",
];

/// One run of `fix` into a temp dir, with `--changes` and `--left` files.
struct Fixed {
    _dir: tempfile::TempDir,
    run: Run,
    out: PathBuf,
    changes: Vec<HashMap<String, String>>,
    left: Vec<HashMap<String, String>>,
}

fn fix_with(input: &Path, rules: &[&str], extra: &[&str]) -> Fixed {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = input.file_name().expect("file name");
    let out = dir.path().join(name);
    let changes = dir.path().join("changes.csv");
    let left = dir.path().join("left.csv");
    let run = run(brandscan()
        .arg("fix")
        .args(rules)
        .arg(input)
        .arg("-o")
        .arg(&out)
        .arg("--changes")
        .arg(&changes)
        .arg("--left")
        .arg(&left)
        .args(extra));
    let read = |p: &Path| {
        std::fs::read_to_string(p)
            .map(|t| csv_rows(&t))
            .unwrap_or_default()
    };
    Fixed {
        changes: read(&changes),
        left: read(&left),
        _dir: dir,
        run,
        out,
    }
}

fn test_rules() -> Vec<String> {
    vec![
        "--no-builtin".into(),
        "-w".into(),
        data(TEST_RULES).display().to_string(),
    ]
}

fn fix(fixture: &str) -> Fixed {
    let rules = test_rules();
    let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
    fix_with(&data(fixture), &rules, &[])
}

/// Every record of a CSV file: its raw bytes (with what precedes it) and its fields.
fn records(bytes: &[u8], delimiter: u8) -> Vec<(Vec<u8>, Vec<String>)> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body);
    let mut rec = csv::ByteRecord::new();
    let mut out = Vec::new();
    let mut start = 0;
    while r.read_byte_record(&mut rec).expect("csv") {
        let end = r.position().byte() as usize;
        let fields = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        out.push((body[start..end].to_vec(), fields));
        start = end;
    }
    out
}

fn delimiter_of(fixture: &str) -> u8 {
    if fixture.ends_with(".tsv") {
        b'\t'
    } else {
        b','
    }
}

/// The (before, after) pair logged for `id`'s `field`.
fn change<'a>(f: &'a Fixed, id: &str, field: &str) -> Option<(&'a str, &'a str)> {
    f.changes
        .iter()
        .find(|c| c["listing_id"] == id && c["field"] == field)
        .map(|c| (c["before"].as_str(), c["after"].as_str()))
}

#[test]
fn untouched_records_are_byte_identical_and_every_edit_is_logged() {
    for fixture in FIXTURES {
        let f = fix(fixture);
        assert!(
            f.run.code == 0 || f.run.code == 1,
            "{fixture}: {}",
            f.run.stderr
        );
        let before = std::fs::read(data(fixture)).expect("input");
        let after = std::fs::read(&f.out).expect("output");
        assert_eq!(
            before.starts_with(b"\xEF\xBB\xBF"),
            after.starts_with(b"\xEF\xBB\xBF"),
            "{fixture}: BOM"
        );
        let (b, a) = (
            records(&before, delimiter_of(fixture)),
            records(&after, delimiter_of(fixture)),
        );
        assert_eq!(b.len(), a.len(), "{fixture}: record count");
        assert_eq!(b[0].0, a[0].0, "{fixture}: header");
        let mut edited = 0;
        for (i, ((braw, bf), (araw, af))) in b.iter().zip(&a).enumerate() {
            if bf == af {
                assert_eq!(braw, araw, "{fixture} record {i}: same values, other bytes");
                continue;
            }
            edited += 1;
            assert_eq!(bf.len(), af.len(), "{fixture} record {i}");
            for (col, (x, y)) in bf.iter().zip(af).enumerate() {
                if x != y {
                    let field = &b[0].1[col];
                    assert!(
                        f.changes
                            .iter()
                            .any(|c| &c["field"] == field && &c["before"] == x && &c["after"] == y),
                        "{fixture} record {i}: `{field}` {x:?} → {y:?} not in the changes log"
                    );
                }
            }
            // A line ending is a line ending: an edited record ends as before.
            let ending = |r: &[u8]| {
                r.iter()
                    .rev()
                    .take_while(|&&c| c == b'\n' || c == b'\r')
                    .count()
            };
            assert_eq!(ending(braw), ending(araw), "{fixture} record {i}");
        }
        assert!(edited > 0, "{fixture}: nothing was edited");
        assert!(f.changes.len() >= edited, "{fixture}");
    }
}

#[test]
fn shopify_before_after_pairs() {
    let f = fix("shopify_export.csv");
    assert_eq!(f.run.code, 1, "{}", f.run.stderr);
    let id = "steel-bracelet-for-rolex-sub";
    assert_eq!(
        change(&f, id, "Title"),
        Some((
            "Solid Steel Bracelet for Rolex Submariner",
            "Solid Steel Bracelet for Submariner"
        ))
    );
    assert_eq!(
        change(&f, id, "Tags"),
        Some(("Rolex, bracelet, steel", "bracelet, steel"))
    );
    // The regex finding `Rolex Sub`, and the dangling `for` before the size.
    assert_eq!(
        change(&f, id, "SEO Title"),
        Some(("Steel Bracelet for Rolex Sub 40mm", "Steel Bracelet 40mm"))
    );
    // A multi-line HTML body: only the words around the cut change.
    assert_eq!(
        change(&f, id, "Body (HTML)"),
        Some((
            "<p>Solid links &amp; screw pins.</p>\n<p>Compatible with Rolex Submariner 40mm cases.</p>",
            "<p>Solid links &amp; screw pins.</p>\n<p>Compatible with Submariner 40mm cases.</p>"
        ))
    );
    assert_eq!(
        change(&f, "stainless-mesh-band-41mm", "Body (HTML)").map(|c| c.1.lines().next()),
        Some(Some(
            "<p>Fits <strong>Watch</strong> 41mm (Series 7&ndash;9).</p>"
        ))
    );
    // Image Src holds `rolex` in a file name: never cut, reported for a person.
    assert!(change(&f, id, "Image Src").is_none());
    let url: BTreeSet<(&str, &str)> = f
        .left
        .iter()
        .filter(|l| l["reason"] == "url")
        .map(|l| (l["row"].as_str(), l["edited"].as_str()))
        .collect();
    assert_eq!(url, BTreeSet::from([("6", "yes"), ("7", "no")]));
    // The title-case titles of `stainless-mesh-band-41mm` hold the sensitive `Apple` at
    // `review` (docs/matching.md#case): two fields fewer to cut.
    assert!(
        f.run
            .stderr
            .contains("8 fields changed in 3 rows; 3 rows left for a person (1 counterfeit listing, 2 term in a URL or file name); 1 row with `review` findings"),
        "{}",
        f.run.stderr
    );
    // `inspired by Louis Vuitton` is counterfeit wording: not tidied, left for a person.
    assert!(change(&f, "vegan-leather-tote", "Body (HTML)").is_none());
    assert!(f
        .left
        .iter()
        .any(|l| l["listing_id"] == "vegan-leather-tote" && l["reason"] == "counterfeit"));
    // HTML entities are decoded for matching, and the cut keeps the markup around them.
    assert_eq!(
        change(&f, "champagne-ice-bucket", "Body (HTML)").map(|c| c.1),
        Some("<p>Holds two bottles of Chandon or any 75cl sparkling wine.</p>")
    );
}

#[test]
fn amazon_tsv_stays_tab_separated_and_unquoted() {
    let f = fix("amazon_flat.tsv");
    // The Hermès-style scarf has counterfeit wording: left for a person, exit 1.
    assert_eq!(f.run.code, 1, "{}", f.run.stderr);
    assert_eq!(
        f.left
            .iter()
            .map(|l| (l["listing_id"].as_str(), l["reason"].as_str()))
            .collect::<Vec<_>>(),
        [("AMZ-SCARF-012", "counterfeit")]
    );
    assert_eq!(
        change(&f, "AMZ-BRACELET-005", "generic_keywords"),
        Some((
            "watch band strap 20mm steel bracelet rolex",
            "watch band strap 20mm steel bracelet"
        ))
    );
    assert_eq!(
        change(&f, "AMZ-TAPE-008", "item_name"),
        Some((
            "Heavy Duty Double Sided Tape with 3M Adhesive, 5m Roll",
            "Heavy Duty Double Sided Tape with Adhesive, 5m Roll"
        ))
    );
    let out = std::fs::read_to_string(&f.out).expect("output");
    assert!(!out.contains('"'), "TSV gained quotes");
    assert!(out.contains(
        "AMZ-TAPE-008\tHeavy Duty Double Sided Tape with Adhesive, 5m Roll\tStickwell\t"
    ));
    // `brand_name` is not a scanned column: `Nike` stays there.
    assert!(out.contains("AMZ-SHORTS-003\tMen's Lightweight Running Shorts\tNike\t"));
}

#[test]
fn alibaba_keeps_its_bom_and_cjk_cuts_need_no_spaces() {
    let f = fix("alibaba_export.csv");
    assert_eq!(f.run.code, 1, "{}", f.run.stderr);
    let out = std::fs::read(&f.out).expect("output");
    assert!(out.starts_with(b"\xEF\xBB\xBFproduct_id,"));
    assert_eq!(
        change(&f, "1600123001", "title_cn"),
        Some(("耐克运动鞋 男 透气网面", "运动鞋 男 透气网面"))
    );
    assert_eq!(
        change(&f, "1600123010", "title_cn"),
        Some(("ＮＩＫＥ运动袜 纯棉", "运动袜 纯棉"))
    );
    assert_eq!(
        change(&f, "1600123003", "keywords"),
        Some((
            "watch band, 表带, 20mm, r0lex daytona",
            "watch band, 表带, 20mm"
        ))
    );
    let left: Vec<(&str, &str, &str)> = f
        .left
        .iter()
        .map(|l| {
            (
                l["listing_id"].as_str(),
                l["reason"].as_str(),
                l["field"].as_str(),
            )
        })
        .collect();
    // `apple` in the keywords of a fruit listing is a lowercase tag: `review`, so a
    // person looks and nothing is cut (docs/matching.md#case).
    assert_eq!(
        left,
        [
            ("1600123003", "url", "main_image"),
            ("1600123005", "review", "")
        ]
    );
}

#[test]
fn bad_rows_are_copied_through_and_reported() {
    let f = fix("broken_rows.csv");
    assert_eq!(f.run.code, 1, "bad rows need a person: {}", f.run.stderr);
    let input = std::fs::read(data("broken_rows.csv")).expect("input");
    let out = std::fs::read(&f.out).expect("output");
    let lines =
        |b: &[u8]| -> Vec<Vec<u8>> { b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect() };
    let (li, lo) = (lines(&input), lines(&out));
    assert_eq!(li.len(), lo.len());
    // Physical lines 4, 5, 7 and 12 are the bad rows (invalid UTF-8 included).
    for line in [4, 5, 7, 12] {
        assert_eq!(li[line - 1], lo[line - 1], "line {line}");
        assert!(
            f.run
                .stderr
                .contains(&format!("broken_rows.csv:{line}: row")),
            "line {line}: {}",
            f.run.stderr
        );
    }
    let bad: Vec<&str> = f
        .left
        .iter()
        .filter(|l| l["reason"] == "bad-row")
        .map(|l| l["line"].as_str())
        .collect();
    assert_eq!(bad, ["4", "5", "7", "12"]);
    // A stray quote in an unquoted field stays as it was.
    assert_eq!(
        String::from_utf8_lossy(&lo[7]),
        "7,running shoe with 10\" laces,Breathable knit upper"
    );
    assert!(
        f.run.stderr.contains("read 12 rows (8 checked, 4 rejected"),
        "{}",
        f.run.stderr
    );
}

#[test]
fn fix_on_its_own_output_changes_nothing() {
    for fixture in FIXTURES {
        for builtin in [false, true] {
            let rules: Vec<String> = if builtin { vec![] } else { test_rules() };
            let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
            let first = fix_with(&data(fixture), &rules, &[]);
            let second = fix_with(&first.out, &rules, &[]);
            assert_eq!(
                std::fs::read(&first.out).expect("first"),
                std::fs::read(&second.out).expect("second"),
                "{fixture} (builtin: {builtin})"
            );
            assert!(second.changes.is_empty(), "{fixture}: {:?}", second.changes);
            assert_eq!(first.run.code, second.run.code, "{fixture}");
        }
    }
}

#[test]
fn scan_after_fix_finds_remove_only_in_listings_left_for_a_person() {
    for fixture in FIXTURES {
        for builtin in [false, true] {
            let rules: Vec<String> = if builtin { vec![] } else { test_rules() };
            let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
            let f = fix_with(&data(fixture), &rules, &[]);
            let left: BTreeSet<String> = f
                .left
                .iter()
                .filter(|l| l["reason"] != "review")
                .map(|l| l["row"].clone())
                .collect();
            let scan = run(brandscan().arg("scan").args(&rules).arg(&f.out));
            let remove: Vec<(String, String, String)> = csv_rows(&scan.stdout)
                .into_iter()
                .filter(|r| r["action"] == "remove")
                .map(|r| (r["row"].clone(), r["field"].clone(), r["matched"].clone()))
                .collect();
            for (row, field, matched) in &remove {
                assert!(
                    left.contains(row),
                    "{fixture} (builtin: {builtin}): row {row} `{field}` still has `{matched}` but was not left for a person"
                );
            }
        }
    }
}

/// A small catalog of the safety cases, in a temp dir.
fn safety_catalog() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("safety.csv");
    // No "style" after Coach or Jordan: that is a counterfeit signal, which makes a
    // finding `remove`.
    std::fs::write(
        &path,
        "sku,title,description,brand_name,price\n\
         ROLEX-1,Strap for Rolex 20mm,Steel,Rolex,10\n\
         C-2,Coach leather bag for Rolex fans,Rolex box,Coach,20\n\
         E-3,Rolex®,Steel strap,Rolex,30\n\
         J-4,Jordan logo cap,Rolex logo cap,,40\n\
         N-5,Nike shoe,Rolex watch box,Nike,50\n\
         P-6,Plain strap,Steel,,60\n",
    )
    .expect("write");
    (dir, path)
}

fn rules_args(rules: &[String]) -> Vec<&str> {
    rules.iter().map(String::as_str).collect()
}

#[test]
fn safety_rules() {
    let (_dir, path) = safety_catalog();
    let rules = test_rules();
    let f = fix_with(&path, &rules_args(&rules), &[]);
    assert_eq!(f.run.code, 1, "{}", f.run.stderr);
    let out = std::fs::read_to_string(&f.out).expect("output");
    let lines: Vec<&str> = out.lines().collect();
    // The id column and non-text columns are never edited.
    assert_eq!(lines[1], "ROLEX-1,Strap 20mm,Steel,Rolex,10");
    // A hide finding (case-sensitive Coach): the listing is not edited.
    assert_eq!(
        lines[2],
        "C-2,Coach leather bag for Rolex fans,Rolex box,Coach,20"
    );
    // A title that would be empty: not edited.
    assert_eq!(lines[3], "E-3,Rolex®,Steel strap,Rolex,30");
    // Review findings (Jordan) are not edited; remove findings beside them are.
    assert_eq!(lines[4], "J-4,Jordan logo cap,logo cap,,40");
    assert_eq!(lines[6], "P-6,Plain strap,Steel,,60");
    let reasons: Vec<(&str, &str, &str)> = f
        .left
        .iter()
        .map(|l| {
            (
                l["listing_id"].as_str(),
                l["reason"].as_str(),
                l["edited"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("C-2", "hide", "no"),
            ("E-3", "empty-title", "no"),
            ("J-4", "review", "yes")
        ]
    );
    assert!(
        f.run
            .stderr
            .contains("2 rows left for a person (1 hide finding, 1 title would be empty)"),
        "{}",
        f.run.stderr
    );
    // Without --left, they are listed on stderr with file and line.
    let r = run(brandscan()
        .arg("fix")
        .args(rules_args(&rules))
        .arg(&path)
        .arg("--dry-run"));
    assert!(
        r.stderr
            .contains("safety.csv:3: listing C-2 (row 2) left for a person, not edited: hide"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("safety.csv:4: listing E-3 (row 3) left for a person, not edited: empty-title in `title`"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("J-4"),
        "review alone is not listed: {}",
        r.stderr
    );
    // The id column stays as it is even when --fields names it.
    let g = fix_with(&path, &rules_args(&rules), &["--fields", "sku,title"]);
    let out = std::fs::read_to_string(&g.out).expect("output");
    assert!(
        out.contains("\nROLEX-1,Strap 20mm,Steel,Rolex,10\n"),
        "{out}"
    );
    assert!(
        g.changes.iter().all(|c| c["field"] != "sku"),
        "{:?}",
        g.changes
    );
}

#[test]
fn brand_restricts_the_fix_to_one_complainant() {
    let (_dir, path) = safety_catalog();
    let rules = test_rules();
    let f = fix_with(&path, &rules_args(&rules), &["--brand", "NIKE"]);
    assert_eq!(f.run.code, 0, "{}", f.run.stderr);
    let pairs: Vec<(&str, &str, &str)> = f
        .changes
        .iter()
        .map(|c| {
            (
                c["listing_id"].as_str(),
                c["field"].as_str(),
                c["after"].as_str(),
            )
        })
        .collect();
    assert_eq!(pairs, [("N-5", "title", "shoe")]);
    let out = std::fs::read_to_string(&f.out).expect("output");
    assert!(out.contains("N-5,shoe,Rolex watch box,Nike,50"), "{out}");
    // Coach's hide finding is another brand's business.
    assert!(f.left.is_empty(), "{:?}", f.left);
    // A brand with no rule is a usage error, before anything is written.
    let g = fix_with(&path, &rules_args(&rules), &["--brand", "Nikey"]);
    assert_eq!(g.run.code, 2);
    assert!(
        g.run.stderr.contains("no rule of brand `Nikey`"),
        "{}",
        g.run.stderr
    );
    assert!(!g.out.exists());
}

#[test]
fn dry_run_prints_the_changes_and_writes_no_catalog() {
    let (dir, path) = safety_catalog();
    let out = dir.path().join("cleaned.csv");
    let r = run(brandscan()
        .arg("fix")
        .args(rules_args(&test_rules()))
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .arg("--dry-run"));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!out.exists(), "dry run wrote the catalog");
    let rows = csv_rows(&r.stdout);
    let ids: Vec<&str> = rows.iter().map(|c| c["listing_id"].as_str()).collect();
    assert_eq!(ids, ["ROLEX-1", "J-4", "N-5", "N-5"]);
    assert_eq!(rows[0]["before"], "Strap for Rolex 20mm");
    assert_eq!(rows[0]["after"], "Strap 20mm");
    assert!(
        r.stderr.contains("Dry run: no catalog written"),
        "{}",
        r.stderr
    );
}

#[test]
fn output_must_not_be_the_input() {
    let (_dir, path) = safety_catalog();
    let before = std::fs::read(&path).expect("input");
    let r = run(brandscan()
        .arg("fix")
        .args(rules_args(&test_rules()))
        .arg(&path)
        .arg("-o")
        .arg(&path));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is also an input"), "{}", r.stderr);
    assert_eq!(std::fs::read(&path).expect("input"), before);
    // Nor may two outputs share a file.
    let r = run(brandscan()
        .arg("fix")
        .args(rules_args(&test_rules()))
        .arg(&path)
        .args(["-o", "x.csv", "--changes", "x.csv"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("two outputs"), "{}", r.stderr);
    // And -o is required without --dry-run.
    let r = run(brandscan().arg("fix").arg(&path));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--output"), "{}", r.stderr);
}

#[test]
fn gzip_in_gzip_out() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = dir.path().join("amazon_flat.tsv.gz");
    let plain = std::fs::read(data("amazon_flat.tsv")).expect("input");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&plain).expect("gzip");
    std::fs::write(&gz, enc.finish().expect("gzip")).expect("write");
    let rules = test_rules();
    let zipped = fix_with(&gz, &rules_args(&rules), &[]);
    let unzipped = fix("amazon_flat.tsv");
    assert_eq!(zipped.run.code, 1, "{}", zipped.run.stderr);
    let bytes = std::fs::read(&zipped.out).expect("output");
    assert_eq!(&bytes[..2], b"\x1f\x8b", "not gzip");
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut text)
        .expect("gunzip");
    assert_eq!(text, std::fs::read(&unzipped.out).expect("plain output"));
    assert!(
        zipped.run.stderr.contains("(gzip)"),
        "{}",
        zipped.run.stderr
    );
}

#[test]
fn crlf_semicolons_and_quoting_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crlf.csv");
    let input = "\"id\";\"title\";\"note\"\r\n\
                 \"1\";\"Strap; for Rolex\";\"x\"\r\n\
                 2;Rolex strap;\"keep \"\"this\"\"\"\r\n\
                 \r\n\
                 3;Plain;y\r\n";
    std::fs::write(&path, input).expect("write");
    let f = fix_with(&path, &rules_args(&test_rules()), &["--fields", "title"]);
    assert_eq!(f.run.code, 0, "{}", f.run.stderr);
    assert_eq!(
        std::fs::read_to_string(&f.out).expect("output"),
        "\"id\";\"title\";\"note\"\r\n\
         \"1\";\"Strap\";\"x\"\r\n\
         2;strap;\"keep \"\"this\"\"\"\r\n\
         \r\n\
         3;Plain;y\r\n"
    );
}

#[test]
fn excel_workbooks_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("catalog.xlsx");
    std::fs::write(&path, b"PK\x03\x04 not really a workbook").expect("write");
    let out = dir.path().join("out.xlsx");
    let r = run(brandscan()
        .arg("fix")
        .args(rules_args(&test_rules()))
        .arg(&path)
        .arg("-o")
        .arg(&out));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("catalog.xlsx") && r.stderr.contains("Excel"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn threads_and_batches_do_not_change_the_output() {
    let rules = test_rules();
    let one = fix_with(
        &data("shopify_export.csv"),
        &rules_args(&rules),
        &["-j1", "--batch-rows", "1"],
    );
    let many = fix_with(
        &data("shopify_export.csv"),
        &rules_args(&rules),
        &["-j4", "--batch-rows", "3"],
    );
    assert_eq!(
        std::fs::read(&one.out).expect("one"),
        std::fs::read(&many.out).expect("many")
    );
    assert_eq!(one.changes, many.changes);
    assert_eq!(one.left, many.left);
}

#[test]
fn counterfeit_listings_and_cuts_leaving_no_product_words_are_left_for_a_person() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("replicas.csv");
    std::fs::write(
        &path,
        "sku,title,description\n\
         R-1,AAA Replica Rolex Submariner Automatic Watch 1:1 Green Dial,Steel\n\
         R-2,Rolex style watch,Steel\n\
         C-3,Phone case,<p>Compatible with Rolex 15/14/13</p>\n\
         S-4,Strap for Rolex 20mm,Steel band\n",
    )
    .expect("write");
    let rules = test_rules();
    let f = fix_with(&path, &rules_args(&rules), &[]);
    assert_eq!(f.run.code, 1, "{}", f.run.stderr);
    let out = std::fs::read_to_string(&f.out).expect("output");
    let lines: Vec<&str> = out.lines().collect();
    // Counterfeit context: never tidied into a cleaner-looking replica listing.
    assert_eq!(
        lines[1],
        "R-1,AAA Replica Rolex Submariner Automatic Watch 1:1 Green Dial,Steel"
    );
    assert_eq!(lines[2], "R-2,Rolex style watch,Steel");
    // Only numbers would be left in the description: not edited.
    assert_eq!(
        lines[3],
        "C-3,Phone case,<p>Compatible with Rolex 15/14/13</p>"
    );
    // An ordinary compatible-use listing is still fixed.
    assert_eq!(lines[4], "S-4,Strap 20mm,Steel band");
    let reasons: Vec<(&str, &str, &str)> = f
        .left
        .iter()
        .map(|l| {
            (
                l["listing_id"].as_str(),
                l["reason"].as_str(),
                l["edited"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("R-1", "counterfeit", "no"),
            ("R-2", "counterfeit", "no"),
            ("C-3", "no-product-words", "no"),
        ]
    );
    assert!(
        f.run.stderr.contains("2 counterfeit listings"),
        "{}",
        f.run.stderr
    );
    assert!(
        f.changes.iter().all(|c| c["listing_id"] == "S-4"),
        "{:?}",
        f.changes
    );
}
