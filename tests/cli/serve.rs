//! `brandscan serve`: started on a free loopback port, queried over plain HTTP/1.1,
//! reloaded under load, stopped.

use crate::util::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// The server and the HTTP client the other tests share too.
pub(crate) use crate::server::{http, http_with, parse_reply, post, Reply, Server};

fn rules() -> String {
    data(TEST_RULES).display().to_string()
}

#[test]
fn health_single_batch_and_errors() {
    let wl = rules();
    let srv = Server::start(&["--no-builtin", "-w", &wl]);
    let h = http(srv.addr, "GET", "/healthz", b"").unwrap();
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    assert_eq!(h.json()["rules"], 16, "test_rules.csv has 16 rules");

    let one = post(
        srv.addr,
        "/v1/check",
        &json!({"id": "A1", "title": "Strap for Rolex", "description": "Coach style"}),
    );
    assert_eq!(one.status, 200);
    assert_eq!(one.header("content-type"), Some("application/json"));
    assert_eq!(
        one.header("x-brandscan-fingerprint"),
        h.json()["fingerprint"].as_str()
    );
    let v = one.json();
    assert_eq!(v["id"], "A1");
    assert_eq!(v["verdict"], "remove");
    let found: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["term"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [("title", "Rolex"), ("description", "Coach")]);

    let batch = post(
        srv.addr,
        "/v1/check",
        &json!({"listings": [{"id": "b1", "title": "Coach bag"}, {"id": 2, "title": "Pineapple slicer"}]}),
    );
    assert_eq!(batch.status, 200);
    let r = batch.json();
    assert_eq!(r["results"][0]["verdict"], "hide");
    assert_eq!(r["results"][1]["id"], "2");
    assert_eq!(r["results"][1]["verdict"], "pass");

    let bad = http(srv.addr, "POST", "/v1/check", b"{not json").unwrap();
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("not JSON"));
    let bad = post(srv.addr, "/v1/check", &json!({"listings": [{"t": "x"}, 5]}));
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("listings[1]"));
    assert_eq!(
        http(srv.addr, "GET", "/v2/nothing", b"").unwrap().status,
        404
    );
    assert_eq!(http(srv.addr, "GET", "/v1/check", b"").unwrap().status, 405);

    // SIGTERM stops it cleanly.
    let mut srv = srv;
    srv.signal("-TERM");
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(s) = srv.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn body_and_time_are_bounded() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-body",
        "1KiB",
        "--timeout-ms",
        "300",
    ]);
    let title = "a".repeat(2000);
    let big = post(srv.addr, "/v1/check", &json!({"title": title}));
    assert_eq!(big.status, 413);
    assert!(big.json()["error"].as_str().unwrap().contains("1024 bytes"));
    let small = post(srv.addr, "/v1/check", &json!({"title": "Rolex"}));
    assert_eq!(small.status, 200);

    // A client that announces a body and never sends it is answered 408, not waited for.
    let started = Instant::now();
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{\"t\":"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 408"), "{raw:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn reload_under_load_drops_nothing() {
    let (dir, wl) = wordlist("live.txt", "Rolex\n");
    let wl_arg = wl.display().to_string();
    let srv = Server::start(&["--no-builtin", "-w", &wl_arg, "--reload-token", "t0ken"]);
    let addr = srv.addr;
    let host = addr.to_string();
    let reload = || {
        let h = [
            ("Host", host.as_str()),
            ("Content-Type", "application/json"),
            ("Authorization", "Bearer t0ken"),
        ];
        http_with(addr, "POST", "/v1/reload", &h, b"{}").unwrap()
    };
    let before = http(addr, "GET", "/healthz", b"").unwrap().json();
    assert_eq!(before["rules"], 1);

    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let (stop, sent, failures) = (stop.clone(), sent.clone(), failures.clone());
            thread::spawn(move || {
                let body = json!({"id": i.to_string(), "title": "Rolex and Zorblax"}).to_string();
                while !stop.load(Ordering::SeqCst) {
                    match http(addr, "POST", "/v1/check", body.as_bytes()) {
                        Ok(r) if r.status == 200 && r.json()["verdict"] == "remove" => {}
                        Ok(r) => failures
                            .lock()
                            .unwrap()
                            .push(format!("{} {}", r.status, r.body)),
                        Err(e) => failures.lock().unwrap().push(e.to_string()),
                    }
                    sent.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    let wait_for_requests = |n: usize| {
        let target = sent.load(Ordering::SeqCst) + n;
        let deadline = Instant::now() + Duration::from_secs(5);
        while sent.load(Ordering::SeqCst) < target && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
    };
    let zorblax_found = || {
        let r = post(addr, "/v1/check", &json!({"title": "Zorblax lamp"}));
        r.json()["verdict"] == "remove"
    };

    wait_for_requests(20);
    assert!(!zorblax_found());
    std::fs::write(&wl, "Rolex\nZorblax\n").unwrap();
    let r = reload();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["rules"], 2);
    assert!(zorblax_found());
    wait_for_requests(20);

    // A broken list is refused and the lists in use stay.
    std::fs::write(&wl, "Rolex\nZorblax\n---\n").unwrap();
    let r = reload();
    assert_eq!(r.status, 500);
    let err = r.json()["error"].as_str().unwrap().to_string();
    assert!(err.contains("live.txt:3"), "{err}");
    assert_eq!(r.json()["kept"]["rules"], 2);
    assert!(zorblax_found());
    wait_for_requests(20);

    // SIGHUP reloads too.
    std::fs::write(&wl, "Rolex\nZorblax\nQuuxor\n").unwrap();
    srv.signal("-HUP");
    let deadline = Instant::now() + Duration::from_secs(5);
    while http(addr, "GET", "/healthz", b"").unwrap().json()["rules"] != 3 {
        assert!(
            Instant::now() < deadline,
            "SIGHUP did not reload: {}",
            srv.log()
        );
        thread::sleep(Duration::from_millis(20));
    }
    wait_for_requests(20);

    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(sent.load(Ordering::SeqCst) >= 80);
    let log = srv.log();
    assert!(log.contains("reload failed, still using 2 rules"), "{log}");
    assert_eq!(log.matches("reloaded word lists").count(), 2, "{log}");
    drop(dir);
}

/// The shipped sample catalog through `scan -f jsonl`, `check --jsonl` and `serve`: the
/// same finding objects, in the same order, from all three.
#[test]
fn same_findings_from_scan_check_and_serve() {
    let wl = rules();
    let catalog = repo("examples/catalog.csv");
    let scan = run(brandscan()
        .args(["scan", "-q", "-f", "jsonl", "--no-builtin", "-w", &wl])
        .arg(&catalog));
    let from_scan: Vec<Value> = scan
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(from_scan.len() >= 10, "{}", scan.stdout);

    // The catalog's listings as JSON objects with the columns scan detects.
    let mut reader = csv::Reader::from_path(&catalog).unwrap();
    let listings: Vec<Value> = reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            json!({"id": r["product_id"], "title": r["title"],
                   "description": r["description"], "image_url": r["image_url"]})
        })
        .collect();
    assert_eq!(listings.len(), 44);
    let lines: String = listings.iter().map(|l| format!("{l}\n")).collect();
    let check = run(brandscan()
        .args(["check", "--jsonl", "--no-builtin", "-w", &wl])
        .write_stdin(lines));
    let from_check: Vec<Value> = check
        .stdout
        .lines()
        .flat_map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["findings"].as_array().unwrap().clone()
        })
        .collect();

    let srv = Server::start(&["--no-builtin", "-w", &wl]);
    let r = post(srv.addr, "/v1/check", &json!({ "listings": listings }));
    assert_eq!(r.status, 200);
    let from_serve: Vec<Value> = r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["findings"].as_array().unwrap().clone())
        .collect();

    assert_eq!(from_check, from_scan);
    assert_eq!(from_serve, from_scan);
}

