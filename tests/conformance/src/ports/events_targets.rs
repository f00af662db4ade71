//! Ports of `aws-events-targets/test/*/integ.*.ts`.

use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    Artifact, IAction, Pipeline, PipelineProps, StageContext, StageProps,
};
use cdk_constructs::events::{CodePipelineTarget, Rule, RuleProps, Schedule};
use cdk_core::{App, Node, Stack, StackProps, Value};

use crate::harness::Port;

/// The events-targets ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-events-targets/integ.pipeline-event-target",
    build: pipeline_event_target,
}];

/// The test's `MockAction`: fixed properties and configuration.
struct MockAction {
    properties: ActionProperties,
    configuration: Option<Value>,
}

impl IAction for MockAction {
    fn action_properties(&self) -> ActionProperties {
        self.properties.clone()
    }

    fn bind(
        &self,
        _scope: &Node,
        _stage: &StageContext,
        _options: &ActionBindOptions,
    ) -> ActionConfig {
        ActionConfig {
            configuration: self.configuration.clone(),
        }
    }
}

fn mock_properties(
    name: &str,
    category: ActionCategory,
    provider: &str,
    bounds: ActionArtifactBounds,
    outputs: Vec<Artifact>,
) -> ActionProperties {
    ActionProperties {
        action_name: name.into(),
        category,
        provider: provider.into(),
        owner: None,
        version: None,
        run_order: None,
        artifact_bounds: bounds,
        inputs: Vec::new(),
        outputs,
        role: None,
        account: None,
        region: None,
        resource: None,
        variables_namespace: None,
        timeout_minutes: None,
    }
}

/// `codepipeline/integ.pipeline-event-target.ts`. Partial: no SQS queue L2 and no dead-letter
/// queue / retry options on [`CodePipelineTarget`].
fn pipeline_event_target(app: &App) {
    let stack = Stack::new(app, "pipeline-events", StackProps::default());
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "TestRepository".into(),
            ..Default::default()
        },
    );
    let pipeline = Pipeline::new(
        &stack,
        "pipelinePipeline22F2A91D",
        PipelineProps {
            cross_account_keys: Some(true),
            ..Default::default()
        },
    );
    let src = Artifact::new("Src");
    let bounds = |outputs| ActionArtifactBounds {
        min_inputs: 0,
        max_inputs: 0,
        min_outputs: outputs,
        max_outputs: outputs,
    };
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(MockAction {
            properties: mock_properties(
                "CodeCommit",
                ActionCategory::Source,
                "CodeCommit",
                bounds(1),
                vec![src],
            ),
            configuration: Some(Value::object([
                ("RepositoryName", repo.repository_name().into_value()),
                ("BranchName", Value::from("master")),
            ])),
        })],
    ));
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![Box::new(MockAction {
            properties: mock_properties(
                "Hello",
                ActionCategory::Approval,
                "Manual",
                bounds(0),
                Vec::new(),
            ),
            configuration: None,
        })],
    ));
    // `dlq` (sqs.Queue) and the target's deadLetterQueue/maxEventAge/retryAttempts cannot be expressed.
    Rule::new(
        &stack,
        "rule",
        RuleProps {
            schedule: Some(Schedule::expression("rate(1 minute)")),
            targets: vec![std::rc::Rc::new(CodePipelineTarget::new(&pipeline))],
            ..Default::default()
        },
    );
}
