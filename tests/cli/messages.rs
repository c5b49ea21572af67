//! What a user reads when something is off: suggestions for mistyped names, every
//! problem of a word list in one run, the columns chosen, and counts in good English.

use crate::util::*;

#[test]
fn audit_brand_suggests_the_brand_an_abbreviation_stands_for_first() {
    let r = run(brandscan()
        .args(["audit", "--brand", "LV"])
        .arg(repo("examples/catalog.csv")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let at = |name: &str| r.stderr.find(name).unwrap_or(usize::MAX);
    assert!(
        r.stderr.contains("did you mean `Louis Vuitton`?"),
        "{}",
        r.stderr
    );
    for other in ["Valvoline", "Volvo", "Valve"] {
        assert!(at("Louis Vuitton") < at(other), "{other}: {}", r.stderr);
    }
    // A Chinese name and a mistyped name lead to their brand too.
    let r = run(brandscan()
        .args(["audit", "--brand", "耐克"])
        .arg(repo("examples/catalog.csv")));
    assert!(r.stderr.contains("did you mean `Nike`?"), "{}", r.stderr);
}

#[test]
fn fix_brand_suggests_the_nearest_brand() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(brandscan()
        .args(["fix", "--brand", "Nkie"])
        .arg(repo("examples/catalog.csv"))
        .arg("-o")
        .arg(dir.path().join("out.csv")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no rule of brand `Nkie`") && r.stderr.contains("did you mean `Nike`?"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("out.csv").exists());
}

#[test]
fn check_without_arguments_names_both_ways_in() {
    let r = run(brandscan().arg("check"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--title") && r.stderr.contains("--jsonl"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_mistyped_column_gets_a_suggestion_not_a_header_row_hint() {
    for (flag, name, want) in [
        (
            "--fields",
            "Titel",
            "field `Titel` is not in the header (did you mean `title`?)",
        ),
        (
            "--id-column",
            "product_idd",
            "id column `product_idd` is not in the header (did you mean `product_id`?)",
        ),
    ] {
        let r = run(brandscan()
            .args(["scan", flag, name])
            .arg(repo("examples/catalog.csv")));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(want), "{flag}: {}", r.stderr);
        assert!(!r.stderr.contains("--header-row"), "{flag}: {}", r.stderr);
    }
    // A name like none of the columns still says where else the header may be.
    let r = run(brandscan()
        .args(["scan", "--fields", "zzz"])
        .arg(repo("examples/catalog.csv")));
    assert!(
        r.stderr.contains("--header-row") && !r.stderr.contains("did you mean"),
        "{}",
        r.stderr
    );
}

#[test]
fn wordlist_check_reports_every_problem_of_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.csv");
    std::fs::write(
        &a,
        "term,brand,action,severity\nNike,Nike,cut,general\nRolex,Rolex,remove,big\n,Gap,remove,minor\nGucci,Gucci,remove,serious\n",
    )
    .unwrap();
    let b = dir.path().join("b.csv");
    std::fs::write(&b, "term,kind\n(unclosed,regex\nPrada,literal\n").unwrap();
    let r = run(brandscan().args(["wordlist", "check"]).arg(&a).arg(&b));
    assert_eq!(r.code, 1, "{}", r.stdout);
    for want in [
        "a.csv:2 (column `action`): unknown value `cut`",
        "a.csv:3 (column `severity`): unknown value `big`",
        "a.csv:4 (column `term`): empty term",
        "b.csv:2 (column `term`): invalid regex",
        "a.csv: 1 rule, 1 brand, 0 duplicates, 3 errors",
        "b.csv: 1 rule, 1 brand, 0 duplicates, 1 error",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?} in\n{}", r.stdout);
    }

    // A conflict is a problem too; a plain duplicate is not.
    let (_d, wl) = wordlist("c.csv", "term,brand\nHermès,Hermès\nHermes,Hermes Paris\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("conflict:"), "{}", r.stdout);
    let (_d, wl) = wordlist("d.csv", "term,brand\nNike,Nike\nNIKE,Nike\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("1 rule, 1 brand, 1 duplicate"),
        "{}",
        r.stdout
    );

    // A file that cannot be read is worse: 2, and the other files are still checked.
    let r = run(brandscan()
        .args(["wordlist", "check"])
        .arg(dir.path().join("missing.csv"))
        .arg(&b));
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("b.csv:2 (column `term`)"), "{}", r.stdout);
}

#[test]
fn shopify_option_values_are_scanned_and_option_names_are_not() {
    let catalog = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Barcode,SEO Title\n\
                   band-1,Mesh band,Rolex,Nike Green,ROLEX-1,Gucci,Steel band\n";
    let (_d, path) = wordlist("products_export.csv", catalog);
    let r = run(brandscan()
        .args(["scan", "--fail-on", "never", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("scanning Title, Option1 Value, SEO Title\n"),
        "{}",
        r.stderr
    );
    let fields: Vec<String> = csv_rows(&r.stdout)
        .into_iter()
        .map(|row| row["field"].clone())
        .collect();
    assert_eq!(fields, ["Option1 Value"], "{}", r.stdout);
}

#[test]
fn one_of_a_thing_is_singular() {
    let (_d, path) = wordlist("one.csv", "sku,title\nA1,Nike shoe\n");
    let r = run(brandscan()
        .args(["scan", "--fail-on", "never", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&path));
    assert!(
        r.stderr.contains("read 1 row (1 scanned, 0 rejected)")
            && r.stderr.contains("; 1 listing flagged: 1 remove")
            && r.stderr.contains("; 1 finding;"),
        "{}",
        r.stderr
    );
    let r = run(brandscan()
        .args([
            "scan",
            "-f",
            "summary",
            "--fail-on",
            "never",
            "--no-builtin",
            "-w",
        ])
        .arg(data(TEST_RULES))
        .arg(&path));
    assert!(
        r.stdout.contains("  Nike: 1 listing, 1 finding\n"),
        "{}",
        r.stdout
    );
    let r = run(brandscan()
        .args(["audit", "--brand", "Nike", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(&path));
    assert!(
        r.stderr.contains("audit of 1 row (0 rejected)")
            && r.stderr.contains(": 1 listing to fix.")
            && r.stderr.contains("Nike: 1 listing exposed"),
        "{}",
        r.stderr
    );
}
