//! The word-list parser on any text: no panic, and every error names the file with a
//! line; every rule it accepts compiles.
#![no_main]

use brandscan::{ErrorKind, MatcherBuilder, Rules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (name, parsed) in [
        ("f.csv", Rules::parse_csv("f.csv", text)),
        ("f.txt", Rules::parse_txt("f.txt", text)),
    ] {
        match parsed {
            Ok(rules) => {
                for rule in &rules {
                    assert!(!rule.term.is_empty(), "an empty term was accepted");
                    assert!(rule.source.line.is_some(), "a rule without a line");
                }
                // Everything the parser accepts must build (regexes were checked).
                if let Err(e) = MatcherBuilder::new().build(rules) {
                    assert!(
                        !matches!(e.kind(), ErrorKind::WordList { .. }),
                        "{name}: parsed but failed to build: {e}"
                    );
                }
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.starts_with(name), "{msg}");
                if let ErrorKind::WordList { location, .. } = e.kind() {
                    assert!(location.line.is_some(), "no line in: {msg}");
                }
            }
        }
    }
});
