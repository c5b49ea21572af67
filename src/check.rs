//! The pre-publish check: one listing in, one verdict out (docs/commands.md#check).
//!
//! `brandscan check --format json`, `check --jsonl` and the `serve` HTTP service all go
//! through this module, so the same listing gets the same verdict object from each of
//! them. A listing is a JSON object: `id` and any text fields (strings, and arrays of
//! strings read as one field, as [`json_fields`] reads them for `scan`); fields are
//! scanned in the order they are written, other values are ignored.
//!
//! ```
//! use brandscan::check::{check, Listing};
//! use brandscan::{Matcher, Rules, Scanner};
//! let scanner = Scanner::new(Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap());
//! let listing = Listing::from_json(r#"{"id":"A1","title":"Strap for Rolex","price":10}"#).unwrap();
//! let checked = check(&scanner, &listing, 1);
//! assert_eq!(checked.verdict(), "remove");
//! let json = serde_json::to_string(&checked.to_verdict(true)).unwrap();
//! assert!(json.starts_with(r#"{"id":"A1","verdict":"remove","findings":[{"listing_id":"A1","row":1,"field":"title","start":10,"end":15,"matched":"Rolex""#));
//! ```

use crate::catalog::is_json_text as is_text;
use crate::catalog::json_fields;
use crate::finding::{Action, Finding, RecordFindings};
use crate::report::FindingRow;
use crate::scan::Scanner;
use serde::Serialize;
use serde_json::{Map, Value};

/// One listing to check: its id and its text fields, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The listing id; empty when none was given.
    pub id: String,
    /// `(field name, text)` pairs.
    pub fields: Vec<(String, String)>,
}

impl Listing {
    /// A listing from a JSON object: `id` (a string or a number) and every string field.
    ///
    /// ```
    /// use brandscan::check::Listing;
    /// let l = Listing::from_json(r#"{"title":"Nike shoe","id":7,"stock":3}"#).unwrap();
    /// assert_eq!(l.id, "7");
    /// assert_eq!(l.fields, [("title".to_string(), "Nike shoe".to_string())]);
    /// assert!(Listing::from_json("[1,2]").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Listing, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Listing::from_value(value)
    }

    /// A listing from a parsed JSON value, which must be an object.
    pub fn from_value(value: Value) -> Result<Listing, String> {
        match value {
            Value::Object(obj) => Ok(Listing::from_object(obj)),
            other => Err(format!("expected a JSON object, found {}", kind(&other))),
        }
    }

    /// A listing from a JSON object: `id`, and the text fields (strings, and arrays of
    /// strings read element by element as one field) read by [`json_fields`], as `scan`
    /// reads a JSON Lines catalog.
    ///
    /// ```
    /// use brandscan::check::Listing;
    /// let l = Listing::from_json(r#"{"id":"J1","title":"Running shoe","tags":["nike","running"]}"#).unwrap();
    /// assert_eq!(l.fields[1], ("tags".to_string(), "nike; running".to_string()));
    /// ```
    pub fn from_object(mut obj: Map<String, Value>) -> Listing {
        let id = match obj.shift_remove("id") {
            Some(Value::String(s)) => s,
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        obj.retain(|_, v| is_text(v));
        // A `Map` holds each key once: this cannot fail.
        let fields = json_fields(obj).unwrap_or_default();
        Listing { id, fields }
    }
}

/// The name of a JSON value's type, for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A checked listing: its findings, as a record numbered `row`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// The findings, in field then position order.
    pub record: RecordFindings,
}

/// Scan `listing`'s fields. `row` numbers it among the listings of one request or input
/// (1-based), and is carried into each finding as a catalog row would be.
pub fn check(scanner: &Scanner, listing: &Listing, row: u64) -> Checked {
    let fields = listing
        .fields
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()));
    Checked {
        record: RecordFindings {
            listing_id: listing.id.clone(),
            row,
            file_index: 0,
            findings: scanner.scan_fields(fields),
        },
    }
}

