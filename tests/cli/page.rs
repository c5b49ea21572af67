//! The seller page in a real browser: Debian's chromium, driven over WebDriver by
//! chromedriver (`.ci/run` installs `chromium-driver` where it is missing). What the page
//! shows is compared with what the command line gives on the same file.
//!
//! Screenshots at 390 and 1280 px go to `target/page-screenshots/`; with
//! `BRANDSCAN_UPDATE_SCREENSHOTS=1` they also replace the ones in `docs/`.

use crate::browser::*;
use crate::serve::{http_with, Server};
use crate::util::*;
use fantoccini::{key::Key, Locator};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[test]
fn typing_a_title_shows_marks_and_the_verdict_and_clearing_removes_them() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let Some(driver) = Driver::start() else {
        return;
    };
    let server = page_server(&[]);
    let dl = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let c = browser(&driver, dl.path(), 1280).await;
        c.goto(&format!("http://{}/", server.addr))
            .await
            .expect("page");
        wait_visible(&c, "app").await;
        let title = c.find(Locator::Id("title")).await.expect("title box");
        title
            .send_keys("AAA Replica Rolex Submariner watch")
            .await
            .expect("typing");
        until("a marked word", || async {
            (count(&c, "#title-marked mark").await > 0).then_some(())
        })
        .await;
        // The counterfeit wording is marked first, a finding of its own.
        let marked = text_of(&c, "#title-marked mark").await;
        assert_eq!(marked, "AAA");
        let verdict = text_of(&c, "#verdict").await;
        assert!(verdict.to_lowercase().contains("remove"), "{verdict}");
        let why = text_of(&c, "#findings").await;
        assert!(
            why.contains("Rolex") && why.contains("counterfeit"),
            "{why}"
        );
        // A counterfeit listing is left for a person: no clean title is offered.
        until("the note that fix leaves it", || async {
            visible(&c, "left").await.then_some(())
        })
        .await;
        assert!(!visible(&c, "suggestion").await);

        // A plain brand word gets a suggestion, as `fix` would write it.
        title.clear().await.expect("clear");
        title
            .send_keys("Nike running shoes for men")
            .await
            .expect("typing");
        until("a clean title", || async {
            visible(&c, "suggestion").await.then_some(())
        })
        .await;
        let clean = text_of(&c, "#clean-title").await;
        let fixed = run(brandscan()
            .args(["--no-config", "fix", "--dry-run", "-"])
            .write_stdin("id,title\n1,Nike running shoes for men\n"));
        assert!(
            fixed.stdout.contains(&format!(",{clean}")),
            "page {clean:?} vs fix {}",
            fixed.stdout
        );

        // Clearing the box takes the marks and the verdict away.
        title.clear().await.expect("clear");
        title.send_keys(" ").await.expect("typing");
        title
            .send_keys(&Key::Backspace.to_string())
            .await
            .expect("typing");
        until("the marks to go", || async {
            (count(&c, "#title-marked mark").await == 0 && text_of(&c, "#verdict").await.is_empty())
                .then_some(())
        })
        .await;
        assert!(!visible(&c, "title-marked").await);
        assert!(!visible(&c, "suggestion").await);
        c.close().await.expect("close");
    });
}

