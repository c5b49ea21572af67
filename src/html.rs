//! HTML fields (docs/matching.md#html-fields): the text a shopper reads, with a map back to the markup.
//!
//! A field is read as HTML when its column name contains `html` (Shopify's
//! `Body (HTML)`) or when its value holds a known tag (`<p>`, `</li>`, `<br/>`, …), a
//! comment or an entity (`&amp;`, `&#233;`); a title like `Dolce & Gabbana <3` is text.
//! In an HTML field:
//!
//! * tags and attributes are not words: inline tags (`<b>`, `<span>`, `<a>`) vanish,
//!   block tags (`<p>`, `<br>`, `<li>`, `<div>`) separate words; comments, `<script>` and
//!   `<style>` are skipped;
//! * entities are decoded (`Mo&euml;t` → `Moët`, `Louis&nbsp;Vuitton` → `Louis Vuitton`);
//! * the text of `alt` and `title` attributes is read as words of its own; `src`, `href`
//!   and every other attribute are not;
//! * every byte of the decoded text remembers the original bytes it came from, so a
//!   finding's span still slices the original field (`Mo&euml;t`).
//!
//! ```
//! use brandscan::html::HtmlText;
//! let src = r#"<p>Mo&euml;t</p><img src="rolex.jpg" alt="Nike">"#;
//! let mut h = HtmlText::default();
//! h.build(src);
//! assert_eq!(h.as_str(), "\nMoët\n\nNike\n");
//! let at = h.as_str().find("Moët").unwrap();
//! let (s, e) = h.original_span(at, at + "Moët".len());
//! assert_eq!(&src[s..e], "Mo&euml;t");
//! ```

use std::borrow::Cow;

/// What a tag does to the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    /// Tags that start a new line of text when rendered: words never run across them.
    Block,
    /// Tags common in product descriptions that do not break words.
    Inline,
    /// Tags whose content is code, not text: skipped to their closing tag.
    RawText,
}

/// The kind of the tag named `name` (any case), or `None` for a tag not known here.
/// A `match` on the lowercased name: descriptions have a tag every few words.
fn tag_kind(name: &[u8]) -> Option<TagKind> {
    let mut lower = [0u8; 10];
    let lower = lower.get_mut(..name.len())?;
    for (l, c) in lower.iter_mut().zip(name) {
        *l = c.to_ascii_lowercase();
    }
    Some(match &*lower {
        b"address" | b"article" | b"aside" | b"blockquote" | b"br" | b"caption" | b"dd"
        | b"div" | b"dl" | b"dt" | b"figcaption" | b"figure" | b"footer" | b"h1" | b"h2"
        | b"h3" | b"h4" | b"h5" | b"h6" | b"header" | b"hr" | b"img" | b"li" | b"main" | b"nav"
        | b"ol" | b"option" | b"p" | b"pre" | b"section" | b"table" | b"tbody" | b"td"
        | b"tfoot" | b"th" | b"thead" | b"tr" | b"ul" => TagKind::Block,
        b"a" | b"abbr" | b"b" | b"big" | b"cite" | b"code" | b"del" | b"em" | b"font" | b"i"
        | b"ins" | b"mark" | b"q" | b"s" | b"small" | b"span" | b"strike" | b"strong" | b"sub"
        | b"sup" | b"u" => TagKind::Inline,
        b"script" | b"style" => TagKind::RawText,
        _ => return None,
    })
}

/// Attributes whose text a shopper sees (on hover, or instead of a picture).
const TEXT_ATTRIBUTES: &[&str] = &["alt", "title"];

