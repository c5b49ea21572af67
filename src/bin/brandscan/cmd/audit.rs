//! `brandscan audit --brand NAME... [--terms FILE] <CATALOG>...` — after a complaint:
//! the complainant's listings, what to change in each, and the store's exposure.

use super::load_lists;
use super::scan::{open_catalogs, print_notice};
use crate::args::AuditArgs;
use crate::output::Output;
use anyhow::{Context, Result};
use brandscan::audit::{select_rules, write_csv, write_html, write_json, Audit, AuditContext};
use brandscan::catalog::{BadRow, Notice};
use brandscan::config::{AuditFormat, Config};
use brandscan::policy::Policy;
use brandscan::report::{plural, ReportMeta};
use brandscan::scan::FieldText;
use brandscan::{
    scan_catalogs, MatcherBuilder, RecordFindings, Rules, ScanEvents, ScanOptions, Scanner,
};
use std::sync::Arc;

pub fn run(args: AuditArgs, cfg: &Config) -> Result<u8> {
    let o = cfg.audit();
    // Everything that can be wrong with the inputs is found before any output is written.
    let policy = match &o.policy {
        Some(path) => Policy::from_path(path)?,
        None => Policy::builtin(),
    };
    let mut complaint = Rules::new();
    for path in &args.terms {
        // The complaint's terms belong to the complainant unless they say otherwise;
        // `brands` is never empty (clap requires --brand).
        let brand = args.brands.first().map_or("", String::as_str);
        complaint.extend(Rules::from_path_for_brand(path, brand)?);
    }
    let rules = select_rules(load_lists(cfg)?, &args.brands, complaint)?;
    let matcher = MatcherBuilder::new()
        .authorized(cfg.authorized.as_deref().unwrap_or_default())
        .build(rules)?;
    let (rule_count, fingerprint) = (matcher.rules().len(), matcher.rules().fingerprint());
    let mut audit = Audit::new(policy, &args.brands, matcher.rules());
    let opts = o.catalog();
    let (readers, _) = open_catalogs(&args.catalogs, &opts, o.quiet())?;
    let files: Vec<Arc<str>> = readers.iter().map(|r| r.name().clone()).collect();
    let mut output = Output::create(o.output.as_deref(), &args.catalogs)?;
    let mut sink = Sink {
        audit: &mut audit,
        // Only the page shows context; the other formats need no field text kept.
        context: (o.format() == AuditFormat::Html).then(AuditContext::new),
        worst: None,
        quiet: o.quiet(),
    };
    let stats = scan_catalogs(
        &Scanner::new(matcher),
        readers,
        &ScanOptions::default(),
        &mut sink,
    )?;
    let Sink { worst, context, .. } = sink;
    let report = audit.finish();
    match o.format() {
        AuditFormat::Csv => write_csv(&report, &files, &mut output)?,
        AuditFormat::Json => write_json(&report, &files, rule_count, &fingerprint, &mut output)?,
        AuditFormat::Html => {
            let meta = ReportMeta {
                files: files.clone(),
                fingerprint: fingerprint.clone(),
                rules: rule_count,
            };
            write_html(&report, &meta, &stats, context.as_ref(), &mut output)?
        }
    }
    output.commit().context("writing the audit")?;
    if !o.quiet() {
        eprintln!(
            "brandscan: audit of {} ({} rejected) with {}, {}: {} to fix.\n{}",
            plural(stats.rows_read, "row"),
            stats.rows_rejected,
            plural(rule_count, "rule"),
            fingerprint,
            plural(report.store.listings, "listing"),
            report.summary()
        );
    }
    Ok(match worst {
        Some(a) if o.fail_on().reached_by(a) => 1,
        _ => 0,
    })
}

struct Sink<'a> {
    audit: &'a mut Audit,
    context: Option<AuditContext>,
    worst: Option<brandscan::Action>,
    quiet: bool,
}

impl ScanEvents for Sink<'_> {
    fn record(&mut self, rec: &RecordFindings) -> brandscan::Result<()> {
        self.worst = self.worst.max(rec.action());
        self.audit.add(rec);
        Ok(())
    }

    fn record_with_text(
        &mut self,
        rec: &RecordFindings,
        text: &dyn FieldText,
    ) -> brandscan::Result<()> {
        if let Some(c) = &mut self.context {
            c.add(rec, text);
        }
        self.record(rec)
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
