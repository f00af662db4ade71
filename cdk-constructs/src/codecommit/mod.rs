//! CodeCommit: repositories (created or imported), commit event rules and grants.
//!
//! ```
//! use cdk_core::{App, Environment, Stack, StackProps};
//! use cdk_constructs::codecommit::{OnCommitOptions, Repository, RepositoryProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "RepositoryStack", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let repo = Repository::new(&stack, "CodeCommitRepo", RepositoryProps {
//!     repository_name: "repo-111111111111".into(),
//!     description: Some("Application code".into()),
//!     ..Default::default()
//! });
//! repo.on_commit("OnMain", OnCommitOptions {
//!     branches: vec!["main".into()],
//!     ..Default::default()
//! });
//! assert!(repo.repository_arn().is_token());
//! ```

use std::rc::Rc;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Node, PhysicalName, Resource, ResourceEnvironment,
    ResourceProps, Stack, Str,
};

use crate::events::{EventPattern, IRuleTarget, Rule, RuleProps};

mod events;
use crate::iam::{Grant, IPrincipal};
pub use events::{ReferenceEvent, RepositoryEvents};

/// Properties of a [`Repository`].
#[derive(Clone, Default)]
pub struct RepositoryProps {
    /// Repository name (1-100 characters of `A-Za-z0-9._-`, not ending in `.git`).
    pub repository_name: String,
    /// Description (at most 1000 characters).
    pub description: Option<String>,
    /// Customer managed key the repository is encrypted with (default: an AWS managed key).
    #[cfg(feature = "kms")]
    pub kms_key: Option<Rc<dyn crate::kms::IKey>>,
}

/// Options of [`IRepository::on_commit`] and the other event-rule helpers.
#[derive(Clone, Default)]
pub struct OnCommitOptions {
    /// Branches to watch (default: all).
    pub branches: Vec<String>,
    /// Target of the rule.
    pub target: Option<Rc<dyn IRuleTarget>>,
    /// Rule name.
    pub rule_name: Option<String>,
    /// Rule description.
    pub description: Option<String>,
    /// Put the rule under this construct when it is in another stack of the same environment
    /// (a pipeline does this so the rule lives next to the pipeline).
    pub cross_stack_scope: Option<Node>,
    /// More to match, merged into the helper's pattern.
    pub event_pattern: Option<EventPattern>,
}

/// Problems with a literal repository name, by CodeCommit's rules.
pub fn repository_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(format!(
            "repository name '{name}' must be between 1 and 100 characters long"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-".contains(*c)))
    {
        errors.push(format!(
            "repository name '{name}' may only contain letters, digits, '.', '_' and '-' (found '{c}')"
        ));
    }
    if name.ends_with(".git") {
        errors.push(format!("repository name '{name}' must not end with '.git'"));
    }
    errors
}

/// A CodeCommit repository: created ([`Repository`]) or imported ([`ImportedRepository`]).
pub trait IRepository: IConstruct {
    /// The repository's name.
    fn repository_name(&self) -> Str;
    /// The repository's ARN.
    fn repository_arn(&self) -> Str;
    /// Where the repository lives.
    fn env(&self) -> ResourceEnvironment;
    /// The HTTPS clone URL.
    fn repository_clone_url_http(&self) -> Str;
    /// The SSH clone URL.
    fn repository_clone_url_ssh(&self) -> Str;

    /// A rule for every event of this repository (`source: aws.codecommit`, `resources`).
    fn on_event(&self, id: &str, options: OnCommitOptions) -> Rule {
        let rule = Rule::new(
            self.node(),
            id,
            RuleProps {
                rule_name: options.rule_name.clone(),
                description: options.description.clone(),
                cross_stack_scope: options.cross_stack_scope.clone(),
                event_pattern: options.event_pattern.clone(),
                ..Default::default()
            },
        );
        rule.add_event_pattern(&EventPattern {
            source: vec!["aws.codecommit".into()],
            resources: vec![self.repository_arn()],
            ..Default::default()
        });
        if let Some(t) = options.target {
            rule.add_target_rc(t);
        }
        rule
    }

    /// A rule for "CodeCommit Repository State Change" events.
    fn on_state_change(&self, id: &str, options: OnCommitOptions) -> Rule {
        let rule = self.on_event(id, options);
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["CodeCommit Repository State Change".into()],
            ..Default::default()
        });
        rule
    }

    /// A rule for references created or updated (pushes).
    fn on_reference_updated(&self, id: &str, options: OnCommitOptions) -> Rule {
        let rule = self.on_state_change(id, options);
        rule.add_event_pattern(&EventPattern {
            detail: Some(
                serde_json::json!({"event": ["referenceCreated", "referenceUpdated"]}).into(),
            ),
            ..Default::default()
        });
        rule
    }

    /// A rule for commits pushed to `options.branches` (all branches when empty), as
    /// aws-cdk-lib's `onCommit`.
    fn on_commit(&self, id: &str, options: OnCommitOptions) -> Rule {
        let branches = options.branches.clone();
        let rule = self.on_reference_updated(id, options);
        if !branches.is_empty() {
            rule.add_event_pattern(&EventPattern {
                detail: Some(serde_json::json!({ "referenceName": branches }).into()),
                ..Default::default()
            });
        }
        rule
    }

    /// Grants `actions` on this repository to `grantee` (identity policy).
    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        Grant::add_to_principal(grantee, actions, [self.repository_arn()])
    }

    /// `codecommit:GitPull`.
    fn grant_pull(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, &["codecommit:GitPull"])
    }

    /// `codecommit:GitPull` and `codecommit:GitPush`.
    fn grant_pull_push(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, &["codecommit:GitPull", "codecommit:GitPush"])
    }

    /// `codecommit:GitPull` and the read actions (`Get*`, `Describe*`, ...).
    fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(
            grantee,
            &[
                "codecommit:GitPull",
                "codecommit:EvaluatePullRequestApprovalRules",
                "codecommit:Get*",
                "codecommit:Describe*",
            ],
        )
    }
}

