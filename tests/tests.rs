//! Integration tests: the real `brandscan` binary on real files in `tests/data/`.

#[path = "cli/util.rs"]
mod util;
// Support shared with tests/ocr.rs: a running `serve`, and a browser on its page.
#[cfg(unix)]
#[path = "cli/browser.rs"]
mod browser;
#[cfg(unix)]
#[path = "cli/server.rs"]
mod server;

#[path = "cli/audit.rs"]
mod audit;
#[path = "cli/audit_html.rs"]
mod audit_html;
#[path = "cli/bad_catalogs.rs"]
mod bad_catalogs;
#[path = "cli/bad_wordlists.rs"]
mod bad_wordlists;
#[path = "cli/capitals.rs"]
mod capitals;
#[path = "cli/check.rs"]
mod check;
#[path = "cli/chinese.rs"]
mod chinese;
#[path = "cli/complaint.rs"]
mod complaint;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/counterfeit.rs"]
mod counterfeit;
#[path = "cli/eval.rs"]
mod eval;
#[path = "cli/eval2.rs"]
mod eval2;
#[path = "cli/evasion.rs"]
mod evasion;
#[path = "cli/everyday_words.rs"]
mod everyday_words;
#[path = "cli/fix.rs"]
mod fix;
#[path = "cli/fix_property.rs"]
mod fix_property;
#[path = "cli/fixtures.rs"]
mod fixtures;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/html.rs"]
mod html;
#[path = "cli/json_listing.rs"]
mod json_listing;
#[path = "cli/limits.rs"]
mod limits;
#[path = "cli/matching_doc.rs"]
mod matching_doc;
#[path = "cli/messages.rs"]
mod messages;
#[path = "cli/nightly.rs"]
mod nightly;
#[path = "cli/page.rs"]
mod page;
#[path = "cli/property.rs"]
mod property;
#[path = "cli/records.rs"]
mod records;
#[path = "cli/regression.rs"]
mod regression;
#[path = "cli/safety.rs"]
mod safety;
#[path = "cli/scan.rs"]
mod scan;
#[cfg(unix)]
#[path = "cli/serve.rs"]
mod serve;
#[cfg(unix)]
#[path = "cli/serve_faults.rs"]
mod serve_faults;
#[path = "cli/spec.rs"]
mod spec;
#[path = "cli/wordlist.rs"]
mod wordlist;
