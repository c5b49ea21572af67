//! Matcher and normalizer benchmarks: build time, automaton memory and single-thread
//! throughput on titles and on long descriptions, for 100 to 200,000 terms.
//!
//! `cargo bench --bench matcher` prints one table; every figure is the median of several
//! runs. `BENCH_QUICK=1` runs fewer sizes and repetitions. No timing is asserted:
//! these machines are shared and noisy, so compare figures from one run.

#[path = "corpus/mod.rs"]
mod corpus;

use brandscan::normalize::Normalized;
use brandscan::{Matcher, Rules, Scratch};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(reps: usize, mut f: F) -> Duration {
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// Titles and descriptions of a generated catalog.
fn corpus_fields(rows: u64) -> (Vec<String>, Vec<String>) {
    let terms: Vec<String> = real_terms().into_iter().take(2000).collect();
    let cfg = corpus::CorpusConfig {
        rows: Some(rows),
        ..Default::default()
    };
    let mut buf = Vec::new();
    corpus::write_catalog(&cfg, &terms, &mut buf).expect("generate");
    let mut r = csv::Reader::from_reader(buf.as_slice());
    let (mut titles, mut descs) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.expect("generated csv parses");
        titles.push(rec[1].to_string());
        descs.push(rec[2].to_string());
    }
    (titles, descs)
}

fn real_terms() -> Vec<String> {
    include_str!("data/terms_10k.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn terms(n: usize) -> Vec<String> {
    let mut t = real_terms();
    if n > t.len() {
        t.extend(corpus::generate_terms(7, n - t.len()));
    }
    t.truncate(n);
    t
}

fn throughput(m: &Matcher, fields: &[String], reps: usize) -> (f64, usize) {
    let bytes: usize = fields.iter().map(String::len).sum();
    let name: Arc<str> = Arc::from("f");
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    let mut found = 0;
    let d = time(reps, || {
        out.clear();
        for f in fields {
            m.find_into(&name, f, &mut scratch, &mut out);
        }
        found = out.len();
    });
    (bytes as f64 / 1e6 / d.as_secs_f64(), found)
}

fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let reps = if quick { 3 } else { 5 };
    let (titles, descs) = corpus_fields(if quick { 5_000 } else { 20_000 });
    let ascii: Vec<&String> = descs.iter().filter(|d| d.is_ascii()).collect();
    let non_ascii: Vec<&String> = descs.iter().filter(|d| !d.is_ascii()).collect();

    println!("normalize (single thread, median of {reps})");
    for (label, set) in [
        ("ascii descriptions", &ascii),
        ("non-ascii descriptions", &non_ascii),
    ] {
        let bytes: usize = set.iter().map(|s| s.len()).sum();
        let mut n = Normalized::default();
        let d = time(reps, || {
            for s in set.iter() {
                n.normalize(s);
            }
        });
        println!(
            "  {label:<24} {:>8.1} MB/s",
            bytes as f64 / 1e6 / d.as_secs_f64()
        );
    }

    println!();
    println!("matcher (single thread, median of {reps})");
    println!(
        "  {:>8} {:>10} {:>10} {:>12} {:>12} {:>9}",
        "terms", "build ms", "automaton", "titles MB/s", "descr MB/s", "findings"
    );
    let builtin = Rules::builtin().expect("built-in lists");
    let mut sets: Vec<(String, Rules)> = vec![(format!("builtin {}", builtin.len()), builtin)];
    let sizes: &[usize] = if quick {
        &[100, 10_000]
    } else {
        &[100, 10_000, 100_000, 200_000]
    };
    for &n in sizes {
        let list = terms(n).join("\n");
        sets.push((
            n.to_string(),
            Rules::parse_txt("bench.txt", &list).expect("terms parse"),
        ));
    }
    for (label, rules) in sets {
        let build_reps = if rules.len() > 50_000 { 1 } else { reps };
        let mut m = None;
        let d = time(build_reps, || {
            m = Some(Matcher::new(rules.clone()).expect("build"))
        });
        let m = m.expect("built");
        let (t, ft) = throughput(&m, &titles, reps);
        let (dd, fd) = throughput(&m, &descs, reps);
        println!(
            "  {label:>8} {:>10.1} {:>8.1}MB {:>12.1} {:>12.1} {:>9}",
            d.as_secs_f64() * 1e3,
            m.automaton_bytes() as f64 / 1e6,
            t,
            dd,
            ft + fd
        );
    }
}
