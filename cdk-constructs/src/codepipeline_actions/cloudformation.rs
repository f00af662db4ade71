//! CloudFormation change-set and delete actions (aws-cdk-lib's
//! `CloudFormationCreateReplaceChangeSetAction`, `CloudFormationExecuteChangeSetAction`,
//! `CloudFormationDeleteStackAction`), with the same roles and grants as
//! [`CloudFormationCreateUpdateStackAction`](super::CloudFormationCreateUpdateStackAction).

use std::rc::Rc;

use cdk_core::{Node, Str, Value};

use super::{
    config, deployment_role_for, render_capabilities, stack_name_errors, CfnCapabilities,
    SingletonPolicy,
};
use crate::codebuild::json_object_string;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    Artifact, ArtifactPath, IAction, StageContext,
};
use crate::iam::IRole;

/// The artifact bounds of every CloudFormation action.
const CFN_BOUNDS: ActionArtifactBounds = ActionArtifactBounds {
    min_inputs: 0,
    max_inputs: 10,
    min_outputs: 0,
    max_outputs: 1,
};

/// The output artifact of an action with an `OutputFileName`: the given one or
/// `<action>_<stack>_Artifact` (aws-cdk-lib's `CloudFormationAction`).
fn output_artifact(
    action_name: &str,
    stack_name: &str,
    output_file_name: Option<&String>,
    output: Option<&Artifact>,
) -> Option<Artifact> {
    output_file_name.map(|_| {
        output
            .cloned()
            .unwrap_or_else(|| Artifact::new(&format!("{action_name}_{stack_name}_Artifact")))
    })
}

/// The common part of every CloudFormation action's binding: stack-name check, then the
/// artifact bucket grant to the action role (read/write with an output, read with inputs).
fn bind_common(
    scope: &Node,
    options: &ActionBindOptions,
    stack_name: &str,
    has_inputs: bool,
    has_output: bool,
) {
    for e in stack_name_errors(stack_name) {
        scope.add_error(&e);
    }
    let singleton = SingletonPolicy::for_role(&options.role);
    if has_output {
        options.bucket.grant_read_write(&singleton);
    } else if has_inputs {
        options.bucket.grant_read(&singleton);
    }
}

/// The action properties every CloudFormation action shares; callers fill in the role,
/// account, region, run order and namespace.
fn base_properties(
    action_name: &str,
    inputs: Vec<Artifact>,
    output: Option<&Artifact>,
) -> ActionProperties {
    ActionProperties {
        action_name: action_name.to_string(),
        category: ActionCategory::Deploy,
        provider: "CloudFormation".into(),
        owner: None,
        version: None,
        run_order: None,
        artifact_bounds: CFN_BOUNDS,
        inputs,
        outputs: output.into_iter().cloned().collect(),
        role: None,
        account: None,
        region: None,
        resource: None,
        variables_namespace: None,
        timeout_minutes: None,
    }
}

fn parameter_overrides(overrides: &[(Str, Value)]) -> Value {
    if overrides.is_empty() {
        Value::Null
    } else {
        json_object_string(overrides.to_vec()).into_value()
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
}

impl CloudFormationCreateReplaceChangeSetAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationCreateReplaceChangeSetActionProps) -> Self {
        let output = output_artifact(
            &props.action_name,
            &props.stack_name,
            props.output_file_name.as_ref(),
            props.output.as_ref(),
        );
        CloudFormationCreateReplaceChangeSetAction { props, output }
    }

    fn inputs(&self) -> Vec<Artifact> {
        let p = &self.props;
        let mut inputs = p.extra_inputs.clone();
        inputs.push(p.template_path.artifact.clone());
        if let Some(c) = &p.template_configuration {
            inputs.push(c.artifact.clone());
        }
        inputs
    }
}