#[test]
fn an_uploaded_catalog_gives_the_cli_counts_fix_bytes_and_audit_figures() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let Some(driver) = Driver::start() else {
        return;
    };
    let server = page_server(&[]);
    let dl = tempfile::tempdir().expect("tempdir");
    let catalog = repo("examples/catalog.csv");
    runtime().block_on(async {
        let c = browser(&driver, dl.path(), 1280).await;
        c.goto(&format!("http://{}/", server.addr))
            .await
            .expect("page");
        wait_visible(&c, "app").await;
        let file = c.find(Locator::Id("file")).await.expect("file input");
        file.send_keys(&catalog.display().to_string())
            .await
            .expect("upload");
        wait_visible(&c, "results").await;

        // The same counts as `brandscan scan`.
        let want = cli_counts(&catalog, &[]);
        let got = page_totals(&c).await;
        assert_eq!(got, want, "page totals vs scan's paragraph");

        // The report is the HTML report, in the page.
        c.enter_frame(0).await.expect("the report frame");
        let rows = count(&c, "#listings tbody tr").await;
        c.enter_parent_frame().await.expect("back to the page");
        assert_eq!(rows as u64, want[1], "report rows vs flagged listings");

        // The cleaned catalog is byte for byte `brandscan fix`'s.
        let link = until("the cleaned catalog", || async {
            c.find(Locator::Css("#downloads a[data-file='cleaned.csv']"))
                .await
                .ok()
        })
        .await;
        link.click().await.expect("download");
        let got = downloaded(dl.path(), "-cleaned.csv").await;
        let cli = tempfile::tempdir().expect("tempdir");
        let want_path = cli.path().join("cleaned.csv");
        run(brandscan()
            .args(["--no-config", "fix", "-q", "-o"])
            .arg(&want_path)
            .arg(&catalog));
        let got_bytes = std::fs::read(&got).expect("downloaded file");
        assert!(!got_bytes.is_empty());
        assert_eq!(
            got_bytes,
            std::fs::read(&want_path).expect("fix output"),
            "downloaded cleaned catalog vs brandscan fix"
        );

        // After a complaint: the audit's figures equal `audit -f json`.
        let search = c.find(Locator::Id("brand-search")).await.expect("search");
        search.send_keys("Rolex").await.expect("typing");
        let box_ = until("Rolex in the brand list", || async {
            c.find(Locator::Css("#brand-list input[value='Rolex']"))
                .await
                .ok()
        })
        .await;
        box_.click().await.expect("pick Rolex");
        c.find(Locator::Id("run-audit"))
            .await
            .expect("button")
            .click()
            .await
            .expect("run the audit");
        wait_visible(&c, "audit-results").await;
        let audit = run(brandscan()
            .args(["--no-config", "audit", "--brand", "Rolex", "-f", "json"])
            .arg(&catalog));
        let want: Value = serde_json::from_str(&audit.stdout).expect("audit json");
        let store = &want["store"];
        assert_eq!(
            figure(&c, "#exposure dd[data-key=listings]").await,
            store["listings"].as_u64().expect("n")
        );
        assert_eq!(
            figure(&c, "#exposure dd[data-key=complaints]").await,
            store["complaints"].as_u64().expect("n")
        );
        let penalty = text_of(&c, "#exposure dd[data-key=worst_case]").await;
        assert!(
            penalty.starts_with(store["worst_case"]["penalty"].as_str().expect("s")),
            "{penalty}"
        );
        c.set_window_size(1280, 2400).await.expect("a tall window");
        c.execute("window.scrollTo(0, 0);", vec![])
            .await
            .expect("scroll");
        screenshot(&c, "page-1280.png").await;
        for b in want["brands"].as_array().expect("brands") {
            let name = b["brand"].as_str().expect("brand");
            for key in ["listings", "serious", "general"] {
                let css = format!("#brand-table tr[data-brand='{name}'] td[data-key={key}]");
                assert_eq!(figure(&c, &css).await, b[key].as_u64().expect("n"), "{css}");
            }
        }
        c.close().await.expect("close");
    });
}

