//! Word lists: parsing, validation, merging and the built-in lists (docs/matching.md#word-lists).
//!
//! Two formats: `.txt`, one literal term per line (`#` comments, blank lines ignored), and
//! `.csv` with a header row in which only `term` is required. Every problem is an
//! [`Error`] naming the file, line and column, raised before any scanning starts.
//!
//! ```
//! use brandscan::{Rules, Action};
//! let rules = Rules::parse_csv("mine.csv", "term,brand,action\nAir Jordan,Nike,hide\n").unwrap();
//! assert_eq!(rules.len(), 1);
//! assert_eq!(&*rules.get(0).brand, "Nike");
//! assert_eq!(rules.get(0).action, Action::Hide);
//! ```

use crate::error::{Error, Location, Result};
use crate::finding::{Action, Severity};
use crate::normalize::{case_key, normalize_term};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

mod export;
pub use export::BrandEntry;

/// What a rule's term is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// A literal term, matched on whole words after normalization.
    Literal,
    /// A regular expression run on the normalized field.
    Regex,
    /// A phrase that suppresses the matches it covers ("apple green").
    Allow,
}

impl RuleKind {
    /// The keyword used in word lists.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Literal => "literal",
            RuleKind::Regex => "regex",
            RuleKind::Allow => "allow",
        }
    }
}

impl FromStr for RuleKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "literal" => Ok(RuleKind::Literal),
            "regex" => Ok(RuleKind::Regex),
            "allow" => Ok(RuleKind::Allow),
            _ => Err(format!(
                "unknown value `{s}` (expected one of: literal, regex, allow)"
            )),
        }
    }
}

/// Whether a rule's term must match with its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseMode {
    /// `NIKE`, `nike` and `Nike` all match (the default).
    Insensitive,
    /// Only the case written in the list matches: for brands that are common words.
    Sensitive,
}

impl CaseMode {
    /// The keyword used in word lists.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseMode::Insensitive => "insensitive",
            CaseMode::Sensitive => "sensitive",
        }
    }
}

impl FromStr for CaseMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "insensitive" => Ok(CaseMode::Insensitive),
            "sensitive" => Ok(CaseMode::Sensitive),
            _ => Err(format!(
                "unknown value `{s}` (expected one of: insensitive, sensitive)"
            )),
        }
    }
}

/// One rule of a word list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// What to find, as written in the list.
    pub term: Arc<str>,
    /// The rights holder the term belongs to.
    pub brand: Arc<str>,
    /// Literal, regex or allow phrase.
    pub kind: RuleKind,
    /// How grave a complaint on it would be.
    pub severity: Severity,
    /// What a listing with this finding should get.
    pub action: Action,
    /// Case-sensitive or not.
    pub case: CaseMode,
    /// What `fix` writes instead of the term; empty cuts it out.
    pub replacement: Arc<str>,
    /// Free text carried to reports.
    pub note: Arc<str>,
    /// Supporting words (the `with` column): when not empty, a finding of the rule keeps
    /// its action only if the field also has one of these words, or another term of the
    /// same brand where the list says [`BRAND_TERMS`]; otherwise it is `review`.
    pub with: Arc<[Arc<str>]>,
    /// Where the rule was defined.
    pub source: Location,
}

impl Rule {
    /// A literal rule with every other column at its default.
    ///
    /// ```
    /// let r = brandscan::Rule::literal("Rolex");
    /// assert_eq!(&*r.brand, "Rolex");
    /// ```
    pub fn literal(term: &str) -> Rule {
        let term: Arc<str> = Arc::from(term.trim());
        Rule {
            brand: term.clone(),
            term,
            kind: RuleKind::Literal,
            severity: Severity::General,
            action: Action::Remove,
            case: CaseMode::Insensitive,
            replacement: Arc::from(""),
            note: Arc::from(""),
            with: Arc::from([]),
            source: Location::default(),
        }
    }

    /// The normalized form the matcher searches for (for literal and allow rules).
    pub fn normalized_term(&self) -> String {
        normalize_term(&self.term)
    }

    fn merge_key(&self) -> (RuleKind, String, CaseMode, String) {
        let norm = match self.kind {
            RuleKind::Regex => self.term.to_string(),
            _ => self.normalized_term(),
        };
        let ck = match self.case {
            CaseMode::Sensitive => case_key(&self.term),
            CaseMode::Insensitive => String::new(),
        };
        (self.kind, norm, self.case, ck)
    }
}

