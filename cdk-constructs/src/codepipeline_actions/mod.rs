//! Pipeline actions: CodeCommit source, CodeBuild build/test, CloudFormation deploy
//! (aws-cdk-lib's `aws-codepipeline-actions`), with the IAM wiring aws-cdk-lib adds.
//!
//! Cross-account deploy (the role CloudFormation runs as and the action role both imported
//! from the target account):
//!
//! ```
//! use cdk_core::{App, Environment, Stack, StackProps};
//! use cdk_constructs::codepipeline::{Artifact, RoleRef};
//! use cdk_constructs::codepipeline_actions::*;
//! use cdk_constructs::iam::{FromRoleArnOptions, Role};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "CrossAccountPipelineStack", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let immutable = FromRoleArnOptions { mutable: false };
//! let deployment_role = Role::from_role_arn(&stack, "ProdDeploymentRole",
//!     "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole", immutable);
//! let cross_account_role = Role::from_role_arn(&stack, "ProdCrossAccountRole",
//!     "arn:aws:iam::222222222222:role/CodePipelineCrossAccountRole", immutable);
//! let cdk_output = Artifact::new("CdkBuildOutput");
//! let deploy = CloudFormationCreateUpdateStackAction::new(CloudFormationCreateUpdateStackActionProps {
//!     deployment_role: Some(RoleRef::from(&deployment_role)),
//!     role: Some(RoleRef::from(&cross_account_role)),
//!     cfn_capabilities: Some(vec![CfnCapabilities::AnonymousIam]),
//!     ..CloudFormationCreateUpdateStackActionProps::new(
//!         "Deploy",
//!         cdk_output.at_path("ProdApplicationStack.template.json"),
//!         "ProdApplicationDeploymentStack",
//!         true,
//!     )
//! });
//! # let _ = deploy;
//! ```

use cdk_core::{IConstruct, Node, Stack, Str, Value};

use crate::codebuild::{
    env_variables_json, json_object_string, serialize_env_variables, EnvironmentVariables, Project,
};
use crate::codecommit::{OnCommitOptions, Repository};
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    ActionResource, Artifact, ArtifactPath, IAction, RoleRef, StageContext,
};
use crate::events::env::{different_env_dimension, unique_id};
use crate::events::{CodePipelineTarget, CodePipelineTargetOptions};
use crate::iam::{Grant, PolicyStatement, Role, RoleProps, ServicePrincipal};

