//! `brandscan serve` under faults, on loopback: slow and idle clients, pathological
//! bodies, reload storms, shutdown with stuck clients. Each test bounds its own time
//! with generous margins and asserts what the server does, never how fast.

use crate::serve::{http, http_with, parse_reply, post, Server};
use crate::util::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn rules() -> String {
    data(TEST_RULES).display().to_string()
}

/// A metric's value from `/metrics` (the first line that starts with `name`).
fn metric(addr: SocketAddr, name: &str) -> f64 {
    let r = http(addr, "GET", "/metrics", b"").expect("metrics answered");
    assert_eq!(r.status, 200);
    r.body
        .lines()
        .find(|l| l.starts_with(name) && !l.starts_with('#'))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {}", r.body))
}

/// Wait until `cond` holds, or fail after `secs` with `what`.
fn eventually(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "{what}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// True once the server has closed `s` (a read gives end of file or a reset).
fn closed_by_server(s: &mut TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
    let mut buf = [0u8; 512];
    match s.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// `n` connections that have sent the start of a request header and nothing more.
fn partial_headers(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    (0..n)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect()
}

/// A batch of listings whose every word hides a brand behind invisible characters and
/// look-alikes: the slowest text there is for the evasion view, `mb` MiB of it.
fn pathological(mb: usize) -> Vec<u8> {
    let word = "N\u{ad}i\u{200b}k\u{ad}e R\u{ad}o\u{200b}l\u{ad}e\u{ad}x Ｇｕｃｃｉ ";
    let field: String = word.repeat((16 << 10) / word.len());
    let n = (mb << 20) / field.len();
    let listings: Vec<Value> = (0..n)
        .map(|i| json!({"id": i, "title": field, "description": field}))
        .collect();
    json!({ "listings": listings }).to_string().into_bytes()
}

#[test]
fn every_answer_is_json_with_the_fingerprint() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-body",
        "1KiB",
        "--timeout-ms",
        "60000",
    ]);
    let fp = http(srv.addr, "GET", "/healthz", b"").unwrap().json()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let get_check = http(srv.addr, "GET", "/v1/check", b"").unwrap();
    assert_eq!(get_check.status, 405);
    assert_eq!(get_check.header("allow"), Some("POST"));
    assert!(get_check.json()["error"].as_str().unwrap().contains("POST"));
    let bad = http(srv.addr, "POST", "/v1/check", b"[").unwrap();
    for r in [
        &get_check,
        &bad,
        &http(srv.addr, "GET", "/nope", b"").unwrap(),
    ] {
        assert_eq!(
            r.header("content-type"),
            Some("application/json"),
            "{}",
            r.head
        );
        assert_eq!(
            r.header("x-brandscan-fingerprint"),
            Some(fp.as_str()),
            "{}",
            r.head
        );
        assert!(r.json()["error"].is_string());
    }

    // An oversized Content-Length is refused before the body: the answer comes though
    // no byte of the body is sent (with a 60 s deadline, a late answer would be 408).
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n"
    )
    .unwrap();
    let mut raw = vec![0u8; 4096];
    let n = s.read(&mut raw).unwrap();
    let r = parse_reply(&raw[..n]).unwrap();
    assert_eq!(r.status, 413, "{}", r.head);
    assert!(r.body.contains("1024 bytes"), "{}", r.body);

    // Requests that are not HTTP get a 400 that is JSON too, not an empty answer.
    for raw in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
    ] {
        let mut s = TcpStream::connect(srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(raw).unwrap();
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        let r = parse_reply(&got).unwrap();
        assert_eq!(r.status, 400, "{}", r.head);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("x-brandscan-fingerprint"), Some(fp.as_str()));
        assert!(r.json()["error"].as_str().unwrap().contains("malformed"));
    }
}

#[test]
fn findings_are_capped_and_marked() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-findings",
        "3",
        "--max-response-findings",
        "4",
    ]);
    let title = "Rolex ".repeat(50);
    let r = post(srv.addr, "/v1/check", &json!({"title": title}));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 3);
    assert_eq!(
        (v["truncated"].clone(), v["verdict"].clone()),
        (json!(true), json!("remove"))
    );
    let r = post(
        srv.addr,
        "/v1/check",
        &json!({"listings": [{"t": title}, {"t": title}, {"t": "mug"}]}),
    );
    let v = r.json();
    let n: Vec<usize> = (0..3)
        .map(|i| v["results"][i]["findings"].as_array().unwrap().len())
        .collect();
    assert_eq!(n, [3, 1, 0]);
    assert_eq!(v["truncated"], true);
    assert_eq!(v["results"][1]["verdict"], "remove");
    let small = post(srv.addr, "/v1/check", &json!({"title": "Rolex"})).json();
    assert_eq!(small.get("truncated"), None);
    assert!(metric(srv.addr, "brandscan_answers_truncated_total") >= 2.0);
}

