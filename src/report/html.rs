//! `html`: one self-contained page for people (docs/matching.md#output): totals, a bar chart of flagged
//! listings by brand and action (inline SVG), and a searchable, sortable table of listings
//! with the matched words highlighted in their context.
//!
//! The page has no external assets and a Content-Security-Policy that forbids loading
//! any, so it can be mailed or archived as one file. Every piece of catalog and word-list
//! text is escaped: listing text is untrusted input.
//!
//! The renderer, [`render`], takes an [`HtmlPage`] — totals, chart bars and listing
//! rows — so any command can build its own page (`scan` here; `audit` adds its own
//! totals and columns). [`HtmlListing::from_record`] turns a record's findings into a
//! row, cutting context snippets from the field text when it is given.
//!
//! ```
//! use brandscan::report::html::{render, HtmlListing, HtmlPage, Total};
//! use brandscan::{Matcher, RecordFindings, Rules};
//!
//! let m = Matcher::new(Rules::parse_txt("l.txt", "Rolex\n").unwrap()).unwrap();
//! let title = "Strap \"for\" Rolex <3";
//! let rec = RecordFindings { listing_id: "A1".into(), row: 1, file_index: 0,
//!     findings: m.find_all("title", title) };
//! let text = [("title", title)];
//! let page = HtmlPage {
//!     title: "Scan".into(),
//!     totals: vec![Total::new("Listings flagged", "1")],
//!     listings: vec![HtmlListing::from_record(&rec, None, Some(&text))],
//!     listings_total: 1,
//!     ..HtmlPage::default()
//! };
//! let mut out = Vec::new();
//! render(&mut out, &page).unwrap();
//! let html = String::from_utf8(out).unwrap();
//! assert!(html.contains("Strap &quot;for&quot; <mark>Rolex</mark> &lt;3"));
//! ```

use super::{out_err, Report, ReportMeta};
use crate::error::Result;
use crate::finding::{Action, Context, MatchKind, RecordFindings, Severity};
use crate::html::{is_html, HtmlText};
use crate::scan::{FieldText, Stats};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Listings kept for the table. A page with more rows is too slow for a browser to search
/// and sort; the totals and the chart still count every listing, and the page says the
/// table is cut (the `listings` format has them all).
pub const MAX_TABLE_LISTINGS: usize = 10_000;

/// Characters of context on each side of a match.
pub const SNIPPET_RADIUS: usize = 40;

/// Snippets shown per listing; the rest are counted.
pub const MAX_SNIPPETS: usize = 8;

/// Brands in the chart; the rest are counted in its caption.
pub const MAX_CHART_BRANDS: usize = 20;

/// One big number at the top of the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Total {
    /// What it counts.
    pub label: String,
    /// The figure, formatted.
    pub value: String,
    /// Colours the card like this action's badge.
    pub action: Option<Action>,
}

impl Total {
    /// A plain card.
    pub fn new(label: impl Into<String>, value: impl ToString) -> Total {
        Total {
            label: label.into(),
            value: value.to_string(),
            action: None,
        }
    }

    /// A card coloured like `action`.
    pub fn action(label: impl Into<String>, value: impl ToString, action: Action) -> Total {
        Total {
            action: Some(action),
            ..Total::new(label, value)
        }
    }
}

/// One brand's bar: flagged listings by the strictest action of that brand's findings
/// in them, indexed by `Action as usize`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandBar {
    /// The brand.
    pub brand: String,
    /// Listings per action (`[review, hide, remove]`).
    pub listings: [u64; 3],
}

impl BrandBar {
    /// Listings of every action.
    pub fn total(&self) -> u64 {
        self.listings.iter().sum()
    }
}

/// How a run of snippet text is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Plain context.
    None,
    /// A finding's matched words.
    Hit,
    /// A counterfeit signal (`AAA`, `Replica`, `1:1`), as [`crate::context`] finds them.
    Signal,
}

/// A run of snippet text and its highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text as a person reads it (entities decoded, tags dropped), whitespace runs
    /// collapsed to one space.
    pub text: String,
    /// Its highlight.
    pub mark: Mark,
}

/// The context of one or more nearby matches in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The column.
    pub field: String,
    /// The text around the matches, matches marked; `…` where the field goes on.
    pub pieces: Vec<Piece>,
}

