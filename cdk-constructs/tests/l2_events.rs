//! EventBridge rules: patterns, schedules, targets (incl. another account) and bad input.

use std::time::Duration;

use cdk_assertions::{pattern, Capture, Match, Template};
use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
use cdk_constructs::codecommit::{OnCommitOptions, Repository, RepositoryProps};
use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::*;
use cdk_constructs::events::*;
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, Environment, Stack, StackProps, Value};
use serde_json::json;

fn stack(app: &App, id: &str, account: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: Some(Environment::new(account, "us-east-1")),
            ..Default::default()
        },
    )
}

/// A pipeline with a polling source and a build: valid, and no rule of its own.
fn valid_pipeline(s: &Stack) -> Pipeline {
    let repo = Repository::new(
        s,
        "PipelineRepo",
        RepositoryProps {
            repository_name: "pipeline-repo".into(),
            ..Default::default()
        },
    );
    let project = PipelineProject::new(s, "Project", PipelineProjectProps::default());
    let src = Artifact::new("Src");
    let pipeline = Pipeline::new(s, "Pipeline", PipelineProps::default());
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                trigger: CodeCommitTrigger::Poll,
                ..CodeCommitSourceActionProps::new("Source", &repo, &src)
            },
        ))],
    ));
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
            "Build", &project, &src,
        )))],
    ));
    pipeline
}

#[test]
fn schedules_render_like_aws_cdk_lib() {
    assert_eq!(
        Schedule::rate(Duration::from_secs(300)).expression_string(),
        "rate(5 minutes)"
    );
    assert_eq!(
        Schedule::rate(Duration::from_secs(60)).expression_string(),
        "rate(1 minute)"
    );
    assert_eq!(
        Schedule::rate(Duration::from_secs(7200)).expression_string(),
        "rate(2 hours)"
    );
    assert_eq!(
        Schedule::rate(Duration::from_secs(86400)).expression_string(),
        "rate(1 day)"
    );
    assert_eq!(
        Schedule::cron(CronOptions {
            minute: Some("0".into()),
            hour: Some("4".into()),
            ..Default::default()
        })
        .expression_string(),
        "cron(0 4 * * ? *)"
    );
    assert_eq!(
        Schedule::cron(CronOptions {
            minute: Some("0".into()),
            week_day: Some("MON".into()),
            ..Default::default()
        })
        .expression_string(),
        "cron(0 * ? * MON *)"
    );
}