#[test]
fn reload_needs_token_json_and_this_host() {
    let wl = rules();
    let off = Server::start(&["--no-builtin", "-w", &wl]);
    let r = post(off.addr, "/v1/reload", &json!({}));
    assert_eq!(r.status, 403);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("--reload-token"));
    drop(off);

    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--reload-token",
        "s3cret",
        "--allow-host",
        "scan.internal",
    ]);
    let host = srv.addr.to_string();
    let try_with =
        |h: &[(&str, &str)]| http_with(srv.addr, "POST", "/v1/reload", h, b"{}").unwrap();
    let good = [
        ("Host", host.as_str()),
        ("Content-Type", "application/json"),
        ("Authorization", "Bearer s3cret"),
    ];
    let with = |k: &str, v: &str| -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = good
            .iter()
            .filter(|(n, _)| *n != k)
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        if !v.is_empty() {
            h.push((k.to_string(), v.to_string()));
        }
        h
    };
    let status = |h: Vec<(String, String)>| {
        let h: Vec<(&str, &str)> = h.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        try_with(&h).status
    };
    assert_eq!(status(with("Authorization", "")), 401);
    assert_eq!(status(with("Authorization", "Bearer wrong")), 401);
    assert_eq!(status(with("Content-Type", "text/plain")), 415);
    assert_eq!(status(with("Content-Type", "")), 415);
    assert_eq!(status(with("Host", "evil.example")), 403);
    let mut cross = with("Host", &host);
    cross.push(("Origin".into(), "http://evil.example".into()));
    assert_eq!(status(cross), 403);
    let mut same = with("Host", &host);
    same.push(("Origin".into(), format!("http://{host}")));
    assert_eq!(status(same), 200);
    assert_eq!(status(with("Host", "localhost:1")), 200);
    assert_eq!(status(with("Host", "scan.internal")), 200);
    let r = try_with(&good);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "reloaded");
    assert!(metric(srv.addr, "brandscan_reloads_total{outcome=\"ok\"}") >= 1.0);
}

#[test]
fn metrics_readyz_and_access_log() {
    let wl = rules();
    let srv = Server::start(&["--no-builtin", "-w", &wl, "--log-format", "json"]);
    assert_eq!(
        http(srv.addr, "GET", "/readyz", b"").unwrap().json()["status"],
        "ready"
    );
    let r = post(
        srv.addr,
        "/v1/check",
        &json!({"id": "A1", "title": "Rolex strap"}),
    );
    assert_eq!(r.status, 200);
    let m = http(srv.addr, "GET", "/metrics", b"").unwrap();
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let fp = r.header("x-brandscan-fingerprint").unwrap();
    for want in [
        "brandscan_http_requests_total{route=\"/v1/check\",status=\"200\"} 1",
        "brandscan_http_request_duration_seconds_count{route=\"/v1/check\"} 1",
        "brandscan_connections_open ",
        "brandscan_checks_in_flight 0",
        "brandscan_rules 16",
        &format!("brandscan_rules_info{{fingerprint=\"{fp}\"}} 1"),
    ] {
        assert!(m.body.contains(want), "{want} not in\n{}", m.body);
    }
    eventually(5, "no access line", || {
        srv.log().contains("\"path\":\"/v1/check\"")
    });
    let log = srv.log();
    let line = log
        .lines()
        .find(|l| l.contains("\"path\":\"/v1/check\""))
        .unwrap();
    let v: Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        (
            v["status"].clone(),
            v["verdict"].clone(),
            v["listings"].clone()
        ),
        (json!(200), json!("remove"), json!(1))
    );
    assert_eq!(v["method"], "POST");
}

