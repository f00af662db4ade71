//! CloudTrail `Trail`: the options the conformance ports (aws-cloudtrail integ tests,
//! lambda-pipeline) do not reach, each compared with aws-cdk-lib 2.276.0's template of the
//! same tree (tests/fixtures/aws-cdk-lib-2.276.0/cloudtrail.js), and its checks.

mod common;

use std::rc::Rc;

use cdk_assertions::{Annotations, Match, Template};
use cdk_constructs::cloudtrail::*;
use cdk_constructs::events::targets::SnsTopic;
use cdk_constructs::events::EventPattern;
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::logs::{LogGroup, LogGroupProps, RetentionDays};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_core::{App, CfnOutput, CfnOutputProps, PhysicalName, Stack, StackProps, Str};

fn reference(name: &str) -> serde_json::Value {
    common::aws_cdk_lib_reference("cloudtrail.templates.json", name)
}

fn output(stack: &Stack, id: &str, value: Str) {
    CfnOutput::new(
        stack,
        id,
        CfnOutputProps {
            value,
            description: None,
            export_name: None,
            condition: None,
        },
    );
}

/// CloudWatch Logs delivery (a created log group kept one year, `LogsRole` with its policy,
/// the trail depending on both), a KMS key, a key prefix in the bucket policy, a name (in the
/// ARN), the three booleans off, and read-only management events as a selector.
#[test]
fn logs_key_prefix_name_and_management_events_as_aws_cdk_lib() {
    let app = App::new();
    let stack = Stack::new(&app, "Logs", StackProps::default());
    let key = Key::new(&stack, "Key", KeyProps::default());
    let trail = Trail::new(
        &stack,
        "Trail",
        TrailProps {
            send_to_cloud_watch_logs: true,
            encryption_key: Some(Rc::new(key)),
            s3_key_prefix: Some("audit".into()),
            trail_name: Some(PhysicalName::Given("my-trail".into())),
            include_global_service_events: Some(false),
            is_multi_region_trail: Some(false),
            enable_file_validation: Some(false),
            management_events: Some(ReadWriteType::ReadOnly),
            ..Default::default()
        },
    );
    output(&stack, "TrailArn", trail.trail_arn());
    output(&stack, "TopicArn", trail.trail_sns_topic_arn());
    common::assert_equals_aws_cdk_lib(&stack, &reference("logs")["template"]);
}

