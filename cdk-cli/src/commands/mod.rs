//! One module per command. Each command is a struct with a `run` that takes its writers, so
//! output can be tested in-process; [`run`] dispatches a parsed [`Cli`].

pub mod bootstrap;
pub mod completions;
pub mod context;
pub mod deploy;
pub mod destroy;
pub mod diff;
pub mod drift;
pub mod init;
pub mod ls;
pub mod publish_assets;
pub mod synth;
pub mod watch;

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use crate::app_exec::Session;
use crate::assembly::Assembly;
use crate::aws::sdk::SdkProvider;
use crate::aws::AwsError;
use crate::cli::{Cli, Command, GlobalOpts};
use crate::deploy::console::ConsoleMode;
use crate::deploy::monitor::Polling;
use crate::error::{CliError, Result};
use crate::lookups::LookupAccess;

/// Runs the parsed command line: data goes to `out`, diagnostics to `err`. Returns the process
/// exit code for a successful run (`diff --fail` with differences returns 1).
pub fn run(cli: &Cli, session: &Session, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    match &cli.command {
        Command::Synth(args) => synth::Synth { args }.run(&cli.global, session, out, err),
        Command::Ls(args) => ls::Ls { args }.run(&cli.global, session, out, err),
        Command::Diff(args) => diff::Diff { args }.run(&cli.global, session, out, err),
        Command::Deploy(args) => deploy::Deploy { args }.run(&cli.global, session, out, err),
        Command::Destroy(args) => destroy::Destroy { args }.run(&cli.global, session, out, err),
        Command::Bootstrap(args) => {
            bootstrap::Bootstrap { args }.run(&cli.global, session, out, err)
        }
        Command::Watch(args) => watch::Watch { args }.run(&cli.global, session, out, err),
        Command::Drift(args) => drift::Drift { args }.run(&cli.global, session, out, err),
        Command::Init(args) => init::Init { args }.run(session, err),
        Command::Context(args) => context::Context { args }.run(&cli.global, session, out, err),
        Command::Completions(args) => completions::Completions { args }.run(out),
        Command::PublishAssets(args) => {
            publish_assets::PublishAssets { args }.run(&cli.global, out, err)
        }
    }
}

/// Loads the settings, runs the app (or takes the given assembly directory) and loads the
/// resulting cloud assembly.
pub fn load_assembly(
    global: &GlobalOpts,
    session: &Session,
    err: &mut dyn Write,
) -> Result<Assembly> {
    load_assembly_with(global, session, LookupAccess::Lazy(global), err)
}

/// [`load_assembly`] with the AWS provider to use for context lookups: runs the app, looks up
/// what its manifest lists as `missing` (storing it in cdk.context.json) and runs it again, until
/// nothing is missing (see [`crate::lookups`]).
pub fn load_assembly_with(
    global: &GlobalOpts,
    session: &Session,
    access: LookupAccess<'_>,
    err: &mut dyn Write,
) -> Result<Assembly> {
    crate::lookups::synthesize(global, session, access, err)
}

/// Stacks whose change set is executing, by display name → environment (for the Ctrl-C
/// message).
pub type InFlight = Arc<Mutex<BTreeMap<String, String>>>;

/// How the command talks to the person running it.
pub struct Terminal<'a> {
    /// Whether questions can be asked (stdin and stderr are terminals).
    pub interactive: bool,
    /// Where answers are read from.
    pub input: &'a mut dyn BufRead,
    /// Colours and the live status line.
    pub console: ConsoleMode,
    /// Poll intervals for CloudFormation.
    pub polling: Polling,
}

impl<'a> Terminal<'a> {
    /// This process's terminal: questions only when stdin and stderr are terminals; colours and
    /// the live status when stderr is a terminal (and `NO_COLOR` is unset for colours).
    pub fn of_process(input: &'a mut dyn BufRead) -> Self {
        let tty = std::io::stderr().is_terminal();
        Terminal {
            interactive: tty && std::io::stdin().is_terminal(),
            input,
            console: ConsoleMode {
                color: tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
                live: tty,
            },
            polling: Polling::default(),
        }
    }

    /// A non-interactive terminal that reads answers from `input` and never waits between polls
    /// (for tests with scripted clients).
    pub fn scripted(input: &'a mut dyn BufRead, interactive: bool) -> Self {
        Terminal {
            interactive,
            input,
            console: ConsoleMode::default(),
            polling: Polling::IMMEDIATE,
        }
    }
}

/// The SDK-backed AWS provider (credentials and region from the standard chain and
/// `--profile`).
pub fn sdk_provider(global: &GlobalOpts) -> Result<SdkProvider> {
    SdkProvider::new(global.profile.as_deref())
        .map(|p| p.verbose(global.verbose > 0))
        .map_err(|e| CliError::Aws {
            action: "cannot start the AWS client runtime".into(),
            source: AwsError {
                code: None,
                message: e.to_string(),
            },
        })
}

/// On Ctrl-C: says that CloudFormation carries on with the stacks in flight, then exits 130.
pub fn on_interrupt(provider: &SdkProvider, in_flight: InFlight, doing: &'static str) {
    provider.handle().spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let stacks = in_flight.lock().map(|m| m.clone()).unwrap_or_default();
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "\nInterrupted while {doing}.");
            if stacks.is_empty() {
                let _ = writeln!(err, "No CloudFormation operation of rcdk was running.");
            } else {
                for (stack, env) in &stacks {
                    let _ = writeln!(
                        err,
                        "CloudFormation continues with {stack} ({env}): it finishes or rolls back on its own; check its status in the console or with `aws cloudformation describe-stacks`."
                    );
                }
            }
            std::process::exit(130);
        }
    });
}
