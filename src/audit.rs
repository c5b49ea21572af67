//! The complaint audit (docs/commands.md#audit): after a rights holder complains, every listing that
//! touches its brand, what to change in each, and what the store risks.
//!
//! 1. [`select_rules`] keeps only the named brands' rules (brands compared the way terms
//!    are: case and accents do not matter) plus the complaint's own terms.
//! 2. The catalogs are scanned as usual; each scanned record goes to [`Audit::add`].
//! 3. [`Audit::finish`] groups findings into potential complaints — one per listing and
//!    brand — prices them under a [`Policy`], and ranks the listings most dangerous first.
//!
//! A complaint is *serious* when one of its findings has severity `serious` (a brand
//! marked serious, or counterfeit wording, which raises severity); otherwise *general*.
//!
//! ```
//! use brandscan::audit::{select_rules, Audit};
//! use brandscan::policy::{Penalty, Policy};
//! use brandscan::{Matcher, RecordFindings, Rules};
//! let lists = Rules::parse_txt("l.txt", "Rolex\nNike\n").unwrap();
//! let rules = select_rules(lists, &["rolex".into()], Rules::new()).unwrap();
//! let m = Matcher::new(rules).unwrap();
//! let mut audit = Audit::new(Policy::builtin(), &["rolex".into()], m.rules());
//! for (row, title) in ["Rolex strap", "Nike shoe", "Rolex box", "Rolex case"].iter().enumerate() {
//!     audit.add(&RecordFindings { listing_id: format!("L{row}"), row: row as u64 + 1,
//!         file_index: 0, findings: m.find_all("title", title) });
//! }
//! let report = audit.finish();
//! assert_eq!(&*report.brands[0].brand, "Rolex");
//! assert_eq!(report.brands[0].listings, 3);
//! // 4 + 8 + 8 points if each drew a complaint: a warning.
//! assert_eq!(report.brands[0].worst_case.points, 20);
//! assert_eq!(report.brands[0].worst_case.penalty, Penalty::Warning);
//! ```

mod html;
mod write;

use crate::error::{Error, Result};
use crate::finding::{Action, Context, Finding, RecordFindings, Severity};
use crate::normalize::normalize_term;
use crate::policy::{Assessment, Complaint, Policy};
use crate::report::plural;
use crate::wordlist::{RuleKind, Rules};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;

pub use html::{html_page, write_html, AuditContext};
pub use write::{write_csv, write_json, AUDIT_COLUMNS};

/// Keep the rules of `brands` from `lists`, and every allow phrase (they only ever
/// suppress false matches), then add the complaint's own rules. Fails, naming the brand,
/// when a named brand is left with no rule to search for.
pub fn select_rules(mut lists: Rules, brands: &[String], complaint: Rules) -> Result<Rules> {
    let keys: Vec<String> = brands.iter().map(|b| normalize_term(b)).collect();
    for (brand, key) in brands.iter().zip(&keys) {
        let has_rules = lists
            .iter()
            .chain(complaint.iter())
            .any(|r| r.kind != RuleKind::Allow && normalize_term(&r.brand) == *key);
        if has_rules {
            continue;
        }
        let hint = crate::suggest::hint(&crate::suggest::similar_brands(&lists, brand));
        return Err(Error::usage(format!(
            "no rules for brand `{brand}` in the loaded word lists{hint}; give the complaint's own terms with --terms FILE"
        )));
    }
    lists.retain(|r| r.kind == RuleKind::Allow || keys.contains(&normalize_term(&r.brand)));
    lists.extend(complaint);
    Ok(lists)
}

/// A listing's findings of one brand: one complaint it could draw.
#[derive(Debug, Clone, Serialize)]
pub struct AffectedListing {
    /// 1 for the most dangerous listing.
    pub rank: usize,
    /// Index of its catalog among the inputs (`files` in the JSON report).
    pub file_index: usize,
    /// The listing id.
    pub listing_id: String,
    /// 1-based data record number in its file.
    pub row: u64,
    /// The brand that would complain.
    pub brand: Arc<str>,
    /// `serious` or `general`: which penalty track a complaint would take.
    pub complaint: &'static str,
    /// The strictest action of its findings.
    pub action: Action,
    /// What to change, field by field.
    pub fields: Vec<FieldChange>,
    /// Every finding of the brand in the listing.
    pub findings: Vec<Finding>,
}

impl AffectedListing {
    /// True when a complaint on it would be a serious infringement.
    pub fn is_serious(&self) -> bool {
        self.complaint == "serious"
    }
}

