//! `brandscan.toml` under the flags: the library reads and checks the file, this fills
//! in every option the command line left unset, for every command but `wordlist`. A flag given on the command line always
//! wins; a list given on the command line (`-w`, `--authorized`) replaces the file's.

use crate::args::{
    AuditArgs, AuditFormat, CheckArgs, CheckFormat, ColumnArgs, ConfigArgs, FailOn, FixArgs,
    RuleArgs, ScanArgs, ScanFormat, ServeArgs,
};
use anyhow::Result;
use brandscan::config::{self, Config};
use brandscan::report::Format;
use clap::parser::ValueSource;
use clap::ArgMatches;

/// The config the flags select: `--config FILE`, none with `--no-config`, else
/// `./brandscan.toml` if it exists.
pub fn load(args: &ConfigArgs) -> Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    if let Some(path) = &args.config {
        return Ok(Config::load(path)?);
    }
    Ok(Config::discover(&std::env::current_dir()?)?.unwrap_or_default())
}

/// True when the user typed the option: a default value does not count.
fn given(m: &ArgMatches, id: &str) -> bool {
    m.value_source(id) == Some(ValueSource::CommandLine)
}

fn fail_on(f: config::FailOn) -> FailOn {
    match f {
        config::FailOn::Remove => FailOn::Remove,
        config::FailOn::Hide => FailOn::Hide,
        config::FailOn::Review => FailOn::Review,
        config::FailOn::Never => FailOn::Never,
    }
}

fn apply_rules(a: &mut RuleArgs, c: &Config) {
    if a.wordlists.is_empty() {
        a.wordlists = c.wordlists.clone().unwrap_or_default();
    }
    if !a.builtin && !a.no_builtin {
        match c.use_builtin() {
            Some(true) => a.builtin = true,
            Some(false) => a.no_builtin = true,
            None => {}
        }
    }
    if a.authorized.is_empty() {
        a.authorized = c.authorized.clone().unwrap_or_default();
    }
}

/// Fill `scan`'s unset options from `c`.
pub fn apply_scan(a: &mut ScanArgs, c: &Config, m: &ArgMatches) {
    apply_rules(&mut a.rules, c);
    let s = &c.scan;
    if let (false, Some(f)) = (given(m, "format"), s.format) {
        a.format = match f {
            Format::Csv => ScanFormat::Csv,
            Format::Jsonl => ScanFormat::Jsonl,
            Format::Listings => ScanFormat::Listings,
            Format::Summary => ScanFormat::Summary,
            Format::Html => ScanFormat::Html,
        };
    }
    if let (false, Some(t)) = (given(m, "threads"), s.threads) {
        a.threads = t;
    }
    if let (false, Some(f)) = (given(m, "fail_on"), c.scan_fail_on()) {
        a.fail_on = fail_on(f);
    }
    a.output = a.output.take().or_else(|| s.output.clone());
    apply_columns(&mut a.columns, &s.id_column, &s.fields, s.delimiter);
    a.baseline = a.baseline.take().or_else(|| s.baseline.clone());
    a.save_baseline = a.save_baseline.take().or_else(|| s.save_baseline.clone());
    a.suppress = a.suppress.take().or_else(|| s.suppress.clone());
    // A switch given on the command line is on; only an absent one takes the file's.
    a.strict = a.strict || s.strict == Some(true);
    a.quiet = a.quiet || s.quiet == Some(true);
    a.fingerprint_column = a.fingerprint_column || s.fingerprint_column == Some(true);
}

/// Fill `check`'s unset options from `c`.
pub fn apply_check(a: &mut CheckArgs, c: &Config, m: &ArgMatches) {
    apply_rules(&mut a.rules, c);
    if let (false, Some(f)) = (given(m, "format"), c.check.format) {
        a.format = match f {
            config::CheckFormat::Human => CheckFormat::Human,
            config::CheckFormat::Json => CheckFormat::Json,
        };
    }
    if let (false, Some(f)) = (given(m, "fail_on"), c.check_fail_on()) {
        a.fail_on = fail_on(f);
    }
}

/// Fill the unset column options from a section of the file (the delimiter as the
/// flag takes it).
fn apply_columns(
    a: &mut ColumnArgs,
    id_column: &Option<String>,
    fields: &Option<Vec<String>>,
    delimiter: Option<u8>,
) {
    a.id_column = a.id_column.take().or_else(|| id_column.clone());
    a.fields = a.fields.take().or_else(|| fields.clone());
    a.delimiter = a
        .delimiter
        .take()
        .or_else(|| delimiter.map(|d| char::from(d).to_string()));
}

