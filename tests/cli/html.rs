//! `-f html`: one self-contained page with totals, a chart and an escaped table; and
//! the word-list fingerprint in every report.

use crate::util::*;

fn scan(catalog: &str, extra: &[&str]) -> Run {
    run(brandscan()
        .args(["scan", "--no-builtin", "-w"])
        .arg(data(TEST_RULES))
        .arg(data(catalog))
        .args(extra))
}

/// The `value` of the totals card labelled `label`.
fn total(html: &str, label: &str) -> String {
    let tail = format!("</div><div class=\"label\">{label}</div>");
    let end = html
        .find(&tail)
        .unwrap_or_else(|| panic!("no `{label}` card"));
    let start = html[..end].rfind('>').unwrap() + 1;
    html[start..end].to_string()
}

/// The table rows, as the text between `<tr data-action=` and `</tr>`.
fn rows(html: &str) -> Vec<&str> {
    html.split("<tr data-action=\"")
        .skip(1)
        .map(|r| &r[..r.find("</tr>").unwrap()])
        .collect()
}

#[test]
fn totals_chart_and_rows() {
    let r = scan("nightly/tuesday.csv", &["-f", "html"]);
    assert_eq!(r.code, 1);
    let html = &r.stdout;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(total(html, "Rows read"), "6");
    assert_eq!(total(html, "Rows rejected"), "0");
    assert_eq!(total(html, "Listings flagged"), "4");
    assert_eq!(total(html, "remove"), "2");
    assert_eq!(total(html, "hide"), "1");
    assert_eq!(total(html, "review"), "1");
    assert_eq!(total(html, "Findings"), "6");

    let rows = rows(html);
    assert_eq!(rows.len(), 4);
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| {
            let s = r.find("<td class=\"id\">").unwrap() + 15;
            &r[s..s + r[s..].find('<').unwrap()]
        })
        .collect();
    assert_eq!(ids, ["M1", "M3", "M5", "M6"]);
    // M1: the listing's strictest action, both fields' words highlighted in context.
    assert!(rows[0].starts_with("remove\">"));
    assert!(rows[0].contains("<span class=\"field\">title</span> <mark>Nike</mark> running shoe"));
    assert!(rows[0].contains("Breathable mesh upper, <mark>Jordan</mark> river print"));
    assert!(
        rows[0].contains("<td data-sort=\"2\">2</td>"),
        "findings: {}",
        rows[0]
    );
    assert!(rows[1].starts_with("hide\">"));

    // The chart: one bar group per brand, coloured by action.
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    for brand in ["Nike", "Jordan", "Coach", "3M", "Louis Vuitton", "Gap"] {
        assert!(svg.contains(&format!(">{brand}</text>")), "{brand} bar");
    }
    assert_eq!(svg.matches("<rect class=\"review\"").count(), 2);
    assert_eq!(svg.matches("<rect class=\"hide\"").count(), 1);
    assert_eq!(svg.matches("<rect class=\"remove\"").count(), 3);
}

#[test]
fn listing_text_is_escaped_and_nothing_is_loaded() {
    let r = scan("html_injection.csv", &["-f", "html"]);
    let html = &r.stdout;
    // Only the page's own script; the listings' markup is text.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>X1"));
    assert!(html.contains("<td class=\"id\">&lt;b&gt;X1&lt;/b&gt;</td>"));
    // Context reads as text: complete tags are dropped, entities decoded — and then
    // everything is escaped again, so a decoded `&lt;img` cannot become a tag.
    assert!(html.contains("<span class=\"field\">title</span> alert(1) <mark>Nike</mark> shoe"));
    assert!(html.contains(
        "&lt;img src=x onerror=alert(2)&gt; fits <mark>Rolex</mark> &amp; co &lt;script</div>"
    ));
    assert!(html.contains("<span class=\"field\">description</span> <mark>Gap</mark></div>"));
    assert!(html.contains("<mark>Coach</mark> bag &#39;limited&#39;"));
    // A listing cannot close the table: as many rows open as close.
    assert_eq!(html.matches("<tr").count(), html.matches("</tr>").count());
    assert_eq!(rows(html).len(), 2);
    // Self-contained: no external resource, and a policy forbidding one.
    assert!(html.contains("content=\"default-src 'none';"));
    // (Escaped listing text may say `src=`, but never with a raw quote.)
    for attr in [" src=\"", " href=\"", "<link", "@import", "url("] {
        assert!(!html.contains(attr), "{attr}");
    }
}

#[test]
fn the_fingerprint_is_in_every_report() {
    let para = scan("nightly/monday.csv", &[]).stderr;
    let at = para.find("sha256:").unwrap();
    let fp = &para[at..at + 23];
    let html = scan("nightly/monday.csv", &["-f", "html"]).stdout;
    assert!(html.contains(&format!("fingerprint {fp}</dd>")), "{fp}");
    let summary = scan("nightly/monday.csv", &["-f", "summary"]).stdout;
    assert!(summary.contains(&format!("fingerprint {fp}\n")));
    // Machine formats keep their documented columns unless asked.
    let csv = scan("nightly/monday.csv", &["--fingerprint-column"]).stdout;
    let rows = csv_rows(&csv);
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",context,fingerprint"));
    assert!(rows.iter().all(|r| r["fingerprint"] == fp));
    let listings = scan(
        "nightly/monday.csv",
        &["-f", "listings", "--fingerprint-column"],
    )
    .stdout;
    assert!(csv_rows(&listings).iter().all(|r| r["fingerprint"] == fp));
    let jsonl = scan(
        "nightly/monday.csv",
        &["-f", "jsonl", "--fingerprint-column"],
    )
    .stdout;
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["fingerprint"], fp);
        assert!(v["term"].is_string());
    }
    let plain = scan("nightly/monday.csv", &["-f", "jsonl"]).stdout;
    assert!(!plain.contains("fingerprint"));
}
