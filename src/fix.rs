//! `fix`: cut every `remove` finding out of a listing's text, or put its rule's
//! `replacement` there, and tidy the text around it (docs/commands.md#fix).
//!
//! A [`Fixer`] works field by field: it finds the field's findings with the
//! [`Matcher`], edits the `remove` ones ([`apply_edits`], which also tidies: no doubled
//! spaces, no dangling separators or connectives, no empty brackets), and searches the
//! result again, because a cut can join two neighbours into a new match (`Louis Rolex
//! Vuitton` → `Louis Vuitton`). It stops when no editable `remove` finding is left, or
//! gives up after [`MAX_PASSES`].
//!
//! At the level of a listing ([`Fixer::fix_listing`]) it applies the safety rules; a
//! listing it will not edit, or not fully, is [left for a person](Left) with a
//! [reason](LeftReason):
//!
//! * a `hide` finding anywhere: not edited (hiding is a person's call);
//! * a title (a column whose name has `title` or `name`) that would end up empty or only
//!   separators: not edited;
//! * a field that did not converge in [`MAX_PASSES`], or whose fix would create a `hide`
//!   finding: not edited;
//! * a `remove` finding inside a URL or file name (`rolex-1.jpg`, `href="/rolex"`): that
//!   finding is not edited (cutting it would break the link), the rest of the listing is;
//! * `review` findings are never edited; the listing is reported with the reason
//!   `review`, which alone does not count as needing a person.
//!
//! [`fix_catalog`] runs the fixer over a whole catalog and writes it back in its own
//! format with untouched records byte-identical.
//!
//! ```
//! use brandscan::fix::Fixer;
//! use brandscan::{Matcher, Rules};
//! use std::sync::Arc;
//!
//! let rules = Rules::parse_csv(
//!     "l.csv",
//!     "term,action,replacement\nRolex,remove,\nSubmariner,remove,\niPhone,remove,smartphone\n",
//! ).unwrap();
//! let fixer = Fixer::new(Matcher::new(rules).unwrap());
//! let title: Arc<str> = Arc::from("title");
//! let fixed = fixer.fix_listing([(&title, "Strap for Rolex Submariner 20mm, black")]);
//! assert_eq!(fixed.edits[0].after, "Strap 20mm, black");
//! let fixed = fixer.fix_listing([(&title, "Case for iPhone (clear)")]);
//! assert_eq!(fixed.edits[0].after, "Case for smartphone (clear)");
//! ```

mod rewrite;
mod tidy;

pub use rewrite::{fix_catalog, FixEvents, FixOptions, FixStats, FixedRecord};
pub(crate) use tidy::is_blank;
pub use tidy::{apply_edits, Edit, MAX_PEELS};

use crate::error::{Error, Result};
use crate::finding::{Action, Context, Finding};
use crate::matcher::{Matcher, Scratch};
use crate::normalize::normalize_term;
use crate::record::{Field, RecordText};
use crate::wordlist::{RuleKind, Rules};
use std::fmt;
use std::sync::Arc;

/// How many times a field is searched and edited before the fix gives up on it.
pub const MAX_PASSES: usize = 4;

/// Why a listing was left for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LeftReason {
    /// A finding with `counterfeit` context (replica wording beside a brand): the
    /// listing is not edited, since cutting the brand out of `AAA Replica Rolex 1:1`
    /// would leave a cleaner-looking counterfeit that is harder for anyone to spot.
    Counterfeit,
    /// A `hide` finding: the listing is not edited.
    Hide,
    /// A title would end up empty or only separators: the listing is not edited.
    EmptyTitle,
    /// A field would keep only numbers, separators and connectives once cut
    /// (`Compatible with iPhone 15/14/13` → `15/14/13`): text no shopper can use, so the
    /// listing is not edited.
    NoProductWords,
    /// A field still had `remove` findings after [`MAX_PASSES`], or its fix would create
    /// a `hide` finding: the listing is not edited.
    NotConverged,
    /// A `remove` finding in a URL or file name: that finding is not edited.
    InUrl,
    /// The row could not be read: it is copied through unchanged.
    BadRow,
    /// A `remove` finding in the id column: that finding is not edited (an id is the
    /// listing's key in the marketplace), the rest of the listing is.
    IdColumn,
    /// `review` findings, which `fix` never edits. Informational: a listing with only
    /// this reason does not need a person for the fix.
    Review,
}