fn clone_url(stack: Option<&Stack>, name: &Str, protocol: &str, region: Option<Str>) -> Str {
    let region =
        region.unwrap_or_else(|| stack.map(Stack::region).unwrap_or(cdk_core::Aws::REGION));
    let suffix = stack
        .map(Stack::url_suffix)
        .unwrap_or(cdk_core::Aws::URL_SUFFIX);
    Str::from(format!("{protocol}://git-codecommit."))
        + region
        + "."
        + suffix
        + "/v1/repos/"
        + name.clone()
}

/// A CodeCommit repository created by this app.
#[derive(Clone, Debug)]
pub struct Repository {
    base: Resource,
    resource: CfnRepository,
    arn: Str,
    name: Str,
}

impl IConstruct for Repository {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Repository {
    /// Defines a repository `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: RepositoryProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codecommit.Repository",
            ResourceProps {
                physical_name: Some(PhysicalName::from(props.repository_name.as_str())),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        for e in repository_name_errors(&props.repository_name) {
            node.add_error(&e);
        }
        if let Some(d) = &props.description {
            if d.chars().count() > 1000 {
                node.add_error("repository description must be at most 1000 characters");
            }
        }
        let mut cfn_props = CfnRepositoryProps::new(props.repository_name.as_str());
        cfn_props.repository_description = props.description.map(Str::from);
        #[cfg(feature = "kms")]
        {
            cfn_props.kms_key_id = props.kms_key.as_ref().map(|key| key.key_arn());
        }
        let resource = CfnRepository::new(&base, "Resource", cfn_props);
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("codecommit", props.repository_name.as_str()),
        );
        let name = base.name_attribute(resource.attr_name());
        Repository {
            base,
            resource,
            arn,
            name,
        }
    }

