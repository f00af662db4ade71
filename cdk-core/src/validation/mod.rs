//! Policy validation at synth: rule packs ("plugins") that inspect the synthesized templates,
//! modelled on aws-cdk-lib's `IPolicyValidationPlugin` and `Validations`.
//!
//! A plugin gets every stack's template (and the construct tree) after the templates are
//! built and returns a report of violations. Findings name the template, the logical ID and
//! the construct path; the report is written to the assembly as `validation-report.json`
//! (aws-cdk-lib's current format) and `policy-validation-report.json` (its legacy format) and
//! printed to stderr. A report that is not a success (a violation of severity `error` or
//! `fatal` that no suppression covers) fails synthesis with [`Error::PolicyValidation`]:
//! nothing is written and the previous assembly stays as it was; the error carries the report.
//!
//! Suppressions ([`Suppression`], with a mandatory reason of at least 10 characters) apply to
//! a construct and everything below it ([`Validations::suppress`]), or to a construct path
//! listed in the context key [`SUPPRESSIONS_CONTEXT_KEY`] (e.g. in `cdk.json`). A suppression
//! can be scoped to individual findings with `applies_to`, like cdk-nag's `appliesTo`: a
//! violation whose rule name is `Rule[finding]` (cdk-nag's granular findings, e.g.
//! `AwsSolutions-IAM5[Action::s3:*]`) is suppressed by `Rule` with `applies_to` naming the
//! finding exactly or by a `/regex/flags`. A suppression that suppresses nothing is reported
//! as a warning.
//!
//! This module knows no AWS service; rule packs live in their own crates (e.g. `cdk-nag`).
//!
//! ```
//! use std::rc::Rc;
//! use cdk_core::validation::{
//!     PolicyValidationContext, PolicyValidationPlugin, PolicyValidationPluginReport,
//!     PolicyViolatingResource, PolicyViolation, Severity, Suppression, Validations,
//! };
//! use cdk_core::{App, CfnResource, CfnResourceProps, Error, IConstruct, Stack, StackProps};
//!
//! /// Every resource must have a `Description` property.
//! struct Described;
//! impl PolicyValidationPlugin for Described {
//!     fn name(&self) -> &str { "Described" }
//!     fn validate(&self, ctx: &PolicyValidationContext<'_>) -> Result<PolicyValidationPluginReport, String> {
//!         let mut violation = PolicyViolation::new("D1", "The resource has no description.", Severity::Error);
//!         for stack in &ctx.stacks {
//!             for (id, resource) in stack.resources() {
//!                 if resource.pointer("/Properties/Description").is_none() {
//!                     violation.violating_resources.push(PolicyViolatingResource::in_template(&stack.template_path, id, ["Properties"]));
//!                 }
//!             }
//!         }
//!         Ok(PolicyValidationPluginReport::from_violations(vec![violation]))
//!     }
//! }
//!
//! let app = App::new();
//! Validations::of(&app).add_plugin(Rc::new(Described));
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let topic = CfnResource::new(&stack, "Topic", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), ..Default::default() });
//! let err = app.synth_in_memory().unwrap_err();
//! let Error::PolicyValidation(report) = &err else { panic!("{err}") };
//! assert_eq!(report.findings()[0].construct_path.as_deref(), Some("S/Topic"));
//!
//! Validations::of(&topic).suppress(Suppression::new("D1", "Topics in this app are self-explanatory"));
//! assert!(app.synth_in_memory().is_ok());
//! ```

mod report;
mod suppression;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde_json::Value as J;

use crate::construct::{IConstruct, Node};
use crate::error::{Error, Result, ValidationError};
use crate::synth::StackArtifact;

pub use report::{Finding, PluginReport, PolicyValidationReport, SuppressedViolation};
pub use suppression::{AppliesTo, Suppression, UnusedSuppression};

