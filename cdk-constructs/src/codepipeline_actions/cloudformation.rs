//! The CloudFormation actions (aws-cdk-lib's `CloudFormationCreateUpdateStackAction`,
//! `CloudFormationCreateReplaceChangeSetAction`, `CloudFormationExecuteChangeSetAction`,
//! `CloudFormationDeleteStackAction`), with aws-cdk-lib's roles and grants.
//!
//! The props structs keep their fields flat (`props.role`, `props.run_order`, …) so that
//! struct-update syntax over `Props::new(..)` stays the one way to set them; what aws-cdk-lib
//! shares through its `CloudFormationActionProps` / `CloudFormationDeployActionProps`
//! interfaces is shared here by borrowing those fields into [`ActionFields`] /
//! [`DeployFields`], which the common wiring (action properties, deployment role,
//! capabilities, artifact grants, configuration) works on.

use std::rc::Rc;

use cdk_core::{Names, Node, PhysicalName, Stack, Str, Value};

use super::{config, SingletonPolicy};
use crate::codebuild::json_object_string;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionNamespace,
    ActionProperties, Artifact, ArtifactPath, IAction, StageContext,
};
use crate::iam::{IRole, PolicyStatement, Role, RoleProps, ServicePrincipal};

/// The artifact bounds of every CloudFormation action.
const CFN_BOUNDS: ActionArtifactBounds = ActionArtifactBounds {
    min_inputs: 0,
    max_inputs: 10,
    min_outputs: 0,
    max_outputs: 1,
};

/// Capabilities a CloudFormation deployment acknowledges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CfnCapabilities {
    /// None (renders nothing).
    None,
    /// `CAPABILITY_IAM`: the template creates unnamed IAM resources.
    AnonymousIam,
    /// `CAPABILITY_NAMED_IAM`: the template creates named IAM resources.
    NamedIam,
    /// `CAPABILITY_AUTO_EXPAND`: the template contains macros.
    AutoExpand,
}

impl CfnCapabilities {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            CfnCapabilities::None => "",
            CfnCapabilities::AnonymousIam => "CAPABILITY_IAM",
            CfnCapabilities::NamedIam => "CAPABILITY_NAMED_IAM",
            CfnCapabilities::AutoExpand => "CAPABILITY_AUTO_EXPAND",
        }
    }
}

/// The fields every CloudFormation action's props have (aws-cdk-lib's
/// `CloudFormationActionProps`), borrowed from one of the props structs.
struct ActionFields<'a> {
    action_name: &'a str,
    stack_name: &'a str,
    role: Option<&'a Rc<dyn IRole>>,
    account: Option<&'a String>,
    region: Option<&'a String>,
    output_file_name: Option<&'a String>,
    output: Option<&'a Artifact>,
    run_order: Option<u32>,
    variables_namespace: Option<&'a String>,
}

/// The fields the deploying actions add (aws-cdk-lib's `CloudFormationDeployActionProps`).
struct DeployFields<'a> {
    action: ActionFields<'a>,
    admin_permissions: bool,
    parameter_overrides: &'a [(Str, Value)],
    deployment_role: Option<&'a Rc<dyn IRole>>,
    cfn_capabilities: Option<&'a Vec<CfnCapabilities>>,
    template_configuration: Option<&'a ArtifactPath>,
}

/// [`ActionFields`] of any props struct with the common field names.
macro_rules! action_fields {
    ($p:expr) => {
        ActionFields {
            action_name: &$p.action_name,
            stack_name: &$p.stack_name,
            role: $p.role.as_ref(),
            account: $p.account.as_ref(),
            region: $p.region.as_ref(),
            output_file_name: $p.output_file_name.as_ref(),
            output: $p.output.as_ref(),
            run_order: $p.run_order,
            variables_namespace: $p.variables_namespace.as_ref(),
        }
    };
}

