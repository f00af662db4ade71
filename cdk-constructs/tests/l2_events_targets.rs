//! Event buses and rule targets (Lambda, SQS, SNS, CodeBuild, CodePipeline, event bus) with
//! dead-letter queues, retries and maximum event age, as aws-cdk-lib 2.276 renders them.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
use cdk_constructs::events::targets::*;
use cdk_constructs::events::{
    EventBus as Bus, EventBusProps as BusProps, IEventBus, Rule, RuleProps, Schedule,
};
use cdk_constructs::iam::{AccountPrincipal, PolicyStatement, Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, AppProps, Environment, Stack, StackProps};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn flagged(flag: &str) -> (App, Stack) {
    let app = App::with_props(AppProps {
        context: BTreeMap::from([(flag.to_string(), serde_json::Value::Bool(true))]),
        ..Default::default()
    });
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn id(path: &[&str]) -> String {
    make_unique_id(path)
}

fn getatt(path: &[&str]) -> serde_json::Value {
    serde_json::json!({"Fn::GetAtt": [id(path), "Arn"]})
}

fn every_minute(stack: &Stack, name: &str) -> Rule {
    Rule::new(
        stack,
        name,
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(60))),
            ..Default::default()
        },
    )
}

fn function(stack: &Stack) -> Function {
    Function::new(
        stack,
        "Fn",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_inline("x")),
    )
}

#[test]
fn lambda_target_adds_a_permission_under_the_rule_and_renders_dlq_and_retries() {
    let (_app, stack) = stack();
    let f = function(&stack);
    let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
    let rule = every_minute(&stack, "Rule");
    rule.add_target(
        LambdaFunction::new(&f)
            .with_dead_letter_queue(&dlq)
            .with_retry_attempts(0)
            .with_max_event_age(Duration::from_secs(7200)),
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": [{
            "Arn": getatt(&["Fn", "Resource"]),
            "Id": "Target0",
            "DeadLetterConfig": {"Arn": getatt(&["Dlq", "Resource"])},
            "RetryPolicy": {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 0}
        }]}),
    );
    let permissions = t.find_resources("AWS::Lambda::Permission", Match::any_value());
    let (pid, _) = permissions.iter().next().expect("one permission");
    assert!(pid.starts_with("RuleAllowEventRuleSFn"), "{pid}");
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern!({"Principal": "events.amazonaws.com", "SourceArn": getatt(&["Rule", "Resource"])}),
    );
    t.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": "sqs:SendMessage",
            "Condition": {"ArnEquals": {"aws:SourceArn": getatt(&["Rule", "Resource"])}},
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Resource": getatt(&["Dlq", "Resource"]),
            "Sid": format!("AllowEventRule{}", make_unique_id(&["S", "Rule"]))
        }]}}),
    );
}

#[test]
fn a_retry_policy_appears_only_when_asked_for() {
    let (_app, stack) = stack();
    let f = function(&stack);
    every_minute(&stack, "Rule").add_target(LambdaFunction::new(&f));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": [{"RetryPolicy": Match::absent(), "DeadLetterConfig": Match::absent()}]}),
    );
}

#[test]
fn sqs_target_lets_the_rule_send_and_passes_the_message_group() {
    let (_app, stack) = stack();
    let queue = Queue::new(
        &stack,
        "Q",
        QueueProps {
            fifo: Some(true),
            ..Default::default()
        },
    );
    every_minute(&stack, "Rule").add_target(SqsQueue::with_props(
        &queue,
        SqsQueueProps {
            message_group_id: Some("group".into()),
            ..Default::default()
        },
    ));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": [{"SqsParameters": {"MessageGroupId": "group"}}]}),
    );
    t.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            "Condition": {"ArnEquals": {"aws:SourceArn": getatt(&["Rule", "Resource"])}},
            "Principal": {"Service": "events.amazonaws.com"}
        }]}}),
    );
}

#[test]
fn sqs_target_on_a_kms_queue_restricts_to_the_account_under_the_flag() {
    let (_app, stack) = flagged("@aws-cdk/aws-events:eventsTargetQueueSameAccount");
    let key = Key::new(&stack, "Key", KeyProps::default());
    let queue = Queue::new(
        &stack,
        "Q",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    every_minute(&stack, "Rule").add_target(SqsQueue::new(&queue));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
            "Principal": {"Service": "events.amazonaws.com"}
        }]}}),
    );
    t.has_resource_properties(
        "AWS::KMS::Key",
        pattern!({"KeyPolicy": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
            "Principal": {"Service": "events.amazonaws.com"}
        }))])}}),
    );
}

#[test]
fn sns_target_uses_the_topic_policy_by_default_and_a_role_when_asked() {
    let (_app, stack) = stack();
    let topic = Topic::new(&stack, "T", TopicProps::default());
    every_minute(&stack, "ByPolicy").add_target(SnsTopic::new(&topic));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SNS::TopicPolicy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": "sns:Publish",
            "Principal": {"Service": "events.amazonaws.com"}
        }]}}),
    );
    t.resource_count_is("AWS::IAM::Role", 0);

    let (_app2, stack2) = self::stack();
    let topic2 = Topic::new(&stack2, "T", TopicProps::default());
    every_minute(&stack2, "ByRole").add_target(SnsTopic::with_props(
        &topic2,
        SnsTopicProps {
            authorize_using_role: true,
            ..Default::default()
        },
    ));
    let t2 = Template::from_stack(&stack2);
    t2.resource_count_is("AWS::SNS::TopicPolicy", 0);
    t2.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": [{"RoleArn": getatt(&["ByRole", "EventsRole", "Resource"])}]}),
    );
}

