//! The nightly run: `--baseline`, `--save-baseline`, `--suppress` on the
//! `tests/data/nightly/` pair (see tests/data/README.md for the expected findings).

use crate::util::*;
use std::collections::BTreeSet;
use std::path::Path;

fn nightly(name: &str) -> std::path::PathBuf {
    data(&format!("nightly/{name}"))
}

/// `scan` with the test rules only, so built-in list changes cannot move the figures.
fn scan(catalog: &str, extra: &[&std::ffi::OsStr]) -> Run {
    run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(nightly(catalog))
        .args(extra))
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

fn p(path: &Path) -> &std::ffi::OsStr {
    path.as_os_str()
}

/// `(listing_id, field, term)` of every row of a csv findings report.
fn keys(csv_text: &str) -> BTreeSet<(String, String, String)> {
    csv_rows(csv_text)
        .into_iter()
        .map(|r| {
            (
                r["listing_id"].clone(),
                r["field"].clone(),
                r["term"].clone(),
            )
        })
        .collect()
}

fn key(id: &str, field: &str, term: &str) -> (String, String, String) {
    (id.into(), field.into(), term.into())
}

#[test]
fn second_night_reports_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let monday = dir.path().join("monday.csv");
    let first = scan("monday.csv", &[os("-o"), p(&monday)]);
    assert_eq!(first.code, 1, "{}", first.stderr);

    let tuesday = scan("tuesday.csv", &[os("--baseline"), p(&monday)]);
    // Only Tuesday's two new findings, both `review`: the exit code follows what is
    // reported, so nothing reaches the default --fail-on remove...
    assert_eq!(
        keys(&tuesday.stdout),
        BTreeSet::from([
            key("M1", "description", "Jordan"),
            key("M6", "title", "Gap")
        ])
    );
    assert_eq!(tuesday.code, 0, "{}", tuesday.stderr);
    // ...while the same scan without the baseline fails on Monday's removes.
    assert_eq!(scan("tuesday.csv", &[]).code, 1);
    // Nike, Coach, 3M and Louis Vuitton are unchanged; M2's Rolex was fixed.
    assert!(
        tuesday.stderr.contains(": 2 new, 4 unchanged, 1 resolved."),
        "{}",
        tuesday.stderr
    );
    assert!(
        tuesday
            .stderr
            .contains("2 listings flagged: 0 remove, 0 hide, 2 review; 2 findings"),
        "{}",
        tuesday.stderr
    );
    // Never a progress bar when stderr is not a terminal.
    assert!(!tuesday.stderr.contains('\r') && !tuesday.stderr.contains('\x1b'));

    let summary = scan(
        "tuesday.csv",
        &[os("--baseline"), p(&monday), os("-f"), os("summary")],
    );
    assert!(
        summary.stdout.contains("new: 2  unchanged: 4  resolved: 1"),
        "{}",
        summary.stdout
    );
    assert!(summary
        .stdout
        .contains("listings flagged: 2  (remove 0, hide 0, review 2)"));
    assert!(summary.stdout.contains("findings: 2\n"));

    let listings = scan(
        "tuesday.csv",
        &[os("--baseline"), p(&monday), os("-f"), os("listings")],
    );
    let ids: Vec<String> = csv_rows(&listings.stdout)
        .into_iter()
        .map(|r| r["listing_id"].clone())
        .collect();
    assert_eq!(ids, ["M1", "M6"]);
}

