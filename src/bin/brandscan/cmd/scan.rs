//! `brandscan scan [OPTIONS] <CATALOG>...` — the nightly run and the bulk audit's engine.
//!
//! Records flow: scan driver → [`Sink::filter`] (baseline, suppressions; the kept
//! findings are what gets counted) → the report, and the `--save-baseline` file.

use super::build_matcher;
use crate::args::ScanArgs;
use crate::output::Output;
use crate::progress::Progress;
use anyhow::{bail, Result};
use brandscan::baseline::{Baseline, Suppressions, Triage, TriageStats, Verdict};
use brandscan::catalog::{BadRow, CatalogOptions, CatalogReader, InputFormat, Notice, NoticeLevel};
use brandscan::config::Config;
use brandscan::report::{new_report_with, plural, Format, Report, ReportMeta, ReportOptions};
use brandscan::scan::FieldText;
use brandscan::{scan_catalogs, Action, RecordFindings, ScanEvents, ScanOptions, Scanner, Stats};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

pub fn run(args: ScanArgs, cfg: &Config) -> Result<u8> {
    run_counted(args, cfg).map(|(code, _)| code)
}

/// [`run`], also giving the counts the summary paragraph is made from (the page shows
/// them).
pub fn run_counted(args: ScanArgs, cfg: &Config) -> Result<(u8, Stats)> {
    let matcher = build_matcher(cfg)?;
    let o = cfg.scan();
    let meta = ReportMeta {
        files: args
            .catalogs
            .iter()
            .map(|p| Arc::from(p.display().to_string()))
            .collect(),
        fingerprint: matcher.rules().fingerprint(),
        rules: matcher.rules().len(),
    };
    let opts = o.catalog();
    // Everything that can be refused is read before any output exists: a bad baseline
    // or suppression row, a missing file or column leaves nothing behind.
    let baseline = match o.baseline.as_deref() {
        // The first night of a state file read and written by the same run: there is no
        // baseline yet, every finding is new. Any other missing baseline is an error (a
        // typo must not turn a quiet night into "everything is new").
        Some(p) if !p.exists() && o.save_baseline.as_deref() == Some(p) => {
            if !o.quiet() {
                eprintln!(
                    "brandscan: {}: no baseline yet, every finding is new; it will be saved there",
                    p.display()
                );
            }
            Some(Baseline::empty(p))
        }
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let suppressions = args
        .suppress
        .as_deref()
        .map(Suppressions::load)
        .transpose()?;
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let triage = Triage::new(baseline, suppressions, today);
    let (readers, open_warnings) = open_catalogs(&args.catalogs, &opts, o.quiet())?;
    let format = o.format();
    let mut saved_out = match &o.save_baseline {
        Some(p) if p.as_os_str() == "-" => bail!("--save-baseline needs a file, not `-`"),
        Some(p) if Some(p) == o.output.as_ref() => {
            bail!("--save-baseline and --output are the same file")
        }
        Some(p) => Some(Output::create(Some(p), &args.catalogs)?),
        None => None,
    };
    #[cfg(feature = "ocr")]
    let pictures = match &o.images {
        Some(dir) => Some((super::images::reader(cfg, dir)?, dir)),
        None => None,
    };
    #[cfg(not(feature = "ocr"))]
    if let Some(dir) = &o.images {
        bail!(
            "`images = \"{}\"` in brandscan.toml: reading pictures needs brandscan built \
             with `--features ocr`; remove the key or use such a build",
            dir.display()
        );
    }
    let mut output = Output::create(o.output.as_deref(), &args.catalogs)?;
    let scanner = Scanner::new(matcher);
    let scan_opts = ScanOptions {
        threads: o.threads(),
        batch_rows: args.batch_rows,
    };
    // A report printed to the same terminal would be torn by the bar's redraws.
    let report_on_terminal =
        o.output.as_ref().is_none_or(|p| p.as_os_str() == "-") && std::io::stdout().is_terminal();
    let progress = Progress::new(&args.catalogs, o.quiet() || report_on_terminal);
    let report_opts = ReportOptions {
        fingerprint_column: o.fingerprint_column(),
        // Only a run that reads pictures has confidences: the columns of a text scan
        // stay the contract's.
        #[cfg(feature = "ocr")]
        confidence_column: pictures.is_some(),
        #[cfg(not(feature = "ocr"))]
        confidence_column: false,
        saved_on: None,
    };
    let (stats, worst) = {
        let report = new_report_with(format, meta.clone(), &report_opts, Box::new(&mut output));
        // The saved baseline always carries the fingerprint and the run's date: the next
        // run compares the lists, and tells findings a suppression hid since from known ones.
        let saved = saved_out.as_mut().map(|o| {
            let opts = ReportOptions {
                fingerprint_column: true,
                confidence_column: false,
                saved_on: Some(today),
            };
            new_report_with(Format::Csv, meta.clone(), &opts, Box::new(o))
        });
        let mut sink = Sink {
            report,
            saved,
            triage,
            progress: &progress,
            worst: None,
            quiet: o.quiet(),
        };
        #[cfg(feature = "ocr")]
        let mut stats = match &pictures {
            Some((pics, _)) => {
                let m = scanner.matcher();
                brandscan::scan::scan_catalogs_with(
                    &scanner,
                    readers,
                    &scan_opts,
                    &mut sink,
                    |rec, scratch, found| pics.scan_step(m, &meta.files, rec, scratch, found),
                )?
            }
            None => scan_catalogs(&scanner, readers, &scan_opts, &mut sink)?,
        };
        #[cfg(not(feature = "ocr"))]
        let mut stats = scan_catalogs(&scanner, readers, &scan_opts, &mut sink)?;
        progress.clear();
        let Sink {
            mut report,
            saved,
            triage,
            worst,
            ..
        } = sink;
        if !triage.is_empty() {
            stats.triage = Some(triage.finish());
        }
        stats.warnings += open_warnings;
        report.finish(&stats)?;
        if let Some(mut saved) = saved {
            saved.finish(&stats)?;
        }
        (stats, worst)
    };
    if o.strict() && (stats.rows_rejected > 0 || stats.warnings > 0) {
        // The counts still go to stderr: they say what to fix.
        if !o.quiet() {
            eprintln!("{}", paragraph(&stats, &meta));
        }
        bail!(
            "--strict: {} rejected, {}: no report written",
            plural(stats.rows_rejected, "row"),
            plural(stats.warnings, "catalog warning")
        );
    }
    output.commit()?;
    if let Some(saved) = saved_out {
        saved.commit()?;
    }
    if !o.quiet() {
        eprintln!("{}", paragraph(&stats, &meta));
        #[cfg(feature = "ocr")]
        if let Some((pics, dir)) = &pictures {
            eprintln!("{}", super::images::summary(&pics.stats(), dir));
        }
    }
    let code = match worst {
        Some(a) if o.fail_on().reached_by(a) => 1,
        _ => 0,
    };
    Ok((code, stats))
}

struct Sink<'a> {
    report: Box<dyn Report + 'a>,
    /// The `--save-baseline` report: every finding that is not suppressed.
    saved: Option<Box<dyn Report + 'a>>,
    triage: Triage,
    progress: &'a Progress,
    /// The strictest action reported: what the exit code is made from.
    worst: Option<Action>,
    quiet: bool,
}

