//! What rules send to their targets (`RuleTargetInput`, `EventField`), the targets' input
//! properties, and the `on_*` event rules of CodeBuild projects and CodeCommit repositories,
//! compared with aws-cdk-lib 2.276.0's templates
//! (`tests/fixtures/aws-cdk-lib-2.276.0/events-input.js`).

mod common;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::codebuild::{
    PhaseChangeEvent, PipelineProject, PipelineProjectProps, ProjectEvents, StateChangeEvent,
};
use cdk_constructs::codecommit::{
    IRepository, OnCommitOptions, ReferenceEvent, Repository, RepositoryProps,
};
use cdk_constructs::events::targets::{
    CodeBuildProject, CodeBuildProjectProps, LambdaFunction, LambdaFunctionProps, SnsTopic,
    SnsTopicProps, SqsQueue, SqsQueueProps,
};
use cdk_constructs::events::{
    ordered_object, EventField, EventPattern, OnEventOptions, Rule, RuleProps, RuleTargetInput,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sqs::{Queue, QueueProps};
use cdk_core::{App, IConstruct, Stack, StackProps, Str, Value};

const REFERENCE: &str = "events-input.templates.json";

fn rule(stack: &Stack, id: &str) -> Rule {
    Rule::new(
        stack,
        id,
        RuleProps {
            event_pattern: Some(EventPattern {
                source: vec!["aws.s3".into()],
                ..Default::default()
            }),
            ..Default::default()
        },
    )
}

fn message(topic: &Topic, input: RuleTargetInput) -> SnsTopic {
    SnsTopic::with_props(
        topic,
        SnsTopicProps {
            message: Some(input),
            ..Default::default()
        },
    )
}

#[test]
fn inputs_render_as_aws_cdk_lib() {
    let app = App::new();
    let stack = Stack::new(&app, "Inputs", StackProps::default());
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let queue = Queue::new(&stack, "Queue", QueueProps::default());
    let r = rule(&stack, "Rule");
    r.add_target(message(&topic, RuleTargetInput::from_text("plain text")));
    r.add_target(message(
        &topic,
        RuleTargetInput::from_text(Str::format(
            "From {} at {} ({})",
            [
                EventField::source(),
                EventField::time(),
                EventField::source(),
            ],
        )),
    ));
    r.add_target(message(
        &topic,
        RuleTargetInput::from_multiline_text(Str::format(
            "line one {}\nline \"two\"\n\n{}",
            [EventField::account(), EventField::region()],
        )),
    ));
    r.add_target(message(
        &topic,
        RuleTargetInput::from_object(ordered_object([
            ("zeta", Value::from(EventField::event_id())),
            (
                "alpha",
                (Str::from("type ") + EventField::detail_type()).into(),
            ),
            (
                "nested",
                Value::object([(
                    "list",
                    Value::List(vec![
                        EventField::from_path("$.detail.a b").into(),
                        1.into(),
                        true.into(),
                    ]),
                )]),
            ),
        ])),
    ));
    r.add_target(message(
        &topic,
        RuleTargetInput::from_event_path("$.detail"),
    ));
    let tokens = rule(&stack, "Tokens");
    tokens.add_target(message(
        &topic,
        RuleTargetInput::from_object(ordered_object([
            ("queue", Value::from(queue.queue_arn())),
            ("whole", EventField::from_path("$").into()),
            (
                "name",
                (queue.queue_name() + "/" + EventField::from_path("$.detail.key")).into(),
            ),
        ])),
    ));
    tokens.add_target(message(
        &topic,
        RuleTargetInput::from_text(Str::from("queue ") + queue.queue_url()),
    ));
    tokens.add_target(message(
        &topic,
        RuleTargetInput::from_object(Value::raw_json(
            serde_json::json!({"plain": "value", "n": 2}),
        )),
    ));
    tokens.add_target(message(
        &topic,
        RuleTargetInput::from_multiline_text(
            Str::from("queue ")
                + queue.queue_name()
                + "\nat "
                + EventField::time()
                + "\n"
                + queue.queue_url()
                + " \"done\"",
        ),
    ));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": Match::array_with(vec![Match::object_like(pattern!({
            "Id": "Target4",
            "InputPath": "$.detail",
        }))])}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "inputs");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}

#[test]
fn a_key_used_for_two_paths_is_an_error_on_the_rule() {
    let app = App::new();
    let stack = Stack::new(&app, "Dup", StackProps::default());
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let r = rule(&stack, "Rule");
    r.add_target(message(
        &topic,
        RuleTargetInput::from_text(Str::format(
            "{} {}",
            [
                EventField::from_path("$.detail.a-b"),
                EventField::from_path("$.detail.a.b"),
            ],
        )),
    ));
    let expected = common::aws_cdk_lib_reference(REFERENCE, "duplicateError");
    Annotations::from_stack(&stack).has_error(
        "/Dup/Rule",
        Match::exact(expected.as_str().expect("message")),
    );
}

