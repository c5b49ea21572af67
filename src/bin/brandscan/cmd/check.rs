//! `brandscan check` — the pre-publish check of one listing, or a co-process over JSON
//! lines on stdin.

use super::{build_matcher, reaches};
use crate::args::{CheckArgs, CheckFormat};
use anyhow::{Context, Result};
use brandscan::report::FindingRow;
use brandscan::{Action, Finding, RecordFindings, Scanner};
use serde::Serialize;
use std::io::{self, BufRead, Write};

#[derive(Serialize)]
struct Verdict<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    verdict: &'static str,
    findings: Vec<FindingRow<'a>>,
}

/// `remove`, `hide`, `review` or `pass`.
pub fn verdict(findings: &[Finding]) -> &'static str {
    findings
        .iter()
        .map(|f| f.action)
        .max()
        .map_or("pass", Action::as_str)
}

pub fn run(args: CheckArgs) -> Result<u8> {
    let scanner = Scanner::new(build_matcher(&args.rules)?);
    if args.jsonl {
        return run_jsonl(&scanner, &args);
    }
    let mut fields = Vec::new();
    if let Some(t) = &args.title {
        fields.push(("title", t.as_str()));
    }
    if let Some(d) = &args.description {
        fields.push(("description", d.as_str()));
    }
    let rec = RecordFindings {
        listing_id: args.id.clone(),
        row: 1,
        file_index: 0,
        findings: scanner.scan_fields(fields),
    };
    let verdict = verdict(&rec.findings);
    let mut out = io::stdout().lock();
    match args.format {
        CheckFormat::Json => {
            let v = Verdict {
                id: None,
                verdict,
                findings: FindingRow::of(&rec, None).collect(),
            };
            serde_json::to_writer(&mut out, &v)?;
            writeln!(out)?;
        }
        CheckFormat::Human => {
            writeln!(out, "{}", verdict.to_uppercase())?;
            for f in &rec.findings {
                writeln!(
                    out,
                    "  {} {}..{}  {:?}  term {:?}  brand {}  {} {}  {}{}",
                    f.field,
                    f.start,
                    f.end,
                    f.matched,
                    &*f.term,
                    f.brand,
                    f.severity,
                    f.action,
                    f.match_kind,
                    if f.context.as_str().is_empty() {
                        String::new()
                    } else {
                        format!("  context {}", f.context)
                    }
                )?;
            }
        }
    }
    out.flush()?;
    Ok(exit_code(&args, rec.action()))
}

fn exit_code(args: &CheckArgs, worst: Option<Action>) -> u8 {
    match worst {
        Some(a) if reaches(args.fail_on, a) => 1,
        _ => 0,
    }
}

/// One JSON object per input line: `id` and any string fields; one verdict per line out,
/// flushed at once so a caller can wait for each answer.
fn run_jsonl(scanner: &Scanner, args: &CheckArgs) -> Result<u8> {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    let mut worst: Option<Action> = None;
    let mut bad_input = false;
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&line) {
            Ok(o) => o,
            Err(e) => {
                bad_input = true;
                let msg = serde_json::json!({
                    "error": format!("line {}: not a JSON object: {e}", i + 1),
                    "line": i + 1,
                });
                writeln!(out, "{msg}")?;
                out.flush()?;
                continue;
            }
        };
        let id = match obj.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let fields = obj
            .iter()
            .filter(|(k, _)| k.as_str() != "id")
            .filter_map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)));
        let rec = RecordFindings {
            listing_id: id,
            row: i as u64 + 1,
            file_index: 0,
            findings: scanner.scan_fields(fields),
        };
        worst = worst.max(rec.action());
        let v = Verdict {
            id: Some(&rec.listing_id),
            verdict: verdict(&rec.findings),
            findings: FindingRow::of(&rec, None).collect(),
        };
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
        out.flush()?;
    }
    if bad_input {
        return Ok(2);
    }
    Ok(exit_code(args, worst))
}
