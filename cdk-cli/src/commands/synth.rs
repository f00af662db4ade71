//! `rcdk synth [STACKS]`: runs the app and prints the template of a single selected stack.

use std::io::Write;

use crate::app_exec::Session;
use crate::assembly::{DefaultSelection, Stack};
use crate::cli::{GlobalOpts, SynthArgs};
use crate::error::{CliError, Result};
use crate::yaml::to_yaml;

/// The `synth` command.
pub struct Synth<'a> {
    /// Its arguments.
    pub args: &'a SynthArgs,
}

impl Synth<'_> {
    /// Synthesizes, reports the stacks' warnings on `err` (errors fail the command) and prints
    /// the template of a single selected stack to `out` (YAML, or JSON with `--json`); with
    /// several stacks it reports `Successfully synthesized to <dir>` on `err`, as the cdk CLI
    /// does. `--quiet` prints nothing on success.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let assembly = super::load_assembly(global, session, err)?;
        let stacks = assembly.select(&self.args.selection, DefaultSelection::TopLevel)?;
        for stack in &stacks {
            report_messages(stack, err)?;
        }
        if self.args.quiet {
            return Ok(0);
        }
        if let [stack] = stacks.as_slice() {
            let template = stack.template()?;
            if global.json {
                let text =
                    serde_json::to_string_pretty(&template).map_err(|source| CliError::Json {
                        path: stack.template_path.clone(),
                        source,
                    })?;
                writeln!(out, "{text}")?;
            } else {
                out.write_all(to_yaml(&template)?.as_bytes())?;
            }
        } else {
            writeln!(
                err,
                "Successfully synthesized to {}",
                assembly.dir.display()
            )?;
            // Nothing selected (an app of stages only): every stack is there to choose from.
            let listed = if stacks.is_empty() {
                assembly.stacks_in_order()?
            } else {
                stacks.clone()
            };
            let ids: Vec<&str> = listed.iter().map(|s| s.display_name.as_str()).collect();
            writeln!(
                err,
                "Supply a stack id ({}) to display its template.",
                ids.join(", ")
            )?;
        }
        Ok(0)
    }
}

/// Prints a stack's `aws:cdk:warning` / `aws:cdk:info` metadata to `err`; `aws:cdk:error`
/// entries fail with [`CliError::StackErrors`].
pub fn report_messages(stack: &Stack, err: &mut dyn Write) -> Result<()> {
    for (path, m) in stack.messages("aws:cdk:warning")? {
        writeln!(err, "[Warning at {path}] {m}")?;
    }
    for (path, m) in stack.messages("aws:cdk:info")? {
        writeln!(err, "[Info at {path}] {m}")?;
    }
    let errors: Vec<String> = stack
        .messages("aws:cdk:error")?
        .into_iter()
        .map(|(path, m)| format!("[Error at {path}] {m}"))
        .collect();
    if !errors.is_empty() {
        return Err(CliError::StackErrors {
            stack: stack.display_name.clone(),
            messages: errors,
        });
    }
    Ok(())
}
