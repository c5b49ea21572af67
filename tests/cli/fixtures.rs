//! The real-looking exports in `tests/data/` scanned with `tests/data/wordlists/test_rules.csv`;
//! expected findings are the tables in `tests/data/README.md`.

use crate::util::*;

/// (listing_id, field, matched, term) of every finding, in output order.
fn findings(catalog: &str, extra: &[&str]) -> (Run, Vec<(String, String, String, String)>) {
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .args(extra)
        .arg(data(catalog)));
    let rows = csv_rows(&r.stdout)
        .into_iter()
        .map(|row| {
            (
                row["listing_id"].clone(),
                row["field"].clone(),
                row["matched"].clone(),
                row["term"].clone(),
            )
        })
        .collect();
    (r, rows)
}

fn f(id: &str, field: &str, matched: &str, term: &str) -> (String, String, String, String) {
    (id.into(), field.into(), matched.into(), term.into())
}

#[test]
fn shopify_export_with_html_body() {
    let (r, got) = findings("shopify_export.csv", &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("id column `Handle`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("read 15 rows (15 scanned, 0 rejected)"),
        "{}",
        r.stderr
    );
    let ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    for id in [
        "stainless-mesh-band-41mm",
        "steel-bracelet-for-rolex-sub",
        "champagne-ice-bucket",
        "vegan-leather-tote",
    ] {
        assert!(ids.contains(&id), "{id} missing from {got:?}");
    }
    for clean in [
        "nato-strap-20mm",
        "organic-cotton-tee-white",
        "brick-storage-box",
    ] {
        assert!(!ids.contains(&clean), "{clean} flagged: {got:?}");
    }
    assert!(
        got.contains(&f("stainless-mesh-band-41mm", "Tags", "Apple", "Apple")),
        "{got:?}"
    );
    assert!(
        got.contains(&f(
            "steel-bracelet-for-rolex-sub",
            "Title",
            "Rolex",
            "Rolex"
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&f(
            "steel-bracelet-for-rolex-sub",
            "SEO Title",
            "Rolex Sub",
            r"r[o0]lex\s*(sub|daytona)"
        )),
        "{got:?}"
    );
    // HTML bodies: entities decoded, offsets into the original markup.
    assert!(
        got.contains(&f(
            "champagne-ice-bucket",
            "Body (HTML)",
            "Mo&euml;t",
            "Moët"
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&f(
            "vegan-leather-tote",
            "Body (HTML)",
            "Louis&nbsp;Vuitton",
            "Louis Vuitton"
        )),
        "{got:?}"
    );
    // Regex matches are whole words too: `Rolex Submariner` is the literal Rolex.
    assert!(
        !got.iter()
            .any(|g| g.2.eq_ignore_ascii_case("rolex sub") && g.1 == "Title"),
        "{got:?}"
    );
}

#[test]
fn amazon_flat_file_tsv() {
    let (r, got) = findings("amazon_flat.tsv", &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("id column `item_sku`"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("brand_name"),
        "brand_name must not be scanned: {}",
        r.stderr
    );
    let want = vec![
        f("AMZ-BRACELET-005", "bullet_point1", "Rolex", "Rolex"),
        f("AMZ-BRACELET-005", "generic_keywords", "rolex", "Rolex"),
        f("AMZ-SNEAK-006", "generic_keywords", "nike", "Nike"),
        f("AMZ-TAPE-008", "item_name", "3M", "3M"),
        f("AMZ-SCARF-012", "generic_keywords", "hermes", "Hermès"),
        f("AMZ-SHIELD-016", "item_name", "Air Jordan", "Air Jordan"),
    ];
    assert_eq!(got, want);
}

#[test]
fn alibaba_export_with_bom_and_chinese() {
    let (r, got) = findings("alibaba_export.csv", &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("id column `product_id`"),
        "BOM must not hide the id: {}",
        r.stderr
    );
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        // 1600123005: `apple` among the keywords of a fruit listing, for review.
        [
            "1600123001",
            "1600123003",
            "1600123005",
            "1600123009",
            "1600123010"
        ]
    );
    assert!(got.contains(&f("1600123001", "title_cn", "耐克", "耐克")));
    assert!(
        got.contains(&f("1600123010", "product_title", "ＮＩＫＥ", "Nike")),
        "{got:?}"
    );
    assert!(
        got.contains(&f("1600123010", "title_cn", "ＮＩＫＥ", "Nike")),
        "{got:?}"
    );
}

#[test]
fn broken_rows_are_reported_counted_and_never_lost() {
    let (r, got) = findings("broken_rows.csv", &[]);
    assert_eq!(r.code, 1);
    for line in [
        ":4: row 3 rejected",
        ":5: row 4 rejected",
        ":7: row 6 rejected",
        ":12: row 11 rejected",
    ] {
        assert!(r.stderr.contains(line), "missing {line:?} in {}", r.stderr);
    }
    assert!(
        r.stderr.contains("invalid UTF-8 in column `title`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("read 12 rows (8 scanned, 4 rejected)"),
        "{}",
        r.stderr
    );
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        ["1", "10", "12", "5", "7"]
    );
    // Nothing from rejected rows 3, 4, 6, 11.
    assert!(!got
        .iter()
        .any(|g| ["3", "4", "6", "11"].contains(&g.0.as_str())));
}

#[test]
fn strict_fails_on_bad_rows_without_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let r = run(brandscan()
        .args(["scan", "--strict", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg("-o")
        .arg(&out)
        .arg(data("broken_rows.csv")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--strict"), "{}", r.stderr);
    assert!(!out.exists(), "a failed run must not leave a report");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );
}

#[test]
fn sample_catalog_with_test_rules() {
    let (r, got) = findings("../../examples/catalog.csv", &[]);
    assert_eq!(r.code, 1);
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(
        ids.into_iter().collect::<Vec<_>>(),
        [
            "P1002", "P1003", "P1008", "P1009", "P1011", "P1012", "P1013", "P1015", "P1021",
            "P1036", "P1040"
        ]
    );
    assert!(got.contains(&f("P1015", "title", "Air Jordan", "Air Jordan")));
    assert!(got.contains(&f("P1013", "title", "Hermes", "Hermès")));
    assert!(got.contains(&f("P1012", "title", "Louis-Vuitton", "Louis Vuitton")));
}

/// (listing_id, field, matched, context) of every finding with a context.
fn contexts(catalog: &str) -> Vec<(String, String, String, String)> {
    let r = run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(data(catalog)));
    csv_rows(&r.stdout)
        .into_iter()
        .filter(|row| !row["context"].is_empty())
        .map(|row| {
            (
                row["listing_id"].clone(),
                row["field"].clone(),
                row["matched"].clone(),
                row["context"].clone(),
            )
        })
        .collect()
}

#[test]
fn contexts_follow_the_fixture_tables() {
    let c = |id: &str, field: &str, matched: &str, ctx: &str| {
        (
            id.to_string(),
            field.to_string(),
            matched.to_string(),
            ctx.to_string(),
        )
    };
    let got = contexts("shopify_export.csv");
    for field in ["Title", "Body (HTML)", "SEO Title", "SEO Description"] {
        assert!(
            got.contains(&c("stainless-mesh-band-41mm", field, "Apple", "compatible")),
            "{field}: {got:?}"
        );
    }
    assert!(got.contains(&c(
        "vegan-leather-tote",
        "Body (HTML)",
        "Louis&nbsp;Vuitton",
        "counterfeit"
    )));
    // Tags say `Apple Watch` with no trigger before it.
    assert!(!got.iter().any(|g| g.1 == "Tags"), "{got:?}");
    let got = contexts("amazon_flat.tsv");
    assert_eq!(
        got,
        [
            c("AMZ-BRACELET-005", "bullet_point1", "Rolex", "compatible"),
            c("AMZ-SCARF-012", "generic_keywords", "hermes", "counterfeit"),
            c("AMZ-SHIELD-016", "item_name", "Air Jordan", "compatible"),
        ]
    );
    let got = contexts("../../examples/catalog.csv");
    assert_eq!(
        got,
        [
            c("P1002", "title", "Rolex", "compatible"),
            c("P1003", "title", "iPhone", "compatible"),
            c("P1009", "title", "Nike Air", "counterfeit"),
            c("P1021", "title", "Rolex Daytona", "counterfeit"),
        ]
    );
}

#[test]
fn shopify_html_rows_with_builtin_lists() {
    let r = run(brandscan()
        .args(["scan", "--fail-on", "never"])
        .arg(data("shopify_export.csv")));
    let rows = csv_rows(&r.stdout);
    let find = |id: &str, field: &str| -> Vec<(String, String, String)> {
        rows.iter()
            .filter(|row| row["listing_id"] == id && row["field"] == field)
            .map(|row| {
                (
                    row["brand"].clone(),
                    row["matched"].clone(),
                    row["context"].clone(),
                )
            })
            .collect()
    };
    let t = |b: &str, m: &str, c: &str| (b.to_string(), m.to_string(), c.to_string());
    assert!(find("champagne-ice-bucket", "Body (HTML)").contains(&t(
        "Moët & Chandon",
        "Mo&euml;t &amp; Chandon",
        ""
    )));
    // Only in `<a title="Fits Samsung Galaxy Watch 6">`.
    assert!(find("sport-band-20mm", "Body (HTML)").contains(&t(
        "Samsung",
        "Samsung",
        "compatible"
    )));
    assert!(find("vegan-leather-tote", "Body (HTML)").contains(&t(
        "Louis Vuitton",
        "Louis&nbsp;Vuitton",
        "counterfeit"
    )));
    // `omega-seamaster-nato.jpg` is only in an `<img src>`.
    assert!(
        !rows
            .iter()
            .any(|row| row["listing_id"] == "nato-strap-20mm"),
        "{}",
        r.stdout
    );
}
