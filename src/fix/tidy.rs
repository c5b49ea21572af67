//! Cutting spans out of a field's text and tidying the text around each cut.
//!
//! Only the junction of each cut is touched; everything else stays byte-identical. At a
//! junction the text on either side is split into its *core* and the *junk* next to the
//! cut: white space and separator punctuation (`-` `,` `/` `|` `&` `+` `;` `:` `_` `·`
//! dashes, bullets, their full-width forms, `&nbsp;`, `&amp;`, `&ndash;`). Then, in this
//! order and at most [`MAX_PEELS`] times:
//!
//! 1. an empty bracket pair around the cut goes — `()` `[]` `{}` `【】` `（）` `「」` `《》`
//!    `“”` and an HTML element (`<strong></strong>`);
//! 2. a connective left dangling before a right edge goes: the compatible-use words of
//!    docs/matching.md#context (`for`, `fits`, `fit for`, `compatible with`, `replacement for`, `works
//!    with`, `suitable for`; in Chinese `适用于`, `适配`, `兼容`, `用于`, `配`), `inspired by`,
//!    `similar to`, `same as` and `same style as`, when the cut is followed
//!    by the end of the field, a closing bracket, sentence punctuation, a separator
//!    other than `&`/`+`/`/`, or a number (`Strap for Rolex 20mm` → `Strap 20mm`, but
//!    `Band for Apple Watch` → `Band for Watch`); `and`, `or` and `&amp;` go on the
//!    same conditions, numbers aside (`Nike and Rolex` → `Nike`);
//! 3. a conjunction (`and`, `or`) at a left edge (the start of the field or an opening
//!    bracket), after a separator or after a connective goes (`Rolex and Omega` →
//!    `Omega`, `for Rolex and Omega` → `for Omega`), and so does sentence punctuation
//!    at a left edge;
//!
//! and finally the two cores are joined: nothing at an edge (no leading or trailing
//! separators, no space inside brackets); one space and no separator after the end of a
//! sentence (`Soft. Rolex, Omega` → `Soft. Omega`); else the separator of the side that has
//! punctuation (`A, Rolex B` → `A, B`), the left one when both have
//! (`A / Rolex / B` → `A / B`), but a lone `&`, `+` or `/` that joined the cut term goes
//! (`Nike & Rolex watch` → `Nike watch`); else one side's white space, so no doubled
//! spaces. Marks stuck to the cut term go with it: `#`/`@` before, `'s`, `®`, `™`, `©`
//! after, and a `style` right after it (`Chanel style bag` → `bag`).
//!
//! Cuts separated only by junk (or `and`/`or`) are merged first, so `Rolex Submariner`
//! with both terms cut is one cut. A non-empty replacement is put in place of its span
//! and nothing around it is touched.

/// How many outward steps (bracket pair, connective, conjunction) one junction may take,
/// so hostile text cannot make a cut eat the whole field.
pub const MAX_PEELS: usize = 6;

/// One edit of a field: `start..end` (byte offsets into the text) becomes `replacement`;
/// an empty replacement cuts the span and tidies around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit<'a> {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
    /// What goes in its place; empty cuts.
    pub replacement: &'a str,
}