impl LeftReason {
    /// Every reason, in report order.
    pub const ALL: &'static [LeftReason] = &[
        LeftReason::Counterfeit,
        LeftReason::Hide,
        LeftReason::NoProductWords,
        LeftReason::EmptyTitle,
        LeftReason::NotConverged,
        LeftReason::InUrl,
        LeftReason::BadRow,
        LeftReason::IdColumn,
        LeftReason::Review,
    ];

    /// The keyword used in the `--left` report.
    pub fn as_str(self) -> &'static str {
        match self {
            LeftReason::Counterfeit => "counterfeit",
            LeftReason::Hide => "hide",
            LeftReason::NoProductWords => "no-product-words",
            LeftReason::EmptyTitle => "empty-title",
            LeftReason::NotConverged => "not-converged",
            LeftReason::InUrl => "url",
            LeftReason::BadRow => "bad-row",
            LeftReason::IdColumn => "id-column",
            LeftReason::Review => "review",
        }
    }

    /// True for every reason but [`LeftReason::Review`]: the cleaned catalog still needs
    /// a person's hand for this listing.
    pub fn needs_person(self) -> bool {
        self != LeftReason::Review
    }
}

impl fmt::Display for LeftReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason a listing was left for a person, and what about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// Why.
    pub reason: LeftReason,
    /// The field concerned, when there is one.
    pub field: Option<Arc<str>>,
    /// The terms or the problem, in words.
    pub detail: String,
}

/// One edited field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    /// The field's name.
    pub field: Arc<str>,
    /// Its position among the fields given to [`Fixer::fix_listing`].
    pub position: usize,
    /// The text before.
    pub before: String,
    /// The text after.
    pub after: String,
}

/// What fixing one listing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingFix {
    /// The edited fields, in field order; empty when the listing is unchanged.
    pub edits: Vec<FieldEdit>,
    /// Why the listing was left (wholly or partly) for a person.
    pub left: Vec<Left>,
}

impl ListingFix {
    /// True when at least one field changed.
    pub fn edited(&self) -> bool {
        !self.edits.is_empty()
    }

    /// True when a reason other than `review` left the listing for a person.
    pub fn needs_person(&self) -> bool {
        self.left.iter().any(|l| l.reason.needs_person())
    }
}

/// What fixing one field found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFix {
    /// The field's findings before any edit, as `scan` reports them.
    pub findings: Vec<Finding>,
    /// The new text, when it differs from the original.
    pub fixed: Option<String>,
    /// `remove` findings left in the final text because they are in a URL or file name.
    pub kept: Vec<Finding>,
    /// False when editable `remove` findings were still there after [`MAX_PASSES`], or
    /// when the edits created a `hide` finding.
    pub converged: bool,
}

/// Fixes listings with one [`Matcher`]. `Send + Sync`: share it across threads, each
/// with its own [`Scratch`].
#[derive(Debug, Clone)]
pub struct Fixer {
    matcher: Arc<Matcher>,
}

impl Fixer {
    /// A fixer that edits the `remove` findings of `matcher`'s rules.
    pub fn new(matcher: Matcher) -> Fixer {
        Fixer {
            matcher: Arc::new(matcher),
        }
    }

    /// The matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Fix one field's text: edit its `remove` findings until none is left.
    ///
    /// ```
    /// use brandscan::fix::Fixer;
    /// use brandscan::{Matcher, Rules, Scratch};
    /// let fixer = Fixer::new(Matcher::new(Rules::parse_txt("l.txt", "Rolex\nLouis Vuitton\n").unwrap()).unwrap());
    /// // The first cut joins `Louis` and `Vuitton`; the second pass cuts them too.
    /// let f = fixer.fix_field(&"title".into(), "Louis Rolex Vuitton bag", &mut Scratch::new());
    /// assert_eq!(f.fixed.as_deref(), Some("bag"));
    /// assert!(f.converged);
    /// ```
    pub fn fix_field(&self, field: &Arc<str>, text: &str, scratch: &mut Scratch) -> FieldFix {
        let mut findings = Vec::new();
        self.matcher.find_into(field, text, scratch, &mut findings);
        self.fix_found(field, text, findings, scratch)
    }

