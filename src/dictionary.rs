//! A compact English word list (SCOWL via Debian `wamerican`, see `data/README.md`),
//! compiled in compressed and unpacked on first use.

use flate2::read::GzDecoder;
use std::io::Read;
use std::sync::OnceLock;

static PACKED: &[u8] = include_bytes!("../data/english_words.txt.gz");

fn words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut text = String::new();
        // The data is compiled in and tested; a failure here would be a build defect, and
        // an empty list only makes the checks that use it quieter.
        if GzDecoder::new(PACKED).read_to_string(&mut text).is_err() {
            return Vec::new();
        }
        text.lines().map(str::to_string).collect()
    })
}

/// True when `word` (any case) is a common English word.
pub(crate) fn is_english_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    words()
        .binary_search_by(|w| w.as_str().cmp(lower.as_str()))
        .is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted_and_complete() {
        let w = super::words();
        assert!(w.len() > 60_000);
        assert!(w.windows(2).all(|p| p[0] < p[1]));
        for common in [
            "apple", "gap", "puma", "target", "guess", "goggle", "coach", "Shell",
        ] {
            assert!(super::is_english_word(common), "{common}");
        }
        assert!(!super::is_english_word("rolex"));
    }
}
