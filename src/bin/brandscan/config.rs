//! `brandscan.toml` under the flags, in one place: the library reads and checks the file,
//! each command's flags become a layer of the same [`Config`] type (`to_config` in
//! `args.rs`), and [`merged`] lays the flags over the file. A flag typed on the command
//! line always wins; a list typed on the command line (`-w`, `--authorized`) replaces
//! the file's. `wordlist` takes no options from the file.

use crate::args::ConfigArgs;
use anyhow::Result;
use brandscan::config::{Config, Layer};

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

/// The file selected by `args`, with `flags` laid over it.
pub fn merged(args: &ConfigArgs, flags: &Config) -> Result<Config> {
    let mut cfg = load(args)?;
    cfg.update(flags);
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command};
    use brandscan::config::{
        AuditConfig, AuditFormat, CheckConfig, FailOn, FixConfig, ScanConfig, ServeConfig,
    };
    use brandscan::report::Format;
    use clap::{ArgAction, CommandFactory, Parser};
    use std::collections::BTreeSet;

    /// The command line's layer of `argv`.
    fn flags(argv: &[&str]) -> Config {
        let cli = Cli::try_parse_from(["brandscan"].iter().chain(argv)).unwrap();
        match cli.command {
            Command::Scan(a) => a.to_config(),
            Command::Check(a) => a.to_config(),
            Command::Fix(a) => a.to_config(),
            Command::Serve(a) => a.to_config(),
            Command::Audit(a) => a.to_config(),
            Command::Wordlist(_) => Config::default(),
        }
    }

    /// `cfg` (a brandscan.toml) with the flags of `argv` over it.
    fn merge(cfg: &str, argv: &[&str]) -> Config {
        let mut c = Config::parse("b.toml", cfg).unwrap();
        c.update(&flags(argv));
        c
    }

    /// The commands that take options from the file, with the arguments each needs to
    /// parse at all.
    const COMMANDS: &[(&str, &[&str])] = &[
        ("scan", &["x.csv"]),
        ("check", &["--title", "t"]),
        ("fix", &["x.csv", "--dry-run"]),
        ("serve", &[]),
        ("audit", &["--brand", "b", "x.csv"]),
    ];

    /// Flags that name what a run is about (its inputs), not how it runs: they have no
    /// key on purpose. Anything else without a key is an option someone forgot to wire.
    const NOT_KEYS: &[(&str, &str)] = &[
        ("scan", "catalogs"),
        ("scan", "batch_rows"),
        ("scan", "today"),
        ("check", "title"),
        ("check", "description"),
        ("check", "id"),
        ("check", "jsonl"),
        ("check", "image"),
        ("fix", "catalog"),
        ("fix", "output"),
        ("fix", "brands"),
        ("fix", "terms"),
        ("fix", "dry_run"),
        ("fix", "batch_rows"),
        ("audit", "catalogs"),
        ("audit", "brands"),
        ("audit", "terms"),
    ];

    /// A value to type for a flag: one of its possible values, else one by its value
    /// name. A new value name needs a sample here.
    fn sample(arg: &clap::Arg) -> String {
        if let Some(v) = arg.get_possible_values().last() {
            return v.get_name().to_string();
        }
        let name = arg
            .get_value_names()
            .and_then(|n| n.first())
            .map_or(String::new(), |n| n.to_string());
        match name.as_str() {
            "FILE" => "f.csv",
            "N" | "MIB" | "MS" => "3",
            "SIZE" => "2KiB",
            "ADDR:PORT" => "127.0.0.1:9",
            "NAME" | "BRAND" => "Nike",
            "LABEL" => "gbk",
            "CHAR" => ";",
            "DURATION" => "3s",
            "TOKEN" => "t0ken",
            "HOST" => "scan.example",
            "A,B,..." => "title,tags",
            "DIR" => "pics",
            "CONF" => "0.7",
            other => panic!("--{}: add a sample value for {other}", arg.get_id()),
        }
        .to_string()
    }

    /// The keys a config layer sets, as `key` or `table.key`.
    fn keys_set(c: &Config) -> BTreeSet<String> {
        let serde_json::Value::Object(top) = serde_json::to_value(c).unwrap() else {
            unreachable!("a config is a table")
        };
        let mut keys = BTreeSet::new();
        for (k, v) in top {
            match v {
                serde_json::Value::Object(table) => {
                    keys.extend(table.keys().map(|t| format!("{k}.{t}")))
                }
                _ => {
                    keys.insert(k);
                }
            }
        }
        keys
    }

    /// Every key of the file: the top level's (tables aside) and each table's.
    fn every_key() -> BTreeSet<String> {
        let tables: [(&str, &[&str]); 5] = [
            ("scan", ScanConfig::KEYS),
            ("check", CheckConfig::KEYS),
            ("audit", AuditConfig::KEYS),
            ("serve", ServeConfig::KEYS),
            ("fix", FixConfig::KEYS),
        ];
        let mut keys: BTreeSet<String> = Config::KEYS
            .iter()
            .filter(|k| tables.iter().all(|(t, _)| t != *k))
            .map(|k| k.to_string())
            .collect();
        for (table, table_keys) in tables {
            keys.extend(table_keys.iter().map(|k| format!("{table}.{k}")));
        }
        keys
    }

    /// Every flag of every command that reads the file sets its key (a top-level key or
    /// one of its command's table), and every key is set by some flag. Derived from
    /// clap's view of the command line and the config's own list of keys, so an option
    /// added on one side only fails here.
    #[test]
    fn every_flag_has_its_key_and_every_key_its_flag() {
        let cli = Cli::command();
        let mut unset: BTreeSet<String> = every_key();
        // `fail_on` at the top level is the shared default under each table's own.
        unset.remove("fail_on");
        // A build without pictures has no picture flags; its file still takes the keys.
        #[cfg(not(feature = "ocr"))]
        unset.retain(|k| !brandscan::config::PICTURE_KEYS.contains(&k.as_str()));
        for (name, base) in COMMANDS {
            let sub = cli.find_subcommand(name).unwrap();
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_global_set()
                    || matches!(id, "help" | "version")
                    || NOT_KEYS.contains(&(name, id))
                {
                    continue;
                }
                let flag = format!("--{}", arg.get_long().unwrap_or(id));
                let mut argv: Vec<String> = vec![name.to_string()];
                argv.extend(base.iter().map(|s| s.to_string()));
                argv.push(flag.clone());
                if !matches!(arg.get_action(), ArgAction::SetTrue) {
                    argv.push(sample(arg));
                }
                let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
                let set = keys_set(&flags(&argv));
                let own = [id.to_string(), format!("{name}.{id}")];
                let key = own.iter().find(|k| set.contains(*k)).unwrap_or_else(|| {
                    panic!("`{name} {flag}` sets no key `{id}` or `{name}.{id}` (it sets {set:?}): wire it in to_config, or list it in NOT_KEYS")
                });
                assert!(
                    every_key().contains(key),
                    "`{name} {flag}` sets `{key}`, which the file does not have"
                );
                unset.remove(key);
            }
        }
        assert!(
            unset.is_empty(),
            "keys no flag sets (add the flag, or drop the key): {unset:?}"
        );
    }

    /// docs/configuration.md has a row for every key, with its flag, and no other row.
    #[test]
    fn the_configuration_reference_lists_every_key() {
        let doc = include_str!("../../../docs/configuration.md");
        let mut documented = BTreeSet::new();
        for line in doc.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line
                .split(" | ")
                .map(|c| c.trim_matches('|').trim())
                .collect();
            let key = cells[0].trim_matches('`');
            let full = match cells[1] {
                "top" => key.to_string(),
                table => format!(
                    "{}.{key}",
                    table.trim_matches(|c| c == '`' || c == '[' || c == ']')
                ),
            };
            let flag = format!(
                "--{}",
                if key == "wordlists" {
                    "wordlist".into()
                } else {
                    key.replace('_', "-")
                }
            );
            assert!(
                cells[2].contains(&flag),
                "{full}: the flag cell `{}` lacks {flag}",
                cells[2]
            );
            assert!(documented.insert(full.clone()), "{full} twice");
        }
        assert_eq!(
            documented,
            every_key(),
            "docs/configuration.md and the config's keys differ"
        );
    }

    /// Nothing typed: the flags' layer is empty, so the file's values stand.
    #[test]
    fn flags_not_typed_set_nothing() {
        for (name, base) in COMMANDS {
            let argv: Vec<&str> = std::iter::once(*name).chain(base.iter().copied()).collect();
            let set = keys_set(&flags(&argv));
            assert!(set.is_empty(), "{name}: {set:?}");
        }
    }

    #[cfg(feature = "ocr")]
    #[test]
    fn picture_flags_win_over_the_file_for_scan_check_and_serve() {
        let cfg = "image_trust = 0.9\nno_image_tiles = true\nimage_max_pixels = 500\n\
            [scan]\nimages = \"pics\"\n";
        let c = merge(cfg, &["scan", "x.csv"]);
        assert_eq!(c.scan().images, Some("pics".into()));
        assert_eq!((c.image_trust, c.image_max_pixels()), (Some(0.9), 500));
        let c = merge(
            cfg,
            &["scan", "x.csv", "--images", "other", "--image-trust", "0.6"],
        );
        assert_eq!(c.scan().images, Some("other".into()));
        assert_eq!(c.image_trust, Some(0.6));
        assert!(c.no_image_tiles(), "the file's key stands");
        for argv in [
            &["check", "--title", "t", "--image-max-pixels", "7"][..],
            &["serve", "--image-max-pixels", "7"],
        ] {
            let c = merge(cfg, argv);
            assert_eq!(c.image_max_pixels(), 7, "{argv:?}");
            assert_eq!(c.image_trust, Some(0.9), "{argv:?}");
        }
        let bad = Cli::try_parse_from(["brandscan", "scan", "x.csv", "--image-trust", "1.5"]);
        assert!(bad.unwrap_err().to_string().contains("0 to 1"));
    }

    #[test]
    fn flags_win_over_the_file() {
        let cfg =
            "fail_on = \"review\"\n[scan]\nformat = \"jsonl\"\nthreads = 3\ndelimiter = \"tab\"\n";
        let s = merge(cfg, &["scan", "x.csv"]).scan();
        assert_eq!(s.format(), Format::Jsonl);
        assert_eq!(s.threads(), 3);
        assert_eq!(s.fail_on(), FailOn::Review);
        assert_eq!(s.delimiter, Some(b'\t'));
        // A typed value wins even when it equals the default.
        let s = merge(
            cfg,
            &[
                "scan",
                "x.csv",
                "-f",
                "csv",
                "-j",
                "0",
                "--fail-on",
                "remove",
            ],
        )
        .scan();
        assert_eq!(s.format(), Format::Csv);
        assert_eq!(s.threads(), 0);
        assert_eq!(s.fail_on(), FailOn::Remove);
    }

    #[test]
    fn audit_serve_and_fix_take_their_tables_and_flags_win() {
        let cfg = "wordlists = [\"l.csv\"]\nfail_on = \"review\"\n\
            [audit]\nformat = \"html\"\npolicy = \"p.toml\"\ndelimiter = \"tab\"\nquiet = true\n\
            [serve]\nlisten = \"127.0.0.1:9999\"\nmax_body = \"2KiB\"\ntimeout_ms = 50\nthreads = 3\n\
            [fix]\nthreads = 2\nchanges = \"c.csv\"\nid_column = \"handle\"\n";
        let c = merge(cfg, &["audit", "--brand", "Rolex", "x.csv"]);
        let a = c.audit();
        assert_eq!(a.format(), AuditFormat::Html);
        assert_eq!(a.fail_on(), FailOn::Review, "the top-level fail_on");
        assert_eq!(a.policy, Some("p.toml".into()));
        assert_eq!(a.delimiter, Some(b'\t'));
        assert!(a.quiet());
        assert_eq!(c.wordlists, Some(vec![std::path::PathBuf::from("l.csv")]));
        let a = merge(
            cfg,
            &[
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
            ],
        )
        .audit();
        assert_eq!(a.format(), AuditFormat::Csv);
        assert_eq!(a.fail_on(), FailOn::Remove);
        assert_eq!(a.policy, Some("q.toml".into()));

        let s = merge(cfg, &["serve"]).serve();
        assert_eq!(s.listen(), ([127, 0, 0, 1], 9999).into());
        assert_eq!((s.max_body(), s.timeout_ms(), s.threads()), (2048, 50, 3));
        // Typed values win even when they equal the defaults.
        let s = merge(
            cfg,
            &[
                "serve",
                "--listen",
                "127.0.0.1:8080",
                "--max-body",
                "1MiB",
                "--timeout-ms",
                "5000",
                "-j",
                "0",
            ],
        )
        .serve();
        assert_eq!(s.listen(), ([127, 0, 0, 1], 8080).into());
        assert_eq!(
            (s.max_body(), s.timeout_ms(), s.threads()),
            (1 << 20, 5000, 0)
        );

        let f = merge(cfg, &["fix", "x.csv", "--dry-run"]).fix();
        assert_eq!(f.threads(), 2);
        assert_eq!(f.changes, Some("c.csv".into()));
        assert_eq!(f.id_column.as_deref(), Some("handle"));
        let f = merge(
            cfg,
            &[
                "fix",
                "x.csv",
                "-o",
                "y.csv",
                "-j",
                "0",
                "--id-column",
                "sku",
            ],
        )
        .fix();
        assert_eq!(f.threads(), 0);
        assert_eq!(f.id_column.as_deref(), Some("sku"));
    }

    #[test]
    fn lists_on_the_command_line_replace_the_files() {
        let cfg = "wordlists = [\"a.csv\"]\nauthorized = [\"Nike\"]\nno_builtin = true\n";
        let c = merge(cfg, &["scan", "x.csv"]);
        assert_eq!(c.wordlists, Some(vec![std::path::PathBuf::from("a.csv")]));
        assert_eq!(c.use_builtin(), Some(false));
        let c = merge(
            cfg,
            &[
                "scan",
                "x.csv",
                "-w",
                "b.txt",
                "--authorized",
                "Gap",
                "--builtin",
            ],
        );
        assert_eq!(c.wordlists, Some(vec![std::path::PathBuf::from("b.txt")]));
        assert_eq!(c.authorized, Some(vec!["Gap".to_string()]));
        assert_eq!(c.use_builtin(), Some(true));
        // And the other way round: the flag beats `builtin = true`.
        let c = merge(
            "builtin = true\n",
            &["check", "--title", "t", "--no-builtin"],
        );
        assert_eq!(c.use_builtin(), Some(false));
    }
}
