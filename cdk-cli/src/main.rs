//! The `rcdk` binary: parses the command line and hands over to [`cdk_cli::commands::run`].

use std::process::ExitCode;

use anyhow::Context;
use cdk_cli::app_exec::Session;
use cdk_cli::cli::Cli;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        // `rcdk synth | head`: a closed pipe is not an error worth reporting.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = anstream::stderr();
            let _ = std::io::Write::flush(&mut anstream::stdout());
            let _ = writeln_error(&mut err, &e);
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    let session = Session::from_process().context("cannot determine the current directory")?;
    let mut out = anstream::stdout().lock();
    // Not locked for the whole run: other threads (the Ctrl-C handler, `-v` traces of AWS calls)
    // write to stderr too.
    let mut err = anstream::stderr();
    let code = cdk_cli::commands::run(cli, &session, &mut out, &mut err)?;
    Ok(code)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<cdk_cli::CliError>(),
        Some(cdk_cli::CliError::Write(io)) if io.kind() == std::io::ErrorKind::BrokenPipe
    )
}

fn writeln_error(w: &mut dyn std::io::Write, e: &anyhow::Error) -> std::io::Result<()> {
    let red = anstyle::AnsiColor::Red.on_default().bold();
    let text = cdk_cli::error::join_messages(e.chain().map(|c| c.to_string()));
    writeln!(w, "{red}error{red:#}: {text}")
}
