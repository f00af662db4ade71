//! Deploying and destroying the stacks of a cloud assembly, as the cdk CLI does: asset
//! publishing ([`assets`]), change sets ([`stack`]), event monitoring ([`monitor`]), approval of
//! IAM-broadening changes, and the scheduling of stacks over their dependency graph
//! ([`Deployer::deploy`], `--concurrency`). AWS is reached only through [`crate::aws`].

pub mod assets;
pub mod console;
pub mod env;
pub mod hotswap;
pub mod logs;
pub mod monitor;
pub mod stack;
pub mod zip;

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::assembly::Stack;
use crate::aws::{url_suffix, AwsProvider, Clients, TemplateSource};
use crate::diff::{diff_templates, format::write_security_changes, PermissionChange};
use crate::error::{CliError, Result};
use console::{with_console, ConsoleMode, Printer, BOLD, GREEN as GREEN_OK, RED};
use env::ResolvedEnv;
use monitor::Polling;
use stack::{deploy_stack, destroy_stack, DeploySettings, StackDeployment, StackResult};

/// Largest template CloudFormation accepts inline (`TemplateBody`).
pub const MAX_TEMPLATE_BODY: usize = 51_200;

/// `--require-approval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequireApproval {
    /// Never ask.
    Never,
    /// Ask for any change.
    AnyChange,
    /// Ask when IAM permissions or security group rules are widened.
    #[default]
    Broadening,
}

/// Options of a deployment.
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// Deploy (and publish assets) even when nothing changed.
    pub force: bool,
    /// Create drift-aware change sets (`--revert-drift`).
    pub revert_drift: bool,
    /// Leave the change set for review (`--no-execute`).
    pub no_execute: bool,
    /// How many independent stacks deploy at once (at least 1).
    pub concurrency: usize,
    /// `--parameters`: (stack pattern or `None` for every stack, key, value).
    pub parameters: Vec<(Option<String>, String, String)>,
    /// `--tags`, added to the manifest's stack tags.
    pub tags: BTreeMap<String, String>,
    /// When to ask for approval.
    pub require_approval: RequireApproval,
    /// Poll intervals.
    pub polling: Polling,
    /// Where to write the outputs as JSON.
    pub outputs_file: Option<PathBuf>,
    /// Console colours and live status.
    pub console: ConsoleMode,
    /// `--hotswap` / `--hotswap-fallback`.
    pub hotswap: hotswap::HotswapMode,
}

/// Shared state of one command run.
pub struct Context<'a> {
    /// Hands out AWS clients.
    pub provider: &'a dyn AwsProvider,
    /// The options.
    pub options: &'a DeployOptions,
    /// Stacks whose change set is executing (for the Ctrl-C message).
    pub in_flight: Arc<Mutex<BTreeMap<String, String>>>,
}

/// Clients for `region` acting as `role` — or, when the role cannot be assumed, with the
/// current credentials after a visible warning (as the cdk CLI does).
pub fn clients_with_fallback(
    ctx: &Context<'_>,
    region: &str,
    role: Option<&str>,
    purpose: &str,
    printer: &Printer,
) -> Result<Clients> {
    match ctx.provider.clients(region, role) {
        Ok(c) => Ok(c),
        // An unreachable endpoint or missing credentials fail the same way without the role.
        Err(e) if role.is_some() && !e.is_local_failure() => {
            printer.warn(format!(
                "cannot assume {} ({e}); {purpose} with the current credentials",
                role.unwrap_or_default()
            ));
            ctx.provider
                .clients(region, None)
                .map_err(|source| CliError::Aws {
                    action: format!("cannot create AWS clients for {region}"),
                    source,
                })
        }
        Err(source) => Err(CliError::Aws {
            action: match role {
                Some(role) => format!("cannot assume {role}"),
                None => format!("cannot create AWS clients for {region}"),
            },
            source,
        }),
    }
}

/// The `https://` URL of an `s3://bucket/key` URL in `env`'s region.
pub fn https_template_url(s3_url: &str, env: &ResolvedEnv) -> Option<String> {
    let rest = env.substitute(s3_url);
    let rest = rest.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/')?;
    Some(format!(
        "https://s3.{}.{}/{bucket}/{key}",
        env.region,
        url_suffix(&env.partition)
    ))
}

