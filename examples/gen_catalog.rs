//! Generate a deterministic synthetic marketplace catalog CSV for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_catalog -- --out FILE [--size 1G|100M|…] [--rows N]
//!     [--seed N] [--terms FILE] [--brand-density F] [--evasion-share F]
//!     [--html-share F] [--cjk-share F] [--non-ascii-share F] [--corpus ascii|mixed|cjk]
//! cargo run --release --example gen_catalog -- --gen-terms N --out FILE [--seed N]
//! ```
//!
//! `--out -` writes to stdout. Stats go to stderr.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use corpus::{generate_terms, write_catalog, CorpusConfig};

const USAGE: &str = "\
usage: gen_catalog --out FILE [--size SIZE] [--rows N] [--seed N] [--terms FILE]
                   [--brand-density F] [--evasion-share F] [--html-share F]
                   [--cjk-share F] [--non-ascii-share F] [--desc-words MIN-MAX]
                   [--corpus ascii|mixed|cjk] [--typographic-share F]
       gen_catalog --gen-terms N --out FILE [--seed N]

  --out FILE          output file (`-` for stdout)
  --size SIZE         stop after the row crossing SIZE bytes: 500K, 100M, 1G, 1.5G
                      (binary units; a plain number is bytes)
  --rows N            number of data rows (default 10000 when --size is not given)
  --seed N            PRNG seed (default 42)
  --terms FILE        brand terms: .txt one per line (# comments), or .csv with a
                      `term` column (rows with kind allow/regex skipped);
                      default: a built-in list of ~50 famous brands
  --brand-density F   fraction of rows mentioning a brand (default 0.05)
  --evasion-share F   fraction of brand mentions obfuscated (default 0.1)
  --html-share F      fraction of HTML descriptions (default 0.3)
  --cjk-share F       fraction of rows with Chinese text (default 0.03)
  --non-ascii-share F fraction of rows with accented/other-script text (default 0.05)
  --desc-words A-B    description length in words (default 20-80)
  --corpus NAME       a preset the other flags then adjust: ascii (the defaults),
                      mixed (nearly every row has typographic punctuation, symbols,
                      accented Latin, some full-width forms and Chinese phrases),
                      cjk (Chinese titles and descriptions, Chinese brand names
                      from --terms preferred)
  --typographic-share F fraction of rows with ’ “ ” ™ ® ° × ± — and the like
                      (default 0)
  --gen-terms N       write N invented brand-like terms, one per line, and exit";

#[rustfmt::skip]
const DEFAULT_TERMS: &[&str] = &[
    "Nike", "Adidas", "Puma", "Reebok", "New Balance", "Under Armour", "Converse", "Vans",
    "Asics", "The North Face", "Rolex", "Omega", "Cartier", "Tag Heuer", "Apple", "iPhone",
    "AirPods", "Samsung", "Galaxy", "Sony", "PlayStation", "Nintendo", "Xiaomi", "Huawei",
    "Louis Vuitton", "Gucci", "Prada", "Chanel", "Hermès", "Dior", "Burberry", "Versace", "Fendi",
    "Balenciaga", "Michael Kors", "Coach", "Ray-Ban", "Oakley", "Moncler", "Supreme", "Lego",
    "Disney", "Pokémon", "Tiffany", "Pandora", "Swarovski", "耐克", "阿迪达斯", "路易威登",
    "香奈儿", "华为", "小米",
];

struct Args {
    out: Option<String>,
    gen_terms: Option<usize>,
    terms: Option<String>,
    cfg: CorpusConfig,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(&args) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("gen_catalog: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("gen_catalog: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let out_path = args.out.ok_or("--out FILE is required")?;
    // Read the terms first so a bad --terms leaves no empty output behind.
    let terms: Vec<String> = match (&args.terms, args.gen_terms) {
        (_, Some(_)) => Vec::new(),
        (Some(path), None) => read_terms(path)?,
        (None, None) => DEFAULT_TERMS.iter().map(|s| s.to_string()).collect(),
    };
    let sink: Box<dyn Write> = if out_path == "-" {
        Box::new(io::stdout().lock())
    } else {
        Box::new(File::create(&out_path).map_err(|e| format!("cannot create {out_path}: {e}"))?)
    };
    let mut sink = BufWriter::with_capacity(1 << 20, sink);
    let write_err = |e: io::Error| format!("writing {out_path}: {e}");

    if let Some(n) = args.gen_terms {
        let start = Instant::now();
        for t in generate_terms(args.cfg.seed, n) {
            writeln!(sink, "{t}").map_err(write_err)?;
        }
        sink.flush().map_err(write_err)?;
        eprintln!(
            "gen_catalog: {n} terms to {out_path} in {:.2} s",
            start.elapsed().as_secs_f64()
        );
        return Ok(());
    }

    let start = Instant::now();
    let stats = write_catalog(&args.cfg, &terms, &mut sink).map_err(write_err)?;
    drop(sink);
    let secs = start.elapsed().as_secs_f64();
    let mb = stats.bytes as f64 / 1e6;
    eprintln!(
        "gen_catalog: {} rows, {} bytes ({:.1} MB), {} brand rows ({:.2}%), {} terms, {:.2} s, {:.0} MB/s -> {}",
        stats.rows,
        stats.bytes,
        mb,
        stats.brand_rows,
        100.0 * stats.brand_rows as f64 / (stats.rows.max(1) as f64),
        terms.len(),
        secs,
        mb / secs.max(1e-9),
        out_path
    );
    Ok(())
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        out: None,
        gen_terms: None,
        terms: None,
        cfg: CorpusConfig::default(),
    };
    let mut rows_given = false;
    // The preset first, whatever its place: the other flags adjust it.
    if let Some(i) = args
        .iter()
        .position(|x| x == "--corpus" || x.starts_with("--corpus="))
    {
        let name = match args[i].split_once('=') {
            Some((_, v)) => v.to_string(),
            None => args.get(i + 1).cloned().ok_or("--corpus needs a value")?,
        };
        a.cfg = CorpusConfig::preset(&name)
            .ok_or_else(|| format!("--corpus: expected ascii, mixed or cjk, got {name:?}"))?;
    }
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (flag.as_str(), None),
        };
        let mut value = || -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match name {
            "--out" | "-o" => a.out = Some(value()?),
            "--size" => {
                a.cfg.target_bytes = Some(parse_size(&value()?)?);
                if !rows_given {
                    a.cfg.rows = None;
                }
            }
            "--rows" => {
                a.cfg.rows = Some(parse_num(name, &value()?)?);
                rows_given = true;
            }
            "--seed" => a.cfg.seed = parse_num(name, &value()?)?,
            "--terms" => a.terms = Some(value()?),
            "--gen-terms" => a.gen_terms = Some(parse_num(name, &value()?)?),
            "--brand-density" => a.cfg.brand_density = parse_share(name, &value()?)?,
            "--evasion-share" => a.cfg.evasion_share = parse_share(name, &value()?)?,
            "--html-share" => a.cfg.html_share = parse_share(name, &value()?)?,
            "--cjk-share" => a.cfg.cjk_share = parse_share(name, &value()?)?,
            "--non-ascii-share" => a.cfg.non_ascii_share = parse_share(name, &value()?)?,
            "--typographic-share" => a.cfg.typographic_share = parse_share(name, &value()?)?,
            "--corpus" => {
                value()?;
            }
            "--desc-words" => {
                let v = value()?;
                let (lo, hi) = v
                    .split_once('-')
                    .ok_or_else(|| format!("--desc-words: expected MIN-MAX, got {v:?}"))?;
                a.cfg.description_words = (parse_num(name, lo)?, parse_num(name, hi)?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if a.out.is_none() {
        return Err("--out FILE is required".into());
    }
    Ok(a)
}

fn parse_num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{flag}: not a non-negative integer: {v:?}"))
}

fn parse_share(flag: &str, v: &str) -> Result<f64, String> {
    match v.trim().parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err(format!("{flag}: expected a number from 0 to 1, got {v:?}")),
    }
}

/// `1G`, `100M`, `512K`, `1.5GB`, `1GiB`, `12345` (binary units).
fn parse_size(v: &str) -> Result<u64, String> {
    let s = v.trim().to_ascii_uppercase();
    let s = s
        .strip_suffix("IB")
        .or_else(|| s.strip_suffix('B'))
        .unwrap_or(&s);
    let (num, mult) = match s.chars().last() {
        Some('K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M') => (&s[..s.len() - 1], 1 << 20),
        Some('G') => (&s[..s.len() - 1], 1 << 30),
        Some('T') => (&s[..s.len() - 1], 1 << 40),
        _ => (s, 1),
    };
    match num.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok((n * mult as f64) as u64),
        _ => Err(format!("--size: expected e.g. 100M or 1G, got {v:?}")),
    }
}

