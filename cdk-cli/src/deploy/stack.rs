//! Deploying one stack through a change set, and deleting one stack, with progress and failure
//! reporting. Knows nothing about assemblies: everything comes resolved in a
//! [`StackDeployment`].

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::console::{Printer, BOLD, GREEN, RED};
use super::monitor::{is_success, is_terminal, MonitorOutcome, Polling, StackMonitor};
use crate::aws::{
    AwsError, ChangeSetRequest, ChangeSetType, CloudFormation, ParameterValue, StackInfo,
    TemplateSource,
};

/// The change set name the cdk CLI uses.
pub const CHANGE_SET_NAME: &str = "cdk-deploy-change-set";

/// Capabilities acknowledged for every deployment.
pub const CAPABILITIES: [&str; 3] = [
    "CAPABILITY_IAM",
    "CAPABILITY_NAMED_IAM",
    "CAPABILITY_AUTO_EXPAND",
];

/// Everything needed to deploy one stack.
#[derive(Debug, Clone, Default)]
pub struct StackDeployment {
    /// How the stack is named in the output.
    pub label: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The template (for change detection and the progress total).
    pub template: Value,
    /// How CloudFormation gets the template.
    pub template_source: Option<TemplateSource>,
    /// Parameter values given (manifest and command line).
    pub parameters: BTreeMap<String, String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// The CloudFormation execution role.
    pub execution_role_arn: Option<String>,
    /// Termination protection wanted (`None`: leave as is).
    pub termination_protection: Option<bool>,
    /// Construct paths by logical ID.
    pub construct_paths: HashMap<String, String>,
}

/// How to deploy.
#[derive(Debug, Clone, Copy)]
pub struct DeploySettings {
    /// Deploy even when nothing changed.
    pub force: bool,
    /// Execute the change set (`false`: `--no-execute`).
    pub execute: bool,
    /// A drift-aware change set (`--revert-drift`): always created, even when nothing in the
    /// template changed.
    pub revert_drift: bool,
    /// Poll intervals.
    pub polling: Polling,
}

/// What deploying one stack did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StackResult {
    /// The change set was executed and the stack is now deployed.
    Deployed {
        /// Stack outputs (key, value).
        outputs: Vec<(String, String)>,
        /// The stack ID.
        stack_id: String,
    },
    /// Nothing changed; no change set was executed.
    Unchanged {
        /// Stack outputs (key, value).
        outputs: Vec<(String, String)>,
        /// The stack ID.
        stack_id: String,
    },
    /// `--no-execute`: the change set waits for review.
    ChangeSetCreated {
        /// The number of resource changes.
        changes: usize,
    },
}

/// Why a stack failed (already reported in detail through the printer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackFailure {
    /// A one-line summary.
    pub summary: String,
}

fn fail(summary: impl Into<String>) -> StackFailure {
    StackFailure {
        summary: summary.into(),
    }
}

/// Whether a change set failure reason means "nothing to change".
pub fn is_no_changes(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// Statuses of a stack whose creation failed: it must be deleted before it can be created again.
pub fn is_failed_creation(status: &str) -> bool {
    matches!(
        status,
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" | "CREATE_FAILED"
    )
}

struct Run<'a> {
    cfn: &'a dyn CloudFormation,
    d: &'a StackDeployment,
    s: DeploySettings,
    p: &'a Printer,
}

