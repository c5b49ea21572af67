//! `brandscan check`: one listing, and the JSON-lines co-process.

use crate::util::*;
use serde_json::Value;

const LIST: &str = "term,brand,action\nRolex,Rolex,remove\nCoach,Coach,hide\n";

#[test]
fn human_output_and_exit_code() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let r = run(brandscan().args(["check", "-w"]).arg(&wl).args([
        "--title",
        "Strap for Rolex",
        "--description",
        "steel",
    ]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("REMOVE\n"), "{}", r.stdout);
    assert!(r.stdout.contains("title 10..15"), "{}", r.stdout);
    let r = run(brandscan()
        .args(["check", "-w"])
        .arg(&wl)
        .args(["--title", "Plain mug"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("PASS"), "{}", r.stdout);
}

#[test]
fn json_output_matches_scan_jsonl() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let r = run(brandscan()
        .args(["check", "--format", "json", "--id", "L1", "-w"])
        .arg(&wl)
        .args(["--title", "Coach strap", "--description", "for Rolex"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["verdict"], "remove");
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["field"], "title");
    assert_eq!(f[1]["field"], "description");
    // The same listing through `scan -f jsonl` gives the same finding objects.
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("c.csv");
    std::fs::write(&cat, "id,title,description\nL1,Coach strap,for Rolex\n").unwrap();
    let s = run(brandscan()
        .args(["scan", "-f", "jsonl", "-w"])
        .arg(&wl)
        .arg(&cat));
    let scanned: Vec<Value> = s
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(scanned, *f);
}

#[test]
fn jsonl_co_process() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let input = "{\"id\":\"a\",\"title\":\"Rolex strap\"}\n{\"id\":\"b\",\"title\":\"mug\",\"description\":\"Coach\"}\n{\"id\":\"c\",\"title\":\"mug\"}\n";
    let r = run(brandscan()
        .args(["check", "--jsonl", "-w"])
        .arg(&wl)
        .write_stdin(input));
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["verdict"], "remove");
    assert_eq!(lines[1]["verdict"], "hide");
    assert_eq!(lines[1]["findings"][0]["field"], "description");
    assert_eq!(lines[2]["verdict"], "pass");
    assert_eq!(r.code, 1);
}

#[test]
fn jsonl_bad_line_is_answered_not_fatal() {
    let (_d, wl) = wordlist("l.csv", LIST);
    let r = run(brandscan()
        .args(["check", "--jsonl", "-w"])
        .arg(&wl)
        .write_stdin("not json\n{\"id\":\"x\",\"title\":\"Rolex\"}\n"));
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["error"].as_str().unwrap().contains("line 1"));
    assert_eq!(lines[1]["verdict"], "remove");
    assert_eq!(r.code, 2);
}

/// A build without pictures answers a line that sends some with an error line, as
/// `serve` answers 400, and goes on.
#[cfg(not(feature = "ocr"))]
#[test]
fn jsonl_pictures_without_the_ocr_build_are_an_error_line() {
    let (_d, wl) = wordlist("l.txt", "Rolex\n");
    let r = run(brandscan()
        .args(["check", "--jsonl", "-w"])
        .arg(&wl)
        .write_stdin("{\"id\":\"p\",\"title\":\"mug\",\"image_data\":[\"TklLRQ==\"]}\n{\"id\":\"x\",\"title\":\"Rolex\"}\n"));
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    let e = lines[0]["error"].as_str().unwrap();
    assert!(
        e.starts_with("line 1: image_data: ") && e.contains("--features ocr"),
        "{e}"
    );
    assert_eq!(lines[1]["verdict"], "remove");
    assert_eq!(r.code, 2);
}
