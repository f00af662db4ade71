//! `rcdk drift [STACKS] [--fail]`: CloudFormation drift detection for the selected stacks, shown
//! as the cdk CLI shows it: per stack the modified resources with each differing property
//! (expected → actual), deleted resources, and resources CloudFormation could not check; with
//! `--fail` the exit status is 1 when something drifted. The stacks are read under their lookup
//! role, else their deploy role, else the current credentials.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::app_exec::Session;
use crate::assembly::{DefaultSelection, Stack};
use crate::aws::{AwsProvider, CloudFormation, ResourceDrift};
use crate::cli::{DriftArgs, GlobalOpts};
use crate::deploy::env::ResolvedEnv;
use crate::deploy::monitor::Polling;
use crate::diff::format::normalized_path;
use crate::error::{CliError, Result};

const BOLD: Style = Style::new().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();

/// The `drift` command.
pub struct Drift<'a> {
    /// Its arguments.
    pub args: &'a DriftArgs,
}

/// Polls before drift detection is given up (with the default polling, about five minutes).
const MAX_POLLS: u32 = 70;

impl Drift<'_> {
    /// Detects drift with the AWS SDK.
    pub fn run(
        &self,
        global: &GlobalOpts,
        session: &Session,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let provider = super::sdk_provider(global)?;
        self.run_with(global, session, &provider, Polling::default(), out, err)
    }

    /// Detects drift with the given provider (tests pass fakes).
    pub fn run_with(
        &self,
        global: &GlobalOpts,
        session: &Session,
        provider: &dyn AwsProvider,
        polling: Polling,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8> {
        let assembly = super::load_assembly_with(
            global,
            session,
            crate::lookups::LookupAccess::Given(provider),
            err,
        )?;
        let stacks = assembly.select(&self.args.selection, DefaultSelection::AllStacks)?;
        let mut drifted = 0;
        for stack in &stacks {
            let cfn = clients_for(stack, provider, err)?;
            let drifts = detect(cfn.as_ref(), stack, polling, err)?;
            let n = write_stack_drift(out, stack, &drifts)?;
            if n > 0 {
                drifted += 1;
            }
        }
        writeln!(out, "Number of stacks with drift: {drifted}")?;
        Ok(u8::from(self.args.fail && drifted > 0))
    }
}

fn clients_for(
    stack: &Stack,
    provider: &dyn AwsProvider,
    err: &mut dyn Write,
) -> Result<std::sync::Arc<dyn CloudFormation>> {
    let env = ResolvedEnv::resolve(
        &stack.environment,
        provider,
        &format!("stack {}", stack.display_name),
    )?;
    let roles = [
        stack.extra_property(&["lookupRole", "arn"]),
        stack.properties.assume_role_arn.as_deref(),
    ];
    let mut failures = Vec::new();
    for role in roles.into_iter().flatten() {
        let role = env.substitute(role);
        match provider.clients(&env.region, Some(&role)) {
            Ok(c) => return Ok(c.cloudformation),
            Err(e) => failures.push(format!("{role} ({e})")),
        }
    }
    if !failures.is_empty() {
        writeln!(
            err,
            "warning: cannot assume {}; detecting drift of {} with the current credentials",
            failures.join(" or "),
            stack.display_name
        )?;
    }
    provider
        .clients(&env.region, None)
        .map(|c| c.cloudformation)
        .map_err(|source| CliError::Aws {
            action: format!("cannot create AWS clients for {}", env.region),
            source,
        })
}

/// Runs a drift detection of `stack` to the end and returns the resources' drifts.
pub fn detect(
    cfn: &dyn CloudFormation,
    stack: &Stack,
    polling: Polling,
    err: &mut dyn Write,
) -> Result<Vec<ResourceDrift>> {
    let aws = |what: &str| {
        let what = format!("{what} of {}", stack.stack_name);
        move |source| CliError::Aws {
            action: what.clone(),
            source,
        }
    };
    writeln!(err, "{}: detecting drift...", stack.display_name)?;
    let id = cfn
        .detect_stack_drift(&stack.stack_name)
        .map_err(aws("cannot start drift detection (DetectStackDrift)"))?;
    let mut polls = 0;
    loop {
        let status = cfn
            .drift_detection_status(&id)
            .map_err(aws("cannot read the drift detection status"))?;
        match status.status.as_str() {
            "DETECTION_COMPLETE" => break,
            "DETECTION_FAILED" => {
                return Err(CliError::Aws {
                    action: format!("drift detection of {} failed", stack.stack_name),
                    source: crate::aws::AwsError {
                        code: Some("DriftDetectionFailed".into()),
                        message: status.reason.unwrap_or_else(|| "no reason given".into()),
                    },
                })
            }
            _ if polls >= MAX_POLLS => {
                return Err(CliError::Aws {
                    action: format!("drift detection of {}", stack.stack_name),
                    source: crate::aws::AwsError::new(
                        "DriftDetectionTimeout",
                        format!("still {} after {polls} polls", status.status),
                    ),
                })
            }
            _ => {
                polling.wait(polls.min(3));
                polls += 1;
            }
        }
    }
    cfn.resource_drifts(&stack.stack_name).map_err(aws(
        "cannot read the resource drifts (DescribeStackResourceDrifts)",
    ))
}

