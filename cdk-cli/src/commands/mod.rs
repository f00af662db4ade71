//! One module per command. Each command is a struct with a `run` that takes its writers, so
//! output can be tested in-process; [`run`] dispatches a parsed [`Cli`].

pub mod completions;
pub mod diff;
pub mod ls;
pub mod synth;

use std::io::Write;

use crate::app_exec::{produce_assembly, Session};
use crate::assembly::Assembly;
use crate::cli::{Cli, Command, GlobalOpts};
use crate::context::Settings;
use crate::error::Result;

/// Runs the parsed command line: data goes to `out`, diagnostics to `err`. Returns the process
/// exit code for a successful run (`diff --fail` with differences returns 1).
pub fn run(cli: &Cli, session: &Session, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match &cli.command {
        Command::Synth(args) => synth::Synth { args }.run(&cli.global, session, out, err),
        Command::Ls(args) => ls::Ls { args }.run(&cli.global, session, out, err),
        Command::Diff(args) => diff::Diff { args }.run(&cli.global, session, out, err),
        Command::Completions(args) => completions::Completions { args }.run(out),
    }
}

/// Loads the settings, runs the app (or takes the given assembly directory) and loads the
/// resulting cloud assembly.
pub fn load_assembly(
    global: &GlobalOpts,
    session: &Session,
    err: &mut dyn Write,
) -> Result<Assembly> {
    let settings = Settings::load(&session.cwd, global)?;
    let dir = produce_assembly(session, &settings, global.verbose, err)?;
    Assembly::load(&dir)
}
