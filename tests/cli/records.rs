//! `scan`, `fix` and `audit` read a catalog's records the same way: the same rows
//! rejected for the same reason, the same fields read. These pin a drift in which `fix`
//! edited a row `scan` rejected (a NUL byte) and skipped the id column `scan` flagged.

use crate::util::*;
use std::path::Path;

/// A catalog whose `sku` is the id column, one row with a NUL byte in its title.
const CATALOG: &str =
    "sku,title,price\nROLEX1,Rolex strap,10\nA2,\"Rolex\0 box\",12\nA3,Plain strap,8\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

struct Runs {
    scan: Run,
    fix: Run,
    audit: Run,
    fixed: Vec<u8>,
    left: Vec<std::collections::HashMap<String, String>>,
}

fn run_all(extra: &[&str]) -> Runs {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = write(dir.path(), "c.csv", CATALOG.as_bytes());
    let list = write(dir.path(), "l.txt", b"Rolex\n");
    let mut scan = brandscan();
    scan.arg("--no-config")
        .args(["scan", "--fail-on", "never", "-w"])
        .arg(&list)
        .args(extra)
        .arg(&catalog);
    let mut fix = brandscan();
    fix.arg("--no-config")
        .args(["fix", "-w"])
        .arg(&list)
        .args(extra);
    fix.arg(&catalog)
        .arg("-o")
        .arg(dir.path().join("out.csv"))
        .arg("--left")
        .arg(dir.path().join("left.csv"));
    let mut audit = brandscan();
    audit
        .arg("--no-config")
        .args(["audit", "--brand", "Rolex", "-f", "csv", "-w"])
        .arg(&list)
        .args(extra)
        .arg(&catalog);
    let (scan, fix, audit) = (run(&mut scan), run(&mut fix), run(&mut audit));
    let left = std::fs::read_to_string(dir.path().join("left.csv")).expect("left written");
    Runs {
        scan,
        fix,
        audit,
        fixed: std::fs::read(dir.path().join("out.csv")).expect("catalog written"),
        left: csv_rows(&left),
    }
}

/// The `row N rejected: …` lines of a run's stderr.
fn rejected(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.contains(" rejected: "))
        .map(|l| l.trim_end_matches(" (copied unchanged)").to_string())
        .collect()
}

#[test]
fn a_nul_row_is_rejected_alike_and_fix_copies_it_through() {
    let r = run_all(&[]);
    let want = rejected(&r.scan.stderr);
    assert_eq!(want.len(), 1, "{}", r.scan.stderr);
    assert!(
        want[0].contains("row 2 rejected: NUL byte in column `title`"),
        "{}",
        want[0]
    );
    assert_eq!(rejected(&r.fix.stderr), want, "{}", r.fix.stderr);
    assert_eq!(rejected(&r.audit.stderr), want, "{}", r.audit.stderr);
    // Nothing is lost: the rejected row is copied byte for byte, and listed for a person.
    let fixed = String::from_utf8_lossy(&r.fixed);
    assert!(fixed.contains("A2,\"Rolex\0 box\",12\n"), "{fixed:?}");
    let bad: Vec<_> = r.left.iter().filter(|l| l["reason"] == "bad-row").collect();
    assert_eq!(bad.len(), 1, "{:?}", r.left);
    assert_eq!(bad[0]["row"], "2");
    assert!(bad[0]["detail"].starts_with("NUL byte in column `title`"));
    assert_eq!(
        r.fix.code, 1,
        "a row was left for a person: {}",
        r.fix.stderr
    );
}

#[test]
fn the_id_column_named_in_fields_is_read_by_all_and_not_edited_by_fix() {
    let r = run_all(&["--fields", "sku,title"]);
    let scanned = csv_rows(&r.scan.stdout);
    let in_sku: Vec<_> = scanned.iter().filter(|f| f["field"] == "sku").collect();
    assert_eq!(in_sku.len(), 1, "{}", r.scan.stdout);
    assert_eq!(in_sku[0]["matched"], "ROLEX");
    let audited = csv_rows(&r.audit.stdout);
    assert!(
        audited.iter().any(|a| a["field"] == "sku"),
        "{}",
        r.audit.stdout
    );
    assert!(
        r.fix.stderr.contains("fixing sku, title"),
        "{}",
        r.fix.stderr
    );
    let fixed = String::from_utf8_lossy(&r.fixed);
    // The title is fixed, the id is kept, and the id's finding goes to a person.
    assert!(fixed.contains("\nROLEX1,strap,10\n"), "{fixed:?}");
    let id: Vec<_> = r
        .left
        .iter()
        .filter(|l| l["reason"] == "id-column")
        .collect();
    assert_eq!(id.len(), 1, "{:?}", r.left);
    assert_eq!(
        (id[0]["listing_id"].as_str(), id[0]["field"].as_str()),
        ("ROLEX1", "sku")
    );
    assert_eq!(id[0]["edited"], "yes");
}

/// The columns a run says it reads, from its `…; scanning A, B` or `…; fixing A, B` line.
fn columns_said(stderr: &str, verb: &str) -> String {
    let key = format!("; {verb} ");
    let line = stderr
        .lines()
        .find(|l| l.contains(&key))
        .unwrap_or_else(|| panic!("no `{verb}` line in {stderr}"));
    line[line.find(&key).expect("found") + key.len()..].to_string()
}

#[test]
fn fix_says_it_fixes_the_columns_scan_scans() {
    for f in [
        "shopify_export.csv",
        "amazon_flat.tsv",
        "alibaba_export.csv",
    ] {
        let path = data(f);
        let scan = run(brandscan()
            .args(["--no-config", "scan", "--fail-on", "never", "-f", "summary"])
            .arg(&path));
        let dir = tempfile::tempdir().expect("tempdir");
        let fix = run(brandscan()
            .args(["--no-config", "fix"])
            .arg(&path)
            .arg("-o")
            .arg(dir.path().join(f)));
        assert_eq!(
            columns_said(&fix.stderr, "fixing"),
            columns_said(&scan.stderr, "scanning"),
            "{f}"
        );
    }
}

#[test]
fn fix_refuses_json_lines_by_the_format_the_reader_would_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No `.jsonl` name: the content decides, as it does for `scan`.
    let path = write(
        dir.path(),
        "export",
        b"{\"id\":\"J1\",\"title\":\"Rolex strap\"}\n",
    );
    let out = dir.path().join("out");
    let r = run(brandscan()
        .args(["--no-config", "fix"])
        .arg(&path)
        .arg("-o")
        .arg(&out));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("fix cannot write JSON Lines"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
    let scan = run(brandscan()
        .args(["--no-config", "scan", "--fail-on", "never"])
        .arg(&path));
    assert!(scan.stderr.contains("(jsonl)"), "{}", scan.stderr);
}
