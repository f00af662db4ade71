//! The rest of aws-cdk-lib's event-rule helpers of a repository (`onReferenceCreated`,
//! `onPullRequestStateChange`, ...) and the fields of its reference events
//! ([`ReferenceEvent`]). `on_event`, `on_state_change`, `on_reference_updated` and
//! `on_commit` are methods of [`IRepository`].
//!
//! ```
//! use cdk_core::{App, Stack, StackProps, Str};
//! use cdk_constructs::codecommit::{ReferenceEvent, Repository, RepositoryProps};
//! use cdk_constructs::events::targets::{SnsTopic, SnsTopicProps};
//! use cdk_constructs::events::{OnEventOptions, RuleTargetInput};
//! use cdk_constructs::sns::{Topic, TopicProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let repo = Repository::new(&stack, "Repo", RepositoryProps {
//!     repository_name: "app".into(),
//!     ..Default::default()
//! });
//! let topic = Topic::new(&stack, "Changes", TopicProps::default());
//! repo.on_reference_deleted("BranchDeleted", OnEventOptions::with_target(SnsTopic::with_props(
//!     &topic,
//!     SnsTopicProps {
//!         message: Some(RuleTargetInput::from_text(
//!             Str::from("Deleted ") + ReferenceEvent::reference_name(),
//!         )),
//!         ..Default::default()
//!     },
//! )));
//! repo.on_pull_request_state_change("PullRequests", Default::default());
//! ```

use cdk_core::Str;

use super::{IRepository, OnCommitOptions, Repository};
use crate::events::{EventField, EventPattern, OnEventOptions, Rule};

impl From<OnEventOptions> for OnCommitOptions {
    fn from(o: OnEventOptions) -> Self {
        OnCommitOptions {
            branches: Vec::new(),
            target: o.target,
            rule_name: o.rule_name,
            description: o.description,
            cross_stack_scope: o.cross_stack_scope,
            event_pattern: o.event_pattern,
        }
    }
}

fn with_pattern(rule: Rule, pattern: EventPattern) -> Rule {
    rule.add_event_pattern(&pattern);
    rule
}

fn detail_type(name: &str) -> EventPattern {
    EventPattern {
        detail_type: vec![name.into()],
        ..Default::default()
    }
}

fn reference_events(events: &[&str]) -> EventPattern {
    EventPattern {
        detail: Some(serde_json::json!({ "event": events }).into()),
        ..Default::default()
    }
}

/// Event rules of a repository beyond [`IRepository`]'s: every repository has them.
pub trait RepositoryEvents: IRepository {
    /// A rule for branches or tags created (`referenceCreated`).
    fn on_reference_created(&self, id: &str, options: OnEventOptions) -> Rule {
        with_pattern(
            self.on_state_change(id, options.into()),
            reference_events(&["referenceCreated"]),
        )
    }

    /// A rule for branches or tags deleted (`referenceDeleted`).
    fn on_reference_deleted(&self, id: &str, options: OnEventOptions) -> Rule {
        with_pattern(
            self.on_state_change(id, options.into()),
            reference_events(&["referenceDeleted"]),
        )
    }

    /// A rule for "CodeCommit Pull Request State Change" events.
    fn on_pull_request_state_change(&self, id: &str, options: OnEventOptions) -> Rule {
        with_pattern(
            self.on_event(id, options.into()),
            detail_type("CodeCommit Pull Request State Change"),
        )
    }

    /// A rule for "CodeCommit Comment on Pull Request" events.
    fn on_comment_on_pull_request(&self, id: &str, options: OnEventOptions) -> Rule {
        with_pattern(
            self.on_event(id, options.into()),
            detail_type("CodeCommit Comment on Pull Request"),
        )
    }

    /// A rule for "CodeCommit Comment on Commit" events.
    fn on_comment_on_commit(&self, id: &str, options: OnEventOptions) -> Rule {
        with_pattern(
            self.on_event(id, options.into()),
            detail_type("CodeCommit Comment on Commit"),
        )
    }
}

impl<T: IRepository + ?Sized> RepositoryEvents for T {}

macro_rules! inherent_repository_events {
    ($($name:ident: $doc:literal),* $(,)?) => {
        impl Repository {
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "See [`RepositoryEvents`]."]
                pub fn $name(&self, id: &str, options: OnEventOptions) -> Rule {
                    RepositoryEvents::$name(self, id, options)
                }
            )*
        }
    };
}

inherent_repository_events!(
    on_reference_created: "A rule for branches or tags created.",
    on_reference_deleted: "A rule for branches or tags deleted.",
    on_pull_request_state_change: "A rule for pull request state changes.",
    on_comment_on_pull_request: "A rule for comments on pull requests.",
    on_comment_on_commit: "A rule for comments on commits.",
);

/// Fields of a "CodeCommit Repository State Change" event, for a
/// [`RuleTargetInput`](crate::events::RuleTargetInput) (aws-cdk-lib's `ReferenceEvent`).
pub struct ReferenceEvent;

impl ReferenceEvent {
    /// `$.detail.event` (`referenceCreated`, `referenceUpdated`, `referenceDeleted`).
    pub fn event_type() -> Str {
        EventField::from_path("$.detail.event")
    }
    /// `$.detail.repositoryName`.
    pub fn repository_name() -> Str {
        EventField::from_path("$.detail.repositoryName")
    }
    /// `$.detail.repositoryId`.
    pub fn repository_id() -> Str {
        EventField::from_path("$.detail.repositoryId")
    }
    /// `$.detail.referenceType` (`branch` or `tag`).
    pub fn reference_type() -> Str {
        EventField::from_path("$.detail.referenceType")
    }
    /// `$.detail.referenceName`.
    pub fn reference_name() -> Str {
        EventField::from_path("$.detail.referenceName")
    }
    /// `$.detail.referenceFullName`.
    pub fn reference_full_name() -> Str {
        EventField::from_path("$.detail.referenceFullName")
    }
    /// `$.detail.commitId`.
    pub fn commit_id() -> Str {
        EventField::from_path("$.detail.commitId")
    }
}