    /// An existing repository of this stack's account and region, by name.
    pub fn from_repository_name(
        scope: &impl IConstruct,
        id: &str,
        name: &str,
    ) -> ImportedRepository {
        let stack = Stack::of(scope);
        let arn = match &stack {
            Some(s) => s.format_arn(ArnComponents::new("codecommit", name)),
            None => Str::from(name),
        };
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codecommit.ImportedRepository",
            ResourceProps::default(),
        );
        ImportedRepository {
            http: clone_url(stack.as_ref(), &name.into(), "https", None),
            ssh: clone_url(stack.as_ref(), &name.into(), "ssh", None),
            base,
            arn,
            name: name.into(),
        }
    }

    /// An existing repository by ARN (`arn:aws:codecommit:REGION:ACCOUNT:NAME`); its account
    /// and region come from the ARN, so a repository of another account is recognized as such.
    pub fn from_repository_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedRepository {
        let arn = arn.into();
        let stack = Stack::of(scope);
        let parts = stack
            .as_ref()
            .map(|s| s.split_arn(arn.clone(), ArnFormat::NoResourceName))
            .unwrap_or_default();
        let name = parts.resource.clone();
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.codecommit.ImportedRepository",
            ResourceProps {
                account: parts.account.clone(),
                region: parts.region.clone(),
                ..Default::default()
            },
        );
        if let Some(lit) = arn.literal() {
            let fields: Vec<&str> = lit.split(':').collect();
            if fields.len() != 6 || fields[0] != "arn" || fields[2] != "codecommit" {
                base.node().add_error(&format!(
                    "'{lit}' is not a CodeCommit repository ARN (arn:PARTITION:codecommit:REGION:ACCOUNT:NAME)"
                ));
            }
        }
        ImportedRepository {
            http: clone_url(stack.as_ref(), &name, "https", parts.region.clone()),
            ssh: clone_url(stack.as_ref(), &name, "ssh", parts.region),
            base,
            arn,
            name,
        }
    }

    /// The repository's name (`Fn::GetAtt Name` here; the name from another environment).
    pub fn repository_name(&self) -> Str {
        self.name.clone()
    }

    /// The repository's ARN (`Fn::GetAtt Arn` here; the formatted ARN from another
    /// environment).
    pub fn repository_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The HTTPS clone URL.
    pub fn repository_clone_url_http(&self) -> Str {
        self.resource.attr_clone_url_http()
    }

    /// The SSH clone URL.
    pub fn repository_clone_url_ssh(&self) -> Str {
        self.resource.attr_clone_url_ssh()
    }

    /// A rule for commits (see [`IRepository::on_commit`]).
    pub fn on_commit(&self, id: &str, options: OnCommitOptions) -> Rule {
        IRepository::on_commit(self, id, options)
    }

    /// `codecommit:GitPull`.
    pub fn grant_pull(&self, grantee: &dyn IPrincipal) -> Grant {
        IRepository::grant_pull(self, grantee)
    }

    /// `codecommit:GitPull` and `codecommit:GitPush`.
    pub fn grant_pull_push(&self, grantee: &dyn IPrincipal) -> Grant {
        IRepository::grant_pull_push(self, grantee)
    }

    /// `codecommit:GitPull` and the read actions.
    pub fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        IRepository::grant_read(self, grantee)
    }

    /// The underlying `AWS::CodeCommit::Repository`.
    pub fn cfn(&self) -> &CfnRepository {
        &self.resource
    }
}

impl IRepository for Repository {
    fn repository_name(&self) -> Str {
        self.name.clone()
    }
    fn repository_arn(&self) -> Str {
        self.arn.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn repository_clone_url_http(&self) -> Str {
        self.resource.attr_clone_url_http()
    }
    fn repository_clone_url_ssh(&self) -> Str {
        self.resource.attr_clone_url_ssh()
    }
}

/// A repository defined outside this app.
#[derive(Clone, Debug)]
pub struct ImportedRepository {
    base: Resource,
    arn: Str,
    name: Str,
    http: Str,
    ssh: Str,
}

impl IConstruct for ImportedRepository {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IRepository for ImportedRepository {
    fn repository_name(&self) -> Str {
        self.name.clone()
    }
    fn repository_arn(&self) -> Str {
        self.arn.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn repository_clone_url_http(&self) -> Str {
        self.http.clone()
    }
    fn repository_clone_url_ssh(&self) -> Str {
        self.ssh.clone()
    }
}

impl From<Repository> for Rc<dyn IRepository> {
    fn from(r: Repository) -> Self {
        Rc::new(r)
    }
}

impl From<&Repository> for Rc<dyn IRepository> {
    fn from(r: &Repository) -> Self {
        Rc::new(r.clone())
    }
}

impl From<ImportedRepository> for Rc<dyn IRepository> {
    fn from(r: ImportedRepository) -> Self {
        Rc::new(r)
    }
}

impl From<&ImportedRepository> for Rc<dyn IRepository> {
    fn from(r: &ImportedRepository) -> Self {
        Rc::new(r.clone())
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::codecommit::*;
