//! Showing rules back as a user would write them: word-list CSV, the brands a set of
//! rules covers, and the rules of one brand.

use super::{Rule, RuleKind, Rules, COLUMNS};
use crate::normalize::normalize_term;
use std::collections::BTreeMap;
use std::io;

/// One brand of a rule set, for `wordlist list --brands`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandEntry {
    /// The brand as its first rule writes it.
    pub brand: String,
    /// Rules of the brand: its terms and its allow phrases.
    pub rules: usize,
    /// Of these, the terms (literal and regex rules).
    pub terms: usize,
}

impl Rules {
    /// Write the rules as a word-list CSV with every column, which [`Rules::parse_csv`]
    /// reads back to the same rules.
    ///
    /// ```
    /// let rules = brandscan::Rules::parse_csv("l.csv", "term,brand,case\nCoach,Coach,sensitive\n").unwrap();
    /// let mut out = Vec::new();
    /// rules.write_csv(&mut out).unwrap();
    /// let text = String::from_utf8(out).unwrap();
    /// let again = brandscan::Rules::parse_csv("again.csv", &text).unwrap();
    /// assert_eq!(again.fingerprint(), rules.fingerprint());
    /// ```
    pub fn write_csv(&self, out: impl io::Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(COLUMNS)?;
        for r in self {
            w.write_record(csv_row(r))?;
        }
        w.flush()
    }

    /// The brands of the rules, sorted by name (case- and accent-insensitively), with
    /// their rule counts. Brands that only have allow phrases are listed too.
    ///
    /// ```
    /// let rules = brandscan::Rules::parse_csv("l.csv",
    ///     "term,brand,kind\nApple,Apple,\niPhone,Apple,\napple pie,Apple,allow\nRolex,,\n").unwrap();
    /// let brands = rules.brands();
    /// assert_eq!(brands.len(), 2);
    /// assert_eq!((brands[0].brand.as_str(), brands[0].rules, brands[0].terms), ("Apple", 3, 2));
    /// ```
    pub fn brands(&self) -> Vec<BrandEntry> {
        let mut by_key: BTreeMap<String, BrandEntry> = BTreeMap::new();
        for r in self {
            let e = by_key
                .entry(brand_key(&r.brand))
                .or_insert_with(|| BrandEntry {
                    brand: r.brand.to_string(),
                    rules: 0,
                    terms: 0,
                });
            e.rules += 1;
            e.terms += usize::from(r.kind != RuleKind::Allow);
        }
        by_key.into_values().collect()
    }

    /// Keep only the rules of `brand`, compared case- and accent-insensitively
    /// (`louis vuitton` is `Louis Vuitton`, `hermes` is `Hermès`). False, and nothing
    /// removed, when no rule has that brand.
    ///
    /// ```
    /// let mut rules = brandscan::Rules::parse_csv("l.csv", "term,brand\nAir Max,Nike\nRolex,\n").unwrap();
    /// assert!(!rules.retain_brand("Nkie"));
    /// assert!(rules.retain_brand("NIKE"));
    /// assert_eq!(rules.len(), 1);
    /// ```
    pub fn retain_brand(&mut self, brand: &str) -> bool {
        let key = brand_key(brand);
        if !self.iter().any(|r| brand_key(&r.brand) == key) {
            return false;
        }
        self.retain(|r| brand_key(&r.brand) == key);
        true
    }
}

fn brand_key(brand: &str) -> String {
    normalize_term(brand)
}

fn csv_row(r: &Rule) -> Vec<String> {
    // Allow phrases carry no severity, action or case of their own: leave the defaults
    // out, as the shipped lists do; anything else is written so it reads back the same.
    let allow = r.kind == RuleKind::Allow;
    let unless_default =
        |v: &'static str, default: &str| if allow && v == default { "" } else { v };
    COLUMNS
        .iter()
        .map(|c| match *c {
            "term" => r.term.to_string(),
            "brand" => r.brand.to_string(),
            "kind" => r.kind.as_str().to_string(),
            "severity" => unless_default(r.severity.as_str(), "general").to_string(),
            "action" => unless_default(r.action.as_str(), "remove").to_string(),
            "case" => unless_default(r.case.as_str(), "insensitive").to_string(),
            "replacement" => r.replacement.to_string(),
            "note" => r.note.to_string(),
            "with" => r.with.join(";"),
            _ => String::new(),
        })
        .collect()
}