#[cfg(test)]
impl Snippet {
    /// The snippet's text with its matches in brackets and its signals in braces, for
    /// tests.
    pub(crate) fn marked(&self) -> String {
        self.pieces
            .iter()
            .map(|p| match p.mark {
                Mark::Hit => format!("[{}]", p.text),
                Mark::Signal => format!("{{{}}}", p.text),
                Mark::None => p.text.clone(),
            })
            .collect()
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlListing {
    /// The catalog, when there are several.
    pub file: Option<String>,
    /// The listing id.
    pub listing_id: String,
    /// 1-based data record number.
    pub row: u64,
    /// The strictest action.
    pub action: Action,
    /// Brands, distinct, in first-seen order.
    pub brands: Vec<String>,
    /// Terms, distinct, in first-seen order.
    pub terms: Vec<String>,
    /// Number of findings.
    pub findings: usize,
    /// The gravest severity of the findings.
    pub severity: Severity,
    /// The findings, one line per distinct term, brand, severity, action, match kind and
    /// context, in first-seen order.
    pub details: Vec<FindingLine>,
    /// Things a reviewer should know about the listing (`suppression expired`).
    pub flags: Vec<String>,
    /// Where the words are, at most [`MAX_SNIPPETS`].
    pub snippets: Vec<Snippet>,
    /// Snippets left out.
    pub more_snippets: usize,
    /// Values of [`HtmlPage::extra_columns`], in order.
    pub extra: Vec<String>,
}

/// Findings of a listing that read the same in the table, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingLine {
    /// The rule's term.
    pub term: String,
    /// Its brand.
    pub brand: String,
    /// The finding's severity.
    pub severity: Severity,
    /// Its action.
    pub action: Action,
    /// How the text relates to the term.
    pub match_kind: MatchKind,
    /// The context it was found in.
    pub context: Context,
    /// How many findings read like this.
    pub count: usize,
}

impl HtmlListing {
    /// The row for `rec`; with `text`, the matches are shown in their context, without it
    /// only the matched words are.
    pub fn from_record(
        rec: &RecordFindings,
        file: Option<&str>,
        text: Option<&dyn FieldText>,
    ) -> HtmlListing {
        let mut brands: Vec<String> = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        let mut details: Vec<FindingLine> = Vec::new();
        for f in &rec.findings {
            let same = |d: &FindingLine| {
                *d.term == *f.term
                    && *d.brand == *f.brand
                    && (d.severity, d.action, d.match_kind, d.context)
                        == (f.severity, f.action, f.match_kind, f.context)
            };
            match details.iter_mut().find(|d| same(d)) {
                Some(d) => d.count += 1,
                None => details.push(FindingLine {
                    term: f.term.to_string(),
                    brand: f.brand.to_string(),
                    severity: f.severity,
                    action: f.action,
                    match_kind: f.match_kind,
                    context: f.context,
                    count: 1,
                }),
            }
            if !brands.iter().any(|b| **b == *f.brand) {
                brands.push(f.brand.to_string());
            }
            if !terms.iter().any(|t| **t == *f.term) {
                terms.push(f.term.to_string());
            }
        }
        let mut snippets = snippets(rec, text);
        let more_snippets = snippets.len().saturating_sub(MAX_SNIPPETS);
        snippets.truncate(MAX_SNIPPETS);
        HtmlListing {
            file: file.map(str::to_string),
            listing_id: rec.listing_id.clone(),
            row: rec.row,
            action: rec.action().unwrap_or(Action::Review),
            brands,
            terms,
            findings: rec.findings.len(),
            severity: rec
                .findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::General),
            details,
            flags: Vec::new(),
            snippets,
            more_snippets,
            extra: Vec::new(),
        }
    }
}

/// A small table of figures drawn between the totals and the chart (the audit's exposure
/// per brand). Columns whose every value is a number are right-aligned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlTable {
    /// The heading.
    pub heading: String,
    /// A sentence under the heading saying how to read the table; may be empty.
    pub intro: String,
    /// Headings over runs of columns, as `(heading, columns spanned)` from the first
    /// column; an empty heading spans columns without one. Empty: no such row.
    pub groups: Vec<(String, usize)>,
    /// Column headings.
    pub columns: Vec<String>,
    /// The rows, one value per column.
    pub rows: Vec<Vec<String>>,
    /// Rows set apart at the foot, such as a total.
    pub foot: Vec<Vec<String>>,
}

/// Everything a page shows.
#[derive(Debug, Clone, Default)]
pub struct HtmlPage {
    /// The heading and the window title.
    pub title: String,
    /// Label/value lines under the heading: catalogs, word lists and fingerprint, time.
    pub facts: Vec<(String, String)>,
    /// The big numbers.
    pub totals: Vec<Total>,
    /// Things a reader must not miss: a cut table, expired suppressions, changed lists.
    pub notes: Vec<String>,
    /// Tables of figures, drawn after the notes and before the chart.
    pub tables: Vec<HtmlTable>,
    /// The chart's bars, drawn in this order; at most [`MAX_CHART_BRANDS`] are drawn.
    pub chart: Vec<BrandBar>,
    /// Column headings added after the standard ones (each row's `extra`).
    pub extra_columns: Vec<String>,
    /// The table rows.
    pub listings: Vec<HtmlListing>,
    /// Flagged listings in all, which may exceed `listings.len()`.
    pub listings_total: u64,
}