#[test]
fn save_baseline_carries_state_from_night_to_night() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.csv");
    let night = |catalog: &str| {
        scan(
            catalog,
            &[
                os("--baseline"),
                p(&state),
                os("--save-baseline"),
                p(&state),
                os("--fail-on"),
                os("review"),
            ],
        )
    };
    // The first night: the state file does not exist yet, so everything is new.
    let mon = night("monday.csv");
    assert_eq!(csv_rows(&mon.stdout).len(), 5);
    assert!(mon.stderr.contains("no baseline yet, every finding is new"));
    assert!(mon.stderr.contains(": 5 new, 0 unchanged, 0 resolved."));
    let saved = std::fs::read_to_string(&state).unwrap();
    assert_eq!(keys(&saved), keys(&mon.stdout));
    // The saved file is a csv findings report with the fingerprint as a last column.
    let header = saved.lines().next().unwrap();
    assert!(header.starts_with("listing_id,row,field,start,end,matched,term,"));
    assert!(header.ends_with(",context,fingerprint,saved"));
    let fp = &csv_rows(&saved)[0]["fingerprint"];
    assert!(fp.starts_with("sha256:"));
    assert!(
        mon.stderr.contains(&format!("rules, {fp}.")),
        "{}",
        mon.stderr
    );

    // The same file is read as Tuesday's baseline and replaced with Tuesday's findings.
    let tue = night("tuesday.csv");
    assert_eq!(tue.code, 1);
    assert_eq!(csv_rows(&tue.stdout).len(), 2);
    assert!(tue.stderr.contains(": 2 new, 4 unchanged, 1 resolved."));
    assert_eq!(csv_rows(&std::fs::read_to_string(&state).unwrap()).len(), 6);

    // Nothing changed on Wednesday: an empty report and exit 0 even at --fail-on review.
    let wed = night("tuesday.csv");
    assert_eq!(wed.code, 0, "{}", wed.stderr);
    assert_eq!(wed.stdout.lines().count(), 1, "header only: {}", wed.stdout);
    assert!(wed.stderr.contains(": 0 new, 6 unchanged, 0 resolved."));
    assert!(!wed.stderr.contains("word lists changed"));

    // New word lists: the run says so, since "new" findings may come from new rules.
    let (_d, extra) = wordlist("extra.txt", "Mug\n");
    let thu = scan(
        "tuesday.csv",
        &[os("-w"), p(&extra), os("--baseline"), p(&state)],
    );
    assert!(
        thu.stderr
            .contains("The word lists changed since the baseline"),
        "{}",
        thu.stderr
    );
    assert_eq!(
        keys(&thu.stdout),
        BTreeSet::from([key("M4", "title", "Mug")])
    );
}

#[test]
fn suppressions_hold_until_they_expire() {
    let sup = nightly("suppress.csv");
    let on = |today: &str, format: &str| {
        scan(
            "monday.csv",
            &[
                os("--suppress"),
                p(&sup),
                os("--today"),
                os(today),
                os("-f"),
                os(format),
            ],
        )
    };
    // 30 June: Coach (until 1 July) and 3M (no end) are cleared; M2's Rolex clearance
    // expired on 1 January; the M9 one matches no listing.
    let june = on("2025-06-30", "csv");
    assert_eq!(
        keys(&june.stdout),
        BTreeSet::from([
            key("M1", "title", "Nike"),
            key("M2", "title", "Rolex"),
            key("M5", "description", "Louis Vuitton"),
        ])
    );
    assert!(
        june.stderr
            .contains("Suppressed 2 findings (3 suppressions holding on 2025-06-30)."),
        "{}",
        june.stderr
    );
    let summary = on("2025-06-30", "summary").stdout;
    assert!(summary.contains("2 findings suppressed"), "{summary}");
    assert!(
        summary.contains("  expired (1):\n    line 5: M2 / Rolex (expires 2025-01-01, ana)\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  unused (1):\n    line 4: M9 / Nike (li)\n"),
        "{summary}"
    );

    // 1 July: the Coach clearance has expired and the finding is back.
    let july = on("2025-07-01", "csv");
    assert_eq!(keys(&july.stdout).len(), 4);
    assert!(keys(&july.stdout).contains(&key("M3", "title", "Coach")));
    let summary = on("2025-07-01", "summary").stdout;
    assert!(summary.contains("1 finding suppressed"), "{summary}");
    assert!(summary.contains("  expired (2):\n"), "{summary}");
    assert!(summary.contains("line 2: M3 / coach (expires 2025-07-01, ana)"));
}

#[test]
fn an_expired_suppression_comes_back_as_new() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.csv");
    let sup = nightly("suppress.csv");
    let night = |today: &str| {
        scan(
            "monday.csv",
            &[
                os("--suppress"),
                p(&sup),
                os("--today"),
                os(today),
                os("--baseline"),
                p(&state),
                os("--save-baseline"),
                p(&state),
            ],
        )
    };
    // The first night has no state yet: make it without a baseline.
    let first = scan(
        "monday.csv",
        &[
            os("--suppress"),
            p(&sup),
            os("--today"),
            os("2025-06-29"),
            os("--save-baseline"),
            p(&state),
        ],
    );
    assert_eq!(first.code, 1);
    // Suppressed findings are not saved, so the baseline cannot hide them later.
    let saved = keys(&std::fs::read_to_string(&state).unwrap());
    assert!(!saved.contains(&key("M3", "title", "Coach")));
    assert!(!saved.contains(&key("M5", "title", "3M")));

    let june = night("2025-06-30");
    assert_eq!(june.stdout.lines().count(), 1, "{}", june.stdout);
    assert_eq!(june.code, 0);
    let july = night("2025-07-01");
    assert_eq!(
        keys(&july.stdout),
        BTreeSet::from([key("M3", "title", "Coach")])
    );
    // Coach is `hide`: the default --fail-on remove is not reached.
    assert_eq!(july.code, 0);
    assert!(july.stderr.contains(": 1 new, 3 unchanged, 0 resolved."));
}