/// Fill `audit`'s unset options from `c`.
pub fn apply_audit(a: &mut AuditArgs, c: &Config, m: &ArgMatches) {
    apply_rules(&mut a.rules, c);
    let s = &c.audit;
    if let (false, Some(f)) = (given(m, "format"), s.format) {
        a.format = match f {
            config::AuditFormat::Csv => AuditFormat::Csv,
            config::AuditFormat::Json => AuditFormat::Json,
            config::AuditFormat::Html => AuditFormat::Html,
        };
    }
    if let (false, Some(f)) = (given(m, "fail_on"), c.audit_fail_on()) {
        a.fail_on = fail_on(f);
    }
    a.policy = a.policy.take().or_else(|| s.policy.clone());
    a.output = a.output.take().or_else(|| s.output.clone());
    apply_columns(&mut a.columns, &s.id_column, &s.fields, s.delimiter);
    a.quiet = a.quiet || s.quiet == Some(true);
}

/// Fill `serve`'s unset options from `c`.
pub fn apply_serve(a: &mut ServeArgs, c: &Config, m: &ArgMatches) {
    apply_rules(&mut a.rules, c);
    let s = &c.serve;
    if let (false, Some(l)) = (given(m, "listen"), s.listen) {
        a.listen = l;
    }
    if let (false, Some(b)) = (given(m, "max_body"), s.max_body) {
        a.max_body = b;
    }
    if let (false, Some(t)) = (given(m, "timeout_ms"), s.timeout_ms) {
        a.timeout_ms = t;
    }
    if let (false, Some(t)) = (given(m, "threads"), s.threads) {
        a.threads = t;
    }
}

