//! `rcdk watch [STACKS]`: as `cdk watch`, a first deployment, then one more after every change
//! to the observed files ([`crate::watch`]), one at a time: changes made while a deployment
//! runs queue one more. Hotswaps by default (`--hotswap-fallback`, `--no-hotswap`); approval
//! is never asked. Runs until interrupted (Ctrl-C).

use std::io::Write;
use std::time::Duration;

use crate::app_exec::Session;
use crate::cli::{DeployArgs, GlobalOpts, RequireApprovalArg, WatchArgs};
use crate::context::Settings;
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

        let mut deploy_once = |out: &mut dyn Write, err: &mut dyn Write| -> Result<()> {
            let mut terminal = Terminal::of_process(&mut input);
            if let Err(e) = deploy.run_with(
                global,
                session,
                &provider,
                &mut terminal,
                &in_flight,
                out,
                err,
            ) {
                // Keep watching: the next change may fix it.
                writeln!(err, "❌ {}", crate::error::render_chain(&e))?;
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
        deploy_once(out, err)?;
        loop {
            let now = patterns.snapshot();
            let changes = now.changes_since(&seen);
            if changes.is_empty() {
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
            deploy_once(out, err)?;
            while !patterns.snapshot().changes_since(&seen).is_empty() {
                writeln!(
                    err,
                    "Detected file changes during deployment. Invoking 'rcdk deploy' again"
                )?;
                seen = patterns.snapshot();
                deploy_once(out, err)?;
            }
        }
    }
}