/// The catalog's listings as JSON objects with the columns scan detects, and as lines.
fn catalog_listings() -> (Vec<Value>, String) {
    let mut reader = csv::Reader::from_path(repo("examples/catalog.csv")).unwrap();
    let listings: Vec<Value> = reader
        .deserialize::<std::collections::HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            json!({"id": r["product_id"], "title": r["title"],
                   "description": r["description"], "image_url": r["image_url"]})
        })
        .collect();
    let lines = listings.iter().map(|l| format!("{l}\n")).collect();
    (listings, lines)
}

#[test]
fn brandscan_toml_gives_the_same_findings_from_scan_check_and_serve() {
    // Lists, authorization and the service's own options from the working directory's
    // brandscan.toml only: every front end must read it, or the same text would get
    // different findings from different commands.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("brandscan.toml"),
        format!(
            "wordlists = ['{}']\nno_builtin = true\nauthorized = [\"Rolex\"]\n\n[serve]\nlisten = \"127.0.0.1:0\"\nmax_body = \"16KiB\"\n",
            rules()
        ),
    )
    .unwrap();
    let scan = run(brandscan()
        .current_dir(dir.path())
        .args(["scan", "-f", "jsonl"])
        .arg(repo("examples/catalog.csv")));
    let from_scan: Vec<Value> = scan
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(from_scan.len() >= 5, "{}", scan.stdout);
    assert!(
        from_scan.iter().all(|f| f["brand"] != "Rolex"),
        "authorized"
    );
    let at = scan
        .stderr
        .find("sha256:")
        .expect("fingerprint in the paragraph");
    let fingerprint = &scan.stderr[at..at + 23];

    let (listings, lines) = catalog_listings();
    let check = run(brandscan()
        .current_dir(dir.path())
        .args(["check", "--jsonl"])
        .write_stdin(lines));
    let from_check: Vec<Value> = check
        .stdout
        .lines()
        .flat_map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["findings"].as_array().unwrap().clone()
        })
        .collect();

    let srv = Server::start_in(Some(dir.path()), &[]);
    let health = http(srv.addr, "GET", "/healthz", b"").unwrap().json();
    assert_eq!(health["fingerprint"], fingerprint);
    let r = post(srv.addr, "/v1/check", &json!({ "listings": listings }));
    assert_eq!(r.status, 200, "{}", r.body);
    let from_serve: Vec<Value> = r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["findings"].as_array().unwrap().clone())
        .collect();
    assert_eq!(from_check, from_scan);
    assert_eq!(from_serve, from_scan);
    // max_body = "16KiB" from the file.
    let big = json!({"id": "x", "title": "a".repeat(17 << 10)});
    assert_eq!(post(srv.addr, "/v1/check", &big).status, 413);
    assert!(
        srv.log().contains("body limit 16384 bytes"),
        "{}",
        srv.log()
    );
}

/// A build without pictures says so to a listing that sends some, and answers the rest.
#[cfg(not(feature = "ocr"))]
#[test]
fn pictures_sent_to_a_build_without_them_are_a_clear_400() {
    let wl = rules();
    let srv = Server::start(&["--no-builtin", "-w", &wl]);
    let r = post(
        srv.addr,
        "/v1/check",
        &json!({"id": "P1", "title": "Rolex box", "image_data": ["TklLRQ=="]}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    let e = r.json()["error"].as_str().unwrap().to_string();
    assert!(
        e.starts_with("image_data: ") && e.contains("--features ocr"),
        "{e}"
    );
    let r = post(
        srv.addr,
        "/v1/check",
        &json!({"listings": [{"title": "mug"}, {"title": "Rolex", "image_data": []}]}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .starts_with("listings[1].image_data: "));
    let r = post(srv.addr, "/v1/check", &json!({"title": "Rolex box"}));
    assert_eq!(r.json()["verdict"], "remove");
    // The page's upload of a catalog with its pictures in one .zip, likewise.
    let r = http(srv.addr, "POST", "/v1/jobs?name=shop.zip", b"PK\x03\x04").unwrap();
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("`ocr` feature"));
}
