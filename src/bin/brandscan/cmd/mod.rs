//! One file per subcommand; shared word-list loading here.

pub mod audit;
pub mod check;
pub mod fix;
#[cfg(feature = "ocr")]
pub mod images;
pub mod memory;
pub mod scan;
pub mod serve;
pub mod wordlist;

use anyhow::{bail, Result};
use brandscan::config::Config;
use brandscan::{Matcher, MatcherBuilder, Rules};

/// Load the word lists the options select (docs/configuration.md): the built-in lists
/// when no `-w` is given, the `-w` lists alone, or both with `--builtin`.
pub fn load_rules(cfg: &Config) -> Result<Rules> {
    let rules = load_lists(cfg)?;
    if rules.is_empty() {
        bail!("no rules loaded: give a word list with -w, or drop --no-builtin");
    }
    Ok(rules)
}

/// The lists the options select, possibly none (`audit` may bring its own terms).
pub fn load_lists(cfg: &Config) -> Result<Rules> {
    let wordlists = cfg.wordlists.as_deref().unwrap_or_default();
    check_list_sizes(cfg, wordlists)?;
    let lists = wordlists.iter().map(|p| Rules::from_path(p));
    Ok(Rules::select(cfg.use_builtin(), lists)?)
}

/// Refuse lists whose terms alone would take the automaton over `--max-automaton-mb`,
/// counting them line by line before any is loaded: a list of millions of terms is
/// refused in a moment instead of after a long load.
fn check_list_sizes(cfg: &Config, wordlists: &[std::path::PathBuf]) -> Result<()> {
    let budget = automaton_budget(cfg);
    let limit = brandscan::matcher::max_term_chars(budget);
    let mut total = 0usize;
    for path in wordlists {
        let size = Rules::size_of_file(path, limit.saturating_sub(total))?;
        total = total.saturating_add(size.term_chars);
        if total > limit {
            bail!(
                "the word lists are too big: {} has more than {} characters of terms ({}{} terms read), \
                 which would take their automaton over the memory budget of {:.1} MiB \
                 (--max-automaton-mb); split the lists or raise the budget",
                path.display(),
                limit,
                if size.stopped_early { "the first " } else { "" },
                size.terms,
                budget as f64 / f64::from(1 << 20)
            );
        }
    }
    Ok(())
}

fn automaton_budget(cfg: &Config) -> usize {
    usize::try_from(cfg.max_automaton_mb().saturating_mul(1 << 20)).unwrap_or(usize::MAX)
}

/// An error and its causes on one line, `a: b: c`, leaving out a cause whose text the
/// line already ends with (an I/O error names its cause in its own message, and
/// anyhow's `{:#}` would print it again: "x.csv: No such file…: No such file…").
pub fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.ends_with(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Regex rules above this many get a warning: each one is a pass over every field.
const REGEX_RULES_WARN: usize = 1000;

/// Literal terms cost the same however many there are; regex rules cost one search each
/// per field, which a big list of them turns into milliseconds per listing.
fn warn_regex_cost(rules: &Rules) {
    let n = rules
        .iter()
        .filter(|r| r.kind == brandscan::RuleKind::Regex)
        .count();
    if n > REGEX_RULES_WARN {
        eprintln!(
            "brandscan: warning: {n} regex rules: each is a separate search of every field \
             (roughly 1 ms per listing for every 1,000); write the ones that are plain words \
             as terms"
        );
    }
}

/// Load the rules and compile the matcher.
pub fn build_matcher(cfg: &Config) -> Result<Matcher> {
    let rules = load_rules(cfg)?;
    warn_regex_cost(&rules);
    let budget = automaton_budget(cfg);
    Ok(MatcherBuilder::new()
        .authorized(cfg.authorized.as_deref().unwrap_or_default())
        .compatible_action(cfg.compatible_action)
        .fuzzy(cfg.fuzzy())
        .evasion(!cfg.no_evasion())
        .max_automaton_bytes(budget)
        .build(rules)?)
}