/// Context key with suppressions by construct path: a JSON array of
/// `{"path": "Stack/Construct", "id": "Rule", "reason": "...", "appliesTo": ["finding" | {"regex": "/.../"}]}`.
pub const SUPPRESSIONS_CONTEXT_KEY: &str = "@rcdk/validation:suppressions";
/// The report in the assembly, in aws-cdk-lib's current format.
pub const VALIDATION_REPORT_FILE: &str = "validation-report.json";
/// The report in the assembly, in aws-cdk-lib's legacy format (`policy-validation-report.json`).
pub const LEGACY_VALIDATION_REPORT_FILE: &str = "policy-validation-report.json";

/// A rule pack run at synth over the synthesized templates (aws-cdk-lib's
/// `IPolicyValidationPlugin`).
///
/// `validate` must be a deterministic function of its context: in-memory synthesis caches its
/// result while the app does not change.
pub trait PolicyValidationPlugin {
    /// The plugin's name, shown in the report (e.g. `AwsSolutions`).
    fn name(&self) -> &str;

    /// The plugin's version (semver), shown in the report.
    fn version(&self) -> Option<&str> {
        None
    }

    /// The IDs of the rules the plugin evaluates.
    fn rule_ids(&self) -> Vec<String> {
        Vec::new()
    }

    /// Evaluates the templates. An `Err` is reported as a failure of the plugin (and fails
    /// synthesis), as aws-cdk-lib does when a plugin throws.
    fn validate(
        &self,
        context: &PolicyValidationContext<'_>,
    ) -> std::result::Result<PolicyValidationPluginReport, String>;
}

/// What a plugin validates: every stack of the app (those of stages' nested assemblies
/// included, as aws-cdk-lib validates them), and the app's construct tree.
pub struct PolicyValidationContext<'a> {
    /// The stacks, in deployment order.
    pub stacks: Vec<PolicyValidationStack<'a>>,
    /// The app (root of the construct tree), for plugins that want to look at constructs.
    pub root: Node,
}

impl PolicyValidationContext<'_> {
    /// The template file names (relative to the assembly), as aws-cdk-lib's `templatePaths`.
    pub fn template_paths(&self) -> Vec<&str> {
        self.stacks
            .iter()
            .map(|s| s.template_path.as_str())
            .collect()
    }
}

/// One stack to validate.
pub struct PolicyValidationStack<'a> {
    /// The stack's construct path.
    pub stack_construct_path: String,
    /// The template's path relative to the root assembly (`<artifact>.template.json`;
    /// `assembly-<Stage>/<artifact>.template.json` for a stage's stack).
    pub template_path: String,
    /// The synthesized template.
    pub template: &'a J,
    /// The stack's account, when known.
    pub account: Option<String>,
    /// The stack's region, when known.
    pub region: Option<String>,
}

impl<'a> PolicyValidationStack<'a> {
    /// The template's resources as `(logical ID, resource)` pairs, in template order.
    pub fn resources(&self) -> impl Iterator<Item = (&'a str, &'a J)> {
        self.template
            .get("Resources")
            .and_then(J::as_object)
            .into_iter()
            .flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
    }
}

/// How serious a violation is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Fails synthesis and cannot be suppressed.
    Fatal,
    /// Fails synthesis unless suppressed.
    Error,
    /// Printed; synthesis succeeds.
    Warning,
    /// Printed; synthesis succeeds.
    Info,
    /// A plugin-specific severity (reported as `custom`).
    Custom(String),
}

impl Severity {
    /// Parses aws-cdk-lib's severity strings (case-insensitive; unknown ones are custom).
    pub fn parse(text: &str) -> Severity {
        match text.to_ascii_lowercase().as_str() {
            "fatal" => Severity::Fatal,
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => Severity::Custom(text.to_string()),
        }
    }

    /// The report's `severity` value (`fatal`, `error`, `warning`, `info` or `custom`).
    pub fn as_str(&self) -> &str {
        match self {
            Severity::Fatal => "fatal",
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Custom(_) => "custom",
        }
    }

    /// True for `fatal` and `error`.
    pub fn is_error(&self) -> bool {
        matches!(self, Severity::Fatal | Severity::Error)
    }
}

