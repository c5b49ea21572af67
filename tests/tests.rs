//! Integration tests: the real `brandscan` binary on real files in `tests/data/`.

#[path = "cli/util.rs"]
mod util;

#[path = "cli/check.rs"]
mod check;
#[path = "cli/eval.rs"]
mod eval;
#[path = "cli/evasion.rs"]
mod evasion;
#[path = "cli/fixtures.rs"]
mod fixtures;
#[path = "cli/property.rs"]
mod property;
#[path = "cli/scan.rs"]
mod scan;
#[path = "cli/spec.rs"]
mod spec;
#[path = "cli/wordlist.rs"]
mod wordlist;
