//! `brandscan.toml`: defaults from the working directory or `--config`, flags winning,
//! unknown keys refused.

use crate::util::*;
use std::path::Path;

/// A temp dir holding `brandscan.toml` with `text`.
fn with_config(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("brandscan.toml"), text).unwrap();
    dir
}

/// A TOML literal string of a path.
fn lit(path: &Path) -> String {
    format!("'{}'", path.display())
}

fn scan_in(dir: &Path, extra: &[&str]) -> Run {
    run(brandscan()
        .current_dir(dir)
        .arg("scan")
        .arg(data("nightly/monday.csv"))
        .args(extra))
}

#[test]
fn the_working_directory_config_supplies_defaults() {
    let dir = with_config(&format!(
        "wordlists = [{}]\nno_builtin = true\n\n[scan]\nformat = \"listings\"\nfail_on = \"never\"\n",
        lit(&data(TEST_RULES))
    ));
    let r = scan_in(dir.path(), &[]);
    assert_eq!(r.code, 0, "fail_on = never: {}", r.stderr);
    assert!(
        r.stdout
            .starts_with("listing_id,row,action,brands,terms,findings\n"),
        "{}",
        r.stdout
    );
    // Only the test rules: four flagged listings (M1 Nike, M2 Rolex, M3 Coach, M5 3M+LV).
    let rows = csv_rows(&r.stdout);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3]["terms"], "3M;Louis Vuitton");
    assert!(r.stderr.contains("Word lists: 16 rules"), "{}", r.stderr);
}

#[test]
fn flags_win_over_the_config() {
    let dir = with_config(&format!(
        "wordlists = [{}]\nno_builtin = true\nfail_on = \"never\"\n\n[scan]\nformat = \"listings\"\nquiet = true\n",
        lit(&data(TEST_RULES))
    ));
    // Typed values win even when they equal the built-in defaults.
    let r = scan_in(dir.path(), &["-f", "csv", "--fail-on", "remove"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("listing_id,row,field,start,"));
    assert!(r.stderr.is_empty(), "quiet = true: {}", r.stderr);
    // -w replaces the config's lists; --builtin overrides no_builtin.
    let (_d, list) = wordlist("mine.txt", "Mug\n");
    let r = scan_in(dir.path(), &["-w", list.to_str().unwrap()]);
    assert_eq!(
        r.stdout,
        "listing_id,row,action,brands,terms,findings\nM4,4,remove,Mug,Mug,1\n"
    );
    let r = scan_in(
        dir.path(),
        &["-w", list.to_str().unwrap(), "--builtin", "-f", "summary"],
    );
    assert!(!r.stdout.contains("word lists: 1 rule,"), "{}", r.stdout);
    assert!(r.stdout.contains("Mug: 1 listing,"), "{}", r.stdout);
    // --no-config ignores the file: built-in lists, csv, fail on remove.
    let r = scan_in(dir.path(), &["--no-config"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("listing_id,row,field,"));
}

#[test]
fn config_flag_resolves_paths_against_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("conf");
    std::fs::create_dir(&conf).unwrap();
    std::fs::write(conf.join("mine.txt"), "Mug\nTape\n").unwrap();
    std::fs::write(
        conf.join("nightly.toml"),
        "wordlists = [\"mine.txt\"]\n[scan]\nformat = \"listings\"\noutput = \"out.csv\"\n",
    )
    .unwrap();
    // Run from elsewhere, a directory whose own brandscan.toml must be ignored.
    let elsewhere = with_config("this is not toml");
    let r = run(brandscan()
        .current_dir(elsewhere.path())
        .args(["scan", "--config"])
        .arg(conf.join("nightly.toml"))
        .arg(data("nightly/monday.csv")));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = std::fs::read_to_string(conf.join("out.csv")).unwrap();
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["terms"], "Mug");
    assert_eq!(rows[1]["terms"], "Tape");
}

#[test]
fn check_takes_its_table() {
    let dir = with_config(&format!(
        "wordlists = [{}]\n[check]\nformat = \"json\"\nfail_on = \"review\"\n",
        lit(&data(TEST_RULES))
    ));
    let check = |extra: &[&str]| {
        run(brandscan()
            .current_dir(dir.path())
            .args(["check", "--title", "Gap year journal"])
            .args(extra))
    };
    let r = check(&[]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["verdict"], "review");
    assert_eq!(r.code, 1, "fail_on = review");
    let r = check(&["--format", "human", "--fail-on", "remove"]);
    assert!(r.stdout.starts_with("REVIEW\n"), "{}", r.stdout);
    assert_eq!(r.code, 0);
}

