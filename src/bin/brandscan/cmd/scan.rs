//! `brandscan scan [OPTIONS] <CATALOG>...` — the nightly run and the bulk audit's engine.

use super::{build_matcher, reaches};
use crate::args::{ScanArgs, ScanFormat};
use crate::output::Output;
use anyhow::{bail, Result};
use brandscan::catalog::{BadRow, CatalogOptions, CatalogReader, InputFormat, Notice, NoticeLevel};
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
        sheet: args.input.sheet.clone(),
        encoding: args.input.encoding.clone(),
        header_row: args.input.header_row,
        max_field_bytes: Some(args.input.max_field_bytes),
    };
    // Open every catalog before writing anything: a missing file or column is a usage
    // error that must leave no output behind.
    let mut readers = Vec::new();
    let mut open_warnings = 0;
    for path in &args.catalogs {
        let mut reader = CatalogReader::open(path, &opts)?;
        if !args.quiet {
            eprintln!("brandscan: {}", describe(&reader));
        }
        for n in reader.take_notices() {
            open_warnings += u64::from(n.level == NoticeLevel::Warning);
            print_notice(&n, args.quiet);
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
            quiet: args.quiet,
        };
        let mut stats = scan_catalogs(&scanner, readers, &scan_opts, &mut sink)?;
        stats.warnings += open_warnings;
        sink.report.finish(&stats)?;
        (stats, sink.worst)
    };
    if args.strict && (stats.rows_rejected > 0 || stats.warnings > 0) {
        // The counts still go to stderr: they say what to fix.
        if !args.quiet {
            eprintln!("{}", paragraph(&stats, &meta));
        }
        bail!(
            "--strict: {} row(s) rejected, {} catalog warning(s): no report written",
            stats.rows_rejected,
            stats.warnings
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
    quiet: bool,
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

    fn notice(&mut self, notice: &Notice) -> brandscan::Result<()> {
        print_notice(notice, self.quiet);
        Ok(())
    }
}

/// Warnings always reach stderr, like bad rows; notes only without --quiet.
fn print_notice(n: &Notice, quiet: bool) {
    if n.level == NoticeLevel::Warning || !quiet {
        eprintln!("brandscan: {n}");
    }
}

/// `FILE: id column `sku`; scanning title, description` plus what was detected about
/// the file when it is not plain UTF-8 CSV.
fn describe(reader: &CatalogReader) -> String {
    let c = reader.columns();
    let fields: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
    let mut how = Vec::new();
    match reader.format() {
        InputFormat::Delimited if reader.delimiter() != b',' => {
            how.push(match reader.delimiter() {
                b'\t' => "tab-separated".to_string(),
                d => format!("`{}`-separated", d as char),
            })
        }
        InputFormat::Delimited => {}
        f => how.push(f.as_str().to_string()),
    }
    if let Some(enc) = c.encoding {
        how.push(format!("decoded from {enc}"));
    }
    if reader.header_line() > 1 {
        how.push(format!("header on line {}", reader.header_line()));
    }
    format!(
        "{}{}: id column {}; scanning {}",
        reader.name(),
        if how.is_empty() {
            String::new()
        } else {
            format!(" ({})", how.join(", "))
        },
        c.id.as_ref()
            .map_or("none (row numbers)".to_string(), |c| format!(
                "`{}`",
                c.name
            )),
        fields.join(", ")
    )
}

fn parse_delimiter(d: Option<&str>) -> Result<Option<u8>> {
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
