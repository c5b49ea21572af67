//! From lines read in a picture to findings: the picture's text as one field, Chinese
//! runs joined, and views of it with the usual OCR confusions undone.
//!
//! The matcher runs on the text as read and on each confusion view; a view only ever
//! adds findings, and every finding points into the text as read, so `matched` is what
//! the recogniser saw (`NlKE`), never the fold.

use super::engine::TextLine;
use crate::finding::{Action, Confidence, Finding, MatchKind};
use crate::matcher::{Matcher, Scratch};
use std::sync::Arc;

/// A picture's text as one field: its lines joined by newlines, with the byte range and
/// confidence of each line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PictureText {
    /// The text, lines joined by `\n`, Chinese runs joined.
    pub text: String,
    /// `(start, end, confidence)` of each line in `text`.
    pub lines: Vec<(usize, usize, f32)>,
}

impl PictureText {
    /// Join `lines` that reach `min_confidence`.
    ///
    /// ```
    /// use brandscan::ocr::{PictureText, TextLine};
    /// let lines = [
    ///     TextLine { text: "耐 克 运动".into(), confidence: 0.9 },
    ///     TextLine { text: "~~".into(), confidence: 0.2 },
    ///     TextLine { text: "Air Max".into(), confidence: 0.8 },
    /// ];
    /// let t = PictureText::from_lines(&lines, 0.5);
    /// assert_eq!(t.text, "耐克运动\nAir Max");
    /// ```
    pub fn from_lines(lines: &[TextLine], min_confidence: f32) -> PictureText {
        let mut out = PictureText::default();
        for l in lines.iter().filter(|l| l.confidence >= min_confidence) {
            let joined = join_cjk(l.text.trim());
            if joined.is_empty() {
                continue;
            }
            if !out.text.is_empty() {
                out.text.push('\n');
            }
            let start = out.text.len();
            out.text.push_str(&joined);
            out.lines.push((start, out.text.len(), l.confidence));
        }
        out
    }

    /// The lowest confidence of the lines that `start..end` touches.
    fn confidence(&self, start: usize, end: usize) -> f32 {
        self.lines
            .iter()
            .filter(|(s, e, _)| *s < end.max(start + 1) && start < *e)
            .map(|l| l.2)
            .fold(1.0, f32::min)
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0xac00..=0xd7af | 0x20000..=0x2ffff)
}

/// Spaces between two CJK characters are the recogniser's gaps, not the writer's:
/// `耐 克` is `耐克`.
///
/// ```
/// assert_eq!(brandscan::ocr::join_cjk("耐 克  运动鞋 Nike Air"), "耐克运动鞋 Nike Air");
/// ```
pub fn join_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() && out.chars().next_back().is_some_and(is_cjk) {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && is_cjk(chars[j]) {
                i = j;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A view of the text with some confusions undone, and for each of its bytes the byte
/// of the text as read it comes from.
struct View {
    text: String,
    from: Vec<usize>,
}

/// The confusion views: `l`, `|`, `1` and `!` read for `I`; `I` and `1` read for `l`;
/// `0` for `O`; `rn` for `m`; a `T` that ends a word read for `I`. Each view undoes one
/// direction everywhere, so `Apple` stays `Apple` in the views where `l` stays `l`.
fn views(text: &str) -> Vec<View> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let word_end = |k: usize| chars.get(k + 1).is_none_or(|&(_, c)| !c.is_alphanumeric());
    let mut out: Vec<View> = Vec::new();
    type Rule<'r> = &'r dyn Fn(usize, char) -> Option<char>;
    let to_upper_i: Rule = &|k, c| match c {
        'l' | '|' | '1' | '!' => Some('I'),
        'T' if k > 0 && word_end(k) && chars[k - 1].1.is_alphabetic() => Some('I'),
        _ => None,
    };
    let to_lower_l: Rule = &|_, c| match c {
        'I' | '1' | '|' => Some('l'),
        '0' => Some('O'),
        _ => None,
    };
    for rule in [to_upper_i, to_lower_l] {
        let mut v = View {
            text: String::with_capacity(text.len()),
            from: Vec::with_capacity(text.len()),
        };
        let mut changed = false;
        for (k, &(at, c)) in chars.iter().enumerate() {
            let r = rule(k, c).unwrap_or(c);
            changed |= r != c;
            let before = v.text.len();
            v.text.push(r);
            v.from
                .extend(std::iter::repeat_n(at, v.text.len() - before));
        }
        if changed {
            out.push(v);
        }
    }
    if text.contains("rn") {
        let mut v = View {
            text: String::with_capacity(text.len()),
            from: Vec::with_capacity(text.len()),
        };
        let mut k = 0;
        while k < chars.len() {
            let (at, c) = chars[k];
            if c == 'r' && chars.get(k + 1).is_some_and(|&(_, n)| n == 'n') {
                v.text.push('m');
                v.from.push(at);
                k += 2;
                continue;
            }
            let before = v.text.len();
            v.text.push(c);
            v.from
                .extend(std::iter::repeat_n(at, v.text.len() - before));
            k += 1;
        }
        out.push(v);
    }
    out
}

/// How image findings get their action: `review`, unless the rule's own action is
/// trusted at this confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImagePolicy {
    /// Lines read below this are not matched at all.
    pub min_confidence: f32,
    /// At or above this, a finding keeps its rule's action; below, it is `review`.
    /// Above 1 (the default), every image finding is `review`.
    pub trust_confidence: f32,
}

