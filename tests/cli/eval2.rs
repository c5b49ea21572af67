//! The second evaluation set, `tests/data/eval2/listings.csv` (written by
//! `tests/data/eval2/generate.py` from other filters' evasion data, not from the matcher's
//! rules): recall per class and precision per match_kind with the built-in lists, through
//! the binary. `cargo test --test tests eval2 -- --nocapture` prints the table.
//!
//! Classes the engine does not claim yet are listed in [`PENDING`]: their recall is
//! printed, never asserted. When a feature lands, move its classes out of `PENDING` and
//! the test holds them to the floor.

use crate::util::*;
use std::collections::{BTreeMap, HashMap};

/// Floors for the classes the engine claims, and for precision over all findings.
const RECALL_FLOOR: f64 = 0.95;
const PRECISION_FLOOR: f64 = 0.99;
/// Share of innocent listings of a negative class that may be flagged.
const NEGATIVE_CEILING: f64 = 0.02;

/// Classes not held to a floor: the two small fresh held-out classes ([`FRESH`]).
const PENDING: &[&str] = &["zh_fresh_negative", "zh_fresh_counterfeit"];

/// Small classes written by hand as a fresh held-out check (a few dozen lines each):
/// printed, never asserted, so that no change is tuned to pass them.
const FRESH: &[&str] = &["zh_fresh_negative", "zh_fresh_counterfeit"];

/// Classes of innocent listings: recall is "not flagged".
const NEGATIVE: &[&str] = &[
    "negative",
    "caps_negative",
    "caps_negative_title",
    "zh_heldout_negative",
    "zh_fresh_negative",
];

/// Innocent classes where a `review` is no false flag: a common word that is also a
/// brand (title-case `Coach Bus Toy Model`, Chinese 小米 millet) is asked about, never
/// removed (SPEC §2).
const REVIEW_OK: &[&str] = &[
    "caps_negative_title",
    "zh_heldout_negative",
    "zh_fresh_negative",
];

struct Listing {
    class: String,
    expected: String,
    action: String,
    match_kind: String,
    context: String,
}

struct Hit {
    brand: String,
    action: String,
    match_kind: String,
    context: String,
}

fn listings() -> HashMap<String, Listing> {
    let text = std::fs::read_to_string(data("eval2/listings.csv")).expect("eval2 set");
    csv_rows(&text)
        .into_iter()
        .map(|r| {
            (
                r["id"].clone(),
                Listing {
                    class: r["class"].clone(),
                    expected: r["expected"].to_lowercase(),
                    action: r["action"].clone(),
                    match_kind: r["match_kind"].clone(),
                    context: r["context"].clone(),
                },
            )
        })
        .collect()
}

fn scan() -> HashMap<String, Vec<Hit>> {
    let r = run(brandscan()
        .args(["scan", "-q", "--fail-on", "never", "-f", "jsonl"])
        .args(["--id-column", "id", "--fields", "title,tags"])
        .arg(data("eval2/listings.csv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut hits: HashMap<String, Vec<Hit>> = HashMap::new();
    for line in r.stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("jsonl");
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        hits.entry(s("listing_id")).or_default().push(Hit {
            brand: s("brand").to_lowercase(),
            action: s("action"),
            match_kind: s("match_kind"),
            context: s("context"),
        });
    }
    hits
}

/// True when the expected brand was found as the listing's labels say.
fn recalled(l: &Listing, hits: &[Hit]) -> bool {
    hits.iter().any(|h| {
        h.brand == l.expected
            && (l.match_kind.is_empty() || h.match_kind == l.match_kind)
            && (l.context.is_empty() || h.context == l.context)
            && (l.action.is_empty() || h.action == l.action)
    })
}

/// A finding is right when it names the listing's brand, or is counterfeit wording on
/// a listing that is labelled counterfeit, or is the `review` that SPEC §2 asks for on a
/// common word in a title-case field (`How To Converse With Confidence` → Converse,
/// review): a person is asked, nothing is removed.
fn right(l: &Listing, h: &Hit) -> bool {
    h.brand == l.expected
        || (h.brand.starts_with('(') && l.context == "counterfeit")
        || (REVIEW_OK.contains(&l.class.as_str()) && h.action == "review")
}

#[test]
fn recall_per_class_and_precision_per_match_kind_on_the_second_set() {
    let set = listings();
    let hits = scan();
    let none = Vec::new();
    let mut per_class: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (id, l) in &set {
        let found = hits.get(id).unwrap_or(&none);
        let ok = if NEGATIVE.contains(&l.class.as_str()) {
            // Common words that are also brands may be reported for review (SPEC §2),
            // never more.
            found
                .iter()
                .all(|h| REVIEW_OK.contains(&l.class.as_str()) && h.action == "review")
        } else {
            recalled(l, found)
        };
        let e = per_class.entry(l.class.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(ok);
        if !ok {
            missed.entry(l.class.as_str()).or_default().push(id);
        }
    }
    // Precision over every finding, and over the listings of the classes the engine
    // claims (the asserted figure: a pending feature's listings may be misread today).
    let mut precision: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (id, found) in &hits {
        let l = &set[id];
        let claimed = !PENDING.contains(&l.class.as_str());
        for h in found {
            let mut keys = vec![format!("kind {}", h.match_kind), "all findings".to_string()];
            if claimed {
                keys.push("claimed classes".to_string());
            }
            for key in keys {
                let e = precision.entry(key).or_default();
                e.0 += 1;
                e.1 += usize::from(right(l, h));
            }
            if !right(l, h) {
                wrong.push(format!("{id} ({}) {}: {}", l.class, h.match_kind, h.brand));
            }
        }
    }

    let mut report =
        String::from("\nclass                 listings  recall   (pending: not asserted)\n");
    for (class, (n, ok)) in &per_class {
        let pending = if PENDING.contains(class) {
            "  pending"
        } else {
            ""
        };
        let what = if NEGATIVE.contains(class) {
            " cleared"
        } else {
            ""
        };
        report.push_str(&format!(
            "{class:<21} {n:>8}  {:.3}{what}{pending}\n",
            *ok as f64 / *n as f64
        ));
    }
    report.push_str("\nmatch_kind            findings  precision\n");
    for (kind, (n, ok)) in &precision {
        report.push_str(&format!(
            "{kind:<21} {n:>8}  {:.3}\n",
            *ok as f64 / *n as f64
        ));
    }
    wrong.sort();
    report.push_str(&format!("\nwrong findings: {wrong:?}\n"));
    for (class, ids) in &missed {
        let mut ids = ids.clone();
        ids.sort();
        ids.truncate(12);
        report.push_str(&format!("missed {class}: {ids:?}\n"));
    }
    println!("{report}");

    for (class, (n, ok)) in &per_class {
        assert!(
            *n >= 100 || FRESH.contains(class),
            "{class}: only {n} listings"
        );
        if PENDING.contains(class) {
            continue;
        }
        let share = *ok as f64 / *n as f64;
        if NEGATIVE.contains(class) {
            assert!(
                1.0 - share <= NEGATIVE_CEILING,
                "{class}: {share:.3}{report}"
            );
        } else {
            assert!(share >= RECALL_FLOOR, "{class}: recall {share:.3}{report}");
        }
    }
    let (n, ok) = precision["claimed classes"];
    let p = ok as f64 / n as f64;
    assert!(p >= PRECISION_FLOOR, "precision {p:.3}{report}");
}