#[test]
fn codebuild_target_shares_the_projects_events_role() {
    let (_app, stack) = stack();
    let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
    every_minute(&stack, "A").add_target(CodeBuildProject::new(project.project()));
    every_minute(&stack, "B")
        .add_target(CodeBuildProject::new(project.project()).with_retry_attempts(3));
    let t = Template::from_stack(&stack);
    let roles = t.find_resources(
        "AWS::IAM::Role",
        pattern!({"Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Principal": {"Service": "events.amazonaws.com"}}]}}}),
    );
    assert_eq!(roles.len(), 1);
    assert!(roles.contains_key(&id(&["Build", "EventsRole", "Resource"])));
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": "codebuild:StartBuild",
            "Resource": getatt(&["Build", "Resource"])
        }]}}),
    );
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({"Targets": [{"RetryPolicy": {"MaximumRetryAttempts": 3}}]}),
    );
}

#[test]
fn dead_letter_queue_in_another_account_is_a_warning() {
    let app = App::new();
    let env = |account: &str| StackProps {
        env: Some(Environment::new(account, "us-east-1")),
        ..Default::default()
    };
    let stack = Stack::new(&app, "S", env("111111111111"));
    let other = Stack::new(&app, "O", env("222222222222"));
    let dlq = Queue::from_queue_arn(&other, "Dlq", "arn:aws:sqs:us-east-1:222222222222:dlq");
    let bus = Bus::from_event_bus_arn(
        &stack,
        "Bus",
        "arn:aws:events:us-east-1:333333333333:event-bus/b",
    );
    every_minute(&stack, "Rule").add_target(EventBus::with_props(
        bus,
        EventBusProps {
            dead_letter_queue: Some(Rc::new(dlq)),
            ..Default::default()
        },
    ));
    Annotations::from_stack(&stack).has_warning(
        "/S/Rule",
        Match::string_like_regexp("queue is in a different account"),
    );
}

#[test]
fn event_bus_defaults_its_name_to_the_unique_id_and_grants_roles_in_their_policy() {
    let (_app, stack) = stack();
    let bus = Bus::new(&stack, "Bus", BusProps::default());
    let role = Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    bus.grant_put_events_to(&role, None);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Events::EventBus",
        pattern!({"Name": make_unique_id(&["S", "Bus"])}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": "events:PutEvents",
            "Resource": getatt(&["Bus", "Resource"])
        }]}}),
    );
    t.resource_count_is("AWS::Events::EventBusPolicy", 0);
}

#[test]
fn cross_account_put_events_needs_the_sid_flag() {
    let (_app, stack) = flagged("@aws-cdk/aws-events:requireEventBusPolicySid");
    let bus = Bus::new(
        &stack,
        "Bus",
        BusProps {
            event_bus_name: Some("central".into()),
            ..Default::default()
        },
    );
    bus.grant_put_events_to(
        &AccountPrincipal::new("222222222222"),
        Some("AllowWorkloads"),
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Events::EventBusPolicy",
        pattern!({
            "StatementId": "cdk-AllowWorkloads",
            "EventBusName": {"Ref": id(&["Bus", "Resource"])},
            "Statement": {
                "Action": "events:PutEvents",
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]}},
                "Resource": getatt(&["Bus", "Resource"]),
                "Sid": "cdk-AllowWorkloads"
            }
        }),
    );

    let (_app2, stack2) = self::stack();
    let bus2 = Bus::new(&stack2, "Bus", BusProps::default());
    let grant = bus2.grant_put_events_to(&AccountPrincipal::new("222222222222"), Some("X"));
    assert!(!grant.success());
    Template::from_stack(&stack2).resource_count_is("AWS::Events::EventBusPolicy", 0);
    Annotations::from_stack(&stack2).has_warning(
        "/S/Bus",
        Match::string_like_regexp("Statement ID is required"),
    );
}

#[test]
fn bus_policy_statements_need_a_sid_and_bad_names_are_refused() {
    let (_app, stack) = stack();
    let bus = Bus::new(&stack, "Bus", BusProps::default());
    assert!(!bus.add_to_resource_policy(
        PolicyStatement::new()
            .action("events:PutEvents")
            .resource("*")
    ));
    Bus::new(
        &stack,
        "Default",
        BusProps {
            event_bus_name: Some("default".into()),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error("/S/Bus", Match::string_like_regexp("must have a sid"));
    a.has_error(
        "/S/Default",
        Match::string_like_regexp("must not be 'default'"),
    );
}

#[test]
fn archive_describes_its_bus_and_keeps_events_for_whole_days() {
    let (_app, stack) = stack();
    let bus = Bus::new(&stack, "Bus", BusProps::default());
    bus.archive(
        "Archive",
        cdk_constructs::events::BaseArchiveProps {
            event_pattern: cdk_constructs::events::EventPattern {
                source: vec!["my.app".into()],
                ..Default::default()
            },
            retention: Some(Duration::from_secs(7 * 86_400)),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Events::Archive",
        pattern!({
            "Description": {"Fn::Join": ["", ["Event Archive for ", {"Ref": id(&["Bus", "Resource"])}, " Event Bus"]]},
            "EventPattern": {"source": ["my.app"]},
            "RetentionDays": 7,
            "SourceArn": getatt(&["Bus", "Resource"])
        }),
    );
}