impl Checked {
    /// `remove`, `hide`, `review` or `pass`.
    pub fn verdict(&self) -> &'static str {
        verdict(&self.record.findings)
    }

    /// The strictest action, `None` for a pass.
    pub fn action(&self) -> Option<Action> {
        self.record.action()
    }

    /// The verdict object; `with_id` adds the listing id (the `--jsonl` and `serve`
    /// shape; `check --format json` of one listing leaves it out).
    pub fn to_verdict(&self, with_id: bool) -> Verdict<'_> {
        Verdict {
            id: with_id.then_some(self.record.listing_id.as_str()),
            verdict: self.verdict(),
            findings: FindingRow::of(&self.record, None).collect(),
        }
    }
}

/// `remove`, `hide`, `review` or `pass`: the strictest action among `findings`.
///
/// ```
/// assert_eq!(brandscan::check::verdict(&[]), "pass");
/// ```
pub fn verdict(findings: &[Finding]) -> &'static str {
    findings
        .iter()
        .map(|f| f.action)
        .max()
        .map_or("pass", Action::as_str)
}

/// The verdict object (docs/matching.md#output):
/// `{"id": "...", "verdict": "remove|hide|review|pass", "findings": [...]}`, each finding
/// the same object as a `jsonl` line of `scan`.
#[derive(Debug, Serialize)]
pub struct Verdict<'a> {
    /// The listing id, when the caller asked for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// `remove`, `hide`, `review` or `pass`.
    pub verdict: &'static str,
    /// The findings.
    pub findings: Vec<FindingRow<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Matcher, Rules};

    fn scanner() -> Scanner {
        let rules = Rules::parse_csv(
            "l.csv",
            "term,action\nRolex,remove\nCoach,hide\nGucci,review\n",
        )
        .unwrap();
        Scanner::new(Matcher::new(rules).unwrap())
    }

    #[test]
    fn fields_keep_their_written_order() {
        let l = Listing::from_json(r#"{"title":"Coach bag","description":"for Rolex"}"#).unwrap();
        let c = check(&scanner(), &l, 3);
        let fields: Vec<&str> = c.record.findings.iter().map(|f| &*f.field).collect();
        assert_eq!(fields, ["title", "description"]);
        assert_eq!(c.verdict(), "remove");
        assert_eq!(c.record.row, 3);
    }

    #[test]
    fn verdict_is_the_strictest_action() {
        let s = scanner();
        let v = |t: &str| check(&s, &Listing::from_json(t).unwrap(), 1).verdict();
        assert_eq!(v(r#"{"t":"Gucci"}"#), "review");
        assert_eq!(v(r#"{"t":"Gucci Coach"}"#), "hide");
        assert_eq!(v(r#"{"t":"plain mug"}"#), "pass");
    }

    #[test]
    fn id_forms_and_non_text_fields() {
        let l = Listing::from_json(r#"{"id":null,"n":1,"ok":true,"o":{"t":"Rolex"}}"#).unwrap();
        assert_eq!(l, Listing::default());
        let l = Listing::from_json(r#"{"tags":["Rolex","steel"],"n":1}"#).unwrap();
        assert_eq!(l.fields, [("tags".to_string(), "Rolex; steel".to_string())]);
        let l = Listing::from_json(r#"{"id":12.5}"#).unwrap();
        assert_eq!(l.id, "12.5");
        let e = Listing::from_json(r#""Rolex""#).unwrap_err();
        assert!(e.contains("a string"), "{e}");
    }

    #[test]
    fn verdict_object_with_and_without_id() {
        let l = Listing::from_json(r#"{"id":"X","title":"Rolex"}"#).unwrap();
        let c = check(&scanner(), &l, 1);
        let with: Value = serde_json::to_value(c.to_verdict(true)).unwrap();
        let without: Value = serde_json::to_value(c.to_verdict(false)).unwrap();
        assert_eq!(with["id"], "X");
        assert!(without.get("id").is_none());
        assert_eq!(with["findings"], without["findings"]);
        assert_eq!(with["findings"][0]["listing_id"], "X");
    }
}
