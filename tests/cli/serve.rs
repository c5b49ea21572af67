//! `brandscan serve`: started on a free loopback port, queried over plain HTTP/1.1,
//! reloaded under load, stopped.

use crate::util::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A running `brandscan serve`; killed when dropped.
pub(crate) struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let mut all = vec!["--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Server::start_in(None, &all)
    }

    /// `serve` with exactly `args`, in `dir` when given (where its brandscan.toml is).
    pub fn start_in(dir: Option<&std::path::Path>, args: &[&str]) -> Server {
        Server::start_with(dir, &[], args)
    }

    /// [`Server::start_in`] with more environment variables.
    pub fn start_with(
        dir: Option<&std::path::Path>,
        env: &[(&str, &std::path::Path)],
        args: &[&str],
    ) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("brandscan"));
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd
            .arg("serve")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let keep = lines.clone();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(addr);
                }
                keep.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(a) => a.parse().expect("a socket address"),
            Err(_) => {
                let _ = child.kill();
                panic!("serve did not start: {:?}", lines.lock().unwrap());
            }
        };
        Server {
            child,
            addr,
            stderr: lines,
        }
    }

    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .expect("kill runs")
            .success();
        assert!(ok, "kill {sig}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Reply {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

/// One request on a fresh connection, read to the server's close.
pub(crate) fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &[u8],
) -> std::io::Result<Reply> {
    http_with(
        addr,
        method,
        path,
        &[
            ("Host", &addr.to_string()),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

/// One request with exactly these headers (and Content-Length, Connection: close).
pub(crate) fn http_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    // Generous: a reload of a large list on a loaded machine takes a while.
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_reply(&raw)
}

pub(crate) fn parse_reply(raw: &[u8]) -> std::io::Result<Reply> {
    let text = String::from_utf8_lossy(raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no header end in {text:?}")))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))?;
    Ok(Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    })
}

pub(crate) fn post(addr: SocketAddr, path: &str, body: &Value) -> Reply {
    http(addr, "POST", path, body.to_string().as_bytes()).expect("request answered")
}

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
