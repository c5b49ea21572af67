//! The nightly run's memory: `--baseline` (what was found last time) and `--suppress`
//! (what a person cleared), docs/matching.md#output.
//!
//! A [`Triage`] sits between the scan driver and the report: it takes every record's
//! findings before they are counted and drops those already in the baseline or cleared
//! by a live suppression. What is left is what the report shows, what [`crate::Stats`]
//! counts and what the exit code is computed from. At the end, [`Triage::finish`] says
//! how many findings were new, unchanged, resolved and suppressed, and which
//! suppressions expired or matched nothing.
//!
//! * Baseline key: `(listing_id, field, term)`, compared exactly (it is our own output).
//!   Rows, offsets and the `file` column do not count: a catalog re-exported in another
//!   order keeps its baseline.
//! * Suppression key: `(listing_id, term)`, the term compared up to case. A suppression
//!   holds while `today < expires`; on its `expires` date it stops holding, its findings
//!   come back (as new, since a baseline saved with `--save-baseline` never holds
//!   suppressed findings) and it is listed as expired.
//! * A baseline saved before a suppression existed holds the finding the suppression
//!   then hid. `--save-baseline` writes the run's date in a `saved` column, so when a
//!   suppression expires after that date its findings are reported again even though
//!   the baseline knows them: the clearance ran out since the baseline was taken. A
//!   baseline without the column (an older one, or a plain `-o` report) counts them as
//!   unchanged, as before.
//!
//! ```
//! use brandscan::baseline::{Baseline, Suppressions, Triage};
//! use brandscan::{Matcher, RecordFindings, Rules};
//! use chrono::NaiveDate;
//!
//! let baseline = Baseline::parse("last.csv",
//!     "listing_id,row,field,start,end,matched,term\nA1,1,title,0,4,Nike,Nike\n").unwrap();
//! let cleared = Suppressions::parse("cleared.csv",
//!     "listing_id,term,reason,reviewer,expires\nA2,adidas,own stock,ann,2030-01-01\n").unwrap();
//! let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
//! let mut triage = Triage::new(Some(baseline), Some(cleared), today);
//!
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\nAdidas\n").unwrap()).unwrap();
//! let mut rec = |id: &str, title: &str| RecordFindings {
//!     listing_id: id.into(), row: 1, file_index: 0, findings: m.find_all("title", title) };
//! let (mut a1, mut a2, mut a3) = (rec("A1", "Nike shoe"), rec("A2", "Adidas cap"), rec("A3", "Nike sock"));
//! for r in [&mut a1, &mut a2, &mut a3] {
//!     triage.filter(r);
//! }
//! assert!(a1.findings.is_empty()); // in the baseline
//! assert!(a2.findings.is_empty()); // suppressed
//! assert_eq!(a3.findings.len(), 1); // new
//! let stats = triage.finish();
//! let b = stats.baseline.unwrap();
//! assert_eq!((b.new, b.unchanged, b.resolved), (1, 1, 0));
//! assert_eq!(stats.suppressions.unwrap().suppressed, 1);
//! ```

use crate::error::{Error, Location, Result};
use crate::finding::RecordFindings;
use crate::normalize::eq_ignore_case;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Findings of a previous run, by `(listing_id, field, term)`.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    path: PathBuf,
    /// listing id → entries; a listing has few findings, so a short vec beats a set of
    /// owned triples and lets lookups borrow.
    by_listing: HashMap<String, Vec<BaselineEntry>>,
    rows: u64,
    fingerprint: Option<String>,
    saved_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct BaselineEntry {
    field: String,
    term: String,
    rows: u64,
    seen: bool,
}

/// The columns a baseline must have; any other column is ignored, so the `file` column
/// of a multi-catalog run, a `fingerprint` and a `saved` column are fine.
pub const BASELINE_COLUMNS: &[&str] = &["listing_id", "field", "term"];