fn config(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(
        pairs
            .into_iter()
            .filter(|(_, v)| !matches!(v, Value::Null))
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn pipeline_stack(stage: &StageContext) -> Option<Stack> {
    Stack::of(&stage.pipeline)
}

// ---------------------------------------------------------------------------------------
// CodeCommit

/// How a CodeCommit source action notices changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CodeCommitTrigger {
    /// Never: the pipeline runs only when started.
    None,
    /// CodePipeline polls the repository.
    Poll,
    /// An EventBridge rule on the repository starts the pipeline (the default).
    #[default]
    Events,
}

/// Properties of a [`CodeCommitSourceAction`].
#[derive(Clone)]
pub struct CodeCommitSourceActionProps {
    /// Action name.
    pub action_name: String,
    /// The repository (created, or imported by name/ARN; may be in another account).
    pub repository: Repository,
    /// The artifact receiving the source.
    pub output: Artifact,
    /// Branch (default `master`, as aws-cdk-lib without the newer feature flag).
    pub branch: Option<String>,
    /// Change detection (default events).
    pub trigger: CodeCommitTrigger,
    /// Role of the action. A repository in another account needs a role in that account
    /// (imported with `Role::from_role_arn`), trusted by the pipeline's account.
    pub role: Option<RoleRef>,
    /// Role of the commit event rule (default: the pipeline's `EventsRole`).
    pub event_role: Option<RoleRef>,
    /// Output a clone reference for CodeBuild instead of the contents.
    pub code_build_clone_output: bool,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CodeCommitSourceActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, repository: &Repository, output: &Artifact) -> Self {
        CodeCommitSourceActionProps {
            action_name: action_name.to_string(),
            repository: repository.clone(),
            output: output.clone(),
            branch: None,
            trigger: CodeCommitTrigger::Events,
            role: None,
            event_role: None,
            code_build_clone_output: false,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Source action reading a CodeCommit branch.
#[derive(Clone)]
pub struct CodeCommitSourceAction {
    props: CodeCommitSourceActionProps,
}

impl CodeCommitSourceAction {
    /// An action from `props`.
    pub fn new(props: CodeCommitSourceActionProps) -> Self {
        CodeCommitSourceAction { props }
    }
}

impl IAction for CodeCommitSourceAction {
    fn action_properties(&self) -> ActionProperties {
        let repo = &self.props.repository;
        ActionProperties {
            action_name: self.props.action_name.clone(),
            category: ActionCategory::Source,
            provider: "CodeCommit".into(),
            owner: None,
            version: None,
            run_order: self.props.run_order,
            artifact_bounds: ActionArtifactBounds {
                min_inputs: 0,
                max_inputs: 0,
                min_outputs: 1,
                max_outputs: 1,
            },
            inputs: Vec::new(),
            outputs: vec![self.props.output.clone()],
            role: self.props.role.clone(),
            account: None,
            region: None,
            resource: Stack::of(repo).map(|stack| ActionResource {
                stack,
                account: repo.env_account(),
                region: repo.env_region(),
            }),
            variables_namespace: self.props.variables_namespace.clone(),
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let branch = p.branch.clone().unwrap_or_else(|| "master".into());
        if branch.is_empty() {
            scope.add_error("'branch' parameter cannot be an empty string");
        }
        let pipeline = &stage.pipeline;
        if p.trigger == CodeCommitTrigger::Events {
            let disambiguator = if p.branch.is_none() || branch == "master" {
                String::new()
            } else {
                format!("-{branch}-")
            };
            let event_id = format!("{}{disambiguator}EventRule", unique_id(pipeline));
            p.repository.on_commit(
                &event_id,
                OnCommitOptions {
                    branches: vec![branch.clone()],
                    target: Some(std::rc::Rc::new(CodePipelineTarget::with_options(
                        pipeline,
                        CodePipelineTargetOptions {
                            event_role: p.event_role.clone(),
                        },
                    ))),
                    cross_stack_scope: Some(pipeline.node().clone()),
                    ..Default::default()
                },
            );
        }
        // The action writes the repository contents to the bucket.
        options.bucket.grant_read_write(&options.role);
        let pipeline_account = pipeline_stack(stage).map(|s| s.account());
        if pipeline_account
            .as_ref()
            .is_some_and(|a| different_env_dimension(&p.repository.env_account(), a))
        {
            Grant::add_to_principal_or_resource(
                &options.role,
                &["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
                [options.bucket.arn_for_objects("*")],
                &options.bucket,
            );
        }
        let mut actions = vec![
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:UploadArchive",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:CancelUploadArchive",
        ];
        if p.code_build_clone_output {
            actions.push("codecommit:GetRepository");
        }
        options.role.add_to_policy(
            PolicyStatement::new()
                .actions(actions)
                .resource(p.repository.repository_arn_for(&options.role)),
        );
        ActionConfig {
            configuration: Some(config(vec![
                (
                    "RepositoryName",
                    p.repository.repository_name_for(pipeline).into_value(),
                ),
                ("BranchName", branch.into()),
                (
                    "PollForSourceChanges",
                    (p.trigger == CodeCommitTrigger::Poll).into(),
                ),
                (
                    "OutputArtifactFormat",
                    if p.code_build_clone_output {
                        "CODEBUILD_CLONE_REF".into()
                    } else {
                        Value::Null
                    },
                ),
            ])),
        }
    }
}

// ---------------------------------------------------------------------------------------
// CodeBuild

/// Whether a CodeBuild action builds or tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CodeBuildActionType {
    /// `Build` category (the default).
    #[default]
    Build,
    /// `Test` category.
    Test,
}

/// Properties of a [`CodeBuildAction`].
#[derive(Clone)]
pub struct CodeBuildActionProps {
    /// Action name.
    pub action_name: String,
    /// The project to run.
    pub project: Project,
    /// Primary input (the build starts in it).
    pub input: Artifact,
    /// More inputs (`CODEBUILD_SRC_DIR_<name>`).
    pub extra_inputs: Vec<Artifact>,
    /// Outputs (more than one needs `secondary-artifacts` in the build spec).
    pub outputs: Vec<Artifact>,
    /// Variables for this action's builds (override the project's).
    pub environment_variables: EnvironmentVariables,
    /// Build or test.
    pub r#type: CodeBuildActionType,
    /// Role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<RoleRef>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CodeBuildActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, project: impl Into<Project>, input: &Artifact) -> Self {
        CodeBuildActionProps {
            action_name: action_name.to_string(),
            project: project.into(),
            input: input.clone(),
            extra_inputs: Vec::new(),
            outputs: Vec::new(),
            environment_variables: Vec::new(),
            r#type: CodeBuildActionType::Build,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// Runs a CodeBuild project on the pipeline's artifacts.
#[derive(Clone)]
pub struct CodeBuildAction {
    props: CodeBuildActionProps,
}

impl CodeBuildAction {
    /// An action from `props`.
    pub fn new(props: CodeBuildActionProps) -> Self {
        CodeBuildAction { props }
    }
}

impl IAction for CodeBuildAction {
    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        let mut inputs = vec![p.input.clone()];
        inputs.extend(p.extra_inputs.iter().cloned());
        ActionProperties {
            action_name: p.action_name.clone(),
            category: match p.r#type {
                CodeBuildActionType::Build => ActionCategory::Build,
                CodeBuildActionType::Test => ActionCategory::Test,
            },
            provider: "CodeBuild".into(),
            owner: None,
            version: None,
            run_order: p.run_order,
            artifact_bounds: ActionArtifactBounds {
                min_inputs: 1,
                max_inputs: 5,
                min_outputs: 0,
                max_outputs: 5,
            },
            inputs,
            outputs: p.outputs.clone(),
            role: p.role.clone(),
            account: None,
            region: None,
            resource: p.project.stack().map(|stack| ActionResource {
                account: stack.account(),
                region: stack.region(),
                stack,
            }),
            variables_namespace: p.variables_namespace.clone(),
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        if !p.outputs.is_empty() {
            if let (Some(ps), Some(projs)) = (pipeline_stack(stage), p.project.stack()) {
                if ps.account() != projs.account() {
                    scope.add_error("A cross-account CodeBuild action cannot have outputs. This is a known CodeBuild limitation. See https://github.com/aws/aws-cdk/issues/4169 for details");
                }
            }
        }
        options.role.add_to_policy(
            PolicyStatement::new()
                .actions([
                    "codebuild:BatchGetBuilds",
                    "codebuild:StartBuild",
                    "codebuild:StopBuild",
                ])
                .resource(p.project.project_arn()),
        );
        if p.project.role().is_some() {
            if p.outputs.is_empty() {
                options.bucket.grant_read(&p.project);
            } else {
                options.bucket.grant_read_write(&p.project);
            }
        }
        p.project.bind_to_code_pipeline(&options.bucket);
        let env = if p.environment_variables.is_empty() {
            Value::Null
        } else {
            let stack = p.project.stack();
            let vars =
                serialize_env_variables(&p.environment_variables, stack.as_ref(), p.project.role());
            env_variables_json(&vars).into_value()
        };
        let primary = if p.extra_inputs.is_empty() {
            Value::Null
        } else {
            p.input.name_token().into_value()
        };
        ActionConfig {
            configuration: Some(config(vec![
                ("ProjectName", p.project.project_name().into_value()),
                ("EnvironmentVariables", env),
                ("PrimarySource", primary),
            ])),
        }
    }
}

// ---------------------------------------------------------------------------------------
// CloudFormation

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
    /// `cloudformation.amazonaws.com`, granted read on the artifact bucket).
    pub deployment_role: Option<RoleRef>,
    /// The role of the action, assumed by the pipeline (default: a new
    /// `CodePipelineActionRole`). For another account: an imported role of that account.
    pub role: Option<RoleRef>,
    /// Capabilities (default none, or `CAPABILITY_NAMED_IAM` with admin permissions).
    pub cfn_capabilities: Option<Vec<CfnCapabilities>>,
    /// The account the action runs in (only for a `role` of that account).
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
}

impl CloudFormationCreateUpdateStackAction {
    /// An action from `props`.
    pub fn new(props: CloudFormationCreateUpdateStackActionProps) -> Self {
        let output = props.output_file_name.as_ref().map(|_| {
            props.output.clone().unwrap_or_else(|| {
                Artifact::new(&format!(
                    "{}_{}_Artifact",
                    props.action_name, props.stack_name
                ))
            })
        });
        CloudFormationCreateUpdateStackAction { props, output }
    }

    fn inputs(&self) -> Vec<Artifact> {
        let mut inputs: Vec<Artifact> = Vec::new();
        let mut push = |a: &Artifact| {
            if !inputs.contains(a) {
                inputs.push(a.clone());
            }
        };
        for a in &self.props.extra_inputs {
            push(a);
        }
        push(&self.props.template_path.artifact);
        if let Some(c) = &self.props.template_configuration {
            push(&c.artifact);
        }
        inputs
    }
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

impl IAction for CloudFormationCreateUpdateStackAction {
    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            action_name: p.action_name.clone(),
            category: ActionCategory::Deploy,
            provider: "CloudFormation".into(),
            owner: None,
            version: None,
            run_order: p.run_order,
            artifact_bounds: ActionArtifactBounds {
                min_inputs: 0,
                max_inputs: 10,
                min_outputs: 0,
                max_outputs: 1,
            },
            inputs: self.inputs(),
            outputs: self.output.iter().cloned().collect(),
            role: p.role.clone(),
            account: p.account.clone(),
            region: p.region.clone(),
            resource: None,
            variables_namespace: p.variables_namespace.clone(),
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        for e in stack_name_errors(&p.stack_name) {
            scope.add_error(&e);
        }
        let pipeline_account = pipeline_stack(stage).map(|s| s.account());
        let deployment_role = match &p.deployment_role {
            Some(r) => r.clone(),
            None => {
                let role_stack_account = Stack::of(&options.role).map(|s| s.account());
                if role_stack_account != pipeline_account {
                    scope.add_error("the action role is in another account: pass `deployment_role`, a role of that account CloudFormation can assume");
                }
                let role = Role::new(
                    scope,
                    "Role",
                    RoleProps::assumed_by(ServicePrincipal::new("cloudformation.amazonaws.com")),
                );
                // CloudFormation may need the artifacts (e.g. Lambda code): bucket and key.
                options.bucket.grant_read(&role);
                if p.admin_permissions {
                    role.add_to_policy(PolicyStatement::new().action("*").all_resources());
                }
                RoleRef::Created(role)
            }
        };
        // The action role passes the deployment role to CloudFormation.
        options.role.add_to_policy(
            PolicyStatement::new()
                .action("iam:PassRole")
                .resource(deployment_role.role_arn()),
        );
        // Read the inputs (read/write with an output).
        let inputs = self.inputs();
        if self.output.is_some() {
            options.bucket.grant_read_write(&options.role);
        } else if !inputs.is_empty() {
            options.bucket.grant_read(&options.role);
        }
        // Create and update that one stack.
        let role_stack = Stack::of(&options.role).or_else(|| pipeline_stack(stage));
        let (region, account) = match &role_stack {
            Some(s) => (
                p.region
                    .clone()
                    .map(Str::from)
                    .unwrap_or_else(|| s.region()),
                s.account(),
            ),
            None => (
                p.region
                    .clone()
                    .map(Str::from)
                    .unwrap_or(cdk_core::Aws::REGION),
                cdk_core::Aws::ACCOUNT_ID,
            ),
        };
        let mut actions = vec![
            "cloudformation:DescribeStack*",
            "cloudformation:CreateStack",
            "cloudformation:UpdateStack",
            "cloudformation:GetTemplate*",
            "cloudformation:ValidateTemplate",
            "cloudformation:GetStackPolicy",
            "cloudformation:SetStackPolicy",
        ];
        if p.replace_on_failure {
            actions.push("cloudformation:DeleteStack");
        }
        options
            .role
            .add_to_policy(PolicyStatement::new().actions(actions).resource(
                Str::from("arn:")
                    + cdk_core::Aws::PARTITION
                    + ":cloudformation:"
                    + region
                    + ":"
                    + account
                    + ":stack/"
                    + p.stack_name.as_str()
                    + "/*",
            ));
        let capabilities = match &p.cfn_capabilities {
            Some(c) => Some(c.clone()),
            None if p.admin_permissions => Some(vec![CfnCapabilities::NamedIam]),
            None => None,
        };
        let capabilities = capabilities
            .map(|c| {
                c.iter()
                    .map(|c| c.as_str())
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .filter(|s| !s.is_empty());
        let overrides = if p.parameter_overrides.is_empty() {
            Value::Null
        } else {
            json_object_string(p.parameter_overrides.clone()).into_value()
        };
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
                ("ParameterOverrides", overrides),
                (
                    "TemplateConfiguration",
                    p.template_configuration
                        .as_ref()
                        .map(|c| c.location().into_value())
                        .unwrap_or_default(),
                ),
                (
                    "ActionMode",
                    if p.replace_on_failure {
                        "REPLACE_ON_FAILURE"
                    } else {
                        "CREATE_UPDATE"
                    }
                    .into(),
                ),
                ("TemplatePath", p.template_path.location().into_value()),
            ])),
        }
    }
}
