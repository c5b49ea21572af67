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
    assert!(rows[0].starts_with("remove\""));
    assert!(rows[0].contains("<span class=\"field\">title</span> <mark>Nike</mark> running shoe"));
    assert!(rows[0].contains("Breathable mesh upper, <mark>Jordan</mark> river print"));
    assert!(
        rows[0].contains("data-label=\"Findings\" data-sort=\"2\">"),
        "findings: {}",
        rows[0]
    );
    assert!(rows[1].starts_with("hide\""));

    // The chart: one bar group per brand, coloured by action.
    let start = html.find("<div class=\"bars\"").unwrap();
    let bars = &html[start..start + html[start..].find("</section>").unwrap()];
    for brand in ["Nike", "Jordan", "Coach", "3M", "Louis Vuitton", "Gap"] {
        assert!(
            bars.contains(&format!("<span class=\"brand\">{brand}</span>")),
            "{brand} bar"
        );
    }
    assert_eq!(
        bars.matches("<span class=\"review\" style=\"width:")
            .count(),
        2
    );
    assert_eq!(
        bars.matches("<span class=\"hide\" style=\"width:").count(),
        1
    );
    assert_eq!(
        bars.matches("<span class=\"remove\" style=\"width:")
            .count(),
        3
    );
    // No drawing scaled down on a phone: the bars are HTML in the page's own font.
    assert!(!html.contains("<svg"));
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
    // Context reads as the scanner reads it: tags and scripts are dropped, entities
    // decoded — and then everything is escaped again, so a decoded `&lt;img` cannot
    // become a tag.
    assert!(html.contains("<span class=\"field\">title</span> <mark>Nike</mark> shoe"));
    assert!(
        html.contains("&lt;img src=x onerror=alert(2)&gt; fits <mark>Rolex</mark> &amp; co</div>")
    );
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

