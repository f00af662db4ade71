//! Ports of `aws-events-targets/test/*/integ.*.ts`.

use cdk_constructs::codebuild::{
    CodeCommitSourceProps, PhaseChangeEvent, Project, ProjectProps, Source,
};
use cdk_constructs::codecommit::{OnCommitOptions, ReferenceEvent, Repository, RepositoryProps};
use cdk_constructs::codepipeline::{
    ActionArtifactBounds, ActionBindOptions, ActionCategory, ActionConfig, ActionProperties,
    Artifact, IAction, Pipeline, PipelineProps, StageContext, StageProps,
};
use std::rc::Rc;
use std::time::Duration;

use cdk_constructs::events::targets::{
    CodeBuildProject, CodePipeline, EventBus as EventBusTarget,
    EventBusProps as EventBusTargetProps, LambdaFunction, SnsTopic, SnsTopicProps, SqsQueue,
    SqsQueueProps, TargetBaseProps,
};
use cdk_constructs::events::{
    EventBus, OnEventOptions, Rule, RuleProps, RuleTargetInput, Schedule,
};
use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sns_subscriptions::SqsSubscription;
use cdk_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use cdk_core::{App, Aws, Node, Stack, StackProps, Str, Value};

use crate::harness::Port;

/// The events-targets ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-events-targets/integ.pipeline-event-target",
        build: pipeline_event_target,
    },
    Port {
        test: "aws-events-targets/integ.events",
        build: lambda_events,
    },
    Port {
        test: "aws-events-targets/integ.sns-event-rule-target-role-enabled",
        build: sns_event_rule_target_role_enabled,
    },
    Port {
        test: "aws-events-targets/integ.event-bus",
        build: event_bus,
    },
    Port {
        test: "aws-events-targets/integ.sqs-event-rule-target",
        build: sqs_event_rule_target,
    },
    Port {
        test: "aws-events-targets/integ.project-events",
        build: project_events,
    },
    Port {
        test: "aws-events-targets/integ.sns-event-rule-target",
        build: sns_event_rule_target,
    },
    Port {
        test: "aws-events-targets/integ.sns-event-rule-target-custom-role",
        build: sns_event_rule_target_custom_role,
    },
    Port {
        test: "aws-events-targets/integ.sns-event-rule-target-dlq-encrypted",
        build: sns_event_rule_target_dlq_encrypted,
    },
];

/// A topic delivering to a queue and a rule every minute, the start of the SNS target tests.
fn every_minute_to_topic(stack: &Stack) -> (Topic, Rule) {
    let topic = Topic::new(stack, "MyTopic", TopicProps::default());
    let event = Rule::new(
        stack,
        "EveryMinute",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(60))),
            ..Default::default()
        },
    );
    let queue = Queue::new(stack, "MyQueue", QueueProps::default());
    topic.add_subscription(&SqsSubscription::new(&queue));
    (topic, event)
}

/// `sns/integ.sns-event-rule-target-custom-role.ts`: the topic target publishes with a given
/// role.
fn sns_event_rule_target_custom_role(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sns-event-target", StackProps::default());
    let (topic, event) = every_minute_to_topic(&stack);
    let dead_letter_queue = Queue::new(&stack, "MyDeadLetterQueue", QueueProps::default());
    let role = Role::new(
        &stack,
        "MyRole",
        RoleProps::assumed_by(ServicePrincipal::new("events.amazonaws.com")),
    );
    event.add_target(SnsTopic::with_props(
        &topic,
        SnsTopicProps {
            role: Some(Rc::new(role)),
            base: TargetBaseProps {
                dead_letter_queue: Some(Rc::new(dead_letter_queue)),
                ..Default::default()
            },
            ..Default::default()
        },
    ));
}

/// `sns/integ.sns-event-rule-target-dlq-encrypted.ts`: a KMS-encrypted dead-letter queue.
fn sns_event_rule_target_dlq_encrypted(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-sns-event-target-dlq-encrypted",
        StackProps::default(),
    );
    let (topic, event) = every_minute_to_topic(&stack);
    let key = Key::new(&stack, "MyKey", KeyProps::default());
    let dead_letter_queue = Queue::new(
        &stack,
        "MyDeadLetterQueue",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    event.add_target(SnsTopic::new(&topic).with_dead_letter_queue(&dead_letter_queue));
}