/// [`DeployFields`] of any deploy props struct with the common field names.
macro_rules! deploy_fields {
    ($p:expr) => {
        DeployFields {
            action: action_fields!($p),
            admin_permissions: $p.admin_permissions,
            parameter_overrides: &$p.parameter_overrides,
            deployment_role: $p.deployment_role.as_ref(),
            cfn_capabilities: $p.cfn_capabilities.as_ref(),
            template_configuration: $p.template_configuration.as_ref(),
        }
    };
}

/// The inputs of an action deploying a template: the extra inputs, then the template's
/// artifact, then the template configuration's (aws-cdk-lib's `extraInputs` order).
fn template_inputs(
    extra_inputs: &[Artifact],
    template_path: &ArtifactPath,
    template_configuration: Option<&ArtifactPath>,
) -> Vec<Artifact> {
    let mut inputs = extra_inputs.to_vec();
    inputs.push(template_path.artifact.clone());
    inputs.extend(template_configuration.map(|c| c.artifact.clone()));
    inputs
}

impl ActionFields<'_> {
    /// The output artifact of an action with an `OutputFileName`: the given one or
    /// `<action>_<stack>_Artifact` (aws-cdk-lib's `CloudFormationAction`).
    fn output_artifact(&self) -> Option<Artifact> {
        self.output_file_name.map(|_| {
            self.output.cloned().unwrap_or_else(|| {
                Artifact::new(&format!(
                    "{}_{}_Artifact",
                    self.action_name, self.stack_name
                ))
            })
        })
    }

    /// The action properties of a CloudFormation action with these inputs and output.
    fn properties(&self, inputs: Vec<Artifact>, output: Option<&Artifact>) -> ActionProperties {
        ActionProperties {
            artifact_bounds: CFN_BOUNDS,
            run_order: self.run_order,
            inputs,
            outputs: output.into_iter().cloned().collect(),
            role: self.role.cloned(),
            account: self.account.cloned(),
            region: self.region.cloned(),
            variables_namespace: self.variables_namespace.cloned(),
            ..ActionProperties::new(
                self.action_name.to_string(),
                ActionCategory::Deploy,
                "CloudFormation",
            )
        }
    }

    /// The common part of every CloudFormation action's binding: stack-name check, then the
    /// artifact bucket grant to the action role (read/write with an output, read with
    /// inputs).
    fn bind_common(
        &self,
        scope: &Node,
        options: &ActionBindOptions,
        has_inputs: bool,
        has_output: bool,
    ) {
        for e in stack_name_errors(self.stack_name) {
            scope.add_error(&e);
        }
        let singleton = SingletonPolicy::for_role(&options.role);
        if has_output {
            options.bucket.grant_read_write(&singleton);
        } else if has_inputs {
            options.bucket.grant_read(&singleton);
        }
    }

    /// `StackName` and `OutputFileName`.
    fn configuration(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("StackName", self.stack_name.into()),
            (
                "OutputFileName",
                self.output_file_name
                    .cloned()
                    .map(Value::from)
                    .unwrap_or_default(),
            ),
        ]
    }
}

impl DeployFields<'_> {
    /// The binding every deploying action shares: the deployment role (given, or created and
    /// granted), the stack-name check and the artifact grants; returns the configuration they
    /// share (`StackName`, `OutputFileName`, `Capabilities`, `RoleArn`, `ParameterOverrides`,
    /// `TemplateConfiguration`), to which the action adds its own.
    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
        has_inputs: bool,
        has_output: bool,
    ) -> Vec<(&'static str, Value)> {
        let deployment_role = deployment_role_for(
            scope,
            stage,
            options,
            self.deployment_role,
            self.action.action_name,
            self.admin_permissions,
        );
        let capabilities = render_capabilities(self.cfn_capabilities, self.admin_permissions);
        self.action
            .bind_common(scope, options, has_inputs, has_output);
        let mut configuration = self.action.configuration();
        configuration.extend([
            (
                "Capabilities",
                capabilities.map(Value::from).unwrap_or_default(),
            ),
            ("RoleArn", deployment_role.role_arn().into_value()),
            (
                "ParameterOverrides",
                parameter_overrides(self.parameter_overrides),
            ),
            (
                "TemplateConfiguration",
                self.template_configuration
                    .map(|c| c.location().into_value())
                    .unwrap_or_default(),
            ),
        ]);
        configuration
    }
}