#[test]
fn the_whole_flow_works_with_the_keyboard_alone_at_a_phone_width() {
    let _one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    let Some(driver) = Driver::start() else {
        return;
    };
    let server = page_server(&[]);
    let dl = tempfile::tempdir().expect("tempdir");
    let catalog = repo("examples/catalog.csv");
    runtime().block_on(async {
        let c = browser(&driver, dl.path(), 390).await;
        c.goto(&format!("http://{}/", server.addr))
            .await
            .expect("page");
        wait_visible(&c, "app").await;
        // Nothing is wider than the phone's screen.
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await
            .expect("script");
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "page overflows by {overflow}"
        );

        tab_to(&c, "title").await;
        let typing = c.active_element().await.expect("focus");
        typing.send_keys("Rolex strap").await.expect("typing");
        until("a verdict", || async {
            (!text_of(&c, "#verdict").await.is_empty()).then_some(())
        })
        .await;
        screenshot(&c, "page-390.png").await;

        // The file picker is reached with Tab; WebDriver stands in for the system's file
        // dialog that Enter or Space opens.
        tab_to(&c, "file").await;
        let picker = c.active_element().await.expect("focus");
        picker
            .send_keys(&catalog.display().to_string())
            .await
            .expect("upload");
        wait_visible(&c, "results").await;
        until("the scan to finish", || async {
            (count(&c, "#downloads a[data-file='cleaned.csv']").await == 1).then_some(())
        })
        .await;

        tab_to(&c, "brand-search").await;
        c.active_element()
            .await
            .expect("focus")
            .send_keys("rolex")
            .await
            .expect("typing");
        until("Rolex in the list", || async {
            (count(&c, "#brand-list input[value='Rolex']").await == 1).then_some(())
        })
        .await;
        let rolex_id = c
            .find(Locator::Css("#brand-list input[value='Rolex']"))
            .await
            .expect("Rolex")
            .attr("id")
            .await
            .expect("id")
            .expect("an id");
        tab_to(&c, &rolex_id).await;
        press(&c, Key::Space).await;
        tab_to(&c, "run-audit").await;
        press(&c, Key::Enter).await;
        wait_visible(&c, "audit-results").await;
        assert!(figure(&c, "#exposure dd[data-key=listings]").await > 0);

        // The brand's cleaned catalog downloads with Enter.
        let link = c
            .find(Locator::Css(
                "#audit-downloads a[data-file='brand-cleaned.csv']",
            ))
            .await
            .expect("link");
        let link_id = "brand-cleaned-link";
        c.execute(
            "arguments[0].id = arguments[1];",
            vec![
                serde_json::to_value(&link).expect("element"),
                json!(link_id),
            ],
        )
        .await
        .expect("script");
        tab_to(&c, link_id).await;
        press(&c, Key::Enter).await;
        let got = downloaded(dl.path(), "-brand-cleaned.csv").await;
        let cli = tempfile::tempdir().expect("tempdir");
        let want = cli.path().join("c.csv");
        run(brandscan()
            .args(["--no-config", "fix", "-q", "--brand", "Rolex", "-o"])
            .arg(&want)
            .arg(&catalog));
        assert_eq!(
            std::fs::read(got).expect("download"),
            std::fs::read(want).expect("fix")
        );
        c.close().await.expect("close");
    });
}

