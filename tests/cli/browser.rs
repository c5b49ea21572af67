//! The seller page in a real browser, for the page's tests: Debian's chromium, driven
//! over WebDriver by chromedriver (`.ci/run` installs `chromium-driver` where it is
//! missing), and waits and reads on what it shows.

use crate::server::Server;
use crate::util::*;
use fantoccini::{elements::Element, key::Key, Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One browser at a time: two cores do not run several chromiums and a build well.
pub(crate) static BROWSER: Mutex<()> = Mutex::new(());

/// chromedriver on a free port; killed when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// `None` (and a note) outside CI when the browser is not installed; CI must have it.
    pub(crate) fn start() -> Option<Driver> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install chromium and chromium-driver (.ci/run does)"
            );
            eprintln!("page tests skipped: {CHROMIUM} or {CHROMEDRIVER} missing");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless browser session whose downloads land in `downloads`.
pub(crate) async fn browser(driver: &Driver, downloads: &Path, width: u32) -> Client {
    let mut caps = serde_json::Map::new();
    let mut options = json!({
        "binary": CHROMIUM,
        "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                 "--disable-gpu", format!("--window-size={},1000", width.max(800)), "--lang=en-US"],
        "prefs": {
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        }
    });
    if width < 800 {
        // A window is never narrower than 500 px: a phone's width is emulated.
        options["mobileEmulation"] =
            json!({"deviceMetrics": {"width": width, "height": 844, "pixelRatio": 1.0}});
    }
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

pub(crate) fn page_server(extra: &[&str]) -> Server {
    let mut args = vec!["--no-config", "--no-access-log"];
    args.extend_from_slice(extra);
    Server::start(&args)
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Wait until `f` gives `Some`, or fail with `what`.
pub(crate) async fn until<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn text_of(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

pub(crate) async fn count(c: &Client, css: &str) -> usize {
    c.find_all(Locator::Css(css)).await.map_or(0, |v| v.len())
}

pub(crate) async fn visible(c: &Client, id: &str) -> bool {
    match c.find(Locator::Id(id)).await {
        Ok(e) => e.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

pub(crate) async fn wait_visible(c: &Client, id: &str) {
    until(&format!("#{id} to show"), || async {
        visible(c, id).await.then_some(())
    })
    .await;
}

/// A figure shown by the page, as a number.
pub(crate) async fn figure(c: &Client, css: &str) -> u64 {
    until(&format!("a number in {css}"), || async {
        text_of(c, css).await.trim().parse().ok()
    })
    .await
}

pub(crate) async fn active_id(c: &Client) -> String {
    let e: Element = c.active_element().await.expect("a focused element");
    e.attr("id").await.ok().flatten().unwrap_or_default()
}

/// Press Tab until the element `id` has the focus, as a keyboard user would.
pub(crate) async fn tab_to(c: &Client, id: &str) {
    for _ in 0..80 {
        if active_id(c).await == id {
            return;
        }
        press(c, Key::Tab).await;
    }
    panic!("#{id} cannot be reached with Tab");
}

/// One key pressed on whatever has the focus.
pub(crate) async fn press(c: &Client, key: Key) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let value: char = key.into();
    let keys = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    c.perform_actions(keys).await.expect("a key press");
}

/// The totals the page shows after a scan, in [`cli_counts`]'s order: rows read,
/// flagged, remove, hide, review, findings.
pub(crate) async fn page_totals(c: &Client) -> Vec<u64> {
    let mut got = Vec::new();
    for key in [
        "rows_read",
        "listings_flagged",
        "remove",
        "hide",
        "review",
        "findings",
    ] {
        got.push(figure(c, &format!("#totals dd[data-key={key}]")).await);
    }
    got
}

/// The CLI's summary paragraph as numbers: rows read, flagged, remove, hide, review,
/// findings.
pub(crate) fn cli_counts(catalog: &Path, extra: &[&str]) -> Vec<u64> {
    let r = run(brandscan()
        .args(["--no-config", "scan", "-f", "listings", "-o", "/dev/null"])
        .arg(catalog)
        .args(extra));
    let p = r
        .stderr
        .lines()
        .find(|l| l.contains(" flagged: "))
        .expect("a summary paragraph")
        .to_string();
    let re = regex::Regex::new(
        r"read (\d+) rows? .*?; (\d+) listings? flagged: (\d+) remove, (\d+) hide, (\d+) review; (\d+) findings?",
    )
    .expect("regex");
    let c = re
        .captures(&p)
        .unwrap_or_else(|| panic!("unexpected paragraph {p}"));
    (1..=6).map(|i| c[i].parse().expect("number")).collect()
}

pub(crate) fn screenshots_dir() -> PathBuf {
    let d = repo("target/page-screenshots");
    std::fs::create_dir_all(&d).expect("screenshot dir");
    d
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("a screenshot");
    std::fs::write(screenshots_dir().join(name), &png).expect("write screenshot");
    if std::env::var_os("BRANDSCAN_UPDATE_SCREENSHOTS").is_some() {
        std::fs::write(repo("docs").join(name), &png).expect("write docs screenshot");
    }
}

/// Wait for a finished download named like `*suffix` in `dir`.
pub(crate) async fn downloaded(dir: &Path, suffix: &str) -> PathBuf {
    until(&format!("a download ending in {suffix}"), || async {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.to_string_lossy().ends_with(suffix)
                    && !p.to_string_lossy().ends_with(".crdownload")
            })
    })
    .await
}
