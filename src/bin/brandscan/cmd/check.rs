//! `brandscan check` — the pre-publish check of one listing, or a co-process over JSON
//! lines on stdin.

use super::build_matcher;
use crate::args::CheckArgs;
use anyhow::{Context, Result};
use brandscan::check::{check, Listing};
use brandscan::config::{CheckFormat, Config, FailOn};
use brandscan::service::{take_pictures, Pictures};
use brandscan::{Action, Scanner};
use serde_json::Value;
use std::io::{self, BufRead, Write};
#[cfg(feature = "ocr")]
use {brandscan::service::PICTURES_KEY, std::path::Path};

pub fn run(args: CheckArgs, cfg: &Config) -> Result<u8> {
    let scanner = Scanner::new(build_matcher(cfg)?);
    let o = cfg.check();
    if args.jsonl {
        return run_jsonl(&scanner, o.fail_on(), cfg);
    }
    let mut listing = Listing {
        id: args.id.clone(),
        fields: Vec::new(),
    };
    if let Some(t) = &args.title {
        listing.fields.push(("title".into(), t.clone()));
    }
    if let Some(d) = &args.description {
        listing.fields.push(("description".into(), d.clone()));
    }
    #[allow(unused_mut)]
    let mut checked = check(&scanner, &listing, 1);
    #[cfg(feature = "ocr")]
    if !args.image.is_empty() {
        let dir = args.image[0].parent().unwrap_or(std::path::Path::new("."));
        let pics = super::images::reader(cfg, dir)?;
        for path in &args.image {
            let found = pics.check_file(scanner.matcher(), "image", path)?;
            checked.record.findings.extend(found);
        }
    }
    let rec = &checked.record;
    let mut out = io::stdout().lock();
    match o.format() {
        CheckFormat::Json => {
            serde_json::to_writer(&mut out, &checked.to_verdict(false))?;
            writeln!(out)?;
        }
        CheckFormat::Human => {
            writeln!(out, "{}", checked.verdict().to_uppercase())?;
            for f in &rec.findings {
                writeln!(
                    out,
                    "  {} {}..{}  {:?}  term {:?}  brand {}  {} {}  {}{}{}",
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
                    },
                    f.confidence
                        .map(|c| format!("  confidence {c}"))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    out.flush()?;
    // The process ends here: freeing the lists and the automata one allocation at a time
    // would cost a tenth of the check of one listing.
    std::mem::forget(scanner);
    Ok(exit_code(o.fail_on(), checked.action()))
}

/// A JSON line: the listing, and its pictures under `image_data` (read by a build with
/// the `ocr` feature, refused by one without, as `serve` does).
fn parse_line(line: &str) -> std::result::Result<(Listing, Pictures), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let Value::Object(mut obj) = value else {
        let e = Listing::from_value(value).err().unwrap_or_default();
        return Err(format!("not a JSON object: {e}"));
    };
    let pictures = take_pictures(&mut obj, "").map_err(|e| e.0)?;
    Ok((Listing::from_object(obj), pictures))
}

fn exit_code(fail_on: FailOn, worst: Option<Action>) -> u8 {
    match worst {
        Some(a) if fail_on.reached_by(a) => 1,
        _ => 0,
    }
}

/// One JSON object per input line: `id` and any string fields; one verdict per line out,
/// flushed at once so a caller can wait for each answer.
fn run_jsonl(scanner: &Scanner, fail_on: FailOn, cfg: &Config) -> Result<u8> {
    #[cfg(feature = "ocr")]
    let mut reader: Option<brandscan::ocr::PictureReader> = None;
    #[cfg(not(feature = "ocr"))]
    let _ = cfg;
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    let mut worst: Option<Action> = None;
    let mut bad_input = false;
    for (i, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed = parse_line(&line);
        let refuse = |out: &mut io::StdoutLock, e: String| -> Result<()> {
            let msg = serde_json::json!({"error": format!("line {}: {e}", i + 1), "line": i + 1});
            writeln!(out, "{msg}")?;
            out.flush()?;
            Ok(())
        };
        let (listing, pictures) = match parsed {
            Ok(l) => l,
            Err(e) => {
                bad_input = true;
                refuse(&mut out, e)?;
                continue;
            }
        };
        #[allow(unused_mut)]
        let mut checked = check(scanner, &listing, i as u64 + 1);
        #[cfg(feature = "ocr")]
        if !pictures.is_empty() {
            let pics = match &reader {
                Some(r) => r,
                None => reader.insert(super::images::reader(cfg, Path::new("."))?),
            };
            let found = pics.check_pictures(
                scanner.matcher(),
                &pictures,
                &mut brandscan::Scratch::new(),
                &brandscan::Cancel::new(),
            );
            match found {
                Ok(f) => checked.record.findings.extend(f),
                Err((n, e)) => {
                    bad_input = true;
                    refuse(&mut out, format!("{PICTURES_KEY}[{n}]: {e}"))?;
                    continue;
                }
            }
        }
        #[cfg(not(feature = "ocr"))]
        let Pictures {} = pictures;
        worst = worst.max(checked.action());
        serde_json::to_writer(&mut out, &checked.to_verdict(true))?;
        writeln!(out)?;
        out.flush()?;
    }
    if bad_input {
        return Ok(2);
    }
    Ok(exit_code(fail_on, worst))
}