#[test]
fn an_event_field_outside_an_input_is_its_path() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    assert_eq!(
        stack
            .resolve(EventField::from_path("$.detail.x").value())
            .unwrap(),
        serde_json::json!("$.detail.x")
    );
}

#[test]
fn every_target_takes_an_input() {
    let app = App::new();
    let stack = Stack::new(&app, "Targets", StackProps::default());
    let f = Function::new(
        &stack,
        "Fn",
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("exports.handler = async () => {}"),
        ),
    );
    let queue = Queue::new(&stack, "Queue", QueueProps::default());
    let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
    let r = rule(&stack, "Rule");
    r.add_target(LambdaFunction::with_props(
        &f,
        LambdaFunctionProps {
            event: Some(RuleTargetInput::from_object(Value::object([(
                "id",
                EventField::event_id(),
            )]))),
            ..Default::default()
        },
    ));
    r.add_target(SqsQueue::with_props(
        &queue,
        SqsQueueProps {
            message: Some(RuleTargetInput::from_text("hello")),
            ..Default::default()
        },
    ));
    r.add_target(CodeBuildProject::with_props(
        project.project(),
        CodeBuildProjectProps {
            event: Some(RuleTargetInput::from_object(Value::object([(
                "environmentVariablesOverride",
                Value::List(vec![ordered_object([
                    ("name", "REGION".into()),
                    ("value", EventField::region().into()),
                    ("type", "PLAINTEXT".into()),
                ])]),
            )]))),
            ..Default::default()
        },
    ));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": Match::array_with(vec![Match::object_like(pattern!({
            "Id": "Target1",
            "Input": "\"hello\"",
        }))])}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "targets");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}

