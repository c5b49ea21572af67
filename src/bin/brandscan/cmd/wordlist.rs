//! `brandscan wordlist list|check` — inspect and lint word lists.
//!
//! `list` prints the built-in lists with their counts; `list --brands` one line per
//! brand (`brand`, `lists`, `rules`, `terms`, tab-separated); `list --terms [BRAND]` the
//! rules as word-list CSV, so `-w` reads them back and a user can copy and edit them.
//!
//! `check FILES... [--catalog CATALOG [--sample N] [--top N]]` prints one line per
//! problem (`error:`, `duplicate:`, `conflict:`, `dead:`, `dictionary:`,
//! `common phrase:`), an `ok:` line per readable file, and with `--catalog` the terms that
//! fire on the most sampled listings. Every problem of every file is listed in one run.
//! Exit 2 when a file cannot be read, 1 when a file has errors or rules conflict, else 0.

use crate::args::WordlistCommand;
use anyhow::{bail, Result};
use brandscan::catalog::{CatalogOptions, CatalogReader, RawRecord, ReadOutcome};
use brandscan::lint::{lint, TermActivity};
use brandscan::matcher::Scratch;
use brandscan::normalize::normalize_term;
use brandscan::report::plural;
use brandscan::unknown::UNKNOWN_BRAND;
use brandscan::wordlist::BUILTIN_LISTS;
use brandscan::{Matcher, Rules, Scanner};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

