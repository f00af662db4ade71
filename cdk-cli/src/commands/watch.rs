//! `rcdk watch [STACKS]`: as `cdk watch`, a first deployment, then one more after every change
//! to the observed files ([`crate::watch`]), one at a time: changes made while a deployment
//! runs queue one more. Hotswaps by default (`--hotswap-fallback`, `--no-hotswap`); approval
//! is never asked. Between deployments the CloudWatch logs of the deployed stacks' functions and
//! log groups are shown (`--logs`, on by default; [`crate::deploy::logs`]). Runs until
//! interrupted (Ctrl-C).

use std::io::Write;
use std::time::Duration;

use crate::app_exec::Session;
use crate::assembly::Stack;
use crate::aws::AwsProvider;
use crate::cli::{DeployArgs, GlobalOpts, RequireApprovalArg, WatchArgs};
use crate::context::Settings;
use crate::deploy::env::ResolvedEnv;
use crate::deploy::logs::{log_groups, now_ms, LogMonitor};
use crate::error::Result;
use crate::watch::WatchPatterns;

use super::deploy::Deploy;
use super::{InFlight, Terminal};

/// How often the observed files are compared.
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);
/// How long the files must stay unchanged before a deployment starts (an editor's save or a
/// `git checkout` is many writes).
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// The `watch` command.
pub struct Watch<'a> {
    /// Its arguments.
    pub args: &'a WatchArgs,
}

impl Watch<'_> {
    /// The arguments of each deployment.
    pub fn deploy_args(&self) -> DeployArgs {
        let a = self.args;
        DeployArgs {
            selection: a.selection.clone(),
            force: a.force,
            no_execute: false,
            concurrency: a.concurrency,
            parameters: a.parameters.clone(),
            tags: Vec::new(),
            require_approval: RequireApprovalArg::Never,
            outputs_file: a.outputs_file.clone(),
            hotswap: !a.no_hotswap && !a.hotswap_fallback,
            hotswap_fallback: a.hotswap_fallback,
            revert_drift: false,
        }
    }

    /// Deploys, then watches until the process is interrupted.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let settings = Settings::load(&session.cwd, global)?;
        let patterns = WatchPatterns::load(&session.cwd, &settings.output)?;
        let provider = super::sdk_provider(global)?;
        let in_flight = InFlight::default();
        super::on_interrupt(&provider, in_flight.clone(), "watching");
        let args = self.deploy_args();
        let deploy = Deploy { args: &args };
        let stdin = std::io::stdin();
        let mut input = stdin.lock();

        let show_logs = self.args.show_logs();
        let mut monitor = LogMonitor::new(now_ms());
        let mut deploy_once =
            |monitor: &mut LogMonitor, out: &mut dyn Write, err: &mut dyn Write| -> Result<()> {
                // As cdk: no log events while deploying; afterwards those since it started.
                monitor.deactivate(now_ms());
                let mut terminal = Terminal::of_process(&mut input);
                let mut stacks = Vec::new();
                if let Err(e) = deploy.run_selecting(
                    global,
                    session,
                    &provider,
                    &mut terminal,
                    &in_flight,
                    &mut stacks,
                    out,
                    err,
                ) {
                    // Keep watching: the next change may fix it.
                    writeln!(err, "❌ {}", crate::error::render_chain(&e))?;
                }
                if show_logs {
                    for stack in &stacks {
                        tail_stack_logs(&provider, stack, monitor, err)?;
                    }
                }
                err.flush()?;
                Ok(())
            };

        let mut seen = patterns.snapshot();
        writeln!(
            err,
            "'watch' is observing {} file(s) under {} (include: {}; exclude: {})",
            seen.files.len(),
            patterns.root.display(),
            patterns.include.join(", "),
            patterns.exclude.join(", ")
        )?;
        writeln!(err, "Triggering initial 'rcdk deploy'")?;
        deploy_once(&mut monitor, out, err)?;
        let mut last_log_read = std::time::Instant::now();
        loop {
            let now = patterns.snapshot();
            let changes = now.changes_since(&seen);
            if changes.is_empty() {
                if show_logs && last_log_read.elapsed() >= crate::deploy::logs::POLL_INTERVAL {
                    monitor.tick(err)?;
                    err.flush()?;
                    last_log_read = std::time::Instant::now();
                }
                std::thread::sleep(POLL_INTERVAL);
                continue;
            }
            // Wait for the writes to settle.
            let mut settled = now;
            loop {
                std::thread::sleep(DEBOUNCE);
                let again = patterns.snapshot();
                if again == settled {
                    break;
                }
                settled = again;
            }
            let changes = settled.changes_since(&seen);
            seen = settled;
            if changes.is_empty() {
                continue;
            }
            for (path, kind) in &changes {
                writeln!(
                    err,
                    "Detected change to '{path}' (type: {}). Triggering 'rcdk deploy'",
                    kind.as_str()
                )?;
            }
            deploy_once(&mut monitor, out, err)?;
            while !patterns.snapshot().changes_since(&seen).is_empty() {
                writeln!(
                    err,
                    "Detected file changes during deployment. Invoking 'rcdk deploy' again"
                )?;
                seen = patterns.snapshot();
                deploy_once(&mut monitor, out, err)?;
            }
        }
    }
}

/// Adds the log groups of a deployed `stack` to `monitor`, read (as cdk) with the stack's lookup
/// role when it can be assumed, else with the current credentials. A stack whose logs cannot be
/// found is reported and skipped.
fn tail_stack_logs(
    provider: &dyn AwsProvider,
    stack: &Stack,
    monitor: &mut LogMonitor,
    err: &mut dyn Write,
) -> Result<()> {
    let found = (|| -> std::result::Result<_, String> {
        let env = ResolvedEnv::resolve(
            &stack.environment,
            provider,
            &format!("stack {}", stack.display_name),
        )
        .map_err(|e| e.to_string())?;
        let lookup_role = stack
            .extra_property(&["lookupRole", "arn"])
            .map(|r| env.substitute(r));
        let (clients, role) = match lookup_role
            .as_deref()
            .and_then(|r| provider.clients(&env.region, Some(r)).ok().map(|c| (c, r)))
        {
            Some((c, role)) => (c, Some(role.to_string())),
            None => (
                provider
                    .clients(&env.region, None)
                    .map_err(|e| e.to_string())?,
                None,
            ),
        };
        let resources = clients
            .cloudformation
            .stack_resources(&stack.stack_name)
            .map_err(|e| e.to_string())?;
        let template = stack.template().map_err(|e| e.to_string())?;
        let logs = provider
            .log_clients(&env.region, role.as_deref())
            .map_err(|e| e.to_string())?;
        Ok((logs, log_groups(&template, &resources)))
    })();
    match found {
        Ok((logs, groups)) => {
            monitor.add_groups(&logs, &groups);
            writeln!(
                err,
                "The following log groups are added: {}",
                groups.join(",")
            )?;
        }
        Err(e) => writeln!(
            err,
            "Error occurred while monitoring logs: {}: {e}",
            stack.display_name
        )?,
    }
    Ok(())
}
