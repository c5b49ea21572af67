//! The `ocr` feature end to end: the real binary reads the pictures of tests/data/ocr/
//! (made by `cargo run --features ocr-eval --example ocr_synth -- --fixtures`).
//!
//! These tests need the models (`scripts/setup-ocr-models`). Without them they say so and
//! pass on a developer's machine; under CI (`CI` set) a missing model fails them.

// The integration tests' support: the server and the browser the page tests use.
#[allow(dead_code)]
#[path = "cli/browser.rs"]
mod browser;
#[allow(dead_code)]
#[path = "cli/server.rs"]
mod server;
#[allow(dead_code)]
#[path = "cli/util.rs"]
mod util;

// The page's picture input and its .zip upload, in a browser.
#[path = "ocr/page.rs"]
mod page;

use assert_cmd::Command;
use server::Server;
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

#[test]
fn csv_reports_of_a_picture_scan_carry_the_confidence_column() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (csv, list) = catalog(dir.path());
    let pics = data("");
    let base = [
        "scan",
        csv.to_str().unwrap(),
        "-w",
        list.to_str().unwrap(),
        "-f",
        "csv",
    ];
    let mut args = base.to_vec();
    args.extend(["--images", pics.to_str().unwrap()]);
    let out = run(&args, &dir.path().join("cache"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut rdr = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[10..],
        ["match_kind", "context", "confidence"],
        "{header:?}"
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let pictures: Vec<_> = rows.iter().filter(|r| r[10] == *"image_text").collect();
    assert!(pictures.len() >= 5, "{}", out.stdout);
    for r in &pictures {
        let c: f64 = r[12].parse().unwrap_or_else(|_| panic!("{r:?}"));
        assert!((0.5..=1.0).contains(&c), "{r:?}");
    }
    // Text findings have an empty confidence (the title "Shipping Co" rule is never hit,
    // so use a listing title that names a brand).
    std::fs::write(&csv, "sku,title,image\nT1,Nike socks,a5.jpg\n").unwrap();
    let out = run(&args, &dir.path().join("cache"));
    let rows = csv_lines(&out.stdout);
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    assert!(rows[1].ends_with(",exact,,"), "{}", out.stdout);
    // Without --images the columns are the usual twelve.
    let out = run(&base, &dir.path().join("cache"));
    assert!(
        out.stdout
            .starts_with("listing_id,row,field,start,end,matched,term,brand,severity,action,match_kind,context\n"),
        "{}",
        out.stdout
    );
}

fn csv_lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn the_picture_keys_of_brandscan_toml_are_read_and_flags_win() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (csv, list) = catalog(dir.path());
    let pics = data("");
    let config = dir.path().join("brandscan.toml");
    std::fs::write(
        &config,
        format!(
            "image_trust = 0.5\nimage_cache = 'cache'\n[scan]\nimages = '{}'\nformat = 'jsonl'\nfail_on = 'remove'\n",
            pics.display()
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let args = [
        "scan",
        csv.to_str().unwrap(),
        "-w",
        list.to_str().unwrap(),
        "--config",
        cfg,
    ];
    let out = Command::cargo_bin("brandscan")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // images from the file: the pictures are read; image_trust: A1's Nike keeps `remove`.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let found = findings(&stdout);
    assert!(
        found
            .iter()
            .any(|f| f["listing_id"] == "A1" && f["action"] == "remove"),
        "{stdout}"
    );
    // image_cache = 'cache' is relative to the file.
    assert!(dir.path().join("cache").is_dir(), "{stderr}");
    // A flag wins: with the pixel cap typed, A6 (2000 × 1500) is refused by name.
    let out = Command::cargo_bin("brandscan")
        .unwrap()
        .args(args)
        .args(["--image-max-pixels", "200000", "--no-image-cache"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than the limit of 200000"), "{stderr}");
}

/// `serve` on a free loopback port, without a brandscan.toml or access log.
fn serve(args: &[&str]) -> Server {
    browser::page_server(args)
}

/// POST `body` to /v1/check: the status and the JSON answer.
fn check_listing(srv: &Server, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let r = server::post(srv.addr, "/v1/check", body);
    (r.status, r.json())
}

/// One request on a fresh connection: the status and the body.
fn request(srv: &Server, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let r = server::http(srv.addr, method, path, body).expect("an answer");
    (r.status, r.body)
}

fn base64_of(path: &Path) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap())
}

#[test]
fn serve_reads_pictures_sent_with_a_listing() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, list) = catalog(dir.path());
    let cache = dir.path().join("cache");
    let srv = serve(&[
        "--no-builtin",
        "-w",
        list.to_str().unwrap(),
        "--image-cache",
        cache.to_str().unwrap(),
        "--max-body",
        "8MiB",
        "--timeout-ms",
        "120000",
    ]);
    let (status, v) = check_listing(
        &srv,
        &serde_json::json!({
            "id": "S1", "title": "Running shoes", "image_data": [base64_of(&data("a1.png"))]
        }),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["verdict"], "review", "{v}");
    let f = &v["findings"][0];
    assert_eq!(
        (&f["field"], &f["brand"], &f["match_kind"]),
        (&"image:image".into(), &"Nike".into(), &"image_text".into()),
        "{v}"
    );
    assert!(f["confidence"].as_f64().is_some_and(|c| c >= 0.5), "{v}");
    // A batch: a picture with its column, a data: URL of a brand-free picture, and the
    // text findings first as in `check --image`.
    let (status, v) = check_listing(
        &srv,
        &serde_json::json!({"listings": [
            {"id": "S2", "title": "Rolex strap",
             "image_data": [{"data": base64_of(&data("a3.png")), "column": "Image Src"}]},
            {"id": "S3", "title": "Shoes",
             "image_data": [format!("data:image/jpeg;base64,{}", base64_of(&data("a5.jpg")))]},
        ]}),
    );
    assert_eq!(status, 200, "{v}");
    let s2 = v["results"][0]["findings"].as_array().unwrap();
    assert_eq!(s2[0]["field"], "title");
    assert!(
        s2.iter()
            .any(|f| f["field"] == "image:Image Src" && f["brand"] == "Rolex"),
        "{v}"
    );
    assert_eq!(v["results"][1]["verdict"], "pass", "{v}");
    // What cannot be read is a 400 naming the listing and the picture.
    let (status, v) = check_listing(
        &srv,
        &serde_json::json!({"listings": [
            {"title": "mug"},
            {"title": "mug", "image_data": ["bm90IGEgcGljdHVyZQ=="]},
        ]}),
    );
    assert_eq!(status, 400, "{v}");
    let e = v["error"].as_str().unwrap();
    assert!(
        e.starts_with("listings[1].image_data[0]: not a picture"),
        "{e}"
    );
}