/// Two rules for the same term that were merged into one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The term as the kept rule writes it.
    pub term: Arc<str>,
    /// Where the kept rule is.
    pub kept: Location,
    /// Where the merged duplicate was.
    pub duplicate: Location,
    /// True when the two rules disagreed on brand, action or severity.
    pub conflict: bool,
    /// What differed, for `wordlist check`.
    pub detail: String,
}

/// A merged set of rules: the input of [`crate::MatcherBuilder`].
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    index: foldhash::HashMap<(RuleKind, String, CaseMode, String), usize>,
    duplicates: Vec<Duplicate>,
}

/// The built-in word lists, compiled into the binary: `(name, CSV text)`.
pub const BUILTIN_LISTS: &[(&str, &str)] = &[
    (
        "abbreviations",
        include_str!("../wordlists/abbreviations.csv"),
    ),
    ("auto", include_str!("../wordlists/auto.csv")),
    ("cosmetics", include_str!("../wordlists/cosmetics.csv")),
    ("counterfeit", crate::context::COUNTERFEIT_LIST),
    ("electronics", include_str!("../wordlists/electronics.csv")),
    ("fashion", include_str!("../wordlists/fashion.csv")),
    ("home", include_str!("../wordlists/home.csv")),
    ("sportswear", include_str!("../wordlists/sportswear.csv")),
    ("tools", include_str!("../wordlists/tools.csv")),
    ("toys", include_str!("../wordlists/toys.csv")),
    ("watches", include_str!("../wordlists/watches.csv")),
];

const COLUMNS: &[&str] = &[
    "term",
    "brand",
    "kind",
    "severity",
    "action",
    "case",
    "replacement",
    "note",
    "with",
];

/// In a `with` column, the item that stands for "any other term of the same brand".
pub const BRAND_TERMS: &str = "@brand";

impl Rules {
    /// An empty set.
    pub fn new() -> Rules {
        Rules::default()
    }

    /// Every built-in list, merged.
    pub fn builtin() -> Result<Rules> {
        let mut rules = Rules::new();
        for (name, text) in BUILTIN_LISTS {
            rules.extend(Rules::parse_csv(format!("<builtin:{name}>"), text)?);
        }
        Ok(rules)
    }