/// A supplied log group, an organization trail (the organization's write statement with the
/// trail's `aws:SourceArn`), the log-all selectors with excluded sources, and both ways to a
/// "AWS API Call via CloudTrail" rule.
#[test]
fn organization_trail_log_all_selectors_and_rules_as_aws_cdk_lib() {
    let app = App::new();
    let stack = Stack::new(&app, "Org", StackProps::default());
    let group = LogGroup::new(
        &stack,
        "Group",
        LogGroupProps {
            retention: Some(RetentionDays::OneWeek),
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Alerts", TopicProps::default());
    let trail = Trail::new(
        &stack,
        "Trail",
        TrailProps {
            send_to_cloud_watch_logs: true,
            cloud_watch_log_group: Some(Rc::new(group)),
            is_organization_trail: Some(true),
            org_id: Some("o-123456".into()),
            trail_name: Some(PhysicalName::Given("org-trail".into())),
            ..Default::default()
        },
    );
    trail.log_all_s3_data_events(AddEventSelectorOptions {
        exclude_management_event_sources: Some(vec![
            ManagementEventSources::Kms,
            ManagementEventSources::RdsDataApi,
        ]),
        read_write_type: Some(ReadWriteType::All),
        ..Default::default()
    });
    trail.log_all_lambda_data_events(AddEventSelectorOptions::default());
    trail.on_cloud_trail_event(
        "OnCall",
        OnEventOptions {
            target: Some(Rc::new(SnsTopic::new(topic))),
            description: Some("calls".into()),
            ..Default::default()
        },
    );
    Trail::on_event(
        &stack,
        "S3Calls",
        OnEventOptions {
            event_pattern: Some(EventPattern {
                source: vec!["aws.s3".into()],
                ..Default::default()
            }),
            rule_name: Some("s3-calls".into()),
            ..Default::default()
        },
    );
    common::assert_equals_aws_cdk_lib(&stack, &reference("org")["template"]);
    assert!(Annotations::from_stack(&stack)
        .find_warning("*", Match::any_value())
        .is_empty());
}

/// An organization trail without `org_id` or without a name gets aws-cdk-lib's warnings (and
/// no organization statement); the created log group takes `cloud_watch_logs_retention`.
#[test]
fn organization_trail_warnings_and_custom_retention() {
    let app = App::new();
    let stack = Stack::new(&app, "Warn", StackProps::default());
    Trail::new(
        &stack,
        "NoOrg",
        TrailProps {
            is_organization_trail: Some(true),
            send_to_cloud_watch_logs: true,
            cloud_watch_logs_retention: Some(RetentionDays::OneMonth),
            ..Default::default()
        },
    );
    Trail::new(
        &stack,
        "NoName",
        TrailProps {
            is_organization_trail: Some(true),
            org_id: Some("o-1".into()),
            ..Default::default()
        },
    );
    let expected = reference("warn");
    common::assert_equals_aws_cdk_lib(&stack, &expected["template"]);
    let annotations = Annotations::from_stack(&stack);
    annotations.has_warning(
        "/Warn/NoOrg",
        Match::string_like_regexp("because of missing orgId.*missingOrgIdForOrganizationTrail"),
    );
    annotations.has_warning(
        "/Warn/NoName",
        Match::string_like_regexp(
            "because of missing trailName.*missingTrailNameForOrganizationTrail",
        ),
    );
    let messages: Vec<String> = expected["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            m.as_str()
                .unwrap()
                .trim_start_matches("warning: ")
                .to_string()
        })
        .collect();
    for message in messages {
        annotations.has_warning("*", Match::exact(message.as_str()));
    }
}

/// No management events and no data event selector: aws-cdk-lib's validation error, on the
/// trail's path.
#[test]
fn no_management_events_needs_a_selector() {
    let app = App::new();
    let stack = Stack::new(&app, "NoSelector", StackProps::default());
    Trail::new(
        &stack,
        "Trail",
        TrailProps {
            management_events: Some(ReadWriteType::None),
            ..Default::default()
        },
    );
    let errors = common::synth_errors(&app);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let expected = reference("noSelector");
    let expected = expected.as_str().unwrap();
    assert!(errors[0].contains("NoSelector/Trail"), "{errors:?}");
    assert!(
        expected.ends_with(errors[0].rsplit("] ").next().unwrap()),
        "{errors:?} vs {expected}"
    );
}

/// aws-cdk-lib's limits: 250 values per selector, 5 selectors (a sixth is refused once five
/// exist beyond the first); empty lists add nothing.
#[test]
fn selector_limits_and_empty_lists() {
    let app = App::new();
    let stack = Stack::new(&app, "Limits", StackProps::default());
    let trail = Trail::new(&stack, "Trail", TrailProps::default());
    trail.add_s3_event_selector(&[], AddEventSelectorOptions::default());
    trail.add_lambda_event_selector(&[], AddEventSelectorOptions::default());
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CloudTrail::Trail",
        cdk_assertions::pattern!({"EventSelectors": []}),
    );
    let values: Vec<Str> = (0..251).map(|i| Str::from(format!("arn:x:{i}"))).collect();
    trail.add_event_selector(
        DataResourceType::S3Object,
        values,
        AddEventSelectorOptions::default(),
    );
    for _ in 0..7 {
        trail.log_all_s3_data_events(AddEventSelectorOptions::default());
    }
    let annotations = Annotations::from_stack(&stack);
    annotations.has_error(
        "/Limits/Trail",
        Match::exact("A maximum of 250 data elements can be in one event selector"),
    );
    annotations.has_error(
        "/Limits/Trail",
        Match::exact("A maximum of 5 event selectors are supported per trail."),
    );
}
