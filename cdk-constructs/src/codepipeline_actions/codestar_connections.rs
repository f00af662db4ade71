//! aws-cdk-lib's `CodeStarConnectionsSourceAction`: a GitHub, GitHub Enterprise, Bitbucket or
//! GitLab repository reached through a CodeStar (CodeConnections) connection.

use std::rc::Rc;

use cdk_core::{Node, Str, Value};

use super::{config, source_properties};
use crate::codepipeline::{
    ActionBindOptions, ActionConfig, ActionNamespace, ActionProperties, Artifact, IAction,
    StageContext,
};
use crate::iam::{IRole, PolicyStatement};

/// Artifact metadata key: the connection a CodeBuild clone reference needs
/// (aws-cdk-lib's `CodeStarConnectionsSourceAction._CONNECTION_ARN_PROPERTY`).
pub const CONNECTION_ARN_PROPERTY: &str = "CodeStarConnectionArnProperty";

/// Properties of a [`CodeStarConnectionsSourceAction`].
#[derive(Clone)]
pub struct CodeStarConnectionsSourceActionProps {
    /// Action name.
    pub action_name: String,
    /// The connection's ARN (created in the console and authorized there).
    pub connection_arn: Str,
    /// Owner of the repository (user or organization).
    pub owner: String,
    /// Name of the repository.
    pub repo: String,
    /// The artifact receiving the source.
    pub output: Artifact,
    /// Branch (default `master`).
    pub branch: Option<String>,
    /// Start the pipeline on pushes (`DetectChanges`; default: left out, which CodePipeline
    /// treats as true).
    pub trigger_on_push: Option<bool>,
    /// Output a clone reference for CodeBuild (`CODEBUILD_CLONE_REF`) instead of a zip.
    pub code_build_clone_output: bool,
    /// The role of the action (default: a new `CodePipelineActionRole`).
    pub role: Option<Rc<dyn IRole>>,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl CodeStarConnectionsSourceActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        connection_arn: impl Into<Str>,
        owner: &str,
        repo: &str,
        output: &Artifact,
    ) -> Self {
        CodeStarConnectionsSourceActionProps {
            action_name: action_name.to_string(),
            connection_arn: connection_arn.into(),
            owner: owner.to_string(),
            repo: repo.to_string(),
            output: output.clone(),
            branch: None,
            trigger_on_push: None,
            code_build_clone_output: false,
            role: None,
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// The output variables of a [`CodeStarConnectionsSourceAction`] (aws-cdk-lib's `CodeStarSourceVariables`).
#[derive(Clone, Debug)]
pub struct CodeStarSourceVariables {
    /// `FullRepositoryName`: `owner/repo`.
    pub full_repository_name: Str,
    /// `BranchName`: the branch.
    pub branch_name: Str,
    /// `AuthorDate`: when the commit was authored.
    pub author_date: Str,
    /// `CommitId`: the commit's ID.
    pub commit_id: Str,
    /// `CommitMessage`: the commit's message.
    pub commit_message: Str,
    /// `ConnectionArn`: the connection's ARN.
    pub connection_arn: Str,
}

/// Source action reading a branch of a repository through a CodeStar connection.
///
/// ```
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
///
/// let source = Artifact::new("Source");
/// let action = CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps {
///     branch: Some("main".into()),
///     ..CodeStarConnectionsSourceActionProps::new(
///         "GitHub",
///         "arn:aws:codestar-connections:us-east-1:123456789012:connection/12345678-abcd-12ab-34cdef5678gh",
///         "aws",
///         "aws-cdk",
///         &source,
///     )
/// });
/// # let _ = action;
/// ```
#[derive(Clone)]
pub struct CodeStarConnectionsSourceAction {
    props: CodeStarConnectionsSourceActionProps,
    namespace: ActionNamespace,
}

impl CodeStarConnectionsSourceAction {
    /// An action from `props`.
    pub fn new(props: CodeStarConnectionsSourceActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        CodeStarConnectionsSourceAction { props, namespace }
    }

    /// The action's output variables, as `#{Namespace.Variable}` expressions for later
    /// actions' configuration (aws-cdk-lib's `variables`). Using one makes the pipeline render
    /// the action's namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variables(&self) -> CodeStarSourceVariables {
        CodeStarSourceVariables {
            full_repository_name: self.namespace.variable_expression("FullRepositoryName"),
            branch_name: self.namespace.variable_expression("BranchName"),
            author_date: self.namespace.variable_expression("AuthorDate"),
            commit_id: self.namespace.variable_expression("CommitId"),
            commit_message: self.namespace.variable_expression("CommitMessage"),
            connection_arn: self.namespace.variable_expression("ConnectionArn"),
        }
    }
}

impl IAction for CodeStarConnectionsSourceAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            owner: Some("AWS".into()),
            run_order: p.run_order,
            role: p.role.clone(),
            variables_namespace: p.variables_namespace.clone(),
            ..source_properties(&p.action_name, "CodeStarSourceConnection", &p.output)
        }
    }

    fn bind(
        &self,
        _scope: &Node,
        _stage: &StageContext,
        options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        options.role.add_to_policy(
            PolicyStatement::new()
                .action("codestar-connections:UseConnection")
                .resource(p.connection_arn.clone()),
        );
        options.bucket.grant_read_write(options.role.as_ref());
        options.bucket.grant_put_acl(options.role.as_ref());
        if p.code_build_clone_output {
            p.output
                .set_metadata(CONNECTION_ARN_PROPERTY, p.connection_arn.clone());
        }
        ActionConfig {
            configuration: Some(config(vec![
                ("ConnectionArn", p.connection_arn.clone().into_value()),
                ("FullRepositoryId", format!("{}/{}", p.owner, p.repo).into()),
                (
                    "BranchName",
                    p.branch.clone().unwrap_or_else(|| "master".into()).into(),
                ),
                (
                    "OutputArtifactFormat",
                    if p.code_build_clone_output {
                        "CODEBUILD_CLONE_REF".into()
                    } else {
                        Value::Null
                    },
                ),
                (
                    "DetectChanges",
                    p.trigger_on_push.map(Value::from).unwrap_or_default(),
                ),
            ])),
        }
    }
}
