//! One reading of a JSON listing: the same listings through `scan` (JSON Lines),
//! `check --jsonl`, `serve` (`POST /v1/check`) and the library give the same findings,
//! arrays of strings included (`"tags": ["nike", "running"]` is flagged Nike).

use crate::util::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

const LISTINGS: &[&str] = &[
    r#"{"id":"J1","title":"Running shoe","tags":["nike","running"]}"#,
    r#"{"id":"J2","title":"Strap for Rolex","description":"steel, 20 mm","tags":[]}"#,
    r#"{"id":"J3","title":"Plain mug","description":"Coach style","tags":["kitchen","Gucci"]}"#,
    r#"{"id":"J4","title":"Canvas bag","description":"","tags":["Louis","Vuitton"]}"#,
    r#"{"id":"J5","title":"Tote","tags":["canvas","Louis Vuitton","brown"]}"#,
];

/// A finding as every path reports it, without the row (a file's line, a request's
/// position): listing id, field, span, matched text, term, action, match kind, context.
type Key = (
    String,
    String,
    u64,
    u64,
    String,
    String,
    String,
    String,
    String,
);

fn key(f: &Value) -> Key {
    let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
    let n = |k: &str| f[k].as_u64().expect("offset");
    (
        s("listing_id"),
        s("field"),
        n("start"),
        n("end"),
        s("matched"),
        s("term"),
        s("action"),
        s("match_kind"),
        s("context"),
    )
}

fn findings_of_verdicts(lines: &[Value]) -> Vec<Key> {
    lines
        .iter()
        .flat_map(|v| v["findings"].as_array().expect("findings").iter().map(key))
        .collect()
}

fn rule_args() -> Vec<String> {
    vec![
        "--no-config".into(),
        "--no-builtin".into(),
        "-w".into(),
        data(TEST_RULES).display().to_string(),
    ]
}

fn via_scan() -> Vec<Key> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("listings.jsonl");
    std::fs::write(&path, LISTINGS.join("\n")).expect("write");
    let mut args = rule_args();
    args.insert(1, "scan".into());
    let r = run(brandscan()
        .args(&args)
        .args(["--fail-on", "never", "-f", "jsonl"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| key(&serde_json::from_str(l).expect("json line")))
        .collect()
}

fn via_check() -> Vec<Key> {
    let mut args = rule_args();
    args.insert(1, "check".into());
    let r = run(brandscan()
        .args(&args)
        .args(["--jsonl", "--fail-on", "never"])
        .write_stdin(LISTINGS.join("\n")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    findings_of_verdicts(&lines)
}

fn via_serve() -> Vec<Key> {
    let mut args = rule_args();
    args.insert(1, "serve".into());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("brandscan"))
        .args(&args)
        .args(["--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut addr = None;
    let mut line = String::new();
    while addr.is_none() && stderr.read_line(&mut line).unwrap_or(0) > 0 {
        addr = line
            .split("listening on http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .map(str::to_string);
        line.clear();
    }
    let Some(addr) = addr else {
        let _ = child.kill();
        panic!("serve did not start");
    };
    let items: Vec<Value> = LISTINGS
        .iter()
        .map(|l| serde_json::from_str(l).expect("listing"))
        .collect();
    let body = serde_json::json!({ "listings": items }).to_string();
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "POST /v1/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).expect("reply");
    let _ = child.kill();
    let _ = child.wait();
    let (head, json) = reply.split_once("\r\n\r\n").expect("a body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let v: Value = serde_json::from_str(json).expect("json body");
    findings_of_verdicts(v["results"].as_array().expect("results"))
}

fn via_library() -> Vec<Key> {
    use brandscan::check::{check, Listing};
    use brandscan::{Matcher, Rules, Scanner};
    let rules = Rules::from_path(&data(TEST_RULES)).expect("rules");
    let scanner = Scanner::new(Matcher::new(rules).expect("matcher"));
    let verdicts: Vec<Value> = LISTINGS
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let listing = Listing::from_json(l).expect("listing");
            serde_json::to_value(check(&scanner, &listing, i as u64 + 1).to_verdict(true))
                .expect("verdict")
        })
        .collect();
    findings_of_verdicts(&verdicts)
}

#[test]
fn scan_check_serve_and_the_library_read_a_json_listing_alike() {
    let scan = via_scan();
    assert!(
        scan.iter()
            .any(|k| (k.0.as_str(), k.1.as_str(), k.4.as_str()) == ("J1", "tags", "nike")),
        "the tags array is read: {scan:?}"
    );
    // Items are one field, but a match never runs from one item into the next.
    assert!(
        !scan.iter().any(|k| k.0 == "J4" && k.4.contains(';')),
        "{scan:?}"
    );
    assert!(
        scan.iter()
            .any(|k| k.0 == "J5" && k.2 == 8 && k.4 == "Louis Vuitton"),
        "an item's offset counts from the start of the field: {scan:?}"
    );
    assert_eq!(via_check(), scan, "check --jsonl");
    assert_eq!(via_library(), scan, "library");
    #[cfg(unix)]
    assert_eq!(via_serve(), scan, "serve");
}