impl Baseline {
    /// Read a previous `csv` findings report.
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = read_utf8(path)?;
        Baseline::parse(path, &text)
    }

    /// Parse the text of a `csv` findings report.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Baseline> {
        let path = path.as_ref();
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| csv_error(path, &e))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect::<Vec<_>>();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let mut idx = [0; 3];
        for (slot, name) in idx.iter_mut().zip(BASELINE_COLUMNS) {
            *slot = col(name).ok_or_else(|| {
                Error::input(
                    Location::file(path).at_line(1),
                    format!(
                        "not a brandscan csv findings report: no `{name}` column (columns: {})",
                        headers.join(", ")
                    ),
                )
            })?;
        }
        let fp_col = col("fingerprint");
        let saved_col = col("saved");
        let mut b = Baseline {
            path: path.to_path_buf(),
            ..Baseline::default()
        };
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(path, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let [id, field, term] = idx.map(|i| rec.get(i).unwrap_or("").trim());
            for (value, name) in [(id, "listing_id"), (field, "field"), (term, "term")] {
                if value.is_empty() {
                    return Err(Error::input(
                        Location::file(path).at_line(line).in_column(name),
                        format!("empty `{name}`"),
                    ));
                }
            }
            if b.fingerprint.is_none() {
                b.fingerprint = fp_col
                    .and_then(|i| rec.get(i))
                    .filter(|f| !f.is_empty())
                    .map(str::to_string);
            }
            if b.saved_on.is_none() {
                if let Some(d) = saved_col
                    .and_then(|i| rec.get(i))
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    b.saved_on = Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                        Error::input(
                            Location::file(path).at_line(line).in_column("saved"),
                            format!("`{d}` is not a date YYYY-MM-DD"),
                        )
                    })?);
                }
            }
            b.rows += 1;
            let entries = b.by_listing.entry(id.to_string()).or_default();
            match entries
                .iter_mut()
                .find(|e| e.field == field && e.term == term)
            {
                Some(e) => e.rows += 1,
                None => entries.push(BaselineEntry {
                    field: field.to_string(),
                    term: term.to_string(),
                    rows: 1,
                    seen: false,
                }),
            }
        }
        Ok(b)
    }

    /// A baseline with no findings, named `path`: the first run of a state file, when
    /// every finding is new.
    pub fn empty(path: impl Into<PathBuf>) -> Baseline {
        Baseline {
            path: path.into(),
            ..Baseline::default()
        }
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Findings (rows) in the baseline.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The word-list fingerprint the baseline was made with, when it has a `fingerprint`
    /// column (`--save-baseline` writes one).
    pub fn fingerprint(&self) -> Option<&str> {
        self.fingerprint.as_deref()
    }

    /// The day the baseline was saved, when it has a `saved` column (`--save-baseline`
    /// writes one).
    pub fn saved_on(&self) -> Option<NaiveDate> {
        self.saved_on
    }

    /// True when `(listing_id, field, term)` is in the baseline; marks it seen, so it
    /// does not count as resolved.
    pub fn check(&mut self, listing_id: &str, field: &str, term: &str) -> bool {
        let Some(entries) = self.by_listing.get_mut(listing_id) else {
            return false;
        };
        match entries
            .iter_mut()
            .find(|e| e.field == field && e.term == term)
        {
            Some(e) => {
                e.seen = true;
                true
            }
            None => false,
        }
    }

    /// Baseline rows whose key was not found again.
    pub fn resolved(&self) -> u64 {
        self.by_listing
            .values()
            .flatten()
            .filter(|e| !e.seen)
            .map(|e| e.rows)
            .sum()
    }
}

/// A finding a person cleared: one row of a `--suppress` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The listing.
    pub listing_id: String,
    /// The term (compared up to case with a finding's `term`).
    pub term: String,
    /// Why it was cleared.
    pub reason: String,
    /// Who cleared it.
    pub reviewer: String,
    /// The day it stops holding; `None` holds forever.
    pub expires: Option<NaiveDate>,
    /// The line of the suppression file it is on.
    pub line: u64,
}

impl Suppression {
    /// True when it holds on `today`.
    pub fn active(&self, today: NaiveDate) -> bool {
        self.expires.is_none_or(|e| today < e)
    }
}

impl std::fmt::Display for Suppression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} / {}", self.line, self.listing_id, self.term)?;
        if let Some(e) = self.expires {
            write!(f, " (expires {e}")?;
            if !self.reviewer.is_empty() {
                write!(f, ", {}", self.reviewer)?;
            }
            write!(f, ")")?;
        } else if !self.reviewer.is_empty() {
            write!(f, " ({})", self.reviewer)?;
        }
        Ok(())
    }
}

/// The columns of a suppression file; `listing_id` and `term` are required.
pub const SUPPRESS_COLUMNS: &[&str] = &["listing_id", "term", "reason", "reviewer", "expires"];

/// A `--suppress` file: `listing_id,term,reason,reviewer,expires`.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    path: PathBuf,
    list: Vec<Suppression>,
    by_listing: HashMap<String, Vec<usize>>,
}

impl Suppressions {
    /// Read a suppression file.
    pub fn load(path: &Path) -> Result<Suppressions> {
        let text = read_utf8(path)?;
        Suppressions::parse(path, &text)
    }

