//! The matcher on any text, with the built-in lists plus rules of every kind: no panic,
//! and every finding is a valid span whose `matched` is exactly that slice.
#![no_main]

use brandscan::{Matcher, MatcherBuilder, Rules};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const EXTRA: &str = "term,brand,kind,case,action\n\
Nike,Nike,literal,insensitive,remove\n\
Air Jordan,Nike,literal,insensitive,remove\n\
Apple,Apple,literal,sensitive,remove\n\
apple green,Apple,allow,insensitive,remove\n\
Louis Vuitton,Louis Vuitton,literal,insensitive,remove\n\
3M,3M,literal,insensitive,remove\n\
耐克,Nike,literal,insensitive,remove\n\
r[o0]lex\\s*(sub|daytona),Rolex,regex,insensitive,remove\n\
Coach,Coach,literal,sensitive,hide\n";

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut rules = Rules::builtin().expect("built-in lists parse");
        rules.extend(Rules::parse_csv("extra.csv", EXTRA).expect("extra rules parse"));
        MatcherBuilder::new()
            .authorized(["Gucci"])
            .build(rules)
            .expect("matcher builds")
    })
}

fuzz_target!(|text: &str| {
    let found = matcher().find_all("title", text);
    let mut prev_start = 0;
    for f in &found {
        assert!(
            f.start < f.end && f.end <= text.len(),
            "{}..{} of {}",
            f.start,
            f.end,
            text.len()
        );
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert_eq!(&text[f.start..f.end], f.matched, "matched is not the slice");
        assert!(f.start >= prev_start, "findings out of order");
        prev_start = f.start;
        assert_ne!(&*f.brand, "Gucci", "an authorized brand was reported");
    }
});
