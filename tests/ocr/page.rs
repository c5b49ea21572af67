//! The seller page of a build with pictures, in a real browser (the page tests' chromium
//! and chromedriver): pictures chosen for a listing, and a `.zip` of a catalog with its
//! pictures. What the page shows is compared with what the command line gives on the
//! same pictures.

use crate::browser::*;
use crate::server::Server;
use crate::util::{brandscan, run};
use crate::{catalog, data, models};
use fantoccini::Locator;
use std::io::Write;
use std::path::Path;

/// The words list and the picture cache of a test in `dir`, as `serve` flags.
fn server_flags(dir: &Path) -> Vec<String> {
    let (_, list) = catalog(dir);
    vec![
        "--no-builtin".into(),
        "-w".into(),
        list.display().to_string(),
        "--image-cache".into(),
        dir.join("cache").display().to_string(),
    ]
}

/// One test's browser, directory and server. Fields drop in order: the server stops
/// before the browser lock is let go.
struct PageTest {
    server: Server,
    flags: Vec<String>,
    dir: tempfile::TempDir,
    driver: Driver,
    _one: std::sync::MutexGuard<'static, ()>,
}

impl PageTest {
    /// `None` where the page tests skip (no chromium) or the picture tests do (no models).
    fn start() -> Option<PageTest> {
        models()?;
        let one = BROWSER.lock().unwrap_or_else(|p| p.into_inner());
        let driver = Driver::start()?;
        let dir = tempfile::tempdir().expect("tempdir");
        let flags = server_flags(dir.path());
        let server = page_server(&flags.iter().map(String::as_str).collect::<Vec<_>>());
        Some(PageTest {
            server,
            flags,
            dir,
            driver,
            _one: one,
        })
    }
}

#[test]
fn the_page_reads_the_pictures_chosen_for_a_listing_as_check_image_does() {
    let Some(t) = PageTest::start() else {
        return;
    };
    let (driver, dir, server) = (&t.driver, &t.dir, &t.server);
    let flags: Vec<&str> = t.flags.iter().map(String::as_str).collect();
    // Nike on a plain background, and a brand-free picture.
    let (nike, plain) = (data("a1.png"), data("a5.jpg"));
    // What `check --image` finds in the same two pictures.
    let cli = run(brandscan()
        .args(["--no-config", "check", "--format", "json"])
        .args(&flags)
        .arg("--image")
        .arg(&nike)
        .arg("--image")
        .arg(&plain));
    let want: serde_json::Value = serde_json::from_str(&cli.stdout).expect("check's JSON");
    let want = want["findings"].as_array().expect("findings").clone();
    assert!(
        want.iter().any(|f| f["brand"] == "Nike"),
        "check --image: {want:?}"
    );
    runtime().block_on(async {
        let c = browser(driver, dir.path(), 1280).await;
        c.goto(&format!("http://{}/", server.addr))
            .await
            .expect("page");
        wait_visible(&c, "app").await;
        // A server that reads pictures offers the picture input.
        wait_visible(&c, "pictures-box").await;
        let input = c
            .find(Locator::Id("pictures"))
            .await
            .expect("picture input");
        input
            .send_keys(&format!("{}\n{}", nike.display(), plain.display()))
            .await
            .expect("choose pictures");
        // Pictures alone are a listing to check: no title is needed.
        until("a finding read in a picture", || async {
            text_of(&c, "#findings")
                .await
                .contains("in a picture")
                .then_some(())
        })
        .await;
        let msg = text_of(&c, "#pictures-msg").await;
        assert!(msg.starts_with("2 picture(s)"), "{msg}");
        let verdict = text_of(&c, "#verdict").await;
        assert!(verdict.to_lowercase().contains("review"), "{verdict}");
        // The same findings as `check --image`: each brand with the text as read.
        assert_eq!(count(&c, "#findings li").await, want.len());
        let shown = text_of(&c, "#findings").await;
        for f in &want {
            let read = format!(
                "read “{}” in a picture",
                f["matched"].as_str().expect("matched")
            );
            assert!(
                shown.contains(f["brand"].as_str().expect("brand")) && shown.contains(&read),
                "page {shown:?} vs check --image {f}"
            );
        }
        // A title's findings join the pictures', and the worst sets the verdict.
        let title = c.find(Locator::Id("title")).await.expect("title box");
        title.send_keys("Rolex strap").await.expect("typing");
        until("the title's finding beside the picture's", || async {
            let shown = text_of(&c, "#findings").await;
            (shown.contains("Rolex") && shown.contains("in a picture")).then_some(())
        })
        .await;
        let verdict = text_of(&c, "#verdict").await;
        assert!(verdict.to_lowercase().contains("remove"), "{verdict}");
        assert_eq!(count(&c, "#title-marked mark").await, 1);
        c.close().await.expect("close");
    });
}

