//! Test harness: run the binary, parse its CSV output, make temp files.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

pub fn brandscan() -> Command {
    let mut c = Command::cargo_bin("brandscan").expect("binary built");
    c.env_remove("RUST_LOG");
    c
}

pub const TEST_RULES: &str = "wordlists/test_rules.csv";

/// The output of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// CSV text as header-keyed rows.
pub fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("valid csv");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// A temp dir with a word list in it.
pub fn wordlist(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write word list");
    (dir, path)
}

/// Run `check --format json --fail-on never -w LIST EXTRA --title TEXT` with `terms` as the
/// word list (`list_name` decides its format) and return its findings, after asserting
/// that every span is a real slice of the title.
pub fn check_findings(
    list_name: &str,
    terms: &str,
    text: &str,
    extra: &[&str],
) -> Vec<serde_json::Value> {
    let (_dir, list) = wordlist(list_name, terms);
    let r = run(brandscan()
        .args(["check", "--format", "json", "--fail-on", "never", "-w"])
        .arg(&list)
        .args(extra)
        .args(["--title", text]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings").clone();
    for f in &findings {
        let (s, e) = (
            f["start"].as_u64().expect("start") as usize,
            f["end"].as_u64().expect("end") as usize,
        );
        assert_eq!(
            &text[s..e],
            f["matched"].as_str().expect("matched"),
            "{text}"
        );
    }
    findings
}