/// Parses `--parameters` values: `STACK:KEY=VALUE` or `KEY=VALUE` (every stack).
pub fn parse_parameter(arg: &str) -> Result<(Option<String>, String, String)> {
    let bad = |problem: &str| CliError::InvalidArg {
        what: "--parameters".into(),
        value: arg.to_string(),
        problem: problem.into(),
    };
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| bad("expected STACK:KEY=VALUE or KEY=VALUE"))?;
    let (stack, key) = match name.split_once(':') {
        Some((s, k)) => (Some(s.to_string()), k.to_string()),
        None => (None, name.to_string()),
    };
    if key.is_empty() || stack.as_deref() == Some("") {
        return Err(bad("expected STACK:KEY=VALUE or KEY=VALUE"));
    }
    Ok((stack, key, value.to_string()))
}

/// Parses a `KEY=VALUE` tag.
pub fn parse_tag(arg: &str) -> Result<(String, String)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(CliError::InvalidArg {
            what: "--tags".into(),
            value: arg.to_string(),
            problem: "expected KEY=VALUE".into(),
        }),
    }
}

/// How each stack ended (for the summary and `--outputs-file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackOutcome {
    /// Deployed or unchanged.
    Done(StackResult),
    /// Failed with this summary.
    Failed(String),
    /// Not attempted because a stack it depends on failed.
    Skipped(String),
}

/// Deploys and destroys the stacks of an assembly.
pub struct Deployer<'a> {
    /// The shared state.
    pub ctx: Context<'a>,
}

impl<'a> Deployer<'a> {
    /// A deployer using `provider`.
    pub fn new(provider: &'a dyn AwsProvider, options: &'a DeployOptions) -> Self {
        Deployer {
            ctx: Context {
                provider,
                options,
                in_flight: Arc::new(Mutex::new(BTreeMap::new())),
            },
        }
    }

    /// The deployment of `stack` to `env`, everything resolved.
    fn prepare(&self, stack: &Stack, env: &ResolvedEnv) -> Result<StackDeployment> {
        let template = stack.template()?;
        let props = &stack.properties;
        let mut parameters = props.parameters.clone();
        let declared = template.get("Parameters").and_then(Value::as_object);
        for (pattern, key, value) in &self.ctx.options.parameters {
            let applies = match pattern {
                Some(p) => {
                    crate::assembly::glob::matches(p, &stack.display_name)
                        || crate::assembly::glob::matches(p, &stack.id)
                        || p == &stack.stack_name
                }
                None => true,
            };
            if !applies {
                continue;
            }
            if declared.is_none_or(|d| !d.contains_key(key)) {
                if pattern.is_some() {
                    return Err(CliError::InvalidArg {
                        what: "--parameters".into(),
                        value: format!("{}:{key}", pattern.as_deref().unwrap_or_default()),
                        problem: format!("stack {} has no parameter {key}", stack.display_name),
                    });
                }
                continue;
            }
            parameters.insert(key.clone(), value.clone());
        }
        let mut tags = props.tags.clone();
        tags.extend(self.ctx.options.tags.clone());
        let body =
            std::fs::read_to_string(&stack.template_path).map_err(|source| CliError::Read {
                path: stack.template_path.clone(),
                source,
            })?;
        let template_source = match props
            .stack_template_asset_object_url
            .as_deref()
            .and_then(|u| https_template_url(u, env))
        {
            Some(url) => TemplateSource::Url(url),
            None if body.len() <= MAX_TEMPLATE_BODY => TemplateSource::Body(body),
            None => {
                return Err(CliError::BadArtifact {
                    path: stack.template_path.clone(),
                    stack: stack.id.clone(),
                    problem: format!(
                        "the template is larger than {MAX_TEMPLATE_BODY} bytes and has no stackTemplateAssetObjectUrl to upload it to"
                    ),
                })
            }
        };
        Ok(StackDeployment {
            label: stack.display_name.clone(),
            stack_name: stack.stack_name.clone(),
            template,
            template_source: Some(template_source),
            parameters,
            tags,
            execution_role_arn: props
                .cloud_formation_execution_role_arn
                .as_deref()
                .map(|r| env.substitute(r)),
            termination_protection: props.termination_protection,
            construct_paths: stack.construct_paths()?,
        })
    }

