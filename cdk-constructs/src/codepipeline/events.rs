//! Event rules on a pipeline's executions (aws-cdk-lib's `Pipeline.onEvent` /
//! `onStateChange`, `IStage.onStateChange`, `IAction.onStateChange`).
//!
//! ```
//! use cdk_core::{App, Stack, StackProps, Str};
//! use cdk_constructs::codecommit::{Repository, RepositoryProps};
//! use cdk_constructs::codepipeline::{ActionEvents, Artifact, Pipeline, PipelineProps, StageProps};
//! use cdk_constructs::codepipeline_actions::{CodeCommitSourceAction, CodeCommitSourceActionProps};
//! use cdk_constructs::events::targets::{SnsTopic, SnsTopicProps};
//! use cdk_constructs::events::{EventField, OnEventOptions, RuleProps, RuleTargetInput};
//! use cdk_constructs::sns::{Topic, TopicProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Ci", StackProps::default());
//! let repo = Repository::new(&stack, "Repo", RepositoryProps {
//!     repository_name: "app".into(),
//!     ..Default::default()
//! });
//! let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps::default());
//! let source = CodeCommitSourceAction::new(CodeCommitSourceActionProps::new(
//!     "Source",
//!     &repo,
//!     &Artifact::new("Source"),
//! ));
//! let stage = pipeline.add_stage(StageProps::new("Source", vec![Box::new(source.clone())]));
//! let topic = Topic::new(&stack, "Alerts", TopicProps::default());
//! pipeline.on_state_change("OnPipeline", OnEventOptions::with_target(SnsTopic::with_props(
//!     &topic,
//!     SnsTopicProps {
//!         message: Some(RuleTargetInput::from_text(
//!             Str::from("Pipeline changed state to ") + EventField::from_path("$.detail.state"),
//!         )),
//!         ..Default::default()
//!     },
//! )));
//! stage.on_state_change("OnStage", Some(std::rc::Rc::new(SnsTopic::new(&topic))), RuleProps::default());
//! source.on_state_change(&stage, "OnSource", None, RuleProps::default());
//! ```

use std::rc::Rc;

use super::{IAction, IPipeline, Pipeline, Stage};
use crate::events::{EventPattern, IRuleTarget, OnEventOptions, Rule, RuleProps};

/// Event rules on the executions of a pipeline: every [`IPipeline`] has them.
pub trait PipelineEvents: IPipeline {
    /// A rule `id` under the pipeline for every CodePipeline event of it (`source`
    /// `aws.codepipeline`, `resources` the pipeline's ARN), as aws-cdk-lib's `onEvent`.
    fn on_event(&self, id: &str, options: OnEventOptions) -> Rule {
        let rule = Rule::new(self.node(), id, options.rule_props());
        if let Some(target) = options.target {
            rule.add_target_rc(target);
        }
        rule.add_event_pattern(&EventPattern {
            source: vec!["aws.codepipeline".into()],
            resources: vec![self.pipeline_arn()],
            ..Default::default()
        });
        rule
    }

    /// A rule for "CodePipeline Pipeline Execution State Change" events.
    fn on_state_change(&self, id: &str, options: OnEventOptions) -> Rule {
        let rule = PipelineEvents::on_event(self, id, options);
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["CodePipeline Pipeline Execution State Change".into()],
            ..Default::default()
        });
        rule
    }
}

impl<T: IPipeline + ?Sized> PipelineEvents for T {}

impl Pipeline {
    /// A rule for every event of this pipeline (see [`PipelineEvents::on_event`]).
    pub fn on_event(&self, id: &str, options: OnEventOptions) -> Rule {
        PipelineEvents::on_event(self, id, options)
    }

    /// A rule for the pipeline's execution state changes (see
    /// [`PipelineEvents::on_state_change`]).
    pub fn on_state_change(&self, id: &str, options: OnEventOptions) -> Rule {
        PipelineEvents::on_state_change(self, id, options)
    }
}

/// The rule `name` under `scope` with `target`, matching `pattern` (the shape of aws-cdk-lib's
/// stage and action `onStateChange`: target first, then the pattern).
fn state_change_rule(
    scope: &cdk_core::Node,
    name: &str,
    target: Option<Rc<dyn IRuleTarget>>,
    options: RuleProps,
    pattern: EventPattern,
) -> Rule {
    let rule = Rule::new(scope, name, options);
    if let Some(target) = target {
        rule.add_target_rc(target);
    }
    rule.add_event_pattern(&pattern);
    rule
}

impl Stage {
    /// A rule `name` under the stage for "CodePipeline Stage Execution State Change" events of
    /// this stage (aws-cdk-lib's `IStage.onStateChange`). A stage the pipeline refused (a
    /// duplicate name) has no scope: the rule then lives under the pipeline.
    pub fn on_state_change(
        &self,
        name: &str,
        target: Option<Rc<dyn IRuleTarget>>,
        options: RuleProps,
    ) -> Rule {
        let scope = self.scope();
        state_change_rule(
            &scope,
            name,
            target,
            options,
            EventPattern {
                detail_type: vec!["CodePipeline Stage Execution State Change".into()],
                source: vec!["aws.codepipeline".into()],
                resources: vec![self.pipeline.pipeline_arn()],
                detail: Some(serde_json::json!({ "stage": [self.name] }).into()),
                ..Default::default()
            },
        )
    }

    fn scope(&self) -> cdk_core::Node {
        self.pipeline
            .state
            .borrow()
            .stages
            .iter()
            .find(|s| s.name == self.name)
            .map(|s| s.scope.clone())
            .unwrap_or_else(|| cdk_core::IConstruct::node(&self.pipeline).clone())
    }
}

/// Event rules on the executions of an action (aws-cdk-lib's `IAction.onStateChange`): every
/// [`IAction`] has them.
///
/// rcdk's actions do not keep a reference to the pipeline they were added to, so the stage the
/// action is in is passed explicitly; the rule lives under the action's construct in that
/// stage, as in aws-cdk-lib (`<pipeline>/<stage>/<action>/<name>`).
pub trait ActionEvents: IAction {
    /// A rule `name` for "CodePipeline Action Execution State Change" events of this action in
    /// `stage`. An action that is not in `stage` is an error on the stage's scope (the rule is
    /// then created under the stage).
    fn on_state_change(
        &self,
        stage: &Stage,
        name: &str,
        target: Option<Rc<dyn IRuleTarget>>,
        options: RuleProps,
    ) -> Rule {
        let action_name = self.action_properties().action_name;
        let stage_scope = stage.scope();
        let scope = if stage
            .pipeline
            .state
            .borrow()
            .stages
            .iter()
            .find(|s| s.name == stage.name)
            .is_some_and(|s| s.actions.iter().any(|a| a.props.action_name == action_name))
        {
            stage_scope.try_find_child(&action_name)
        } else {
            None
        };
        let scope = scope.unwrap_or_else(|| {
            stage_scope.add_error(&format!(
                "Cannot create an event rule for action '{action_name}': it is not an action of stage '{}' (add it to the stage first)",
                stage.name
            ));
            stage_scope.clone()
        });
        state_change_rule(
            &scope,
            name,
            target,
            options,
            EventPattern {
                detail_type: vec!["CodePipeline Action Execution State Change".into()],
                source: vec!["aws.codepipeline".into()],
                resources: vec![stage.pipeline.pipeline_arn()],
                detail: Some(
                    serde_json::json!({ "stage": [stage.name], "action": [action_name] }).into(),
                ),
                ..Default::default()
            },
        )
    }
}

impl<T: IAction + ?Sized> ActionEvents for T {}