fn parameter_overrides(overrides: &[(Str, Value)]) -> Value {
    if overrides.is_empty() {
        Value::Null
    } else {
        json_object_string(overrides.to_vec()).into_value()
    }
}

/// aws-cdk-lib's `CloudFormationDeployAction` deployment role: the given one, or a new role
/// assumed by `cloudformation.amazonaws.com` (`Role` under the action; in the action role's
/// account, named `<pipeline>-<stage>-<action>-DeploymentRole` with a generated physical name,
/// when that is another account), granted read on the artifact bucket (and `*` with admin
/// permissions). The action role may pass it.
fn deployment_role_for(
    scope: &Node,
    stage: &StageContext,
    options: &ActionBindOptions,
    given: Option<&Rc<dyn IRole>>,
    action_name: &str,
    admin_permissions: bool,
) -> Rc<dyn IRole> {
    let deployment_role: Rc<dyn IRole> = match given {
        Some(r) => r.clone(),
        None => {
            let pipeline_stack = Stack::of(scope);
            let role_stack = Stack::of(options.role.node());
            let other_account = match (&role_stack, &pipeline_stack) {
                (Some(r), Some(ps)) => r.account() != ps.account(),
                _ => false,
            };
            let role = match (other_account, &role_stack) {
                (true, Some(rs)) => Role::new(
                    rs,
                    &format!(
                        "{}-{}-{}-DeploymentRole",
                        Names::unique_id(&stage.pipeline),
                        stage.stage_name,
                        action_name
                    ),
                    RoleProps {
                        role_name: Some(PhysicalName::GENERATE_IF_NEEDED),
                        ..RoleProps::assumed_by(ServicePrincipal::new(
                            "cloudformation.amazonaws.com",
                        ))
                    },
                ),
                _ => Role::new(
                    scope,
                    "Role",
                    RoleProps::assumed_by(ServicePrincipal::new("cloudformation.amazonaws.com")),
                ),
            };
            // CloudFormation may need the artifacts (e.g. Lambda code): bucket and key.
            options.bucket.grant_read(&role);
            if admin_permissions {
                role.add_to_policy(PolicyStatement::new().action("*").all_resources());
            }
            Rc::new(role)
        }
    };
    SingletonPolicy::for_role(&options.role).grant_pass_role(deployment_role.as_ref());
    deployment_role
}

/// The `Capabilities` configuration: the given ones joined with `,` (none → absent), or
/// `CAPABILITY_NAMED_IAM` with admin permissions.
fn render_capabilities(given: Option<&Vec<CfnCapabilities>>, admin: bool) -> Option<String> {
    let capabilities = match given {
        Some(c) => Some(c.clone()),
        None if admin => Some(vec![CfnCapabilities::NamedIam]),
        None => None,
    };
    capabilities
        .map(|c| {
            c.iter()
                .map(|c| c.as_str())
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|s| !s.is_empty())
}

/// Problems with a literal CloudFormation stack name.
pub fn stack_name_errors(name: &str) -> Vec<String> {
    let mut chars = name.chars();
    let ok = name.len() <= 128
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Vec::new()
    } else {
        vec![format!(
            "stack name '{name}' must match ^[A-Za-z][A-Za-z0-9-]*$ and be at most 128 characters"
        )]
    }
}

// ---------------------------------------------------------------------------------------
// Create/update stack