/// A rule violated by one or more resources (aws-cdk-lib's `PolicyViolation`).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyViolation {
    /// The rule's name; `Rule[finding]` for one granular finding of a rule.
    pub rule_name: String,
    /// What is wrong.
    pub description: String,
    /// How to fix it.
    pub fix: Option<String>,
    /// How serious it is.
    pub severity: Severity,
    /// Plugin-specific data, reported as is.
    pub rule_metadata: BTreeMap<String, String>,
    /// The resources that violate the rule.
    pub violating_resources: Vec<PolicyViolatingResource>,
}

impl PolicyViolation {
    /// A violation with no resources yet.
    pub fn new(rule_name: &str, description: &str, severity: Severity) -> Self {
        PolicyViolation {
            rule_name: rule_name.to_string(),
            description: description.to_string(),
            fix: None,
            severity,
            rule_metadata: BTreeMap::new(),
            violating_resources: Vec::new(),
        }
    }

    /// Sets the fix hint.
    pub fn with_fix(mut self, fix: &str) -> Self {
        self.fix = Some(fix.to_string());
        self
    }
}

/// A resource or construct that violates a rule (aws-cdk-lib's `PolicyViolatingResource`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyViolatingResource {
    /// Logical ID of the resource in its template (the construct path is found from it).
    pub resource_logical_id: Option<String>,
    /// The template file (as in [`PolicyValidationStack::template_path`]).
    pub template_path: Option<String>,
    /// The construct path, for violations about constructs rather than template resources.
    pub construct_path: Option<String>,
    /// Where in the resource the problem is (`Properties/PolicyDocument`, ...).
    pub locations: Vec<String>,
}

impl PolicyViolatingResource {
    /// A resource of a template.
    pub fn in_template<S: Into<String>>(
        template_path: &str,
        logical_id: &str,
        locations: impl IntoIterator<Item = S>,
    ) -> Self {
        PolicyViolatingResource {
            resource_logical_id: Some(logical_id.to_string()),
            template_path: Some(template_path.to_string()),
            construct_path: None,
            locations: locations.into_iter().map(Into::into).collect(),
        }
    }
}

/// What a plugin returns (aws-cdk-lib's `PolicyValidationPluginReport`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyValidationPluginReport {
    /// False fails synthesis.
    pub success: bool,
    /// The violations found.
    pub violations: Vec<PolicyViolation>,
    /// Plugin-specific data, reported as is.
    pub metadata: BTreeMap<String, String>,
}

impl PolicyValidationPluginReport {
    /// A report of these violations (those without resources are dropped); a success unless
    /// one of them is an error.
    pub fn from_violations(violations: Vec<PolicyViolation>) -> Self {
        let violations: Vec<PolicyViolation> = violations
            .into_iter()
            .filter(|v| !v.violating_resources.is_empty())
            .collect();
        PolicyValidationPluginReport {
            success: !violations.iter().any(|v| v.severity.is_error()),
            violations,
            metadata: BTreeMap::new(),
        }
    }
}

/// Policy validation of one scope's app: plugins and suppressions.
///
/// ```
/// use cdk_core::validation::{Suppression, Validations};
/// use cdk_core::{App, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// Validations::of(&stack).suppress(
///     Suppression::new("AwsSolutions-IAM5", "The deploy role may read every object of the artifact bucket")
///         .applies_to("Resource::<ArtifactBucket.Arn>/*"),
/// );
/// assert_eq!(Validations::of(&stack).suppressions().len(), 1);
/// ```
pub struct Validations {
    node: Node,
}

impl Validations {
    /// The validations of `scope` (plugins always belong to the app).
    pub fn of(scope: &impl IConstruct) -> Validations {
        Validations {
            node: scope.node().clone(),
        }
    }

    /// Registers a plugin run at every synthesis of the app.
    pub fn add_plugin(&self, plugin: Rc<dyn PolicyValidationPlugin>) {
        self.node
            .tree()
            .borrow_mut()
            .validation_plugins
            .push(plugin);
    }

    /// Registers several plugins (aws-cdk-lib's `addPlugins`).
    pub fn add_plugins(&self, plugins: impl IntoIterator<Item = Rc<dyn PolicyValidationPlugin>>) {
        for plugin in plugins {
            self.add_plugin(plugin);
        }
    }

