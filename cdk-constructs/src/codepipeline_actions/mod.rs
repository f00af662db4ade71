//! Pipeline actions (aws-cdk-lib's `aws-codepipeline-actions`), with the IAM wiring
//! aws-cdk-lib adds: sources (CodeCommit, S3, CodeStar connections / GitHub), CodeBuild
//! build/test, CloudFormation (create/update stack, change sets, delete stack), S3 deploy,
//! Lambda invoke and manual approval.
//!
//! Cross-account deploy (the role CloudFormation runs as and the action role both imported
//! from the target account):
//!
//! ```
//! use cdk_core::{App, Environment, Stack, StackProps};
//! use cdk_constructs::codepipeline::Artifact;
//! use cdk_constructs::codepipeline_actions::*;
//! use cdk_constructs::iam::{FromRoleArnOptions, Role};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "CrossAccountPipelineStack", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let deployment_role = Role::from_role_arn(&stack, "ProdDeploymentRole",
//!     "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole", FromRoleArnOptions::immutable());
//! let cross_account_role = Role::from_role_arn(&stack, "ProdCrossAccountRole",
//!     "arn:aws:iam::222222222222:role/CodePipelineCrossAccountRole", FromRoleArnOptions::immutable());
//! let cdk_output = Artifact::new("CdkBuildOutput");
//! let deploy = CloudFormationCreateUpdateStackAction::new(CloudFormationCreateUpdateStackActionProps {
//!     deployment_role: Some(deployment_role.into()),
//!     role: Some(cross_account_role.into()),
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

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::feature_flags::{self, CODECOMMIT_SOURCE_ACTION_DEFAULT_BRANCH_NAME};
use cdk_core::{ArnComponents, IConstruct, Names, Node, Stack, Str, TokenComparison, Value};

use crate::codebuild::{
    env_variables_json, serialize_env_variables, EnvironmentVariables, IProject,
};
use crate::codecommit::{IRepository, OnCommitOptions};
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionNamespace,
    ActionProperties, ActionResource, Artifact, IAction, StageContext,
};
use crate::events::{CodePipelineTarget, CodePipelineTargetOptions, EventPattern, IRuleTarget};
use crate::iam::{IPrincipal, IRole, PolicyStatement};

mod cloudformation;
mod codestar_connections;
mod commands;
#[cfg(feature = "secretsmanager")]
mod github;
mod invoke;
mod lambda;
mod manual_approval;
mod s3;

pub use cloudformation::*;
pub use codestar_connections::*;
pub use commands::*;
#[cfg(feature = "secretsmanager")]
pub use github::*;
pub use invoke::*;
pub use lambda::*;
pub use manual_approval::*;
pub use s3::*;