/// Fill `fix`'s unset options from `c`.
pub fn apply_fix(a: &mut FixArgs, c: &Config, m: &ArgMatches) {
    apply_rules(&mut a.rules, c);
    let s = &c.fix;
    if let (false, Some(t)) = (given(m, "threads"), s.threads) {
        a.threads = t;
    }
    a.changes = a.changes.take().or_else(|| s.changes.clone());
    a.left = a.left.take().or_else(|| s.left.clone());
    apply_columns(&mut a.columns, &s.id_column, &s.fields, s.delimiter);
    a.quiet = a.quiet || s.quiet == Some(true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command};
    use clap::{CommandFactory, FromArgMatches};

    fn scan(cfg: &str, argv: &[&str]) -> ScanArgs {
        let c = Config::parse("b.toml", cfg).unwrap();
        let m = Cli::command()
            .try_get_matches_from(["brandscan", "scan"].iter().chain(argv))
            .unwrap();
        let Command::Scan(mut a) = Cli::from_arg_matches(&m).unwrap().command else {
            unreachable!()
        };
        apply_scan(&mut a, &c, m.subcommand().unwrap().1);
        a
    }

    #[test]
    fn flags_win_over_the_file() {
        let cfg =
            "fail_on = \"review\"\n[scan]\nformat = \"jsonl\"\nthreads = 3\ndelimiter = \"tab\"\n";
        let a = scan(cfg, &["x.csv"]);
        assert_eq!(a.format, ScanFormat::Jsonl);
        assert_eq!(a.threads, 3);
        assert_eq!(a.fail_on, FailOn::Review);
        assert_eq!(a.columns.delimiter.as_deref(), Some("\t"));
        // A typed value wins even when it equals the flag's default.
        let a = scan(
            cfg,
            &["x.csv", "-f", "csv", "-j", "0", "--fail-on", "remove"],
        );
        assert_eq!(a.format, ScanFormat::Csv);
        assert_eq!(a.threads, 0);
        assert_eq!(a.fail_on, FailOn::Remove);
    }

    /// Parse `argv` for `sub` and apply `cfg` with `apply`.
    fn parsed<T>(
        cfg: &str,
        argv: &[&str],
        pick: fn(Command) -> Option<T>,
        apply: fn(&mut T, &Config, &ArgMatches),
    ) -> T {
        let c = Config::parse("b.toml", cfg).unwrap();
        let m = Cli::command()
            .try_get_matches_from(["brandscan"].iter().chain(argv))
            .unwrap();
        let mut a = pick(Cli::from_arg_matches(&m).unwrap().command).unwrap();
        apply(&mut a, &c, m.subcommand().unwrap().1);
        a
    }

    #[test]
    fn audit_serve_and_fix_take_their_tables_and_flags_win() {
        let cfg = "wordlists = [\"l.csv\"]\nfail_on = \"review\"\n\
            [audit]\nformat = \"html\"\npolicy = \"p.toml\"\ndelimiter = \"tab\"\nquiet = true\n\
            [serve]\nlisten = \"127.0.0.1:9999\"\nmax_body = \"2KiB\"\ntimeout_ms = 50\nthreads = 3\n\
            [fix]\nthreads = 2\nchanges = \"c.csv\"\nid_column = \"handle\"\n";
        let audit = |argv: &[&str]| {
            let pick = |c| match c {
                Command::Audit(a) => Some(a),
                _ => None,
            };
            parsed(cfg, argv, pick, apply_audit)
        };
        let a = audit(&["audit", "--brand", "Rolex", "x.csv"]);
        assert_eq!(a.format, AuditFormat::Html);
        assert_eq!(a.fail_on, FailOn::Review, "the top-level fail_on");
        assert_eq!(a.policy, Some("p.toml".into()));
        assert_eq!(a.columns.delimiter.as_deref(), Some("\t"));
        assert!(a.quiet);
        assert_eq!(a.rules.wordlists, vec![std::path::PathBuf::from("l.csv")]);
        let a = audit(&[
            "audit",
            "--brand",
            "Rolex",
            "x.csv",
            "-f",
            "csv",
            "--fail-on",
            "remove",
            "--policy",
            "q.toml",
        ]);
        assert_eq!(a.format, AuditFormat::Csv);
        assert_eq!(a.fail_on, FailOn::Remove);
        assert_eq!(a.policy, Some("q.toml".into()));

        let serve = |argv: &[&str]| {
            let pick = |c| match c {
                Command::Serve(a) => Some(a),
                _ => None,
            };
            parsed(cfg, argv, pick, apply_serve)
        };
        let s = serve(&["serve"]);
        assert_eq!(s.listen, ([127, 0, 0, 1], 9999).into());
        assert_eq!((s.max_body, s.timeout_ms, s.threads), (2048, 50, 3));
        // Typed values win even when they equal the defaults.
        let s = serve(&[
            "serve",
            "--listen",
            "127.0.0.1:8080",
            "--max-body",
            "1MiB",
            "--timeout-ms",
            "5000",
            "-j",
            "0",
        ]);
        assert_eq!(s.listen, ([127, 0, 0, 1], 8080).into());
        assert_eq!((s.max_body, s.timeout_ms, s.threads), (1 << 20, 5000, 0));

        let fix = |argv: &[&str]| {
            let pick = |c| match c {
                Command::Fix(a) => Some(a),
                _ => None,
            };
            parsed(cfg, argv, pick, apply_fix)
        };
        let f = fix(&["fix", "x.csv", "--dry-run"]);
        assert_eq!(f.threads, 2);
        assert_eq!(f.changes, Some("c.csv".into()));
        assert_eq!(f.columns.id_column.as_deref(), Some("handle"));
        let f = fix(&[
            "fix",
            "x.csv",
            "-o",
            "y.csv",
            "-j",
            "0",
            "--id-column",
            "sku",
        ]);
        assert_eq!(f.threads, 0);
        assert_eq!(f.columns.id_column.as_deref(), Some("sku"));
    }

    #[test]
    fn lists_on_the_command_line_replace_the_files() {
        let cfg = "wordlists = [\"a.csv\"]\nauthorized = [\"Nike\"]\nno_builtin = true\n";
        let a = scan(cfg, &["x.csv"]);
        assert_eq!(a.rules.wordlists, vec![std::path::PathBuf::from("a.csv")]);
        assert!(a.rules.no_builtin && !a.rules.builtin);
        let a = scan(
            cfg,
            &["x.csv", "-w", "b.txt", "--authorized", "Gap", "--builtin"],
        );
        assert_eq!(a.rules.wordlists, vec![std::path::PathBuf::from("b.txt")]);
        assert_eq!(a.rules.authorized, vec!["Gap".to_string()]);
        assert!(a.rules.builtin && !a.rules.no_builtin);
    }
}