    /// One built-in list by name (`fashion`, `watches`, …).
    pub fn builtin_list(name: &str) -> Option<Result<Rules>> {
        BUILTIN_LISTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| Rules::parse_csv(format!("<builtin:{n}>"), text))
    }

    /// Read a list from a file; the format follows the extension (`.csv`, else `.txt`).
    /// UTF-8, with or without a BOM, or UTF-16 with a BOM (Excel's "Unicode text").
    pub fn from_path(path: &Path) -> Result<Rules> {
        Rules::read(path, None)
    }

    /// Read a list from a file, giving every rule that names no brand (every `.txt`
    /// rule, and `.csv` rows with an empty or missing `brand`) the brand `default_brand`:
    /// a complaint's own terms belong to the complainant (`audit --terms`).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("complaint.txt");
    /// std::fs::write(&path, "Submariner\n").unwrap();
    /// let rules = brandscan::Rules::from_path_for_brand(&path, "Rolex").unwrap();
    /// assert_eq!(&*rules.get(0).brand, "Rolex");
    /// ```
    pub fn from_path_for_brand(path: &Path, default_brand: &str) -> Result<Rules> {
        Rules::read(path, Some(default_brand))
    }

    /// Count a list file's terms and their characters without loading it, reading it
    /// line by line, and stop once the terms pass `stop_above` characters: what an
    /// automaton costs can be bounded from this before the list is parsed, so a list far
    /// over [`crate::MatcherBuilder::max_automaton_bytes`] is refused in a moment and in
    /// little memory. A file with a UTF-16 byte-order mark counts as empty here (its
    /// size is checked when it is built).
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("l.csv");
    /// std::fs::write(&path, "brand,term\nRolex,Rolex\nRolex,\"Sub, mariner\"\n").unwrap();
    /// let size = brandscan::wordlist::ListSize::of_file(&path, usize::MAX).unwrap();
    /// assert_eq!((size.terms, size.term_chars), (2, 17));
    /// ```
    pub fn size_of_file(path: &Path, stop_above: usize) -> Result<ListSize> {
        ListSize::of_file(path, stop_above)
    }

    /// Parse a list already read into memory, exactly as [`Rules::from_path`] parses the
    /// file at `path`: the format follows the extension, the encoding the byte-order
    /// mark, and errors name `path` and the line. For rules that travel without their
    /// files (a Python scanner pickled to a Spark worker keeps the bytes it read).
    ///
    /// ```
    /// use std::path::Path;
    /// let rules = brandscan::Rules::from_bytes(
    ///     Path::new("mine.csv"),
    ///     b"term,action\nRolex,hide\n".to_vec(),
    /// ).unwrap();
    /// assert_eq!(rules.get(0).action, brandscan::Action::Hide);
    /// let err = brandscan::Rules::from_bytes(Path::new("bad.csv"), b"term,colour\nx,red\n".to_vec());
    /// assert!(err.unwrap_err().to_string().starts_with("bad.csv"));
    /// ```
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Rules> {
        let text = Rules::decode_text(path, bytes)?;
        first_error(Rules::parse_file(path, &text, None))
    }

    /// The rules of a run (SPEC §1): `lists` merged in order, with the built-in lists
    /// first when `builtin` says so. `builtin: None` is the command line's default: the
    /// built-in lists only when no list is given.
    ///
    /// ```
    /// use brandscan::Rules;
    /// let mine = || Rules::parse_txt("mine.txt", "Acme\n");
    /// assert_eq!(Rules::select(None, [mine()]).unwrap().len(), 1);
    /// assert!(Rules::select(Some(true), [mine()]).unwrap().len() > 1);
    /// assert!(Rules::select(Some(false), Vec::<brandscan::Result<Rules>>::new()).unwrap().is_empty());
    /// ```
    pub fn select(
        builtin: Option<bool>,
        lists: impl IntoIterator<Item = Result<Rules>>,
    ) -> Result<Rules> {
        let mut lists = lists.into_iter().peekable();
        let use_builtin = builtin.unwrap_or(lists.peek().is_none());
        let mut rules = if use_builtin {
            Rules::builtin()?
        } else {
            Rules::new()
        };
        for list in lists {
            rules.extend(list?);
        }
        Ok(rules)
    }

    fn read(path: &Path, default_brand: Option<&str>) -> Result<Rules> {
        let text = Rules::read_text(path)?;
        first_error(Rules::parse_file(path, &text, default_brand))
    }

    /// Read a list for a lint: every problem of the file, not only the first, beside the
    /// rules of the rows without one. `Err` when the file cannot be read or decoded at all.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("l.csv");
    /// std::fs::write(&path, "term,action\nNike,cut\nRolex,\n,remove\n").unwrap();
    /// let (rules, errors) = brandscan::Rules::check_path(&path).unwrap();
    /// assert_eq!(rules.len(), 1);
    /// assert_eq!(errors.len(), 2);
    /// assert!(errors[0].to_string().contains("l.csv:2 (column `action`)"));
    /// ```
    pub fn check_path(path: &Path) -> Result<(Rules, Vec<Error>)> {
        let text = Rules::read_text(path)?;
        Ok(Rules::parse_file(path, &text, None))
    }

    /// The text of a list file: UTF-8, with or without a BOM, or UTF-16 with a BOM.
    fn read_text(path: &Path) -> Result<String> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Rules::decode_text(path, bytes)
    }

    /// The text of a list's bytes, decoded as [`Rules::read_text`] decodes a file's.
    fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
        match encoding_rs::Encoding::for_bom(&bytes) {
            Some((enc, bom)) if enc != encoding_rs::UTF_8 => enc
                .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
                .map(|t| t.into_owned())
                .ok_or_else(|| {
                    Error::wordlist(
                        Location::file(path),
                        format!("word list is not valid {}", enc.name()),
                    )
                }),
            _ => Self::utf8(path, bytes),
        }
    }

    /// Parse a list file's text by its extension, with every error found.
    fn parse_file(path: &Path, text: &str, default_brand: Option<&str>) -> (Rules, Vec<Error>) {
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let mut errors = Vec::new();
        let mut rules = if is_csv {
            Rules::parse_csv_into(path, text, default_brand, &mut errors)
        } else {
            Rules::parse_txt_into(path, text, &mut errors)
        };
        if let (false, Some(brand)) = (is_csv, default_brand) {
            let brand: Arc<str> = Arc::from(brand);
            for rule in &mut rules.rules {
                rule.brand = brand.clone();
            }
        }
        (rules, errors)
    }

    fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String> {
        String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            Error::wordlist(
                Location::file(path).at_line(line),
                "word list is not valid UTF-8",
            )
        })
    }

    /// Parse the `.txt` format: one literal term per line.
    pub fn parse_txt(file: impl AsRef<Path>, text: &str) -> Result<Rules> {
        let mut errors = Vec::new();
        let rules = Rules::parse_txt_into(file.as_ref(), text, &mut errors);
        first_error((rules, errors))
    }

    fn parse_txt_into(file: &Path, text: &str, errors: &mut Vec<Error>) -> Rules {
        let mut rules = Rules::new();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        for (i, line) in physical_lines(text).enumerate() {
            let term = line.trim();
            if term.is_empty() || term.starts_with('#') {
                continue;
            }
            let location = Location::file(file).at_line(i as u64 + 1);
            let mut rule = Rule::literal(term);
            rule.source = location.clone();
            match check_term(&rule, &location) {
                Ok(()) => rules.push(rule),
                Err(e) => errors.push(e),
            }
        }
        rules
    }

    /// Parse the `.csv` format (docs/matching.md#word-lists).
    pub fn parse_csv(file: impl AsRef<Path>, text: &str) -> Result<Rules> {
        let mut errors = Vec::new();
        let rules = Rules::parse_csv_into(file.as_ref(), text, None, &mut errors);
        first_error((rules, errors))
    }

    /// Parse a `.csv` list, pushing every problem to `errors`: a bad header stops the
    /// file, a bad row is skipped and the rows after it are still read.
    fn parse_csv_into(
        file: &Path,
        text: &str,
        default_brand: Option<&str>,
        errors: &mut Vec<Error>,
    ) -> Rules {
        let mut rules = Rules::new();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        // The csv crate counts only `\n` as a line: make CR and CRLF endings `\n` so that
        // line numbers in messages are right whatever saved the file.
        let text: std::borrow::Cow<'_, str> = if text.contains('\r') {
            physical_lines(text).collect::<Vec<_>>().join("\n").into()
        } else {
            text.into()
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                errors.push(Error::wordlist(
                    Location::file(file).at_line(1),
                    e.to_string(),
                ));
                return rules;
            }
        };
        let mut col: HashMap<&str, usize> = HashMap::new();
        let mut header_ok = true;
        for (i, h) in headers.iter().enumerate() {
            let name = h.trim().to_ascii_lowercase();
            let Some(known) = COLUMNS.iter().find(|c| **c == name) else {
                errors.push(Error::wordlist(
                    Location::file(file).at_line(1).in_column(h),
                    format!(
                        "unknown column `{h}` (known columns: {})",
                        COLUMNS.join(", ")
                    ),
                ));
                header_ok = false;
                continue;
            };
            if col.insert(known, i).is_some() {
                errors.push(Error::wordlist(
                    Location::file(file).at_line(1).in_column(h),
                    format!("duplicate column `{h}`"),
                ));
                header_ok = false;
            }
        }
        let Some(&term_col) = col.get("term") else {
            errors.push(Error::wordlist(
                Location::file(file).at_line(1),
                "missing required column `term`",
            ));
            return rules;
        };
        // The rows are still checked under a bad header, so one run shows everything;
        // none is kept, since the header does not say what they mean.
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    errors.push(Error::wordlist(
                        Location::file(file).at_line(line),
                        format!("cannot read row: {e}"),
                    ));
                    // The reader moves past a row it cannot read; stop if it does not.
                    if reader.position().line() == line {
                        break;
                    }
                    continue;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            let at = Location::file(file).at_line(line);
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            // A line break inside a value is an unbalanced quote that swallowed the
            // lines after it: no term spans lines.
            if let Some(i) = record.iter().position(|f| f.contains('\n')) {
                let lines = record[i].trim_end().matches('\n').count() as u64;
                errors.push(Error::wordlist(
                    at.clone().in_column(headers.get(i).unwrap_or("?").trim()),
                    format!(
                        "the value runs over lines {line}–{}: an unbalanced `\"` on line {line}?",
                        line + lines
                    ),
                ));
                continue;
            }
            if record.len() != headers.len() {
                errors.push(Error::wordlist(
                    at,
                    format!(
                        "row has {}, the header has {}",
                        crate::report::plural(record.len(), "field"),
                        headers.len()
                    ),
                ));
                continue;
            }
            let get = |name: &str| col.get(name).map(|&i| record[i].trim()).unwrap_or("");
            let term = record[term_col].trim();
            let mut rule = Rule::literal(term);
            rule.source = at.clone();
            let brand = get("brand");
            if !brand.is_empty() {
                rule.brand = Arc::from(brand);
            } else if let Some(b) = default_brand {
                rule.brand = Arc::from(b);
            }
            let before = errors.len();
            if let Some(v) = keep(
                parse_enum(get("kind"), RuleKind::Literal, &at, "kind"),
                errors,
            ) {
                rule.kind = v;
            }
            if let Some(v) = keep(
                parse_enum(get("severity"), Severity::General, &at, "severity"),
                errors,
            ) {
                rule.severity = v;
            }
            if let Some(v) = keep(
                parse_enum(get("action"), Action::Remove, &at, "action"),
                errors,
            ) {
                rule.action = v;
            }
            if let Some(v) = keep(
                parse_enum(get("case"), CaseMode::Insensitive, &at, "case"),
                errors,
            ) {
                rule.case = v;
            }
            rule.replacement = Arc::from(get("replacement"));
            rule.note = Arc::from(get("note"));
            if let Some(with) = keep(parse_with(get("with"), &rule, &at), errors) {
                rule.with = with;
            }
            // A regex is only checked as one when its kind was read.
            if errors.len() == before {
                keep(check_term(&rule, &at), errors);
            }
            if errors.len() == before && header_ok {
                rules.push(rule);
            }
        }
        rules
    }

    /// Add a rule, merging it into an earlier rule for the same term: the strictest
    /// action and the gravest severity win, and the pair is recorded as a duplicate.
    pub fn push(&mut self, rule: Rule) {
        let key = rule.merge_key();
        if let Some(&i) = self.index.get(&key) {
            let kept = &mut self.rules[i];
            let mut diffs = Vec::new();
            if !kept.brand.eq_ignore_ascii_case(&rule.brand) {
                diffs.push(format!("brand `{}` vs `{}`", kept.brand, rule.brand));
            }
            if kept.action != rule.action {
                diffs.push(format!("action {} vs {}", kept.action, rule.action));
            }
            if kept.severity != rule.severity {
                diffs.push(format!("severity {} vs {}", kept.severity, rule.severity));
            }
            kept.action = kept.action.max(rule.action);
            kept.severity = kept.severity.max(rule.severity);
            if kept.replacement.is_empty() && !rule.replacement.is_empty() {
                kept.replacement = rule.replacement.clone();
            }
            self.duplicates.push(Duplicate {
                term: kept.term.clone(),
                kept: kept.source.clone(),
                duplicate: rule.source,
                conflict: !diffs.is_empty(),
                detail: diffs.join(", "),
            });
            return;
        }
        self.index.insert(key, self.rules.len());
        self.rules.push(rule);
    }

    /// Add every rule of `other`, merging duplicates.
    pub fn extend(&mut self, other: Rules) {
        self.duplicates.extend(other.duplicates);
        for rule in other.rules {
            self.push(rule);
        }
    }

    /// Keep only the rules for which `keep` is true (used by `audit --brand`).
    pub fn retain(&mut self, mut keep: impl FnMut(&Rule) -> bool) {
        let rules = std::mem::take(&mut self.rules);
        let duplicates = std::mem::take(&mut self.duplicates);
        self.index.clear();
        for rule in rules.into_iter().filter(|r| keep(r)) {
            self.push(rule);
        }
        self.duplicates = duplicates;
    }

    /// The number of rules after merging.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Rule `i`.
    pub fn get(&self, i: usize) -> &Rule {
        &self.rules[i]
    }

    /// All rules, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, Rule> {
        self.rules.iter()
    }

    /// The duplicates merged so far.
    pub fn duplicates(&self) -> &[Duplicate] {
        &self.duplicates
    }

    /// The number of distinct brands among the non-allow rules.
    pub fn brand_count(&self) -> usize {
        let mut brands: Vec<String> = self
            .rules
            .iter()
            .filter(|r| r.kind != RuleKind::Allow)
            .map(|r| r.brand.to_lowercase())
            .collect();
        brands.sort();
        brands.dedup();
        brands.len()
    }

    /// A short hash of the loaded rules, carried in every report so two runs can be
    /// told apart when their lists differ.
    ///
    /// ```
    /// let a = brandscan::Rules::parse_txt("a.txt", "Nike\n").unwrap();
    /// let b = brandscan::Rules::parse_txt("b.txt", "Nike\n").unwrap();
    /// assert_eq!(a.fingerprint(), b.fingerprint());
    /// ```
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for r in &self.rules {
            for part in [
                &*r.term,
                &*r.brand,
                r.kind.as_str(),
                r.severity.as_str(),
                r.action.as_str(),
                r.case.as_str(),
                &*r.replacement,
            ] {
                h.update(part.as_bytes());
                h.update([0x1f]);
            }
            // Only rules with supporting words add to the hash, so the fingerprint of
            // lists without them is what it was before the column existed.
            for w in r.with.iter() {
                h.update([0x1d]);
                h.update(w.as_bytes());
            }
            h.update([0x1e]);
        }
        let digest = h.finalize();
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }
}