/// Cut the context of every finding of `rec` from `text`: windows of
/// [`SNIPPET_RADIUS`] characters around each match, merged when they touch, cut at word
/// edges, with the counterfeit signals in them marked beside the matches.
///
/// The context is the text a person reads: an HTML field (as the scanner reads one,
/// [`crate::html`]) loses its tags and has its entities decoded, matches included
/// (`Ch&#97;nel` shows as `Chanel`). The page escapes all of it again. Offsets that do
/// not fit the text (they always should) fall back to the matched words alone, so a
/// report never fails over a snippet.
pub fn snippets(rec: &RecordFindings, text: Option<&dyn FieldText>) -> Vec<Snippet> {
    // (start, end, matched) of each finding, by field in first-seen order.
    type Spans<'a> = Vec<(usize, usize, &'a str)>;
    let mut by_field: Vec<(&str, Spans)> = Vec::new();
    for f in &rec.findings {
        let span = (f.start, f.end, f.matched.as_str());
        match by_field.iter_mut().find(|(name, _)| *name == &*f.field) {
            Some((_, spans)) => spans.push(span),
            None => by_field.push((&f.field, vec![span])),
        }
    }
    let mut out = Vec::new();
    let mut html = HtmlText::default();
    for (field, spans) in by_field {
        let raw = text.and_then(|t| t.field_text(field)).unwrap_or("");
        let decoded = is_html(field, raw);
        if decoded {
            html.build(raw);
        }
        let t = if decoded { html.as_str() } else { raw };
        // Each match as a range of the text shown.
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for &(s, e, matched) in &spans {
            let fits =
                s < e && e <= raw.len() && raw.is_char_boundary(s) && raw.is_char_boundary(e);
            let shown = match (fits, decoded) {
                (false, _) => None,
                (true, false) => Some((s, e)),
                (true, true) => html.text_span(s, e),
            }
            .filter(|&(a, b)| a < b && t.is_char_boundary(a) && t.is_char_boundary(b));
            match shown {
                Some(h) => hits.push(h),
                None => out.push(Snippet {
                    field: field.to_string(),
                    pieces: vec![Piece {
                        text: collapse(matched),
                        mark: Mark::Hit,
                    }],
                }),
            }
        }
        if hits.is_empty() {
            continue;
        }
        hits.sort_unstable();
        let mut signals = crate::context::counterfeit_signals(t);
        // `Rolex style`: `style` is a signal right after a match only.
        signals.extend(hits.iter().filter_map(|&(_, e)| style_after(t, e)));
        signals.sort_unstable();
        // (window start, window end, hits)
        type Window = (usize, usize, Vec<(usize, usize)>);
        let mut windows: Vec<Window> = Vec::new();
        for &(s, e) in &hits {
            let ws = window_start(t, s);
            let we = window_end(t, e);
            match windows.last_mut() {
                Some(w) if ws <= w.1 => {
                    w.1 = w.1.max(we);
                    if w.2.last().is_none_or(|h| s >= h.1) {
                        w.2.push((s, e));
                    }
                }
                _ => windows.push((ws, we, vec![(s, e)])),
            }
        }
        for (ws, we, hits) in windows {
            let mut pieces: Vec<Piece> = Vec::new();
            if ws > 0 {
                pieces.push(Piece {
                    text: "…".into(),
                    mark: Mark::None,
                });
            }
            let mut at = ws;
            for (s, e) in hits {
                plain(&mut pieces, t, at, s, &signals);
                push_piece(&mut pieces, collapse(&t[s..e]), Mark::Hit);
                at = e;
            }
            plain(&mut pieces, t, at, we, &signals);
            // The window's own edges: no space before the first word or after the last.
            if let Some(p) = pieces.iter_mut().find(|p| p.text != "…") {
                p.text = p.text.trim_start().to_string();
            }
            if let Some(p) = pieces.last_mut() {
                p.text = p.text.trim_end().to_string();
            }
            pieces.retain(|p| !p.text.is_empty());
            if we < t.len() {
                pieces.push(Piece {
                    text: "…".into(),
                    mark: Mark::None,
                });
            }
            out.push(Snippet {
                field: field.to_string(),
                pieces,
            });
        }
    }
    out
}

/// Push `t[from..to]`, the context between matches, with its counterfeit signals
/// marked.
fn plain(pieces: &mut Vec<Piece>, t: &str, from: usize, to: usize, signals: &[(usize, usize)]) {
    let mut at = from;
    for &(s, e) in signals {
        // Only whole signals inside the run: a match always wins over a signal.
        if s < at || e > to {
            continue;
        }
        push_piece(pieces, collapse(&t[at..s]), Mark::None);
        push_piece(pieces, collapse(&t[s..e]), Mark::Signal);
        at = e;
    }
    push_piece(pieces, collapse(&t[at..to]), Mark::None);
}

fn push_piece(pieces: &mut Vec<Piece>, text: String, mark: Mark) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        // Runs of plain text join, so a snippet reads as few pieces as it has marks.
        Some(last) if mark == Mark::None && last.mark == Mark::None && last.text != "…" => {
            last.text.push_str(&text)
        }
        _ => pieces.push(Piece { text, mark }),
    }
}

/// The range of `style` when it follows `t[..e]` as its own word (`Rolex style`,
/// `Chanel-style`).
fn style_after(t: &str, e: usize) -> Option<(usize, usize)> {
    let rest = &t[e..];
    let gap = rest.len() - rest.trim_start_matches([' ', '-', '\u{a0}']).len();
    if gap == 0 || gap > 2 {
        return None;
    }
    let word = rest.get(gap..gap + 5)?;
    let after = rest[gap + 5..].chars().next();
    (word.eq_ignore_ascii_case("style") && !after.is_some_and(char::is_alphanumeric))
        .then_some((e + gap, e + gap + 5))
}

/// [`SNIPPET_RADIUS`] characters before `s`, moved forward past a partial word unless
/// that would leave less than half the context (text without spaces: CJK, URLs).
fn window_start(t: &str, s: usize) -> usize {
    let Some((ws, _)) = t[..s].char_indices().rev().take(SNIPPET_RADIUS).last() else {
        return s;
    };
    if ws == 0 {
        return 0;
    }
    match t[ws..s].find(char::is_whitespace) {
        Some(i) if t[ws + i + 1..s].chars().count() >= SNIPPET_RADIUS / 2 => ws + i + 1,
        _ => ws,
    }
}