#[test]
fn rule_with_merged_pattern_and_pipeline_target() {
    let app = App::new();
    let s = stack(&app, "S", "111111111111");
    let pipeline = valid_pipeline(&s);
    let rule = Rule::new(
        &s,
        "Rule",
        RuleProps {
            rule_name: Some("on-push".into()),
            description: Some("pushes".into()),
            event_pattern: Some(EventPattern {
                source: vec!["aws.codecommit".into()],
                detail: Some(json!({"event": ["referenceCreated"]}).into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    rule.add_event_pattern(&EventPattern {
        source: vec!["aws.codecommit".into()],
        detail_type: vec!["CodeCommit Repository State Change".into()],
        detail: Some(json!({"event": ["referenceUpdated"], "referenceName": ["main"]}).into()),
        ..Default::default()
    });
    rule.add_target(CodePipelineTarget::new(&pipeline));
    // A second rule shares the pipeline's EventsRole.
    let nightly = Rule::new(
        &s,
        "Nightly",
        RuleProps {
            schedule: Some(Schedule::expression("cron(0 3 * * ? *)")),
            enabled: Some(false),
            ..Default::default()
        },
    );
    nightly.add_target(CodePipelineTarget::new(&pipeline));
    let pipeline_arn = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
        ":codepipeline:us-east-1:111111111111:", {"Ref": make_unique_id(&["Pipeline", "Resource"])}]]});
    let events_role =
        json!({"Fn::GetAtt": [make_unique_id(&["Pipeline", "EventsRole", "Resource"]), "Arn"]});
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (make_unique_id(&["Rule", "Resource"])): {"Properties": Match::exact(pattern!({
            "Description": "pushes",
            "EventPattern": {
                "detail": {"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["main"]},
                "detail-type": ["CodeCommit Repository State Change"],
                "source": ["aws.codecommit"]
            },
            "Name": "on-push",
            "State": "ENABLED",
            "Targets": [{"Arn": pipeline_arn.clone(), "Id": "Target0", "RoleArn": events_role.clone()}]
        }))},
        (make_unique_id(&["Nightly", "Resource"])): {"Properties": {
            "State": "DISABLED",
            "ScheduleExpression": "cron(0 3 * * ? *)",
            "Targets": [{"RoleArn": Match::exact(events_role)}],
        }},
        // One role, one statement for both rules.
        (make_unique_id(&["Pipeline", "EventsRole", "DefaultPolicy", "Resource"])): {"Properties": {
            "PolicyDocument": {"Statement": Match::exact(pattern!([
                {"Action": "codepipeline:StartPipelineExecution", "Effect": "Allow", "Resource": pipeline_arn}
            ]))},
        }},
        (make_unique_id(&["Pipeline", "EventsRole", "Resource"])): {"Properties": {
            "AssumeRolePolicyDocument": {"Statement": [{
                "Principal": Match::exact(pattern!({"Service": "events.amazonaws.com"})),
            }]},
        }},
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn rule_resources_and_events_role() {
    let app = App::new();
    let s = stack(&app, "S", "111111111111");
    let target = Rule::new(
        &s,
        "Rule",
        RuleProps {
            schedule: Some(Schedule::rate(Duration::from_secs(3600))),
            ..Default::default()
        },
    );
    struct Topic;
    impl IRuleTarget for Topic {
        fn bind(&self, _rule: &Rule, _id: &str) -> RuleTargetConfig {
            RuleTargetConfig {
                arn: "arn:aws:sns:us-east-1:111111111111:topic".into(),
                input: Some(RuleTargetInput::from_object(Value::raw_json(
                    serde_json::json!({"hello": 1}),
                ))),
                ..Default::default()
            }
        }
    }
    target.add_target(Topic);
    target.add_target(Topic);
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (make_unique_id(&["Rule", "Resource"])): {
            "Type": "AWS::Events::Rule",
            "Properties": Match::exact(pattern!({
                "ScheduleExpression": "rate(1 hour)",
                "State": "ENABLED",
                "Targets": [
                    {"Arn": "arn:aws:sns:us-east-1:111111111111:topic", "Id": "Target0", "Input": "{\"hello\":1}"},
                    {"Arn": "arn:aws:sns:us-east-1:111111111111:topic", "Id": "Target1", "Input": "{\"hello\":1}"}
                ]
            })),
        },
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn bad_rules_are_reported_with_their_path() {
    let app = App::new();
    let s = stack(&app, "S", "111111111111");
    Rule::new(&s, "Empty", RuleProps::default());
    Rule::new(
        &s,
        "BadName",
        RuleProps {
            rule_name: Some("has spaces".into()),
            schedule: Some(Schedule::expression("rate(1 day)")),
            ..Default::default()
        },
    );
    let r = Rule::new(
        &s,
        "BadMerge",
        RuleProps {
            event_pattern: Some(EventPattern {
                detail: Some(json!({"a": ["x"]}).into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    r.add_event_pattern(&EventPattern {
        detail: Some(json!({"a": {"b": ["y"]}}).into()),
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("o")).unwrap_err().to_string();
    assert!(
        err.contains("[S/Empty] Either 'event_pattern' or 'schedule' must be defined"),
        "{err}"
    );
    assert!(
        err.contains("[S/BadName] Event rule name has spaces can contain only"),
        "{err}"
    );
    assert!(err.contains("[S/BadMerge] invalid event pattern"), "{err}");
}

/// A repository in account B, a pipeline in account A, both in this app: the commit rule in
/// B forwards to A's default event bus, a support stack lets B put events there, and a rule
/// in the pipeline's stack starts the pipeline (aws-cdk-lib's cross-account events).
#[test]
fn cross_account_target_goes_through_the_event_bus() {
    let app = App::new();
    let repo_stack = stack(&app, "RepoStack", "222222222222");
    let repo = Repository::new(
        &repo_stack,
        "Repo",
        RepositoryProps {
            repository_name: "shared-repo".into(),
            ..Default::default()
        },
    );
    let ps = stack(&app, "PipelineStack", "111111111111");
    let pipeline = valid_pipeline(&ps);
    let rule = repo.on_commit(
        "OnMain",
        OnCommitOptions {
            branches: vec!["main".into()],
            target: Some(std::rc::Rc::new(CodePipelineTarget::new(&pipeline))),
            ..Default::default()
        },
    );
    assert_eq!(rule.node().path(), "RepoStack/Repo/OnMain");
    // The source rule targets the pipeline account's default bus.
    Template::from_stack(&repo_stack).template_matches(pattern!({"Resources": {
        (make_unique_id(&["Repo", "OnMain", "Resource"])): {"Properties": {
            "Targets": Match::exact(pattern!([{"Arn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":events:us-east-1:111111111111:event-bus/default"]]}, "Id": "Target0"}])),
            "EventPattern": {"resources": Match::exact(pattern!([{"Fn::GetAtt": [make_unique_id(&["Repo", "Resource"]), "Arn"]}]))},
        }},
    }}));
    // The support stack (added at synthesis) lets account B put events on A's bus.
    let policy_stack = "EventBusPolicy-222222222222-us-east-1-111111111111";
    let stack = Stack::from_node(&app.node().try_find_child(policy_stack).unwrap()).unwrap();
    assert_eq!(
        stack.stack_name(),
        "PipelineStack-EventBusPolicy-support-us-east-1-222222222222"
    );
    let sid = Capture::new();
    Template::from_stack(&stack).template_matches(pattern!({"Resources": {
        "GivePermToOtherAccount": {"Properties": {
            "Action": "events:PutEvents",
            "Principal": "222222222222",
            "StatementId": &sid,
        }},
    }}));
    let sid = sid.as_string();
    assert!(
        sid.starts_with("Allow-account-222222222222-") && sid.len() <= 64,
        "{sid}"
    );
    // The mirror rule in the pipeline's stack starts the pipeline with the same pattern.
    let mirror_id = format!(
        "{}-Target0",
        make_unique_id(&["RepoStack", "Repo", "OnMain"])
    );
    Template::from_stack(&ps).template_matches(pattern!({"Resources": {
        (make_unique_id(&[mirror_id.as_str(), "Resource"])): {"Properties": {
            "EventPattern": {
                "detail": {"referenceName": ["main"]},
                "resources": Match::exact(pattern!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":codecommit:us-east-1:222222222222:shared-repo"]]}])),
            },
            "Targets": [{"Id": "Target0", "RoleArn": Match::object_like(pattern!({}))}],
        }},
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    // The rule's stack deploys after the bus policy.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.directory.join("manifest.json")).unwrap())
            .unwrap();
    assert!(manifest["artifacts"]["RepoStack"]["dependencies"]
        .as_array()
        .unwrap()
        .contains(&json!(policy_stack)));
    rcdk_tests::validate_assembly(&a.directory, true);
}

use cdk_core::IConstruct;
