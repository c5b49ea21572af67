//! # brandscan
//!
//! Find banned brand and trademark words in marketplace product listings before a rights
//! holder files a complaint.
//!
//! The flow runs one way: word lists are parsed into [`Rules`], compiled into one
//! [`Matcher`] (one multi-pattern automaton plus regex rules and allow phrases), and a
//! [`Scanner`] runs it over catalog records read by [`catalog::CatalogReader`], in
//! parallel, producing [`Finding`]s in input order that a [`report::Report`] serializes.
//!
//! ```
//! use brandscan::{Matcher, Rules, Action, MatchKind};
//!
//! let rules = Rules::parse_csv(
//!     "mine.csv",
//!     "term,brand,kind,case,action\n\
//!      Rolex,Rolex,literal,insensitive,remove\n\
//!      Coach,Coach,literal,sensitive,hide\n",
//! ).unwrap();
//! let matcher = Matcher::new(rules).unwrap();
//! let found = matcher.find_all("title", "ＲＯＬＥＸ strap, coach bus toy");
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].matched, "ＲＯＬＥＸ");
//! assert_eq!(found[0].match_kind, MatchKind::Normalized);
//! assert_eq!(found[0].action, Action::Remove);
//! ```
//!
//! ## Matching semantics (docs/matching.md)
//!
//! * Case-insensitive unless a rule says `case=sensitive`: then as written or in
//!   capitals, and capitals weigh as evidence only where they stand out from the field
//!   ([`capitals`]).
//! * Whole words: a boundary exists between two characters unless both are letters or
//!   both are digits; every CJK character is a word of its own.
//! * Separators inside multi-word terms are flexible (`louis-vuitton`, `LouisVuitton`).
//! * Unicode normalization: full-width forms, compatibility forms, accents either way.
//! * At each position the longest passing term wins; a term that fails its boundary
//!   check never hides one that passes.
//! * Allow phrases suppress only the matches they cover; authorized brands are dropped.
//! * Evasions — look-alike and styled letters, zero-width characters, digits and symbols
//!   for letters (also at a word's edges), symbols and emoji inside words, split words,
//!   spaced and stretched letters — are read through a second view of the field
//!   ([`obfuscate`]) and a repair of such words, and reported as `obfuscated`, never across
//!   real words; on by default ([`MatcherBuilder::evasion`]).
//! * Every finding has a [`Context`]: `compatible` (`Strap for Rolex`) or `counterfeit`
//!   (`Rolex style`, `replica`), which makes it serious and `remove` ([`context`]).
//! * HTML fields are read as the text a shopper sees ([`html`]); optional fuzzy matching
//!   finds one-edit misspellings of long terms ([`fuzzy`], [`MatcherBuilder::fuzzy`]).
//! * Every finding's `start..end` is a byte range of the original field and `matched`
//!   is exactly that slice.
//!
//! The library never prints or exits: it takes readers and writers and returns typed
//! [`Error`]s.

#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod audit;
pub mod baseline;
pub mod cancel;
pub mod capitals;
pub mod catalog;
pub mod check;
pub mod config;
pub mod context;
pub(crate) mod dictionary;
pub mod error;
pub mod finding;
pub mod fix;
pub mod fuzzy;
pub mod html;
pub mod lint;
pub mod matcher;
pub mod normalize;
pub mod obfuscate;
#[cfg(feature = "ocr")]
pub mod ocr;
pub mod policy;
pub mod record;
pub mod report;
pub mod scan;
pub mod service;
pub mod suggest;
mod support;
pub mod unknown;
pub mod wordlist;
#[doc(hidden)]
pub mod work;

pub use cancel::Cancel;
pub use error::{Error, ErrorKind, Location, Result};
pub use finding::{Action, Context, Finding, MatchKind, RecordFindings, Severity};
pub use matcher::{Matcher, MatcherBuilder, Scratch};
pub use scan::{scan_catalogs, ScanEvents, ScanOptions, Scanner, Stats};
pub use wordlist::{CaseMode, Rule, RuleKind, Rules};

/// The examples of docs/library.md, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../docs/library.md")]
struct LibraryDoc;
