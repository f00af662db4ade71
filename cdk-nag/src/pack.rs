//! A rule pack as a policy validation plugin: every rule on every resource of every template.

use std::collections::BTreeMap;

use cdk_core::validation::{
    PolicyValidationContext, PolicyValidationPlugin, PolicyValidationPluginReport,
    PolicyViolatingResource, PolicyViolation, Severity,
};
use serde_json::Value as J;

use crate::template::{Compliance, Resource};

/// How serious a rule is (cdk-nag's `NagMessageLevel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NagMessageLevel {
    /// Fails synthesis unless suppressed.
    Error,
    /// Reported; synthesis succeeds.
    Warn,
}

/// One rule of a pack.
#[derive(Clone)]
pub struct NagRule {
    /// The ID after the pack name (`IAM5` in `AwsSolutions-IAM5`).
    pub suffix: &'static str,
    /// What is wrong (cdk-nag's `info`).
    pub info: &'static str,
    /// Why it matters (cdk-nag's `explanation`).
    pub explanation: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// Error or warning.
    pub level: NagMessageLevel,
    /// The check.
    pub check: fn(&Resource) -> Compliance,
}

/// Options of a pack (cdk-nag's `NagPackProps`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NagPackProps {
    /// Add each rule's explanation to its description.
    pub verbose: bool,
}

/// A named list of rules run as a policy validation plugin.
#[derive(Clone)]
pub struct NagPack {
    name: &'static str,
    rules: Vec<NagRule>,
    props: NagPackProps,
}

impl NagPack {
    /// A pack named `name` (rule IDs are `<name>-<suffix>`).
    pub fn new(name: &'static str, rules: Vec<NagRule>, props: NagPackProps) -> Self {
        NagPack { name, rules, props }
    }

    /// The rules.
    pub fn rules(&self) -> &[NagRule] {
        &self.rules
    }

    /// Runs every rule on every resource of `template` (whose file is `template_path`).
    pub fn check_template(
        &self,
        template_path: &str,
        template: &J,
        account: Option<&str>,
        violations: &mut Vec<PolicyViolation>,
    ) {
        let resources: Vec<(&str, &J)> = template
            .get("Resources")
            .and_then(J::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        for (logical_id, body) in &resources {
            let resource = Resource {
                logical_id,
                body,
                stack_resources: &resources,
                account,
            };
            for rule in &self.rules {
                let id = format!("{}-{}", self.name, rule.suffix);
                match (rule.check)(&resource) {
                    Compliance::NotApplicable | Compliance::Compliant => {}
                    Compliance::NonCompliant => {
                        self.add(violations, &id, rule, None, template_path, logical_id)
                    }
                    Compliance::Findings(findings) => {
                        for finding in findings {
                            let name = format!("{id}[{finding}]");
                            self.add(violations, &name, rule, None, template_path, logical_id);
                        }
                    }
                    Compliance::Error(message) => self.add(
                        violations,
                        &id,
                        rule,
                        Some(&message),
                        template_path,
                        logical_id,
                    ),
                }
            }
        }
    }

    fn add(
        &self,
        violations: &mut Vec<PolicyViolation>,
        rule_name: &str,
        rule: &NagRule,
        error: Option<&str>,
        template_path: &str,
        logical_id: &str,
    ) {
        let description = match error {
            Some(e) => format!(
                "Rule threw an error during validation. {}",
                if self.props.verbose {
                    e
                } else {
                    "This is generally caused by a parameter referencing an intrinsic function."
                }
            ),
            None if self.props.verbose => format!("{} {}", rule.info, rule.explanation),
            None => rule.info.to_string(),
        };
        let resource =
            PolicyViolatingResource::in_template(template_path, logical_id, ["Properties"]);
        if let Some(existing) = violations.iter_mut().find(|v| v.rule_name == rule_name) {
            existing.violating_resources.push(resource);
            return;
        }
        let severity = match rule.level {
            NagMessageLevel::Error => Severity::Error,
            NagMessageLevel::Warn => Severity::Warning,
        };
        let mut violation =
            PolicyViolation::new(rule_name, &description, severity).with_fix(rule.fix);
        violation.rule_metadata =
            BTreeMap::from([("explanation".to_string(), rule.explanation.to_string())]);
        violation.violating_resources.push(resource);
        violations.push(violation);
    }
}

impl PolicyValidationPlugin for NagPack {
    fn name(&self) -> &str {
        self.name
    }

    fn version(&self) -> Option<&str> {
        Some(env!("CARGO_PKG_VERSION"))
    }

    fn rule_ids(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| format!("{}-{}", self.name, r.suffix))
            .collect()
    }

    fn validate(
        &self,
        context: &PolicyValidationContext<'_>,
    ) -> Result<PolicyValidationPluginReport, String> {
        let mut violations = Vec::new();
        for stack in &context.stacks {
            self.check_template(
                &stack.template_path,
                stack.template,
                stack.account.as_deref(),
                &mut violations,
            );
        }
        Ok(PolicyValidationPluginReport::from_violations(violations))
    }
}