/// True when a field should be read as HTML: its column name says so, or its value
/// holds a known tag, a comment or an entity.
///
/// ```
/// use brandscan::html::is_html;
/// assert!(is_html("Body (HTML)", "plain words"));
/// assert!(is_html("description", "<p>Steel strap</p>"));
/// assert!(is_html("description", "Mo&euml;t flute"));
/// assert!(!is_html("title", "Dolce & Gabbana <3 gift"));
/// ```
pub fn is_html(column: &str, value: &str) -> bool {
    if contains_ignore_case(column, "html") {
        return true;
    }
    let b = value.as_bytes();
    // Most fields hold neither: a vectorized scan settles them.
    for i in memchr::memchr2_iter(b'<', b'&', b) {
        match b[i] {
            b'<' if tag_name_at(b, i).is_some_and(|n| tag_kind(n).is_some()) => return true,
            b'<' if b[i..].starts_with(b"<!--") => return true,
            b'&' if entity_at(value, i).is_some() => return true,
            _ => {}
        }
    }
    false
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The name of a tag starting at `b[i] == '<'` (`<p`, `</p`, `<br/`), as written.
fn tag_name_at(b: &[u8], i: usize) -> Option<&[u8]> {
    let mut j = i + 1;
    if b.get(j) == Some(&b'/') {
        j += 1;
    }
    let start = j;
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == start || !b[start].is_ascii_alphabetic() {
        return None;
    }
    match b.get(j) {
        None | Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => Some(&b[start..j]),
        _ => None,
    }
}

/// The decoded text and the length of an entity starting at `value[i] == '&'`.
fn entity_at(value: &str, i: usize) -> Option<(Cow<'static, str>, usize)> {
    let rest = &value.as_bytes()[i + 1..];
    let len = rest.iter().take(32).position(|&c| c == b';')?;
    let body = &rest[..len];
    let ok = match body {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        _ => !body.is_empty() && body.iter().all(u8::is_ascii_alphanumeric),
    };
    if !ok {
        return None;
    }
    // The entities of nearly every description, without an allocation.
    let common = match body {
        b"amp" => "&",
        b"nbsp" => "\u{a0}",
        b"quot" => "\"",
        b"lt" => "<",
        b"gt" => ">",
        b"#39" | b"apos" => "'",
        _ => "",
    };
    if !common.is_empty() {
        return Some((Cow::Borrowed(common), len + 2));
    }
    let raw = &value[i..i + len + 2];
    let decoded = html_escape::decode_html_entities(raw);
    if decoded == raw {
        return None;
    }
    Some((Cow::Owned(decoded.into_owned()), raw.len()))
}

/// A field's HTML read as text, with a map from every text byte to the original bytes
/// it came from. Reuse one per thread.
#[derive(Debug, Default, Clone)]
pub struct HtmlText {
    text: String,
    /// The map back, sparse: one segment per run of text copied as it was, one per
    /// decoded entity or inserted line break.
    segments: Vec<Segment>,
}

/// Text from byte `text` on came from the original at `orig`: byte for byte when
/// `orig_end` is `None`, else every byte from the whole range `orig..orig_end`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    text: u32,
    orig: u32,
    orig_end: Option<u32>,
}