/// [`SNIPPET_RADIUS`] characters after `e`, moved back before a partial word unless
/// that would leave less than half the context.
fn window_end(t: &str, e: usize) -> usize {
    let we = t[e..]
        .char_indices()
        .nth(SNIPPET_RADIUS)
        .map_or(t.len(), |(i, _)| e + i);
    if we == t.len() {
        return we;
    }
    match t[e..we].rfind(char::is_whitespace) {
        Some(i) if t[e..e + i].chars().count() >= SNIPPET_RADIUS / 2 => e + i,
        _ => we,
    }
}

/// Whitespace runs (newlines in HTML bodies, tabs) as one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Escape text for HTML element content and quoted attribute values.
///
/// ```
/// use brandscan::report::html::escape;
/// assert_eq!(escape(r#"<img src=x onerror="a('b')">&"#),
///     "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Write `page` as one self-contained HTML document.
pub fn render(out: &mut dyn Write, page: &HtmlPage) -> io::Result<()> {
    let mut h = String::with_capacity(16 * 1024 + page.listings.len() * 512);
    let title = escape(&page.title);
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n"
    );
    if !page.facts.is_empty() {
        h.push_str("<dl class=\"facts\">\n");
        for (k, v) in &page.facts {
            let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
        }
        h.push_str("</dl>\n");
    }
    h.push_str("</header>\n<main>\n<section class=\"totals\" id=\"totals\">\n");
    for t in &page.totals {
        let class = t
            .action
            .map_or(String::new(), |a| format!(" {}", a.as_str()));
        // Words (a penalty) get a smaller type than figures, to fit the card.
        let value_class = if is_number(&t.value) {
            "value"
        } else {
            "value words"
        };
        let _ = writeln!(
            h,
            "<div class=\"total{class}\"><div class=\"{value_class}\">{}</div><div class=\"label\">{}</div></div>",
            escape(&t.value),
            escape(&t.label)
        );
    }
    h.push_str("</section>\n");
    if !page.notes.is_empty() {
        h.push_str("<section class=\"notes\" id=\"notes\">\n<ul>\n");
        for n in &page.notes {
            let _ = writeln!(h, "<li>{}</li>", escape(n));
        }
        h.push_str("</ul>\n</section>\n");
    }
    for t in &page.tables {
        figures(&mut h, t);
    }
    chart(&mut h, &page.chart);
    table(&mut h, page);
    let _ = write!(
        h,
        "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out.write_all(h.as_bytes())
}

const ACTIONS_STRICT_FIRST: [Action; 3] = [Action::Remove, Action::Hide, Action::Review];

fn is_number(v: &str) -> bool {
    !v.is_empty() && v.parse::<f64>().is_ok()
}

fn figures(h: &mut String, t: &HtmlTable) {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .iter()
                .chain(&t.foot)
                .all(|r| r.get(i).is_some_and(|v| is_number(v)))
        })
        .collect();
    let class = |i: usize| {
        if numeric.get(i) == Some(&true) {
            " class=\"num\""
        } else {
            ""
        }
    };
    let _ = writeln!(
        h,
        "<section class=\"figures\">\n<h2>{}</h2>",
        escape(&t.heading)
    );
    if !t.intro.is_empty() {
        let _ = writeln!(h, "<p class=\"intro\">{}</p>", escape(&t.intro));
    }
    h.push_str("<div class=\"scroll\"><table class=\"figures\">\n<thead>");
    if !t.groups.is_empty() {
        h.push_str("<tr>");
        for (label, span) in &t.groups {
            let class = if label.is_empty() {
                ""
            } else {
                " class=\"group\""
            };
            let _ = write!(h, "<th colspan=\"{span}\"{class}>{}</th>", escape(label));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("<tr>");
    for (i, c) in t.columns.iter().enumerate() {
        let _ = write!(h, "<th{}>{}</th>", class(i), escape(c));
    }
    h.push_str("</tr></thead>\n");
    for (part, rows) in [("tbody", &t.rows), ("tfoot", &t.foot)] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<{part}>");
        for r in rows {
            h.push_str("<tr>");
            for (i, v) in r.iter().enumerate() {
                let _ = write!(h, "<td{}>{}</td>", class(i), escape(v));
            }
            h.push_str("</tr>\n");
        }
        let _ = writeln!(h, "</{part}>");
    }
    h.push_str("</table></div>\n</section>\n");
}

