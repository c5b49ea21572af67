//! `brandscan audit` on `tests/data/audit_catalog.csv` with
//! `tests/data/wordlists/audit_rules.csv`: exposure figures checked against the built-in
//! Alibaba policy by hand.
//!
//! The policy (policies/alibaba.toml), as used below:
//! * general: 4 points for the first complaint on a right, 8 for each repeat; a complaint
//!   5 days or fewer after the right's last penalized one scores nothing; 12 points →
//!   warning, 24 → 7-day restriction, 36 → 15-day, 48 → 30-day, 60 → account closure;
//! * serious: 1st complaint warning, 2nd 7-day, 3rd 15-day, 4th closure; 3 serious
//!   complaints on one right → closure at once;
//! * the store gets the graver of the two tracks.
//!
//! "Worst case" = every exposed listing draws a complaint and each one counts; "filed
//! together" = the same complaints on one day, so the window swallows the repeats.
//!
//! The catalog (see tests/data/README.md): Korvex (general) in K001 title, K002 title and
//! description, K005 image URL — plus KX-900 (K003) and Torqmaster (K004), terms only the
//! complaint file has; Lumora (serious) in L001, L002, L003; Brightwell in B001 as the
//! serious product mark `Brightwell Aura` and in B002 as plain general `Brightwell`;
//! Nike in N001 (never audited); C001–C003 clean (`Korvexian`, `Luminous` are other words).

use crate::util::*;
use serde_json::Value;

fn audit(args: &[&str]) -> Run {
    let mut cmd = brandscan();
    cmd.args(["audit", "--no-builtin", "-w"])
        .arg(data("wordlists/audit_rules.csv"))
        .args(args)
        .arg(data("audit_catalog.csv"));
    run(&mut cmd)
}