impl Run<'_> {
    fn api(&self, what: &str, e: AwsError) -> StackFailure {
        let label = self.p.paint(RED, "failed");
        self.p.line(format!(
            "{} {} {label}: {what}: {e}",
            self.p.paint(RED, "❌"),
            self.d.label
        ));
        fail(format!("{what}: {e}"))
    }

    fn monitor(&self, since: Option<String>, total: usize) -> Result<MonitorOutcome, StackFailure> {
        StackMonitor {
            cloudformation: self.cfn,
            stack_name: &self.d.stack_name,
            label: &self.d.label,
            total,
            construct_paths: &self.d.construct_paths,
            printer: self.p,
            polling: self.s.polling,
        }
        .follow(since)
        .map_err(|e| self.api("cannot follow the stack's events", e))
    }

    fn describe(&self) -> Result<Option<StackInfo>, StackFailure> {
        self.cfn
            .describe_stack(&self.d.stack_name)
            .map_err(|e| self.api("DescribeStacks", e))
    }

    /// Reports the failed resources of a finished operation.
    fn report_failure(&self, outcome: &MonitorOutcome) -> StackFailure {
        let p = self.p;
        p.line(format!(
            "{} {} {} ({})",
            p.paint(RED, "❌"),
            p.paint(BOLD, &self.d.label),
            p.paint(RED, "failed"),
            outcome.status
        ));
        let monitor = StackMonitor {
            cloudformation: self.cfn,
            stack_name: &self.d.stack_name,
            label: &self.d.label,
            total: 0,
            construct_paths: &self.d.construct_paths,
            printer: p,
            polling: self.s.polling,
        };
        let mut first_reason = None;
        let cancelled = |r: &str| r.contains("cancelled");
        let mut failures: Vec<_> = outcome.failures.iter().collect();
        // Root causes first: "Resource creation cancelled" follows from another failure.
        failures.sort_by_key(|e| e.reason.as_deref().is_some_and(cancelled));
        for event in failures {
            let reason = event.reason.as_deref().unwrap_or("(no reason given)");
            if first_reason.is_none() && !cancelled(reason) {
                first_reason = Some(format!("{}: {reason}", self.d.label_of(&event.logical_id)));
            }
            p.line(format!(
                "  {} {} {}: {}",
                monitor.describe(&event.logical_id),
                event.resource_type,
                p.paint(RED, &event.status),
                reason
            ));
        }
        if let Some(reason) = &outcome.status_reason {
            p.line(format!("  stack status reason: {reason}"));
        }
        if outcome.rolled_back {
            p.line(format!(
                "  {} was rolled back ({}): CloudFormation undid the changes of this deployment",
                self.d.label, outcome.status
            ));
        }
        fail(first_reason.unwrap_or_else(|| {
            format!(
                "{}{}",
                outcome.status,
                outcome
                    .status_reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            )
        }))
    }

    /// Waits for an in-progress stack to settle; returns its description afterwards.
    fn settle(&self, info: StackInfo) -> Result<Option<StackInfo>, StackFailure> {
        if is_terminal(&info.status) {
            return Ok(Some(info));
        }
        self.p.line(format!(
            "{}: stack is {}; waiting for it to finish first",
            self.d.label, info.status
        ));
        self.monitor(None, 0)?;
        self.describe()
    }

    fn delete_failed_creation(&self, info: &StackInfo) -> Result<(), StackFailure> {
        self.p.line(format!(
            "{}: stack is {} (its creation failed); deleting it before creating it again",
            self.d.label, info.status
        ));
        let since = self
            .cfn
            .latest_event_id(&self.d.stack_name)
            .map_err(|e| self.api("DescribeStackEvents", e))?;
        self.cfn
            .delete_stack(&self.d.stack_name, self.d.execution_role_arn.as_deref())
            .map_err(|e| self.api("DeleteStack", e))?;
        let outcome = self.monitor(since, 0)?;
        if outcome.status != "DELETE_COMPLETE" {
            return Err(self.report_failure(&outcome));
        }
        Ok(())
    }

    fn unchanged_without_change_set(&self, info: &StackInfo) -> Result<bool, StackFailure> {
        if self.s.force
            || self.s.revert_drift
            || !is_terminal(&info.status)
            || info.status == "REVIEW_IN_PROGRESS"
            || !info.status.ends_with("_COMPLETE")
        {
            return Ok(false);
        }
        if info.tags != self.d.tags {
            return Ok(false);
        }
        if self
            .d
            .parameters
            .iter()
            .any(|(k, v)| info.parameters.get(k) != Some(v))
        {
            return Ok(false);
        }
        let deployed = self
            .cfn
            .get_template(&self.d.stack_name)
            .map_err(|e| self.api("GetTemplate", e))?;
        let Some(text) = deployed else {
            return Ok(false);
        };
        // The cdk CLI uploads small templates as YAML: compare documents, not text.
        let deployed = crate::yaml::parse_template(
            &text,
            std::path::Path::new(&format!("deployed template of {}", self.d.stack_name)),
        );
        Ok(deployed.ok().as_ref() == Some(&self.d.template))
    }

    fn finish(&self, unchanged: bool) -> Result<StackResult, StackFailure> {
        let mut info = self
            .describe()?
            .ok_or_else(|| fail("the stack disappeared after its deployment"))?;
        if let Some(wanted) = self.d.termination_protection {
            if wanted != info.termination_protection {
                self.cfn
                    .set_termination_protection(&self.d.stack_name, wanted)
                    .map_err(|e| self.api("UpdateTerminationProtection", e))?;
                self.p.line(format!(
                    "{}: termination protection {}",
                    self.d.label,
                    if wanted { "enabled" } else { "disabled" }
                ));
                info.termination_protection = wanted;
            }
        }
        let outputs = info.outputs;
        let stack_id = info.stack_id;
        Ok(if unchanged {
            StackResult::Unchanged { outputs, stack_id }
        } else {
            StackResult::Deployed { outputs, stack_id }
        })
    }

    fn deploy(&self) -> Result<StackResult, StackFailure> {
        let (cfn, d, p) = (self.cfn, self.d, self.p);
        let mut existing = match self.describe()? {
            Some(info) => self.settle(info)?,
            None => None,
        };
        if let Some(info) = existing.clone() {
            if is_failed_creation(&info.status) {
                self.delete_failed_creation(&info)?;
                existing = None;
            }
        }
        let existing = existing.filter(|i| i.status != "REVIEW_IN_PROGRESS");
        if let Some(info) = &existing {
            if self.unchanged_without_change_set(info)? {
                p.line(format!(
                    "{} {}: no changes (template, parameters and tags are the same as deployed)",
                    p.paint(GREEN, "✅"),
                    d.label
                ));
                return self.finish(true);
            }
        }

        cfn.delete_change_set(&d.stack_name, CHANGE_SET_NAME)
            .map_err(|e| self.api("DeleteChangeSet (leftover change set)", e))?;
        let mut parameters: BTreeMap<String, ParameterValue> = d
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), ParameterValue::Value(v.clone())))
            .collect();
        if let Some(info) = &existing {
            let declared = d.template.get("Parameters").and_then(Value::as_object);
            for key in declared.into_iter().flat_map(|m| m.keys()) {
                if !parameters.contains_key(key) && info.parameters.contains_key(key) {
                    parameters.insert(key.clone(), ParameterValue::UsePrevious);
                }
            }
        }
        let unset = parameters_without_value(&d.template, &parameters);
        if !unset.is_empty() {
            let hint: Vec<String> = unset
                .iter()
                .map(|k| format!("--parameters {}:{k}=VALUE", d.label))
                .collect();
            let summary = format!(
                "the template's parameter(s) {} have no default and no value; pass them with {}",
                unset.join(", "),
                hint.join(" ")
            );
            p.line(format!(
                "{} {} {}: {summary}",
                p.paint(RED, "❌"),
                d.label,
                p.paint(RED, "failed")
            ));
            return Err(fail(summary));
        }
        let template = d
            .template_source
            .clone()
            .unwrap_or_else(|| TemplateSource::Body(d.template.to_string()));
        let request = ChangeSetRequest {
            stack_name: d.stack_name.clone(),
            change_set_name: CHANGE_SET_NAME.into(),
            change_set_type: if existing.is_some() {
                ChangeSetType::Update
            } else {
                ChangeSetType::Create
            },
            template,
            parameters,
            capabilities: CAPABILITIES.iter().map(|c| c.to_string()).collect(),
            role_arn: d.execution_role_arn.clone(),
            tags: d.tags.clone(),
            description: Some("Deployed by rcdk".into()),
            // As cdk: a drift-aware change set (a new stack has no drift to revert).
            revert_drift: self.s.revert_drift && existing.is_some(),
        };
        p.line(format!(
            "{}: creating change set {CHANGE_SET_NAME} ({})",
            d.label,
            if existing.is_some() {
                "UPDATE"
            } else {
                "CREATE"
            }
        ));
        cfn.create_change_set(&request)
            .map_err(|e| self.api("CreateChangeSet", e))?;

        let mut polls = 0;
        let change_set = loop {
            let info = cfn
                .describe_change_set(&d.stack_name, CHANGE_SET_NAME)
                .map_err(|e| self.api("DescribeChangeSet", e))?
                .ok_or_else(|| {
                    self.api(
                        "DescribeChangeSet",
                        AwsError::new("ChangeSetNotFound", "the change set disappeared"),
                    )
                })?;
            if matches!(info.status.as_str(), "CREATE_COMPLETE" | "FAILED")
                || info.status.starts_with("DELETE")
            {
                break info;
            }
            self.s.polling.wait(polls);
            polls += 1;
        };
        if change_set.status != "CREATE_COMPLETE" {
            let reason = change_set.status_reason.clone().unwrap_or_default();
            if is_no_changes(&reason) {
                cfn.delete_change_set(&d.stack_name, CHANGE_SET_NAME)
                    .map_err(|e| self.api("DeleteChangeSet", e))?;
                p.line(format!(
                    "{} {}: no changes (the change set was empty and has been deleted)",
                    p.paint(GREEN, "✅"),
                    d.label
                ));
                return if existing.is_some() {
                    self.finish(true)
                } else {
                    Err(fail("the change set of a new stack has no changes"))
                };
            }
            return Err(self.api(
                "the change set could not be created",
                AwsError {
                    code: None,
                    message: format!("{} {reason}", change_set.status),
                },
            ));
        }
        if !self.s.execute {
            p.line(format!(
                "{}: change set {CHANGE_SET_NAME} created with {} change(s) and left for review (--no-execute)",
                d.label, change_set.change_count
            ));
            return Ok(StackResult::ChangeSetCreated {
                changes: change_set.change_count,
            });
        }

        let since = cfn
            .latest_event_id(&d.stack_name)
            .map_err(|e| self.api("DescribeStackEvents", e))?;
        p.line(format!(
            "{}: executing change set ({} change(s))",
            d.label, change_set.change_count
        ));
        cfn.execute_change_set(&d.stack_name, CHANGE_SET_NAME)
            .map_err(|e| self.api("ExecuteChangeSet", e))?;
        // The expected changes: the change set's, or every resource of a new stack; unknown
        // (0) for an update whose change set lists none.
        let total = if change_set.change_count > 0 {
            change_set.change_count
        } else if existing.is_none() {
            d.template
                .get("Resources")
                .and_then(Value::as_object)
                .map_or(0, |r| r.len())
        } else {
            0
        };
        let outcome = self.monitor(since, total)?;
        if !is_success(&outcome.status) {
            return Err(self.report_failure(&outcome));
        }
        p.line(format!(
            "{} {} {}",
            p.paint(GREEN, "✅"),
            p.paint(BOLD, &d.label),
            outcome.status
        ));
        self.finish(false)
    }
}

