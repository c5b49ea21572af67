//! `audit -f html`: the page's exposure figures, chart and listing rows are those of
//! `audit -f json` for the same input, and catalog and word-list text is escaped.

use crate::util::*;
use serde_json::Value;

fn audit(catalog: &str, rules: &str, args: &[&str]) -> Run {
    run(brandscan()
        .args(["audit", "--no-config", "--no-builtin", "-w"])
        .arg(data(rules))
        .args(args)
        .arg(data(catalog)))
}

/// The same audit as JSON and as a page.
fn both(args: &[&str]) -> (Value, String) {
    let run_as = |format: &str| {
        let mut all = args.to_vec();
        all.extend(["-f", format]);
        let r = audit("audit_catalog.csv", "wordlists/audit_rules.csv", &all);
        assert_eq!(r.code, 1, "remove findings exit 1: {}", r.stderr);
        r.stdout
    };
    let json = serde_json::from_str(&run_as("json")).expect("json");
    (json, run_as("html"))
}

/// Text with the tags taken out and the five escapes undone.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once('>').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The cells of every `<tr>` in `part`, as text.
fn table_rows(part: &str) -> Vec<Vec<String>> {
    part.split("<tr")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").expect("closed row")];
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let body = &cell[cell.find('>').expect("cell") + 1..];
                    text(&body[..body.find("</td>").expect("closed cell")])
                })
                .collect()
        })
        .collect()
}

/// The text between the first `open` and the next `close` after it.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let s = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    &html[s..s + html[s..]
        .find(close)
        .unwrap_or_else(|| panic!("no {close}"))]
}

/// The `value` of the totals card labelled `label`.
fn total(html: &str, label: &str) -> String {
    let tail = format!("</div><div class=\"label\">{label}</div>");
    let end = html
        .find(&tail)
        .unwrap_or_else(|| panic!("no `{label}` card"));
    let start = html[..end].rfind('>').unwrap() + 1;
    text(&html[start..end])
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An exposure row as the page writes it, from a JSON brand or store object.
fn exposure_cells(
    first: String,
    listings: &Value,
    serious: String,
    general: String,
    e: &Value,
) -> Vec<String> {
    let mut cells = vec![first, s(listings), serious, general];
    for case in ["worst_case", "filed_together"] {
        cells.push(s(&e[case]["points"]));
        let mut penalty = s(&e[case]["penalty"]);
        if e[case]["by"] == "same_right" {
            penalty = format!("{penalty} ({})", s(&e[case]["reason"]));
        }
        cells.push(penalty);
    }
    cells
}

#[test]
fn exposure_chart_and_rows_match_the_json_audit() {
    for brands in [
        &["--brand", "brightwell", "--brand", "Korvex"][..],
        &["--brand", "LUMORA", "--brand", "Nike"][..],
    ] {
        let (v, html) = both(brands);
        assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));

        // Exposure: one row per brand, in the order named, then the store.
        let figures = between(&html, "<table class=\"figures\">", "</table>");
        let body = table_rows(between(figures, "<tbody>", "</tbody>"));
        let want: Vec<Vec<String>> = v["brands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                exposure_cells(
                    s(&b["brand"]),
                    &b["listings"],
                    s(&b["serious"]),
                    s(&b["general"]),
                    b,
                )
            })
            .collect();
        assert_eq!(body, want, "{brands:?}");
        let listings = v["listings"].as_array().unwrap();
        let serious = listings
            .iter()
            .filter(|l| l["complaint"] == "serious")
            .count();
        let store = &v["store"];
        let complaints = store["complaints"].as_u64().unwrap() as usize;
        assert_eq!(complaints, listings.len());
        let foot = table_rows(between(figures, "<tfoot>", "</tfoot>"));
        assert_eq!(
            foot,
            [exposure_cells(
                format!(
                    "Store ({complaints} complaint{})",
                    if complaints == 1 { "" } else { "s" }
                ),
                &store["listings"],
                serious.to_string(),
                (complaints - serious).to_string(),
                store
            )]
        );
        assert_eq!(total(&html, "Listings affected"), s(&store["listings"]));
        assert_eq!(
            total(&html, "Potential complaints"),
            s(&store["complaints"])
        );
        assert_eq!(
            total(&html, "Worst case"),
            s(&store["worst_case"]["penalty"])
        );
        assert_eq!(
            total(&html, "If filed together"),
            s(&store["filed_together"]["penalty"])
        );

        // The chart: each brand's listings by action.
        let bars = between(&html, "<div class=\"bars\"", "</section>");
        for b in v["brands"].as_array().unwrap() {
            let of = |action: &str| {
                listings
                    .iter()
                    .filter(|l| l["brand"] == b["brand"] && l["action"] == action)
                    .count()
            };
            let n = b["listings"].as_u64().unwrap();
            let title = format!(
                "title=\"{}: {n} listing{} ({} remove, {} hide, {} review)\"",
                s(&b["brand"]),
                if n == 1 { "" } else { "s" },
                of("remove"),
                of("hide"),
                of("review")
            );
            assert!(bars.contains(&title), "{title} in {bars}");
        }

        // The table: the JSON's listings in the JSON's order (most dangerous first),
        // each with its brand, action, rank, complaint and every matched word marked.
        let table = between(&html, "<table id=\"listings\">", "</table>");
        let header: Vec<String> = between(table, "<thead>", "</thead>")
            .split("<th")
            .skip(1)
            .map(|h| text(&h[h.find('>').unwrap() + 1..h.find("</th>").unwrap()]))
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{name} in {header:?}"))
        };
        let body = between(table, "<tbody>", "</tbody>");
        let rows = table_rows(body);
        assert_eq!(rows.len(), listings.len());
        let raw_rows: Vec<&str> = body.split("<tr").skip(1).collect();
        for ((row, raw), l) in rows.iter().zip(&raw_rows).zip(listings) {
            assert_eq!(row[col("Listing")], s(&l["listing_id"]));
            assert_eq!(row[col("Row")], s(&l["row"]));
            assert_eq!(row[col("Action")], s(&l["action"]));
            assert_eq!(row[col("Brands")], s(&l["brand"]));
            assert_eq!(row[col("Rank")], s(&l["rank"]));
            assert_eq!(row[col("Complaint")], s(&l["complaint"]));
            let findings = l["findings"].as_array().unwrap();
            assert!(
                raw.contains(&format!(
                    "<td class=\"findings\" data-label=\"Findings\" data-sort=\"{}\">",
                    findings.len()
                )),
                "{raw}"
            );
            // One line per finding that reads differently: its severity, kind, context.
            for f in findings {
                let line = format!(
                    "<span class=\"chip sev-{}\">{}</span><span class=\"chip kind-{k}\">{k}</span>",
                    s(&f["severity"]),
                    s(&f["severity"]),
                    k = s(&f["match_kind"])
                );
                assert!(raw.contains(&line), "{line} in {raw}");
            }
            let mut marked: Vec<String> = raw
                .split("<mark>")
                .skip(1)
                .map(|m| text(&m[..m.find("</mark>").unwrap()]))
                .collect();
            let mut matched: Vec<String> = findings.iter().map(|f| s(&f["matched"])).collect();
            marked.sort();
            matched.sort();
            assert_eq!(marked, matched, "{}", s(&l["listing_id"]));
        }
    }
}