impl Default for ImagePolicy {
    fn default() -> Self {
        ImagePolicy {
            min_confidence: 0.5,
            trust_confidence: 2.0,
        }
    }
}

/// Match `text` (a picture's text, see [`PictureText`]) as field `field`: the text as
/// read, then each confusion view, each finding once. Offsets are into `text.text`.
pub fn find_in_picture(
    matcher: &Matcher,
    field: &Arc<str>,
    text: &PictureText,
    policy: &ImagePolicy,
    scratch: &mut Scratch,
) -> Vec<Finding> {
    let mut found = Vec::new();
    matcher.find_into(field, &text.text, scratch, &mut found);
    for v in views(&text.text) {
        let mut more = Vec::new();
        matcher.find_into(field, &v.text, scratch, &mut more);
        for mut f in more {
            let start = v.from[f.start];
            let end = if f.end < v.from.len() {
                v.from[f.end]
            } else {
                text.text.len()
            };
            if found
                .iter()
                .any(|g| g.rule == f.rule && g.start < end && start < g.end)
            {
                continue;
            }
            f.start = start;
            f.end = end;
            f.matched = text.text[start..end].to_string();
            found.push(f);
        }
    }
    for f in &mut found {
        let c = text.confidence(f.start, f.end);
        f.match_kind = MatchKind::ImageText;
        f.confidence = Some(Confidence::new(c));
        if c < policy.trust_confidence {
            f.action = Action::Review;
        }
    }
    found.sort_by_key(|f| (f.start, f.end));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wordlist::Rules;

    fn matcher(list: &str) -> Matcher {
        Matcher::new(Rules::parse_txt("l.txt", list).unwrap()).unwrap()
    }

    fn read(lines: &[(&str, f32)]) -> PictureText {
        let lines: Vec<TextLine> = lines
            .iter()
            .map(|&(t, c)| TextLine {
                text: t.into(),
                confidence: c,
            })
            .collect();
        PictureText::from_lines(&lines, 0.5)
    }

    fn found(list: &str, lines: &[(&str, f32)]) -> Vec<(String, String, Action)> {
        let m = matcher(list);
        find_in_picture(
            &m,
            &Arc::from("image:image"),
            &read(lines),
            &ImagePolicy::default(),
            &mut Scratch::new(),
        )
        .into_iter()
        .map(|f| (f.matched, f.brand.to_string(), f.action))
        .collect()
    }

    #[test]
    fn chinese_runs_are_joined_but_latin_words_keep_their_spaces() {
        assert_eq!(join_cjk("耐 克"), "耐克");
        assert_eq!(join_cjk("香 奈 儿 包"), "香奈儿包");
        assert_eq!(join_cjk("Louis Vuitton 包"), "Louis Vuitton 包");
        assert_eq!(found("耐克\n", &[("正品 耐 克 鞋", 0.9)])[0].0, "耐克");
    }

    #[test]
    fn ocr_confusions_are_undone_and_matched_is_what_was_read() {
        let list = "Nike\nGucci\nRolex\nArmani\nChanel\nApple\n";
        let got = found(
            list,
            &[
                ("NlKE", 0.9),
                ("GUCCT", 0.9),
                ("RoIex", 0.9),
                ("Arrnani", 0.9),
            ],
        );
        let matched: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(matched, ["NlKE", "GUCCT", "RoIex", "Arrnani"]);
        // The fold never hides a plain reading and never invents one.
        assert_eq!(found(list, &[("Apple pie", 0.9)]).len(), 1);
        assert!(found(list, &[("Nice bike", 0.9), ("Tea time", 0.9)]).is_empty());
        assert!(found(list, &[("CHANNEL 5", 0.9)]).is_empty());
    }

    #[test]
    fn image_findings_are_review_with_the_line_confidence_unless_trusted() {
        let m = matcher("Rolex\n");
        let t = read(&[("ROLEX", 0.93), ("noise", 0.4)]);
        assert_eq!(t.text, "ROLEX");
        let f = find_in_picture(
            &m,
            &Arc::from("image:img"),
            &t,
            &ImagePolicy::default(),
            &mut Scratch::new(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].action, f[0].match_kind),
            (Action::Review, MatchKind::ImageText)
        );
        assert_eq!(f[0].confidence, Some(Confidence::new(0.93)));
        let trusting = ImagePolicy {
            trust_confidence: 0.9,
            ..ImagePolicy::default()
        };
        let f = find_in_picture(
            &m,
            &Arc::from("image:img"),
            &t,
            &trusting,
            &mut Scratch::new(),
        );
        assert_eq!(f[0].action, Action::Remove);
        let strict = ImagePolicy {
            trust_confidence: 0.95,
            ..ImagePolicy::default()
        };
        let f = find_in_picture(
            &m,
            &Arc::from("image:img"),
            &t,
            &strict,
            &mut Scratch::new(),
        );
        assert_eq!(f[0].action, Action::Review);
    }

    #[test]
    fn a_term_split_over_two_lines_is_found() {
        let got = found("Louis Vuitton\n", &[("LOUIS", 0.9), ("VUITTON", 0.9)]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "LOUIS\nVUITTON");
    }
}
