//! The `ocr` feature end to end: the real binary reads the pictures of tests/data/ocr/
//! (made by `cargo run --features ocr-eval --example ocr_synth -- --fixtures`).
//!
//! These tests need the models (`scripts/setup-ocr-models`). Without them they say so and
//! pass on a developer's machine; under CI (`CI` set) a missing model fails them.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ocr")
        .join(rel)
}

/// The model folder, or `None` (after saying why) when the models are not there.
fn models() -> Option<PathBuf> {
    let dir = brandscan::ocr::default_model_dir();
    let there = [
        brandscan::ocr::DETECTOR_FILE,
        brandscan::ocr::RECOGNISER_FILE,
    ]
    .iter()
    .all(|f| dir.join(f).is_file());
    if there {
        return Some(dir);
    }
    let msg = format!(
        "the OCR models are not in {}: run scripts/setup-ocr-models",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], cache: &Path) -> Out {
    let out = Command::cargo_bin("brandscan")
        .expect("binary built")
        .args(args)
        .arg("--image-cache")
        .arg(cache)
        .output()
        .expect("binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A catalog naming the fixture pictures, one listing each, and a word list.
fn catalog(dir: &Path) -> (PathBuf, PathBuf) {
    let csv = dir.join("catalog.csv");
    std::fs::write(
        &csv,
        "sku,title,image\n\
         A1,Running shoes,https://cdn.example.com/p/a1.png?v=3\n\
         A2,Handbag,a2.png\n\
         A3,Watch,a3.png\n\
         A4,Belt,a4.png\n\
         A5,Shoes,a5.jpg\n\
         A6,Wallet,a6.png\n\
         A7,Scarf,a7.jpg\n\
         A8,Socks,not-there.jpg\n",
    )
    .unwrap();
    let list = dir.join("brands.txt");
    std::fs::write(&list, "Nike\n香奈儿\nRolex\nGucci\nPrada\nShipping Co\n").unwrap();
    (csv, list)
}

fn findings(jsonl: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn scan(dir: &Path, extra: &[&str]) -> Out {
    let (csv, list) = catalog(dir);
    let pics = data("");
    let mut args = vec![
        "scan",
        csv.to_str().unwrap(),
        "-w",
        list.to_str().unwrap(),
        "--images",
        pics.to_str().unwrap(),
        "-f",
        "jsonl",
    ];
    args.extend_from_slice(extra);
    run(&args, &dir.join("cache"))
}

#[test]
fn brand_words_in_pictures_are_review_findings_with_what_was_read() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = scan(dir.path(), &[]);
    // Every finding is `review`: below the default --fail-on.
    assert_eq!(out.code, 0, "{}", out.stderr);
    let found = findings(&out.stdout);
    let by_id = |id: &str| -> Vec<&serde_json::Value> {
        found.iter().filter(|f| f["listing_id"] == id).collect()
    };
    for (id, brand) in [
        ("A1", "Nike"),
        ("A2", "香奈儿"),
        ("A3", "Rolex"),
        ("A4", "Gucci"),
        ("A6", "Prada"),
    ] {
        let f = by_id(id);
        assert!(
            f.iter().any(|f| f["brand"] == brand),
            "{id}: no {brand} in {f:?}\n{}",
            out.stderr
        );
        for f in f {
            assert_eq!(f["field"], "image:image");
            assert_eq!(f["match_kind"], "image_text");
            assert_eq!(f["action"], "review");
            let c = f["confidence"].as_f64().expect("a confidence");
            assert!((0.5..=1.0).contains(&c), "{f}");
            let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
            assert!(e > s, "{f}");
        }
    }
    assert!(
        by_id("A5").is_empty(),
        "brand-free picture flagged: {:?}",
        by_id("A5")
    );
    assert!(by_id("A7").is_empty() && by_id("A8").is_empty());
    // The broken picture is a warning naming the catalog line, the column and the file;
    // the missing one is counted.
    assert!(
        out.stderr
            .contains("catalog.csv:8 (column `image`): warning: listing A7: picture")
            && out.stderr.contains("a7.jpg"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("1 not found in"), "{}", out.stderr);
    assert!(out.stderr.contains("1 unreadable"), "{}", out.stderr);
}

#[test]
fn trusted_confidence_keeps_the_rule_action_and_strict_fails_on_a_broken_picture() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = scan(dir.path(), &["--image-trust", "0.5", "--fail-on", "remove"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = findings(&out.stdout);
    assert!(found
        .iter()
        .any(|f| f["listing_id"] == "A1" && f["action"] == "remove"));
    let out = scan(dir.path(), &["--strict"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("1 catalog warning"), "{}", out.stderr);
}

#[test]
fn a_second_run_reads_from_the_cache_and_threads_do_not_change_the_output() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let first = scan(dir.path(), &["-j1"]);
    assert!(
        first.stderr.contains("pictures: 6 read, 0 from the cache"),
        "{}",
        first.stderr
    );
    let second = scan(dir.path(), &["-j2"]);
    assert!(
        second.stderr.contains("pictures: 0 read, 6 from the cache"),
        "{}",
        second.stderr
    );
    assert_eq!(first.stdout, second.stdout);
    let fresh = scan(dir.path(), &["-j2", "--no-image-cache"]);
    assert!(
        fresh.stderr.contains("pictures: 6 read"),
        "{}",
        fresh.stderr
    );
    assert_eq!(first.stdout, fresh.stdout);
}

#[test]
fn the_pixel_cap_refuses_a_picture_by_name() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = scan(
        dir.path(),
        &["--image-max-pixels", "200000", "--no-image-cache"],
    );
    assert!(
        out.stderr.contains("a6.png")
            && out
                .stderr
                .contains("2000 × 1500 pixels is more than the limit of 200000"),
        "{}",
        out.stderr
    );
    assert!(!findings(&out.stdout)
        .iter()
        .any(|f| f["listing_id"] == "A6"));
}

#[test]
fn check_reads_a_picture() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, list) = catalog(dir.path());
    let pic = data("a1.png");
    let out = run(
        &[
            "check",
            "--title",
            "Running shoes",
            "--image",
            pic.to_str().unwrap(),
            "-w",
            list.to_str().unwrap(),
            "--format",
            "json",
        ],
        &dir.path().join("cache"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(v["verdict"], "review", "{v}");
    assert_eq!(v["findings"][0]["field"], "image:image");
    assert_eq!(v["findings"][0]["brand"], "Nike");
}

#[test]
fn missing_models_are_an_error_that_names_the_setup_script() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, list) = catalog(dir.path());
    let out = run(
        &[
            "scan",
            csv.to_str().unwrap(),
            "-w",
            list.to_str().unwrap(),
            "--images",
            data("").to_str().unwrap(),
            "--ocr-models",
            dir.path().join("nowhere").to_str().unwrap(),
        ],
        &dir.path().join("cache"),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("scripts/setup-ocr-models") && out.stderr.contains("nowhere"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}