fn label(paths: &std::collections::HashMap<String, String>, id: &str) -> String {
    match paths.get(id) {
        Some(p) => format!("{} {DIM}{id}{DIM:#}", normalized_path(p)),
        None => id.to_string(),
    }
}

/// Writes one stack's drift as cdk does; returns the number of drifted resources.
pub fn write_stack_drift(
    out: &mut dyn Write,
    stack: &Stack,
    drifts: &[ResourceDrift],
) -> Result<usize> {
    let paths = stack.construct_paths().unwrap_or_default();
    let template = stack.template()?;
    let relevant = |d: &&ResourceDrift| d.resource_type != "AWS::CDK::Metadata";
    writeln!(out, "Stack {BOLD}{}{BOLD:#}", stack.display_name)?;
    let modified: Vec<&ResourceDrift> = drifts
        .iter()
        .filter(relevant)
        .filter(|d| d.status == "MODIFIED")
        .collect();
    let deleted: Vec<&ResourceDrift> = drifts
        .iter()
        .filter(relevant)
        .filter(|d| d.status == "DELETED")
        .collect();
    let unchecked: Vec<(String, String)> = template
        .get("Resources")
        .and_then(|r| r.as_object())
        .into_iter()
        .flatten()
        .filter(|(_, r)| r["Type"] != "AWS::CDK::Metadata")
        .filter(|(id, _)| {
            drifts
                .iter()
                .find(|d| &d.logical_id == *id)
                .is_none_or(|d| d.status == "UNKNOWN" || d.status == "NOT_CHECKED")
        })
        .map(|(id, r)| {
            (
                id.clone(),
                r["Type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if !modified.is_empty() {
        writeln!(out, "{BOLD}Modified Resources{BOLD:#}")?;
        for d in &modified {
            writeln!(
                out,
                "{YELLOW}[~]{YELLOW:#} {CYAN}{}{CYAN:#} {}",
                d.resource_type,
                label(&paths, &d.logical_id)
            )?;
            for (i, p) in d.differences.iter().enumerate() {
                let last = i + 1 == d.differences.len();
                let branch = if last { "└" } else { "├" };
                let (mark, update) = match p.kind.as_str() {
                    "ADD" => (format!("{GREEN}[+]{GREEN:#}"), false),
                    "REMOVE" => (format!("{RED}[-]{RED:#}"), false),
                    _ => (format!("{YELLOW}[~]{YELLOW:#}"), true),
                };
                writeln!(out, " {branch}─ {mark} {}", p.path)?;
                if update {
                    writeln!(
                        out,
                        "     ├─ {RED}[-]{RED:#} {RED}{}{RED:#}",
                        p.expected.as_deref().unwrap_or("")
                    )?;
                    writeln!(
                        out,
                        "     └─ {GREEN}[+]{GREEN:#} {GREEN}{}{GREEN:#}",
                        p.actual.as_deref().unwrap_or("")
                    )?;
                }
            }
        }
        writeln!(out)?;
    }
    if !deleted.is_empty() {
        writeln!(out, "{BOLD}Deleted Resources{BOLD:#}")?;
        for d in &deleted {
            writeln!(
                out,
                "{RED}[-]{RED:#} {CYAN}{}{CYAN:#} {}",
                d.resource_type,
                label(&paths, &d.logical_id)
            )?;
        }
        writeln!(out)?;
    }
    if !unchecked.is_empty() {
        writeln!(out, "{BOLD}Unchecked Resources{BOLD:#}")?;
        for (id, ty) in &unchecked {
            writeln!(
                out,
                "{DIM}[ ]{DIM:#} {CYAN}{ty}{CYAN:#} {}",
                label(&paths, id)
            )?;
        }
        writeln!(out)?;
    }
    let n = modified.len() + deleted.len();
    if n == 0 {
        writeln!(out, "{GREEN}No drift detected{GREEN:#}\n")?;
    } else {
        writeln!(
            out,
            "{YELLOW}{n} resource{} {} drifted from their expected configuration{YELLOW:#}\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" }
        )?;
    }
    Ok(n)
}
