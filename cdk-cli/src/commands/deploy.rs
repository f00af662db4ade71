//! `rcdk deploy [STACKS]`: publishes assets and deploys the selected stacks through change sets,
//! in dependency order (see [`crate::deploy`]).

use std::collections::BTreeMap;
use std::io::Write;

use crate::app_exec::Session;
use crate::assembly::{DefaultSelection, Stack};
use crate::aws::AwsProvider;
use crate::cli::{DeployArgs, GlobalOpts, RequireApprovalArg};
use crate::context::absolute;
use crate::deploy::console::with_console;
use crate::deploy::hotswap::{HotswapMode, DRIFT_WARNINGS};
use crate::deploy::{
    parse_parameter, parse_tag, write_outputs_file, DeployOptions, Deployer, RequireApproval,
    StackOutcome,
};
use crate::error::{CliError, Result};

use super::{InFlight, Terminal};

/// The `deploy` command.
pub struct Deploy<'a> {
    /// Its arguments.
    pub args: &'a DeployArgs,
}

impl Deploy<'_> {
    /// Deploys with the AWS SDK, this process's terminal and Ctrl-C handling.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let provider = super::sdk_provider(global)?;
        let in_flight = InFlight::default();
        super::on_interrupt(&provider, in_flight.clone(), "deploying");
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut terminal = Terminal::of_process(&mut input);
        self.run_with(
            global,
            session,
            &provider,
            &mut terminal,
            &in_flight,
            out,
            err,
        )
    }

    /// Options from the arguments.
    pub fn options(&self, session: &Session, terminal: &Terminal<'_>) -> Result<DeployOptions> {
        let args = self.args;
        Ok(DeployOptions {
            force: args.force,
            revert_drift: args.revert_drift,
            no_execute: args.no_execute,
            concurrency: usize::from(args.concurrency),
            parameters: args
                .parameters
                .iter()
                .map(|p| parse_parameter(p))
                .collect::<Result<_>>()?,
            tags: args
                .tags
                .iter()
                .map(|t| parse_tag(t))
                .collect::<Result<BTreeMap<_, _>>>()?,
            require_approval: match args.require_approval {
                RequireApprovalArg::Never => RequireApproval::Never,
                RequireApprovalArg::AnyChange => RequireApproval::AnyChange,
                RequireApprovalArg::Broadening => RequireApproval::Broadening,
            },
            polling: terminal.polling,
            outputs_file: args
                .outputs_file
                .as_ref()
                .map(|f| absolute(&session.cwd, f)),
            console: terminal.console,
            hotswap: if args.hotswap {
                HotswapMode::HotswapOnly
            } else if args.hotswap_fallback {
                HotswapMode::FallBack
            } else {
                HotswapMode::FullDeployment
            },
        })
    }

    /// Deploys with the given provider and terminal (tests pass fakes).
    #[allow(clippy::too_many_arguments)]
    pub fn run_with(
        &self,
        global: &GlobalOpts,
        session: &Session,
        provider: &dyn AwsProvider,
        terminal: &mut Terminal<'_>,
        in_flight: &InFlight,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let mut selected = Vec::new();
        self.run_selecting(
            global,
            session,
            provider,
            terminal,
            in_flight,
            &mut selected,
            out,
            err,
        )
    }

    /// [`Deploy::run_with`], also handing out the selected stacks once they are known (even
    /// when a deployment then fails; `rcdk watch` tails their logs).
    #[allow(clippy::too_many_arguments)]
    pub fn run_selecting(
        &self,
        global: &GlobalOpts,
        session: &Session,
        provider: &dyn AwsProvider,
        terminal: &mut Terminal<'_>,
        in_flight: &InFlight,
        selected: &mut Vec<Stack>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let options = self.options(session, terminal)?;
        let assembly = super::load_assembly_with(
            global,
            session,
            crate::lookups::LookupAccess::Given(provider),
            err,
        )?;
        let stacks = assembly.select(&self.args.selection, DefaultSelection::OnlySingle)?;
        *selected = stacks.iter().map(|s| (*s).clone()).collect();
        let mut deployer = Deployer::new(provider, &options);
        deployer.ctx.in_flight = in_flight.clone();
        deployer.approve(&stacks, terminal.interactive, terminal.input, err)?;
        if options.hotswap != HotswapMode::FullDeployment {
            for warning in DRIFT_WARNINGS {
                writeln!(err, "{warning}")?;
            }
            writeln!(err)?;
        }
        let outcomes = with_console(out, err, options.console, |printer| {
            deployer.deploy(&stacks, &printer)
        })?;
        if let Some(file) = &options.outputs_file {
            write_outputs_file(file, &stacks, &outcomes)?;
        }
        let failed: Vec<String> = stacks
            .iter()
            .zip(&outcomes)
            .filter_map(|(s, o)| match o {
                StackOutcome::Done(_) => None,
                StackOutcome::Failed(why) | StackOutcome::Skipped(why) => {
                    Some(format!("{} ({why})", s.display_name))
                }
            })
            .collect();
        if failed.is_empty() {
            Ok(0)
        } else {
            Err(CliError::StacksFailed {
                operation: "deployment".into(),
                stacks: failed,
            })
        }
    }
}