#[test]
fn a_public_address_is_warned_about() {
    // 0.0.0.0 from brandscan.toml, where it is easy to miss.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("brandscan.toml"),
        format!(
            "wordlists = ['{}']\nno_builtin = true\n[serve]\nlisten = \"0.0.0.0:0\"\n",
            rules()
        ),
    )
    .unwrap();
    let srv = Server::start_in(Some(dir.path()), &[]);
    assert!(
        srv.log().contains("reachable from other machines"),
        "{}",
        srv.log()
    );
}

/// Slowloris: connections that trickle a header never complete it and are closed at
/// the header timeout, while a normal client is served throughout.
#[test]
fn slowloris_connections_are_closed() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--header-timeout",
        "1s",
        "--idle-timeout",
        "60s",
    ]);
    let mut slow = partial_headers(srv.addr, 40);
    let started = Instant::now();
    let mut open = slow.len();
    while open > 0 && started.elapsed() < Duration::from_secs(30) {
        // One more header byte now and then: never the end of the header.
        for s in &mut slow {
            let _ = s.write_all(b"X");
        }
        let r = post(srv.addr, "/v1/check", &json!({"title": "Rolex"}));
        assert_eq!(r.status, 200);
        open = 0;
        for s in &mut slow {
            open += usize::from(!closed_by_server(s));
        }
        thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(open, 0, "slow connections still open after 30 s");
    assert!(metric(srv.addr, "brandscan_connections_header_timeout_total") >= 40.0);
    assert!(srv.log().contains("--header-timeout"), "{}", srv.log());
}

/// Idle connections fill the limit: a new client takes the place of the one idle
/// longest and is served at once, so idle sockets cannot lock clients out.
#[test]
fn idle_connections_make_room_at_the_limit() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-connections",
        "20",
        "--idle-timeout",
        "60s",
    ]);
    let mut idle: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(srv.addr).unwrap())
        .collect();
    // Connections are accepted in the order they came, so these requests come after
    // the 20 idle ones have taken every place.
    for _ in 0..5 {
        let r = post(srv.addr, "/v1/check", &json!({"title": "Rolex"}));
        assert_eq!(r.status, 200, "a new client past the limit of idle ones");
    }
    // One idle connection made room; each client closes its own when answered.
    assert!(metric(srv.addr, "brandscan_connections_evicted_total") >= 1.0);
    assert_eq!(metric(srv.addr, "brandscan_connections_refused_total"), 0.0);
    // The oldest idle sockets were the ones closed.
    eventually(10, "the oldest idle connection was not closed", || {
        closed_by_server(&mut idle[0])
    });
    assert!(
        !closed_by_server(&mut idle[19]),
        "the newest idle one stays open"
    );
    assert!(srv.log().contains("--max-connections"), "{}", srv.log());
}

/// Connections that all have a request under way fill the limit: one more is told 503
/// at once, and once the header timeout closes them new clients are served.
#[test]
fn busy_connections_past_the_limit_refuse_more() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-connections",
        "20",
        "--header-timeout",
        "5s",
    ]);
    let mut slow = partial_headers(srv.addr, 20);
    // One more connection, also with a partial header, until one is refused. Until
    // the server has read a connection's first bytes it looks idle and may be closed to
    // make room; every new one stays partial, so the limit fills with partial headers.
    let mut refused = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    while refused.is_none() && Instant::now() < deadline {
        let mut s = partial_headers(srv.addr, 1).remove(0);
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 1024];
        match s.read(&mut buf) {
            Ok(n) if n > 0 => {
                let mut raw = buf[..n].to_vec();
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let _ = s.read_to_end(&mut raw);
                refused = parse_reply(&raw).ok().filter(|r| r.status == 503);
            }
            _ => slow.push(s),
        }
    }
    let r = refused.expect("a connection past the limit is refused with 503");
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("--max-connections"));
    eventually(20, "slow connections were not closed", || {
        slow.iter_mut().all(closed_by_server)
    });
    assert_eq!(
        post(srv.addr, "/v1/check", &json!({"title": "Rolex"})).status,
        200
    );
    assert!(metric(srv.addr, "brandscan_connections_refused_total") >= 1.0);
    assert!(srv.log().contains("--max-connections"), "{}", srv.log());
}

