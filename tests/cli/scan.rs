//! `brandscan scan`: formats, options, exit codes, output safety.

use crate::util::*;
use std::io::Write;

fn scan_with(list: &str, catalog: &str, extra: &[&str]) -> Run {
    let (_d, wl) = wordlist("l.csv", list);
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, catalog).unwrap();
    run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .args(extra)
        .arg(&cat))
}

const LIST: &str = "term,brand,action,severity\nRolex,Rolex,remove,serious\nCoach,Coach,hide,general\nJordan,Jordan,review,minor\n";
const CAT: &str = "sku,title,description\nA1,Strap for Rolex,steel\nA2,Coach bag,leather\nA3,Jordan Lake poster,print\nA4,Plain mug,white\n";

#[test]
fn csv_columns_in_spec_order() {
    let r = scan_with(LIST, CAT, &[]);
    let header = r.stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "listing_id,row,field,start,end,matched,term,brand,severity,action,match_kind,context"
    );
    assert_eq!(
        r.stdout.lines().nth(1).unwrap(),
        "A1,1,title,10,15,Rolex,Rolex,Rolex,serious,remove,exact,compatible"
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(scan_with(LIST, CAT, &[]).code, 1);
    assert_eq!(scan_with(LIST, CAT, &["--fail-on", "never"]).code, 0);
    let only_review = "sku,title\nA3,Jordan Lake poster\n";
    assert_eq!(scan_with(LIST, only_review, &[]).code, 0);
    assert_eq!(scan_with(LIST, only_review, &["--fail-on", "hide"]).code, 0);
    assert_eq!(
        scan_with(LIST, only_review, &["--fail-on", "review"]).code,
        1
    );
    assert_eq!(scan_with(LIST, "sku,title\nA4,Plain mug\n", &[]).code, 0);
}

#[test]
fn listings_format() {
    let r = scan_with(LIST, CAT, &["-f", "listings"]);
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["listing_id"], "A1");
    assert_eq!(rows[1]["action"], "hide");
    assert_eq!(rows[2]["action"], "review");
    assert_eq!(rows[2]["brands"], "Jordan");
    assert_eq!(rows[0]["findings"], "1");
}

#[test]
fn jsonl_format_has_the_same_fields() {
    let r = scan_with(LIST, CAT, &["-f", "jsonl"]);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let obj = lines[0].as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
    for col in [
        "listing_id",
        "row",
        "field",
        "start",
        "end",
        "matched",
        "term",
        "brand",
        "severity",
        "action",
        "match_kind",
        "context",
    ] {
        assert!(keys.contains(&col), "{col} missing in {keys:?}");
    }
    assert_eq!(lines[0]["matched"], "Rolex");
    assert_eq!(lines[0]["row"], 1);
}

