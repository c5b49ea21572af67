//! `brandscan wordlist` and the shipped lists.

use crate::util::*;

#[test]
fn list_shows_builtin_lists() {
    let r = run(brandscan().args(["wordlist", "list"]));
    assert_eq!(r.code, 0);
    for name in [
        "abbreviations",
        "auto",
        "cosmetics",
        "electronics",
        "fashion",
        "home",
        "sportswear",
        "tools",
        "toys",
        "watches",
    ] {
        assert!(
            r.stdout.contains(&format!("\n{name}\t")),
            "{name}: {}",
            r.stdout
        );
    }
    let total = r.stdout.lines().find(|l| l.starts_with("total")).unwrap();
    let brands: usize = total.split('\t').nth(2).unwrap().parse().unwrap();
    assert!(brands >= 1000, "{total}");
}

#[test]
fn check_reports_duplicates_and_conflicts() {
    let (_d, wl) = wordlist("l.csv", "term,brand,action\nNike,Nike,remove\nNIKE,Nike,review\nHermès,Hermès,remove\nHermes,Hermes Paris,remove\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    // The conflict is a problem to fix: exit 1.
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("l.csv:3: `Nike` already defined at"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("action remove vs review"), "{}", r.stdout);
    assert!(
        r.stdout.contains("conflict:") && r.stdout.contains("brand `Hermès` vs `Hermes Paris`"),
        "{}",
        r.stdout
    );
}

#[test]
fn check_reports_errors_with_file_line_column() {
    let (_d, wl) = wordlist("l.csv", "term,kind\nNike,literal\n(unclosed,regex\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("l.csv:3 (column `term`): invalid regex"),
        "{}",
        r.stdout
    );
    let (_d, wl) = wordlist("l.csv", "term,colour\nNike,red\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert!(r.stdout.contains("unknown column `colour`"), "{}", r.stdout);
}

#[test]
fn shipped_lists_are_canonical() {
    for (name, text) in brandscan::wordlist::BUILTIN_LISTS {
        let rules = brandscan::Rules::parse_csv(*name, text).unwrap();
        assert!(
            rules.duplicates().is_empty(),
            "{name}: {:?}",
            rules.duplicates()
        );
        // Every column, in order; `with` only where a rule needs supporting words.
        let header = "term,brand,kind,severity,action,case,replacement,note";
        assert!(
            text.starts_with(&format!("{header}\n"))
                || text.starts_with(&format!("{header},with\n")),
            "{name}"
        );
        assert!(!text.contains('\r'), "{name}: CRLF");
    }
    let all = brandscan::Rules::builtin().unwrap();
    assert!(
        all.duplicates().is_empty(),
        "duplicates across lists: {:?}",
        all.duplicates()
    );
}

#[test]
fn check_reports_dead_rules_and_common_words() {
    let (_d, wl) = wordlist(
        "l.csv",
        "term,brand,kind,case\nShell,Shell,literal,insensitive\nJordan,Jordan,literal,\njordan,Jordan,allow,\n\
         Hermès.*scarf,Hermès,regex,\nOn Running,On,literal,\nRolex,Rolex,literal,\nred apple,Apple,allow,\n",
    );
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 0, "{}", r.stdout);
    for line in [
        "dictionary: ",
        "l.csv:2: `Shell` is a common English word",
        "dead: ",
        "l.csv:3: `Jordan` is always covered by allow phrase `jordan`",
        "l.csv:5: `Hermès.*scarf` needs `Hermès`",
        "common phrase: ",
        "l.csv:6: `On Running`",
        "l.csv:8: `red apple` is an allow phrase that covers no term",
    ] {
        assert!(r.stdout.contains(line), "missing {line:?} in\n{}", r.stdout);
    }
    assert!(!r.stdout.contains("`Rolex`"), "{}", r.stdout);
}

#[test]
fn shipped_lists_lint_clean() {
    use brandscan::lint::{lint, LintKind};
    let lints = lint(&brandscan::Rules::builtin().unwrap());
    let bad: Vec<String> = lints
        .iter()
        .filter(|l| l.kind != LintKind::CommonPhrase)
        .map(|l| l.to_string())
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn check_on_a_catalog_shows_the_noisiest_terms() {
    let (_d, wl) = wordlist("l.csv", "term\nCotton\nRolex\nNike\n");
    let r = run(brandscan()
        .args(["wordlist", "check", "--sample", "40", "--catalog"])
        .arg(repo("examples/catalog.csv"))
        .arg(&wl));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("catalog: ") && r.stdout.contains("40 listings sampled"),
        "{}",
        r.stdout
    );
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("  listings"))
        .skip(1)
        .collect();
    // `cotton` is on more sampled listings than any brand, and is marked.
    assert!(rows[0].contains("Cotton (Cotton)"), "{rows:?}");
    assert!(rows[0].ends_with("<- noisy?"), "{rows:?}");
    assert!(rows.iter().any(|l| l.contains("Rolex (Rolex)")), "{rows:?}");
}

