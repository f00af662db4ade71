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
//! });
//! repo.on_commit("OnMain", OnCommitOptions {
//!     branches: vec!["main".into()],
//!     ..Default::default()
//! });
//! assert!(repo.repository_arn().is_token());
//! ```

use std::rc::Rc;

use cdk_core::{fns, Aws, IConstruct, Node, Stack, Str};

use crate::events::env::same_environment;
use crate::events::{EventPattern, IRuleTarget, Rule, RuleProps};
use crate::iam::{Grant, IPrincipal};

/// Properties of a [`Repository`].
#[derive(Clone, Debug, Default)]
pub struct RepositoryProps {
    /// Repository name (1-100 characters of `A-Za-z0-9._-`, not ending in `.git`).
    pub repository_name: String,
    /// Description (at most 1000 characters).
    pub description: Option<String>,
}

/// Options of [`Repository::on_commit`] and the other event-rule helpers.
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
}

#[derive(Clone, Debug)]
enum Kind {
    Created(CfnRepository),
    Imported { arn: Str },
}

/// A CodeCommit repository: created with [`Repository::new`] or imported by name or ARN.
#[derive(Clone, Debug)]
pub struct Repository {
    node: Node,
    name: Str,
    kind: Kind,
    account: Str,
    region: Str,
}

impl IConstruct for Repository {
    fn node(&self) -> &Node {
        &self.node
    }
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

fn stack_env(node: &Node) -> (Str, Str) {
    match Stack::of(node) {
        Some(s) => (s.account(), s.region()),
        None => (Aws::ACCOUNT_ID, Aws::REGION),
    }
}

impl Repository {
    /// Defines a repository `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: RepositoryProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codecommit.Repository");
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
        let resource = CfnRepository::new(&node, "Resource", cfn_props);
        let (account, region) = stack_env(&node);
        Repository {
            node,
            name: props.repository_name.into(),
            kind: Kind::Created(resource),
            account,
            region,
        }
    }