pub fn run(cmd: WordlistCommand) -> Result<u8> {
    match cmd {
        WordlistCommand::List { brands: true, .. } => list_brands(),
        WordlistCommand::List {
            terms: Some(brand), ..
        } => list_terms(&brand),
        WordlistCommand::List { .. } => list(),
        WordlistCommand::Check {
            files,
            catalog,
            sample,
            top,
        } => check(&files, catalog.as_deref(), sample, top),
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

/// Every built-in brand, with the lists that hold its rules.
fn list_brands() -> Result<u8> {
    let mut lists: std::collections::HashMap<String, Vec<&str>> = Default::default();
    for (name, _) in BUILTIN_LISTS {
        if let Some(rules) = Rules::builtin_list(name) {
            for b in rules?.brands() {
                lists
                    .entry(normalize_term(&b.brand))
                    .or_default()
                    .push(name);
            }
        }
    }
    let mut out = io::stdout().lock();
    writeln!(out, "brand\tlists\trules\tterms")?;
    for b in Rules::builtin()?.brands() {
        let names = lists
            .get(&normalize_term(&b.brand))
            .map(|l| l.join(","))
            .unwrap_or_default();
        writeln!(out, "{}\t{names}\t{}\t{}", b.brand, b.rules, b.terms)?;
    }
    Ok(0)
}

/// The built-in rules as word-list CSV; all of them when `brand` is empty.
fn list_terms(brand: &str) -> Result<u8> {
    let mut rules = Rules::builtin()?;
    if !brand.trim().is_empty() && !rules.retain_brand(brand) {
        let hint = brandscan::suggest::hint(&brandscan::suggest::similar_brands(&rules, brand));
        bail!(
            "no built-in brand `{brand}`{hint} (`brandscan wordlist list --brands` lists them all)"
        );
    }
    rules.write_csv(io::stdout().lock())?;
    Ok(0)
}

fn check(
    files: &[std::path::PathBuf],
    catalog: Option<&Path>,
    sample: u64,
    top: usize,
) -> Result<u8> {
    let mut out = io::stdout().lock();
    let mut errors = 0;
    let mut unreadable = 0;
    let mut all = Rules::new();
    for path in files {
        match Rules::check_path(path) {
            Err(e) => {
                unreadable += 1;
                writeln!(out, "error: {e}")?;
            }
            Ok((rules, problems)) => {
                for e in &problems {
                    writeln!(out, "error: {e}")?;
                }
                errors += problems.len();
                let status = if problems.is_empty() { "ok" } else { "errors" };
                writeln!(
                    out,
                    "{status}: {}: {}, {}, {}{}",
                    path.display(),
                    plural(rules.len(), "rule"),
                    plural(rules.brand_count(), "brand"),
                    plural(rules.duplicates().len(), "duplicate"),
                    if problems.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", {} (those rows are left out)",
                            plural(problems.len(), "error")
                        )
                    }
                )?;
                all.extend(rules);
            }
        }
    }
    // Duplicates within and across the files, then what the lint sees in all of them
    // together (an allow phrase may cover a term of another file).
    let conflicts = all.duplicates().iter().filter(|d| d.conflict).count();
    for d in all.duplicates() {
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
    for l in lint(&all) {
        writeln!(out, "{l}")?;
    }
    if let Some(path) = catalog {
        if !all.is_empty() {
            // The counterfeit wording is always looked for, so brand-shaped words beside
            // it that these lists do not know can be shown; only the files' own rules
            // are counted as their terms.
            let own = all.len();
            let mut rules = all;
            if let Some(Ok(wording)) = Rules::builtin_list("counterfeit") {
                rules.extend(wording);
            }
            try_on_catalog(&mut out, Matcher::new(rules)?, own, path, sample, top)?;
        }
    }
    // A lint's exit: 2 when a file could not be read at all, 1 when a file has errors
    // or two rules disagree (the merge picks one, maybe not the one meant), else 0.
    Ok(if unreadable > 0 {
        2
    } else if errors > 0 || conflicts > 0 {
        1
    } else {
        0
    })
}

/// Scan the first `sample` listings of `path` and show the terms on the most listings.
fn try_on_catalog(
    out: &mut impl Write,
    matcher: Matcher,
    own: usize,
    path: &Path,
    sample: u64,
    top: usize,
) -> Result<()> {
    let mut reader = CatalogReader::open(path, &CatalogOptions::default())?;
    let columns = reader.columns().clone();
    let scanner = Scanner::new(matcher);
    let file: Arc<str> = Arc::from(path.display().to_string());
    let mut scratch = Scratch::new();
    let mut raw = RawRecord::default();
    let mut activity = TermActivity::default();
    while activity.listings() < sample {
        match reader.read(&mut raw)? {
            ReadOutcome::Eof => break,
            ReadOutcome::Bad(_) => continue,
            ReadOutcome::Record => {
                if let Ok(mut rec) = scanner.scan_record(&file, 0, &columns, &raw, &mut scratch) {
                    rec.findings
                        .retain(|f| f.rule < own || &*f.brand == UNKNOWN_BRAND);
                    activity.add_listing(&rec.findings);
                }
            }
        }
    }
    let n = activity.listings();
    writeln!(
        out,
        "catalog: {}: {} sampled; the terms on the most listings:",
        path.display(),
        plural(n, "listing")
    )?;
    writeln!(out, "  listings  share  findings  term (brand)  e.g.")?;
    for t in activity.top(top) {
        let share = t.listings as f64 * 100.0 / n.max(1) as f64;
        let examples: Vec<&str> = t.examples.iter().map(String::as_str).collect();
        writeln!(
            out,
            "  {:>8}  {share:>4.1}%  {:>8}  {} ({})  {}{}",
            t.listings,
            t.findings,
            t.term,
            t.brand,
            examples.join(" | "),
            // A term on more than one listing in fifty is worth a look before a nightly
            // run flags them all.
            if share >= 2.0 { "  <- noisy?" } else { "" }
        )?;
    }
    let unknown = activity.unknown_brands(top);
    if !unknown.is_empty() {
        writeln!(
            out,
            "catalog: brand-shaped words beside counterfeit wording that no list knows (add the brands to a list):"
        )?;
        writeln!(out, "  listings  word  e.g.")?;
        for t in unknown {
            let examples: Vec<&str> = t.examples.iter().map(String::as_str).collect();
            writeln!(
                out,
                "  {:>8}  {}  {}",
                t.listings,
                t.term,
                examples.join(" | ")
            )?;
        }
    }
    Ok(())
}