#[test]
fn the_page_scans_a_zip_of_a_catalog_and_its_pictures_as_scan_images_does() {
    let Some(t) = PageTest::start() else {
        return;
    };
    let (driver, dir, server) = (&t.driver, &t.dir, &t.server);
    let flags: Vec<&str> = t.flags.iter().map(String::as_str).collect();
    // The catalog and its pictures, unpacked for the command line and zipped for the page.
    let shop = dir.path().join("shop");
    let pictures = shop.join("pictures");
    std::fs::create_dir_all(&pictures).expect("mkdir");
    let csv = shop.join("catalog.csv");
    std::fs::write(
        &csv,
        "sku,title,image\n\
         Z1,Running shoes,https://cdn.example/p/a1.png?v=2\n\
         Z2,Watch strap,a3.png\n\
         Z3,Shoes,a5.jpg\n\
         Z4,Gucci belt,\n",
    )
    .expect("catalog");
    for name in ["a1.png", "a3.png", "a5.jpg"] {
        std::fs::copy(data(name), pictures.join(name)).expect("picture");
    }
    let zip_path = dir.path().join("shop.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).expect("zip"));
    let opts = zip::write::SimpleFileOptions::default();
    for rel in [
        "catalog.csv",
        "pictures/a1.png",
        "pictures/a3.png",
        "pictures/a5.jpg",
    ] {
        z.start_file(format!("shop/{rel}"), opts)
            .expect("zip entry");
        z.write_all(&std::fs::read(shop.join(rel)).expect("file"))
            .expect("zip write");
    }
    z.finish().expect("zip");
    let pictures_arg = pictures.display().to_string();
    let mut scan_flags = flags.clone();
    scan_flags.extend(["--images", pictures_arg.as_str()]);
    let want = cli_counts(&csv, &scan_flags);
    // Nike and Rolex in the pictures (review), Gucci in a title (remove).
    assert_eq!(want[1..5], [3, 1, 0, 2], "scan --images counts {want:?}");
    let downloads = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let c = browser(driver, downloads.path(), 1280).await;
        c.goto(&format!("http://{}/", server.addr))
            .await
            .expect("page");
        wait_visible(&c, "app").await;
        // A server that reads pictures takes a .zip and says what to put in it.
        wait_visible(&c, "zip-hint").await;
        let file = c.find(Locator::Id("file")).await.expect("file input");
        let accept = file.attr("accept").await.ok().flatten().unwrap_or_default();
        assert!(accept.ends_with(",.zip"), "{accept}");
        file.send_keys(&zip_path.display().to_string())
            .await
            .expect("upload");
        wait_visible(&c, "results").await;
        // The same counts as `brandscan scan --images` on the unpacked files.
        let got = page_totals(&c).await;
        assert_eq!(got, want, "page totals vs scan --images");
        let notes = until("the note on the pictures", || async {
            let t = text_of(&c, "#scan-notes").await;
            t.contains("picture(s)").then_some(t)
        })
        .await;
        assert!(notes.contains("its 3 picture(s)"), "{notes}");
        // The findings file is byte for byte `scan --images -f csv`'s.
        // The list of downloads is drawn again as the job finishes: find and click in
        // one step, again if the link went stale in between.
        until("the findings file", || async {
            let link = c
                .find(Locator::Css("#downloads a[data-file='findings.csv']"))
                .await
                .ok()?;
            link.click().await.ok()
        })
        .await;
        let got = downloaded(downloads.path(), "findings.csv").await;
        let cli = run(brandscan()
            .args([
                "--no-config",
                "scan",
                "-q",
                "-f",
                "csv",
                "--fail-on",
                "never",
            ])
            .args(&scan_flags)
            .arg(&csv));
        let page = std::fs::read_to_string(&got).expect("downloaded findings");
        assert!(page.contains(",image:image,"), "{page}");
        assert_eq!(page, cli.stdout, "page findings vs scan --images -f csv");
        // The cleaned catalog is the catalog the archive holds, as `fix` writes it (its
        // text only: a picture is not edited), not an archive.
        // The list of downloads is drawn again as the job finishes: find and click in
        // one step, again if the link went stale in between.
        until("the cleaned catalog", || async {
            let link = c
                .find(Locator::Css("#downloads a[data-file='cleaned.csv']"))
                .await
                .ok()?;
            link.click().await.ok()
        })
        .await;
        let got = downloaded(downloads.path(), "cleaned.csv").await;
        let want_path = dir.path().join("cleaned.csv");
        run(brandscan()
            .args(["--no-config", "fix", "-q", "--no-builtin", "-w"])
            .arg(flags[2])
            .arg("-o")
            .arg(&want_path)
            .arg(&csv));
        assert_eq!(
            std::fs::read(&got).expect("downloaded"),
            std::fs::read(&want_path).expect("fix output"),
            "downloaded cleaned catalog vs brandscan fix"
        );
        // The report in the page lists the flagged listings, pictures' findings too.
        c.enter_frame(0).await.expect("the report frame");
        let rows = count(&c, "#listings tbody tr").await;
        c.enter_parent_frame().await.expect("back to the page");
        assert_eq!(rows as u64, want[1], "report rows vs flagged listings");
        c.close().await.expect("close");
    });
}
