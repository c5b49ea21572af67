//! `brandscan fix <CATALOG> -o CLEANED [--changes FILE] [--left FILE] [--brand NAME]...
//! [--terms FILE]... [--dry-run]` — the cleaned catalog after a complaint, ready for bulk re-upload.
//!
//! Exit codes: 0 the catalog was written (or the dry run done) and no listing needs a
//! person; 1 written, but some listings were left for a person (a `hide` finding, a
//! title that would be empty, a term in a URL or file name or in the id column, a fix
//! that did not converge, a bad row); 2 usage, word-list or input error, and nothing written.

use super::{load_lists, load_rules};
use crate::args::FixArgs;
use crate::output::Output;
use anyhow::{bail, Context, Result};
use brandscan::audit::select_rules;
use brandscan::catalog::{BadRow, CatalogOptions, Columns};
use brandscan::config::Config;
use brandscan::fix::{
    fix_catalog, retain_brands, FixEvents, FixOptions, FixStats, FixedRecord, Fixer, LeftReason,
};
use brandscan::{MatcherBuilder, Rules};
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub fn run(args: FixArgs, cfg: &Config) -> Result<u8> {
    let o = cfg.fix();
    let matcher = fix_matcher(cfg, &args.brands, &args.terms)?;
    let opts = FixOptions {
        catalog: CatalogOptions {
            id_column: o.id_column.clone(),
            fields: o.fields.clone(),
            delimiter: o.delimiter,
            // fix writes UTF-8 CSV/TSV back; other encodings and workbooks are refused
            // by the rewriter, so the reader's defaults are right here.
            ..Default::default()
        },
        threads: o.threads(),
        batch_rows: args.batch_rows,
    };
    let catalog_out = if args.dry_run {
        None
    } else {
        args.output.as_deref()
    };
    // With --dry-run and no --changes file, the changes are the output, on stdout.
    let changes_to_stdout = args.dry_run && o.changes.is_none();
    distinct(&[
        catalog_out,
        o.changes.as_deref(),
        o.left.as_deref(),
        changes_to_stdout.then_some(Path::new("-")),
    ])?;
    let name = args.catalog.display().to_string();
    let source: Box<dyn Read + Send> = if name == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(&args.catalog).with_context(|| format!("cannot open {name}"))?)
    };
    let inputs = [args.catalog.clone()];
    let mut catalog = catalog_out
        .map(|p| Output::create(Some(p), &inputs))
        .transpose()?;
    let mut changes = match (&o.changes, changes_to_stdout) {
        (Some(p), _) => Some(Output::create(Some(p), &inputs)?),
        (None, true) => Some(Output::create(None, &inputs)?),
        (None, false) => None,
    };
    let mut left = args
        .left
        .as_deref()
        .map(|p| Output::create(Some(p), &inputs))
        .transpose()?;
    let fixer = Fixer::new(matcher);
    let stats = {
        let mut events = Events {
            changes: changes.as_mut().map(csv::Writer::from_writer),
            left: left.as_mut().map(csv::Writer::from_writer),
            quiet: o.quiet(),
            name: name.clone(),
        };
        events.headers()?;
        let mut sink = io::sink();
        let out: &mut dyn io::Write = match catalog.as_mut() {
            Some(o) => o,
            None => &mut sink,
        };
        let stats = fix_catalog(&fixer, &name, source, out, &opts, &mut events)?;
        events.flush()?;
        stats
    };
    if let Some(o) = catalog {
        o.commit()?;
    }
    if let Some(o) = changes {
        o.commit()?;
    }
    if let Some(o) = left {
        o.commit()?;
    }
    if !o.quiet() {
        eprintln!("{}", summary(&stats, catalog_out, args.dry_run));
    }
    Ok(u8::from(stats.rows_left > 0))
}

/// The matcher `fix` edits with: the selected lists, only `brands`' rules when any are
/// named, plus the complaint's `terms` selected as `audit` selects them. `serve`'s page
/// suggests clean titles with the same one.
pub fn fix_matcher(
    cfg: &Config,
    brands: &[String],
    terms: &[std::path::PathBuf],
) -> Result<brandscan::Matcher> {
    if !terms.is_empty() && brands.is_empty() {
        bail!("--terms needs --brand: a complaint's terms belong to the brand that complained");
    }
    let rules = if terms.is_empty() {
        let mut rules = load_rules(cfg)?;
        if !brands.is_empty() {
            retain_brands(&mut rules, brands)?;
        }
        rules
    } else {
        // The same selection as `audit --brand X --terms F`, so both treat the same
        // findings.
        let brand = brands.first().map_or("", String::as_str);
        let mut complaint = Rules::new();
        for path in terms {
            complaint.extend(Rules::from_path_for_brand(path, brand)?);
        }
        select_rules(load_lists(cfg)?, brands, complaint)?
    };
    Ok(MatcherBuilder::new()
        .authorized(cfg.authorized.as_deref().unwrap_or_default())
        .build(rules)?)
}

/// Two outputs on one path would overwrite each other.
fn distinct(paths: &[Option<&Path>]) -> Result<()> {
    let paths: Vec<&Path> = paths.iter().flatten().copied().collect();
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            let same =
                a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
            if same {
                let shown = if a.as_os_str() == "-" {
                    "standard output".to_string()
                } else {
                    a.display().to_string()
                };
                bail!("two outputs would go to {shown}: give -o, --changes and --left different files");
            }
        }
    }
    Ok(())
}

struct Events<'a> {
    changes: Option<csv::Writer<&'a mut Output>>,
    left: Option<csv::Writer<&'a mut Output>>,
    quiet: bool,
    name: String,
}