impl<'a> IntoIterator for &'a Rules {
    type Item = &'a Rule;
    type IntoIter = std::slice::Iter<'a, Rule>;
    fn into_iter(self) -> Self::IntoIter {
        self.rules.iter()
    }
}

/// The value, or `None` with its error pushed to `errors`.
fn keep<T>(r: Result<T>, errors: &mut Vec<Error>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// The rules, or the first of the errors found in them.
fn first_error((rules, errors): (Rules, Vec<Error>)) -> Result<Rules> {
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(rules),
    }
}

fn parse_enum<T: FromStr<Err = String>>(
    value: &str,
    default: T,
    at: &Location,
    column: &str,
) -> Result<T> {
    if value.is_empty() {
        return Ok(default);
    }
    value
        .parse()
        .map_err(|e| Error::wordlist(at.clone().in_column(column), e))
}

/// The `with` column: `;`-separated words or phrases, and [`BRAND_TERMS`].
fn parse_with(value: &str, rule: &Rule, at: &Location) -> Result<Arc<[Arc<str>]>> {
    let items: Vec<&str> = value
        .split(';')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if items.is_empty() {
        return Ok(Arc::from([]));
    }
    let err = |m: String| Err(Error::wordlist(at.clone().in_column("with"), m));
    if rule.kind == RuleKind::Allow {
        return err("an allow phrase takes no supporting words".into());
    }
    for w in &items {
        if w.starts_with('@') && *w != BRAND_TERMS {
            return err(format!(
                "unknown `{w}` (the only `@` item is `{BRAND_TERMS}`: any other term of the brand)"
            ));
        }
        if *w != BRAND_TERMS && normalize_term(w).is_empty() {
            return err(format!(
                "supporting word `{w}` has no letters or digits left after normalization"
            ));
        }
    }
    Ok(items.into_iter().map(Arc::from).collect())
}