/// `sns/integ.sns-event-rule-target.ts`: a rule every minute publishing to a topic (topic
/// policy, dead-letter queue); the topic delivers to a queue.
fn sns_event_rule_target(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sns-event-target", StackProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    let event = Rule::new(
        &stack,
        "EveryMinute",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(60))),
            ..Default::default()
        },
    );
    let queue = Queue::new(&stack, "MyQueue", QueueProps::default());
    topic.add_subscription(&SqsSubscription::new(&queue));
    let dead_letter_queue = Queue::new(&stack, "MyDeadLetterQueue", QueueProps::default());
    event.add_target(SnsTopic::new(&topic).with_dead_letter_queue(&dead_letter_queue));
}

/// `codebuild/integ.project-events.ts`: a CodeCommit-sourced project, its state- and
/// phase-change rules to a topic (one with a text message of an event field), and the
/// repository's commit rule starting builds (dead-letter queue, retries) and notifying the
/// topic with the repository and branch of the push.
fn project_events(app: &App) {
    let stack = Stack::new(app, "aws-cdk-codebuild-events", StackProps::default());
    let repo = Repository::new(
        &stack,
        "MyRepo",
        RepositoryProps {
            repository_name: "aws-cdk-codebuild-events".into(),
            ..Default::default()
        },
    );
    let project = Project::new(
        &stack,
        "MyProject",
        ProjectProps {
            source: Some(Source::code_commit(CodeCommitSourceProps {
                repository: Rc::new(repo.clone()),
                branch_or_ref: None,
                clone_depth: None,
                fetch_submodules: None,
                identifier: None,
            })),
            ..Default::default()
        },
    );
    let queue = Queue::new(&stack, "MyQueue", QueueProps::default());
    let dead_letter_queue = Queue::new(&stack, "DeadLetterQueue", QueueProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    topic.add_subscription(&SqsSubscription::new(&queue));

    project.on_state_change(
        "StateChange",
        OnEventOptions::with_target(SnsTopic::new(&topic)),
    );
    project.on_phase_change(
        "PhaseChange",
        OnEventOptions::with_target(SnsTopic::with_props(
            &topic,
            SnsTopicProps {
                message: Some(RuleTargetInput::from_text(
                    Str::from("Build phase changed to ") + PhaseChangeEvent::completed_phase(),
                )),
                ..Default::default()
            },
        )),
    );
    let on_commit_rule = repo.on_commit(
        "OnCommit",
        OnCommitOptions {
            target: Some(Rc::new(
                CodeBuildProject::new(&project)
                    .with_dead_letter_queue(&dead_letter_queue)
                    .with_max_event_age(Duration::from_secs(2 * 3600))
                    .with_retry_attempts(2),
            )),
            branches: vec!["master".into()],
            ..Default::default()
        },
    );
    on_commit_rule.add_target(SnsTopic::with_props(
        &topic,
        SnsTopicProps {
            message: Some(RuleTargetInput::from_text(Str::format(
                "A commit was pushed to the repository {} on branch {}",
                [
                    ReferenceEvent::repository_name(),
                    ReferenceEvent::reference_name(),
                ],
            ))),
            ..Default::default()
        },
    ));
}

/// `sqs/integ.sqs-event-rule-target.ts` in the version of its snapshot: a KMS-encrypted queue
/// with a dead-letter queue, and a standard queue with a message group ID.
fn sqs_event_rule_target(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sqs-event-target", StackProps::default());
    let key = Key::new(&stack, "MyKey", KeyProps::default());
    let every_minute = |id: &str| {
        Rule::new(
            &stack,
            id,
            RuleProps {
                schedule: Some(Schedule::rate(Duration::from_secs(60))),
                ..Default::default()
            },
        )
    };
    let event = every_minute("MyRule");
    let queue = Queue::new(
        &stack,
        "MyQueue",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    let dead_letter_queue = Queue::new(&stack, "MyDeadLetterQueue", QueueProps::default());
    event.add_target(SqsQueue::with_props(
        queue,
        SqsQueueProps {
            base: TargetBaseProps {
                dead_letter_queue: Some(Rc::new(dead_letter_queue)),
                ..Default::default()
            },
            ..Default::default()
        },
    ));
    let standard_queue = Queue::new(&stack, "StandardQueue", QueueProps::default());
    every_minute("StandardQueueRule").add_target(SqsQueue::with_props(
        standard_queue,
        SqsQueueProps {
            message_group_id: Some("MyMessageGroupId".into()),
            ..Default::default()
        },
    ));
}

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

/// `codepipeline/integ.pipeline-event-target.ts`.
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
    let dlq = Queue::new(&stack, "dlq", QueueProps::default());
    Rule::new(
        &stack,
        "rule",
        RuleProps {
            schedule: Some(Schedule::expression("rate(1 minute)")),
            targets: vec![std::rc::Rc::new(
                CodePipeline::new(&pipeline)
                    .with_dead_letter_queue(&dlq)
                    .with_max_event_age(Duration::from_secs(2 * 3600))
                    .with_retry_attempts(2),
            )],
            ..Default::default()
        },
    );
}

/// `lambda/integ.events.ts`.
fn lambda_events(app: &App) {
    let stack = Stack::new(app, "lambda-events", StackProps::default());
    let code = "exports.handler = function handler(event, _context, callback) {\n    console.log(JSON.stringify(event, undefined, 2));\n    return callback();\n}";
    let f = Function::new(
        &stack,
        "MyFunc",
        FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline(code)),
    );
    let every = |id: &str, minutes: u64| {
        Rule::new(
            &stack,
            id,
            RuleProps {
                schedule: Some(Schedule::rate(Duration::from_secs(minutes * 60))),
                ..Default::default()
            },
        )
    };
    every("Timer", 1).add_target(LambdaFunction::new(&f));
    every("Timer2", 2).add_target(LambdaFunction::new(&f));
    let timer3 = every("Timer3", 2);
    let queue = Queue::new(&stack, "Queue", QueueProps::default());
    timer3.add_target(
        LambdaFunction::new(&f)
            .with_dead_letter_queue(&queue)
            .with_max_event_age(Duration::from_secs(2 * 3600))
            .with_retry_attempts(0),
    );
}