/// The words to change in one field of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The column.
    pub field: Arc<str>,
    /// The matched text, as written in the listing, each once.
    pub words: Vec<String>,
    /// The rules' terms they matched, each once.
    pub terms: Vec<Arc<str>>,
}

/// What one brand's complaints would cost the store.
#[derive(Debug, Clone, Serialize)]
pub struct BrandExposure {
    /// The brand.
    pub brand: Arc<str>,
    /// Listings that could draw a complaint from it.
    pub listings: usize,
    /// Of those, listings whose complaint would be serious.
    pub serious: usize,
    /// And general.
    pub general: usize,
    /// If each listing drew a complaint, spaced so that every one counts.
    pub worst_case: Assessment,
    /// If each listing drew a complaint, all on the same day (a bulk complaint).
    pub filed_together: Assessment,
}

/// What every brand's complaints together would cost the store.
#[derive(Debug, Clone, Serialize)]
pub struct StoreExposure {
    /// Distinct listings affected.
    pub listings: usize,
    /// Potential complaints: one per listing and brand.
    pub complaints: usize,
    /// Every complaint counts.
    pub worst_case: Assessment,
    /// All on the same day.
    pub filed_together: Assessment,
}

/// The policy an audit was priced under.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyInfo {
    /// Its name.
    pub name: String,
    /// Where its rules come from.
    pub source: String,
    /// Its file.
    pub file: String,
}

/// The result of an audit: exposure per brand and for the store, and the affected
/// listings most dangerous first.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    /// The penalty policy.
    pub policy: PolicyInfo,
    /// Per named brand, in the order named (then any other brand the complaint's terms
    /// carry).
    pub brands: Vec<BrandExposure>,
    /// Every brand together.
    pub store: StoreExposure,
    /// One entry per listing and brand, most dangerous first.
    pub listings: Vec<AffectedListing>,
}

/// Collects scanned records and prices them (see the module docs).
#[derive(Debug)]
pub struct Audit {
    policy: Policy,
    // (normalized key, display name) of each brand, named brands first.
    brands: Vec<(String, Arc<str>)>,
    affected: Vec<AffectedListing>,
}

impl Audit {
    /// An audit of `brands` under `policy`. Brand names are shown as `rules` write them
    /// (`--brand rolex` reports `Rolex`).
    pub fn new(policy: Policy, brands: &[String], rules: &Rules) -> Audit {
        let mut audit = Audit {
            policy,
            brands: Vec::new(),
            affected: Vec::new(),
        };
        for b in brands {
            let key = normalize_term(b);
            let display = rules
                .iter()
                .find(|r| r.kind != RuleKind::Allow && normalize_term(&r.brand) == key)
                .map_or_else(|| Arc::from(b.as_str()), |r| r.brand.clone());
            audit.brand_index(key, display);
        }
        audit
    }

