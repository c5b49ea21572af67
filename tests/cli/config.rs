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
    assert!(!r.stdout.contains("word lists: 1 rules"), "{}", r.stdout);
    assert!(r.stdout.contains("Mug: 1 listings"), "{}", r.stdout);
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