    /// The names of the app's plugins, in registration order.
    pub fn plugin_names(&self) -> Vec<String> {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        tree.validation_plugins
            .iter()
            .map(|p| p.name().to_string())
            .collect()
    }

    /// Suppresses findings on this construct and everything below it. A missing or short
    /// reason, a rule ID with a `[finding]` (use `applies_to`) or an invalid regex is an
    /// error reported by synthesis against this construct.
    pub fn suppress(&self, suppression: Suppression) {
        let problems = suppression.problems();
        let tree_rc = self.node.tree();
        let mut tree = tree_rc.borrow_mut();
        if !problems.is_empty() {
            let path = tree.path_of(self.node.idx);
            for message in problems {
                tree.errors.push(ValidationError {
                    path: if path.is_empty() {
                        "<app>".into()
                    } else {
                        path.clone()
                    },
                    message,
                });
            }
            return;
        }
        tree.suppressions.push((self.node.idx, suppression));
    }

    /// The suppressions added directly to this construct.
    pub fn suppressions(&self) -> Vec<Suppression> {
        let tree_rc = self.node.tree();
        let tree = tree_rc.borrow();
        tree.suppressions
            .iter()
            .filter(|(idx, _)| *idx == self.node.idx)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

/// Runs the app's plugins over the synthesized stacks. `Ok(None)` when the app has none.
pub(crate) fn run(
    root: &Node,
    stacks: &[StackArtifact],
    assembly_version: &str,
) -> Result<Option<PolicyValidationReport>> {
    let plugins = root.tree().borrow().validation_plugins.clone();
    if plugins.is_empty() {
        return Ok(None);
    }
    let (suppressions, errors) = suppression::collect(root);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let context = PolicyValidationContext {
        stacks: stacks
            .iter()
            .map(|s| PolicyValidationStack {
                stack_construct_path: s.display_name.clone(),
                template_path: s.template_path_in_root(),
                template: &s.template,
                account: s.environment.account.clone(),
                region: s.environment.region.clone(),
            })
            .collect(),
        root: root.clone(),
    };
    let paths = construct_paths_by_logical_id(stacks);
    let mut reports = Vec::with_capacity(plugins.len());
    for plugin in &plugins {
        let (success, mut violations, metadata) = match plugin.validate(&context) {
            Ok(r) => (r.success, r.violations, r.metadata),
            Err(message) => (
                false,
                Vec::new(),
                BTreeMap::from([(
                    "error".to_string(),
                    format!("Validation plugin '{}' failed: {message}", plugin.name()),
                )]),
            ),
        };
        for violation in &mut violations {
            for resource in &mut violation.violating_resources {
                if resource.construct_path.is_none() {
                    if let (Some(file), Some(id)) =
                        (&resource.template_path, &resource.resource_logical_id)
                    {
                        resource.construct_path = paths.get(&(file.clone(), id.clone())).cloned();
                    }
                }
            }
        }
        reports.push(PluginReport {
            plugin_name: plugin.name().to_string(),
            plugin_version: plugin.version().map(str::to_string),
            success,
            metadata,
            violations,
            suppressed: Vec::new(),
        });
    }
    let unused = suppression::apply(&mut reports, &suppressions);
    Ok(Some(PolicyValidationReport::new(
        reports,
        unused,
        assembly_version,
        fqns_of(root),
    )))
}

/// `(template file, logical ID)` → construct path, from the stacks' `aws:cdk:logicalId` metadata.
fn construct_paths_by_logical_id(stacks: &[StackArtifact]) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for stack in stacks {
        for (path, entries) in &stack.metadata {
            for entry in entries {
                if entry["type"] == "aws:cdk:logicalId" {
                    if let Some(id) = entry["data"].as_str() {
                        out.insert(
                            (stack.template_path_in_root(), id.to_string()),
                            path.trim_start_matches('/').to_string(),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Construct path → fully qualified type name (tree.json's `constructInfo.fqn`).
fn fqns_of(root: &Node) -> HashMap<String, String> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    tree.preorder(0)
        .into_iter()
        .filter_map(|idx| {
            let fqn = tree.nodes[idx].fqn.clone()?;
            Some((tree.path_of(idx), fqn))
        })
        .collect()
}