impl ScanEvents for Sink<'_> {
    fn filter(&mut self, rec: &mut RecordFindings) -> brandscan::Result<()> {
        if self.triage.is_empty() {
            if let Some(saved) = &mut self.saved {
                saved.record(rec)?;
            }
            return Ok(());
        }
        let verdicts = self.triage.judge(rec);
        if let Some(saved) = &mut self.saved {
            if verdicts.contains(&Verdict::Suppressed) {
                let mut kept = rec.clone();
                let mut v = verdicts.iter();
                kept.findings
                    .retain(|_| v.next() != Some(&Verdict::Suppressed));
                if !kept.findings.is_empty() {
                    saved.record(&kept)?;
                }
            } else {
                saved.record(rec)?;
            }
        }
        let mut v = verdicts.iter();
        rec.findings.retain(|_| v.next() == Some(&Verdict::New));
        Ok(())
    }

    fn record(&mut self, rec: &RecordFindings) -> brandscan::Result<()> {
        self.worst = self.worst.max(rec.action());
        self.report.record(rec)
    }

    fn record_with_text(
        &mut self,
        rec: &RecordFindings,
        text: &dyn FieldText,
    ) -> brandscan::Result<()> {
        self.worst = self.worst.max(rec.action());
        self.report.record_with_text(rec, text)
    }

    fn bad_row(&mut self, bad: &BadRow) -> brandscan::Result<()> {
        self.progress.eprintln(&format_args!("brandscan: {bad}"));
        Ok(())
    }

    fn progress(&mut self, bytes: u64) {
        self.progress.set(bytes);
    }

    fn notice(&mut self, notice: &Notice) -> brandscan::Result<()> {
        if notice.level == NoticeLevel::Warning || !self.quiet {
            self.progress.eprintln(&format_args!("brandscan: {notice}"));
        }
        Ok(())
    }
}