    /// Parse the text of a suppression file. The delimiter is detected (spreadsheets save
    /// `;` in some locales); an unknown column, an empty `listing_id` or `term`, or an
    /// `expires` that is not `YYYY-MM-DD` is an error naming the line and column.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Suppressions> {
        let path = path.as_ref();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(crate::catalog::detect_delimiter(text.as_bytes()))
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(path, &e))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let mut idx = [None; 5];
        for h in &headers {
            match SUPPRESS_COLUMNS.iter().position(|c| c == h) {
                Some(i) if idx[i].is_none() => {
                    idx[i] = headers.iter().position(|x| x == h);
                }
                Some(_) => {
                    return Err(Error::input(
                        Location::file(path).at_line(1).in_column(h.as_str()),
                        "column given twice",
                    ))
                }
                None => {
                    return Err(Error::input(
                        Location::file(path).at_line(1).in_column(h.as_str()),
                        format!("unknown column (expected {})", SUPPRESS_COLUMNS.join(", ")),
                    ))
                }
            }
        }
        for (i, name) in SUPPRESS_COLUMNS.iter().enumerate().take(2) {
            if idx[i].is_none() {
                return Err(Error::input(
                    Location::file(path).at_line(1),
                    format!("no `{name}` column (a suppression file needs listing_id and term)"),
                ));
            }
        }
        let mut s = Suppressions {
            path: path.to_path_buf(),
            ..Suppressions::default()
        };
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_error(path, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: usize| idx[i].and_then(|c| rec.get(c)).unwrap_or("").trim();
            let at = |col: &str| Location::file(path).at_line(line).in_column(col);
            let (listing_id, term) = (get(0), get(1));
            if listing_id.is_empty() {
                return Err(Error::input(at("listing_id"), "empty `listing_id`"));
            }
            if term.is_empty() {
                return Err(Error::input(at("term"), "empty `term`"));
            }
            let expires = match get(4) {
                "" => None,
                d => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    Error::input(
                        at("expires"),
                        format!("`{d}` is not a date YYYY-MM-DD (leave it empty for never)"),
                    )
                })?),
            };
            s.by_listing
                .entry(listing_id.to_string())
                .or_default()
                .push(s.list.len());
            s.list.push(Suppression {
                listing_id: listing_id.to_string(),
                term: term.to_string(),
                reason: get(2).to_string(),
                reviewer: get(3).to_string(),
                expires,
                line,
            });
        }
        Ok(s)
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every suppression, in file order.
    pub fn list(&self) -> &[Suppression] {
        &self.list
    }
}

/// What [`Triage`] did to a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriageStats {
    /// Baseline comparison, when `--baseline` was given.
    pub baseline: Option<BaselineStats>,
    /// Suppression use, when `--suppress` was given.
    pub suppressions: Option<SuppressionStats>,
}

/// New, unchanged and resolved findings against a baseline.
///
/// Every finding the scan made is exactly one of: reported (`new`), `unchanged` (in the
/// baseline) or suppressed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineStats {
    /// The baseline file.
    pub path: PathBuf,
    /// Findings (rows) in the baseline.
    pub rows: u64,
    /// Findings not in the baseline: the ones reported.
    pub new: u64,
    /// Findings in the baseline and found again: not reported.
    pub unchanged: u64,
    /// Baseline rows whose `(listing_id, field, term)` was not found again.
    pub resolved: u64,
    /// The fingerprint recorded in the baseline, if it has one.
    pub fingerprint: Option<String>,
}

/// How suppressions were used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuppressionStats {
    /// The suppression file.
    pub path: PathBuf,
    /// The date expiry was judged on.
    pub today: NaiveDate,
    /// Suppressions holding today.
    pub active: u64,
    /// Findings dropped by a suppression.
    pub suppressed: u64,
    /// Suppressions whose date has come: no longer applied.
    pub expired: Vec<Suppression>,
    /// Holding suppressions that matched no finding (the listing or word is gone, or the
    /// row has a typo).
    pub unused: Vec<Suppression>,
}

/// What [`Triage`] makes of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Not in the baseline, not suppressed: reported.
    New,
    /// In the baseline: not reported.
    Unchanged,
    /// Cleared by a holding suppression: not reported, and not saved as baseline.
    Suppressed,
}

/// The filter between the scan driver and the report.
#[derive(Debug)]
pub struct Triage {
    baseline: Option<Baseline>,
    suppressions: Option<Suppressions>,
    today: NaiveDate,
    used: Vec<bool>,
    new: u64,
    unchanged: u64,
    suppressed: u64,
}