    /// Clients to deploy or destroy `stack` with (`doing`: `deploying` / `destroying`): its
    /// deploy role, falling back to the current credentials.
    fn deploy_clients(
        &self,
        stack: &Stack,
        env: &ResolvedEnv,
        doing: &str,
        printer: &Printer,
    ) -> Result<Clients> {
        let role = stack
            .properties
            .assume_role_arn
            .as_deref()
            .map(|r| env.substitute(r));
        clients_with_fallback(
            &self.ctx,
            &env.region,
            role.as_deref(),
            &format!("{doing} {}", stack.display_name),
            printer,
        )
    }

    /// Checks the bootstrap version parameter against the stack's requirement.
    fn check_bootstrap(&self, stack: &Stack, env: &ResolvedEnv, clients: &Clients) -> Result<()> {
        let props = &stack.properties;
        let (Some(required), Some(name)) = (
            props.requires_bootstrap_stack_version,
            props.bootstrap_stack_version_ssm_parameter.as_deref(),
        ) else {
            return Ok(());
        };
        let value = clients
            .ssm
            .get_parameter(name)
            .map_err(|source| CliError::Aws {
                action: format!(
                    "{}: cannot read the bootstrap version {name}",
                    stack.display_name
                ),
                source,
            })?;
        let Some(value) = value else {
            return Err(CliError::Bootstrap {
                environment: env.name(),
                problem: format!("{} needs a bootstrapped environment, but the SSM parameter {name} does not exist", stack.display_name),
            });
        };
        let version: u32 = value.trim().parse().unwrap_or(0);
        if version < required {
            return Err(CliError::Bootstrap {
                environment: env.name(),
                problem: format!(
                    "{} needs bootstrap version {required} or newer, but {name} is {value}",
                    stack.display_name
                ),
            });
        }
        Ok(())
    }

    /// The deployed template of `stack` (`{}` when it does not exist), read under the lookup
    /// role, else the deploy role, else the current credentials.
    pub fn deployed_template(&self, stack: &Stack, printer: &Printer) -> Result<Value> {
        let env = ResolvedEnv::resolve(
            &stack.environment,
            self.ctx.provider,
            &format!("stack {}", stack.display_name),
        )?;
        let roles = [
            stack.extra_property(&["lookupRole", "arn"]),
            stack.properties.assume_role_arn.as_deref(),
        ];
        let mut clients = None;
        let mut failures = Vec::new();
        for role in roles.into_iter().flatten() {
            let role = env.substitute(role);
            match self.ctx.provider.clients(&env.region, Some(&role)) {
                Ok(c) => {
                    clients = Some(c);
                    break;
                }
                Err(source) if source.is_local_failure() => {
                    return Err(CliError::Aws {
                        action: format!("cannot assume {role}"),
                        source,
                    })
                }
                Err(e) => failures.push(format!("{role} ({e})")),
            }
        }
        let clients = match clients {
            Some(c) => c,
            None => {
                if !failures.is_empty() {
                    printer.warn(format!(
                        "cannot assume {}; reading the deployed template of {} with the current credentials",
                        failures.join(" or "),
                        stack.display_name
                    ));
                }
                self.ctx
                    .provider
                    .clients(&env.region, None)
                    .map_err(|source| CliError::Aws {
                        action: format!("cannot create AWS clients for {}", env.region),
                        source,
                    })?
            }
        };
        let text = clients
            .cloudformation
            .get_template(&stack.stack_name)
            .map_err(|source| CliError::Aws {
                action: format!("cannot read the deployed template of {}", stack.stack_name),
                source,
            })?;
        match text {
            Some(t) => crate::yaml::parse_template(
                &t,
                Path::new(&format!("deployed template of {}", stack.stack_name)),
            ),
            None => Ok(Value::Object(Default::default())),
        }
    }

