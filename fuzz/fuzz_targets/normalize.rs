//! The normalizer's offset map on any text: every normalized character maps back to a
//! non-empty, in-bounds span of the original on character boundaries, in order.
#![no_main]

use brandscan::normalize::Normalized;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut n = Normalized::default();
    n.normalize(text);
    let norm = n.as_str().to_string();
    assert_eq!(n.original_len(), text.len());
    let mut prev = 0;
    for (i, c) in norm.char_indices() {
        let (s, e) = n.original_span(i, i + c.len_utf8());
        assert!(s < e && e <= text.len(), "span {s}..{e} of {}", text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert!(s >= prev, "the map goes backwards at {i}");
        prev = s;
    }
    if !norm.is_empty() {
        let (s, e) = n.original_span(0, norm.len());
        assert!(s <= e && e <= text.len());
    }
    // Normalizing is a fixed point on its own output's words.
    let mut again = Normalized::default();
    again.normalize(&norm);
    assert_eq!(again.original_len(), norm.len());
});