    fn brand_index(&mut self, key: String, display: Arc<str>) -> usize {
        match self.brands.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                self.brands.push((key, display));
                self.brands.len() - 1
            }
        }
    }

    /// Add one scanned record; records without findings are ignored.
    pub fn add(&mut self, rec: &RecordFindings) {
        let mut groups: Vec<(usize, Vec<Finding>)> = Vec::new();
        for f in &rec.findings {
            let b = self.brand_index(normalize_term(&f.brand), f.brand.clone());
            match groups.iter_mut().find(|(i, _)| *i == b) {
                Some((_, v)) => v.push(f.clone()),
                None => groups.push((b, vec![f.clone()])),
            }
        }
        for (b, findings) in groups {
            let serious = findings
                .iter()
                .any(|f| f.severity == Severity::Serious || f.context == Context::Counterfeit);
            self.affected.push(AffectedListing {
                rank: 0,
                file_index: rec.file_index,
                listing_id: rec.listing_id.clone(),
                row: rec.row,
                brand: self.brands[b].1.clone(),
                complaint: if serious { "serious" } else { "general" },
                action: findings
                    .iter()
                    .map(|f| f.action)
                    .max()
                    .unwrap_or(Action::Review),
                fields: field_changes(&findings),
                findings,
            });
        }
    }

    /// Price the complaints and rank the listings.
    pub fn finish(mut self) -> AuditReport {
        let complaint = |a: &AffectedListing| Complaint {
            right: a.brand.to_string(),
            serious: a.is_serious(),
            day: 0,
        };
        let mut brands = Vec::new();
        for (_, name) in &self.brands {
            let of: Vec<&AffectedListing> =
                self.affected.iter().filter(|a| a.brand == *name).collect();
            let complaints: Vec<Complaint> = of.iter().map(|a| complaint(a)).collect();
            let serious = of.iter().filter(|a| a.is_serious()).count();
            brands.push(BrandExposure {
                brand: name.clone(),
                listings: of.len(),
                serious,
                general: of.len() - serious,
                worst_case: self.policy.worst_case(&complaints),
                filed_together: self.policy.filed_together(&complaints),
            });
        }
        let all: Vec<Complaint> = self.affected.iter().map(complaint).collect();
        let distinct: HashSet<(usize, u64)> = self
            .affected
            .iter()
            .map(|a| (a.file_index, a.row))
            .collect();
        let store = StoreExposure {
            listings: distinct.len(),
            complaints: all.len(),
            worst_case: self.policy.worst_case(&all),
            filed_together: self.policy.filed_together(&all),
        };
        // Serious complaints first (each one escalates on its own), then the listings of
        // the brands that would cost most, then the strictest action, then the most
        // findings; input order last, so the ranking is stable.
        let brand_cost = |a: &AffectedListing| {
            brands
                .iter()
                .find(|b| b.brand == a.brand)
                .map(|b| (b.worst_case.penalty, b.worst_case.points))
        };
        self.affected.sort_by(|a, b| {
            b.is_serious()
                .cmp(&a.is_serious())
                .then_with(|| brand_cost(b).cmp(&brand_cost(a)))
                .then(b.action.cmp(&a.action))
                .then(b.findings.len().cmp(&a.findings.len()))
                .then(a.file_index.cmp(&b.file_index))
                .then(a.row.cmp(&b.row))
        });
        for (i, a) in self.affected.iter_mut().enumerate() {
            a.rank = i + 1;
        }
        AuditReport {
            policy: PolicyInfo {
                name: self.policy.name.clone(),
                source: self.policy.source.clone(),
                file: self.policy.file.display().to_string(),
            },
            brands,
            store,
            listings: self.affected,
        }
    }
}