    fn fix_found(
        &self,
        field: &Arc<str>,
        text: &str,
        findings: Vec<Finding>,
        scratch: &mut Scratch,
    ) -> FieldFix {
        let rules = self.matcher.rules();
        let mut current: Option<String> = None;
        let mut found = findings.clone();
        let mut converged = false;
        for pass in 0..=MAX_PASSES {
            let now = current.as_deref().unwrap_or(text);
            let edits: Vec<Edit<'_>> = found
                .iter()
                .filter(|f| f.action == Action::Remove && !in_url(now, f.start, f.end))
                .map(|f| Edit {
                    start: f.start,
                    end: f.end,
                    replacement: &rules.get(f.rule).replacement,
                })
                .collect();
            if edits.is_empty() {
                converged = true;
                break;
            }
            if pass == MAX_PASSES {
                break;
            }
            let next = apply_edits(now, &edits);
            found.clear();
            self.matcher.find_into(field, &next, scratch, &mut found);
            current = Some(next);
        }
        let now = current.as_deref().unwrap_or(text);
        if converged && current.is_some() && found.iter().any(|f| f.action == Action::Hide) {
            converged = false;
        }
        let kept = found
            .iter()
            .filter(|f| f.action == Action::Remove && in_url(now, f.start, f.end))
            .cloned()
            .collect();
        FieldFix {
            fixed: current.filter(|c| c != text),
            findings,
            kept,
            converged,
        }
    }

    /// Fix one listing's named fields, applying the safety rules of the [module
    /// docs](self). Titles are the fields for which [`is_title_column`] holds.
    pub fn fix_listing<'a, I>(&self, fields: I) -> ListingFix
    where
        I: IntoIterator<Item = (&'a Arc<str>, &'a str)>,
    {
        self.fix_listing_with(fields, &mut Scratch::new())
    }

    /// [`Fixer::fix_listing`] with the caller's buffers.
    pub fn fix_listing_with<'a, I>(&self, fields: I, scratch: &mut Scratch) -> ListingFix
    where
        I: IntoIterator<Item = (&'a Arc<str>, &'a str)>,
    {
        let fields: Vec<Field<'_>> = fields
            .into_iter()
            .map(|(name, text)| Field {
                name,
                text,
                is_id: false,
            })
            .collect();
        self.fix_fields(&fields, scratch)
    }

    /// Fix one record read by [`crate::record::decode`]: the fields `scan` scans. A
    /// `remove` finding in the id column is not edited; the listing is left for a
    /// person with [`LeftReason::IdColumn`].
    ///
    /// ```
    /// use brandscan::catalog::{CatalogOptions, Columns, RawRecord};
    /// use brandscan::fix::{Fixer, LeftReason};
    /// use brandscan::{record::decode, Matcher, Rules, Scratch};
    /// let fixer = Fixer::new(Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap());
    /// let opts = CatalogOptions { fields: Some(vec!["sku".into(), "title".into()]), ..Default::default() };
    /// let columns = Columns::detect(vec!["sku".into(), "title".into()], &opts, "c.csv").unwrap();
    /// let raw = RawRecord { row: 1, line: 2, record: csv::ByteRecord::from(vec!["Rolex", "Rolex strap"]) };
    /// let fix = fixer.fix_record(&decode(&"c.csv".into(), 0, &columns, &raw).unwrap(), &mut Scratch::new());
    /// assert_eq!(fix.edits[0].after, "strap");
    /// assert_eq!(fix.left[0].reason, LeftReason::IdColumn);
    /// ```
    pub fn fix_record(&self, rec: &RecordText<'_>, scratch: &mut Scratch) -> ListingFix {
        self.fix_fields(&rec.fields, scratch)
    }

