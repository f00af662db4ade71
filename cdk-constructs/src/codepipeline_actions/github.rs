//! aws-cdk-lib's `GitHubSourceAction`: a branch of a GitHub repository read with an OAuth
//! token (version 1 GitHub source; CodeStar connections are the newer way, see
//! [`CodeStarConnectionsSourceAction`](super::CodeStarConnectionsSourceAction)).

use cdk_core::{Node, Str, Value};

use super::config;
use crate::codepipeline::ActionNamespace;
use crate::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    Artifact, IAction, StageContext,
};
use crate::generated::codepipeline::{cfn_webhook, CfnWebhook, CfnWebhookProps};
use crate::secretsmanager::SecretValue;

/// How a GitHub source action notices new commits (aws-cdk-lib's `GitHubTrigger`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GitHubTrigger {
    /// Never: the pipeline runs only when started.
    None,
    /// CodePipeline polls the repository.
    Poll,
    /// A CodePipeline webhook registered with GitHub (`WebhookResource`; the default).
    #[default]
    WebHook,
}

/// Properties of a [`GitHubSourceAction`].
#[derive(Clone)]
pub struct GitHubSourceActionProps {
    /// Action name.
    pub action_name: String,
    /// The artifact receiving the source.
    pub output: Artifact,
    /// Owner of the repository (user or organization).
    pub owner: String,
    /// Name of the repository.
    pub repo: String,
    /// Branch (default `master`).
    pub branch: Option<String>,
    /// A GitHub OAuth token with the `repo` and `admin:repo_hook` scopes, e.g.
    /// `SecretValue::secrets_manager("github-token", ..)`.
    pub oauth_token: SecretValue,
    /// How new commits start the pipeline (default a webhook).
    pub trigger: GitHubTrigger,
    /// Run order in the stage (default 1).
    pub run_order: Option<u32>,
    /// Variables namespace.
    pub variables_namespace: Option<String>,
}

impl GitHubSourceActionProps {
    /// Props with the required parts; the rest default.
    pub fn new(
        action_name: &str,
        output: &Artifact,
        owner: &str,
        repo: &str,
        oauth_token: SecretValue,
    ) -> Self {
        GitHubSourceActionProps {
            action_name: action_name.to_string(),
            output: output.clone(),
            owner: owner.to_string(),
            repo: repo.to_string(),
            branch: None,
            oauth_token,
            trigger: GitHubTrigger::default(),
            run_order: None,
            variables_namespace: None,
        }
    }
}

/// The output variables of a [`GitHubSourceAction`] (aws-cdk-lib's `GitHubSourceVariables`).
#[derive(Clone, Debug)]
pub struct GitHubSourceVariables {
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
    /// `CommitUrl`: the commit's web address.
    pub commit_url: Str,
}

/// Source action reading a GitHub branch with an OAuth token. With the default webhook
/// trigger it adds `WebhookResource` (`AWS::CodePipeline::Webhook`, GitHub HMAC with the token,
/// filtered on the branch) beside the action, as aws-cdk-lib does.
///
/// ```
/// use cdk_constructs::codepipeline::Artifact;
/// use cdk_constructs::codepipeline_actions::*;
/// use cdk_constructs::secretsmanager::SecretValue;
///
/// let source = Artifact::new("Source");
/// let token = SecretValue::secrets_manager("github-token", Default::default()).unwrap();
/// let action = GitHubSourceAction::new(GitHubSourceActionProps {
///     branch: Some("main".into()),
///     ..GitHubSourceActionProps::new("GitHub", &source, "aws", "aws-cdk", token)
/// });
/// # let _ = action;
/// ```
#[derive(Clone)]
pub struct GitHubSourceAction {
    props: GitHubSourceActionProps,
    namespace: ActionNamespace,
}

impl GitHubSourceAction {
    /// An action from `props`.
    pub fn new(props: GitHubSourceActionProps) -> Self {
        let namespace =
            ActionNamespace::new(&props.action_name, props.variables_namespace.as_deref());
        GitHubSourceAction { props, namespace }
    }

    /// The action's output variables, as `#{Namespace.Variable}` expressions for later
    /// actions' configuration (aws-cdk-lib's `variables`). Using one makes the pipeline render
    /// the action's namespace (`<stage>_<action>_NS` unless `variables_namespace` is given).
    pub fn variables(&self) -> GitHubSourceVariables {
        GitHubSourceVariables {
            repository_name: self.namespace.variable_expression("RepositoryName"),
            branch_name: self.namespace.variable_expression("BranchName"),
            author_date: self.namespace.variable_expression("AuthorDate"),
            committer_date: self.namespace.variable_expression("CommitterDate"),
            commit_id: self.namespace.variable_expression("CommitId"),
            commit_message: self.namespace.variable_expression("CommitMessage"),
            commit_url: self.namespace.variable_expression("CommitUrl"),
        }
    }
}

impl IAction for GitHubSourceAction {
    fn namespace(&self) -> Option<ActionNamespace> {
        Some(self.namespace.clone())
    }

    fn action_properties(&self) -> ActionProperties {
        let p = &self.props;
        ActionProperties {
            artifact_bounds: ActionArtifactBounds::new(0, 0, 1, 1),
            owner: Some("ThirdParty".into()),
            run_order: p.run_order,
            outputs: vec![p.output.clone()],
            variables_namespace: p.variables_namespace.clone(),
            ..ActionProperties::new(p.action_name.clone(), ActionCategory::Source, "GitHub")
        }
    }

    fn bind(
        &self,
        scope: &Node,
        stage: &StageContext,
        _options: &ActionBindOptions,
    ) -> ActionConfig {
        let p = &self.props;
        let token = p.oauth_token.unsafe_unwrap();
        if p.trigger == GitHubTrigger::WebHook {
            let mut filter = cfn_webhook::WebhookFilterRuleProperty::new("$.ref");
            filter.match_equals = Some("refs/heads/{Branch}".into());
            let mut props = CfnWebhookProps::new(
                cfn_webhook::Authentication::GithubHmac,
                cfn_webhook::WebhookAuthConfigurationProperty {
                    allowed_ip_range: None,
                    secret_token: Some(token.clone()),
                },
                vec![filter],
                p.action_name.as_str(),
                stage.pipeline.pipeline_name(),
            );
            props.target_pipeline_version = Some(1.into());
            props.register_with_third_party = Some(true.into());
            CfnWebhook::new(scope, "WebhookResource", props);
        }
        ActionConfig {
            configuration: Some(config(vec![
                ("Owner", p.owner.clone().into()),
                ("Repo", p.repo.clone().into()),
                (
                    "Branch",
                    p.branch.clone().unwrap_or_else(|| "master".into()).into(),
                ),
                ("OAuthToken", token.into_value()),
                (
                    "PollForSourceChanges",
                    Value::from(p.trigger == GitHubTrigger::Poll),
                ),
            ])),
        }
    }
}
