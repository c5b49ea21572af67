//! The one data model every front end and report shares.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in increasing order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The lowercase keyword used in word lists and reports.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                let all: Vec<&str> = vec![$($text),+];
                Err(format!("unknown value `{}` (expected one of: {})", s, all.join(", ")))
            }
        }
    };
}

keyword_enum! {
    /// What a listing with a finding should get. Ordered from mildest to strictest, so
    /// `max` gives the strictest.
    ///
    /// ```
    /// use brandscan::Action;
    /// assert_eq!(Action::Review.max(Action::Remove), Action::Remove);
    /// assert_eq!("hide".parse::<Action>().unwrap(), Action::Hide);
    /// ```
    Action {
        /// A person should look at the listing.
        Review = "review",
        /// Make the listing visible to members only.
        Hide = "hide",
        /// Take the words out, or the listing down.
        Remove = "remove",
    }
}

/// `--compatible-action` and the like take an action by its keyword, strictest first.
impl clap::ValueEnum for Action {
    fn value_variants<'a>() -> &'a [Self] {
        &[Action::Remove, Action::Hide, Action::Review]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

keyword_enum! {
    /// How grave a complaint on a finding would be, mildest first.
    Severity {
        /// Low risk.
        Minor = "minor",
        /// The usual risk.
        General = "general",
        /// The houses that file first and hardest.
        Serious = "serious",
    }
}

keyword_enum! {
    /// How the matched text relates to the term (docs/matching.md#matching).
    MatchKind {
        /// The same text up to case.
        Exact = "exact",
        /// Equal after Unicode normalization: width, accents, separators.
        Normalized = "normalized",
        /// Equal only after undoing look-alikes, substitutions or spacing.
        Obfuscated = "obfuscated",
        /// One edit away from the term.
        Fuzzy = "fuzzy",
        /// Found by a regex rule.
        Regex = "regex",
        /// Found in the text read from a picture (the `ocr` feature).
        ImageText = "image_text",
    }
}

keyword_enum! {
    /// The context a term was found in.
    Context {
        /// Nothing special.
        None = "",
        /// After "for", "compatible with" and the like.
        Compatible = "compatible",
        /// Beside "replica", "1:1", "fake" and the like.
        Counterfeit = "counterfeit",
    }
}

/// One rule's term found in one field of one listing.
///
/// `start..end` are UTF-8 byte offsets into the original field value and `matched` is
/// exactly that slice, so a user can cut it out and see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The column the term was found in.
    pub field: Arc<str>,
    /// Byte offset of the first matched byte in the original field.
    pub start: usize,
    /// Byte offset one past the last matched byte.
    pub end: usize,
    /// The original text at `start..end`.
    pub matched: String,
    /// The rule's term as written in its word list.
    pub term: Arc<str>,
    /// The brand the rule belongs to.
    pub brand: Arc<str>,
    /// The rule's severity, raised by context.
    pub severity: Severity,
    /// The rule's action, changed by context.
    pub action: Action,
    /// How the text relates to the term.
    pub match_kind: MatchKind,
    /// The context it was found in.
    pub context: Context,
    /// How sure the text reader was of the text, for findings in pictures; absent
    /// elsewhere (and from CSV reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Index of the rule in its [`crate::Rules`]; not part of any report.
    #[serde(skip)]
    pub rule: usize,
}

/// A reader's confidence in text it read, 0 to 1, kept to three decimals so that
/// findings stay comparable and hashable.
///
/// ```
/// use brandscan::finding::Confidence;
/// assert_eq!(Confidence::new(0.93149).get(), 0.931);
/// assert_eq!(serde_json::to_string(&Confidence::new(2.0)).unwrap(), "1.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Confidence(u16);

impl Confidence {
    /// `value` clamped to 0..=1.
    pub fn new(value: f32) -> Confidence {
        Confidence((value.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    /// The confidence as a number from 0 to 1.
    pub fn get(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl Serialize for Confidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.get())
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}", self.get())
    }
}

/// The findings of one catalog record, in field then position order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordFindings {
    /// The listing id (the id column, or the row number when there is none).
    pub listing_id: String,
    /// 1-based data record number in its file.
    pub row: u64,
    /// Index of the catalog file among the inputs.
    pub file_index: usize,
    /// What was found.
    pub findings: Vec<Finding>,
}

impl RecordFindings {
    /// The strictest action of the findings, `None` when there are none.
    pub fn action(&self) -> Option<Action> {
        self.findings.iter().map(|f| f.action).max()
    }
}