/// The parameters the template declares without a `Default` that `values` does not set (in
/// template order): CloudFormation would refuse the change set.
pub fn parameters_without_value(
    template: &Value,
    values: &BTreeMap<String, ParameterValue>,
) -> Vec<String> {
    template
        .get("Parameters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, p)| p.get("Default").is_none() && !values.contains_key(*k))
        .map(|(k, _)| k.clone())
        .collect()
}

impl StackDeployment {
    fn label_of(&self, logical_id: &str) -> String {
        self.construct_paths
            .get(logical_id)
            .cloned()
            .unwrap_or_else(|| logical_id.to_string())
    }
}

/// Deploys one stack: deletes a failed creation first, skips when nothing changed (unless
/// `force`), creates the change set, executes it (unless `--no-execute`) and follows the
/// events. Failures are reported through `printer` and returned as a summary.
pub fn deploy_stack(
    cloudformation: &dyn CloudFormation,
    deployment: &StackDeployment,
    settings: DeploySettings,
    printer: &Printer,
) -> Result<StackResult, StackFailure> {
    Run {
        cfn: cloudformation,
        d: deployment,
        s: settings,
        p: printer,
    }
    .deploy()
}

/// Deletes one stack and follows the deletion. `Ok(false)` when the stack did not exist.
pub fn destroy_stack(
    cloudformation: &dyn CloudFormation,
    deployment: &StackDeployment,
    polling: Polling,
    printer: &Printer,
) -> Result<bool, StackFailure> {
    let run = Run {
        cfn: cloudformation,
        d: deployment,
        s: DeploySettings {
            force: false,
            execute: true,
            revert_drift: false,
            polling,
        },
        p: printer,
    };
    let Some(info) = run.describe()? else {
        printer.line(format!(
            "{}: stack {} does not exist; nothing to destroy",
            deployment.label, deployment.stack_name
        ));
        return Ok(false);
    };
    let total = deployment
        .template
        .get("Resources")
        .and_then(Value::as_object)
        .map_or(0, |r| r.len());
    let since = cloudformation
        .latest_event_id(&deployment.stack_name)
        .map_err(|e| run.api("DescribeStackEvents", e))?;
    printer.line(format!(
        "{}: destroying ({})",
        deployment.label, info.status
    ));
    cloudformation
        .delete_stack(
            &deployment.stack_name,
            deployment.execution_role_arn.as_deref(),
        )
        .map_err(|e| run.api("DeleteStack", e))?;
    let outcome = run.monitor(since, total)?;
    if outcome.status != "DELETE_COMPLETE" {
        return Err(run.report_failure(&outcome));
    }
    printer.line(format!(
        "{} {}: destroyed",
        printer.paint(GREEN, "✅"),
        printer.paint(BOLD, &deployment.label)
    ));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_without_default_need_a_value() {
        let template = serde_json::json!({"Parameters": {
            "LambdaCode": {"Type": "String"},
            "Stage": {"Type": "String", "Default": "dev"},
            "BucketKey": {"Type": "String"}
        }});
        let mut values = BTreeMap::new();
        assert_eq!(
            parameters_without_value(&template, &values),
            ["LambdaCode", "BucketKey"]
        );
        values.insert("LambdaCode".into(), ParameterValue::Value("x".into()));
        values.insert("BucketKey".into(), ParameterValue::UsePrevious);
        assert!(parameters_without_value(&template, &values).is_empty());
    }
}
