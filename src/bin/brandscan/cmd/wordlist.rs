//! `brandscan wordlist list|check` — inspect and lint word lists.

use crate::args::WordlistCommand;
use anyhow::Result;
use brandscan::wordlist::BUILTIN_LISTS;
use brandscan::Rules;
use std::io::{self, Write};

pub fn run(cmd: WordlistCommand) -> Result<u8> {
    match cmd {
        WordlistCommand::List => list(),
        WordlistCommand::Check { files } => check(&files),
    }
}

fn list() -> Result<u8> {
    let mut out = io::stdout().lock();
    writeln!(out, "list\trules\tbrands")?;
    let mut all = Rules::new();
    for (name, _) in BUILTIN_LISTS {
        if let Some(rules) = Rules::builtin_list(name) {
            let rules = rules?;
            writeln!(out, "{name}\t{}\t{}", rules.len(), rules.brand_count())?;
            all.extend(rules);
        }
    }
    writeln!(
        out,
        "total\t{}\t{}\t{}",
        all.len(),
        all.brand_count(),
        all.fingerprint()
    )?;
    Ok(0)
}

fn check(files: &[std::path::PathBuf]) -> Result<u8> {
    let mut out = io::stdout().lock();
    let mut errors = 0;
    for path in files {
        match Rules::from_path(path) {
            Err(e) => {
                errors += 1;
                writeln!(out, "error: {e}")?;
            }
            Ok(rules) => {
                for d in rules.duplicates() {
                    let what = if d.conflict { "conflict" } else { "duplicate" };
                    let detail = if d.detail.is_empty() {
                        String::new()
                    } else {
                        format!(" ({}; merged: strictest wins)", d.detail)
                    };
                    writeln!(
                        out,
                        "{what}: {}: `{}` already defined at {}{detail}",
                        d.duplicate, d.term, d.kept
                    )?;
                }
                writeln!(
                    out,
                    "ok: {}: {} rules, {} brands, {} duplicates",
                    path.display(),
                    rules.len(),
                    rules.brand_count(),
                    rules.duplicates().len()
                )?;
            }
        }
    }
    Ok(if errors > 0 { 2 } else { 0 })
}