impl HtmlText {
    /// Read `src` as HTML, replacing what the buffer held.
    pub fn build(&mut self, src: &str) {
        self.text.clear();
        self.segments.clear();
        crate::work::step(src.len());
        let b = src.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'<' if b[i..].starts_with(b"<!--") => {
                    i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
                }
                b'<' if tag_name_at(b, i).is_some() => i = self.tag(src, i),
                b'&' => match entity_at(src, i) {
                    Some((decoded, len)) => {
                        self.push_str(&decoded, i, i + len);
                        i += len;
                    }
                    None => {
                        self.push_str("&", i, i + 1);
                        i += 1;
                    }
                },
                _ => {
                    // Plain text up to the next markup: copied whole, mapped per char.
                    let end =
                        memchr::memchr2(b'<', b'&', &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                    self.push_text(&src[i..end], i);
                    i = end;
                }
            }
        }
    }

    /// Append `text`, which starts at byte `at` of the original and is copied as it is.
    fn push_text(&mut self, text: &str, at: usize) {
        let pos = self.text.len() as u32;
        let follows = self.segments.last().is_some_and(|l| {
            l.orig_end.is_none() && l.orig as usize + (pos - l.text) as usize == at
        });
        if !follows {
            self.segments.push(Segment {
                text: pos,
                orig: at as u32,
                orig_end: None,
            });
        }
        self.text.push_str(text);
    }

    /// Read one tag starting at `i`; returns the index after it.
    fn tag(&mut self, src: &str, i: usize) -> usize {
        let b = src.as_bytes();
        let closing = b.get(i + 1) == Some(&b'/');
        let name = tag_name_at(b, i).unwrap_or_default();
        let kind = tag_kind(name);
        let script = !closing && kind == Some(TagKind::RawText);
        let mut j = i + 1 + usize::from(closing) + name.len();
        let mut attrs: Vec<(usize, usize)> = Vec::new();
        // Attributes: name, optional `=` and a quoted or bare value.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let an = j;
            while j < b.len() && !matches!(b[j], b'=' | b'>' | b'/') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            let attr = &src[an..j];
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let (vs, ve) = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = j + 1;
                    let ve = b[vs..]
                        .iter()
                        .position(|&c| c == q)
                        .map_or(b.len(), |p| vs + p);
                    j = (ve + 1).min(b.len());
                    (vs, ve)
                }
                _ => {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    (vs, j)
                }
            };
            if TEXT_ATTRIBUTES.iter().any(|t| attr.eq_ignore_ascii_case(t)) {
                attrs.push((vs, ve));
            }
        }
        let end = (j + 1).min(b.len());
        let block = kind == Some(TagKind::Block);
        if block || !attrs.is_empty() {
            self.push_str("\n", i, end);
        }
        for (vs, ve) in attrs {
            // Attribute text is words of its own, entities decoded.
            let mut k = vs;
            while k < ve {
                if b[k] == b'&' {
                    if let Some((decoded, len)) = entity_at(&src[..ve], k) {
                        self.push_str(&decoded, k, k + len);
                        k += len;
                        continue;
                    }
                }
                let c = src[k..].chars().next().unwrap_or(' ');
                self.push_text(&src[k..k + c.len_utf8()], k);
                k += c.len_utf8();
            }
            self.push_str("\n", ve, end.max(ve));
        }
        if script {
            let close = [b"</", name].concat();
            return find_ignore_case(b, end, &close).map_or(b.len(), |p| {
                b[p..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |q| p + q + 1)
            });
        }
        end
    }

    /// Append `s`, which stands for the original bytes `start..end` as a whole.
    fn push_str(&mut self, s: &str, start: usize, end: usize) {
        self.segments.push(Segment {
            text: self.text.len() as u32,
            orig: start as u32,
            orig_end: Some(end as u32),
        });
        self.text.push_str(s);
    }

    /// The text a shopper reads.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Map the text range `start..end` (non-empty, on char boundaries) to the original
    /// byte range it came from.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let segment = |pos: usize| {
            let i = self.segments.partition_point(|s| s.text as usize <= pos);
            self.segments[i.saturating_sub(1)]
        };
        let s = segment(start);
        let e = segment(end - 1);
        let from = match s.orig_end {
            None => s.orig as usize + (start - s.text as usize),
            Some(_) => s.orig as usize,
        };
        let to = match e.orig_end {
            None => e.orig as usize + (end - e.text as usize),
            Some(oe) => oe as usize,
        };
        (from, to)
    }
}