#[test]
fn list_brands_shows_every_brand_with_its_lists() {
    let r = run(brandscan().args(["wordlist", "list", "--brands"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows[0], ["brand", "lists", "rules", "terms"]);
    let find = |b: &str| {
        rows.iter()
            .find(|r| r[0] == b)
            .unwrap_or_else(|| panic!("{b} missing"))
    };
    // Apple has terms in two lists; Nike's rules are more than its one name.
    assert_eq!(find("Apple")[1], "electronics,watches");
    assert!(find("Nike")[2].parse::<usize>().unwrap() > 5);
    // One line per brand: as many as the summary counts (plus brands of allow phrases only).
    let summary = run(brandscan().args(["wordlist", "list"]));
    let total = summary
        .stdout
        .lines()
        .find(|l| l.starts_with("total"))
        .unwrap();
    let brands: usize = total.split('\t').nth(2).unwrap().parse().unwrap();
    assert!(rows.len() > brands, "{} rows, {total}", rows.len());
}

#[test]
fn list_terms_of_a_brand_is_a_word_list_that_reads_back() {
    let r = run(brandscan().args(["wordlist", "list", "--terms", "nike"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = csv_rows(&r.stdout);
    assert!(rows.iter().all(|r| r["brand"] == "Nike"), "{}", r.stdout);
    assert!(
        rows.iter().any(|r| r["term"] == "Air Jordan"),
        "{}",
        r.stdout
    );
    assert!(rows.iter().any(|r| r["term"] == "耐克"), "{}", r.stdout);
    let (_d, list) = wordlist("nike.csv", &r.stdout);
    let check = run(brandscan().args(["wordlist", "check"]).arg(&list));
    assert_eq!(check.code, 0, "{}", check.stdout);

    // The exported rules find what the built-in Nike rules find, on the same catalog.
    let catalog = "sku,title\n1,NIKE Air Max 90 running\n2,Air Jordan 1 retro high\n3,N1ke socks\n\
                   4,耐克运动鞋\n5,Strap for Nike watch\n6,Adidas Samba\n7,Replica Air Force 1\n";
    let (_c, cat) = wordlist("catalog.csv", catalog);
    let scan = |extra: &[&std::ffi::OsStr]| {
        let r = run(brandscan()
            .args(["scan", "-q", "--fail-on", "never"])
            .args(extra)
            .arg(&cat));
        assert_eq!(r.code, 0, "{}", r.stderr);
        csv_rows(&r.stdout)
            .into_iter()
            .filter(|f| f["brand"] == "Nike")
            .map(|f| {
                let keep = [
                    "listing_id",
                    "start",
                    "end",
                    "term",
                    "action",
                    "match_kind",
                    "context",
                ];
                keep.iter()
                    .map(|k| f[*k].clone())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect::<Vec<_>>()
    };
    let builtin = scan(&[]);
    let exported = scan(&["-w".as_ref(), list.as_os_str(), "--no-builtin".as_ref()]);
    assert_eq!(builtin.len(), 7, "{builtin:#?}");
    assert_eq!(builtin, exported);
}

#[test]
fn list_terms_round_trips_every_builtin_rule() {
    let r = run(brandscan().args(["wordlist", "list", "--terms"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_d, list) = wordlist("all.csv", &r.stdout);
    let again = brandscan::Rules::from_path(&list).unwrap();
    let builtin = brandscan::Rules::builtin().unwrap();
    assert_eq!(again.len(), builtin.len());
    assert_eq!(again.fingerprint(), builtin.fingerprint());
}

#[test]
fn list_terms_of_an_unknown_brand_suggests_one() {
    let r = run(brandscan().args(["wordlist", "list", "--terms", "Nkie"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("no built-in brand `Nkie` (did you mean `Nike`"),
        "{}",
        r.stderr
    );
    // A product mark names its brand.
    let r = run(brandscan().args(["wordlist", "list", "--terms", "submariner"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `Rolex`"), "{}", r.stderr);
    let r = run(brandscan().args(["wordlist", "list", "--terms", "Qqqqqqqq"]));
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

#[test]
fn supporting_words_decide_between_remove_and_review() {
    let list = "term,brand,case,with\nLV,Louis Vuitton,sensitive,monogram;speedy;@brand\n\
                Neverfull,Louis Vuitton,,\n";
    let actions = |title: &str| -> Vec<(String, String)> {
        check_findings("l.csv", list, title, &[])
            .iter()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                (s("term"), s("action"))
            })
            .collect()
    };
    let remove = |t: &str| (t.to_string(), "remove".to_string());
    assert_eq!(actions("LV Monogram Speedy 30"), [remove("LV")]);
    assert_eq!(
        actions("LV Neverfull MM"),
        [remove("LV"), remove("Neverfull")]
    );
    assert_eq!(
        actions("LV 12V power cable"),
        [("LV".into(), "review".into())]
    );
    assert_eq!(actions("Replica LV wallet"), [remove("LV")]);
}

#[test]
fn builtin_abbreviations_need_the_brands_goods() {
    let verdict = |title: &str| {
        let r = run(brandscan().args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--title",
            title,
        ]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        let brands: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["brand"].as_str().unwrap_or_default().to_string())
            .collect();
        (
            v["verdict"].as_str().unwrap_or_default().to_string(),
            brands,
        )
    };
    let (v, b) = verdict("LV Monogram Speedy 30 bag");
    assert_eq!((v.as_str(), b[0].as_str()), ("remove", "Louis Vuitton"));
    let (v, b) = verdict("VCA Alhambra necklace 18k");
    assert_eq!(
        (v.as_str(), b[0].as_str()),
        ("remove", "Van Cleef & Arpels")
    );
    let (v, b) = verdict("TNF Nuptse puffer jacket");
    assert_eq!((v.as_str(), b[0].as_str()), ("remove", "The North Face"));
    // The same letters without the brand's goods: a person looks.
    let (v, b) = verdict("LV 12V power cable");
    assert_eq!((v.as_str(), b[0].as_str()), ("review", "Louis Vuitton"));
    let (v, _) = verdict("CDG airport transfer guide");
    assert_eq!(v, "review");
    // Lower case is not the abbreviation.
    assert_eq!(verdict("lv cable").0, "pass");
}

#[test]
fn check_names_a_bad_with_column() {
    let (_d, wl) = wordlist(
        "l.csv",
        "term,kind,with\nLV,literal,bag\nlv bag,allow,bag\nMK,literal,@brands\n",
    );
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("l.csv:3 (column `with`)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("l.csv:4 (column `with`)") && r.stdout.contains("@brands"),
        "{}",
        r.stdout
    );
    // The export carries the column, so -w reads the rule back as it was.
    let r = run(brandscan().args(["wordlist", "list", "--terms", "Van Cleef & Arpels"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let vca = csv_rows(&r.stdout)
        .into_iter()
        .find(|r| r["term"] == "VCA")
        .expect("VCA");
    assert!(vca["with"].split(';').any(|w| w == "alhambra"), "{vca:?}");
}