fn config(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(
        pairs
            .into_iter()
            .filter(|(_, v)| !matches!(v, Value::Null))
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// The action properties of a source action (no inputs, `output` as its one output, in the
/// pipeline's account and region); callers add the role, resource, run order and namespace.
fn source_properties(action_name: &str, provider: &str, output: &Artifact) -> ActionProperties {
    ActionProperties {
        artifact_bounds: ActionArtifactBounds::new(0, 0, 1, 1),
        outputs: vec![output.clone()],
        ..ActionProperties::new(action_name.to_string(), ActionCategory::Source, provider)
    }
}

/// Artifact metadata key: the repository a CodeBuild clone reference points to.
pub const FULL_CLONE_ARN_PROPERTY: &str = "CodeCommitCloneRepositoryArn";

// ---------------------------------------------------------------------------------------
// The per-role policy of pipeline actions (aws-cdk-lib's `SingletonPolicy`)

/// One statement per kind of permission for a role's actions: statements with the same
/// actions and conditions are shared and grow their resources, as aws-cdk-lib's
/// `SingletonPolicy.forRole(role)` does.
#[derive(Clone)]
struct SingletonPolicy {
    role: Rc<dyn IRole>,
}

/// The statements of a singleton policy, kept with its construct.
type SingletonStatements = std::cell::RefCell<Vec<(String, PolicyStatement)>>;

impl SingletonPolicy {
    fn for_role(role: &Rc<dyn IRole>) -> Self {
        SingletonPolicy { role: role.clone() }
    }

    /// The statement of `actions` (+ conditions), created and added to the role on first use.
    fn statement_for(
        &self,
        actions: &[&str],
        conditions: &BTreeMap<String, BTreeMap<String, Value>>,
    ) -> PolicyStatement {
        let mut sorted: Vec<&str> = actions.to_vec();
        sorted.sort();
        let mut key = sorted.concat();
        for (op, c) in conditions {
            key.push_str(op);
            for v in c.values() {
                key.push_str(&format!("{v:?}"));
            }
        }
        let holder = self.policy_node();
        let statements = match holder.attached::<SingletonStatements>("singleton-statements") {
            Some(s) => s,
            None => {
                let s: Rc<SingletonStatements> = Rc::default();
                holder.attach("singleton-statements", s.clone());
                s
            }
        };
        let existing = statements
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, st)| st.clone());
        if let Some(s) = existing {
            return s;
        }
        // aws-cdk-lib sorts the template's actions in place while computing the key, so the
        // statement lists them sorted.
        let mut statement = PolicyStatement::new().actions(sorted.iter().copied());
        for (op, c) in conditions {
            statement = statement.conditions_for(op, c.clone());
        }
        statements.borrow_mut().push((key, statement.clone()));
        self.role.add_to_policy(statement.clone());
        statement
    }

    /// The construct the statements belong to (`8389e75f-…` under the role).
    fn policy_node(&self) -> Node {
        const UUID: &str = "8389e75f-0810-4838-bf64-d6f85a95cf83";
        let role = self.role.node();
        role.try_find_child(UUID)
            .unwrap_or_else(|| Node::new(role, UUID))
    }

    fn grant_pass_role(&self, role: &dyn IRole) {
        self.statement_for(&["iam:PassRole"], &BTreeMap::new())
            .add_resources([role.role_arn()]);
    }

    fn grant_create_update_stack(
        &self,
        stack_name: &str,
        region: Option<&str>,
        replace_on_failure: bool,
    ) {
        let mut actions = vec![
            "cloudformation:DescribeStack*",
            "cloudformation:CreateStack",
            "cloudformation:UpdateStack",
            "cloudformation:GetTemplate*",
            "cloudformation:ValidateTemplate",
            "cloudformation:GetStackPolicy",
            "cloudformation:SetStackPolicy",
        ];
        if replace_on_failure {
            actions.push("cloudformation:DeleteStack");
        }
        let arn = self.stack_arn(stack_name, region);
        self.statement_for(&actions, &BTreeMap::new())
            .add_resources([arn]);
    }

    fn grant_create_replace_change_set(
        &self,
        stack_name: &str,
        change_set_name: &str,
        region: Option<&str>,
    ) {
        let arn = self.stack_arn(stack_name, region);
        self.statement_for(
            &[
                "cloudformation:CreateChangeSet",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStacks",
            ],
            &change_set_condition(change_set_name),
        )
        .add_resources([arn]);
    }

    fn grant_execute_change_set(
        &self,
        stack_name: &str,
        change_set_name: &str,
        region: Option<&str>,
    ) {
        let arn = self.stack_arn(stack_name, region);
        self.statement_for(
            &[
                "cloudformation:DescribeStacks",
                "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeChangeSet",
                "cloudformation:ExecuteChangeSet",
            ],
            &change_set_condition(change_set_name),
        )
        .add_resources([arn]);
    }

    fn grant_delete_stack(&self, stack_name: &str, region: Option<&str>) {
        let arn = self.stack_arn(stack_name, region);
        self.statement_for(
            &[
                "cloudformation:DescribeStack*",
                "cloudformation:DeleteStack",
            ],
            &BTreeMap::new(),
        )
        .add_resources([arn]);
    }

    fn stack_arn(&self, stack_name: &str, region: Option<&str>) -> Str {
        let holder = self.policy_node();
        let mut c =
            ArnComponents::new("cloudformation", "stack").with_name(format!("{stack_name}/*"));
        if let Some(r) = region {
            c = c.with_region(r);
        }
        match Stack::of(&holder) {
            Some(s) => s.format_arn(c),
            None => Str::from(stack_name),
        }
    }
}