    /// Asks for approval of the stacks' changes per `--require-approval`. `interactive`: whether
    /// `input` is a terminal; without one, changes that need approval are refused.
    pub fn approve(
        &self,
        stacks: &[&Stack],
        interactive: bool,
        input: &mut dyn BufRead,
        err: &mut dyn Write,
    ) -> Result<()> {
        let mode = self.ctx.options.require_approval;
        if mode == RequireApproval::Never || self.ctx.options.no_execute {
            return Ok(());
        }
        for stack in stacks {
            let deployed = with_console(&mut std::io::sink(), err, ConsoleMode::default(), |p| {
                self.deployed_template(stack, &p)
            })??;
            let diff = diff_templates(&deployed, &stack.template()?).without_cdk_noise();
            let needs = match mode {
                RequireApproval::Never => false,
                RequireApproval::AnyChange => !diff.is_empty(),
                RequireApproval::Broadening => {
                    diff.permission_change() == PermissionChange::Broadening
                }
            };
            if !needs {
                continue;
            }
            let what = if mode == RequireApproval::AnyChange {
                "changes"
            } else {
                "IAM-broadening changes (permissions or security group rules widened)"
            };
            writeln!(err, "{BOLD}Stack {}{BOLD:#}", stack.display_name)?;
            write_security_changes(err, &diff)?;
            if !interactive {
                return Err(CliError::NotApproved(format!(
                    "{} has {what} that need approval (--require-approval {}), but there is no terminal to ask on; review them with `rcdk diff` and rerun with --require-approval never",
                    stack.display_name,
                    if mode == RequireApproval::AnyChange { "any-change" } else { "broadening" }
                )));
            }
            write!(
                err,
                "{} has {what}. Do you wish to deploy them (y/n)? ",
                stack.display_name
            )?;
            err.flush()?;
            let mut answer = String::new();
            input.read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
                return Err(CliError::NotApproved(format!(
                    "deployment of {} aborted: the changes were not approved",
                    stack.display_name
                )));
            }
        }
        Ok(())
    }

    /// A hotswap deployment of `stack` (assets already published): `None` when it has to
    /// deploy through a change set instead (a new or unsettled stack, or with
    /// `--hotswap-fallback` a change that cannot be hotswapped).
    fn try_hotswap(
        &self,
        stack: &Stack,
        env: &ResolvedEnv,
        d: &StackDeployment,
        clients: &Clients,
        printer: &Printer,
    ) -> Result<Option<std::result::Result<StackResult, String>>> {
        use hotswap::{Evaluator, HotswapMode};
        let mode = self.ctx.options.hotswap;
        let label = &stack.display_name;
        let cfn = clients.cloudformation.as_ref();
        let api = |what: &str, source| CliError::Aws {
            action: format!("{label}: {what}"),
            source,
        };
        let Some(info) = cfn
            .describe_stack(&d.stack_name)
            .map_err(|e| api("DescribeStacks", e))?
        else {
            printer.line(format!(
                "{label}: the stack does not exist yet and hotswapping needs a deployed stack; deploying it through CloudFormation"
            ));
            return Ok(None);
        };
        if !info.status.ends_with("_COMPLETE")
            || stack::is_failed_creation(&info.status)
            || info.status.starts_with("DELETE")
        {
            printer.line(format!(
                "{label}: the stack is {}; deploying through CloudFormation instead of hotswapping",
                info.status
            ));
            return Ok(None);
        }
        let deployed = match cfn
            .get_template(&d.stack_name)
            .map_err(|e| api("GetTemplate", e))?
        {
            Some(text) => crate::yaml::parse_template(
                &text,
                Path::new(&format!("deployed template of {}", d.stack_name)),
            )?,
            None => Value::Object(Default::default()),
        };
        let parameters_changed = d
            .parameters
            .iter()
            .any(|(k, v)| info.parameters.get(k) != Some(v));
        if !self.ctx.options.force
            && deployed == d.template
            && !parameters_changed
            && info.tags == d.tags
        {
            printer.line(format!(
                "\n ✨ {}\n",
                printer.paint(
                    BOLD,
                    "hotswap deployment skipped - no changes were detected (use --force to override)"
                )
            ));
            return Ok(Some(Ok(StackResult::Unchanged {
                outputs: info.outputs,
                stack_id: info.stack_id,
            })));
        }
        let mut parameters = BTreeMap::new();
        for (key, declared) in d
            .template
            .get("Parameters")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let value = d
                .parameters
                .get(key)
                .or_else(|| info.parameters.get(key))
                .cloned()
                .or_else(|| match declared.get("Default") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Null) | None => None,
                    Some(other) => Some(other.to_string()),
                });
            if let Some(v) = value {
                parameters.insert(key.clone(), v);
            }
        }
        let physical_ids = cfn
            .stack_resources(&d.stack_name)
            .map_err(|e| api("ListStackResources", e))?
            .into_iter()
            .filter_map(|r| Some((r.logical_id, r.physical_id?)))
            .collect();
        let evaluator = Evaluator {
            template: d.template.clone(),
            parameters,
            physical_ids,
            account: env.account.clone(),
            region: env.region.clone(),
            partition: env.partition.clone(),
            stack_name: d.stack_name.clone(),
            stack_id: info.stack_id.clone(),
        };
        let plan = match hotswap::plan(&deployed, &evaluator) {
            Ok(plan) => Some(plan),
            Err(e) => {
                printer.line(format!(
                    "Could not perform a hotswap deployment, because the CloudFormation template could not be resolved: {e}"
                ));
                None
            }
        };
        if let Some(plan) = &plan {
            hotswap::report_rejected(plan, mode, printer);
        }
        let plan = match plan {
            Some(plan) if mode == HotswapMode::HotswapOnly || plan.rejected.is_empty() => plan,
            unusable => {
                if unusable.is_some() {
                    printer.line(format!(
                        "Could not perform a hotswap deployment, as the stack {label} contains non-Asset changes"
                    ));
                }
                if mode == HotswapMode::FallBack {
                    printer.line("Falling back to doing a full deployment");
                    return Ok(None);
                }
                return Ok(Some(Ok(StackResult::Unchanged {
                    outputs: info.outputs,
                    stack_id: info.stack_id,
                })));
            }
        };
        if plan.operations.is_empty() {
            return Ok(Some(Ok(StackResult::Unchanged {
                outputs: info.outputs,
                stack_id: info.stack_id,
            })));
        }
        let role = stack
            .properties
            .assume_role_arn
            .as_deref()
            .map(|r| env.substitute(r));
        let swapper = match self
            .ctx
            .provider
            .hotswap_clients(&env.region, role.as_deref())
        {
            Ok(h) => h,
            Err(e) if role.is_some() && !e.is_local_failure() => {
                printer.warn(format!(
                    "cannot assume {} ({e}); hotswapping {label} with the current credentials",
                    role.as_deref().unwrap_or_default()
                ));
                self.ctx
                    .provider
                    .hotswap_clients(&env.region, None)
                    .map_err(|source| api("cannot create the hotswap clients", source))?
            }
            Err(source) => return Err(api("cannot create the hotswap clients", source)),
        };
        if let Err(why) = hotswap::apply(&plan, swapper.as_ref(), printer) {
            printer.line(format!(
                "{} {label} {}: {why}",
                printer.paint(RED, "❌"),
                printer.paint(RED, "failed")
            ));
            return Ok(Some(Err(why)));
        }
        printer.line(format!(
            "\n{} {} (hotswapped; CloudFormation was not updated)",
            printer.paint(GREEN_OK, "✅"),
            printer.paint(BOLD, label)
        ));
        printer.line(format!(
            "Your next non-hotswap deployment with {} should include '--revert-drift' to resolve the drift that was introduced while hotswapping.",
            env.name()
        ));
        Ok(Some(Ok(StackResult::Deployed {
            outputs: info.outputs,
            stack_id: info.stack_id,
        })))
    }

    /// Deploys one stack: assets, role, bootstrap check, change set.
    fn deploy_one(&self, stack: &Stack, printer: &Printer) -> StackOutcome {
        let result = (|| -> Result<std::result::Result<StackResult, String>> {
            let env = ResolvedEnv::resolve(
                &stack.environment,
                self.ctx.provider,
                &format!("stack {}", stack.display_name),
            )?;
            printer.line(format!(
                "{}: deploying to {}",
                stack.display_name,
                env.name()
            ));
            let deployment = self.prepare(stack, &env)?;
            assets::publish(
                &self.ctx,
                &stack.display_name,
                &stack.asset_manifests,
                &env,
                printer,
            )?;
            let clients = self.deploy_clients(stack, &env, "deploying", printer)?;
            self.check_bootstrap(stack, &env, &clients)?;
            if self.ctx.options.hotswap != hotswap::HotswapMode::FullDeployment {
                if let Some(outcome) =
                    self.try_hotswap(stack, &env, &deployment, &clients, printer)?
                {
                    return Ok(outcome);
                }
            }
            self.ctx
                .in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(stack.display_name.clone(), env.name());
            let result = deploy_stack(
                clients.cloudformation.as_ref(),
                &deployment,
                DeploySettings {
                    force: self.ctx.options.force,
                    execute: !self.ctx.options.no_execute,
                    revert_drift: self.ctx.options.revert_drift,
                    polling: self.ctx.options.polling,
                },
                printer,
            );
            self.ctx
                .in_flight
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&stack.display_name);
            Ok(result.map_err(|f| f.summary))
        })();
        match result {
            Ok(Ok(r)) => {
                if let StackResult::Deployed { outputs, stack_id }
                | StackResult::Unchanged { outputs, stack_id } = &r
                {
                    if !outputs.is_empty() {
                        printer.out(format!("Outputs of {}:", stack.display_name));
                        for (k, v) in outputs {
                            printer.out(format!("{}.{k} = {v}", stack.stack_name));
                        }
                    }
                    printer.line(format!("{}: stack ARN {stack_id}", stack.display_name));
                }
                StackOutcome::Done(r)
            }
            Ok(Err(summary)) => StackOutcome::Failed(summary),
            Err(e) => {
                printer.line(format!(
                    "{} {} {}: {e}",
                    printer.paint(RED, "❌"),
                    stack.display_name,
                    printer.paint(RED, "failed")
                ));
                StackOutcome::Failed(e.to_string())
            }
        }
    }

    /// Deploys `stacks` (in dependency order) with up to `--concurrency` independent stacks at
    /// once; a stack whose dependency failed is skipped. Returns each stack's outcome, in the
    /// order given.
    pub fn deploy(&self, stacks: &[&Stack], printer: &Printer) -> Vec<StackOutcome> {
        let n = stacks.len();
        let index: BTreeMap<&str, usize> = stacks
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let deps: Vec<Vec<usize>> = stacks
            .iter()
            .map(|s| {
                s.dependencies
                    .iter()
                    .filter_map(|d| index.get(d.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut outcomes: Vec<Option<StackOutcome>> = vec![None; n];
        let mut started: HashSet<usize> = HashSet::new();
        let concurrency = self.ctx.options.concurrency.max(1);
        let (tx, rx) = channel::<(usize, StackOutcome)>();
        std::thread::scope(|scope| {
            let mut running = 0;
            loop {
                let mut changed = true;
                while changed {
                    changed = false;
                    for i in 0..n {
                        if started.contains(&i) || outcomes[i].is_some() {
                            continue;
                        }
                        let blocked = deps[i].iter().find(|&&d| {
                            matches!(
                                outcomes[d],
                                Some(StackOutcome::Failed(_) | StackOutcome::Skipped(_))
                            )
                        });
                        if let Some(&d) = blocked {
                            let msg = format!(
                                "skipped: it depends on {}, which did not deploy",
                                stacks[d].display_name
                            );
                            printer.line(format!(
                                "{} {}: {msg}",
                                printer.paint(RED, "✋"),
                                stacks[i].display_name
                            ));
                            outcomes[i] = Some(StackOutcome::Skipped(msg));
                            changed = true;
                            continue;
                        }
                        let ready = deps[i]
                            .iter()
                            .all(|&d| matches!(outcomes[d], Some(StackOutcome::Done(_))));
                        if ready && running < concurrency {
                            started.insert(i);
                            running += 1;
                            let tx = tx.clone();
                            let printer = printer.clone();
                            let stack = stacks[i];
                            scope.spawn(move || {
                                let outcome = self.deploy_one(stack, &printer);
                                let _ = tx.send((i, outcome));
                            });
                        }
                    }
                }
                if running == 0 {
                    break;
                }
                match rx.recv() {
                    Ok((i, outcome)) => {
                        running -= 1;
                        outcomes[i] = Some(outcome);
                    }
                    Err(_) => break,
                }
            }
        });
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| StackOutcome::Skipped("not deployed".into())))
            .collect()
    }

    /// Destroys `stacks` one by one, in the order given (callers pass reverse dependency
    /// order); stops at the first failure. Returns the names of the stacks that failed.
    pub fn destroy(&self, stacks: &[&Stack], printer: &Printer) -> Vec<String> {
        for stack in stacks {
            let result = (|| -> Result<std::result::Result<bool, String>> {
                let env = ResolvedEnv::resolve(
                    &stack.environment,
                    self.ctx.provider,
                    &format!("stack {}", stack.display_name),
                )?;
                let mut deployment = self.prepare(stack, &env)?;
                deployment.template_source = None;
                let clients = self.deploy_clients(stack, &env, "destroying", printer)?;
                Ok(destroy_stack(
                    clients.cloudformation.as_ref(),
                    &deployment,
                    self.ctx.options.polling,
                    printer,
                )
                .map_err(|f| f.summary))
            })();
            let failure = match result {
                Ok(Ok(_)) => continue,
                Ok(Err(summary)) => summary,
                Err(e) => {
                    printer.line(format!(
                        "{} {}: {e}",
                        printer.paint(RED, "❌"),
                        stack.display_name
                    ));
                    e.to_string()
                }
            };
            return vec![format!("{} ({failure})", stack.display_name)];
        }
        Vec::new()
    }
}

/// Writes `--outputs-file`: `{"StackName": {"OutputKey": "value"}}` for the stacks that deployed.
pub fn write_outputs_file(path: &Path, stacks: &[&Stack], outcomes: &[StackOutcome]) -> Result<()> {
    let mut all = serde_json::Map::new();
    for (stack, outcome) in stacks.iter().zip(outcomes) {
        if let StackOutcome::Done(
            StackResult::Deployed { outputs, .. } | StackResult::Unchanged { outputs, .. },
        ) = outcome
        {
            let map: serde_json::Map<String, Value> = outputs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            all.insert(stack.stack_name.clone(), Value::Object(map));
        }
    }
    let text = serde_json::to_string_pretty(&Value::Object(all)).unwrap_or_default() + "\n";
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CliError::OutputDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(CliError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_urls_use_the_regional_s3_endpoint() {
        let env = ResolvedEnv::new("111111111111", "eu-west-1");
        assert_eq!(
            https_template_url("s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/abc.json", &env).as_deref(),
            Some("https://s3.eu-west-1.amazonaws.com/cdk-hnb659fds-assets-111111111111-eu-west-1/abc.json")
        );
        assert_eq!(https_template_url("nope", &env), None);
    }

    #[test]
    fn parameters_and_tags_parse() {
        assert_eq!(
            parse_parameter("Api:Stage=prod").unwrap(),
            (Some("Api".into()), "Stage".into(), "prod".into())
        );
        assert_eq!(
            parse_parameter("Stage=a=b").unwrap(),
            (None, "Stage".into(), "a=b".into())
        );
        assert!(parse_parameter("Stage").is_err());
        assert!(parse_parameter(":K=v").is_err());
        assert_eq!(
            parse_tag("team=core").unwrap(),
            ("team".into(), "core".into())
        );
        assert!(parse_tag("=x").is_err());
    }
}
