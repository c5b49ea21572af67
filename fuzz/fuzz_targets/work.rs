//! Linear time: the matcher's counted work per byte of input stays under a bound on any
//! text, in a plain and in an HTML column, with every reading on (fuzzy included). An
//! input over the bound is a superlinear path: libFuzzer reports it as a crash.
#![no_main]

use brandscan::{Matcher, MatcherBuilder, Rules};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Steps per byte of input, plus a fixed allowance for short inputs. The worst of the
/// pathological inputs in `src/matcher/linear.rs` takes well under a third of it.
const STEPS_PER_BYTE: u64 = 400;
const FIXED: u64 = 20_000;

const EXTRA: &str = "term,brand,kind,case\n\
Nike,Nike,literal,insensitive\n\
Louis Vuitton,Louis Vuitton,literal,insensitive\n\
Coach,Coach,literal,sensitive\n\
apple green,Apple,allow,insensitive\n\
r[o0]lex\\s*(sub|daytona),Rolex,regex,insensitive\n\
Maison Margiela Replica Sneakers,Margiela,literal,insensitive\n";

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let mut rules = Rules::builtin().expect("built-in lists parse");
        rules.extend(Rules::parse_csv("extra.csv", EXTRA).expect("extra rules parse"));
        MatcherBuilder::new()
            .fuzzy(true)
            .build(rules)
            .expect("matcher builds")
    })
}

fuzz_target!(|text: &str| {
    // Built before counting: the first input must not be charged with the lists' build.
    let m = matcher();
    for field in ["title", "Body (HTML)"] {
        let before = brandscan::work::steps();
        m.find_all(field, text);
        let work = brandscan::work::steps() - before;
        let bound = FIXED + STEPS_PER_BYTE * text.len() as u64;
        assert!(
            work <= bound,
            "{work} steps for {} bytes in {field}: over {bound}",
            text.len()
        );
    }
});
