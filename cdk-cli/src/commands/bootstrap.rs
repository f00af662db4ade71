//! `rcdk bootstrap [aws://ACCOUNT/REGION...]`: creates or updates the bootstrap stack (see
//! [`crate::bootstrap`]).

use std::io::Write;

use crate::app_exec::Session;
use crate::aws::AwsProvider;
use crate::bootstrap::{bootstrap, parse_environment, BootstrapOptions, TEMPLATE};
use crate::cli::{BootstrapArgs, GlobalOpts};
use crate::context::absolute;
use crate::deploy::console::{with_console, GREEN};
use crate::deploy::parse_tag;
use crate::deploy::stack::StackResult;
use crate::error::Result;

use super::{InFlight, Terminal};

/// The `bootstrap` command.
pub struct Bootstrap<'a> {
    /// Its arguments.
    pub args: &'a BootstrapArgs,
}

impl Bootstrap<'_> {
    /// Bootstraps with the AWS SDK.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        if self.args.show_template {
            match &self.args.template {
                Some(file) => {
                    let t = crate::yaml::read_template(&absolute(&session.cwd, file))?;
                    if global.json {
                        writeln!(
                            out,
                            "{}",
                            serde_json::to_string_pretty(&t).unwrap_or_default()
                        )?;
                    } else {
                        out.write_all(crate::yaml::to_yaml(&t)?.as_bytes())?;
                    }
                }
                None if global.json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(crate::bootstrap::template()).unwrap_or_default()
                )?,
                None => out.write_all(TEMPLATE.as_bytes())?,
            }
            return Ok(0);
        }
        // Refuse malformed environments before any AWS configuration is loaded.
        for arg in &self.args.environments {
            parse_environment(arg)?;
        }
        let provider = super::sdk_provider(global)?;
        super::on_interrupt(&provider, InFlight::default(), "bootstrapping");
        let mut input = std::io::empty();
        let terminal = Terminal::of_process(&mut input);
        self.run_with(session, &provider, &terminal, out, err)
    }

    /// The options from the arguments (`--template` is read relative to `session`'s directory).
    pub fn options(&self, session: &Session, terminal: &Terminal<'_>) -> Result<BootstrapOptions> {
        let a = self.args;
        let non_empty = |v: &Vec<String>| {
            let v: Vec<String> = v.iter().filter(|p| !p.is_empty()).cloned().collect();
            (!v.is_empty()).then_some(v)
        };
        Ok(BootstrapOptions {
            trust: non_empty(&a.trust),
            trust_for_lookup: non_empty(&a.trust_for_lookup),
            execution_policies: non_empty(&a.cloudformation_execution_policies),
            qualifier: a.qualifier.clone(),
            toolkit_stack_name: Some(a.toolkit_stack_name.clone()),
            bucket_name: a.bootstrap_bucket_name.clone(),
            kms_key_id: a.bootstrap_kms_key_id.clone(),
            customer_key: a.bootstrap_customer_key,
            public_access_block: a.public_access_block_configuration,
            tags: a.tags.iter().map(|t| parse_tag(t)).collect::<Result<_>>()?,
            termination_protection: a.termination_protection,
            force: a.force,
            no_execute: a.no_execute,
            polling: terminal.polling,
            template: a
                .template
                .as_ref()
                .map(|f| crate::yaml::read_template(&absolute(&session.cwd, f)))
                .transpose()?,
        })
    }

    /// Bootstraps with the given provider (tests pass fakes).
    pub fn run_with(
        &self,
        session: &Session,
        provider: &dyn AwsProvider,
        terminal: &Terminal<'_>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let options = self.options(session, terminal)?;
        let environments = if self.args.environments.is_empty() {
            vec!["aws://unknown-account/unknown-region".to_string()]
        } else {
            self.args.environments.clone()
        };
        let parsed = environments
            .iter()
            .map(|arg| parse_environment(arg))
            .collect::<Result<Vec<_>>>()?;
        for (arg, env) in environments.iter().zip(parsed) {
            with_console(out, err, terminal.console, |printer| {
                let result = bootstrap(provider, &env, &options, &printer)?;
                let note = match result {
                    StackResult::Unchanged { .. } => " (no changes)",
                    StackResult::ChangeSetCreated { .. } => " (change set left for review)",
                    StackResult::Deployed { .. } => "",
                };
                printer.line(format!(
                    " {}  Environment {arg} bootstrapped{note}.",
                    printer.paint(GREEN, "✅")
                ));
                Ok::<(), crate::CliError>(())
            })??;
        }
        Ok(0)
    }
}
