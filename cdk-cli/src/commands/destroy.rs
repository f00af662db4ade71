//! `rcdk destroy [STACKS]`: deletes the selected stacks and the stacks that depend on them, in
//! reverse dependency order, after a confirmation (unless `--force`).

use std::io::Write;

use crate::app_exec::Session;
use crate::assembly::{DefaultSelection, Stack};
use crate::aws::AwsProvider;
use crate::cli::{DestroyArgs, GlobalOpts};
use crate::deploy::console::with_console;
use crate::deploy::{DeployOptions, Deployer};
use crate::error::{CliError, Result};

use super::{InFlight, Terminal};

/// The `destroy` command.
pub struct Destroy<'a> {
    /// Its arguments.
    pub args: &'a DestroyArgs,
}

impl Destroy<'_> {
    /// Destroys with the AWS SDK and this process's terminal.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let provider = super::sdk_provider(global)?;
        let in_flight = InFlight::default();
        super::on_interrupt(&provider, in_flight, "destroying");
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut terminal = Terminal::of_process(&mut input);
        self.run_with(global, session, &provider, &mut terminal, out, err)
    }

    /// Destroys with the given provider and terminal (tests pass fakes).
    pub fn run_with(
        &self,
        global: &GlobalOpts,
        session: &Session,
        provider: &dyn AwsProvider,
        terminal: &mut Terminal<'_>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let assembly = super::load_assembly_with(
            global,
            session,
            crate::lookups::LookupAccess::Given(provider),
            err,
        )?;
        let mut selection = self.args.selection.clone();
        let downstream = !selection.exclusively;
        selection.exclusively = true;
        let chosen = assembly.select(&selection, DefaultSelection::OnlySingle)?;
        let mut ids: Vec<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
        let order = assembly.stacks_in_order()?;
        if downstream {
            // Add every stack that (transitively) depends on a chosen one.
            for s in &order {
                if !ids.contains(&s.id.as_str())
                    && s.dependencies.iter().any(|d| ids.contains(&d.as_str()))
                {
                    ids.push(&s.id);
                }
            }
        }
        let mut stacks: Vec<&Stack> = order
            .into_iter()
            .filter(|s| ids.contains(&s.id.as_str()))
            .collect();
        stacks.reverse();
        let names: Vec<&str> = stacks.iter().map(|s| s.display_name.as_str()).collect();
        if !self.args.force {
            if !terminal.interactive {
                return Err(CliError::NotApproved(format!(
                    "destroying {} needs a confirmation, but there is no terminal to ask on; rerun with --force",
                    names.join(", ")
                )));
            }
            write!(
                err,
                "Are you sure you want to delete: {} (y/n)? ",
                names.join(", ")
            )?;
            err.flush()?;
            let mut answer = String::new();
            terminal.input.read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES") {
                writeln!(err, "Nothing destroyed.")?;
                return Ok(0);
            }
        }
        let options = DeployOptions {
            polling: terminal.polling,
            console: terminal.console,
            ..Default::default()
        };
        let deployer = Deployer::new(provider, &options);
        let failed = with_console(out, err, options.console, |printer| {
            deployer.destroy(&stacks, &printer)
        })?;
        if failed.is_empty() {
            Ok(0)
        } else {
            Err(CliError::StacksFailed {
                operation: "destruction".into(),
                stacks: failed,
            })
        }
    }
}