fn field_changes(findings: &[Finding]) -> Vec<FieldChange> {
    let mut out: Vec<FieldChange> = Vec::new();
    for f in findings {
        let i = match out.iter().position(|c| c.field == f.field) {
            Some(i) => i,
            None => {
                out.push(FieldChange {
                    field: f.field.clone(),
                    words: Vec::new(),
                    terms: Vec::new(),
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        if !c.words.contains(&f.matched) {
            c.words.push(f.matched.clone());
        }
        if !c.terms.contains(&f.term) {
            c.terms.push(f.term.clone());
        }
    }
    out
}

impl AuditReport {
    /// A few lines for people: exposure per brand and for the store.
    pub fn summary(&self) -> String {
        let mut s = format!("Exposure under the policy \"{}\":\n", self.policy.name);
        let line = |a: &Assessment| {
            let mut parts = Vec::new();
            if a.general_counted > 0 || a.serious_counted == 0 {
                parts.push(plural(a.points, "point"));
            }
            if a.serious_counted > 0 {
                parts.push(plural(a.serious_counted, "serious complaint"));
            }
            let mut l = format!("{} → {}", parts.join(" and "), a.penalty);
            if a.by == "same_right" {
                // The one rule a count does not explain.
                l.push_str(&format!(" ({})", a.reason));
            }
            l
        };
        for b in &self.brands {
            s.push_str(&format!(
                "  {}: {} exposed ({} serious, {} general); if each drew a complaint: {}; if filed together: {}\n",
                b.brand,
                plural(b.listings, "listing"),
                b.serious,
                b.general,
                line(&b.worst_case),
                line(&b.filed_together)
            ));
        }
        s.push_str(&format!(
            "  store: {}, {}; worst case: {}; if filed together: {}",
            plural(self.store.listings, "listing"),
            plural(self.store.complaints, "potential complaint"),
            line(&self.store.worst_case),
            line(&self.store.filed_together)
        ));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Penalty;
    use crate::Matcher;

    const LIST: &str = "term,brand,severity,action\n\
        Rolex,Rolex,general,remove\n\
        Submariner,Rolex,general,review\n\
        Hermès,Hermès,serious,remove\n\
        Nike,Nike,general,remove\n\
        apple green,Apple,general,remove\n";

    fn lists() -> Rules {
        let mut r = Rules::parse_csv("l.csv", LIST).unwrap();
        r.extend(Rules::parse_csv("a.csv", "term,kind\napple green,allow\n").unwrap());
        r
    }

    fn audit(brands: &[&str], titles: &[&str]) -> AuditReport {
        let brands: Vec<String> = brands.iter().map(|b| b.to_string()).collect();
        let m = Matcher::new(select_rules(lists(), &brands, Rules::new()).unwrap()).unwrap();
        let mut a = Audit::new(Policy::builtin(), &brands, m.rules());
        for (i, t) in titles.iter().enumerate() {
            a.add(&RecordFindings {
                listing_id: format!("L{}", i + 1),
                row: i as u64 + 1,
                file_index: 0,
                findings: m.find_all("title", t),
            });
        }
        a.finish()
    }

    #[test]
    fn brands_match_without_case_or_accents() {
        let r = select_rules(lists(), &["HERMES".into(), "rolex".into()], Rules::new()).unwrap();
        let brands: HashSet<&str> = r.iter().map(|r| &*r.brand).collect();
        assert_eq!(brands, HashSet::from(["Hermès", "Rolex", "apple green"]));
    }

    #[test]
    fn unknown_brand_is_an_error_with_hints() {
        let e = select_rules(lists(), &["Rolex".into(), "Role".into()], Rules::new())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`Role`") && e.contains("Rolex") && e.contains("--terms"),
            "{e}"
        );
        // The complaint's terms can supply a brand the lists lack.
        let terms = Rules::parse_csv("c.csv", "term,brand\nKorvex,Korvex\n").unwrap();
        assert!(select_rules(lists(), &["korvex".into()], terms).is_ok());
    }

    #[test]
    fn one_complaint_per_listing_and_brand_with_fields_and_words() {
        let r = audit(&["rolex"], &["Rolex Submariner for ROLEX fans", "mug"]);
        assert_eq!(r.listings.len(), 1);
        let l = &r.listings[0];
        assert_eq!(&*l.brand, "Rolex");
        assert_eq!(l.action, Action::Remove);
        assert_eq!(l.fields.len(), 1);
        assert_eq!(l.fields[0].words, ["Rolex", "Submariner", "ROLEX"]);
        let terms: Vec<&str> = l.fields[0].terms.iter().map(|t| &**t).collect();
        assert_eq!(terms, ["Rolex", "Submariner"]);
        assert_eq!(r.brands[0].worst_case.points, 4);
        assert_eq!(r.brands[0].worst_case.penalty, Penalty::None);
    }

    #[test]
    fn serious_first_and_store_adds_up() {
        let r = audit(
            &["Rolex", "Hermes"],
            &[
                "Rolex strap",
                "Submariner box",
                "Hermes scarf",
                "Rolex case",
            ],
        );
        let order: Vec<(&str, &str)> = r
            .listings
            .iter()
            .map(|l| (l.listing_id.as_str(), l.complaint))
            .collect();
        // Serious first; then Remove before Review; input order last.
        assert_eq!(
            order,
            [
                ("L3", "serious"),
                ("L1", "general"),
                ("L4", "general"),
                ("L2", "general")
            ]
        );
        assert_eq!(r.listings[0].rank, 1);
        // Rolex: 3 general → 20 points, warning. Hermès: 1 serious → warning.
        assert_eq!(r.brands[0].worst_case.points, 20);
        assert_eq!(r.brands[1].serious, 1);
        assert_eq!(r.brands[1].worst_case.penalty, Penalty::Warning);
        // Store: 20 points (warning) and one serious complaint (warning).
        assert_eq!(r.store.complaints, 4);
        assert_eq!(r.store.worst_case.penalty, Penalty::Warning);
        // Filed together, Rolex scores only its first complaint.
        assert_eq!(r.store.filed_together.points, 4);
    }

    #[test]
    fn counterfeit_context_makes_a_complaint_serious() {
        let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
        let mut f = m.find_all("title", "Rolex replica");
        f[0].context = Context::Counterfeit;
        let mut a = Audit::new(Policy::builtin(), &["Rolex".into()], m.rules());
        a.add(&RecordFindings {
            listing_id: "X".into(),
            row: 1,
            file_index: 0,
            findings: f,
        });
        let r = a.finish();
        assert_eq!(r.listings[0].complaint, "serious");
        assert_eq!(r.brands[0].serious, 1);
    }

    #[test]
    fn a_named_brand_without_listings_is_reported_with_nothing() {
        let r = audit(&["Nike", "Rolex"], &["Rolex strap"]);
        assert_eq!(r.brands[0].listings, 0);
        assert_eq!(r.brands[0].worst_case.penalty, Penalty::None);
        assert_eq!(r.store.listings, 1);
        assert!(r.summary().contains("Nike: 0 listings"), "{}", r.summary());
    }
}