impl IAction for CloudFormationCreateReplaceChangeSetAction {
    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            role: p.role.clone(),
            account: p.account.clone(),
            region: p.region.clone(),
            run_order: p.run_order,
            variables_namespace: p.variables_namespace.clone(),
            ..base_properties(&p.action_name, self.inputs(), self.output.as_ref())
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let deployment_role = deployment_role_for(
            scope,
            stage,
            options,
            p.deployment_role.as_ref(),
            &p.action_name,
            p.admin_permissions,
        );
        let capabilities = render_capabilities(p.cfn_capabilities.as_ref(), p.admin_permissions);
        bind_common(scope, options, &p.stack_name, true, self.output.is_some());
        SingletonPolicy::for_role(&options.role).grant_create_replace_change_set(
            &p.stack_name,
            &p.change_set_name,
            p.region.as_deref(),
        );
        ActionConfig {
            configuration: Some(config(vec![
                ("StackName", p.stack_name.as_str().into()),
                (
                    "OutputFileName",
                    p.output_file_name
                        .clone()
                        .map(Value::from)
                        .unwrap_or_default(),
                ),
                (
                    "Capabilities",
                    capabilities.map(Value::from).unwrap_or_default(),
                ),
                ("RoleArn", deployment_role.role_arn().into_value()),
                (
                    "ParameterOverrides",
                    parameter_overrides(&p.parameter_overrides),
                ),
                (
                    "TemplateConfiguration",
                    p.template_configuration
                        .as_ref()
                        .map(|c| c.location().into_value())
                        .unwrap_or_default(),
                ),
                ("ActionMode", "CHANGE_SET_REPLACE".into()),
                ("ChangeSetName", p.change_set_name.as_str().into()),
                ("TemplatePath", p.template_path.location().into_value()),
            ])),
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
}

impl CloudFormationExecuteChangeSetAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationExecuteChangeSetActionProps) -> Self {
        let output = output_artifact(
            &props.action_name,
            &props.stack_name,
            props.output_file_name.as_ref(),
            props.output.as_ref(),
        );
        CloudFormationExecuteChangeSetAction { props, output }
    }
}

impl IAction for CloudFormationExecuteChangeSetAction {
    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            role: p.role.clone(),
            account: p.account.clone(),
            region: p.region.clone(),
            run_order: p.run_order,
            variables_namespace: p.variables_namespace.clone(),
            ..base_properties(&p.action_name, Vec::new(), self.output.as_ref())
        }
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
        bind_common(scope, options, &p.stack_name, false, self.output.is_some());
        ActionConfig {
            configuration: Some(config(vec![
                ("StackName", p.stack_name.as_str().into()),
                (
                    "OutputFileName",
                    p.output_file_name
                        .clone()
                        .map(Value::from)
                        .unwrap_or_default(),
                ),
                ("ActionMode", "CHANGE_SET_EXECUTE".into()),
                ("ChangeSetName", p.change_set_name.as_str().into()),
            ])),
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
}

impl CloudFormationDeleteStackAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationDeleteStackActionProps) -> Self {
        let output = output_artifact(
            &props.action_name,
            &props.stack_name,
            props.output_file_name.as_ref(),
            props.output.as_ref(),
        );
        CloudFormationDeleteStackAction { props, output }
    }
}

impl IAction for CloudFormationDeleteStackAction {
    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            role: p.role.clone(),
            account: p.account.clone(),
            region: p.region.clone(),
            run_order: p.run_order,
            variables_namespace: p.variables_namespace.clone(),
            ..base_properties(&p.action_name, p.extra_inputs.clone(), self.output.as_ref())
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let deployment_role = deployment_role_for(
            scope,
            stage,
            options,
            p.deployment_role.as_ref(),
            &p.action_name,
            p.admin_permissions,
        );
        let capabilities = render_capabilities(p.cfn_capabilities.as_ref(), p.admin_permissions);
        bind_common(
            scope,
            options,
            &p.stack_name,
            !p.extra_inputs.is_empty(),
            self.output.is_some(),
        );
        SingletonPolicy::for_role(&options.role)
            .grant_delete_stack(&p.stack_name, p.region.as_deref());
        ActionConfig {
            configuration: Some(config(vec![
                ("StackName", p.stack_name.as_str().into()),
                (
                    "OutputFileName",
                    p.output_file_name
                        .clone()
                        .map(Value::from)
                        .unwrap_or_default(),
                ),
                (
                    "Capabilities",
                    capabilities.map(Value::from).unwrap_or_default(),
                ),
                ("RoleArn", deployment_role.role_arn().into_value()),
                (
                    "ParameterOverrides",
                    parameter_overrides(&p.parameter_overrides),
                ),
                (
                    "TemplateConfiguration",
                    p.template_configuration
                        .as_ref()
                        .map(|c| c.location().into_value())
                        .unwrap_or_default(),
                ),
                ("ActionMode", "DELETE_ONLY".into()),
            ])),
        }
    }
}