#[test]
fn unknown_keys_and_bad_values_name_file_line_and_key() {
    let dir = with_config("[scan]\nformat = \"listings\"\nfromat = \"csv\"\n");
    let out = dir.path().join("report.csv");
    let r = scan_in(dir.path(), &["-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with(
            "brandscan: brandscan.toml:3: unknown key `scan.fromat` (expected one of `format`,"
        ),
        "{}",
        r.stderr
    );
    assert!(!out.exists());

    let dir = with_config("fail_on = \"always\"\n");
    let r = scan_in(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("brandscan.toml:1: key `fail_on`: unknown variant `always`"),
        "{}",
        r.stderr
    );

    let file = dir.path().join("other.toml");
    std::fs::write(&file, "[scan]\nthreads = -2\n").unwrap();
    let r = run(brandscan()
        .args(["scan", "--config"])
        .arg(&file)
        .arg(data("nightly/monday.csv")));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(&format!("{}:2: key `scan.threads`", file.display())),
        "{}",
        r.stderr
    );
}

#[test]
fn audit_takes_its_table() {
    let dir = with_config(&format!(
        "wordlists = [{}]\nno_builtin = true\n\n[audit]\nformat = \"json\"\nfail_on = \"never\"\npolicy = {}\nfields = [\"title\", \"description\"]\nquiet = true\n",
        lit(&data("wordlists/audit_rules.csv")),
        lit(&data("policies/strict.toml")),
    ));
    let audit = |extra: &[&str]| {
        run(brandscan()
            .current_dir(dir.path())
            .args(["audit", "--brand", "Korvex"])
            .arg(data("audit_catalog.csv"))
            .args(extra))
    };
    let r = audit(&[]);
    assert_eq!(r.code, 0, "fail_on = never: {}", r.stderr);
    assert!(r.stderr.is_empty(), "quiet = true: {}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("format = json");
    assert_eq!(v["policy"]["name"], "strict test policy");
    // Title and description only: K005's image URL is not scanned. 2 × 10 points.
    assert_eq!(v["brands"][0]["listings"], 2);
    assert_eq!(v["brands"][0]["worst_case"]["points"], 20);
    // Flags win: csv, the built-in policy's exit level, every detected column.
    let r = audit(&[
        "-f",
        "csv",
        "--fail-on",
        "remove",
        "--fields",
        "title,image_url",
    ]);
    assert_eq!(r.code, 1);
    let rows = csv_rows(&r.stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r["listing_id"].as_str()).collect();
    // K002's description is not scanned now: one finding each, input order.
    assert_eq!(ids, ["K001", "K002", "K005"]);
}

#[test]
fn fix_takes_its_table() {
    let dir = with_config(&format!(
        "wordlists = [{}]\nno_builtin = true\n\n[fix]\nfields = [\"title\"]\nchanges = \"changes.csv\"\nquiet = true\n",
        lit(&data(TEST_RULES))
    ));
    let out = dir.path().join("cleaned.csv");
    let r = run(brandscan()
        .current_dir(dir.path())
        .arg("fix")
        .arg(data("nightly/monday.csv"))
        .arg("-o")
        .arg(&out));
    assert_eq!(
        r.code, 1,
        "M3's hide finding is left for a person: {}",
        r.stderr
    );
    // quiet: only the listing left for a person is reported.
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    let changes = csv_rows(&std::fs::read_to_string(dir.path().join("changes.csv")).unwrap());
    let edited: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c["listing_id"].as_str(), c["field"].as_str()))
        .collect();
    // fields = ["title"]: M5's description keeps its Louis Vuitton.
    assert_eq!(edited, [("M1", "title"), ("M2", "title"), ("M5", "title")]);
}

#[test]
fn audit_serve_and_fix_tables_refuse_unknown_keys() {
    for (table, key) in [("audit", "brand"), ("serve", "port"), ("fix", "output")] {
        let dir = with_config(&format!("[{table}]\n{key} = \"x\"\n"));
        let args: &[&str] = match table {
            "audit" => &["audit", "--brand", "Nike"],
            "serve" => &["serve", "--listen", "127.0.0.1:0"],
            _ => &["fix", "--dry-run"],
        };
        let mut cmd = brandscan();
        cmd.current_dir(dir.path()).args(args);
        if table != "serve" {
            cmd.arg(data("nightly/monday.csv"));
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 2, "{table}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(&format!(
                "brandscan: brandscan.toml:2: unknown key `{table}.{key}`"
            )),
            "{}",
            r.stderr
        );
    }
}

/// A build without pictures takes the picture keys (one file serves both builds) but
/// will not scan without the pictures `scan.images` asks for.
#[cfg(not(feature = "ocr"))]
#[test]
fn picture_keys_parse_but_scan_images_needs_the_ocr_build() {
    let dir = with_config(&format!(
        "wordlists = [{}]\nno_builtin = true\nimage_trust = 0.9\nno_image_tiles = true\n",
        lit(&data(TEST_RULES))
    ));
    let r = scan_in(dir.path(), &["--fail-on", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::write(
        dir.path().join("brandscan.toml"),
        format!(
            "wordlists = [{}]\nno_builtin = true\n[scan]\nimages = \"pics\"\n",
            lit(&data(TEST_RULES))
        ),
    )
    .unwrap();
    let r = scan_in(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("pics") && r.stderr.contains("--features ocr"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let r = scan_in(dir.path(), &["--image-trust", "0.5"]);
    assert_eq!(
        r.code, 2,
        "no picture flags without the feature: {}",
        r.stderr
    );
}
