//! Where a project's source comes from ([`Source`]): CodeCommit, S3, GitHub (with webhook
//! filters), CodePipeline, or none — rendered and granted as aws-cdk-lib's sources.

use std::rc::Rc;

use cdk_core::{Str, Value};

use super::cfn_project;
use crate::codecommit::IRepository;
use crate::iam::IRole;
use crate::iam::PolicyStatement;
use crate::s3::IBucket;

/// An event a GitHub webhook reacts to (aws-cdk-lib's `EventAction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventAction {
    /// `PUSH`.
    Push,
    /// `PULL_REQUEST_CREATED`.
    PullRequestCreated,
    /// `PULL_REQUEST_UPDATED`.
    PullRequestUpdated,
    /// `PULL_REQUEST_CLOSED`.
    PullRequestClosed,
    /// `PULL_REQUEST_MERGED`.
    PullRequestMerged,
    /// `PULL_REQUEST_REOPENED`.
    PullRequestReopened,
    /// `RELEASED`.
    Released,
    /// `PRERELEASED`.
    Prereleased,
    /// `WORKFLOW_JOB_QUEUED`.
    WorkflowJobQueued,
}

impl EventAction {
    fn as_str(self) -> &'static str {
        use EventAction::*;
        match self {
            Push => "PUSH",
            PullRequestCreated => "PULL_REQUEST_CREATED",
            PullRequestUpdated => "PULL_REQUEST_UPDATED",
            PullRequestClosed => "PULL_REQUEST_CLOSED",
            PullRequestMerged => "PULL_REQUEST_MERGED",
            PullRequestReopened => "PULL_REQUEST_REOPENED",
            Released => "RELEASED",
            Prereleased => "PRERELEASED",
            WorkflowJobQueued => "WORKFLOW_JOB_QUEUED",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct WebhookFilter {
    kind: &'static str,
    pattern: String,
    exclude: bool,
}

/// The events and conditions of one webhook filter group (aws-cdk-lib's `FilterGroup`).
///
/// ```
/// use cdk_constructs::codebuild::{EventAction, FilterGroup};
/// let group = FilterGroup::in_event_of([EventAction::Push]).unwrap().and_branch_is("main");
/// # let _ = group;
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FilterGroup {
    actions: Vec<EventAction>,
    filters: Vec<WebhookFilter>,
}

impl FilterGroup {
    /// A group for these events (at least one).
    pub fn in_event_of(actions: impl IntoIterator<Item = EventAction>) -> Result<Self, String> {
        let mut list: Vec<EventAction> = Vec::new();
        for a in actions {
            if !list.contains(&a) {
                list.push(a);
            }
        }
        if list.is_empty() {
            return Err("A filter group must contain at least one event action".into());
        }
        Ok(FilterGroup {
            actions: list,
            filters: Vec::new(),
        })
    }

    fn add(&self, kind: &'static str, pattern: String, include: bool) -> Self {
        let mut next = self.clone();
        next.filters.push(WebhookFilter {
            kind,
            pattern,
            exclude: !include,
        });
        next
    }

    /// Only for pushes to / pull requests from branch `name` (`HEAD_REF refs/heads/NAME`).
    pub fn and_branch_is(&self, name: &str) -> Self {
        self.add("HEAD_REF", format!("refs/heads/{name}"), true)
    }
    /// Not for branch `name`.
    pub fn and_branch_is_not(&self, name: &str) -> Self {
        self.add("HEAD_REF", format!("refs/heads/{name}"), false)
    }
    /// Only for tag `name`.
    pub fn and_tag_is(&self, name: &str) -> Self {
        self.add("HEAD_REF", format!("refs/tags/{name}"), true)
    }
    /// Not for tag `name`.
    pub fn and_tag_is_not(&self, name: &str) -> Self {
        self.add("HEAD_REF", format!("refs/tags/{name}"), false)
    }
    /// Only for head refs matching `pattern`.
    pub fn and_head_ref_is(&self, pattern: &str) -> Self {
        self.add("HEAD_REF", pattern.to_string(), true)
    }
    /// Not for head refs matching `pattern`.
    pub fn and_head_ref_is_not(&self, pattern: &str) -> Self {
        self.add("HEAD_REF", pattern.to_string(), false)
    }
    /// Only for commit messages matching `pattern`.
    pub fn and_commit_message_is(&self, pattern: &str) -> Self {
        self.add("COMMIT_MESSAGE", pattern.to_string(), true)
    }
    /// Not for commit messages matching `pattern`.
    pub fn and_commit_message_is_not(&self, pattern: &str) -> Self {
        self.add("COMMIT_MESSAGE", pattern.to_string(), false)
    }
    /// Only for changes by account IDs matching `pattern`.
    pub fn and_actor_account_is(&self, pattern: &str) -> Self {
        self.add("ACTOR_ACCOUNT_ID", pattern.to_string(), true)
    }
    /// Not for changes by account IDs matching `pattern`.
    pub fn and_actor_account_is_not(&self, pattern: &str) -> Self {
        self.add("ACTOR_ACCOUNT_ID", pattern.to_string(), false)
    }
    /// Only for changed files matching `pattern`.
    pub fn and_file_path_is(&self, pattern: &str) -> Self {
        self.add("FILE_PATH", pattern.to_string(), true)
    }
    /// Not for changed files matching `pattern`.
    pub fn and_file_path_is_not(&self, pattern: &str) -> Self {
        self.add("FILE_PATH", pattern.to_string(), false)
    }
    /// Only for repositories matching `pattern`.
    pub fn and_repository_name_is(&self, pattern: &str) -> Self {
        self.add("REPOSITORY_NAME", pattern.to_string(), true)
    }
    /// Not for repositories matching `pattern`.
    pub fn and_repository_name_is_not(&self, pattern: &str) -> Self {
        self.add("REPOSITORY_NAME", pattern.to_string(), false)
    }
    /// Only for pull requests into branch `name` (not with [`EventAction::Push`]).
    pub fn and_base_branch_is(&self, name: &str) -> Result<Self, String> {
        self.and_base_ref_is(&format!("refs/heads/{name}"))
    }
    /// Only for pull requests into refs matching `pattern` (not with [`EventAction::Push`]).
    pub fn and_base_ref_is(&self, pattern: &str) -> Result<Self, String> {
        if self.actions.contains(&EventAction::Push) {
            return Err("A base reference condition cannot be added if a Group contains a PUSH event action".into());
        }
        Ok(self.add("BASE_REF", pattern.to_string(), true))
    }

    fn to_cfn(&self) -> Vec<Value> {
        let mut out = vec![Value::object([
            (
                "Pattern",
                Value::from(
                    self.actions
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ),
            ("Type", Value::from("EVENT")),
        ])];
        for f in &self.filters {
            let mut pairs = vec![
                ("Pattern", Value::from(f.pattern.as_str())),
                ("Type", Value::from(f.kind)),
            ];
            if f.exclude {
                pairs.push(("ExcludeMatchedPattern", Value::from(true)));
            }
            out.push(Value::object(pairs));
        }
        out
    }
}

/// Properties of a CodeCommit source ([`Source::code_commit`]).
#[derive(Clone)]
pub struct CodeCommitSourceProps {
    /// The repository (the role gets `codecommit:GitPull` on it).
    pub repository: Rc<dyn IRepository>,
    /// Branch, tag or commit to build (default: the default branch).
    pub branch_or_ref: Option<String>,
    /// Clone depth (default: full clone).
    pub clone_depth: Option<u32>,
    /// Fetch submodules.
    pub fetch_submodules: Option<bool>,
    /// Identifier, required for a secondary source.
    pub identifier: Option<String>,
}

/// Properties of an S3 source ([`Source::s3`]).
#[derive(Clone)]
pub struct S3SourceProps {
    /// The bucket (the role may read `path`).
    pub bucket: Rc<dyn IBucket>,
    /// The object key of the zipped source (or a folder).
    pub path: String,
    /// An object version.
    pub version: Option<String>,
    /// Identifier, required for a secondary source.
    pub identifier: Option<String>,
}

/// Properties of a GitHub source ([`Source::git_hub`]).
#[derive(Clone, Default)]
pub struct GitHubSourceProps {
    /// The owner (user or organization).
    pub owner: String,
    /// The repository (none: an organization webhook, `CODEBUILD_DEFAULT_WEBHOOK_SOURCE_LOCATION`).
    pub repo: Option<String>,
    /// Create a webhook (default: when filter groups are given).
    pub webhook: Option<bool>,
    /// Webhook filter groups (default: none; for an organization, workflow jobs queued).
    pub webhook_filters: Vec<FilterGroup>,
    /// Report build status to GitHub (default true).
    pub report_build_status: Option<bool>,
    /// Build status context.
    pub build_status_context: Option<String>,
    /// Build status target URL.
    pub build_status_url: Option<String>,
    /// Branch, tag or commit to build.
    pub branch_or_ref: Option<String>,
    /// Clone depth.
    pub clone_depth: Option<u32>,
    /// Fetch submodules.
    pub fetch_submodules: Option<bool>,
    /// Identifier, required for a secondary source.
    pub identifier: Option<String>,
}

#[derive(Clone)]
enum SourceKind {
    None,
    CodePipeline,
    CodeCommit(CodeCommitSourceProps),
    S3(S3SourceProps),
    GitHub(GitHubSourceProps),
}

/// The source of a project (aws-cdk-lib's `Source` and its subclasses).
#[derive(Clone)]
pub struct Source {
    kind: SourceKind,
}

/// What binding a source to a project produced.
pub(crate) struct SourceConfig {
    pub(crate) source: cfn_project::SourceProperty,
    pub(crate) source_version: Option<Str>,
    pub(crate) triggers: Option<cfn_project::ProjectTriggersProperty>,
}

impl Source {
    /// No source: the build spec must be given inline ([`super::BuildSpec::from_object`]).
    pub fn none() -> Self {
        Source {
            kind: SourceKind::None,
        }
    }

    /// The input artifact of a CodePipeline action (used by [`super::PipelineProject`]).
    pub fn code_pipeline() -> Self {
        Source {
            kind: SourceKind::CodePipeline,
        }
    }

    /// A CodeCommit repository.
    pub fn code_commit(props: CodeCommitSourceProps) -> Self {
        Source {
            kind: SourceKind::CodeCommit(props),
        }
    }

    /// An object (or folder) in S3.
    pub fn s3(props: S3SourceProps) -> Self {
        Source {
            kind: SourceKind::S3(props),
        }
    }

    /// A GitHub repository (or an organization's webhook).
    pub fn git_hub(props: GitHubSourceProps) -> Self {
        Source {
            kind: SourceKind::GitHub(props),
        }
    }

    /// The CloudFormation source type.
    pub fn source_type(&self) -> &'static str {
        match &self.kind {
            SourceKind::None => "NO_SOURCE",
            SourceKind::CodePipeline => "CODEPIPELINE",
            SourceKind::CodeCommit(_) => "CODECOMMIT",
            SourceKind::S3(_) => "S3",
            SourceKind::GitHub(_) => "GITHUB",
        }
    }

    /// The identifier (secondary sources need one).
    pub fn identifier(&self) -> Option<&str> {
        match &self.kind {
            SourceKind::None | SourceKind::CodePipeline => None,
            SourceKind::CodeCommit(p) => p.identifier.as_deref(),
            SourceKind::S3(p) => p.identifier.as_deref(),
            SourceKind::GitHub(p) => p.identifier.as_deref(),
        }
    }

    /// Whether a build badge is supported.
    pub fn badge_supported(&self) -> bool {
        matches!(self.kind, SourceKind::CodeCommit(_) | SourceKind::GitHub(_))
    }

    fn git(
        prop: &mut cfn_project::SourceProperty,
        clone_depth: Option<u32>,
        fetch_submodules: Option<bool>,
    ) {
        prop.git_clone_depth = clone_depth.map(Into::into);
        if fetch_submodules == Some(true) {
            prop.git_submodules_config = Some(cfn_project::GitSubmodulesConfigProperty {
                fetch_submodules: true.into(),
            });
        }
    }

    /// Renders the source for `project` and grants it access, as aws-cdk-lib's `bind`.
    pub(crate) fn bind(&self, role: &dyn IRole) -> Result<SourceConfig, String> {
        let mut prop = cfn_project::SourceProperty::new(self.source_type());
        prop.source_identifier = self.identifier().map(Str::from);
        let mut source_version = None;
        let mut triggers = None;
        match &self.kind {
            SourceKind::None | SourceKind::CodePipeline => {}
            SourceKind::CodeCommit(p) => {
                role.add_to_policy(
                    PolicyStatement::new()
                        .action("codecommit:GitPull")
                        .resource(p.repository.repository_arn()),
                );
                Self::git(&mut prop, p.clone_depth, p.fetch_submodules);
                prop.location = Some(p.repository.repository_clone_url_http());
                source_version = p.branch_or_ref.clone().map(Str::from);
            }
            SourceKind::S3(p) => {
                p.bucket.grant_read_objects(role, &p.path);
                prop.location = Some(Str::concat([
                    p.bucket.bucket_name(),
                    Str::from(format!("/{}", p.path)),
                ]));
                source_version = p.version.clone().map(Str::from);
            }
            SourceKind::GitHub(p) => {
                Self::git(&mut prop, p.clone_depth, p.fetch_submodules);
                source_version = p.branch_or_ref.clone().map(Str::from);
                let organization = p.repo.is_none();
                let filters = if p.webhook_filters.is_empty() && organization {
                    vec![FilterGroup::in_event_of([EventAction::WorkflowJobQueued])?]
                } else {
                    p.webhook_filters.clone()
                };
                let webhook = p.webhook.or((!filters.is_empty()).then_some(true));
                if webhook != Some(true) && !filters.is_empty() {
                    return Err("`webhookFilters` cannot be used when `webhook` is `false`".into());
                }
                prop.report_build_status = Some(p.report_build_status.unwrap_or(true).into());
                if p.build_status_context.is_some() || p.build_status_url.is_some() {
                    prop.build_status_config = Some(cfn_project::BuildStatusConfigProperty {
                        context: p.build_status_context.clone().map(Str::from),
                        target_url: p.build_status_url.clone().map(Str::from),
                    });
                }
                prop.location = Some(Str::from(match &p.repo {
                    Some(repo) => format!("https://github.com/{}/{repo}.git", p.owner),
                    None => "CODEBUILD_DEFAULT_WEBHOOK_SOURCE_LOCATION".into(),
                }));
                if let Some(webhook) = webhook {
                    let mut t = cfn_project::ProjectTriggersProperty {
                        webhook: Some(webhook.into()),
                        ..Default::default()
                    };
                    if !filters.is_empty() {
                        t.filter_groups = Some(filters.iter().map(FilterGroup::to_cfn).collect());
                    }
                    if organization {
                        t.scope_configuration = Some(cfn_project::ScopeConfigurationProperty::new(
                            p.owner.as_str(),
                        ));
                    }
                    triggers = Some(t);
                }
            }
        }
        Ok(SourceConfig {
            source: prop,
            source_version,
            triggers,
        })
    }
}
