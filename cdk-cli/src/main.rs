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
    let mut err = anstream::stderr().lock();
    let code = cdk_cli::commands::run(cli, &session, &mut out, &mut err)?;
    Ok(code)
}

fn writeln_error(w: &mut dyn std::io::Write, e: &anyhow::Error) -> std::io::Result<()> {
    let red = anstyle::AnsiColor::Red.on_default().bold();
    writeln!(w, "{red}error{red:#}: {e:#}")
}
