//! Integration tests: the real `brandscan` binary on real files in `tests/data/`.

#[path = "cli/util.rs"]
mod util;

#[path = "cli/bad_catalogs.rs"]
mod bad_catalogs;
#[path = "cli/bad_wordlists.rs"]
mod bad_wordlists;
#[path = "cli/check.rs"]
mod check;
#[path = "cli/fixtures.rs"]
mod fixtures;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/property.rs"]
mod property;
#[path = "cli/regression.rs"]
mod regression;
#[path = "cli/safety.rs"]
mod safety;
#[path = "cli/scan.rs"]
mod scan;
#[path = "cli/spec.rs"]
mod spec;
#[path = "cli/wordlist.rs"]
mod wordlist;