    fn fix_fields(&self, fields: &[Field<'_>], scratch: &mut Scratch) -> ListingFix {
        let found: Vec<Vec<Finding>> = fields
            .iter()
            .map(|&Field { name, text, .. }| {
                let mut out = Vec::new();
                self.matcher.find_into(name, text, scratch, &mut out);
                out
            })
            .collect();
        let mut fix = ListingFix::default();
        let counterfeit = distinct_matched(
            found
                .iter()
                .flatten()
                .filter(|f| f.context == Context::Counterfeit),
        );
        if !counterfeit.is_empty() {
            fix.left.push(Left {
                reason: LeftReason::Counterfeit,
                field: None,
                detail: format!(
                    "{counterfeit} beside counterfeit wording: a replica listing is taken down, not tidied"
                ),
            });
            return fix;
        }
        let hide = terms_of(found.iter().flatten(), Action::Hide);
        if !hide.is_empty() {
            fix.left.push(Left {
                reason: LeftReason::Hide,
                field: None,
                detail: hide,
            });
            return fix;
        }
        let review = terms_of(found.iter().flatten(), Action::Review);
        let mut edits = Vec::new();
        let mut kept = Vec::new();
        for (position, (&Field { name, text, is_id }, findings)) in
            fields.iter().zip(found).enumerate()
        {
            if !findings.iter().any(|f| f.action == Action::Remove) {
                continue;
            }
            if is_id {
                kept.push(Left {
                    reason: LeftReason::IdColumn,
                    field: Some(name.clone()),
                    detail: format!(
                        "{} in the id column: an id is the listing's key, change it by hand",
                        terms_of(findings.iter(), Action::Remove)
                    ),
                });
                continue;
            }
            let f = self.fix_found(name, text, findings, scratch);
            if !f.converged {
                fix.left.push(Left {
                    reason: LeftReason::NotConverged,
                    field: Some((*name).clone()),
                    detail: format!(
                        "`remove` findings remain after {MAX_PASSES} passes, or the fix would create a `hide` finding"
                    ),
                });
                return fix;
            }
            if let Some(after) = f.fixed {
                if is_title_column(name) && !is_blank(text) && is_blank(&after) {
                    fix.left.push(Left {
                        reason: LeftReason::EmptyTitle,
                        field: Some((*name).clone()),
                        detail: format!("the title would be empty once {} is cut", {
                            terms_of(f.findings.iter(), Action::Remove)
                        }),
                    });
                    return fix;
                }
                // A field cut to nothing is fine (tags of one brand); a residue of
                // numbers and connectives is not.
                if !is_blank(&after) && has_product_words(text) && !has_product_words(&after) {
                    fix.left.push(Left {
                        reason: LeftReason::NoProductWords,
                        field: Some((*name).clone()),
                        detail: format!(
                            "only numbers and connectives would be left once {} is cut",
                            terms_of(f.findings.iter(), Action::Remove)
                        ),
                    });
                    return fix;
                }
                edits.push(FieldEdit {
                    field: (*name).clone(),
                    position,
                    before: text.to_string(),
                    after,
                });
            }
            if !f.kept.is_empty() {
                kept.push(Left {
                    reason: LeftReason::InUrl,
                    field: Some((*name).clone()),
                    detail: format!(
                        "{} in a URL or file name: rename the file and the link by hand",
                        terms_of(f.kept.iter(), Action::Remove)
                    ),
                });
            }
        }
        fix.edits = edits;
        fix.left.extend(kept);
        if !review.is_empty() {
            fix.left.push(Left {
                reason: LeftReason::Review,
                field: None,
                detail: review,
            });
        }
        fix
    }
}

/// The distinct terms of the findings with `action`, `, `-joined, as matched.
fn terms_of<'a>(findings: impl Iterator<Item = &'a Finding>, action: Action) -> String {
    distinct_matched(findings.filter(|f| f.action == action))
}