/// Brand terms from a `.txt` (one per line, `#` comments, blanks ignored) or a `.csv`
/// with a header holding `term` (rows whose `kind` is `allow` or `regex` are skipped).
fn read_terms(path: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut terms = Vec::new();
    if path.to_ascii_lowercase().ends_with(".csv") {
        let mut lines = text.lines().enumerate();
        let header = match lines.next() {
            Some((_, h)) => split_csv_line(h),
            None => return Err(format!("{path}: empty CSV, expected a header with `term`")),
        };
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let term_col = col("term").ok_or_else(|| format!("{path}: no `term` column"))?;
        let kind_col = col("kind");
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let fields = split_csv_line(line);
            let term = fields.get(term_col).map(|s| s.trim()).unwrap_or("");
            if term.is_empty() {
                eprintln!("gen_catalog: {path}:{}: no term, row skipped", i + 1);
                continue;
            }
            let kind = kind_col.and_then(|k| fields.get(k)).map(|s| s.trim());
            if matches!(kind, Some(k) if k.eq_ignore_ascii_case("allow") || k.eq_ignore_ascii_case("regex"))
            {
                continue;
            }
            terms.push(term.to_string());
        }
    } else {
        for line in text.lines() {
            let t = line.trim();
            if !t.is_empty() && !t.starts_with('#') {
                terms.push(t.to_string());
            }
        }
    }
    if terms.is_empty() {
        return Err(format!("{path}: no terms"));
    }
    Ok(terms)
}

/// Minimal CSV line split: commas outside double quotes; `""` inside quotes is `"`.
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}
