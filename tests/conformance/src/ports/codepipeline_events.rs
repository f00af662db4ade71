//! Ports of the event-rule tests of `aws-codepipeline-actions/test/integ.*.ts` (pipeline, stage
//! and action `onStateChange`).

use std::rc::Rc;

use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{ActionEvents, Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::{
    CodeBuildAction, CodeBuildActionProps, CodeCommitSourceAction, CodeCommitSourceActionProps,
    CodeCommitTrigger,
};
use cdk_constructs::events::targets::{SnsTopic, SnsTopicProps};
use cdk_constructs::events::{
    EventField, EventPattern, OnEventOptions, RuleProps, RuleTargetInput,
};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_core::{App, Stack, StackProps, Str};

use crate::harness::Port;

/// The pipeline event ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-codepipeline-actions/integ.pipeline-events",
    build: pipeline_events,
}];

/// `integ.pipeline-events.ts`: a CodeCommit → CodeBuild pipeline whose pipeline, source stage
/// and source action state changes go to a topic (the pipeline's with a text message of two
/// event fields; the action's only for `STARTED`).
fn pipeline_events(app: &App) {
    let stack = Stack::new(app, "aws-cdk-pipeline-event-target", StackProps::default());
    let pipeline = Pipeline::new(&stack, "MyPipeline", PipelineProps::default());
    let repository = Repository::new(
        &stack,
        "CodeCommitRepo",
        RepositoryProps {
            repository_name: "foo".into(),
            ..Default::default()
        },
    );
    let project = PipelineProject::new(
        &stack,
        "BuildProject",
        PipelineProjectProps {
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
    let source_output = Artifact::new("Source");
    let source_action = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        trigger: CodeCommitTrigger::Poll,
        ..CodeCommitSourceActionProps::new("CodeCommitSource", &repository, &source_output)
    });
    let source_stage = pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(source_action.clone())],
    ));
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![Box::new(CodeBuildAction::new(CodeBuildActionProps {
            outputs: vec![Artifact::unnamed()],
            ..CodeBuildActionProps::new("CodeBuildAction", &project, &source_output)
        }))],
    ));
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());

    let event_pipeline = EventField::from_path("$.detail.pipeline");
    let event_state = EventField::from_path("$.detail.state");
    pipeline.on_state_change(
        "OnPipelineStateChange",
        OnEventOptions::with_target(SnsTopic::with_props(
            &topic,
            SnsTopicProps {
                message: Some(RuleTargetInput::from_text(Str::format(
                    "Pipeline {} changed state to {}",
                    [event_pipeline, event_state],
                ))),
                ..Default::default()
            },
        )),
    );
    source_stage.on_state_change(
        "OnSourceStateChange",
        Some(Rc::new(SnsTopic::new(&topic))),
        RuleProps::default(),
    );
    source_action
        .on_state_change(
            &source_stage,
            "OnActionStateChange",
            Some(Rc::new(SnsTopic::new(&topic))),
            RuleProps::default(),
        )
        .add_event_pattern(&EventPattern {
            detail: Some(serde_json::json!({"state": ["STARTED"]}).into()),
            ..Default::default()
        });
}
