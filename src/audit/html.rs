//! `audit -f html`: the audit as one self-contained page for people, drawn by the same
//! renderer as `scan -f html` ([`crate::report::html::render`]): totals, the exposure per
//! brand under the policy, a chart of affected listings by brand and action, and the
//! table of affected listings, most dangerous first, with the matched words highlighted
//! in their context.
//!
//! The audit is priced and ranked only once the whole catalog is read, when the field
//! text is gone; so the context is cut while scanning, into an [`AuditContext`], and
//! joined to the ranked listings when the page is built.
//!
//! ```
//! use brandscan::audit::{html_page, Audit, AuditContext};
//! use brandscan::policy::Policy;
//! use brandscan::report::ReportMeta;
//! use brandscan::{Matcher, RecordFindings, Rules, Stats};
//!
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
//! let mut audit = Audit::new(Policy::builtin(), &["Rolex".into()], m.rules());
//! let mut context = AuditContext::new();
//! let title = "Strap <b>for</b> Rolex Submariner";
//! let rec = RecordFindings { listing_id: "P1".into(), row: 1, file_index: 0,
//!     findings: m.find_all("title", title) };
//! audit.add(&rec);
//! context.add(&rec, &[("title", title)]);
//! let page = html_page(&audit.finish(), &ReportMeta::default(), &Stats::default(), Some(&context));
//! assert_eq!(page.listings[0].extra, ["1", "general"]);
//! assert_eq!(page.tables[0].rows[0][..2], ["Rolex".to_string(), "1".to_string()]);
//! let mut out = Vec::new();
//! brandscan::report::html::render(&mut out, &page).unwrap();
//! assert!(String::from_utf8(out).unwrap().contains("Strap for <mark>Rolex</mark> Submariner"));
//! ```

use super::{AffectedListing, AuditReport};
use crate::error::{Error, Result};
use crate::finding::{Action, RecordFindings};
use crate::normalize::normalize_term;
use crate::policy::{Assessment, Penalty};
use crate::report::html::{
    render, snippets, BrandBar, HtmlListing, HtmlPage, HtmlTable, Snippet, Total, MAX_SNIPPETS,
    MAX_TABLE_LISTINGS,
};
use crate::report::ReportMeta;
use crate::scan::{FieldText, Stats};
use std::collections::HashMap;
use std::io::Write;

/// The context of every affected listing's words, per listing and brand, cut from the
/// field text while the catalog is scanned.
///
/// It holds a few hundred bytes per affected listing: an audit keeps every affected
/// listing anyway, to rank them at the end.
#[derive(Debug, Default)]
pub struct AuditContext {
    // (file index, row, normalized brand) → snippets, as `Audit::add` groups findings.
    snippets: HashMap<(usize, u64, String), Vec<Snippet>>,
}

impl AuditContext {
    /// An empty context.
    pub fn new() -> AuditContext {
        AuditContext::default()
    }

    /// Cut the context of `rec`'s findings from `text`, one set per brand, since each
    /// brand's findings make their own row of the page (one complaint each).
    pub fn add(&mut self, rec: &RecordFindings, text: &dyn FieldText) {
        let mut by_brand: Vec<(String, RecordFindings)> = Vec::new();
        for f in &rec.findings {
            let key = normalize_term(&f.brand);
            match by_brand.iter_mut().find(|(k, _)| *k == key) {
                Some((_, sub)) => sub.findings.push(f.clone()),
                None => by_brand.push((
                    key,
                    RecordFindings {
                        listing_id: String::new(),
                        row: rec.row,
                        file_index: rec.file_index,
                        findings: vec![f.clone()],
                    },
                )),
            }
        }
        for (key, sub) in by_brand {
            self.snippets
                .insert((rec.file_index, rec.row, key), snippets(&sub, Some(text)));
        }
    }

    fn get(&self, a: &AffectedListing) -> Option<&Vec<Snippet>> {
        self.snippets
            .get(&(a.file_index, a.row, normalize_term(&a.brand)))
    }
}

/// How an assessment reads in a cell: the penalty, and the rule when a count does not
/// explain it (serious complaints on one right), as the stderr summary says it.
fn penalty(a: &Assessment) -> String {
    if a.by == "same_right" {
        format!("{} ({})", a.penalty, a.reason)
    } else {
        a.penalty.to_string()
    }
}

/// A totals card for a penalty, coloured by how much it hurts.
fn penalty_total(label: &str, a: &Assessment) -> Total {
    match a.penalty {
        Penalty::None => Total::new(label, a.penalty),
        Penalty::Warning => Total::action(label, a.penalty, Action::Hide),
        Penalty::Restriction { .. } | Penalty::Closure => {
            Total::action(label, a.penalty, Action::Remove)
        }
    }
}