impl Events<'_> {
    fn headers(&mut self) -> Result<()> {
        if let Some(w) = &mut self.changes {
            w.write_record(["listing_id", "field", "before", "after"])?;
        }
        if let Some(w) = &mut self.left {
            w.write_record([
                "listing_id",
                "row",
                "line",
                "edited",
                "reason",
                "field",
                "detail",
            ])?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let Some(w) = &mut self.changes {
            w.flush()?;
        }
        if let Some(w) = &mut self.left {
            w.flush()?;
        }
        Ok(())
    }
}

fn csv_err(e: csv::Error) -> brandscan::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => brandscan::Error::io("<output>", e),
        other => brandscan::Error::usage(format!("cannot write CSV: {other:?}")),
    }
}

impl FixEvents for Events<'_> {
    fn start(&mut self, name: &str, columns: &Columns) -> brandscan::Result<()> {
        if !self.quiet {
            let fields: Vec<&str> = columns.fields.iter().map(|f| &*f.name).collect();
            eprintln!(
                "brandscan: {name}: id column {}; fixing {}",
                columns
                    .id
                    .as_ref()
                    .map_or("none (row numbers)".to_string(), |c| format!(
                        "`{}`",
                        c.name
                    )),
                fields.join(", ")
            );
        }
        Ok(())
    }

    fn record(&mut self, rec: &FixedRecord) -> brandscan::Result<()> {
        if let Some(w) = &mut self.changes {
            for e in &rec.fix.edits {
                w.write_record([rec.listing_id.as_str(), &e.field, &e.before, &e.after])
                    .map_err(csv_err)?;
            }
        }
        let edited = if rec.fix.edited() { "yes" } else { "no" };
        for l in &rec.fix.left {
            let field = l.field.as_deref().unwrap_or("");
            match &mut self.left {
                Some(w) => w
                    .write_record([
                        rec.listing_id.as_str(),
                        &rec.row.to_string(),
                        &rec.line.to_string(),
                        edited,
                        l.reason.as_str(),
                        field,
                        &l.detail,
                    ])
                    .map_err(csv_err)?,
                None if l.reason.needs_person() => {
                    let field = if field.is_empty() {
                        String::new()
                    } else {
                        format!(" in `{field}`")
                    };
                    let what = if rec.fix.edited() {
                        "its other findings were fixed"
                    } else {
                        "not edited"
                    };
                    eprintln!(
                        "brandscan: {}:{}: listing {} (row {}) left for a person, {what}: {}{field}: {}",
                        self.name, rec.line, rec.listing_id, rec.row, l.reason, l.detail
                    );
                }
                None => {}
            }
        }
        Ok(())
    }

    fn bad_row(&mut self, bad: &BadRow) -> brandscan::Result<()> {
        eprintln!("brandscan: {bad} (copied unchanged)");
        if let Some(w) = &mut self.left {
            w.write_record([
                "",
                &bad.row.to_string(),
                &bad.line.to_string(),
                "no",
                LeftReason::BadRow.as_str(),
                "",
                &bad.reason,
            ])
            .map_err(csv_err)?;
        }
        Ok(())
    }
}

fn summary(stats: &FixStats, output: Option<&Path>, dry_run: bool) -> String {
    let mut s = format!(
        "brandscan: fix: read {} {} ({} checked, {} rejected and copied unchanged); {} {} changed in {} {}",
        stats.rows_read,
        plural(stats.rows_read, "row", "rows"),
        stats.rows_scanned,
        stats.rows_rejected,
        stats.fields_edited,
        plural(stats.fields_edited, "field", "fields"),
        stats.rows_edited,
        plural(stats.rows_edited, "row", "rows"),
    );
    s.push_str(&format!(
        "; {} {} left for a person",
        stats.rows_left,
        plural(stats.rows_left, "row", "rows")
    ));
    let reasons: Vec<String> = [
        (LeftReason::Counterfeit, "counterfeit listing"),
        (LeftReason::Hide, "hide finding"),
        (
            LeftReason::NoProductWords,
            "text would keep no product words",
        ),
        (LeftReason::EmptyTitle, "title would be empty"),
        (LeftReason::InUrl, "term in a URL or file name"),
        (LeftReason::NotConverged, "fix did not converge"),
        (LeftReason::BadRow, "bad row"),
        (LeftReason::IdColumn, "term in the id column"),
    ]
    .iter()
    .filter(|(r, _)| stats.left(*r) > 0)
    .map(|(r, what)| {
        let n = stats.left(*r);
        // Reasons that are nouns count: `2 bad rows`, `1 hide finding`.
        let s = if n != 1
            && matches!(
                r,
                LeftReason::Counterfeit | LeftReason::Hide | LeftReason::BadRow
            ) {
            "s"
        } else {
            ""
        };
        format!("{n} {what}{s}")
    })
    .collect();
    if !reasons.is_empty() {
        s.push_str(&format!(" ({})", reasons.join(", ")));
    }
    let review = stats.left(LeftReason::Review);
    if review > 0 {
        s.push_str(&format!(
            "; {review} {} with `review` findings, which fix never edits",
            plural(review, "row", "rows")
        ));
    }
    match (dry_run, output) {
        (true, _) => s.push_str(". Dry run: no catalog written."),
        (false, Some(p)) if p.as_os_str() != "-" => {
            s.push_str(&format!(". Wrote {}", p.display()));
            if stats.gzip {
                s.push_str(" (gzip)");
            }
            s.push('.');
        }
        _ => s.push('.'),
    }
    s
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