#[test]
fn project_event_rules_match_aws_cdk_lib() {
    let app = App::new();
    let stack = Stack::new(&app, "Builds", StackProps::default());
    let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
    let project = project.project();
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let any = project.on_event(
        "Any",
        OnEventOptions {
            target: Some(std::rc::Rc::new(SnsTopic::new(&topic))),
            description: Some("every event".into()),
            event_pattern: Some(EventPattern {
                account: vec!["111111111111".into()],
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    assert_eq!(any.node().path(), "Builds/Build/Any");
    project.on_build_started(
        "Started",
        OnEventOptions {
            rule_name: Some("build-started".into()),
            ..Default::default()
        },
    );
    project.on_build_failed(
        "Failed",
        OnEventOptions::with_target(message(
            &topic,
            RuleTargetInput::from_text(Str::format(
                "Build {} of {}: {} in {}",
                [
                    StateChangeEvent::build_id(),
                    StateChangeEvent::project_name(),
                    StateChangeEvent::build_status(),
                    StateChangeEvent::current_phase(),
                ],
            )),
        )),
    );
    project.on_build_succeeded("Succeeded", OnEventOptions::default());
    // Through the trait, as for any IProject.
    ProjectEvents::on_phase_change(
        project,
        "Phase",
        OnEventOptions::with_target(message(
            &topic,
            RuleTargetInput::from_object(ordered_object([
                ("phase", PhaseChangeEvent::completed_phase().into()),
                ("status", PhaseChangeEvent::completed_phase_status().into()),
                (
                    "seconds",
                    PhaseChangeEvent::completed_phase_duration_seconds().into(),
                ),
                ("complete", PhaseChangeEvent::build_complete().into()),
                ("id", PhaseChangeEvent::build_id().into()),
                ("project", PhaseChangeEvent::project_name().into()),
            ])),
        )),
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Name": "build-started", "EventPattern": {
            "source": ["aws.codebuild"],
            "detail-type": ["CodeBuild Build State Change"],
            "detail": {"build-status": ["IN_PROGRESS"], "project-name": [{"Ref": Match::any_value()}]},
        }}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "builds");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}

#[test]
fn repository_event_rules_match_aws_cdk_lib() {
    let app = App::new();
    let stack = Stack::new(&app, "Repos", StackProps::default());
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "app".into(),
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    repo.on_reference_created(
        "Created",
        OnEventOptions::with_target(message(
            &topic,
            RuleTargetInput::from_object(ordered_object([
                ("event", ReferenceEvent::event_type().into()),
                ("repo", ReferenceEvent::repository_name().into()),
                ("id", ReferenceEvent::repository_id().into()),
                ("type", ReferenceEvent::reference_type().into()),
                ("name", ReferenceEvent::reference_name().into()),
                ("full", ReferenceEvent::reference_full_name().into()),
                ("commit", ReferenceEvent::commit_id().into()),
            ])),
        )),
    );
    repo.on_reference_deleted("Deleted", OnEventOptions::default());
    repo.on_pull_request_state_change(
        "PullRequest",
        OnEventOptions {
            description: Some("pull requests".into()),
            ..Default::default()
        },
    );
    repo.on_comment_on_pull_request("PullRequestComment", OnEventOptions::default());
    repo.on_comment_on_commit(
        "CommitComment",
        OnEventOptions {
            event_pattern: Some(EventPattern {
                detail: Some(
                    serde_json::json!({"callerUserArn": ["arn:aws:iam::111111111111:user/me"]})
                        .into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    IRepository::on_event(&repo, "Any", OnCommitOptions::default());
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"EventPattern": {
            "source": ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            "detail": {"event": ["referenceDeleted"]},
            "resources": [{"Fn::GetAtt": Match::any_value()}],
        }}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "repos");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}

#[test]
fn pipeline_stage_and_action_state_change_rules() {
    use cdk_constructs::codepipeline::{
        ActionEvents, Artifact, Pipeline, PipelineEvents, PipelineProps, StageProps,
    };
    use cdk_constructs::codepipeline_actions::{
        CodeBuildAction, CodeBuildActionProps, CodeCommitSourceAction, CodeCommitSourceActionProps,
    };

    let app = App::new();
    let stack = Stack::new(&app, "Ci", StackProps::default());
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "app".into(),
            ..Default::default()
        },
    );
    let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps::default());
    let output = Artifact::new("Source");
    let source =
        CodeCommitSourceAction::new(CodeCommitSourceActionProps::new("Checkout", &repo, &output));
    let stage = pipeline.add_stage(StageProps::new("Source", vec![Box::new(source.clone())]));
    let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
            "Build",
            project.project().clone(),
            &output,
        )))],
    ));
    let any = PipelineEvents::on_event(&pipeline, "Any", OnEventOptions::default());
    assert_eq!(any.node().path(), "Ci/Pipeline/Any");
    let on_stage = stage.on_state_change("OnStage", None, RuleProps::default());
    assert_eq!(on_stage.node().path(), "Ci/Pipeline/Source/OnStage");
    let on_action = source.on_state_change(&stage, "OnAction", None, RuleProps::default());
    assert_eq!(
        on_action.node().path(),
        "Ci/Pipeline/Source/Checkout/OnAction"
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"EventPattern": {
            "detail-type": ["CodePipeline Action Execution State Change"],
            "source": ["aws.codepipeline"],
            "detail": {"stage": ["Source"], "action": ["Checkout"]},
            "resources": [Match::any_value()],
        }}),
    );
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"EventPattern": {
            "detail-type": ["CodePipeline Stage Execution State Change"],
            "source": ["aws.codepipeline"],
            "detail": {"stage": ["Source"]},
            "resources": [Match::any_value()],
        }}),
    );

    // An action that is not in the stage: an error naming both.
    let app = App::new();
    let stack = Stack::new(&app, "Ci", StackProps::default());
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "app".into(),
            ..Default::default()
        },
    );
    let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps::default());
    let stage = pipeline.add_stage(StageProps::new("Source", Vec::new()));
    let other = CodeCommitSourceAction::new(CodeCommitSourceActionProps::new(
        "NotAdded",
        &repo,
        &Artifact::new("Source"),
    ));
    other.on_state_change(&stage, "Orphan", None, RuleProps::default());
    Annotations::from_stack(&stack).has_error(
        "/Ci/Pipeline/Source",
        Match::string_like_regexp("action 'NotAdded': it is not an action of stage 'Source'"),
    );
}

