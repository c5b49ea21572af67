//! One file per subcommand; shared word-list loading here.

pub mod audit;
pub mod check;
pub mod fix;
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
    let use_builtin = if wordlists.is_empty() {
        cfg.use_builtin() != Some(false)
    } else {
        cfg.use_builtin() == Some(true)
    };
    let mut rules = if use_builtin {
        Rules::builtin()?
    } else {
        Rules::new()
    };
    for path in wordlists {
        rules.extend(Rules::from_path(path)?);
    }
    Ok(rules)
}

/// Load the rules and compile the matcher.
pub fn build_matcher(cfg: &Config) -> Result<Matcher> {
    let rules = load_rules(cfg)?;
    let budget =
        usize::try_from(cfg.max_automaton_mb().saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    Ok(MatcherBuilder::new()
        .authorized(cfg.authorized.as_deref().unwrap_or_default())
        .compatible_action(cfg.compatible_action)
        .fuzzy(cfg.fuzzy())
        .evasion(!cfg.no_evasion())
        .max_automaton_bytes(budget)
        .build(rules)?)
}
