//! `rcdk diff [STACKS]`: compares the synthesized stacks with a baseline: the deployed stacks
//! (GetTemplate under the lookup role, else the deploy role, else the current credentials), or
//! `--template FILE`, or `--from DIR`.

use std::io::Write;

use anstyle::Style;
use serde_json::Value;

use crate::app_exec::Session;
use crate::assembly::{Assembly, DefaultSelection, Stack};
use crate::aws::AwsProvider;
use crate::cli::{DiffArgs, GlobalOpts};
use crate::context::absolute;
use crate::deploy::console::{with_console, ConsoleMode};
use crate::deploy::env::ResolvedEnv;
use crate::deploy::{DeployOptions, Deployer};
use crate::diff::{diff_templates, write_template_diff, FormatOptions, TemplateDiff};
use crate::error::{CliError, Result};
use crate::yaml::read_template;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// The `diff` command.
pub struct Diff<'a> {
    /// Its arguments.
    pub args: &'a DiffArgs,
}

/// Where the old templates come from.
enum Baseline<'a> {
    Template(Value),
    Assembly(Assembly),
    Deployed(Deployer<'a>),
}

impl Baseline<'_> {
    /// The old template for `stack`: from `--from`, the stack with the same artifact ID (else
    /// the same display name); a stack missing there is new (empty baseline). Deployed: the
    /// stack's template, `{}` when it does not exist.
    fn template_for(&self, stack: &Stack, err: &mut dyn Write) -> Result<Value> {
        match self {
            Baseline::Deployed(deployer) => {
                with_console(&mut std::io::sink(), err, ConsoleMode::default(), |p| {
                    deployer.deployed_template(stack, &p)
                })?
            }
            Baseline::Template(t) => Ok(t.clone()),
            Baseline::Assembly(a) => {
                let old = a.stack(&stack.id).or_else(|| {
                    a.stacks
                        .iter()
                        .find(|s| s.display_name == stack.display_name)
                });
                match old {
                    Some(s) => s.template(),
                    None => Ok(Value::Object(Default::default())),
                }
            }
        }
    }
}

/// How to diff without AWS, added to errors that say AWS cannot be used.
pub const OFFLINE_HINT: &str = "to diff without AWS, compare with a local template (--template FILE) or a previous assembly (--from DIR)";

/// `e` with [`OFFLINE_HINT`] when it says that AWS could not be used at all (unreachable
/// endpoint, no credentials, no region).
fn with_offline_hint(e: CliError) -> CliError {
    match e {
        CliError::Aws { action, mut source } if source.is_local_failure() => {
            source.message = format!("{}; {OFFLINE_HINT}", source.message);
            CliError::Aws { action, source }
        }
        CliError::NoRegion { what } => CliError::NoRegion {
            what: format!("{what} ({OFFLINE_HINT})"),
        },
        other => other,
    }
}

impl Diff<'_> {
    /// Writes each selected stack's differences to `out`, then
    /// `Number of stacks with differences: N`. Returns 1 with `--fail` when there are
    /// differences.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        if self.args.template.is_none() && self.args.from.is_none() {
            let provider = super::sdk_provider(global)?;
            return self
                .run_with(global, session, Some(&provider), out, err)
                .map_err(with_offline_hint);
        }
        self.run_with(global, session, None, out, err)
    }

    /// Like [`Diff::run`], with the provider used to read deployed templates (needed only
    /// without `--template` / `--from`).
    pub fn run_with(
        &self,
        global: &GlobalOpts,
        session: &Session,
        provider: Option<&dyn AwsProvider>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let args = self.args;
        let options = DeployOptions::default();
        let access = match provider {
            Some(p) => crate::lookups::LookupAccess::Given(p),
            None => crate::lookups::LookupAccess::Lazy(global),
        };
        let assembly = super::load_assembly_with(global, session, access, err)?;
        let stacks = assembly.select(&args.selection, DefaultSelection::TopLevel)?;
        let baseline = match (&args.template, &args.from) {
            (Some(file), _) => {
                if stacks.len() != 1 {
                    return Err(CliError::NotSingle {
                        what: "diff --template".into(),
                        selected: stacks.iter().map(|s| s.display_name.clone()).collect(),
                    });
                }
                Baseline::Template(read_template(&absolute(&session.cwd, file))?)
            }
            (None, Some(dir)) => Baseline::Assembly(Assembly::load(&absolute(&session.cwd, dir))?),
            (None, None) => match provider {
                Some(p) => Baseline::Deployed(Deployer::new(p, &options)),
                None => {
                    return Err(CliError::InvalidArg {
                        what: "diff baseline".into(),
                        value: String::new(),
                        problem: "no AWS access to read the deployed stacks".into(),
                    })
                }
            },
        };

        let opts = FormatOptions {
            context_lines: args.context_lines,
            security_only: args.security_only,
        };
        let mut with_differences = 0;
        for stack in &stacks {
            let old = baseline.template_for(stack, err)?;
            let mut diff = self.diff_stack(&old, stack)?;
            for (id, path) in stack.construct_paths()? {
                diff.paths.entry(id).or_insert(path);
            }
            let differs = if args.security_only {
                !diff.iam.is_empty() || !diff.security_groups.is_empty()
            } else {
                !diff.is_empty()
            };
            // Against the deployed stack, the header names its environment, as cdk's does.
            let environment = match &baseline {
                Baseline::Deployed(d) => ResolvedEnv::resolve(
                    &stack.environment,
                    d.ctx.provider,
                    &format!("stack {}", stack.display_name),
                )
                .ok()
                .map(|e| format!(" {DIM}({}){DIM:#}", e.name()))
                .unwrap_or_default(),
                _ => String::new(),
            };
            writeln!(
                out,
                "{BOLD}Stack {}{BOLD:#}{environment}",
                stack.display_name
            )?;
            if differs {
                with_differences += 1;
                write_template_diff(out, &diff, &opts)?;
            } else {
                writeln!(out, "There were no differences")?;
            }
            writeln!(out)?;
        }
        writeln!(
            out,
            "✨  Number of stacks with differences: {with_differences}"
        )?;
        Ok(u8::from(args.fail && with_differences > 0))
    }

    fn diff_stack(&self, old: &Value, stack: &Stack) -> Result<TemplateDiff> {
        let diff = diff_templates(old, &stack.template()?);
        Ok(if self.args.strict {
            diff
        } else {
            diff.without_cdk_noise()
        })
    }
}