/// The distinct matched texts of `findings`, each in backticks, `, `-joined.
fn distinct_matched<'a>(findings: impl Iterator<Item = &'a Finding>) -> String {
    let mut terms: Vec<String> = Vec::new();
    for f in findings {
        let t = format!("`{}`", f.matched);
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    terms.join(", ")
}

/// Words that say how a product relates to another, never what it is: a field left
/// with only these (and numbers, separators, markup) describes nothing.
const NOT_PRODUCT_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "by",
    "compatible",
    "fit",
    "fits",
    "for",
    "in",
    "of",
    "on",
    "or",
    "replacement",
    "same",
    "similar",
    "style",
    "suitable",
    "the",
    "to",
    "with",
    "works",
];

/// True when `text` (markup and entities read as a shopper sees them) holds a word that
/// can name a product: a run of two or more letters that is not a connective, or any
/// CJK character (each is a word of its own).
fn has_product_words(text: &str) -> bool {
    let visible;
    let text = if text.contains('<') {
        let mut h = crate::html::HtmlText::default();
        h.build(text);
        visible = h.as_str().to_string();
        visible.as_str()
    } else {
        text
    };
    text.split(|c: char| !c.is_alphabetic()).any(|w| {
        let cjk = w.chars().any(|c| {
            matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
        });
        cjk || (w.chars().count() >= 2 && !NOT_PRODUCT_WORDS.contains(&w.to_lowercase().as_str()))
    })
}

/// True for the columns whose emptiness makes a listing unpublishable: names with
/// `title` or `name` in them (`Title`, `item_name`, `product_title`).
pub(crate) fn is_title_column(name: &str) -> bool {
    let n = name.to_lowercase();
    n.contains("title") || n.contains("name")
}

/// True when `start..end` of `text` lies in a URL or a file name: the whitespace- or
/// quote-delimited token around it has `://`, starts with `www.` or `/`, or ends with
/// a picture or document extension. Cutting there would break a link.
pub(crate) fn in_url(text: &str, start: usize, end: usize) -> bool {
    let delim = |c: char| c.is_whitespace() || "\"'<>()[]{},;|".contains(c);
    let from = text[..start].rfind(delim).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..].find(delim).map_or(text.len(), |i| end + i);
    let token = &text[from..to];
    if token.contains("://")
        || token
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("www."))
    {
        return true;
    }
    if token.starts_with('/') && token[1..].contains(['/', '.']) {
        return true;
    }
    let path = token.split(['?', '#']).next().unwrap_or(token);
    let Some(dot) = path.rfind('.') else {
        return false;
    };
    let ext = path[dot + 1..].to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg"
            | "jpeg"
            | "png"
            | "gif"
            | "webp"
            | "svg"
            | "bmp"
            | "tif"
            | "tiff"
            | "avif"
            | "heic"
            | "mp4"
            | "mov"
            | "webm"
            | "pdf"
            | "html"
            | "htm"
    )
}

/// Keep only the rules of `brands` (compared like terms: case and accents do not matter)
/// and every allow phrase. An error names any brand with no rule, so a typo cannot make
/// a fix that does nothing.
///
/// ```
/// use brandscan::{fix::retain_brands, Rules};
/// let mut rules = Rules::parse_csv("l.csv", "term,brand\nAir Jordan,Nike\nRolex,\nHermès,\n").unwrap();
/// retain_brands(&mut rules, &["NIKE", "hermes"]).unwrap();
/// assert_eq!(rules.len(), 2);
/// assert!(retain_brands(&mut rules, &["Gucci"]).is_err());
/// ```
pub fn retain_brands<S: AsRef<str>>(rules: &mut Rules, brands: &[S]) -> Result<()> {
    let wanted: Vec<String> = brands.iter().map(|b| normalize_term(b.as_ref())).collect();
    for (b, w) in brands.iter().zip(&wanted) {
        if !rules
            .iter()
            .any(|r| r.kind != RuleKind::Allow && normalize_term(&r.brand) == *w)
        {
            let hint = crate::suggest::hint(&crate::suggest::similar_brands(rules, b.as_ref()));
            return Err(Error::usage(format!(
                "no rule of brand `{}` in the loaded word lists{hint}; see `brandscan wordlist list --brands`, or add one with -w",
                b.as_ref()
            )));
        }
    }
    rules.retain(|r| r.kind == RuleKind::Allow || wanted.contains(&normalize_term(&r.brand)));
    Ok(())
}

#[cfg(test)]
mod tests;