/// Properties of a [`CloudFormationCreateUpdateStackAction`].
#[derive(Clone)]
pub struct CloudFormationCreateUpdateStackActionProps {
    /// Action name.
    pub action_name: String,
    /// The template (`artifact.at_path("Stack.template.json")`).
    pub template_path: ArtifactPath,
    /// The stack to create or update.
    pub stack_name: String,
    /// Give a generated deployment role full permissions (and default the capabilities to
    /// `CAPABILITY_NAMED_IAM`).
    pub admin_permissions: bool,
    /// Parameter overrides, in order: keys may be tokens (another stack's parameter logical
    /// IDs), values may be [`Artifact::bucket_name`]/[`Artifact::object_key`]. Rendered as the
    /// JSON string CodePipeline expects.
    pub parameter_overrides: Vec<(Str, Value)>,
    /// Extra inputs (e.g. the artifact the parameter overrides point into).
    pub extra_inputs: Vec<Artifact>,
    /// The role CloudFormation runs as (default: a new `Role` assumed by
    /// `cloudformation.amazonaws.com`, granted read on the artifact bucket; in the action
    /// role's account when that is another one).
    pub deployment_role: Option<Rc<dyn IRole>>,
    /// The role of the action, assumed by the pipeline (default: a new
    /// `CodePipelineActionRole`, or a role created in `account` when that is another one).
    pub role: Option<Rc<dyn IRole>>,
    /// Capabilities (default none, or `CAPABILITY_NAMED_IAM` with admin permissions).
    pub cfn_capabilities: Option<Vec<CfnCapabilities>>,
    /// The account the action runs in (its role is created there when not given).
    pub account: Option<String>,
    /// The region the action runs in (must be the pipeline's).
    pub region: Option<String>,
    /// Delete and recreate a stack in a failed state (`REPLACE_ON_FAILURE`).
    pub replace_on_failure: bool,
    /// A template configuration file (parameters, tags, stack policy).
    pub template_configuration: Option<ArtifactPath>,
    /// File in the output artifact receiving CloudFormation's result.
    pub output_file_name: Option<String>,
    /// Output artifact (with `output_file_name`; default `<action>_<stack>_Artifact`).
    pub output: Option<Artifact>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CloudFormationCreateUpdateStackActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        template_path: ArtifactPath,
        stack_name: &str,
        admin_permissions: bool,
    ) -> Self {
        CloudFormationCreateUpdateStackActionProps {
            action_name: action_name.to_string(),
            template_path,
            stack_name: stack_name.to_string(),
            admin_permissions,
            parameter_overrides: Vec::new(),
            extra_inputs: Vec::new(),
            deployment_role: None,
            role: None,
            cfn_capabilities: None,
            account: None,
            region: None,
            replace_on_failure: false,
            template_configuration: None,
            output_file_name: None,
            output: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Creates or updates a CloudFormation stack from a template artifact.
#[derive(Clone)]
pub struct CloudFormationCreateUpdateStackAction {
    props: CloudFormationCreateUpdateStackActionProps,
    output: Option<Artifact>,
    namespace: ActionNamespace,
}

impl CloudFormationCreateUpdateStackAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationCreateUpdateStackActionProps) -> Self {
        let output = action_fields!(props).output_artifact();
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CloudFormationCreateUpdateStackAction {
            props,
            output,
            namespace,
        }
    }

    /// `#{Namespace.<variable_name>}`: the value of output `variable_name` of the deployed stack (CodePipeline exports every stack output; aws-cdk-lib has no accessor for these, so this is rcdk's), for a later action's configuration
    /// (aws-cdk-lib's `variable(name)`). Using it makes the pipeline render the action's
    /// namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variable(&self, variable_name: &str) -> Str {
        self.namespace.variable_expression(variable_name)
    }

    fn inputs(&self) -> Vec<Artifact> {
        let p = &self.props;
        template_inputs(
            &p.extra_inputs,
            &p.template_path,
            p.template_configuration.as_ref(),
        )
    }
}