/// Apply `edits` to `text` and tidy around every cut.
///
/// Edits may come in any order; one that overlaps an earlier one, or whose offsets are
/// not character boundaries of `text`, is ignored.
///
/// ```
/// use brandscan::fix::{apply_edits, Edit};
/// let text = "Strap for Rolex Submariner 20mm, black";
/// let cut = |s: &str| {
///     let start = text.find(s).unwrap();
///     Edit { start, end: start + s.len(), replacement: "" }
/// };
/// assert_eq!(apply_edits(text, &[cut("Rolex"), cut("Submariner")]), "Strap 20mm, black");
/// assert_eq!(apply_edits("Nike, Rolex, Omega", &[Edit { start: 6, end: 11, replacement: "" }]), "Nike, Omega");
/// ```
pub fn apply_edits(text: &str, edits: &[Edit<'_>]) -> String {
    let mut sorted: Vec<&Edit<'_>> = edits
        .iter()
        .filter(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
        })
        .collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    // Merge cuts separated only by junk; drop overlaps.
    let mut merged: Vec<(usize, usize, &str)> = Vec::with_capacity(sorted.len());
    for e in sorted {
        if let Some(last) = merged.last_mut() {
            if e.start < last.1 {
                continue;
            }
            if last.2.is_empty()
                && e.replacement.is_empty()
                && all_junk_or_conj(&text[last.1..e.start])
            {
                last.1 = e.end;
                continue;
            }
        }
        merged.push((e.start, e.end, e.replacement));
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (i, &(start, end, replacement)) in merged.iter().enumerate() {
        // A previous junction may have consumed text up to or past this edit's start
        // (only junk, brackets or a conjunction, never a term).
        if start < pos {
            continue;
        }
        out.push_str(&text[pos..start]);
        if !replacement.is_empty() || start == end {
            out.push_str(replacement);
            pos = end;
            continue;
        }
        let limit = merged.get(i + 1).map_or(text.len(), |n| n.0);
        pos = join_cut(&mut out, text, end, limit);
    }
    if pos < text.len() {
        out.push_str(&text[pos..]);
    }
    out
}

/// Close the gap of a cut: `out` holds everything before it, `text[r..limit]` what comes
/// after it up to the next edit. Returns where copying of `text` resumes.
fn join_cut(out: &mut String, text: &str, mut r: usize, limit: usize) -> usize {
    r = skip_suffix_mark(text, r, limit);
    r = skip_style_word(text, r, limit);
    pop_prefix_mark(out);
    let mut peels = 0;
    loop {
        let le = junk_start(out);
        let rs = junk_end(text, r, limit);
        let right = &text[rs..limit];
        let (left, right_kind) = edges(&out[..le], right, rs == text.len());
        let (left_edge, right_edge) = (left != Edge::No, right_kind != Edge::No);
        if peels < MAX_PEELS {
            peels += 1;
            // 1. An empty bracket pair.
            if let Some((open_at, close)) = opener_at_end(&out[..le]) {
                // `alt=""` keeps its quotes: without them the markup breaks.
                let attribute = close == "\"" && out[..open_at].ends_with('=');
                if right.starts_with(close.as_str()) && !attribute {
                    out.truncate(open_at);
                    r = rs + close.len();
                    continue;
                }
            }
            // 2. A connective left dangling before a right edge.
            let connective = trailing_connective(&out[..le]);
            if let Some((at, kind)) = connective {
                let before_number = kind == Connective::Compatible
                    && right.starts_with(|c: char| c.is_ascii_digit());
                if right_edge || classify(&text[r..rs]).sep || before_number {
                    out.truncate(at);
                    continue;
                }
            }
            // 3. A conjunction after a left edge or a connective (`for Rolex and Omega`),
            // or sentence punctuation after a left edge.
            if left_edge || connective.is_some() || classify(&out[le..]).sep {
                if let Some(n) = leading_conjunction(right) {
                    r = rs + n;
                    continue;
                }
            }
            if left_edge {
                if let Some(c) = right.chars().next().filter(|&c| is_terminal(c)) {
                    r = rs + c.len_utf8();
                    continue;
                }
            }
        }
        let (lj, rj) = (&out[le..], &text[r..rs]);
        // No separator next to an edge; but a line break beside an HTML tag stays, so
        // the markup keeps its layout.
        let join = match (left, right_kind) {
            (Edge::Sentence, Edge::No | Edge::Tag) => first_space(lj)
                .or_else(|| first_space(rj))
                .unwrap_or("")
                .to_string(),
            (Edge::Tag, _) if lj.contains('\n') => lj.to_string(),
            (_, Edge::Tag) if rj.contains('\n') => rj.to_string(),
            (Edge::No, Edge::No) => joiner(lj, rj).to_string(),
            _ => String::new(),
        };
        out.truncate(le);
        out.push_str(&join);
        return rs;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Text goes on: a separator is needed.
    No,
    /// The start or end of the field, a bracket, sentence punctuation.
    Hard,
    /// An HTML tag.
    Tag,
    /// The end of a sentence on the left: a space but no separator after it.
    Sentence,
}

/// Whether the left core ends at an edge (the start of the field, an opening bracket or
/// tag, the end of a sentence) and whether the right core starts at one (the end of the field, a closing
/// bracket or tag, sentence punctuation): no separator goes next to an edge.
fn edges(left: &str, right: &str, at_end: bool) -> (Edge, Edge) {
    let l = if left.is_empty() || opener_at_end(left).is_some_and(|(_, c)| !c.starts_with('<')) {
        Edge::Hard
    } else if tag_at_end(left) {
        Edge::Tag
    } else if left.ends_with(is_terminal) {
        Edge::Sentence
    } else {
        Edge::No
    };
    let r = if at_end || closer_at_start(right).is_some() || right.starts_with(is_terminal) {
        Edge::Hard
    } else if tag_at_start(right) {
        Edge::Tag
    } else {
        Edge::No
    };
    (l, r)
}

/// The separator that joins two cores, from the junk that was on each side of the cut.
fn joiner<'a>(lj: &'a str, rj: &'a str) -> &'a str {
    let (l, r) = (classify(lj), classify(rj));
    let (lp, rp) = (l.sep || l.conj, r.sep || r.conj);
    match (lp, rp) {
        (true, true) => lj,
        (true, false) | (false, true) => {
            let (side, class) = if lp { (lj, l) } else { (rj, r) };
            if class.sep {
                side
            } else {
                // A lone `&`, `+` or `/` joined the cut term to its neighbour: it goes,
                // and one of the spaces around it stays.
                first_space(lj).or_else(|| first_space(rj)).unwrap_or("")
            }
        }
        (false, false) => {
            if lj.is_empty() {
                rj
            } else {
                lj
            }
        }
    }
}

/// The first white-space token of some junk.
fn first_space(junk: &str) -> Option<&str> {
    let mut at = 0;
    while let Some((len, kind)) = junk_token(&junk[at..]) {
        if kind == Junk::Space {
            return Some(&junk[at..at + len]);
        }
        at += len;
    }
    None
}

#[derive(Debug, Clone, Copy, Default)]
struct JunkClass {
    space: bool,
    sep: bool,
    conj: bool,
}

fn classify(junk: &str) -> JunkClass {
    let mut c = JunkClass::default();
    let mut s = junk;
    while let Some((len, kind)) = junk_token(s) {
        match kind {
            Junk::Space => c.space = true,
            Junk::Sep => c.sep = true,
            Junk::Conj => c.conj = true,
        }
        s = &s[len..];
    }
    c
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Junk {
    Space,
    Sep,
    Conj,
}

/// HTML entities that stand for junk in a `Body (HTML)` field.
const JUNK_ENTITIES: &[(&str, Junk)] = &[
    ("&nbsp;", Junk::Space),
    ("&amp;", Junk::Conj),
    ("&ndash;", Junk::Sep),
    ("&mdash;", Junk::Sep),
    ("&middot;", Junk::Sep),
];

fn junk_char(c: char) -> Option<Junk> {
    if c.is_whitespace() {
        return Some(Junk::Space);
    }
    match c {
        '&' | '+' | '/' | '＆' | '＋' | '／' => Some(Junk::Conj),
        '-'
        | ','
        | '|'
        | ';'
        | ':'
        | '_'
        | '·'
        | '•'
        | '*'
        | '~'
        | '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '、'
        | '，'
        | '；'
        | '：'
        | '｜'
        | '・'
        | '～' => Some(Junk::Sep),
        _ => None,
    }
}

/// The junk token at the start of `s`: its length and kind.
fn junk_token(s: &str) -> Option<(usize, Junk)> {
    if s.starts_with('&') {
        for (e, kind) in JUNK_ENTITIES {
            if starts_with_ignore_ascii_case(s, e) {
                return Some((e.len(), *kind));
            }
        }
    }
    let c = s.chars().next()?;
    junk_char(c).map(|k| (c.len_utf8(), k))
}

/// The junk token at the end of `s`: its length and kind.
fn junk_token_back(s: &str) -> Option<(usize, Junk)> {
    if s.ends_with(';') {
        for (e, kind) in JUNK_ENTITIES {
            if ends_with_ignore_ascii_case(s, e) {
                return Some((e.len(), *kind));
            }
        }
    }
    let c = s.chars().next_back()?;
    junk_char(c).map(|k| (c.len_utf8(), k))
}

/// Where the junk at the end of `s` starts.
fn junk_start(s: &str) -> usize {
    let mut end = s.len();
    while let Some((len, _)) = junk_token_back(&s[..end]) {
        end -= len;
    }
    end
}

/// Where the junk that starts at `text[from..]` ends, not past `limit`.
fn junk_end(text: &str, from: usize, limit: usize) -> usize {
    let mut at = from;
    while at < limit {
        match junk_token(&text[at..limit]) {
            Some((len, _)) => at += len,
            None => break,
        }
    }
    at
}

fn all_junk_or_conj(s: &str) -> bool {
    let mut rest = s;
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some((len, _)) = junk_token(rest) {
            rest = &rest[len..];
        } else if let Some(n) = conjunction_word(rest) {
            rest = &rest[n..];
        } else {
            return false;
        }
    }
}

const BRACKETS: &[(char, char)] = &[
    ('(', ')'),
    ('[', ']'),
    ('{', '}'),
    ('【', '】'),
    ('（', '）'),
    ('「', '」'),
    ('『', '』'),
    ('《', '》'),
    ('〔', '〕'),
    ('“', '”'),
    ('‘', '’'),
];

/// Void HTML elements never have a closing tag, so they never pair.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// An opening bracket or HTML start tag at the end of `s`: where it starts and the
/// closer that would pair with it.
fn opener_at_end(s: &str) -> Option<(usize, String)> {
    let c = s.chars().next_back()?;
    if let Some(&(_, close)) = BRACKETS.iter().find(|(o, _)| *o == c) {
        return Some((s.len() - c.len_utf8(), close.to_string()));
    }
    if c == '"' {
        // An opening quote follows the start, white space, a bracket or `=`; a closing
        // one follows a word (`"Watch" Rolex` keeps its space).
        let before = s[..s.len() - 1].chars().next_back();
        let opening = before
            .is_none_or(|b| b.is_whitespace() || b == '=' || BRACKETS.iter().any(|(o, _)| *o == b));
        return opening.then(|| (s.len() - 1, "\"".to_string()));
    }
    if c != '>' {
        return None;
    }
    let lt = s.rfind('<')?;
    let tag = &s[lt..];
    let name_len = tag[1..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tag.len() - 1);
    let name = &tag[1..1 + name_len];
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || tag.ends_with("/>")
        || tag[1..tag.len() - 1].contains(['<', '>'])
        || VOID_TAGS.iter().any(|v| v.eq_ignore_ascii_case(name))
    {
        return None;
    }
    Some((lt, format!("</{name}>")))
}

fn closer_at_start(s: &str) -> Option<char> {
    let c = s.chars().next()?;
    if c == '"' {
        // A closing quote is followed by anything but a word.
        let after = s[1..].chars().next();
        return after.is_none_or(|a| !a.is_alphanumeric()).then_some(c);
    }
    BRACKETS.iter().any(|&(_, close)| close == c).then_some(c)
}

/// True when `s` ends with an HTML tag after which no space is wanted: a start tag or a
/// void element (`<p>`, `<br>`), not an end tag.
fn tag_at_end(s: &str) -> bool {
    s.ends_with('>')
        && s.rfind('<')
            .is_some_and(|lt| s[lt + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// True when `s` starts with an HTML tag before which no space is wanted: an end tag or
/// a void element (`</p>`, `<br>`), not a start tag.
fn tag_at_start(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('<') else {
        return false;
    };
    if !rest.contains('>') {
        return false;
    }
    if rest.starts_with('/') {
        return true;
    }
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    VOID_TAGS
        .iter()
        .any(|v| v.eq_ignore_ascii_case(&rest[..name_len]))
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connective {
    /// `for`, `compatible with` and the like: the words before a brand in compatible use.
    Compatible,
    /// `and`, `or`.
    Conjunction,
}

/// the compatible-use words of docs/matching.md#context, longest first so `fit for` wins over `for`.
const CONNECTIVES: &[(&[&str], Connective)] = &[
    (&["compatible", "with"], Connective::Compatible),
    (&["replacement", "for"], Connective::Compatible),
    (&["suitable", "for"], Connective::Compatible),
    (&["works", "with"], Connective::Compatible),
    (&["fit", "for"], Connective::Compatible),
    (&["same", "style", "as"], Connective::Compatible),
    (&["inspired", "by"], Connective::Compatible),
    (&["same", "as"], Connective::Compatible),
    (&["similar", "to"], Connective::Compatible),
    (&["fits"], Connective::Compatible),
    (&["for"], Connective::Compatible),
    // Chinese: suitable for, adapted to, compatible, used for, goes with. Written without
    // a space before them (`手柄适用于索尼`).
    (&["适用于"], Connective::Compatible),
    (&["适配"], Connective::Compatible),
    (&["兼容"], Connective::Compatible),
    (&["用于"], Connective::Compatible),
    (&["配"], Connective::Compatible),
    (&["and"], Connective::Conjunction),
    (&["or"], Connective::Conjunction),
    (&["&amp;"], Connective::Conjunction),
];

/// A connective phrase that ends `s` as whole words: where it starts, and its kind.
fn trailing_connective(s: &str) -> Option<(usize, Connective)> {
    'phrases: for (words, kind) in CONNECTIVES {
        let mut end = s.len();
        for (i, w) in words.iter().rev().enumerate() {
            if i > 0 {
                let trimmed = s[..end].trim_end();
                if trimmed.len() == end {
                    continue 'phrases;
                }
                end = trimmed.len();
            }
            if !ends_with_ignore_ascii_case(&s[..end], w) {
                continue 'phrases;
            }
            end -= w.len();
        }
        let before = s[..end].chars().next_back();
        let glued = if words[0].starts_with(crate::normalize::is_cjk) {
            // `配` ends words of its own: 搭配 (pairs with), 标配 (standard kit), 原配…
            words[0] == "配" && before.is_some_and(|c| "搭标原选分匹装".contains(c))
        } else {
            before.is_some_and(|c| c.is_alphanumeric())
        };
        if glued {
            continue;
        }
        return Some((end, *kind));
    }
    None
}

/// The length of a conjunction word (`and`, `or`, `&amp;`) at the start of `s`, when it
/// is a whole word.
fn conjunction_word(s: &str) -> Option<usize> {
    for w in ["and", "or", "&amp;"] {
        if starts_with_ignore_ascii_case(s, w)
            && !s[w.len()..].starts_with(|c: char| c.is_alphanumeric())
        {
            return Some(w.len());
        }
    }
    None
}

/// A conjunction word and the junk after it at the start of `s`.
fn leading_conjunction(s: &str) -> Option<usize> {
    let n = conjunction_word(s)?;
    Some(junk_end(s, n, s.len()))
}

/// `'s`, `’s`, `®`, `™`, `©` stuck to the end of a cut term go with it.
fn skip_suffix_mark(text: &str, r: usize, limit: usize) -> usize {
    let rest = &text[r..limit];
    for mark in ["'s", "’s", "®", "™", "©", "℠", "&reg;", "&trade;", "&copy;"] {
        if starts_with_ignore_ascii_case(rest, mark)
            && !rest[mark.len()..].starts_with(|c: char| c.is_alphanumeric())
        {
            return r + mark.len();
        }
    }
    r
}

/// `style` right after a cut term (`Chanel style`, `Rolex-style`) described the term
/// (a counterfeit signal, docs/matching.md#context) and goes with it.
fn skip_style_word(text: &str, r: usize, limit: usize) -> usize {
    let rest = &text[r..limit];
    let word = rest.trim_start_matches([' ', '-']);
    if starts_with_ignore_ascii_case(word, "style")
        && !word[5..].starts_with(|c: char| c.is_alphanumeric())
    {
        return r + (rest.len() - word.len()) + 5;
    }
    r
}

/// `#` and `@` stuck to the start of a cut term (`#Rolex`) go with it.
fn pop_prefix_mark(out: &mut String) {
    if out.ends_with(['#', '@', '＃']) {
        out.pop();
    }
}

fn starts_with_ignore_ascii_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with_ignore_ascii_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// True when `text` has no letter or digit left: an empty title, or one of separators
/// and brackets only.
pub(crate) fn is_blank(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests;
