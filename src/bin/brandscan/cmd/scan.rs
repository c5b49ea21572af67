//! `brandscan scan [OPTIONS] <CATALOG>...` — the nightly run and the bulk audit's engine.

use super::{build_matcher, reaches};
use crate::args::{ScanArgs, ScanFormat};
use crate::output::Output;
use anyhow::{bail, Result};
use brandscan::catalog::{BadRow, CatalogOptions, CatalogReader};
use brandscan::report::{new_report, Format, Report, ReportMeta};
use brandscan::{scan_catalogs, Action, RecordFindings, ScanEvents, ScanOptions, Scanner, Stats};
use std::sync::Arc;

pub fn run(args: ScanArgs) -> Result<u8> {
    let matcher = build_matcher(&args.rules)?;
    let meta = ReportMeta {
        files: args
            .catalogs
            .iter()
            .map(|p| Arc::from(p.display().to_string()))
            .collect(),
        fingerprint: matcher.rules().fingerprint(),
        rules: matcher.rules().len(),
    };
    let opts = CatalogOptions {
        id_column: args.id_column.clone(),
        fields: args.fields.clone(),
        delimiter: parse_delimiter(args.delimiter.as_deref())?,
    };
    // Open every catalog before writing anything: a missing file or column is a usage
    // error that must leave no output behind.
    let mut readers = Vec::new();
    for path in &args.catalogs {
        let reader = CatalogReader::open(path, &opts)?;
        if !args.quiet {
            let c = reader.columns();
            let fields: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
            eprintln!(
                "brandscan: {}: id column {}; scanning {}",
                reader.name(),
                c.id.as_ref()
                    .map_or("none (row numbers)".to_string(), |c| format!(
                        "`{}`",
                        c.name
                    )),
                fields.join(", ")
            );
        }
        readers.push(reader);
    }
    let format = match args.format {
        ScanFormat::Csv => Format::Csv,
        ScanFormat::Jsonl => Format::Jsonl,
        ScanFormat::Listings => Format::Listings,
        ScanFormat::Summary => Format::Summary,
    };
    let mut output = Output::create(args.output.as_deref(), &args.catalogs)?;
    let scanner = Scanner::new(matcher);
    let scan_opts = ScanOptions {
        threads: args.threads,
        batch_rows: args.batch_rows,
    };
    let (stats, worst) = {
        let report = new_report(format, meta.clone(), Box::new(&mut output));
        let mut sink = Sink {
            report,
            worst: None,
        };
        let stats = scan_catalogs(&scanner, readers, &scan_opts, &mut sink)?;
        sink.report.finish(&stats)?;
        (stats, sink.worst)
    };
    if args.strict && stats.rows_rejected > 0 {
        bail!(
            "{} row(s) rejected and --strict is set: no report written",
            stats.rows_rejected
        );
    }
    output.commit()?;
    if !args.quiet {
        eprintln!("{}", paragraph(&stats, &meta));
    }
    Ok(match worst {
        Some(a) if reaches(args.fail_on, a) => 1,
        _ => 0,
    })
}

struct Sink<'a> {
    report: Box<dyn Report + 'a>,
    worst: Option<Action>,
}

impl ScanEvents for Sink<'_> {
    fn record(&mut self, rec: &RecordFindings) -> brandscan::Result<()> {
        self.worst = self.worst.max(rec.action());
        self.report.record(rec)
    }

    fn bad_row(&mut self, bad: &BadRow) -> brandscan::Result<()> {
        eprintln!("brandscan: {bad}");
        Ok(())
    }
}

pub fn parse_delimiter(d: Option<&str>) -> Result<Option<u8>> {
    let Some(d) = d else { return Ok(None) };
    let b = match d {
        "tab" | "\\t" | "\t" => b'\t',
        _ if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        _ => bail!("--delimiter must be one ASCII character or `tab`, not `{d}`"),
    };
    Ok(Some(b))
}

/// The one-paragraph summary printed to stderr after every scan.
pub fn paragraph(stats: &Stats, meta: &ReportMeta) -> String {
    let secs = stats.elapsed.as_secs_f64();
    let mut s = format!(
        "brandscan: read {} rows ({} scanned, {} rejected) in {:.2} s, {:.1} MB/s; {} listings flagged: {} remove, {} hide, {} review; {} findings",
        stats.rows_read,
        stats.rows_scanned,
        stats.rows_rejected,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9),
        stats.listings_flagged(),
        stats.listings(Action::Remove),
        stats.listings(Action::Hide),
        stats.listings(Action::Review),
        stats.findings,
    );
    let top: Vec<String> = stats
        .top_brands(5)
        .into_iter()
        .map(|(b, s)| format!("{b} ({})", s.listings))
        .collect();
    if !top.is_empty() {
        s.push_str(&format!("; top brands: {}", top.join(", ")));
    }
    s.push_str(&format!(
        ". Word lists: {} rules, {}.",
        meta.rules, meta.fingerprint
    ));
    s
}
