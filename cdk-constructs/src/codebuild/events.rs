//! Event rules on a project's builds (aws-cdk-lib's `Project.onEvent`, `onStateChange`, ...)
//! and the event fields of CodeBuild's events ([`StateChangeEvent`], [`PhaseChangeEvent`]).
//!
//! ```
//! use cdk_core::{App, Stack, StackProps, Str};
//! use cdk_constructs::codebuild::{PhaseChangeEvent, PipelineProject, PipelineProjectProps};
//! use cdk_constructs::events::targets::{SnsTopic, SnsTopicProps};
//! use cdk_constructs::events::{OnEventOptions, RuleTargetInput};
//! use cdk_constructs::sns::{Topic, TopicProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
//! let topic = Topic::new(&stack, "Alerts", TopicProps::default());
//! project.project().on_build_failed("Failed", OnEventOptions::with_target(SnsTopic::new(&topic)));
//! project.project().on_phase_change("Phase", OnEventOptions::with_target(SnsTopic::with_props(
//!     &topic,
//!     SnsTopicProps {
//!         message: Some(RuleTargetInput::from_text(
//!             Str::from("Build phase changed to ") + PhaseChangeEvent::completed_phase(),
//!         )),
//!         ..Default::default()
//!     },
//! )));
//! ```

use cdk_core::{Str, Value};

use super::{IProject, Project};
use crate::events::{EventField, EventPattern, OnEventOptions, Rule};

/// Event rules on the builds of a project: every [`IProject`] has them.
pub trait ProjectEvents: IProject {
    /// A rule `id` under the project for every CodeBuild event of this project (`source`
    /// `aws.codebuild`, `detail.project-name`), as aws-cdk-lib's `onEvent`.
    fn on_event(&self, id: &str, options: OnEventOptions) -> Rule {
        let rule = Rule::new(self.node(), id, options.rule_props());
        if let Some(target) = options.target {
            rule.add_target_rc(target);
        }
        rule.add_event_pattern(&EventPattern {
            source: vec!["aws.codebuild".into()],
            detail: Some(Value::object([(
                "project-name",
                Value::list([self.project_name()]),
            )])),
            ..Default::default()
        });
        rule
    }

    /// A rule for "CodeBuild Build State Change" events (a build starts, fails, succeeds or
    /// stops).
    fn on_state_change(&self, id: &str, options: OnEventOptions) -> Rule {
        let rule = ProjectEvents::on_event(self, id, options);
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["CodeBuild Build State Change".into()],
            ..Default::default()
        });
        rule
    }

    /// A rule for "CodeBuild Build Phase Change" events (a phase of a build completes).
    fn on_phase_change(&self, id: &str, options: OnEventOptions) -> Rule {
        let rule = ProjectEvents::on_event(self, id, options);
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["CodeBuild Build Phase Change".into()],
            ..Default::default()
        });
        rule
    }

    /// A rule for builds that start (`build-status` `IN_PROGRESS`).
    fn on_build_started(&self, id: &str, options: OnEventOptions) -> Rule {
        build_status_rule(self, id, options, "IN_PROGRESS")
    }

    /// A rule for builds that fail (`build-status` `FAILED`).
    fn on_build_failed(&self, id: &str, options: OnEventOptions) -> Rule {
        build_status_rule(self, id, options, "FAILED")
    }

    /// A rule for builds that succeed (`build-status` `SUCCEEDED`).
    fn on_build_succeeded(&self, id: &str, options: OnEventOptions) -> Rule {
        build_status_rule(self, id, options, "SUCCEEDED")
    }
}

impl<T: IProject + ?Sized> ProjectEvents for T {}

macro_rules! inherent_project_events {
    ($($name:ident: $doc:literal),* $(,)?) => {
        impl Project {
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "See [`ProjectEvents`]."]
                pub fn $name(&self, id: &str, options: OnEventOptions) -> Rule {
                    ProjectEvents::$name(self, id, options)
                }
            )*
        }
    };
}

inherent_project_events!(
    on_event: "A rule for every CodeBuild event of this project.",
    on_state_change: "A rule for \"CodeBuild Build State Change\" events.",
    on_phase_change: "A rule for \"CodeBuild Build Phase Change\" events.",
    on_build_started: "A rule for builds that start.",
    on_build_failed: "A rule for builds that fail.",
    on_build_succeeded: "A rule for builds that succeed.",
);

fn build_status_rule<P: ProjectEvents + ?Sized>(
    project: &P,
    id: &str,
    options: OnEventOptions,
    status: &str,
) -> Rule {
    let rule = project.on_state_change(id, options);
    rule.add_event_pattern(&EventPattern {
        detail: Some(serde_json::json!({ "build-status": [status] }).into()),
        ..Default::default()
    });
    rule
}

/// Fields of a "CodeBuild Build State Change" event, for a
/// [`RuleTargetInput`](crate::events::RuleTargetInput) (aws-cdk-lib's `StateChangeEvent`).
pub struct StateChangeEvent;

impl StateChangeEvent {
    /// `$.detail.build-status`.
    pub fn build_status() -> Str {
        EventField::from_path("$.detail.build-status")
    }
    /// `$.detail.project-name`.
    pub fn project_name() -> Str {
        EventField::from_path("$.detail.project-name")
    }
    /// `$.detail.build-id`.
    pub fn build_id() -> Str {
        EventField::from_path("$.detail.build-id")
    }
    /// `$.detail.current-phase`.
    pub fn current_phase() -> Str {
        EventField::from_path("$.detail.current-phase")
    }
}

/// Fields of a "CodeBuild Build Phase Change" event (aws-cdk-lib's `PhaseChangeEvent`).
pub struct PhaseChangeEvent;

impl PhaseChangeEvent {
    /// `$.detail.project-name`.
    pub fn project_name() -> Str {
        EventField::from_path("$.detail.project-name")
    }
    /// `$.detail.build-id`.
    pub fn build_id() -> Str {
        EventField::from_path("$.detail.build-id")
    }
    /// `$.detail.completed-phase`.
    pub fn completed_phase() -> Str {
        EventField::from_path("$.detail.completed-phase")
    }
    /// `$.detail.completed-phase-status`.
    pub fn completed_phase_status() -> Str {
        EventField::from_path("$.detail.completed-phase-status")
    }
    /// `$.detail.completed-phase-duration-seconds`.
    pub fn completed_phase_duration_seconds() -> Str {
        EventField::from_path("$.detail.completed-phase-duration-seconds")
    }
    /// `$.detail.build-complete`.
    pub fn build_complete() -> Str {
        EventField::from_path("$.detail.build-complete")
    }
}