/// `StringEqualsIfExists: {cloudformation:ChangeSetName: name}`.
fn change_set_condition(name: &str) -> BTreeMap<String, BTreeMap<String, Value>> {
    BTreeMap::from([(
        "StringEqualsIfExists".to_string(),
        BTreeMap::from([(
            "cloudformation:ChangeSetName".to_string(),
            Value::from(name),
        )]),
    )])
}

/// A singleton policy as a grantee: its statements go to the role.
impl IPrincipal for SingletonPolicy {
    fn policy_fragment(&self) -> crate::iam::PrincipalFragment {
        self.role.policy_fragment()
    }
    fn add_to_principal_policy(
        &self,
        statement: &PolicyStatement,
    ) -> crate::iam::AddToPrincipalPolicyResult {
        self.role.add_to_principal_policy(statement)
    }
    fn principal_account(&self) -> Option<Str> {
        self.role.principal_account()
    }
    fn dedupe_key(&self) -> Option<Value> {
        self.role.dedupe_key()
    }
    fn owned_resource_node(&self) -> Option<Node> {
        self.role.owned_resource_node()
    }
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

/// An event rule of your own that starts the pipeline instead of the commit rule
/// (aws-cdk-lib's `CustomEventRule`): created on the repository with the action's event rule
/// ID, its pattern merged with the repository's (`source: aws.codecommit`, `resources`).
#[derive(Clone)]
pub struct CustomEventRule {
    /// The events to react to.
    pub event_pattern: EventPattern,
    /// What the rule invokes (e.g. a Lambda function that starts the pipeline).
    pub target: Rc<dyn IRuleTarget>,
    /// Rule name (default generated).
    pub rule_name: Option<String>,
    /// Rule description.
    pub description: Option<String>,
}

impl CustomEventRule {
    /// A rule sending the events matching `event_pattern` to `target`.
    pub fn new(event_pattern: EventPattern, target: impl IRuleTarget + 'static) -> Self {
        CustomEventRule {
            event_pattern,
            target: Rc::new(target),
            rule_name: None,
            description: None,
        }
    }
}

/// Properties of a [`CodeCommitSourceAction`].
#[derive(Clone)]
pub struct CodeCommitSourceActionProps {
    /// Action name.
    pub action_name: String,
    /// The repository (created, or imported by name/ARN; may be in another account).
    pub repository: Rc<dyn IRepository>,
    /// The artifact receiving the source.
    pub output: Artifact,
    /// Branch (default `master`, or `main` with
    /// `@aws-cdk/aws-codepipeline-actions:useNewDefaultBranchForCodeCommitSource`).
    pub branch: Option<String>,
    /// Change detection (default events).
    pub trigger: CodeCommitTrigger,
    /// Role of the action (default: a new role; for a repository in another account a role
    /// created in that account).
    pub role: Option<Rc<dyn IRole>>,
    /// Role of the commit event rule (default: the pipeline's `EventsRole`).
    pub event_role: Option<Rc<dyn IRole>>,
    /// Output a clone reference for CodeBuild instead of the contents.
    pub code_build_clone_output: bool,
    /// A rule of your own instead of the commit rule of [`CodeCommitTrigger::Events`]
    /// (created whatever the trigger).
    pub custom_event_rule: Option<CustomEventRule>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CodeCommitSourceActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        repository: &(impl IRepository + Clone + 'static),
        output: &Artifact,
    ) -> Self {
        CodeCommitSourceActionProps {
            action_name: action_name.to_string(),
            repository: Rc::new(repository.clone()),
            output: output.clone(),
            branch: None,
            trigger: CodeCommitTrigger::Events,
            role: None,
            event_role: None,
            code_build_clone_output: false,
            custom_event_rule: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// The output variables of a [`CodeCommitSourceAction`] (aws-cdk-lib's `CodeCommitSourceVariables`).
#[derive(Clone, Debug)]
pub struct CodeCommitSourceVariables {
    /// `RepositoryName`: the repository's name.
    pub repository_name: Str,
    /// `BranchName`: the branch.
    pub branch_name: Str,
    /// `AuthorDate`: when the commit was authored.
    pub author_date: Str,
    /// `CommitterDate`: when the commit was committed.
    pub committer_date: Str,
    /// `CommitId`: the commit's ID.
    pub commit_id: Str,
    /// `CommitMessage`: the commit's message.
    pub commit_message: Str,
}

/// Source action reading a CodeCommit branch.
#[derive(Clone)]
pub struct CodeCommitSourceAction {
    props: CodeCommitSourceActionProps,
    namespace: ActionNamespace,
}

impl CodeCommitSourceAction {
    /// An action from `props`.
    pub fn new(props: CodeCommitSourceActionProps) -> Self {
        if props.code_build_clone_output {
            props
                .output
                .set_metadata(FULL_CLONE_ARN_PROPERTY, props.repository.repository_arn());
        }
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CodeCommitSourceAction { props, namespace }
    }

    /// The action's output variables, as `#{Namespace.Variable}` expressions for later
    /// actions' configuration (aws-cdk-lib's `variables`). Using one makes the pipeline render
    /// the action's namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variables(&self) -> CodeCommitSourceVariables {
        CodeCommitSourceVariables {
            repository_name: self.namespace.variable_expression("RepositoryName"),
            branch_name: self.namespace.variable_expression("BranchName"),
            author_date: self.namespace.variable_expression("AuthorDate"),
            committer_date: self.namespace.variable_expression("CommitterDate"),
            commit_id: self.namespace.variable_expression("CommitId"),
            commit_message: self.namespace.variable_expression("CommitMessage"),
        }
    }
}

impl IAction for CodeCommitSourceAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            run_order: p.run_order,
            role: p.role.clone(),
            resource: ActionResource::of(p.repository.node(), p.repository.env()),
            variables_namespace: p.variables_namespace.clone(),
            ..source_properties(&p.action_name, "CodeCommit", &p.output)
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        if p.branch.as_deref() == Some("") {
            scope.add_error("'branch' parameter cannot be an empty string");
        }
        let default_branch =
            if feature_flags::is_enabled(scope, CODECOMMIT_SOURCE_ACTION_DEFAULT_BRANCH_NAME) {
                "main"
            } else {
                "master"
            };
        let branch = p.branch.clone().unwrap_or_else(|| default_branch.into());
        let pipeline = &stage.pipeline;
        let disambiguator = match p.branch.as_deref() {
            None | Some("master") => String::new(),
            Some(b) => format!("-{b}-"),
        };
        let event_id = format!("{}{disambiguator}EventRule", Names::unique_id(pipeline));
        if let Some(custom) = &p.custom_event_rule {
            let rule = p.repository.on_event(
                &event_id,
                OnCommitOptions {
                    target: Some(custom.target.clone()),
                    rule_name: custom.rule_name.clone(),
                    description: custom.description.clone(),
                    cross_stack_scope: Some(pipeline.node().clone()),
                    ..Default::default()
                },
            );
            rule.add_event_pattern(&custom.event_pattern);
        } else if p.trigger == CodeCommitTrigger::Events {
            p.repository.on_commit(
                &event_id,
                OnCommitOptions {
                    branches: vec![branch.clone()],
                    target: Some(Rc::new(CodePipelineTarget::with_options(
                        pipeline,
                        CodePipelineTargetOptions {
                            event_role: p.event_role.clone(),
                            ..Default::default()
                        },
                    ))),
                    cross_stack_scope: Some(pipeline.node().clone()),
                    ..Default::default()
                },
            );
        }
        // The action writes the repository contents to the bucket.
        options.bucket.grant_read_write(options.role.as_ref());
        let pipeline_account = Stack::of(pipeline).map(|s| s.account());
        if pipeline_account
            .as_ref()
            .is_some_and(|a| p.repository.env().account.compare(a) == TokenComparison::Different)
        {
            options.bucket.grant_put_acl(options.role.as_ref());
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
                .resource(p.repository.repository_arn())
                .actions(actions),
        );
        ActionConfig {
            configuration: Some(config(vec![
                (
                    "RepositoryName",
                    p.repository.repository_name().into_value(),
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
    pub project: Rc<dyn IProject>,
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
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CodeBuildActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(action_name: &str, project: impl Into<Rc<dyn IProject>>, input: &Artifact) -> Self {
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
    namespace: ActionNamespace,
}

impl CodeBuildAction {
    /// An action from `props`.
    pub fn new(props: CodeBuildActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CodeBuildAction { props, namespace }
    }

    /// `#{Namespace.<variable_name>}`: the value of a variable the build exports (`env.exported-variables` of the build spec), for a later action's configuration
    /// (aws-cdk-lib's `variable(name)`). Using it makes the pipeline render the action's
    /// namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variable(&self, variable_name: &str) -> Str {
        self.namespace.variable_expression(variable_name)
    }
}

impl IAction for CodeBuildAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        let mut inputs = vec![p.input.clone()];
        inputs.extend(p.extra_inputs.iter().cloned());
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(1, 5, 0, 5),
            run_order: p.run_order,
            inputs,
            outputs: p.outputs.clone(),
            role: p.role.clone(),
            resource: ActionResource::of(p.project.node(), p.project.env()),
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(
                p.action_name.clone(),
                match p.r#type {
                    CodeBuildActionType::Build => ActionCategory::Build,
                    CodeBuildActionType::Test => ActionCategory::Test,
                },
                "CodeBuild",
            )
        }
    }

    fn bind(
        &self,
        scope: &Node,
        _stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        if !p.outputs.is_empty() {
            if let (Some(ps), Some(projs)) = (Stack::of(scope), p.project.stack()) {
                if ps.account() != projs.account() {
                    scope.add_error("A cross-account CodeBuild action cannot have outputs. This is a known CodeBuild limitation. See https://github.com/aws/aws-cdk/issues/4169 for details");
                }
            }
        }
        options.role.add_to_policy(
            PolicyStatement::new()
                .resource(p.project.project_arn())
                .actions([
                    "codebuild:BatchGetBuilds",
                    "codebuild:StartBuild",
                    "codebuild:StopBuild",
                ]),
        );
        if p.project.role().is_some() {
            if p.outputs.is_empty() {
                options.bucket.grant_read(p.project.as_ref());
            } else {
                options.bucket.grant_read_write(p.project.as_ref());
            }
        }
        p.project.bind_to_code_pipeline(options.bucket.as_ref());
        let mut inputs = vec![p.input.clone()];
        inputs.extend(p.extra_inputs.iter().cloned());
        for input in &inputs {
            if let Some(repo_arn) = input.metadata(FULL_CLONE_ARN_PROPERTY) {
                p.project.add_to_role_policy(
                    PolicyStatement::new()
                        .action("codecommit:GitPull")
                        .resource(repo_arn),
                );
            }
        }
        for input in &inputs {
            if let Some(connection_arn) = input.metadata(CONNECTION_ARN_PROPERTY) {
                p.project.add_to_role_policy(
                    PolicyStatement::new()
                        .action("codestar-connections:UseConnection")
                        .resource(connection_arn),
                );
            }
        }
        let env = if p.environment_variables.is_empty() {
            Value::Null
        } else {
            let stack = p.project.stack();
            let role = p.project.role();
            let vars =
                serialize_env_variables(&p.environment_variables, stack.as_ref(), role.as_deref());
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