#[test]
fn listing_and_word_list_text_is_escaped() {
    // The complaint's own term, filed under a brand name full of markup.
    let (_dir, terms) = wordlist("complaint.txt", "Rolex\nNike\n");
    let r = audit(
        "html_injection.csv",
        TEST_RULES,
        &[
            "--brand",
            "<i>Evil</i> & \"Co\"",
            "--terms",
            terms.to_str().unwrap(),
            "-f",
            "html",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = &r.stdout;
    // Only the page's own script; neither the listing's nor the brand's markup is live.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<img") && !html.contains("<i>") && !html.contains("<b>X1"));
    assert!(html
        .contains("<title>Complaint audit: &lt;i&gt;Evil&lt;/i&gt; &amp; &quot;Co&quot;</title>"));
    assert!(html.contains("<td class=\"id\">&lt;b&gt;X1&lt;/b&gt;</td>"));
    assert!(html
        .contains("<td data-label=\"Brands\">&lt;i&gt;Evil&lt;/i&gt; &amp; &quot;Co&quot;</td>"));
    // Context reads as the scanner reads it (tags and scripts dropped, entities
    // decoded), then is escaped.
    assert!(html.contains("<span class=\"field\">title</span> <mark>Nike</mark> shoe"));
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt; fits <mark>Rolex</mark> &amp; co</div>")
    );
    // A listing cannot close the table: as many rows open as close.
    assert_eq!(html.matches("<tr").count(), html.matches("</tr>").count());
    assert_eq!(
        html.matches("<tr data-action=").count(),
        1,
        "one listing, one brand"
    );
    for attr in [" src=\"", " href=\"", "<link", "@import", "url("] {
        assert!(!html.contains(attr), "{attr}");
    }
}

#[test]
fn written_atomically_with_o() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.html");
    let r = audit(
        "audit_catalog.csv",
        "wordlists/audit_rules.csv",
        &[
            "--brand",
            "Korvex",
            "-f",
            "html",
            "-q",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty() && r.stderr.is_empty(), "{}", r.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        html.matches("<tr data-action=").count(),
        3,
        "K002, K001, K005"
    );
}