fn audit_json(args: &[&str]) -> Value {
    let mut all = vec!["-f", "json"];
    all.extend_from_slice(args);
    let r = audit(&all);
    assert_eq!(r.code, 1, "remove findings exit 1: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// (listings, points, penalty) of a worst-case or filed-together assessment.
fn cost(brand: &Value, case: &str) -> (u64, u64, String) {
    (
        brand["listings"].as_u64().unwrap_or(0),
        brand[case]["points"].as_u64().unwrap(),
        brand[case]["penalty"].as_str().unwrap().to_string(),
    )
}

fn ids(v: &Value) -> Vec<String> {
    v["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["listing_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn three_general_listings_score_20_points_a_warning() {
    // K001, K002, K005: 4 + 8 + 8 = 20 ≥ 12 → warning; filed together 4 → nothing.
    let v = audit_json(&["--brand", "Korvex"]);
    let k = &v["brands"][0];
    assert_eq!(k["brand"], "Korvex");
    assert_eq!(cost(k, "worst_case"), (3, 20, "warning".into()));
    assert_eq!(cost(k, "filed_together"), (3, 4, "no penalty".into()));
    assert_eq!(k["general"], 3);
    assert_eq!(k["serious"], 0);
    // K002 has two findings in two fields, so it comes first among equals.
    assert_eq!(ids(&v), ["K002", "K001", "K005"]);
    let k002 = &v["listings"][0];
    assert_eq!(k002["rank"], 1);
    assert_eq!(k002["fields"][0]["field"], "title");
    assert_eq!(k002["fields"][0]["words"][0], "Korvex Pro");
    assert_eq!(k002["fields"][1]["field"], "description");
    assert_eq!(k002["fields"][1]["words"][0], "korvex");
    assert_eq!(v["store"]["listings"], 3);
}

#[test]
fn complaint_terms_add_listings_36_points_a_15_day_restriction() {
    // The complaint's KX-900 and Torqmaster belong to Korvex (the first --brand) and add
    // K003 and K004: 5 listings, 4 + 4×8 = 36 ≥ 36 → 15-day restriction.
    let terms = data("wordlists/complaint_korvex.txt");
    let v = audit_json(&["--brand", "korvex", "--terms", terms.to_str().unwrap()]);
    assert_eq!(
        v["brands"][0]["brand"], "Korvex",
        "named as the lists write it"
    );
    assert_eq!(
        cost(&v["brands"][0], "worst_case"),
        (5, 36, "15-day restriction".into())
    );
    let k003 = v["listings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["listing_id"] == "K003")
        .expect("K003 found through the complaint's term");
    assert_eq!(k003["brand"], "Korvex");
    assert_eq!(k003["findings"][0]["term"], "KX-900");
}

#[test]
fn four_general_listings_score_28_points_a_7_day_restriction() {
    // Only title and description: K005's image URL is not scanned, so K001–K004 remain:
    // 4 + 8 + 8 + 8 = 28 ≥ 24 → 7-day restriction.
    let terms = data("wordlists/complaint_korvex.txt");
    let v = audit_json(&[
        "--brand",
        "Korvex",
        "--terms",
        terms.to_str().unwrap(),
        "--fields",
        "title,description",
    ]);
    assert_eq!(
        cost(&v["brands"][0], "worst_case"),
        (4, 28, "7-day restriction".into())
    );
}

#[test]
fn three_serious_listings_on_one_right_close_the_account() {
    // L001–L003, severity serious: the 3rd serious complaint alone would be a 15-day
    // restriction, but three on the same right close the account — on any day.
    let v = audit_json(&["--brand", "LUMORA"]);
    let l = &v["brands"][0];
    assert_eq!(l["serious"], 3);
    assert_eq!(cost(l, "worst_case"), (3, 0, "account closure".into()));
    assert_eq!(l["worst_case"]["by"], "same_right");
    assert_eq!(l["filed_together"]["penalty"], "account closure");
    assert!(v["listings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["complaint"] == "serious"));
}

#[test]
fn two_brands_add_up_for_the_store_and_serious_comes_first() {
    // Brightwell: B001 serious (1st serious → warning), B002 general (4 points).
    // Korvex: 3 general → 20 points, warning.
    // Store: 4 + 20 = 24 points → 7-day restriction (graver than the serious warning).
    // Filed together: 4 + 4 = 8 points → nothing; one serious → warning.
    let v = audit_json(&["--brand", "brightwell", "--brand", "Korvex"]);
    let (b, k) = (&v["brands"][0], &v["brands"][1]);
    assert_eq!(b["brand"], "Brightwell");
    assert_eq!(
        (b["serious"].as_u64(), b["general"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(cost(b, "worst_case"), (2, 4, "warning".into()));
    assert_eq!(cost(k, "worst_case"), (3, 20, "warning".into()));
    let store = &v["store"];
    assert_eq!(store["complaints"], 5);
    assert_eq!(store["worst_case"]["points"], 24);
    assert_eq!(store["worst_case"]["penalty"], "7-day restriction");
    assert_eq!(store["worst_case"]["by"], "points");
    assert_eq!(store["filed_together"]["points"], 8);
    assert_eq!(store["filed_together"]["penalty"], "warning");
    // Danger order: the serious B001; then Korvex (20 points) before Brightwell (4);
    // within Korvex the listing with most findings, then input order; B002 (hide) last.
    assert_eq!(ids(&v), ["B001", "K002", "K001", "K005", "B002"]);
    assert_eq!(v["listings"][4]["action"], "hide");
}

#[test]
fn csv_rows_per_listing_and_field_and_exposure_on_stderr() {
    let r = audit(&["--brand", "Korvex"]);
    assert_eq!(r.code, 1);
    let rows = csv_rows(&r.stdout);
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|x| {
            (
                x["rank"].as_str(),
                x["listing_id"].as_str(),
                x["field"].as_str(),
                x["words"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("1", "K002", "title", "Korvex Pro"),
            ("1", "K002", "description", "korvex"),
            ("2", "K001", "title", "Korvex"),
            ("3", "K005", "image_url", "korvex"),
        ]
    );
    assert!(rows
        .iter()
        .all(|x| x["complaint"] == "general" && x["action"] == "remove"));
    assert!(
        r.stderr.contains("Korvex: 3 listings exposed") && r.stderr.contains("20 points → warning"),
        "{}",
        r.stderr
    );
}

#[test]
fn another_policy_file_prices_differently() {
    // strict.toml: 10 points per complaint; 30 → closure. Korvex 3 × 10 = 30 → closure.
    let policy = data("policies/strict.toml");
    let v = audit_json(&["--brand", "Korvex", "--policy", policy.to_str().unwrap()]);
    assert_eq!(v["policy"]["name"], "strict test policy");
    assert_eq!(
        cost(&v["brands"][0], "worst_case"),
        (3, 30, "account closure".into())
    );
    // No window in that policy: filed together costs the same.
    assert_eq!(v["brands"][0]["filed_together"]["points"], 30);
}

#[test]
fn bad_brand_and_bad_policy_are_usage_errors() {
    let r = audit(&["--brand", "Korvex", "--brand", "Adidas"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`Adidas`") && r.stderr.contains("--terms"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    // A brand the lists lack is fine when the complaint brings its terms.
    let terms = data("wordlists/complaint_korvex.txt");
    let r = audit(&["--brand", "Adidas", "--terms", terms.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let policy = data("policies/broken.toml");
    let r = audit(&["--brand", "Korvex", "--policy", policy.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("broken.toml:11: general.thresholds[1]") && r.stderr.contains("days"),
        "{}",
        r.stderr
    );
}
