//! The naive scanner the performance issue compares against: csv + aho-corasick
//! (leftmost-longest, `ascii_case_insensitive`) + rayon + ASCII word boundaries, with
//! NFKC and lowercase on every field when `--nfkc` is given. Counts matches; prints the
//! count. Used only by `benches/compare.sh`.
//!
//! `cargo run --release --example naive_scan -- [--nfkc] WORDS.txt CATALOG.csv`

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let nfkc = args.first().is_some_and(|a| a == "--nfkc");
    if nfkc {
        args.remove(0);
    }
    let [words, catalog] = args.as_slice() else {
        eprintln!("usage: naive_scan [--nfkc] WORDS.txt CATALOG.csv");
        std::process::exit(2);
    };
    let run = || -> Result<u64, Box<dyn std::error::Error>> {
        let terms: Vec<String> = std::fs::read_to_string(words)?
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| l.trim().to_lowercase())
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&terms)?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(catalog)?;
        let mut total = 0u64;
        let mut batch: Vec<csv::ByteRecord> = Vec::with_capacity(4096);
        let mut rec = csv::ByteRecord::new();
        loop {
            let more = rdr.read_byte_record(&mut rec)?;
            if more {
                batch.push(rec.clone());
            }
            if batch.len() == 4096 || (!more && !batch.is_empty()) {
                total += batch
                    .par_iter()
                    .map(|r| {
                        r.iter()
                            .map(|f| {
                                let text = String::from_utf8_lossy(f);
                                let text = if nfkc {
                                    std::borrow::Cow::Owned(
                                        text.nfkc().collect::<String>().to_lowercase(),
                                    )
                                } else {
                                    text
                                };
                                let b = text.as_bytes();
                                ac.find_iter(b)
                                    .filter(|m| {
                                        let before = m.start() == 0
                                            || !b[m.start() - 1].is_ascii_alphanumeric();
                                        let after = m.end() == b.len()
                                            || !b[m.end()].is_ascii_alphanumeric();
                                        before && after
                                    })
                                    .count() as u64
                            })
                            .sum::<u64>()
                    })
                    .sum::<u64>();
                batch.clear();
            }
            if !more {
                break;
            }
        }
        Ok(total)
    };
    match run() {
        Ok(n) => println!("{n}"),
        Err(e) => {
            eprintln!("naive_scan: {e}");
            std::process::exit(2);
        }
    }
}