/// Lines ended by `\n`, `\r\n` or a lone `\r` (old Mac files), without their ends.
fn physical_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\r', '\n']) {
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]).filter(|r| !r.is_empty());
                Some(&t[..i])
            }
            None => {
                rest = None;
                Some(t)
            }
        }
    })
}

fn check_term(rule: &Rule, at: &Location) -> Result<()> {
    if rule.term.is_empty() {
        return Err(Error::wordlist(at.clone().in_column("term"), "empty term"));
    }
    if let Some(c) = rule.term.chars().find(|c| c.is_control()) {
        return Err(Error::wordlist(
            at.clone().in_column("term"),
            format!(
                "term `{}` contains the control character U+{:04X}",
                rule.term.escape_debug(),
                c as u32
            ),
        ));
    }
    match rule.kind {
        RuleKind::Regex => {
            compile_regex(&rule.term)
                .map_err(|e| Error::wordlist(at.clone().in_column("term"), e))?;
        }
        _ => {
            if normalize_term(&rule.term).is_empty() {
                return Err(Error::wordlist(
                    at.clone().in_column("term"),
                    format!(
                        "term `{}` has no letters or digits left after normalization",
                        rule.term
                    ),
                ));
            }
        }
    }
    Ok(())
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` ({}, {})",
            self.term,
            self.brand,
            self.kind.as_str()
        )
    }
}

/// Upper bound on a compiled regex rule, so a hostile list cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

/// Compile a regex rule the way the matcher runs it: case-insensitive, on normalized
/// text. A list is checked with it when it is parsed, so the matcher never meets a rule
/// it cannot compile.
pub(crate) fn compile_regex(pattern: &str) -> std::result::Result<regex::Regex, String> {
    let re = regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex: {e}"))?;
    // A pattern that needs no word (`.*`, `x*`, `\w+`) would flag every listing: text
    // no brand rule should find is empty, one letter, one digit, a common word.
    if ["", "a", "7", "the", "mug"].iter().any(|t| re.is_match(t)) {
        return Err(format!(
            "regex `{pattern}` matches text with no brand word in it (empty text or any \
             word), so it would flag every listing; anchor it on the word it is for"
        ));
    }
    Ok(re)
}

/// The terms of a list file counted without loading it ([`ListSize::of_file`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListSize {
    /// Terms counted (all of them, unless the count stopped early).
    pub terms: usize,
    /// Characters in those terms.
    pub term_chars: usize,
    /// True when counting stopped at the limit before the end of the file.
    pub stopped_early: bool,
}

impl ListSize {
    /// See [`Rules::size_of_file`].
    pub fn of_file(path: &Path, stop_above: usize) -> Result<ListSize> {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        let mut head = [0u8; 2];
        let n = reader.read(&mut head).map_err(|e| Error::io(path, e))?;
        if n == 2 && (head == [0xFF, 0xFE] || head == [0xFE, 0xFF]) {
            return Ok(ListSize::default());
        }
        let reader = std::io::Read::chain(&head[..n], reader);
        let is_csv = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let mut size = ListSize::default();
        let mut count = |term: &[u8]| {
            let term = String::from_utf8_lossy(term);
            let term = term.trim().trim_start_matches('\u{FEFF}');
            if term.is_empty() || (!is_csv && term.starts_with('#')) {
                return false;
            }
            size.terms += 1;
            size.term_chars += term.chars().count();
            size.term_chars > stop_above
        };
        if is_csv {
            let mut csv = csv::ReaderBuilder::new()
                .flexible(true)
                .comment(Some(b'#'))
                .from_reader(reader);
            let headers = csv.byte_headers().map_err(|e| csv_error(path, e))?.clone();
            let column = headers
                .iter()
                .position(|h| {
                    let h = String::from_utf8_lossy(h);
                    h.trim()
                        .trim_start_matches('\u{FEFF}')
                        .eq_ignore_ascii_case("term")
                })
                .unwrap_or(0);
            let mut record = csv::ByteRecord::new();
            while csv
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(path, e))?
            {
                if count(record.get(column).unwrap_or_default()) {
                    size.stopped_early = true;
                    break;
                }
            }
        } else {
            let mut lines = std::io::BufReader::new(reader);
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = std::io::BufRead::read_until(&mut lines, b'\n', &mut line)
                    .map_err(|e| Error::io(path, e))?;
                if n == 0 {
                    break;
                }
                if count(&line) {
                    size.stopped_early = true;
                    break;
                }
            }
        }
        Ok(size)
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::wordlist(Location::file(path), format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn err_text(r: Result<Rules>) -> String {
        match r {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn txt_skips_comments_and_blanks() {
        let r = Rules::parse_txt("l.txt", "# brands\n\nNike\n  Adidas  \n").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(&*r.get(1).term, "Adidas");
        assert_eq!(r.get(1).source.line, Some(4));
    }

    #[test]
    fn csv_columns_in_any_order_with_defaults() {
        let r = Rules::parse_csv("l.csv", "note,term\nhello,Rolex\n").unwrap();
        let rule = r.get(0);
        assert_eq!(&*rule.brand, "Rolex");
        assert_eq!(rule.action, Action::Remove);
        assert_eq!(rule.severity, Severity::General);
        assert_eq!(rule.case, CaseMode::Insensitive);
        assert_eq!(&*rule.note, "hello");
    }

    #[test]
    fn unknown_column_names_column_and_file() {
        let e = err_text(Rules::parse_csv("l.csv", "term,colour\nNike,red\n"));
        assert!(e.contains("l.csv:1"), "{e}");
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn bad_enum_names_line_and_column() {
        let e = Rules::parse_csv("l.csv", "term,action\nNike,remove\nAdidas,delete\n").unwrap_err();
        let ErrorKind::WordList { location, message } = e.kind() else {
            panic!("wrong kind")
        };
        assert_eq!(location.line, Some(3));
        assert_eq!(location.column.as_deref(), Some("action"));
        assert!(message.contains("delete"));
    }

    #[test]
    fn empty_term_and_bad_regex_are_errors() {
        let e = err_text(Rules::parse_csv("l.csv", "term,brand\n,Nike\n"));
        assert!(e.contains("l.csv:2") && e.contains("empty term"), "{e}");
        let e = err_text(Rules::parse_csv("l.csv", "term,kind\n(nike,regex\n"));
        assert!(e.contains("l.csv:2") && e.contains("term"), "{e}");
        let e = err_text(Rules::parse_txt("l.txt", "Nike\n---\n"));
        assert!(e.contains("l.txt:2"), "{e}");
    }

    #[test]
    fn every_line_ending_counts_lines() {
        let r = Rules::parse_txt("l.txt", "Nike\rAdidas\r\nPuma\nGucci").unwrap();
        let terms: Vec<&str> = r.iter().map(|r| &*r.term).collect();
        assert_eq!(terms, ["Nike", "Adidas", "Puma", "Gucci"]);
        assert_eq!(r.get(3).source.line, Some(4));
        let e = err_text(Rules::parse_csv(
            "l.csv",
            "term,action\rNike,remove\r\nPuma,nope\r",
        ));
        assert!(e.contains("l.csv:3 (column `action`)"), "{e}");
    }

    #[test]
    fn an_unbalanced_quote_names_its_line() {
        let e = err_text(Rules::parse_csv(
            "l.csv",
            "term,brand\nNike,Nike\n\"Adidas,Adidas\nPuma,Puma\n",
        ));
        assert!(
            e.contains("l.csv:3 (column `term`)") && e.contains("unbalanced"),
            "{e}"
        );
    }

    #[test]
    fn control_characters_are_refused() {
        let e = err_text(Rules::parse_txt("l.txt", "Ni\u{0}ke\n"));
        assert!(
            e.contains("l.txt:1 (column `term`)") && e.contains("U+0000"),
            "{e}"
        );
    }

    #[test]
    fn missing_term_column() {
        let e = err_text(Rules::parse_csv("l.csv", "brand\nNike\n"));
        assert!(e.contains("`term`"), "{e}");
    }

    #[test]
    fn duplicates_merge_strictest_action() {
        let r = Rules::parse_csv(
            "l.csv",
            "term,action,severity\nNike,review,minor\nNIKE,remove,serious\nNike,hide,general\n",
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r.get(0).action, Action::Remove);
        assert_eq!(r.get(0).severity, Severity::Serious);
        assert_eq!(r.duplicates().len(), 2);
        assert!(r.duplicates()[0].conflict);
    }

    #[test]
    fn accents_and_separators_are_duplicates() {
        let r =
            Rules::parse_txt("l.txt", "Hermès\nHermes\nLouis Vuitton\nlouis-vuitton\n").unwrap();
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn builtin_lists_parse() {
        let r = Rules::builtin().unwrap();
        assert!(r.brand_count() >= 1000, "{} brands", r.brand_count());
    }

    #[test]
    fn with_column_is_parsed_and_checked() {
        let r = Rules::parse_csv(
            "l.csv",
            "term,brand,case,with\nLV,Louis Vuitton,sensitive, monogram ; speedy;@brand;\n",
        )
        .unwrap();
        let with: Vec<&str> = r.get(0).with.iter().map(|w| &**w).collect();
        assert_eq!(with, ["monogram", "speedy", "@brand"]);
        let e = err_text(Rules::parse_csv(
            "l.csv",
            "term,kind,with\nlv bag,allow,bag\n",
        ));
        assert!(
            e.contains("l.csv:2 (column `with`)") && e.contains("allow"),
            "{e}"
        );
        let e = err_text(Rules::parse_csv("l.csv", "term,with\nLV,@brands\n"));
        assert!(e.contains("unknown `@brands`"), "{e}");
        let e = err_text(Rules::parse_csv("l.csv", "term,with\nLV,bag;---\n"));
        assert!(e.contains("`---`"), "{e}");
    }

    #[test]
    fn with_column_changes_the_fingerprint_only_where_used() {
        let plain = Rules::parse_csv("a", "term\nNike\n").unwrap();
        let empty = Rules::parse_csv("a", "term,with\nNike,\n").unwrap();
        let with = Rules::parse_csv("a", "term,with\nNike,shoes\n").unwrap();
        assert_eq!(plain.fingerprint(), empty.fingerprint());
        assert_ne!(plain.fingerprint(), with.fingerprint());
    }

    #[test]
    fn fingerprint_changes_with_rules() {
        let a = Rules::parse_txt("a", "Nike\n").unwrap();
        let b = Rules::parse_txt("a", "Adidas\n").unwrap();
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
