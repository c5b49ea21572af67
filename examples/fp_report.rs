//! False-positive report: the built-in lists over a CSV of real shop titles, with findings
//! per 10,000 listings by match_kind and context, evasion detection on and off, and
//! `--fuzzy`; then every finding of the kinds evasion, fuzzy and context add, for a person
//! to read.
//!
//! ```text
//! cargo run --release --example fp_report -- TITLES.csv [--column title] [--show N] \
//!     [-w LIST]... [--findings OUT.csv]
//! ```
//!
//! `-w` replaces the built-in lists with the given lists (repeatable), so two versions of
//! the lists can be compared; `--findings` writes every finding of the default run
//! (`row,title,matched,term,brand,match_kind,context`) for a person to judge, or to diff
//! against another run's.
//!
//! The titles are data the project does not ship (for example the Web Data Commons
//! sample in the team's shared data); nothing here reads a fixed path.

use brandscan::{Context, Finding, MatchKind, Matcher, MatcherBuilder, Rules};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fp_report: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut column = "title".to_string();
    let mut show = 400usize;
    let mut lists: Vec<String> = Vec::new();
    let mut findings_out = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-w" => lists.push(args.next().ok_or("-w needs a word list")?),
            "--findings" => findings_out = Some(args.next().ok_or("--findings needs a file")?),
            "--column" => column = args.next().ok_or("--column needs a name")?,
            "--show" => show = args.next().ok_or("--show needs a number")?.parse()?,
            _ => path = Some(a),
        }
    }
    let path = path.ok_or("usage: fp_report TITLES.csv [--column title] [--show N]")?;
    let mut reader = csv::Reader::from_path(&path)?;
    let idx = reader
        .headers()?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| format!("{path}: no column `{column}`"))?;
    let titles: Vec<String> = reader
        .records()
        .filter_map(|r| r.ok())
        .map(|r| r.get(idx).unwrap_or_default().to_string())
        .collect();
    let rules = if lists.is_empty() {
        Rules::builtin()?
    } else {
        let mut rules = Rules::new();
        for l in &lists {
            rules.extend(Rules::from_path(std::path::Path::new(l))?);
        }
        rules
    };
    let build = |evasion: bool, fuzzy: bool| -> Result<Matcher, brandscan::Error> {
        MatcherBuilder::new()
            .evasion(evasion)
            .fuzzy(fuzzy)
            .build(rules.clone())
    };
    let runs = [
        ("evasion off", build(false, false)?),
        ("default", build(true, false)?),
        ("--fuzzy", build(true, true)?),
    ];
    let mut out = std::io::stdout().lock();
    let n = titles.len() as f64;
    let per10k = |c: usize| c as f64 * 10_000.0 / n;
    let mut table: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    let mut all: Vec<Vec<Vec<Finding>>> = Vec::new();
    for (i, (_, m)) in runs.iter().enumerate() {
        let found: Vec<Vec<Finding>> = titles.iter().map(|t| m.find_all("title", t)).collect();
        for f in found.iter().flatten() {
            table.entry(format!("kind {}", f.match_kind)).or_default()[i] += 1;
            if f.context != Context::None {
                table.entry(format!("context {}", f.context)).or_default()[i] += 1;
            }
            table.entry("all findings".into()).or_default()[i] += 1;
        }
        let flagged = found.iter().filter(|f| !f.is_empty()).count();
        table.entry("listings flagged".into()).or_default()[i] = flagged;
        all.push(found);
    }
    writeln!(
        out,
        "{path}: {} listings; per 10,000 listings:\n",
        titles.len()
    )?;
    writeln!(
        out,
        "{:<24}{:>12}{:>12}{:>12}",
        "", runs[0].0, runs[1].0, runs[2].0
    )?;
    for (k, v) in &table {
        writeln!(
            out,
            "{k:<24}{:>12.1}{:>12.1}{:>12.1}",
            per10k(v[0]),
            per10k(v[1]),
            per10k(v[2])
        )?;
    }
    if let Some(path) = &findings_out {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record([
            "row",
            "title",
            "matched",
            "term",
            "brand",
            "match_kind",
            "context",
        ])?;
        for (i, found) in all[1].iter().enumerate() {
            for f in found {
                w.write_record([
                    (i + 1).to_string().as_str(),
                    titles[i].as_str(),
                    f.matched.as_str(),
                    &f.term,
                    &f.brand,
                    f.match_kind.as_str(),
                    f.context.as_str(),
                ])?;
            }
        }
        w.flush()?;
    }
    let mut terms: BTreeMap<String, usize> = BTreeMap::new();
    for f in all[1].iter().flatten() {
        *terms
            .entry(format!("{} ({})", f.term, f.brand))
            .or_default() += 1;
    }
    let mut top: Vec<(String, usize)> = terms.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    writeln!(out, "\ntop terms (default run):")?;
    for (t, c) in top.iter().take(40) {
        writeln!(out, "  {c:>5}  {t}")?;
    }
    // What evasion, context and fuzzy add, to be read.
    writeln!(
        out,
        "\nfindings that are obfuscated, fuzzy or in a context:"
    )?;
    let mut shown = 0;
    for (i, t) in titles.iter().enumerate() {
        for f in &all[2][i] {
            let added = matches!(f.match_kind, MatchKind::Obfuscated | MatchKind::Fuzzy)
                || f.context != Context::None;
            if added && shown < show {
                shown += 1;
                writeln!(
                    out,
                    "  {:<10} {:<11} {:?} -> {} ({})  | {t}",
                    f.match_kind.as_str(),
                    f.context.as_str(),
                    f.matched,
                    f.term,
                    f.brand
                )?;
            }
        }
    }
    Ok(())
}
