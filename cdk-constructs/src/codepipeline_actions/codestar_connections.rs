//! aws-cdk-lib's `CodeStarConnectionsSourceAction`: a GitHub, GitHub Enterprise, Bitbucket or
//! GitLab repository reached through a CodeStar (CodeConnections) connection.

use std::rc::Rc;

use cdk_core::{Node, Str, Value};

use super::{config, source_properties};
use crate::codepipeline::{
    ActionBindOptions, ActionConfig, ActionProperties, Artifact, IAction, StageContext,
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
}

impl CodeStarConnectionsSourceAction {
    /// An action from `props`.
    pub fn new(props: CodeStarConnectionsSourceActionProps) -> Self {
        CodeStarConnectionsSourceAction { props }
    }
}

impl IAction for CodeStarConnectionsSourceAction {
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