fn chart(h: &mut String, bars: &[BrandBar]) {
    h.push_str(
        "<section class=\"chart\" id=\"chart\">\n<h2>Flagged listings by brand and action</h2>\n",
    );
    if bars.is_empty() {
        h.push_str("<p class=\"empty\">No listing flagged.</p>\n</section>\n");
        return;
    }
    h.push_str("<div class=\"legend\">");
    for a in ACTIONS_STRICT_FIRST {
        let _ = write!(h, "<span class=\"key {a}\"></span>{a} ");
    }
    h.push_str("</div>\n");
    // Bars in HTML, not a scaled drawing: the labels keep the page's font size at every
    // width, and on a narrow screen each label goes above its bar (style.css).
    let shown = &bars[..bars.len().min(MAX_CHART_BRANDS)];
    let max = shown.iter().map(BrandBar::total).max().unwrap_or(1).max(1);
    h.push_str(
        "<div class=\"bars\" role=\"img\" aria-label=\"Flagged listings by brand and action\">\n",
    );
    for bar in shown {
        let apart = if crate::context::names_a_brand(&bar.brand) {
            ""
        } else {
            " apart"
        };
        let _ = write!(
            h,
            "<div class=\"bar\" title=\"{}: {} ({} remove, {} hide, {} review)\"><span class=\"brand{apart}\">{}</span><span class=\"track\">",
            escape(&bar.brand),
            super::plural(bar.total(), "listing"),
            bar.listings[Action::Remove as usize],
            bar.listings[Action::Hide as usize],
            bar.listings[Action::Review as usize],
            escape(&bar.brand),
        );
        for a in ACTIONS_STRICT_FIRST {
            let n = bar.listings[a as usize];
            if n == 0 {
                continue;
            }
            let _ = write!(
                h,
                "<span class=\"{a}\" style=\"width:{:.1}%\"></span>",
                n as f64 / max as f64 * 100.0
            );
        }
        let _ = writeln!(
            h,
            "</span><span class=\"count\">{}</span></div>",
            bar.total()
        );
    }
    h.push_str("</div>\n");
    if bars.len() > shown.len() {
        let rest: u64 = bars[shown.len()..].iter().map(BrandBar::total).sum();
        let _ = writeln!(
            h,
            "<p class=\"caption\">{} more with {} flagged are not drawn.</p>",
            super::plural(bars.len() - shown.len(), "brand"),
            super::plural(rest, "listing")
        );
    }
    h.push_str("</section>\n");
}

/// The distinct values of one property of a listing's findings, as a `data-` attribute
/// value the filters read: space-separated keywords.
fn keywords<T: PartialEq + Copy>(
    details: &[FindingLine],
    get: impl Fn(&FindingLine) -> T,
    name: impl Fn(T) -> &'static str,
) -> String {
    let mut seen: Vec<T> = Vec::new();
    for d in details {
        let v = get(d);
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.into_iter().map(name).collect::<Vec<_>>().join(" ")
}

/// A context's keyword in the page: `plain` for none, which has no word of its own.
fn context_word(c: Context) -> &'static str {
    match c {
        Context::None => "plain",
        c => c.as_str(),
    }
}

/// A `<select>` filter over the rows' `data-{key}` keywords.
fn select(h: &mut String, key: &str, label: &str, every: &str, options: &[&str]) {
    let _ = write!(
        h,
        "<label class=\"filter\"><span>{label}</span><select data-filter=\"{key}\"><option value=\"\">{every}</option>"
    );
    for o in options {
        let _ = write!(h, "<option value=\"{o}\">{o}</option>");
    }
    h.push_str("</select></label>");
}