impl HtmlText {
    /// The text range that the original bytes `start..end` (a finding's span) became:
    /// the way back of [`HtmlText::original_span`]. `None` when no text came from there.
    ///
    /// ```
    /// use brandscan::html::HtmlText;
    /// let src = "<p>Ch&#97;nel N&deg;5</p>";
    /// let mut h = HtmlText::default();
    /// h.build(src);
    /// let (s, e) = h.text_span(3, 3 + "Ch&#97;nel".len()).unwrap();
    /// assert_eq!(&h.as_str()[s..e], "Chanel");
    /// ```
    pub fn text_span(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let mut span: Option<(usize, usize)> = None;
        for (i, seg) in self.segments.iter().enumerate() {
            let ts = seg.text as usize;
            let te = self
                .segments
                .get(i + 1)
                .map_or(self.text.len(), |n| n.text as usize);
            let o = seg.orig as usize;
            let part = match seg.orig_end {
                // Copied text: the bytes of it inside `start..end`.
                None => {
                    let (a, b) = (start.max(o), end.min(o + (te - ts)));
                    (a < b).then(|| (ts + a - o, ts + b - o))
                }
                // An entity or a tag's line break: only when all of it is inside.
                Some(oe) => (o >= start && oe as usize <= end && ts < te).then_some((ts, te)),
            };
            if let Some((a, b)) = part {
                span = Some(span.map_or((a, b), |(s, e)| (s.min(a), e.max(b))));
            }
        }
        span
    }
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_known_in_any_case() {
        for (name, kind) in [
            ("p", TagKind::Block),
            ("BR", TagKind::Block),
            ("FigCaption", TagKind::Block),
            ("blockquote", TagKind::Block),
            ("Span", TagKind::Inline),
            ("strong", TagKind::Inline),
            ("SCRIPT", TagKind::RawText),
            ("style", TagKind::RawText),
        ] {
            assert_eq!(tag_kind(name.as_bytes()), Some(kind), "{name}");
        }
        for name in ["", "x", "rolex", "pp", "spans", "blockquotes", "h7"] {
            assert_eq!(tag_kind(name.as_bytes()), None, "{name}");
        }
        assert!(!is_html("title", "<Rolex> strap"));
        assert!(is_html("title", "<SPAN>Rolex</SPAN> strap"));
    }

    fn text(src: &str) -> String {
        let mut h = HtmlText::default();
        h.build(src);
        h.as_str().to_string()
    }

    #[test]
    fn tags_are_not_words() {
        assert_eq!(
            text("<p>Fits <strong>Apple Watch</strong></p>"),
            "\nFits Apple Watch\n"
        );
        assert_eq!(text("Ni<b>ke</b>"), "Nike");
        assert_eq!(text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(text("<!-- Rolex -->x<script>var nike;</script>y"), "xy");
        assert_eq!(text("<STYLE>.rolex{}</STYLE>ok"), "ok");
    }

    #[test]
    fn entities_decode_and_map_back() {
        let src = "Louis&nbsp;Vuitton &amp; Mo&euml;t &#233; &#xE9;";
        let mut h = HtmlText::default();
        h.build(src);
        assert_eq!(h.as_str(), "Louis\u{a0}Vuitton & Moët é é");
        let at = h.as_str().find("Moët").unwrap();
        let (s, e) = h.original_span(at, at + "Moët".len());
        assert_eq!(&src[s..e], "Mo&euml;t");
        assert_eq!(text("Tom & Jerry &nosuch; &"), "Tom & Jerry &nosuch; &");
    }

    #[test]
    fn alt_and_title_are_read_src_and_href_are_not() {
        let src = r#"<img src="omega-seamaster.jpg" alt='Mo&euml;t bucket'><a href="/rolex" title="Fits Samsung">x</a>"#;
        let t = text(src);
        assert!(t.contains("Moët bucket"), "{t:?}");
        assert!(t.contains("Fits Samsung"), "{t:?}");
        assert!(!t.contains("omega") && !t.contains("rolex"), "{t:?}");
    }

    #[test]
    fn broken_markup_never_panics_and_keeps_text() {
        for src in [
            "<p",
            "<a title=\"x",
            "&#",
            "<",
            "a < b > c",
            "<p title=é>é</p>",
        ] {
            let mut h = HtmlText::default();
            h.build(src);
            for (i, c) in h.as_str().char_indices() {
                let (s, e) = h.original_span(i, i + c.len_utf8());
                assert!(
                    s <= e && e <= src.len() && src.is_char_boundary(s) && src.is_char_boundary(e)
                );
            }
        }
        assert_eq!(text("a < b > c"), "a < b > c");
    }

    #[test]
    fn detection() {
        assert!(is_html("desc", "<br>"));
        assert!(is_html("desc", "x</p>"));
        assert!(!is_html("desc", "size <M> fits"));
        assert!(!is_html("desc", "R&D dept"));
        assert!(is_html("desc", "&#8482;"));
    }
}
