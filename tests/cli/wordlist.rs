//! `brandscan wordlist` and the shipped lists.

use crate::util::*;

#[test]
fn list_shows_builtin_lists() {
    let r = run(brandscan().args(["wordlist", "list"]));
    assert_eq!(r.code, 0);
    for name in [
        "auto",
        "cosmetics",
        "electronics",
        "fashion",
        "sportswear",
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
    assert!(brands >= 300, "{total}");
}

#[test]
fn check_reports_duplicates_and_conflicts() {
    let (_d, wl) = wordlist("l.csv", "term,brand,action\nNike,Nike,remove\nNIKE,Nike,review\nHermès,Hermès,remove\nHermes,Hermes Paris,remove\n");
    let r = run(brandscan().args(["wordlist", "check"]).arg(&wl));
    assert_eq!(r.code, 0, "{}", r.stdout);
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
    assert_eq!(r.code, 2);
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
        assert!(
            text.starts_with("term,brand,kind,severity,action,case,replacement,note\n"),
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