/// `scan -f html` of `catalog` (CSV text) with `list` (.txt terms) as the only rules.
fn page_of(catalog: &str, list: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let cat = dir.path().join("catalog.csv");
    std::fs::write(&cat, catalog).unwrap();
    let wl = dir.path().join("list.txt");
    std::fs::write(&wl, list).unwrap();
    let r = run(brandscan()
        .args([
            "scan",
            "-f",
            "html",
            "--fail-on",
            "never",
            "--no-builtin",
            "-w",
        ])
        .arg(&wl)
        .arg(&cat)
        .args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// The table row of listing `id`.
fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
    rows(html)
        .into_iter()
        .find(|r| r.contains(&format!("<td class=\"id\">{id}</td>")))
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn severity_context_and_match_kind_per_finding_with_filters() {
    let html = page_of(
        "sku,title\nC1,AAA Replica Rolex Submariner 1:1 Green Dial\nC2,Strap for Rolex 20mm\nC3,N1ke running shoe\n",
        "Rolex\nNike\n",
        &[],
    );
    let head = &html[html.find("<thead>").unwrap()..html.find("</thead>").unwrap()];
    for col in [
        ">Severity</th>",
        ">Brands</th>",
        ">Findings</th>",
        ">Where</th>",
    ] {
        assert!(head.contains(col), "{col} in {head}");
    }
    for filter in ["action", "severity", "context", "kind"] {
        assert!(
            html.contains(&format!("<select data-filter=\"{filter}\">")),
            "{filter}"
        );
    }
    // A counterfeit offer: serious whatever the rule says, and said so on its line.
    let c1 = row_of(&html, "C1");
    assert!(
        c1.starts_with(
            "remove\" data-severity=\"serious\" data-context=\"counterfeit\" data-kind=\"exact\""
        ),
        "{c1}"
    );
    assert!(c1.contains(
        "<li><span class=\"term\">Rolex</span> <span class=\"chip sev-serious\">serious</span><span class=\"chip kind-exact\">exact</span><span class=\"chip ctx-counterfeit\">counterfeit</span></li>"
    ), "{c1}");
    // Compatible use and a disguised spelling read differently.
    let c2 = row_of(&html, "C2");
    assert!(c2.contains("data-context=\"compatible\""), "{c2}");
    assert!(
        c2.contains("<span class=\"chip ctx-compatible\">compatible</span>"),
        "{c2}"
    );
    let c3 = row_of(&html, "C3");
    assert!(
        c3.contains("data-context=\"plain\" data-kind=\"obfuscated\""),
        "{c3}"
    );
    assert!(
        c3.contains("<span class=\"chip kind-obfuscated\">obfuscated</span>"),
        "{c3}"
    );
    assert!(!c3.contains("ctx-"), "{c3}");
}

#[test]
fn counterfeit_wording_is_highlighted_beside_the_brand() {
    let html = page_of(
        "sku,title,description\nC1,AAA Replica Rolex Submariner 1:1 Green Dial,Rolex style watch with AAA batteries\n",
        "Rolex\n",
        &[],
    );
    let c1 = row_of(&html, "C1");
    assert!(c1.contains(
        "<span class=\"field\">title</span> <mark class=\"signal\">AAA</mark> <mark class=\"signal\">Replica</mark> <mark>Rolex</mark> Submariner <mark class=\"signal\">1:1</mark> Green Dial</div>"
    ), "{c1}");
    // `style` right after the brand is a signal; `AAA batteries` is not one.
    assert!(c1.contains(
        "<span class=\"field\">description</span> <mark>Rolex</mark> <mark class=\"signal\">style</mark> watch with AAA batteries</div>"
    ), "{c1}");
    // A listing without such wording has none marked.
    let plain = page_of("sku,title\nP1,Rolex box\n", "Rolex\n", &[]);
    let p1 = row_of(&plain, "P1");
    assert!(!p1.contains("<mark class=\"signal\">"), "{p1}");
}

#[test]
fn entities_are_decoded_in_the_context_and_everything_stays_escaped() {
    let html = page_of(
        "sku,title\nE1,Ch&#97;nel N&deg;5 &lt;script&gt;x&lt;/script&gt; &amp; co\n",
        "Chanel\n",
        &[],
    );
    let e1 = row_of(&html, "E1");
    assert!(
        e1.contains("<mark>Chanel</mark> N°5 &lt;script&gt;x&lt;/script&gt; &amp; co</div>"),
        "{e1}"
    );
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("Ch&#97;nel") && !html.contains("&deg;"));
}

#[test]
fn expired_and_unused_suppressions_are_listed_and_their_listings_flagged() {
    let r = scan(
        "nightly/monday.csv",
        &[
            "--suppress",
            data("nightly/suppress.csv").to_str().unwrap(),
            "--today",
            "2025-07-01",
            "-f",
            "html",
        ],
    );
    let html = &r.stdout;
    let table = &html[html
        .find("<h2>Suppressions to look at</h2>")
        .expect("the table")..];
    let table = &table[..table.find("</table>").unwrap()];
    for row in [
        "<td>expired</td><td>M3</td><td>coach</td><td>brand&#39;s own outlet stock (letter on file)</td><td>ana</td><td>2025-07-01</td><td class=\"num\">2</td><td>flagged again: see Listings</td>",
        "<td>expired</td><td>M2</td><td>Rolex</td><td>cleared before the strap was re-described</td><td>ana</td><td>2025-01-01</td><td class=\"num\">5</td><td>flagged again: see Listings</td>",
        "<td>unused</td><td>M9</td><td>Nike</td><td>listing deleted since</td><td>li</td><td></td><td class=\"num\">4</td><td>not flagged</td>",
    ] {
        assert!(table.contains(row), "{row} in {table}");
    }
    let m2 = row_of(html, "M2");
    assert!(
        m2.contains(
            "<li class=\"flag\">suppression of `Rolex` expired on 2025-01-01 (line 5)</li>"
        ),
        "{m2}"
    );
}
