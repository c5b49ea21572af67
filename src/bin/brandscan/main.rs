//! The `brandscan` binary: a thin shell over the library.
//!
//! Exit codes (docs/matching.md#exit-codes): 0 nothing reached `--fail-on`, 1 something did, 2 usage, word
//! list or input error. A closed output pipe exits 0, as ripgrep does.

mod args;
mod cmd;
mod config;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // `serve` handles its own signals; the others may be writing a report.
    if !matches!(cli.command, args::Command::Serve(_)) {
        output::remove_temporary_files_on_signal();
    }
    // Where the report goes, to name it in an error about writing it.
    let report = match &cli.command {
        args::Command::Scan(a) => a.output.clone(),
        args::Command::Audit(a) => a.output.clone(),
        args::Command::Fix(a) => a.output.clone(),
        _ => None,
    };
    let file = &cli.config;
    let result = match cli.command {
        args::Command::Scan(a) => {
            config::merged(file, &a.to_config()).and_then(|c| cmd::scan::run(a, &c))
        }
        args::Command::Check(a) => {
            config::merged(file, &a.to_config()).and_then(|c| cmd::check::run(a, &c))
        }
        args::Command::Fix(a) => {
            config::merged(file, &a.to_config()).and_then(|c| cmd::fix::run(a, &c))
        }
        args::Command::Serve(a) => {
            config::merged(file, &a.to_config()).and_then(|c| cmd::serve::run(a, &c))
        }
        args::Command::Audit(a) => {
            config::merged(file, &a.to_config()).and_then(|c| cmd::audit::run(a, &c))
        }
        args::Command::Wordlist(a) => cmd::wordlist::run(a),
    };
    match result.map_err(|e| output::name_output(e, report.as_deref())) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("brandscan: {}", cmd::error_line(&e));
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