/// A baseline saved before a person cleared a finding holds that finding; when the
/// clearance runs out, the finding is reported again all the same, and the expired
/// suppression points at a listing the report shows.
#[test]
fn a_clearance_newer_than_the_baseline_brings_its_finding_back_when_it_expires() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.csv");
    let sup = nightly("suppress.csv");
    // 1 June, before any suppression: every finding goes into the baseline.
    let first = scan(
        "monday.csv",
        &[
            os("--today"),
            os("2025-06-01"),
            os("--save-baseline"),
            p(&state),
        ],
    );
    assert_eq!(first.code, 1, "{}", first.stderr);
    let saved = std::fs::read_to_string(&state).unwrap();
    assert!(keys(&saved).contains(&key("M3", "title", "Coach")));
    assert!(csv_rows(&saved).iter().all(|r| r["saved"] == "2025-06-01"));

    let on = |baseline: &Path, today: &str, format: &str| {
        scan(
            "monday.csv",
            &[
                os("--baseline"),
                p(baseline),
                os("--suppress"),
                p(&sup),
                os("--today"),
                os(today),
                os("-f"),
                os(format),
            ],
        )
    };
    // 30 June: the Coach clearance (to 1 July) holds; nothing is new.
    let june = on(&state, "2025-06-30", "csv");
    assert_eq!(june.stdout.lines().count(), 1, "{}", june.stdout);
    // 1 July: it ran out after the baseline was saved, so Coach is back. M2's Rolex
    // clearance ran out on 1 January, before the baseline: the 1 June run reported it.
    let july = on(&state, "2025-07-01", "csv");
    assert_eq!(
        keys(&july.stdout),
        BTreeSet::from([key("M3", "title", "Coach")])
    );
    assert!(
        july.stderr.contains(": 1 new, 3 unchanged, 0 resolved."),
        "{}",
        july.stderr
    );
    let html = on(&state, "2025-07-01", "html").stdout;
    assert!(
        html.contains("flagged again: see Listings"),
        "the expired clearance's listing is shown"
    );
    assert!(html.contains("suppression of `coach` expired on 2025-07-01"));

    // A baseline from before the `saved` column still loads, and keeps what it knows.
    let old = dir.path().join("old.csv");
    let text: String = saved
        .lines()
        .map(|l| format!("{}\n", &l[..l.rfind(',').unwrap()]))
        .collect();
    assert!(
        text.starts_with("listing_id,") && text.lines().next().unwrap().ends_with(",fingerprint")
    );
    std::fs::write(&old, text).unwrap();
    let july = on(&old, "2025-07-01", "csv");
    assert_eq!(july.code, 0, "{}", july.stderr);
    assert_eq!(july.stdout.lines().count(), 1, "{}", july.stdout);
}

#[test]
fn bad_suppression_and_baseline_files_stop_the_run_before_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.csv");
    let bad = nightly("bad_suppress.csv");
    let r = scan(
        "monday.csv",
        &[os("--suppress"), p(&bad), os("-o"), p(&out)],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "{}:3 (column `expires`): `01/07/2025` is not a date YYYY-MM-DD",
            bad.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!out.exists());

    // A listings report is not a findings report: it has no `field` column.
    let listings = dir.path().join("listings.csv");
    std::fs::write(
        &listings,
        scan("monday.csv", &[os("-f"), os("listings")]).stdout,
    )
    .unwrap();
    let r = scan(
        "monday.csv",
        &[os("--baseline"), p(&listings), os("-o"), p(&out)],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "{}:1: not a brandscan csv findings report: no `field` column",
            listings.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!out.exists());

    let missing = dir.path().join("no-such-baseline.csv");
    let r = scan("monday.csv", &[os("--baseline"), p(&missing)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-baseline.csv"), "{}", r.stderr);
}