#[test]
fn api_gateway_target_matches_aws_cdk_lib() {
    use cdk_constructs::apigateway::{
        IntegrationOptions, MethodOptions, MockIntegration, RestApi, RestApiProps,
    };
    use cdk_constructs::events::targets::{ApiGateway, ApiGatewayProps, TargetBaseProps};
    use cdk_constructs::events::Schedule;
    use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
    use std::collections::BTreeMap;
    use std::rc::Rc;
    use std::time::Duration;

    const API_REFERENCE: &str = "events-apigateway-target.templates.json";
    let app = App::new();
    let stack = Stack::new(&app, "ApiTarget", StackProps::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(false),
            ..Default::default()
        },
    );
    api.root()
        .add_resource("orders")
        .add_resource("{id}")
        .add_method(
            "POST",
            MockIntegration::new(IntegrationOptions::default()),
            MethodOptions::default(),
        );
    let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("events.amazonaws.com")),
    );
    let r = Rule::new(
        &stack,
        "Rule",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(300))),
            ..Default::default()
        },
    );
    r.add_target(ApiGateway::new(&api));
    r.add_target(ApiGateway::with_props(
        &api,
        ApiGatewayProps {
            path: Some("/orders/*".into()),
            method: Some("POST".into()),
            stage: Some("beta".into()),
            path_parameter_values: vec!["$.detail.id".into()],
            header_parameters: BTreeMap::from([("X-Source".into(), "$.source".into())]),
            query_string_parameters: BTreeMap::from([("mode".into(), "async".into())]),
            post_body: Some(RuleTargetInput::from_object(Value::object([(
                "order",
                EventField::from_path("$.detail"),
            )]))),
            event_role: Some(Rc::new(role)),
            base: TargetBaseProps {
                dead_letter_queue: Some(Rc::new(dlq)),
                retry_attempts: Some(3),
                ..Default::default()
            },
        },
    ));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": Match::array_with(vec![Match::object_like(pattern!({
            "Id": "Target0",
            "HttpParameters": {},
        }))])}),
    );
    let expected = common::aws_cdk_lib_reference(API_REFERENCE, "apiTarget");
    common::assert_equals_aws_cdk_lib(&stack, &expected);

    // A path whose wildcards do not match the values: aws-cdk-lib's error, on the rule.
    let app = App::new();
    let stack = Stack::new(&app, "Bad", StackProps::default());
    let api = RestApi::new(
        &stack,
        "Api",
        RestApiProps {
            cloud_watch_role: Some(false),
            ..Default::default()
        },
    );
    api.root().add_method("GET", None, MethodOptions::default());
    let r = Rule::new(
        &stack,
        "Rule",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(300))),
            ..Default::default()
        },
    );
    r.add_target(ApiGateway::with_props(
        &api,
        ApiGatewayProps {
            path: Some("/a/*/b/*".into()),
            path_parameter_values: vec!["x".into()],
            ..Default::default()
        },
    ));
    let message = common::aws_cdk_lib_reference(API_REFERENCE, "wildcardError");
    Annotations::from_stack(&stack).has_error(
        "/Bad/Rule",
        Match::exact(message.as_str().expect("message")),
    );
}

#[test]
fn event_bus_key_dead_letter_queue_and_logs_match_aws_cdk_lib() {
    use cdk_constructs::events::{EventBus, EventBusProps, IncludeDetail, Level, LogConfig};
    use cdk_constructs::kms::{Key, KeyProps};
    use std::rc::Rc;

    let app = App::new();
    let stack = Stack::new(&app, "Bus", StackProps::default());
    let key = Key::new(&stack, "Key", KeyProps::default());
    let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
    EventBus::new(
        &stack,
        "Bus",
        EventBusProps {
            event_bus_name: Some("orders".into()),
            kms_key: Some(Rc::new(key)),
            dead_letter_queue: Some(Rc::new(dlq)),
            log_config: Some(LogConfig {
                include_detail: Some(IncludeDetail::Full),
                level: Some(Level::Trace),
            }),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::EventBus",
        pattern!({"LogConfig": {"IncludeDetail": "FULL", "Level": "TRACE"}}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "bus");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}

#[test]
fn archives_with_a_customer_managed_key_match_aws_cdk_lib() {
    use cdk_constructs::events::{
        Archive, ArchiveProps, BaseArchiveProps, EventBus, EventBusProps, IEventBus,
    };
    use cdk_constructs::kms::{Key, KeyProps};
    use std::rc::Rc;
    use std::time::Duration;

    let app = App::new();
    let stack = Stack::new(&app, "Archives", StackProps::default());
    let key: Rc<dyn cdk_constructs::kms::IKey> =
        Rc::new(Key::new(&stack, "Key", KeyProps::default()));
    let bus = EventBus::new(&stack, "Bus", EventBusProps::default());
    bus.archive(
        "BusArchive",
        BaseArchiveProps {
            event_pattern: EventPattern {
                source: vec!["aws.s3".into()],
                ..Default::default()
            },
            retention: Some(Duration::from_secs(7 * 86_400)),
            ..Default::default()
        },
    );
    Archive::new(
        &stack,
        "Standalone",
        ArchiveProps {
            source_event_bus_arn: bus.event_bus_arn(),
            event_pattern: EventPattern {
                account: vec!["111111111111".into()],
                ..Default::default()
            },
            kms_key: Some(key),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Archive",
        pattern!({"KmsKeyIdentifier": {"Fn::GetAtt": ["Key961B73FD", "Arn"]}, "RetentionDays": 0}),
    );
    let expected = common::aws_cdk_lib_reference(REFERENCE, "archives");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}