/// Open every catalog before any output exists, saying on stderr which columns each is
/// read by and what was noticed at open; also the warnings among those notices.
pub fn open_catalogs(
    paths: &[PathBuf],
    opts: &CatalogOptions,
    quiet: bool,
) -> Result<(Vec<CatalogReader>, u64)> {
    let mut readers = Vec::new();
    let mut warnings = 0;
    for path in paths {
        let mut reader = CatalogReader::open(path, opts)?;
        if !quiet {
            eprintln!("brandscan: {}", describe(&reader));
        }
        for n in reader.take_notices() {
            warnings += u64::from(n.level == NoticeLevel::Warning);
            print_notice(&n, quiet);
        }
        readers.push(reader);
    }
    Ok((readers, warnings))
}

/// Warnings always reach stderr, like bad rows; notes only without --quiet.
pub fn print_notice(n: &Notice, quiet: bool) {
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

/// The one-paragraph summary printed to stderr after every scan.
pub fn paragraph(stats: &Stats, meta: &ReportMeta) -> String {
    let secs = stats.elapsed.as_secs_f64();
    let mut s = format!(
        "brandscan: read {} ({} scanned, {} rejected) in {:.2} s, {:.1} MB/s; {} flagged: {} remove, {} hide, {} review; {}",
        plural(stats.rows_read, "row"),
        stats.rows_scanned,
        stats.rows_rejected,
        secs,
        stats.bytes as f64 / 1e6 / secs.max(1e-9),
        plural(stats.listings_flagged(), "listing"),
        stats.listings(Action::Remove),
        stats.listings(Action::Hide),
        stats.listings(Action::Review),
        plural(stats.findings, "finding"),
    );
    let top: Vec<String> = stats
        .top_brands(5)
        .into_iter()
        .map(|(b, s)| format!("{b} ({})", s.listings))
        .collect();
    if !top.is_empty() {
        s.push_str(&format!("; top brands: {}", top.join(", ")));
    }
    for (group, b) in stats.apart_from_brands() {
        s.push_str(&format!(
            "; {}: {}",
            group.trim_matches(['(', ')']),
            plural(b.listings, "listing")
        ));
    }
    s.push_str(&format!(
        ". Word lists: {}, {}.",
        plural(meta.rules, "rule"),
        meta.fingerprint
    ));
    if let Some(t) = &stats.triage {
        s.push_str(&triage_sentences(t, meta));
    }
    s
}

/// At most this many suppressions are named in the paragraph; the summary names all.
const NAMED: usize = 3;

fn triage_sentences(t: &TriageStats, meta: &ReportMeta) -> String {
    let mut s = String::new();
    if let Some(b) = &t.baseline {
        s.push_str(&format!(
            " Against the baseline {}: {} new, {} unchanged, {} resolved.",
            b.path.display(),
            b.new,
            b.unchanged,
            b.resolved
        ));
        if let Some(fp) = b.fingerprint.as_deref().filter(|f| *f != meta.fingerprint) {
            s.push_str(&format!(
                " The word lists changed since the baseline ({fp} then): new findings may come from new rules."
            ));
        }
    }
    if let Some(x) = &t.suppressions {
        s.push_str(&format!(
            " Suppressed {} ({} holding on {}).",
            plural(x.suppressed, "finding"),
            plural(x.active, "suppression"),
            x.today
        ));
        for (what, list) in [("Expired", &x.expired), ("Unused", &x.unused)] {
            if list.is_empty() {
                continue;
            }
            let named: Vec<String> = list.iter().take(NAMED).map(|x| x.to_string()).collect();
            let more = list.len().saturating_sub(NAMED);
            s.push_str(&format!(
                " {what} suppressions in {} ({}): {}{}.",
                x.path.display(),
                list.len(),
                named.join("; "),
                if more > 0 {
                    format!("; and {more} more (see -f summary)")
                } else {
                    String::new()
                }
            ));
        }
    }
    s
}