/// The audit's page. `meta` names the catalogs and the word lists, `stats` are the scan's;
/// without `context` the table shows the matched words alone.
pub fn html_page(
    report: &AuditReport,
    meta: &ReportMeta,
    stats: &Stats,
    context: Option<&AuditContext>,
) -> HtmlPage {
    let brand_names: Vec<&str> = report.brands.iter().map(|b| &*b.brand).collect();
    let mut facts = Vec::new();
    if !meta.files.is_empty() {
        let files: Vec<&str> = meta.files.iter().map(|f| &**f).collect();
        facts.push(("Catalogs".to_string(), files.join(", ")));
    }
    facts.push(("Brands".to_string(), brand_names.join(", ")));
    facts.push((
        "Word lists".to_string(),
        format!(
            "{}, fingerprint {}",
            crate::report::plural(meta.rules, "rule"),
            meta.fingerprint
        ),
    ));
    let p = &report.policy;
    facts.push(("Policy".to_string(), format!("{} ({})", p.name, p.file)));
    if !p.source.is_empty() {
        facts.push(("Policy source".to_string(), p.source.clone()));
    }
    facts.push((
        "Scan".to_string(),
        format!("{:.2} s", stats.elapsed.as_secs_f64()),
    ));

    // A listing counts once, at the strictest action of all its brands' findings.
    let mut strictest: HashMap<(usize, u64), Action> = HashMap::new();
    for a in &report.listings {
        let e = strictest.entry((a.file_index, a.row)).or_insert(a.action);
        *e = (*e).max(a.action);
    }
    let store = &report.store;
    let mut totals = vec![
        Total::new("Rows read", stats.rows_read),
        Total::new("Rows rejected", stats.rows_rejected),
        Total::new("Listings affected", store.listings),
    ];
    for action in [Action::Remove, Action::Hide, Action::Review] {
        let n = strictest.values().filter(|&&a| a == action).count();
        totals.push(Total::action(action.as_str(), n, action));
    }
    totals.push(Total::new("Potential complaints", store.complaints));
    totals.push(penalty_total("Worst case", &store.worst_case));
    totals.push(penalty_total("If filed together", &store.filed_together));

    let mut rows = Vec::new();
    for b in &report.brands {
        rows.push(vec![
            b.brand.to_string(),
            b.listings.to_string(),
            b.serious.to_string(),
            b.general.to_string(),
            b.worst_case.points.to_string(),
            penalty(&b.worst_case),
            b.filed_together.points.to_string(),
            penalty(&b.filed_together),
        ]);
    }
    let serious = report.listings.iter().filter(|a| a.is_serious()).count();
    let foot = vec![vec![
        format!(
            "Store ({})",
            crate::report::plural(store.complaints, "complaint")
        ),
        store.listings.to_string(),
        serious.to_string(),
        (store.complaints - serious).to_string(),
        store.worst_case.points.to_string(),
        penalty(&store.worst_case),
        store.filed_together.points.to_string(),
        penalty(&store.filed_together),
    ]];
    let exposure = HtmlTable {
        heading: format!("Exposure under “{}”", p.name),
        intro: "Each listing can draw one complaint per brand; serious and general \
                count those complaints. If each drew a complaint: every one is filed on \
                its own day and counts. If filed together: the same complaints arrive on \
                one day, as a bulk complaint does, and the policy's window swallows the \
                repeats. Points are general-infringement points; serious complaints \
                are penalized by their count."
            .to_string(),
        groups: [
            ("", 2),
            ("Complaints", 2),
            ("If each drew a complaint", 2),
            ("If filed together", 2),
        ]
        .map(|(g, n)| (g.to_string(), n))
        .to_vec(),
        columns: [
            "Brand",
            "Listings exposed",
            "Serious",
            "General",
            "Points",
            "Penalty",
            "Points",
            "Penalty",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        foot,
    };

    let chart = report
        .brands
        .iter()
        .map(|b| {
            let mut bar = BrandBar {
                brand: b.brand.to_string(),
                listings: [0; 3],
            };
            for a in report.listings.iter().filter(|a| a.brand == b.brand) {
                bar.listings[a.action as usize] += 1;
            }
            bar
        })
        .collect();

    let multi = meta.files.len() > 1;
    let listings: Vec<HtmlListing> = report
        .listings
        .iter()
        .take(MAX_TABLE_LISTINGS)
        .map(|a| {
            let rec = RecordFindings {
                listing_id: a.listing_id.clone(),
                row: a.row,
                file_index: a.file_index,
                findings: a.findings.clone(),
            };
            let file = meta.files.get(a.file_index).filter(|_| multi);
            let mut l = HtmlListing::from_record(&rec, file.map(|f| &**f), None);
            // The complaint's brand as the audit names it (`--brand rolex` → `Rolex`).
            l.brands = vec![a.brand.to_string()];
            if let Some(s) = context.and_then(|c| c.get(a)) {
                l.more_snippets = s.len().saturating_sub(MAX_SNIPPETS);
                l.snippets = s.iter().take(MAX_SNIPPETS).cloned().collect();
            }
            l.extra = vec![a.rank.to_string(), a.complaint.to_string()];
            l
        })
        .collect();
    let mut notes = Vec::new();
    if report.listings.len() > listings.len() {
        notes.push(format!(
            "The table shows the {} most dangerous of {} affected listings; `-f csv` writes them all.",
            listings.len(),
            report.listings.len()
        ));
    }
    HtmlPage {
        title: format!("Complaint audit: {}", brand_names.join(", ")),
        facts,
        totals,
        notes,
        tables: vec![exposure],
        chart,
        extra_columns: vec!["Rank".to_string(), "Complaint".to_string()],
        listings,
        listings_total: report.listings.len() as u64,
    }
}

/// Write the audit's page (see [`html_page`]) to `out`.
pub fn write_html(
    report: &AuditReport,
    meta: &ReportMeta,
    stats: &Stats,
    context: Option<&AuditContext>,
    out: &mut dyn Write,
) -> Result<()> {
    let out_err = |e| Error::io("<output>", e);
    render(out, &html_page(report, meta, stats, context)).map_err(out_err)?;
    out.flush().map_err(out_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{select_rules, Audit};
    use crate::policy::Policy;
    use crate::{Matcher, Rules};

    /// An audit of `brands` over `rows` of (title, description), with context.
    fn page(brands: &[&str], rows: &[(&str, &str)]) -> HtmlPage {
        let lists = Rules::parse_csv(
            "l.csv",
            "term,brand,severity,action\nRolex,Rolex,serious,remove\nSubmariner,Rolex,general,review\nNike,Nike,general,remove\nJordan,Nike,general,hide\n",
        )
        .unwrap();
        let brands: Vec<String> = brands.iter().map(|b| b.to_string()).collect();
        let m = Matcher::new(select_rules(lists, &brands, Rules::new()).unwrap()).unwrap();
        let mut audit = Audit::new(Policy::builtin(), &brands, m.rules());
        let mut context = AuditContext::new();
        for (i, (title, desc)) in rows.iter().enumerate() {
            let mut findings = m.find_all("title", title);
            findings.extend(m.find_all("description", desc));
            let rec = RecordFindings {
                listing_id: format!("L{}", i + 1),
                row: i as u64 + 1,
                file_index: 0,
                findings,
            };
            audit.add(&rec);
            context.add(&rec, &[("title", *title), ("description", *desc)]);
        }
        html_page(
            &audit.finish(),
            &ReportMeta::default(),
            &Stats::default(),
            Some(&context),
        )
    }

    fn marked(l: &HtmlListing) -> Vec<String> {
        l.snippets
            .iter()
            .map(|s| format!("{}: {}", s.field, s.marked()))
            .collect()
    }

    #[test]
    fn one_row_per_listing_and_brand_with_that_brands_words_only() {
        let p = page(
            &["rolex", "nike"],
            &[("Rolex and Nike watch box", "fits Submariner"), ("mug", "")],
        );
        assert_eq!(p.listings.len(), 2);
        let (rolex, nike) = (&p.listings[0], &p.listings[1]);
        // Rolex is serious, so its complaint ranks first.
        assert_eq!(
            (rolex.brands.as_slice(), rolex.extra[0].as_str()),
            (&["Rolex".to_string()][..], "1")
        );
        assert_eq!(rolex.extra[1], "serious");
        assert_eq!(
            marked(rolex),
            [
                "title: [Rolex] and Nike watch box",
                "description: fits [Submariner]"
            ]
        );
        assert_eq!(rolex.findings, 2);
        assert_eq!(nike.brands, ["Nike"]);
        assert_eq!(marked(nike), ["title: Rolex and [Nike] watch box"]);
        // One listing, counted once, at its strictest action.
        let card = |label: &str| {
            p.totals
                .iter()
                .find(|t| t.label == label)
                .map(|t| t.value.clone())
        };
        assert_eq!(card("Listings affected").as_deref(), Some("1"));
        assert_eq!(card("remove").as_deref(), Some("1"));
        assert_eq!(card("Potential complaints").as_deref(), Some("2"));
    }

    #[test]
    fn exposure_rows_chart_and_store_foot() {
        let p = page(
            &["Nike", "Rolex"],
            &[
                ("Nike shoe", ""),
                ("Jordan sock", ""),
                ("Nike cap", "Nike"),
                ("plain", ""),
            ],
        );
        let t = &p.tables[0];
        // Nike: 3 general complaints, 4 + 8 + 8 = 20 points → warning; filed together 4.
        assert_eq!(
            t.rows[0],
            ["Nike", "3", "0", "3", "20", "warning", "4", "no penalty"]
        );
        assert_eq!(t.rows[1][..2], ["Rolex".to_string(), "0".to_string()]);
        assert_eq!(t.foot[0][1..5], ["3", "0", "3", "20"].map(String::from));
        // Two listings to remove, one to hide (Jordan); Rolex drawn with no listing.
        assert_eq!(p.chart[0].listings, [0, 1, 2]);
        assert_eq!(p.chart[1].total(), 0);
        let worst = p.totals.iter().find(|t| t.label == "Worst case").unwrap();
        assert_eq!(
            (worst.value.as_str(), worst.action),
            ("warning", Some(Action::Hide))
        );
    }
}