/// `sns/integ.sns-event-rule-target-role-enabled.ts`.
fn sns_event_rule_target_role_enabled(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sns-event-target", StackProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    let event = Rule::new(
        &stack,
        "EveryMinute",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(60))),
            ..Default::default()
        },
    );
    let queue = Queue::new(&stack, "MyQueue", QueueProps::default());
    topic.add_subscription(&SqsSubscription::new(&queue));
    let dead_letter_queue = Queue::new(&stack, "MyDeadLetterQueue", QueueProps::default());
    event.add_target(
        SnsTopic::with_props(
            &topic,
            SnsTopicProps {
                authorize_using_role: true,
                ..Default::default()
            },
        )
        .with_dead_letter_queue(&dead_letter_queue),
    );
}

/// `event-bus/integ.event-bus.ts`.
fn event_bus(app: &App) {
    let stack = Stack::new(app, "event-source-stack", StackProps::default());
    let rule = Rule::new(
        &stack,
        "Rule",
        RuleProps {
            schedule: Some(Schedule::expression("rate(1 minute)")),
            ..Default::default()
        },
    );
    let queue = Queue::new(&stack, "Queue", QueueProps::default());
    let external = EventBus::from_event_bus_arn(
        &stack,
        "External",
        Str::from("arn:aws:events:") + Aws::REGION + ":999999999999:event-bus/test-bus",
    );
    rule.add_target(EventBusTarget::with_props(
        external,
        EventBusTargetProps {
            dead_letter_queue: Some(std::rc::Rc::new(queue)),
            ..Default::default()
        },
    ));
}