#[test]
fn serve_without_the_models_fails_picture_checks_only() {
    let dir = tempfile::tempdir().unwrap();
    let (_, list) = catalog(dir.path());
    let nowhere = dir.path().join("nowhere");
    let srv = serve(&[
        "--no-builtin",
        "-w",
        list.to_str().unwrap(),
        "--ocr-models",
        nowhere.to_str().unwrap(),
    ]);
    let (status, v) = check_listing(
        &srv,
        &serde_json::json!({"title": "Rolex", "image_data": ["TklLRQ=="]}),
    );
    assert_eq!(status, 500, "{v}");
    let e = v["error"].as_str().unwrap();
    assert!(
        e.contains("scripts/setup-ocr-models") && e.contains("nowhere"),
        "{e}"
    );
    let (status, v) = check_listing(&srv, &serde_json::json!({"title": "Rolex"}));
    assert_eq!((status, &v["verdict"]), (200, &"remove".into()), "{v}");
}

#[test]
fn the_page_scans_a_zip_of_a_catalog_and_its_pictures() {
    if models().is_none() {
        return;
    }
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (_, list) = catalog(dir.path());
    let zip_path = dir.path().join("shop.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    z.start_file("shop/catalog.csv", opts).unwrap();
    z.write_all(
        b"sku,title,image\nZ1,Running shoes,https://cdn.example/p/a1.png?v=2\nZ2,Shoes,a5.jpg\n",
    )
    .unwrap();
    for name in ["a1.png", "a5.jpg"] {
        z.start_file(format!("shop/pictures/{name}"), opts).unwrap();
        z.write_all(&std::fs::read(data(name)).unwrap()).unwrap();
    }
    z.finish().unwrap();
    let cache = dir.path().join("cache");
    let srv = serve(&[
        "--no-builtin",
        "-w",
        list.to_str().unwrap(),
        "--image-cache",
        cache.to_str().unwrap(),
    ]);
    let (status, body) = request(
        &srv,
        "POST",
        "/v1/jobs?name=shop.zip",
        &std::fs::read(&zip_path).unwrap(),
    );
    assert_eq!(status, 202, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let started = std::time::Instant::now();
    let job = loop {
        let (_, body) = request(&srv, "GET", &format!("/v1/jobs/{id}"), b"");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if v["scan"]["state"] != "running" && v["scan"]["state"] != "uploading" {
            break v;
        }
        assert!(started.elapsed().as_secs() < 300, "{v}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(job["scan"]["state"], "done", "{job}");
    assert!(
        job["scan"]["notes"].to_string().contains("2 picture(s)"),
        "{job}"
    );
    let (status, findings) = request(
        &srv,
        "GET",
        &format!("/v1/jobs/{id}/files/findings.csv"),
        b"",
    );
    assert_eq!(status, 200, "{findings}");
    let header = findings.lines().next().unwrap();
    assert!(header.ends_with(",context,confidence"), "{findings}");
    let nike: Vec<&str> = findings
        .lines()
        .filter(|l| l.starts_with("Z1,") && l.contains("image:image") && l.contains("Nike"))
        .collect();
    assert_eq!(nike.len(), 1, "{findings}");
    assert!(!findings.contains("\nZ2,"), "{findings}");
    // Deleting the job deletes the pictures with it.
    let (status, _) = request(&srv, "DELETE", &format!("/v1/jobs/{id}"), b"");
    assert_eq!(status, 200);
    let (status, _) = request(&srv, "GET", &format!("/v1/jobs/{id}"), b"");
    assert_eq!(status, 404);
}

#[test]
fn check_jsonl_reads_pictures_as_serve_does() {
    if models().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, list) = catalog(dir.path());
    let input = format!(
        "{}\n{}\n{}\n",
        serde_json::json!({"id": "J1", "title": "Running shoes", "image_data": [base64_of(&data("a1.png"))]}),
        serde_json::json!({"id": "J2", "title": "mug", "image_data": ["bm90IGEgcGljdHVyZQ=="]}),
        serde_json::json!({"id": "J3", "title": "Rolex"}),
    );
    let out = Command::cargo_bin("brandscan")
        .unwrap()
        .args(["check", "--jsonl", "--no-builtin", "-w"])
        .arg(&list)
        .arg("--image-cache")
        .arg(dir.path().join("cache"))
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = findings(&stdout);
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0]["verdict"], "review", "{stdout}");
    assert_eq!(lines[0]["findings"][0]["field"], "image:image");
    assert_eq!(lines[0]["findings"][0]["brand"], "Nike");
    let e = lines[1]["error"].as_str().unwrap();
    assert!(e.starts_with("line 2: image_data[0]: not a picture"), "{e}");
    assert_eq!(lines[2]["verdict"], "remove");
    assert_eq!(out.status.code(), Some(2));
}