#[test]
fn summary_format() {
    let r = scan_with(LIST, CAT, &["-f", "summary"]);
    assert!(
        r.stdout.contains("rows read: 4  scanned: 4  rejected: 0"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("listings flagged: 3  (remove 1, hide 1, review 1)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("fingerprint sha256:"), "{}", r.stdout);
    assert!(r.stdout.contains("Rolex: 1 listing,"), "{}", r.stdout);
}

#[test]
fn stderr_paragraph_and_quiet() {
    let r = scan_with(LIST, CAT, &[]);
    assert!(
        r.stderr.contains("read 4 rows (4 scanned, 0 rejected)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("3 listings flagged: 1 remove, 1 hide, 1 review"),
        "{}",
        r.stderr
    );
    let r = scan_with(LIST, CAT, &["--quiet"]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn no_id_column_uses_row_numbers() {
    let r = scan_with(LIST, "title\nplain\nRolex strap\n", &[]);
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows[0]["listing_id"], "2");
    assert_eq!(rows[0]["row"], "2");
}

#[test]
fn id_column_and_fields_options() {
    let cat = "code,headline,notes\nX9,Rolex box,Coach\n";
    let r = scan_with(LIST, cat, &["--id-column", "code", "--fields", "headline"]);
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["listing_id"], "X9");
    assert_eq!(rows[0]["field"], "headline");
    let r = scan_with(LIST, cat, &["--fields", "nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`nope` is not in the header"),
        "{}",
        r.stderr
    );
}

#[test]
fn delimiters_detected() {
    for d in [";", "\t", "|"] {
        let cat = format!("sku{d}title\nA1{d}Rolex strap\n");
        let r = scan_with(LIST, &cat, &[]);
        assert_eq!(
            csv_rows(&r.stdout).len(),
            1,
            "delimiter {d:?}: {}",
            r.stderr
        );
    }
}

#[test]
fn several_files_add_a_file_column() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    std::fs::write(&a, "sku,title\nA1,Rolex\n").unwrap();
    std::fs::write(&b, "sku,title\nB1,Coach\n").unwrap();
    let r = run(brandscan().args(["scan", "-w"]).arg(&wl).arg(&a).arg(&b));
    let rows = csv_rows(&r.stdout);
    assert!(r.stdout.starts_with("file,listing_id,"));
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["file"].ends_with("a.csv"));
    assert!(rows[1]["file"].ends_with("b.csv"));
    assert_eq!(rows[1]["row"], "1");
}

#[test]
fn gzip_and_stdin() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("cat.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(CAT.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let r = run(brandscan().args(["scan", "-w"]).arg(&wl).arg(&gz));
    assert_eq!(csv_rows(&r.stdout).len(), 3, "{}", r.stderr);
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .arg("-")
        .write_stdin(CAT));
    assert_eq!(csv_rows(&r.stdout).len(), 3, "{}", r.stderr);
}

#[test]
fn output_file_is_written_atomically() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, CAT).unwrap();
    let out = dir.path().join("out.csv");
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .arg("-o")
        .arg(&out)
        .arg(&cat));
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert_eq!(csv_rows(&std::fs::read_to_string(&out).unwrap()).len(), 3);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "only the catalog and the report: {names:?}");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let r = run(brandscan()
        .args(["scan", "-o"])
        .arg(&out)
        .arg(dir.path().join("missing.csv")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.csv"), "{}", r.stderr);
    assert!(!out.exists());
    let r = run(brandscan().args(["scan", "--format", "xml", "x.csv"]));
    assert_eq!(r.code, 2);
    let (_d, bad) = wordlist("bad.csv", "term,action\nNike,delete\n");
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .arg(data("broken_rows.csv")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.csv:2") && r.stderr.contains("action"),
        "{}",
        r.stderr
    );
    assert!(!out.exists());
}

#[test]
fn output_must_not_be_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, CAT).unwrap();
    let (_d, wl) = wordlist("l.csv", LIST);
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .arg("-o")
        .arg(&cat)
        .arg(&cat));
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&cat).unwrap(), CAT);
}

#[test]
fn builtin_selection_flags() {
    let (_d, wl) = wordlist("l.txt", "Plainmug\n");
    let cat = "sku,title\nA1,Plainmug for Rolex\n";
    // -w alone replaces the built-in lists.
    let r = scan_with("term\nPlainmug\n", cat, &[]);
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows.len(), 1);
    // --builtin adds them back.
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.csv");
    std::fs::write(&c, cat).unwrap();
    let r = run(brandscan()
        .args(["scan", "--builtin", "-w"])
        .arg(&wl)
        .arg(&c));
    let terms: Vec<String> = csv_rows(&r.stdout)
        .into_iter()
        .map(|r| r["term"].clone())
        .collect();
    assert_eq!(terms, ["Plainmug", "Rolex"]);
    // No -w: the built-in lists.
    let r = run(brandscan().arg("scan").arg(&c));
    let terms: Vec<String> = csv_rows(&r.stdout)
        .into_iter()
        .map(|r| r["term"].clone())
        .collect();
    assert_eq!(terms, ["Rolex"]);
    // Nothing at all is a usage error.
    let r = run(brandscan().args(["scan", "--no-builtin"]).arg(&c));
    assert_eq!(r.code, 2);
}

#[test]
fn main_job_on_the_sample_catalog() {
    let r = run(brandscan().arg("scan").arg(repo("examples/catalog.csv")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rows = csv_rows(&r.stdout);
    let ids: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["listing_id"].as_str()).collect();
    for id in [
        "P1002", "P1003", "P1008", "P1011", "P1012", "P1013", "P1015", "P1040", "P1042",
    ] {
        assert!(ids.contains(id), "{id} not flagged: {ids:?}");
    }
    for clean in ["P1001", "P1004", "P1005", "P1006", "P1007", "P1010"] {
        assert!(
            !ids.contains(clean),
            "{clean} flagged: {:?}",
            rows.iter()
                .filter(|r| r["listing_id"] == clean)
                .collect::<Vec<_>>()
        );
    }
}

#[cfg(unix)]
#[test]
fn output_to_a_device_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let (_d, wl) = wordlist("l.csv", LIST);
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, CAT).unwrap();
    let r = run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .args(["-o", "/dev/null"])
        .arg(&cat));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null must stay a device"
    );
}

#[cfg(unix)]
#[test]
fn output_file_is_readable_by_others_like_any_report() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, wl) = wordlist("l.csv", LIST);
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("cat.csv");
    std::fs::write(&cat, CAT).unwrap();
    let out = dir.path().join("out.csv");
    run(brandscan()
        .args(["scan", "-w"])
        .arg(&wl)
        .arg("-o")
        .arg(&out)
        .arg(&cat));
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}