/// The page's safety without a browser: CSP, the token, other origins, limits, paths.
#[test]
fn the_page_is_safe_to_leave_running() {
    let server = page_server(&["--token", "s3cret", "--max-upload", "1KiB"]);
    let addr: SocketAddr = server.addr;
    let host = addr.to_string();
    let get = |path: &str, headers: &[(&str, &str)]| {
        let mut h = vec![("Host", host.as_str())];
        h.extend_from_slice(headers);
        http_with(addr, "GET", path, &h, b"").expect("answered")
    };
    let page = get("/", &[]);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert!(!page.body.contains("<script>"), "no inline script");

    // The API asks for the token; the sign-in gives a cookie that is not the token.
    assert_eq!(get("/v1/brands", &[]).status, 401);
    let check = http_with(
        addr,
        "POST",
        "/v1/check",
        &[("Host", &host)],
        br#"{"title":"Nike"}"#,
    )
    .expect("answered");
    assert_eq!(check.status, 401);
    assert_eq!(
        get("/v1/brands", &[("Authorization", "Bearer s3cret")]).status,
        200
    );
    let bad = http_with(
        addr,
        "POST",
        "/v1/signin",
        &[("Host", &host)],
        br#"{"token":"nope"}"#,
    )
    .expect("answered");
    assert_eq!(bad.status, 401);
    let ok = http_with(
        addr,
        "POST",
        "/v1/signin",
        &[("Host", &host)],
        br#"{"token":"s3cret"}"#,
    )
    .expect("answered");
    let cookie = ok.header("set-cookie").expect("a cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("s3cret"));
    let pair = cookie.split(';').next().expect("name=value");
    assert_eq!(get("/v1/brands", &[("Cookie", pair)]).status, 200);

    // Another origin, or a name that is not this service's, is refused.
    let auth = ("Authorization", "Bearer s3cret");
    let cross = http_with(
        addr,
        "POST",
        "/v1/jobs?name=x.csv",
        &[("Host", &host), ("Origin", "http://evil.example"), auth],
        b"id,title\n1,Nike\n",
    )
    .expect("answered");
    assert_eq!(cross.status, 403, "{}", cross.body);
    let rebound = http_with(
        addr,
        "GET",
        "/v1/brands",
        &[("Host", "evil.example"), auth],
        b"",
    )
    .expect("answered");
    assert_eq!(rebound.status, 403);

    // Over --max-upload: 413 before the body is read.
    let big = vec![b'a'; 2048];
    let r = http_with(
        addr,
        "POST",
        "/v1/jobs?name=big.csv",
        &[("Host", &host), auth],
        &big,
    )
    .expect("answered");
    assert_eq!(r.status, 413, "{}", r.body);

    // A name with a path in it stays a name; files are only the job's own.
    let r = http_with(
        addr,
        "POST",
        "/v1/jobs?name=..%2F..%2Fetc%2Fpasswd",
        &[("Host", &host), auth],
        b"id,title\n1,Nike shoe\n",
    )
    .expect("answered");
    assert_eq!(r.status, 202, "{}", r.body);
    let id = r.json()["id"].as_str().expect("an id").to_string();
    let status = until_done(&get, &id, auth);
    assert_eq!(status["name"], "passwd");
    assert_eq!(status["scan"]["result"]["remove"], 1);
    for evil in [
        "../catalog.csv",
        "..%2Fcatalog.csv",
        "catalog.csv",
        "/etc/passwd",
    ] {
        let r = get(&format!("/v1/jobs/{id}/files/{evil}"), &[auth]);
        assert_eq!(r.status, 404, "{evil}: {}", r.body);
    }
    let report = get(&format!("/v1/jobs/{id}/files/report.html"), &[auth]);
    assert_eq!(report.status, 200);
    assert!(report
        .header("content-security-policy")
        .expect("a CSP")
        .contains("sandbox allow-scripts"));
    let findings = get(&format!("/v1/jobs/{id}/files/findings.csv"), &[auth]);
    assert!(findings
        .header("content-disposition")
        .expect("an attachment")
        .contains("passwd-findings.csv"));

    // Deleting removes the job and its files.
    let r = http_with(
        addr,
        "DELETE",
        &format!("/v1/jobs/{id}"),
        &[("Host", &host), auth],
        b"",
    )
    .expect("answered");
    assert_eq!(r.status, 200);
    assert_eq!(get(&format!("/v1/jobs/{id}"), &[auth]).status, 404);
}

/// A GET with extra headers.
type Get<'a> = dyn Fn(&str, &[(&str, &str)]) -> crate::serve::Reply + 'a;

fn until_done(get: &Get<'_>, id: &str, auth: (&str, &str)) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = get(&format!("/v1/jobs/{id}"), &[auth]).json();
        if s["scan"]["state"] == "done" {
            return s;
        }
        assert_ne!(s["scan"]["state"], "failed", "{s}");
        assert!(Instant::now() < deadline, "the job never finished: {s}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `--max-jobs` refuses one more upload with a message, and the files go at shutdown.
#[test]
fn jobs_are_limited_and_removed_at_shutdown() {
    let server = page_server(&["--max-jobs", "1"]);
    let addr = server.addr;
    let host = addr.to_string();
    // An upload that has sent its header but not its body holds the one slot.
    let mut slow = TcpStream::connect(addr).expect("connect");
    std::io::Write::write_all(
        &mut slow,
        format!("POST /v1/jobs?name=a.csv HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100\r\n\r\nid,title\n")
            .as_bytes(),
    )
    .expect("write");
    std::thread::sleep(Duration::from_millis(300));
    let r = http_with(
        addr,
        "POST",
        "/v1/jobs?name=b.csv",
        &[("Host", &host)],
        b"id,title\n1,x\n",
    )
    .expect("answered");
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.json()["error"]
        .as_str()
        .expect("message")
        .contains("--max-jobs"));
    drop(slow);
    let r = until_ok(|| {
        let r = http_with(
            addr,
            "POST",
            "/v1/jobs?name=b.csv",
            &[("Host", &host)],
            b"id,title\n1,x\n",
        )
        .expect("answered");
        (r.status == 202).then_some(r)
    });
    let id = r.json()["id"].as_str().expect("id").to_string();
    let log = server.log();
    let _ = log;
    // The jobs' directory is under the temp dir, named by the server; find it by the id.
    let dir = std::fs::read_dir(std::env::temp_dir())
        .expect("temp dir")
        .flatten()
        .map(|e| e.path().join(&id))
        .find(|p| p.exists())
        .expect("the job's directory");
    server.signal("-TERM");
    // The whole directory goes, the uploads' root with it.
    let root = dir.parent().expect("root").to_path_buf();
    let deadline = Instant::now() + Duration::from_secs(20);
    while root.exists() {
        assert!(Instant::now() < deadline, "{} still there", root.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn until_ok<T>(mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `serve` on loopback with its temporary files under `tmp`.
fn page_server_in(tmp: &Path, extra: &[&str]) -> Server {
    let mut args = vec!["--listen", "127.0.0.1:0", "--no-config", "--no-access-log"];
    args.extend_from_slice(extra);
    Server::start_with(None, &[("TMPDIR", tmp)], &args)
}

/// The server's directories under `tmp`.
fn page_dirs(tmp: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(tmp)
        .expect("the test's temp dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

fn upload(server: &Server, name: &str, body: &[u8]) -> String {
    let host = server.addr.to_string();
    let r = http_with(
        server.addr,
        "POST",
        &format!("/v1/jobs?name={name}"),
        &[("Host", &host)],
        body,
    )
    .expect("answered");
    assert_eq!(r.status, 202, "{}", r.body);
    r.json()["id"].as_str().expect("an id").to_string()
}

/// Nothing is written until a catalog is uploaded; the directory then carries the pid,
/// and a server started after one was killed removes what the killed one left.
#[test]
fn the_uploads_directory_is_made_on_demand_and_swept_after_a_kill() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let first = page_server_in(tmp.path(), &[]);
    assert_eq!(
        page_dirs(tmp.path()),
        Vec::<PathBuf>::new(),
        "nothing at start"
    );
    let id = upload(&first, "a.csv", b"id,title\n1,Nike shoe\n");
    let dirs = page_dirs(tmp.path());
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let name = dirs[0]
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a name");
    assert!(
        name.starts_with(&format!("brandscan-page-{}-", first.child.id())),
        "{name}"
    );
    assert!(dirs[0].join(&id).is_dir());
    // A directory of someone else's making, under a name that is not the server's, stays.
    let foreign = tmp.path().join("brandscan-page-notapid");
    std::fs::create_dir(&foreign).expect("mkdir");

    let mut first = first;
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("reaped");
    assert!(dirs[0].exists(), "a killed server cannot clean up");

    let second = page_server_in(tmp.path(), &[]);
    assert!(!dirs[0].exists(), "the killed server's directory is swept");
    assert_eq!(page_dirs(tmp.path()), vec![foreign]);
    assert!(
        second.log().contains("removed 1 upload directory"),
        "{}",
        second.log()
    );
}

/// A job not used for `--job-ttl` is deleted with its files, and the API forgets it.
#[test]
fn a_job_goes_after_its_time_to_live() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let server = page_server_in(tmp.path(), &["--job-ttl", "1s"]);
    let host = server.addr.to_string();
    let id = upload(&server, "a.csv", b"id,title\n1,Nike shoe\n");
    let root = page_dirs(tmp.path()).pop().expect("the uploads directory");
    let job = root.join(&id);
    assert!(job.is_dir());
    // Watch the files, not the API: asking for the job counts as using it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while job.exists() {
        assert!(Instant::now() < deadline, "{} still there", job.display());
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = http_with(
        server.addr,
        "GET",
        &format!("/v1/jobs/{id}"),
        &[("Host", &host)],
        b"",
    )
    .expect("answered");
    assert_eq!(r.status, 404, "{}", r.body);
}