impl IAction for CloudFormationCreateUpdateStackAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        action_fields!(self.props).properties(self.inputs(), self.output.as_ref())
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let mut configuration =
            deploy_fields!(p).bind(scope, stage, options, true, self.output.is_some());
        SingletonPolicy::for_role(&options.role).grant_create_update_stack(
            &p.stack_name,
            p.region.as_deref(),
            p.replace_on_failure,
        );
        let mode = if p.replace_on_failure {
            "REPLACE_ON_FAILURE"
        } else {
            "CREATE_UPDATE"
        };
        configuration.extend([
            ("ActionMode", mode.into()),
            ("TemplatePath", p.template_path.location().into_value()),
        ]);
        ActionConfig {
            configuration: Some(config(configuration)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Create/replace change set

/// Properties of a [`CloudFormationCreateReplaceChangeSetAction`].
#[derive(Clone)]
pub struct CloudFormationCreateReplaceChangeSetActionProps {
    /// Action name.
    pub action_name: String,
    /// The template (`artifact.at_path("template.yaml")`).
    pub template_path: ArtifactPath,
    /// The stack the change set is for.
    pub stack_name: String,
    /// The change set to create or replace.
    pub change_set_name: String,
    /// Give a generated deployment role full permissions (and default the capabilities to
    /// `CAPABILITY_NAMED_IAM`).
    pub admin_permissions: bool,
    /// Parameter overrides, in order (rendered as the JSON string CodePipeline expects).
    pub parameter_overrides: Vec<(Str, Value)>,
    /// Extra inputs (e.g. the artifact parameter overrides point into).
    pub extra_inputs: Vec<Artifact>,
    /// The role CloudFormation runs as (default: a new `Role` assumed by
    /// `cloudformation.amazonaws.com`; in the action role's account when that is another one).
    pub deployment_role: Option<Rc<dyn IRole>>,
    /// The role of the action (default: a new `CodePipelineActionRole`, or a role created in
    /// `account` when that is another one).
    pub role: Option<Rc<dyn IRole>>,
    /// Capabilities (default none, or `CAPABILITY_NAMED_IAM` with admin permissions).
    pub cfn_capabilities: Option<Vec<CfnCapabilities>>,
    /// The account the action runs in.
    pub account: Option<String>,
    /// The region the action runs in (must be the pipeline's).
    pub region: Option<String>,
    /// A template configuration file (parameters, tags, stack policy).
    pub template_configuration: Option<ArtifactPath>,
    /// File in the output artifact receiving CloudFormation's result.
    pub output_file_name: Option<String>,
    /// Output artifact (with `output_file_name`; default `<action>_<stack>_Artifact`).
    pub output: Option<Artifact>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CloudFormationCreateReplaceChangeSetActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        template_path: ArtifactPath,
        stack_name: &str,
        change_set_name: &str,
        admin_permissions: bool,
    ) -> Self {
        CloudFormationCreateReplaceChangeSetActionProps {
            action_name: action_name.to_string(),
            template_path,
            stack_name: stack_name.to_string(),
            change_set_name: change_set_name.to_string(),
            admin_permissions,
            parameter_overrides: Vec::new(),
            extra_inputs: Vec::new(),
            deployment_role: None,
            role: None,
            cfn_capabilities: None,
            account: None,
            region: None,
            template_configuration: None,
            output_file_name: None,
            output: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Creates (or replaces) a change set of a stack from a template artifact, for a later
/// [`CloudFormationExecuteChangeSetAction`] (usually after a
/// [`ManualApprovalAction`](super::ManualApprovalAction)).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
///
/// let source = Artifact::new("SourceArtifact");
/// let prepare = CloudFormationCreateReplaceChangeSetAction::new(
///     CloudFormationCreateReplaceChangeSetActionProps {
///         run_order: Some(1),
///         ..CloudFormationCreateReplaceChangeSetActionProps::new(
///             "PrepareChanges",
///             source.at_path("template.yaml"),
///             "OurStack",
///             "StagedChangeSet",
///             true,
///         )
///     },
/// );
/// # let _ = prepare;
/// ```
#[derive(Clone)]
pub struct CloudFormationCreateReplaceChangeSetAction {
    props: CloudFormationCreateReplaceChangeSetActionProps,
    output: Option<Artifact>,
    namespace: ActionNamespace,
}

impl CloudFormationCreateReplaceChangeSetAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationCreateReplaceChangeSetActionProps) -> Self {
        let output = action_fields!(props).output_artifact();
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CloudFormationCreateReplaceChangeSetAction {
            props,
            output,
            namespace,
        }
    }

    fn inputs(&self) -> Vec<Artifact> {
        let p = &self.props;
        template_inputs(
            &p.extra_inputs,
            &p.template_path,
            p.template_configuration.as_ref(),
        )
    }
}

impl IAction for CloudFormationCreateReplaceChangeSetAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        action_fields!(self.props).properties(self.inputs(), self.output.as_ref())
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let mut configuration =
            deploy_fields!(p).bind(scope, stage, options, true, self.output.is_some());
        SingletonPolicy::for_role(&options.role).grant_create_replace_change_set(
            &p.stack_name,
            &p.change_set_name,
            p.region.as_deref(),
        );
        configuration.extend([
            ("ActionMode", "CHANGE_SET_REPLACE".into()),
            ("ChangeSetName", p.change_set_name.as_str().into()),
            ("TemplatePath", p.template_path.location().into_value()),
        ]);
        ActionConfig {
            configuration: Some(config(configuration)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Execute change set

/// Properties of a [`CloudFormationExecuteChangeSetAction`].
#[derive(Clone)]
pub struct CloudFormationExecuteChangeSetActionProps {
    /// Action name.
    pub action_name: String,
    /// The stack the change set belongs to.
    pub stack_name: String,
    /// The change set to execute.
    pub change_set_name: String,
    /// The role of the action (default: a new `CodePipelineActionRole`, or a role created in
    /// `account` when that is another one).
    pub role: Option<Rc<dyn IRole>>,
    /// The account the action runs in.
    pub account: Option<String>,
    /// The region the action runs in (must be the pipeline's).
    pub region: Option<String>,
    /// File in the output artifact receiving CloudFormation's result.
    pub output_file_name: Option<String>,
    /// Output artifact (with `output_file_name`; default `<action>_<stack>_Artifact`).
    pub output: Option<Artifact>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CloudFormationExecuteChangeSetActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, stack_name: &str, change_set_name: &str) -> Self {
        CloudFormationExecuteChangeSetActionProps {
            action_name: action_name.to_string(),
            stack_name: stack_name.to_string(),
            change_set_name: change_set_name.to_string(),
            role: None,
            account: None,
            region: None,
            output_file_name: None,
            output: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Executes a change set prepared by a [`CloudFormationCreateReplaceChangeSetAction`].
///
/// ```
/// use cdk_constructs::codepipeline_actions::*;
///
/// let execute = CloudFormationExecuteChangeSetAction::new(CloudFormationExecuteChangeSetActionProps {
///     run_order: Some(3),
///     ..CloudFormationExecuteChangeSetActionProps::new("ExecuteChanges", "OurStack", "StagedChangeSet")
/// });
/// # let _ = execute;
/// ```
#[derive(Clone)]
pub struct CloudFormationExecuteChangeSetAction {
    props: CloudFormationExecuteChangeSetActionProps,
    output: Option<Artifact>,
    namespace: ActionNamespace,
}

impl CloudFormationExecuteChangeSetAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationExecuteChangeSetActionProps) -> Self {
        let output = action_fields!(props).output_artifact();
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CloudFormationExecuteChangeSetAction {
            props,
            output,
            namespace,
        }
    }

    /// `#{Namespace.<variable_name>}`: the value of output `variable_name` of the deployed stack (CodePipeline exports every stack output; aws-cdk-lib has no accessor for these, so this is rcdk's), for a later action's configuration
    /// (aws-cdk-lib's `variable(name)`). Using it makes the pipeline render the action's
    /// namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variable(&self, variable_name: &str) -> Str {
        self.namespace.variable_expression(variable_name)
    }
}

impl IAction for CloudFormationExecuteChangeSetAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        action_fields!(self.props).properties(Vec::new(), self.output.as_ref())
    }

    fn bind(
        &self,
        scope: &Node,
        _stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        SingletonPolicy::for_role(&options.role).grant_execute_change_set(
            &p.stack_name,
            &p.change_set_name,
            p.region.as_deref(),
        );
        let fields = action_fields!(p);
        fields.bind_common(scope, options, false, self.output.is_some());
        let mut configuration = fields.configuration();
        configuration.extend([
            ("ActionMode", "CHANGE_SET_EXECUTE".into()),
            ("ChangeSetName", p.change_set_name.as_str().into()),
        ]);
        ActionConfig {
            configuration: Some(config(configuration)),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Delete stack

/// Properties of a [`CloudFormationDeleteStackAction`].
#[derive(Clone)]
pub struct CloudFormationDeleteStackActionProps {
    /// Action name.
    pub action_name: String,
    /// The stack to delete.
    pub stack_name: String,
    /// Give a generated deployment role full permissions (and default the capabilities to
    /// `CAPABILITY_NAMED_IAM`).
    pub admin_permissions: bool,
    /// Parameter overrides (rendered as the JSON string CodePipeline expects).
    pub parameter_overrides: Vec<(Str, Value)>,
    /// Inputs (e.g. an artifact parameter overrides point into).
    pub extra_inputs: Vec<Artifact>,
    /// The role CloudFormation runs as (default: a new `Role` assumed by
    /// `cloudformation.amazonaws.com`).
    pub deployment_role: Option<Rc<dyn IRole>>,
    /// The role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Capabilities (default none, or `CAPABILITY_NAMED_IAM` with admin permissions).
    pub cfn_capabilities: Option<Vec<CfnCapabilities>>,
    /// The account the action runs in.
    pub account: Option<String>,
    /// The region the action runs in (must be the pipeline's).
    pub region: Option<String>,
    /// A template configuration file.
    pub template_configuration: Option<ArtifactPath>,
    /// File in the output artifact receiving CloudFormation's result.
    pub output_file_name: Option<String>,
    /// Output artifact (with `output_file_name`; default `<action>_<stack>_Artifact`).
    pub output: Option<Artifact>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CloudFormationDeleteStackActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, stack_name: &str, admin_permissions: bool) -> Self {
        CloudFormationDeleteStackActionProps {
            action_name: action_name.to_string(),
            stack_name: stack_name.to_string(),
            admin_permissions,
            parameter_overrides: Vec::new(),
            extra_inputs: Vec::new(),
            deployment_role: None,
            role: None,
            cfn_capabilities: None,
            account: None,
            region: None,
            template_configuration: None,
            output_file_name: None,
            output: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Deletes a CloudFormation stack (`DELETE_ONLY`).
///
/// ```
/// use cdk_constructs::codepipeline_actions::*;
///
/// let delete = CloudFormationDeleteStackAction::new(
///     CloudFormationDeleteStackActionProps::new("DeleteTestStack", "TestStack", true),
/// );
/// # let _ = delete;
/// ```
#[derive(Clone)]
pub struct CloudFormationDeleteStackAction {
    props: CloudFormationDeleteStackActionProps,
    output: Option<Artifact>,
    namespace: ActionNamespace,
}

impl CloudFormationDeleteStackAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationDeleteStackActionProps) -> Self {
        let output = action_fields!(props).output_artifact();
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CloudFormationDeleteStackAction {
            props,
            output,
            namespace,
        }
    }
}

impl IAction for CloudFormationDeleteStackAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        action_fields!(self.props).properties(self.props.extra_inputs.clone(), self.output.as_ref())
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let mut configuration = deploy_fields!(p).bind(
            scope,
            stage,
            options,
            !p.extra_inputs.is_empty(),
            self.output.is_some(),
        );
        SingletonPolicy::for_role(&options.role)
            .grant_delete_stack(&p.stack_name, p.region.as_deref());
        configuration.push(("ActionMode", "DELETE_ONLY".into()));
        ActionConfig {
            configuration: Some(config(configuration)),
        }
    }
}