impl Triage {
    /// A filter with an optional baseline and suppression list, judging expiry on
    /// `today`.
    pub fn new(
        baseline: Option<Baseline>,
        suppressions: Option<Suppressions>,
        today: NaiveDate,
    ) -> Triage {
        let n = suppressions.as_ref().map_or(0, |s| s.list.len());
        Triage {
            baseline,
            suppressions,
            today,
            used: vec![false; n],
            new: 0,
            unchanged: 0,
            suppressed: 0,
        }
    }

    /// True when it would drop nothing: no baseline and no suppression file.
    pub fn is_empty(&self) -> bool {
        self.baseline.is_none() && self.suppressions.is_none()
    }

    /// What each finding of `rec` is, in order, counted as it goes.
    ///
    /// Every finding is checked against both files, so a suppressed finding still keeps
    /// its baseline entry from counting as resolved.
    pub fn judge(&mut self, rec: &RecordFindings) -> Vec<Verdict> {
        let candidates: &[usize] = self
            .suppressions
            .as_ref()
            .and_then(|s| s.by_listing.get(&rec.listing_id))
            .map_or(&[], Vec::as_slice);
        let saved_on = self.baseline.as_ref().and_then(Baseline::saved_on);
        let mut out = Vec::with_capacity(rec.findings.len());
        for f in &rec.findings {
            let mut cleared = false;
            // A suppression that ran out after the baseline was saved: the baseline may
            // know this finding only because the suppression kept it off the reports.
            let mut reopened = false;
            if let Some(s) = &self.suppressions {
                for &i in candidates {
                    let sup = &s.list[i];
                    if !eq_ignore_case(&sup.term, &f.term) {
                        continue;
                    }
                    if sup.active(self.today) {
                        self.used[i] = true;
                        cleared = true;
                    } else if sup.expires.zip(saved_on).is_some_and(|(e, s)| e > s) {
                        reopened = true;
                    }
                }
            }
            let known = self
                .baseline
                .as_mut()
                .is_some_and(|b| b.check(&rec.listing_id, &f.field, &f.term))
                && !reopened;
            out.push(if cleared {
                self.suppressed += 1;
                Verdict::Suppressed
            } else if known {
                self.unchanged += 1;
                Verdict::Unchanged
            } else {
                self.new += 1;
                Verdict::New
            });
        }
        out
    }

    /// Drop the findings of `rec` that are suppressed or already in the baseline.
    pub fn filter(&mut self, rec: &mut RecordFindings) {
        if self.is_empty() {
            return;
        }
        let verdicts = self.judge(rec);
        let mut v = verdicts.iter();
        rec.findings.retain(|_| v.next() == Some(&Verdict::New));
    }

    /// The counts, and the suppressions that expired or matched nothing.
    pub fn finish(self) -> TriageStats {
        let baseline = self.baseline.map(|b| BaselineStats {
            resolved: b.resolved(),
            rows: b.rows,
            path: b.path,
            fingerprint: b.fingerprint,
            new: self.new,
            unchanged: self.unchanged,
        });
        let suppressions = self.suppressions.map(|s| {
            let mut st = SuppressionStats {
                path: s.path,
                today: self.today,
                suppressed: self.suppressed,
                ..SuppressionStats::default()
            };
            for (sup, used) in s.list.into_iter().zip(self.used) {
                if !sup.active(self.today) {
                    st.expired.push(sup);
                } else {
                    st.active += 1;
                    if !used {
                        st.unused.push(sup);
                    }
                }
            }
            st
        });
        TriageStats {
            baseline,
            suppressions,
        }
    }
}

fn read_utf8(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::input(Location::file(path).at_line(line), "not valid UTF-8")
    })
}