/// Two clients loop on bodies that take far longer than the deadline: they get 503,
/// their checks stop (nothing stays in flight), and a third client's small requests
/// are all answered within the same deadline.
#[test]
fn pathological_bodies_are_stopped_and_others_served() {
    let wl = rules();
    let srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--max-body",
        "8MiB",
        "--timeout-ms",
        "1500",
    ]);
    let addr = srv.addr;
    let body = Arc::new(pathological(1));
    let stop = Arc::new(AtomicBool::new(false));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let attackers: Vec<_> = (0..2)
        .map(|_| {
            let (body, stop, statuses) = (body.clone(), stop.clone(), statuses.clone());
            thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    if let Ok(r) = http(addr, "POST", "/v1/check", &body) {
                        statuses.lock().unwrap().push(r.status);
                    }
                }
            })
        })
        .collect();
    eventually(60, "no pathological body was answered", || {
        !statuses.lock().unwrap().is_empty()
    });
    for i in 0..20 {
        let r = post(
            addr,
            "/v1/check",
            &json!({"id": i, "title": "Strap for Rolex"}),
        );
        assert_eq!(r.status, 200, "request {i} under attack: {}", r.body);
        assert_eq!(r.json()["verdict"], "remove");
    }
    stop.store(true, Ordering::SeqCst);
    for a in attackers {
        a.join().unwrap();
    }
    let statuses = statuses.lock().unwrap().clone();
    assert!(statuses.iter().all(|&s| s == 503), "{statuses:?}");
    eventually(10, "cancelled checks kept running", || {
        metric(addr, "brandscan_checks_in_flight") == 0.0
    });
    assert!(metric(addr, "brandscan_checks_cancelled_total") >= 1.0);
    assert!(srv.log().contains("at its deadline"), "{}", srv.log());
}

/// Ten reloads at once of a 10k-term list: all answered, built at most a few times,
/// and the memory afterwards close to what one set of lists needs.
#[cfg(target_os = "linux")]
#[test]
fn concurrent_reloads_coalesce_and_give_memory_back() {
    let terms: String = (0..10_000)
        .map(|i| format!("zq{i:05}brand{}\n", i % 97))
        .collect();
    let (dir, wl) = wordlist("big.txt", &terms);
    let wl_arg = wl.display().to_string();
    let srv = Server::start(&["--no-builtin", "-w", &wl_arg, "--reload-token", "t"]);
    let rss = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", srv.child.id())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .unwrap()
            .to_string();
        line.split_whitespace()
            .nth(1)
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let before = rss();
    let addr = srv.addr;
    let host = addr.to_string();
    let replies: Vec<_> = (0..10)
        .map(|_| {
            let host = host.clone();
            thread::spawn(move || {
                let h = [
                    ("Host", host.as_str()),
                    ("Content-Type", "application/json"),
                    ("Authorization", "Bearer t"),
                ];
                http_with(addr, "POST", "/v1/reload", &h, b"{}").unwrap()
            })
        })
        .collect();
    for r in replies {
        let r = r.join().unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["rules"], 10_000);
    }
    let builds = metric(addr, "brandscan_reloads_total{outcome=\"ok\"}");
    assert!(
        (1.0..10.0).contains(&builds),
        "{builds} builds for 10 reloads"
    );
    let after = rss();
    assert!(
        after < before * 2 + 64 * 1024,
        "RSS {before} kB before, {after} kB after 10 reloads"
    );
    assert_eq!(
        post(addr, "/v1/check", &json!({"t": "zq00042brand42"})).json()["verdict"],
        "remove"
    );
    drop(dir);
}

/// SIGTERM while a client is stuck half-way through its header, another idles and a
/// long check runs: the server stops within the shutdown timeout (plus margin).
#[test]
fn sigterm_with_stuck_clients_stops() {
    let wl = rules();
    let mut srv = Server::start(&[
        "--no-builtin",
        "-w",
        &wl,
        "--shutdown-timeout",
        "1s",
        "--header-timeout",
        "60s",
        "--idle-timeout",
        "60s",
        "--timeout-ms",
        "60000",
        "--max-body",
        "8MiB",
    ]);
    let addr = srv.addr;
    let mut stuck = TcpStream::connect(addr).unwrap();
    stuck
        .write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let _idle = TcpStream::connect(addr).unwrap();
    let body = pathological(1);
    let long = thread::spawn(move || http(addr, "POST", "/v1/check", &body));
    eventually(30, "the long check did not start", || {
        metric(addr, "brandscan_checks_in_flight") >= 1.0
    });
    srv.signal("-TERM");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = srv.child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not stop: {}",
            srv.log()
        );
        thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let _ = long.join();
    let log = srv.log();
    assert!(log.contains("shutting down"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}
