//! The `brandscan` binary: a thin shell over the library.
//!
//! Exit codes (SPEC §5): 0 nothing reached `--fail-on`, 1 something did, 2 usage, word
//! list or input error. A closed output pipe exits 0, as ripgrep does.

mod args;
mod cmd;
mod config;
mod output;
mod progress;

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

fn main() -> ExitCode {
    // The matches are kept beside the parsed flags: they tell a typed value from a
    // default, which the brandscan.toml merge needs.
    let parsed = args::Cli::command()
        .try_get_matches()
        .and_then(|m| args::Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let sub = matches.subcommand().map_or(&matches, |(_, m)| m);
    let result = match cli.command {
        args::Command::Scan(mut a) => config::load(&cli.config).and_then(|c| {
            config::apply_scan(&mut a, &c, sub);
            cmd::scan::run(a)
        }),
        args::Command::Check(mut a) => config::load(&cli.config).and_then(|c| {
            config::apply_check(&mut a, &c, sub);
            cmd::check::run(a)
        }),
        args::Command::Fix(mut a) => config::load(&cli.config).and_then(|c| {
            config::apply_fix(&mut a, &c, sub);
            cmd::fix::run(a)
        }),
        args::Command::Serve(mut a) => config::load(&cli.config).and_then(|c| {
            config::apply_serve(&mut a, &c, sub);
            cmd::serve::run(a)
        }),
        args::Command::Audit(mut a) => config::load(&cli.config).and_then(|c| {
            config::apply_audit(&mut a, &c, sub);
            cmd::audit::run(a)
        }),
        args::Command::Wordlist(a) => cmd::wordlist::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("brandscan: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<brandscan::Error>()
                .is_some_and(|b| b.is_broken_pipe())
    })
}
