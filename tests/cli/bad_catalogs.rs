//! Broken catalogs (`tests/data/bad/`): each says what is wrong and where, the run goes
//! on, rows read = scanned + rejected, and `--strict` fails the run with no report.

use crate::formats::counts;
use crate::util::*;
use std::io::Write;
use std::path::Path;

fn scan_file(path: &Path, extra: &[&str]) -> Run {
    run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .args(["-f", "listings"])
        .args(extra)
        .arg(path))
}

fn scan_bad(name: &str, extra: &[&str]) -> Run {
    scan_file(&data(&format!("bad/{name}")), extra)
}

fn flagged(r: &Run) -> Vec<String> {
    csv_rows(&r.stdout)
        .into_iter()
        .map(|row| row["listing_id"].clone())
        .collect()
}

/// `--strict` on the same input: exit 2, the reason on stderr, and no report file.
fn assert_strict_fails(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = scan_bad(name, &["--strict", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{name}: {}", r.stderr);
    assert!(r.stderr.contains("--strict:"), "{name}: {}", r.stderr);
    assert!(!out.exists(), "{name}: a report was written");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "{name}: a temporary file was left"
    );
}

#[test]
fn wrong_field_counts() {
    let r = scan_bad("wrong_field_count.csv", &[]);
    assert!(
        r.stderr
            .contains("bad/wrong_field_count.csv:3: row 2 rejected: expected 3 fields, found 2"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("bad/wrong_field_count.csv:4: row 3 rejected: expected 3 fields, found 5"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (4, 2, 2));
    // Rolex and iPhone are only in the rejected rows.
    assert_eq!(flagged(&r), ["1"]);
    assert_eq!(r.code, 1);
    assert_strict_fails("wrong_field_count.csv");
}

#[test]
fn unbalanced_quote_names_its_line_and_loses_no_row() {
    let r = scan_bad("unbalanced_quote.csv", &[]);
    assert!(
        r.stderr.contains("bad/unbalanced_quote.csv:4: row 3 rejected: a quoted field opens on line 4 and only closes on line 6"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("reading resumed on line 5"),
        "{}",
        r.stderr
    );
    // Lines 5, 6 and 7 are rows of their own again: 6 rows, one rejected.
    assert_eq!(counts(&r.stderr), (6, 5, 1));
    assert_eq!(flagged(&r), ["1", "5"]);
    assert_eq!(r.code, 1);
    assert_strict_fails("unbalanced_quote.csv");
}

#[test]
fn file_ending_inside_a_quote() {
    let r = scan_bad("ends_in_quote.csv", &[]);
    assert!(
        r.stderr.contains("bad/ends_in_quote.csv:3: row 2 rejected: a quoted field opens on line 3 and never closes: the file ends inside it"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (4, 3, 1));
    // `4,NIKE cap` on the last line is read, not swallowed.
    assert_eq!(flagged(&r), ["1", "4"]);
    assert_strict_fails("ends_in_quote.csv");
}

#[test]
fn a_runaway_quote_in_a_long_file_stops_at_the_field_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runaway.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "id,title").unwrap();
    writeln!(f, "1,\"Rolex strap").unwrap();
    for i in 2..=3000 {
        writeln!(f, "{i},plain mug {i}").unwrap();
    }
    writeln!(f, "3001,Nike shoe").unwrap();
    drop(f);
    let r = scan_file(&path, &["--max-field-bytes", "4K"]);
    assert!(
        r.stderr.contains(
            "runaway.csv:2: row 1 rejected: a quoted field opens on line 2 and runs on to line"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("past 4 KiB (--max-field-bytes)"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (3001, 3000, 1));
    assert_eq!(flagged(&r), ["3001"]);
}

#[test]
fn nul_bytes() {
    let r = scan_bad("nul_bytes.csv", &[]);
    assert!(
        r.stderr
            .contains("bad/nul_bytes.csv:3: row 2 rejected: NUL byte in column `title` at byte 5"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (3, 2, 1));
    assert_eq!(flagged(&r), ["1"]);
    assert_strict_fails("nul_bytes.csv");
}

#[test]
fn invalid_utf8_in_one_field() {
    let r = scan_bad("invalid_utf8.csv", &[]);
    assert!(
        r.stderr.contains("bad/invalid_utf8.csv:3: row 2 rejected: invalid UTF-8 in column `title` at byte 7 (try --encoding)"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (3, 2, 1));
    assert_eq!(flagged(&r), ["1", "3"]);
    assert_strict_fails("invalid_utf8.csv");
}

#[test]
fn a_50_mb_field_is_rejected_without_stopping_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(b"id,title,description\n1,Rolex strap,steel\n2,Plain mug,\"")
        .unwrap();
    let chunk = [b'x'; 1 << 16];
    for _ in 0..(50 << 20) / chunk.len() {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"\n3,Nike shoe,mesh\n").unwrap();
    drop(f);
    let r = scan_file(&path, &[]);
    assert!(
        r.stderr.contains("huge.csv:3: row 2 rejected: column `description` is longer than 8 MiB (--max-field-bytes)"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (3, 2, 1));
    assert_eq!(flagged(&r), ["1", "3"]);
    assert_eq!(r.code, 1);
}

#[test]
fn the_field_limit_is_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let long = "word ".repeat(400);
    std::fs::write(&path, format!("id,title\n1,{long}Rolex\n2,Nike\n")).unwrap();
    let r = scan_file(&path, &["--max-field-bytes", "1K"]);
    assert!(
        r.stderr
            .contains("long.csv:2: row 1 rejected: column `title` is longer than 1 KiB"),
        "{}",
        r.stderr
    );
    assert_eq!(flagged(&r), ["2"]);
    let r = scan_file(&path, &["--max-field-bytes", "4K"]);
    assert_eq!(counts(&r.stderr), (2, 2, 0));
    assert_eq!(flagged(&r), ["1", "2"]);
}

#[test]
fn empty_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = scan_bad("empty.csv", &["-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("bad/empty.csv: the file is empty (0 bytes): a header row is required"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn header_only_is_a_warning() {
    let r = scan_bad("header_only.csv", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bad/header_only.csv:1: warning: no data rows: the file has a header only"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (0, 0, 0));
    assert_eq!(r.stdout, "listing_id,row,action,brands,terms,findings\n");
    assert_strict_fails("header_only.csv");
}

#[test]
fn duplicate_column_names_are_all_scanned() {
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(data("bad/duplicate_columns.csv")));
    assert!(
        r.stderr.contains("bad/duplicate_columns.csv:1 (column `title`): warning: column `title` appears 2 times in the header (columns 2, 4)"),
        "{}",
        r.stderr
    );
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows[0]["listing_id"], "1");
    assert_eq!(rows[0]["field"], "title#2");
    assert_eq!(rows[0]["matched"], "Rolex");
    assert_eq!(counts(&r.stderr), (2, 2, 0));
    assert_strict_fails("duplicate_columns.csv");
}

#[test]
fn missing_id_column_uses_row_numbers_and_warns() {
    let r = scan_bad("no_id_column.csv", &[]);
    assert!(
        r.stderr.contains(
            "bad/no_id_column.csv:1: warning: no id column (looked for product_id, id, sku"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(flagged(&r), ["2"]);
    assert_eq!(counts(&r.stderr), (2, 2, 0));
    assert_strict_fails("no_id_column.csv");
}

#[test]
fn mixed_line_endings_keep_line_numbers() {
    let r = scan_bad("mixed_line_endings.csv", &[]);
    assert!(
        r.stderr
            .contains("bad/mixed_line_endings.csv:5: row 4 rejected: expected 2 fields, found 1"),
        "{}",
        r.stderr
    );
    assert_eq!(counts(&r.stderr), (5, 4, 1));
    assert_eq!(flagged(&r), ["1", "3", "5"]);
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows[2]["row"], "5");
    assert_strict_fails("mixed_line_endings.csv");
}

#[test]
fn a_truncated_gzip_fails_with_the_line_and_leaves_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    std::fs::write(&out, "yesterday's report\n").unwrap();
    let r = scan_bad("truncated.csv.gz", &["-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let msg = r.stderr.lines().last().unwrap();
    assert!(
        msg.contains("bad/truncated.csv.gz:") && msg.contains("cannot read past this line"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "yesterday's report\n"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn the_run_goes_on_across_files() {
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .args(["-f", "listings"])
        .arg(data("bad/wrong_field_count.csv"))
        .arg(data("bad/unbalanced_quote.csv"))
        .arg(data("bad/nul_bytes.csv")));
    assert_eq!(counts(&r.stderr), (4 + 6 + 3, 2 + 5 + 2, 2 + 1 + 1));
    let rejected = r
        .stderr
        .lines()
        .filter(|l| l.contains(" rejected: "))
        .count();
    assert_eq!(rejected, 4, "{}", r.stderr);
}

#[test]
fn an_xlsx_cell_past_the_last_column_is_a_damaged_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = scan_bad("beyond_last_column.xlsx", &["-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("bad/beyond_last_column.xlsx:2: cannot read past this line: sheet `Sheet` is damaged: row 3 has a cell in column 16385"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}