fn table(h: &mut String, page: &HtmlPage) {
    h.push_str("<section class=\"listings\">\n<h2>Listings</h2>\n");
    if page.listings.is_empty() {
        h.push_str("<p class=\"empty\">No listing flagged.</p>\n</section>\n");
        return;
    }
    let n = page.listings.len();
    h.push_str("<div class=\"controls\"><input type=\"search\" id=\"q\" placeholder=\"Search ids, brands, words, text…\" aria-label=\"Search\">");
    select(
        h,
        "action",
        "Action",
        "every action",
        &["remove", "hide", "review"],
    );
    select(
        h,
        "severity",
        "Severity",
        "every severity",
        &["serious", "general", "minor"],
    );
    select(
        h,
        "context",
        "Context",
        "every context",
        &["counterfeit", "compatible", "plain"],
    );
    let kinds: Vec<&str> = MatchKind::ALL.iter().map(|k| k.as_str()).collect();
    select(h, "kind", "Match", "every match kind", &kinds);
    let _ = writeln!(
        h,
        "<span class=\"shown\"><b id=\"shown\">{n}</b> of {}</span></div>",
        super::plural(n, "listing")
    );
    h.push_str(
        "<p class=\"legend\"><mark>Nike</mark> a word from the lists \
         <mark class=\"signal\">Replica</mark> counterfeit wording \
         <span class=\"chip ctx-counterfeit\">counterfeit</span> <span class=\"chip ctx-compatible\">compatible</span> the context of a finding \
         <span class=\"chip kind-obfuscated\">obfuscated</span> how it was written</p>\n",
    );
    let with_file = page.listings.iter().any(|l| l.file.is_some());
    h.push_str("<table id=\"listings\">\n<thead><tr>");
    if with_file {
        h.push_str("<th data-type=\"text\" class=\"c-file\">File</th>");
    }
    // Every column but Where has a set width (style.css): the table cannot grow past the
    // page, and Where takes the rest.
    h.push_str(
        "<th data-type=\"text\" class=\"c-id\">Listing</th><th data-type=\"num\" class=\"c-row\">Row</th>\
         <th data-type=\"num\" class=\"c-action\">Action</th><th data-type=\"num\" class=\"c-sev\">Severity</th>\
         <th data-type=\"text\" class=\"c-brands\">Brands</th><th data-type=\"num\" class=\"c-findings\">Findings</th>",
    );
    for (i, c) in page.extra_columns.iter().enumerate() {
        // A column of numbers (the audit's rank) sorts as numbers.
        let numeric = page
            .listings
            .iter()
            .all(|l| l.extra.get(i).is_some_and(|v| is_number(v)));
        let kind = if numeric { "num" } else { "text" };
        let _ = write!(
            h,
            "<th data-type=\"{kind}\" class=\"c-extra\">{}</th>",
            escape(c)
        );
    }
    h.push_str("<th class=\"where\">Where</th></tr></thead>\n<tbody>\n");
    for l in &page.listings {
        let a = l.action.as_str();
        let _ = write!(
            h,
            "<tr data-action=\"{a}\" data-severity=\"{}\" data-context=\"{}\" data-kind=\"{}\">",
            keywords(&l.details, |d| d.severity, Severity::as_str),
            keywords(&l.details, |d| d.context, context_word),
            keywords(&l.details, |d| d.match_kind, MatchKind::as_str),
        );
        if with_file {
            let _ = write!(
                h,
                "<td data-label=\"File\">{}</td>",
                escape(l.file.as_deref().unwrap_or(""))
            );
        }
        let _ = write!(
            h,
            "<td class=\"id\">{}</td><td data-label=\"Row\" data-sort=\"{row}\">{row}</td>\
             <td data-label=\"Action\" data-sort=\"{rank}\"><span class=\"badge {a}\">{a}</span></td>\
             <td data-label=\"Severity\" data-sort=\"{sev_rank}\"><span class=\"sev {sev}\">{sev}</span></td>\
             <td data-label=\"Brands\">{}</td>",
            escape(&l.listing_id),
            escape(&l.brands.join(", ")),
            row = l.row,
            rank = l.action as usize,
            sev = l.severity,
            sev_rank = l.severity as usize,
        );
        let _ = write!(
            h,
            "<td class=\"findings\" data-label=\"Findings\" data-sort=\"{n}\"><ul>",
            n = l.findings
        );
        for d in &l.details {
            finding_line(h, d, l.brands.len() > 1);
        }
        for f in &l.flags {
            let _ = write!(h, "<li class=\"flag\">{}</li>", escape(f));
        }
        h.push_str("</ul></td>");
        for (c, v) in page.extra_columns.iter().zip(&l.extra) {
            let _ = write!(h, "<td data-label=\"{}\">{}</td>", escape(c), escape(v));
        }
        h.push_str("<td class=\"where\">");
        for s in &l.snippets {
            let _ = write!(h, "<div><span class=\"field\">{}</span> ", escape(&s.field));
            for p in &s.pieces {
                match p.mark {
                    Mark::Hit => {
                        let _ = write!(h, "<mark>{}</mark>", escape(&p.text));
                    }
                    Mark::Signal => {
                        let _ = write!(h, "<mark class=\"signal\">{}</mark>", escape(&p.text));
                    }
                    Mark::None => h.push_str(&escape(&p.text)),
                }
            }
            h.push_str("</div>");
        }
        if l.more_snippets > 0 {
            let _ = write!(h, "<div class=\"more\">+{} more</div>", l.more_snippets);
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// One line of a listing's findings: the term, its brand when the listing has several
/// and it is another word, and the finding's severity, match kind and context.
fn finding_line(h: &mut String, d: &FindingLine, with_brand: bool) {
    let _ = write!(h, "<li><span class=\"term\">{}</span>", escape(&d.term));
    if with_brand && !crate::normalize::eq_ignore_case(&d.term, &d.brand) {
        let _ = write!(h, " <span class=\"brand\">{}</span>", escape(&d.brand));
    }
    if d.count > 1 {
        let _ = write!(h, " <span class=\"count\">×{}</span>", d.count);
    }
    let _ = write!(
        h,
        " <span class=\"chip sev-{s}\">{s}</span><span class=\"chip kind-{k}\">{k}</span>",
        s = d.severity,
        k = d.match_kind
    );
    if d.context != Context::None {
        let _ = write!(h, "<span class=\"chip ctx-{c}\">{c}</span>", c = d.context);
    }
    h.push_str("</li>");
}

/// The expired and unused suppressions, each with what became of its listing tonight.
fn suppression_table(s: &crate::baseline::SuppressionStats, listings: &[HtmlListing]) -> HtmlTable {
    let mut rows = Vec::new();
    for (status, list) in [("expired", &s.expired), ("unused", &s.unused)] {
        for sup in list {
            let flagged = listings.iter().any(|l| l.listing_id == sup.listing_id);
            let tonight = match (status, flagged) {
                ("expired", true) => "flagged again: see Listings",
                // Not new against a baseline, or no longer found.
                ("expired", false) => "not in this report",
                (_, true) => "flagged for other words",
                (_, false) => "not flagged",
            };
            rows.push(vec![
                status.to_string(),
                sup.listing_id.clone(),
                sup.term.clone(),
                sup.reason.clone(),
                sup.reviewer.clone(),
                sup.expires.map_or(String::new(), |d| d.to_string()),
                sup.line.to_string(),
                tonight.to_string(),
            ]);
        }
    }
    HtmlTable {
        heading: "Suppressions to look at".to_string(),
        intro: format!(
            "From {}, on {}. An expired suppression no longer clears its finding; an unused one cleared nothing (the listing or the word is gone, or the row has a typo).",
            s.path.display(),
            s.today
        ),
        groups: Vec::new(),
        columns: ["Status", "Listing", "Term", "Reason", "Reviewer", "Expires", "Line", "This run"]
            .map(String::from)
            .to_vec(),
        rows,
        foot: Vec::new(),
    }
}

/// The `-f html` report of `scan`: keeps up to [`MAX_TABLE_LISTINGS`] rows and counts
/// every listing for the chart, then renders at the end.
pub(super) struct HtmlReport<'w> {
    meta: ReportMeta,
    out: Box<dyn Write + 'w>,
    listings: Vec<HtmlListing>,
    by_brand: BTreeMap<String, [u64; 3]>,
}

impl<'w> HtmlReport<'w> {
    pub(super) fn new(meta: ReportMeta, out: Box<dyn Write + 'w>) -> Self {
        HtmlReport {
            meta,
            out,
            listings: Vec::new(),
            by_brand: BTreeMap::new(),
        }
    }

    fn add(&mut self, rec: &RecordFindings, text: Option<&dyn FieldText>) {
        if rec.findings.is_empty() {
            return;
        }
        let mut worst: Vec<(&str, Action)> = Vec::new();
        for f in &rec.findings {
            match worst.iter_mut().find(|(b, _)| *b == &*f.brand) {
                Some((_, a)) => *a = (*a).max(f.action),
                None => worst.push((&f.brand, f.action)),
            }
        }
        for (brand, action) in worst {
            self.by_brand.entry(brand.to_string()).or_default()[action as usize] += 1;
        }
        if self.listings.len() < MAX_TABLE_LISTINGS {
            let file = self.meta.file(rec.file_index);
            self.listings
                .push(HtmlListing::from_record(rec, file, text));
        }
    }

    fn page(&mut self, stats: &Stats) -> HtmlPage {
        let meta = &self.meta;
        let mut facts = Vec::new();
        if !meta.files.is_empty() {
            let files: Vec<&str> = meta.files.iter().map(|f| &**f).collect();
            facts.push(("Catalogs".to_string(), files.join(", ")));
        }
        facts.push((
            "Word lists".to_string(),
            format!(
                "{}, fingerprint {}",
                super::plural(meta.rules, "rule"),
                meta.fingerprint
            ),
        ));
        let secs = stats.elapsed.as_secs_f64();
        facts.push((
            "Scan".to_string(),
            format!(
                "{:.2} s, {:.0} rows/s, {:.1} MB/s",
                secs,
                stats.rows_read as f64 / secs.max(1e-9),
                stats.bytes as f64 / 1e6 / secs.max(1e-9)
            ),
        ));
        let mut totals = vec![
            Total::new("Rows read", stats.rows_read),
            Total::new("Rows rejected", stats.rows_rejected),
            Total::new("Listings flagged", stats.listings_flagged()),
        ];
        for a in ACTIONS_STRICT_FIRST {
            totals.push(Total::action(a.as_str(), stats.listings(a), a));
        }
        let baseline = stats.triage.as_ref().and_then(|t| t.baseline.as_ref());
        // Against a baseline every reported finding is a new one: one card, not two.
        let label = if baseline.is_some() {
            "New findings"
        } else {
            "Findings"
        };
        totals.push(Total::new(label, stats.findings));
        let mut notes = Vec::new();
        let mut tables = Vec::new();
        if let Some(t) = &stats.triage {
            if let Some(b) = &t.baseline {
                facts.push((
                    "Baseline".to_string(),
                    format!(
                        "{} ({})",
                        b.path.display(),
                        super::plural(b.rows, "finding")
                    ),
                ));
                totals.push(Total::new("Resolved", b.resolved));
                totals.push(Total::new("Unchanged", b.unchanged));
                if let Some(fp) = b.fingerprint.as_deref().filter(|f| *f != meta.fingerprint) {
                    notes.push(format!(
                        "The word lists changed since the baseline ({fp} then, {} now): new findings may come from new rules.",
                        meta.fingerprint
                    ));
                }
            }
            if let Some(s) = &t.suppressions {
                facts.push((
                    "Suppressions".to_string(),
                    format!("{} ({} holding on {})", s.path.display(), s.active, s.today),
                ));
                totals.push(Total::new("Suppressed", s.suppressed));
                if !s.expired.is_empty() || !s.unused.is_empty() {
                    notes.push(format!(
                        "{} expired and {} matched nothing: see \u{201c}Suppressions to look at\u{201d}.",
                        super::plural(s.expired.len(), "suppression"),
                        s.unused.len()
                    ));
                    tables.push(suppression_table(s, &self.listings));
                }
                // An expired clearance puts its finding back: say so on its row.
                for sup in &s.expired {
                    for l in self
                        .listings
                        .iter_mut()
                        .filter(|l| l.listing_id == sup.listing_id)
                    {
                        l.flags.push(format!(
                            "suppression of `{}` expired{} (line {})",
                            sup.term,
                            sup.expires.map_or(String::new(), |d| format!(" on {d}")),
                            sup.line
                        ));
                    }
                }
            }
        }
        let flagged = stats.listings_flagged();
        if flagged > self.listings.len() as u64 {
            notes.push(format!(
                "The table shows the first {} of {flagged} flagged listings; `-f listings` writes them all.",
                self.listings.len()
            ));
        }
        let mut chart: Vec<BrandBar> = std::mem::take(&mut self.by_brand)
            .into_iter()
            .map(|(brand, listings)| BrandBar { brand, listings })
            .collect();
        // Counterfeit wording and the unknown brands beside it come first, apart from
        // the brands: they are what a marketplace takes down first.
        chart.sort_by(|a, b| {
            crate::context::names_a_brand(&a.brand)
                .cmp(&crate::context::names_a_brand(&b.brand))
                .then(b.total().cmp(&a.total()))
                .then(a.brand.cmp(&b.brand))
        });
        HtmlPage {
            title: "brandscan report".to_string(),
            facts,
            totals,
            notes,
            tables,
            chart,
            extra_columns: Vec::new(),
            listings: std::mem::take(&mut self.listings),
            listings_total: flagged,
        }
    }
}

impl Report for HtmlReport<'_> {
    fn record(&mut self, rec: &RecordFindings) -> Result<()> {
        self.add(rec, None);
        Ok(())
    }

    fn record_with_text(&mut self, rec: &RecordFindings, text: &dyn FieldText) -> Result<()> {
        self.add(rec, Some(text));
        Ok(())
    }

    fn finish(&mut self, stats: &Stats) -> Result<()> {
        let page = self.page(stats);
        render(&mut self.out, &page).map_err(out_err)?;
        self.out.flush().map_err(out_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Matcher, Rules};

    fn listing(list: &str, fields: &[(&str, &str)]) -> HtmlListing {
        let m = Matcher::new(Rules::parse_txt("l.txt", list).unwrap()).unwrap();
        let mut findings = Vec::new();
        for (name, text) in fields {
            findings.extend(m.find_all(name, text));
        }
        let rec = RecordFindings {
            listing_id: "A1".into(),
            row: 1,
            file_index: 0,
            findings,
        };
        HtmlListing::from_record(&rec, None, Some(&fields))
    }

    #[test]
    fn snippets_merge_near_matches_and_cut_at_words() {
        let long = "Premium quality replacement band, fits every wrist size comfortably, for Rolex Submariner and Daytona, with tools and a two year warranty included in the box";
        let l = listing("Rolex\nDaytona\n", &[("title", long)]);
        assert_eq!(l.snippets.len(), 1);
        assert_eq!(
            l.snippets[0].marked(),
            "…fits every wrist size comfortably, for [Rolex] Submariner and [Daytona], with tools and a two year warranty…"
        );
    }

    #[test]
    fn snippets_are_char_boundary_safe_and_collapse_whitespace() {
        let text = "耐克运动鞋男款\n\n  透气跑步鞋 耐克 ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ end";
        let l = listing("耐克\n", &[("title", text)]);
        assert_eq!(l.snippets.len(), 1);
        let s = l.snippets[0].marked();
        assert!(s.starts_with("[耐克]运动鞋男款 透气跑步鞋 [耐克] É"), "{s}");
        assert!(s.ends_with('…'), "{s}");
    }

    #[test]
    fn far_apart_matches_get_their_own_snippets() {
        let pad = "lorem ipsum dolor sit amet ".repeat(6);
        let text = format!("Nike {pad} Nike");
        let l = listing("Nike\n", &[("description", &text)]);
        assert_eq!(l.snippets.len(), 2);
        assert!(l.snippets[0].marked().starts_with("[Nike] lorem"));
        assert!(l.snippets[1].marked().ends_with("amet [Nike]"));
    }

    #[test]
    fn html_context_reads_as_text() {
        let body = "<p>Fits <strong>Apple</strong> Watch &amp; 7&ndash;9&#x2122; size <10cm> & up to 20cm</p>";
        let l = listing("Apple\n", &[("Body (HTML)", body)]);
        // Read as the scanner reads it: tags gone, entities decoded, `<10cm>` kept.
        assert_eq!(
            l.snippets[0].marked(),
            "Fits [Apple] Watch & 7–9™ size <10cm> & up to 20cm"
        );
        // A match written with entities shows decoded too.
        let l = listing("Chanel\n", &[("title", "Ch&#97;nel N&deg;5")]);
        assert_eq!(l.snippets[0].marked(), "[Chanel] N°5");
    }

    #[test]
    fn counterfeit_signals_are_marked_apart_from_matches() {
        let l = listing(
            "Rolex\n",
            &[(
                "title",
                "AAA+ Replica Rolex Submariner 1:1, Rolex-style box, AAA battery",
            )],
        );
        assert_eq!(
            l.snippets[0].marked(),
            "{AAA+} {Replica} [Rolex] Submariner {1:1}, [Rolex]-{style} box, AAA battery"
        );
        let d = &l.details;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].count, d[0].severity, d[0].context),
            (2, Severity::Serious, Context::Counterfeit)
        );
    }

    #[test]
    fn brackets_that_are_not_tags_stay() {
        let text = "Ruler <10cm> & a < b, Nike tape";
        let l = listing("Nike\n", &[("title", text)]);
        assert_eq!(l.snippets[0].marked(), "Ruler <10cm> & a < b, [Nike] tape");
    }

    #[test]
    fn without_text_only_the_words_are_shown() {
        let m = Matcher::new(Rules::parse_txt("l.txt", "Nike\n").unwrap()).unwrap();
        let rec = RecordFindings {
            listing_id: "A1".into(),
            row: 1,
            file_index: 0,
            findings: m.find_all("title", "a Nike shoe"),
        };
        let l = HtmlListing::from_record(&rec, None, None);
        assert_eq!(l.snippets[0].marked(), "[Nike]");
    }
}