fn csv_error(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(1, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{} where the header has {expected_len}",
            crate::report::plural(*len, "field")
        ),
        other => format!("{other:?}"),
    };
    Error::input(Location::file(path).at_line(line), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn suppression_errors_name_line_and_column() {
        let e = |t: &str| Suppressions::parse("s.csv", t).unwrap_err().to_string();
        assert_eq!(
            e("listing_id,term,expires\nA1,Nike,2025-13-01\n"),
            "s.csv:2 (column `expires`): `2025-13-01` is not a date YYYY-MM-DD (leave it empty for never)"
        );
        assert_eq!(
            e("listing_id,term,note\n"),
            "s.csv:1 (column `note`): unknown column (expected listing_id, term, reason, reviewer, expires)"
        );
        assert_eq!(
            e("listing_id,term\nA1,Nike\n,Nike\n"),
            "s.csv:3 (column `listing_id`): empty `listing_id`"
        );
        assert_eq!(
            e("listing_id,term\nA1,Nike\nA2\n"),
            "s.csv:3: 1 field where the header has 2"
        );
        assert!(e("term,reason\n").contains("no `listing_id` column"));
    }

    #[test]
    fn suppression_file_from_a_spreadsheet() {
        let s = Suppressions::parse(
            "s.csv",
            "\u{FEFF}Listing_ID;Term;Expires\nA1;Nike;\nA2;Rolex;2025-07-01\n",
        )
        .unwrap();
        assert_eq!(s.list().len(), 2);
        assert_eq!(s.list()[0].expires, None);
        assert_eq!(s.list()[1].line, 3);
        assert!(s.list()[1].active(date("2025-06-30")));
        assert!(!s.list()[1].active(date("2025-07-01")));
    }

    #[test]
    fn baseline_needs_its_key_columns() {
        let e = Baseline::parse("b.csv", "listing_id,row,term\nA1,1,Nike\n").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("b.csv:1: not a brandscan csv findings report: no `field` column"));
        let e = Baseline::parse("b.csv", "listing_id,field,term\nA1,,Nike\n").unwrap_err();
        assert_eq!(e.to_string(), "b.csv:2 (column `field`): empty `field`");
    }

    #[test]
    fn a_suppression_that_expired_after_the_baseline_was_saved_reopens_its_finding() {
        use crate::{Matcher, Rules};
        let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\nRolex\n").unwrap()).unwrap();
        let rec = |id: &str, title: &str| RecordFindings {
            listing_id: id.into(),
            row: 1,
            file_index: 0,
            findings: m.find_all("title", title),
        };
        let sup = "listing_id,term,expires\nA1,nike,2025-07-01\nA2,rolex,2025-05-01\n";
        let verdicts = |baseline: &str| {
            let b = Baseline::parse("b.csv", baseline).unwrap();
            let s = Suppressions::parse("s.csv", sup).unwrap();
            let mut t = Triage::new(Some(b), Some(s), date("2025-08-01"));
            let v = [
                t.judge(&rec("A1", "Nike cap")),
                t.judge(&rec("A2", "Rolex")),
            ];
            let stats = t.finish().baseline.unwrap();
            (v, stats.new, stats.unchanged, stats.resolved)
        };
        let rows = "A1,title,Nike\nA2,title,Rolex\n";
        // Saved on 2025-06-01: A1's clearance (to 2025-07-01) ran out since, A2's before.
        let saved = format!(
            "listing_id,field,term,saved\n{}",
            rows.replace('\n', ",2025-06-01\n")
        );
        let (v, new, unchanged, resolved) = verdicts(&saved);
        assert_eq!(v, [vec![Verdict::New], vec![Verdict::Unchanged]]);
        assert_eq!((new, unchanged, resolved), (1, 1, 0));
        // Without the date (an older baseline), both stay unchanged, as they were.
        let (v, ..) = verdicts(&format!("listing_id,field,term\n{rows}"));
        assert_eq!(v, [vec![Verdict::Unchanged], vec![Verdict::Unchanged]]);
        // Saved on the day the clearance ran out or later: that run reported it already.
        let (v, ..) = verdicts(&format!(
            "listing_id,field,term,saved\n{}",
            rows.replace('\n', ",2025-07-01\n")
        ));
        assert_eq!(v, [vec![Verdict::Unchanged], vec![Verdict::Unchanged]]);
    }

    #[test]
    fn a_bad_saved_date_names_line_and_column() {
        let e = Baseline::parse("b.csv", "listing_id,field,term,saved\nA1,title,Nike,June\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.csv:2 (column `saved`): `June` is not a date YYYY-MM-DD"
        );
    }

    #[test]
    fn resolved_counts_rows_not_found_again() {
        let mut b = Baseline::parse(
            "b.csv",
            "file,listing_id,field,term,fingerprint\nx,A1,title,Nike,sha256:ab\nx,A1,title,Nike,sha256:ab\nx,A2,title,Rolex,sha256:ab\n",
        )
        .unwrap();
        assert_eq!(b.rows(), 3);
        assert_eq!(b.fingerprint(), Some("sha256:ab"));
        assert!(b.check("A2", "title", "Rolex"));
        assert!(!b.check("A2", "description", "Rolex"));
        assert_eq!(b.resolved(), 2);
    }
}