    /// An existing repository of this stack's account and region, by name.
    pub fn from_repository_name(scope: &impl IConstruct, id: &str, name: &str) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codecommit.ImportedRepository");
        let (account, region) = stack_env(&node);
        let arn = Str::from("arn:")
            + Aws::PARTITION
            + ":codecommit:"
            + region.clone()
            + ":"
            + account.clone()
            + ":"
            + name;
        Repository {
            node,
            name: name.into(),
            kind: Kind::Imported { arn },
            account,
            region,
        }
    }

    /// An existing repository by ARN (`arn:aws:codecommit:REGION:ACCOUNT:NAME`); its account
    /// and region come from the ARN, so a repository of another account is recognized as such.
    pub fn from_repository_arn(scope: &impl IConstruct, id: &str, arn: impl Into<Str>) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.codecommit.ImportedRepository");
        let arn = arn.into();
        let (stack_account, stack_region) = stack_env(&node);
        let (name, account, region) = match arn.literal() {
            Some(lit) => {
                let parts: Vec<&str> = lit.split(':').collect();
                if parts.len() != 6 || parts[0] != "arn" || parts[2] != "codecommit" {
                    node.add_error(&format!(
                        "'{lit}' is not a CodeCommit repository ARN (arn:PARTITION:codecommit:REGION:ACCOUNT:NAME)"
                    ));
                    (Str::from(lit), stack_account, stack_region)
                } else {
                    let nonempty = |s: &str, d: Str| if s.is_empty() { d } else { Str::from(s) };
                    (
                        Str::from(parts[5]),
                        nonempty(parts[4], stack_account),
                        nonempty(parts[3], stack_region),
                    )
                }
            }
            None => (
                fns::select(5, fns::split(":", arn.clone())),
                stack_account,
                stack_region,
            ),
        };
        Repository {
            node,
            name,
            kind: Kind::Imported { arn },
            account,
            region,
        }
    }

    /// The repository's name: `Fn::GetAtt Name` for a created repository (exported to other
    /// stacks of the same environment), the name for an imported one.
    pub fn repository_name(&self) -> Str {
        match &self.kind {
            Kind::Created(r) => r.attr_name(),
            Kind::Imported { .. } => self.name.clone(),
        }
    }

    /// The repository's ARN (`Fn::GetAtt Arn` for a created repository).
    pub fn repository_arn(&self) -> Str {
        match &self.kind {
            Kind::Created(r) => r.attr_arn(),
            Kind::Imported { arn } => arn.clone(),
        }
    }

    /// The name as seen from `consumer`: the attribute in the same account and region, the
    /// physical name from anywhere else (a reference cannot cross accounts).
    pub fn repository_name_for(&self, consumer: &impl IConstruct) -> Str {
        if self.is_same_environment_as(consumer) {
            self.repository_name()
        } else {
            self.name.clone()
        }
    }

    /// The ARN as seen from `consumer` (see [`Repository::repository_name_for`]).
    pub fn repository_arn_for(&self, consumer: &impl IConstruct) -> Str {
        if self.is_same_environment_as(consumer) {
            self.repository_arn()
        } else {
            self.remote_repository_arn()
        }
    }

    /// The ARN usable from any environment (built from the name for a created repository).
    fn remote_repository_arn(&self) -> Str {
        match &self.kind {
            Kind::Imported { arn } => arn.clone(),
            Kind::Created(_) => {
                Str::from("arn:")
                    + Aws::PARTITION
                    + ":codecommit:"
                    + self.region.clone()
                    + ":"
                    + self.account.clone()
                    + ":"
                    + self.name.clone()
            }
        }
    }

    fn is_same_environment_as(&self, consumer: &impl IConstruct) -> bool {
        match (Stack::of(&self.node), Stack::of(consumer)) {
            (Some(mine), Some(theirs)) => {
                same_environment(&mine, &theirs)
                    && mine.account() == self.account
                    && mine.region() == self.region
            }
            _ => true,
        }
    }

    /// The HTTPS clone URL.
    pub fn repository_clone_url_http(&self) -> Str {
        match &self.kind {
            Kind::Created(r) => r.attr_clone_url_http(),
            Kind::Imported { .. } => {
                Str::from("https://git-codecommit.")
                    + self.region.clone()
                    + "."
                    + Aws::URL_SUFFIX
                    + "/v1/repos/"
                    + self.name.clone()
            }
        }
    }

    /// The SSH clone URL.
    pub fn repository_clone_url_ssh(&self) -> Str {
        match &self.kind {
            Kind::Created(r) => r.attr_clone_url_ssh(),
            Kind::Imported { .. } => {
                Str::from("ssh://git-codecommit.")
                    + self.region.clone()
                    + "."
                    + Aws::URL_SUFFIX
                    + "/v1/repos/"
                    + self.name.clone()
            }
        }
    }

    /// The account the repository lives in.
    pub fn env_account(&self) -> Str {
        self.account.clone()
    }

    /// The region the repository lives in.
    pub fn env_region(&self) -> Str {
        self.region.clone()
    }

    /// A rule for every event of this repository (`source: aws.codecommit`, `resources`).
    pub fn on_event(&self, id: &str, options: OnCommitOptions) -> Rule {
        let rule = Rule::new(
            &self.node,
            id,
            RuleProps {
                rule_name: options.rule_name.clone(),
                description: options.description.clone(),
                cross_stack_scope: options.cross_stack_scope.clone(),
                ..Default::default()
            },
        );
        let arn = self.repository_arn_for(&rule);
        rule.add_event_pattern(&EventPattern {
            source: vec!["aws.codecommit".into()],
            resources: vec![arn.clone()],
            ..Default::default()
        });
        rule.add_remote_value(arn, self.remote_repository_arn());
        if let Some(t) = options.target {
            rule.add_target_rc(t);
        }
        rule
    }

    /// A rule for "CodeCommit Repository State Change" events.
    pub fn on_state_change(&self, id: &str, options: OnCommitOptions) -> Rule {
        let rule = self.on_event(id, options);
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["CodeCommit Repository State Change".into()],
            ..Default::default()
        });
        rule
    }

    /// A rule for references created or updated (pushes).
    pub fn on_reference_updated(&self, id: &str, options: OnCommitOptions) -> Rule {
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
    pub fn on_commit(&self, id: &str, options: OnCommitOptions) -> Rule {
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
    pub fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        Grant::add_to_principal(grantee, actions, [self.repository_arn()])
    }

    /// `codecommit:GitPull`.
    pub fn grant_pull(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(grantee, &["codecommit:GitPull"])
    }

    /// `codecommit:GitPull`, then `codecommit:GitPush`.
    pub fn grant_pull_push(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_pull(grantee);
        self.grant(grantee, &["codecommit:GitPush"])
    }

    /// `codecommit:GitPull`, then the read actions (`Get*`, `Describe*`, ...).
    pub fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_pull(grantee);
        self.grant(
            grantee,
            &[
                "codecommit:EvaluatePullRequestApprovalRules",
                "codecommit:Get*",
                "codecommit:Describe*",
            ],
        )
    }

    /// The underlying `AWS::CodeCommit::Repository`, for a created repository.
    pub fn cfn(&self) -> Option<&CfnRepository> {
        match &self.kind {
            Kind::Created(r) => Some(r),
            Kind::Imported { .. } => None,
        }
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::codecommit::*;
