//! One file per subcommand; shared word-list loading here.

pub mod audit;
pub mod check;
pub mod fix;
pub mod scan;
pub mod serve;
pub mod wordlist;

use crate::args::{FailOn, RuleArgs};
use anyhow::{bail, Result};
use brandscan::{Action, Matcher, MatcherBuilder, Rules};

/// Load the word lists the flags select (SPEC §1): the built-in lists when no `-w` is
/// given, the `-w` lists alone, or both with `--builtin`.
pub fn load_rules(args: &RuleArgs) -> Result<Rules> {
    let rules = load_lists(args)?;
    if rules.is_empty() {
        bail!("no rules loaded: give a word list with -w, or drop --no-builtin");
    }
    Ok(rules)
}

/// The lists the flags select, possibly none (`audit` may bring its own terms).
pub fn load_lists(args: &RuleArgs) -> Result<Rules> {
    let use_builtin = if args.wordlists.is_empty() {
        !args.no_builtin
    } else {
        args.builtin
    };
    let mut rules = if use_builtin {
        Rules::builtin()?
    } else {
        Rules::new()
    };
    for path in &args.wordlists {
        rules.extend(Rules::from_path(path)?);
    }
    Ok(rules)
}

/// Load the rules and compile the matcher.
pub fn build_matcher(args: &RuleArgs) -> Result<Matcher> {
    let rules = load_rules(args)?;
    let budget =
        usize::try_from(args.max_automaton_mb.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    Ok(MatcherBuilder::new()
        .authorized(&args.authorized)
        .compatible_action(args.compatible_action.map(Action::from))
        .fuzzy(args.fuzzy)
        .evasion(!args.no_evasion)
        .max_automaton_bytes(budget)
        .build(rules)?)
}

/// True when `action` reaches the `--fail-on` level.
pub fn reaches(fail_on: FailOn, action: Action) -> bool {
    match fail_on {
        FailOn::Never => false,
        FailOn::Remove => action >= Action::Remove,
        FailOn::Hide => action >= Action::Hide,
        FailOn::Review => action >= Action::Review,
    }
}

/// The catalog reader options of the flags `scan` and `audit` share.
pub fn catalog_options(
    columns: &crate::args::ColumnArgs,
    input: &crate::args::InputArgs,
) -> Result<brandscan::catalog::CatalogOptions> {
    Ok(brandscan::catalog::CatalogOptions {
        id_column: columns.id_column.clone(),
        fields: columns.fields.clone(),
        delimiter: scan::parse_delimiter(columns.delimiter.as_deref())?,
        sheet: input.sheet.clone(),
        encoding: input.encoding.clone(),
        header_row: input.header_row,
        max_field_bytes: Some(input.max_field_bytes),
    })
}
