//! CloudWatch Logs: log group defaults, retention, encryption, grants (principal policy and
//! resource policy), metric filters and streams.

mod common;

use std::rc::Rc;
use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::logs::*;
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

#[test]
fn default_log_group_keeps_two_years_and_is_retained() {
    let (_app, stack) = stack();
    LogGroup::new(&stack, "LogGroup", LogGroupProps::default());
    let t = Template::from_stack(&stack);
    t.template_matches(pattern!({"Resources": {"LogGroupF5B46931": {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"RetentionInDays": 731},
        "UpdateReplacePolicy": "Retain",
        "DeletionPolicy": "Retain",
    }}}));
}

#[test]
fn retention_class_key_and_removal_policy_are_rendered() {
    let (_app, stack) = stack();
    let key = Key::new(&stack, "Key", KeyProps::default());
    LogGroup::new(
        &stack,
        "Infinite",
        LogGroupProps {
            retention: Some(RetentionDays::Infinite),
            log_group_name: Some("/my/group".into()),
            encryption_key: Some(Rc::new(key)),
            removal_policy: Some(RemovalPolicy::Destroy),
            log_group_class: Some(LogGroupClass::InfrequentAccess),
            deletion_protection_enabled: Some(true),
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource(
        "AWS::Logs::LogGroup",
        pattern!({
            "Properties": {
                "RetentionInDays": Match::absent(),
                "LogGroupName": "/my/group",
                "KmsKeyId": {"Fn::GetAtt": [Match::string_like_regexp("^Key"), "Arn"]},
                "LogGroupClass": "INFREQUENT_ACCESS",
                "DeletionProtectionEnabled": true,
            },
            "DeletionPolicy": "Delete",
        }),
    );
}

#[test]
fn delivery_class_has_no_retention_and_refuses_one() {
    let (_app, stack) = stack();
    LogGroup::new(
        &stack,
        "D",
        LogGroupProps {
            log_group_class: Some(LogGroupClass::Delivery),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Logs::LogGroup",
        pattern!({"RetentionInDays": Match::absent(), "LogGroupClass": "DELIVERY"}),
    );
    let (_app2, stack) = self::stack();
    LogGroup::new(
        &stack,
        "D",
        LogGroupProps {
            log_group_class: Some(LogGroupClass::Delivery),
            retention: Some(RetentionDays::OneDay),
            ..Default::default()
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/S/D",
        Match::string_like_regexp("retention is not supported"),
    );
}

#[test]
fn grant_write_goes_to_the_role_policy() {
    let (_app, stack) = stack();
    let group = LogGroup::new(&stack, "LogGroup", LogGroupProps::default());
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    group.grant_write(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": ["LogGroupF5B46931", "Arn"]},
        }]}}),
    );
    t.resource_count_is("AWS::Logs::ResourcePolicy", 0);
}

#[test]
fn grant_read_to_a_service_principal_writes_the_resource_policy_as_json_text() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "aws-cdk-loggroup-grantreads-integ",
        StackProps::default(),
    );
    let group = LogGroup::new(&stack, "LogGroup", LogGroupProps::default());
    group.grant_read(&ServicePrincipal::new("es.amazonaws.com"));
    let t = Template::from_stack(&stack);
    // aws-cdk-lib 2.276: both ARN forms (without and with the `:*` suffix).
    t.has_resource_properties(
        "AWS::Logs::ResourcePolicy",
        pattern!({
            "PolicyName": "awscdkloggroupgrantreadsintegLogGroupPolicy974F6709",
            "PolicyDocument": {"Fn::Join": ["", [
                "{\"Statement\":[{\"Action\":[\"logs:FilterLogEvents\",\"logs:GetLogEvents\",\"logs:GetLogGroupFields\",\"logs:DescribeLogGroups\",\"logs:DescribeLogStreams\"],\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"es.amazonaws.com\"},\"Resource\":[\"arn:",
                {"Ref": "AWS::Partition"},
                ":logs:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":log-group:",
                {"Ref": "LogGroupF5B46931"},
                "\",\"",
                {"Fn::GetAtt": ["LogGroupF5B46931", "Arn"]},
                "\"]}],\"Version\":\"2012-10-17\"}",
            ]]},
        }),
    );
    assert!(t
        .find_resources("AWS::Logs::ResourcePolicy", Match::any_value())
        .contains_key("LogGroupPolicyResourcePolicy6FA18555"));
}

#[test]
fn metric_filter_renders_pattern_value_and_dimensions() {
    let (_app, stack) = stack();
    let group = LogGroup::new(&stack, "LogGroup", LogGroupProps::default());
    group.add_metric_filter(
        "Latency",
        MetricFilterOptions {
            filter_pattern: FilterPattern::all([
                FilterPattern::exists("$.latency"),
                FilterPattern::regex_value(
                    "$.message",
                    StringComparison::Eq,
                    "bind: address already in use",
                ),
            ])
            .unwrap()
            .into(),
            metric_value: Some("$.latency".into()),
            filter_name: Some("MyFilterName".into()),
            default_value: Some(0.0),
            dimensions: vec![("ErrorCode".into(), "$.errorCode".into())],
            ..MetricFilterOptions::new("MyApp", "Latency")
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Logs::MetricFilter",
        pattern!({
            "FilterName": "MyFilterName",
            "FilterPattern": "{ ($.latency = \"*\") && ($.message = %bind: address already in use%) }",
            "LogGroupName": {"Ref": "LogGroupF5B46931"},
            "MetricTransformations": [{
                "MetricName": "Latency",
                "MetricNamespace": "MyApp",
                "MetricValue": "$.latency",
                "DefaultValue": 0,
                "Dimensions": [{"Key": "ErrorCode", "Value": "$.errorCode"}],
            }],
        }),
    );
    // The filter is a child of the group, as aws-cdk-lib's addMetricFilter makes it.
    assert!(t
        .find_resources("AWS::Logs::MetricFilter", Match::any_value())
        .keys()
        .all(|k| k.starts_with("LogGroupLatency")));
}

#[test]
fn metric_filter_defaults_to_value_one_and_rejects_four_dimensions() {
    let (_app, stack) = stack();
    let group = LogGroup::new(&stack, "G", LogGroupProps::default());
    MetricFilter::new(
        &stack,
        "MF",
        MetricFilterProps {
            log_group: Rc::new(group.clone()),
            options: MetricFilterOptions::new("NS", "Count"),
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::Logs::MetricFilter",
        pattern!({"FilterPattern": "", "MetricTransformations": [{"MetricName": "Count", "MetricNamespace": "NS", "MetricValue": "1"}]}),
    );
    group.add_metric_filter(
        "Many",
        MetricFilterOptions {
            dimensions: (0..4)
                .map(|i| (format!("D{i}"), "$.x".to_string()))
                .collect(),
            ..MetricFilterOptions::new("NS", "M")
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/S/G/Many",
        Match::string_like_regexp("maximum of 3 dimensions"),
    );
}

#[test]
fn imports_by_name_and_arn() {
    let (_app, stack) = stack();
    let by_name = LogGroup::from_log_group_name(&stack, "ByName", "/aws/foo");
    let by_arn = LogGroup::from_log_group_arn(
        &stack,
        "ByArn",
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/bar:*",
    );
    assert_eq!(by_arn.log_group_name().literal(), Some("/aws/bar"));
    assert_eq!(
        by_arn.log_group_arn().literal(),
        Some("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/bar:*")
    );
    assert_eq!(by_arn.env().region.literal(), Some("eu-west-1"));
    assert_eq!(by_name.log_group_name().literal(), Some("/aws/foo"));
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    by_arn.grant_read(&role);
    by_name.add_stream(
        "Stream",
        StreamOptions {
            log_stream_name: Some("s1".into()),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Resource": [
                "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/bar",
                "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/bar:*",
            ],
        }]}}),
    );
    t.has_resource(
        "AWS::Logs::LogStream",
        pattern!({"Properties": {"LogGroupName": "/aws/foo", "LogStreamName": "s1"}, "DeletionPolicy": "Retain"}),
    );
}

/// `extract_metric` (metric filter `<namespace>_<name>`), the group's `metric_*` helpers
/// (`AWS/Logs`, Sum, no dimension) and `MetricFilter::metric` (Average): alarms on them equal
/// aws-cdk-lib 2.276.0's.
#[test]
fn log_group_and_metric_filter_metrics_equal_aws_cdk_lib() {
    use cdk_constructs::cloudwatch::{Alarm, AlarmProps, Metric, MetricOptions, Stats};
    let app = App::new();
    let stack = Stack::new(&app, "Metrics", StackProps::default());
    let group = LogGroup::new(&stack, "Group", LogGroupProps::default());
    let alarm = |id: &str, m: Metric| Alarm::new(&stack, id, AlarmProps::new(m, 1.0, 1));
    let extracted = group.extract_metric("$.latency", "MyApp", "Latency");
    assert_eq!(
        (extracted.namespace(), extracted.metric_name()),
        ("MyApp", "Latency")
    );
    assert_eq!(extracted.statistic(), "Average");
    alarm("Extracted", extracted);
    let incoming = group.metric_incoming_log_events(MetricOptions::default());
    assert!(incoming.dimensions().is_empty());
    alarm("Incoming", incoming);
    alarm(
        "Bytes",
        group.metric_incoming_bytes(MetricOptions {
            period: Some(Duration::from_secs(60)),
            ..Default::default()
        }),
    );
    alarm(
        "Custom",
        group.metric(
            "ForwardedBytes",
            MetricOptions {
                statistic: Some(Stats::AVERAGE.into()),
                ..Default::default()
            },
        ),
    );
    let filter = group.add_metric_filter(
        "Errors",
        MetricFilterOptions {
            filter_pattern: FilterPattern::all_terms(["ERROR"]),
            ..MetricFilterOptions::new("MyApp", "Errors")
        },
    );
    alarm("FilterDefault", filter.metric(MetricOptions::default()));
    alarm(
        "FilterSum",
        filter.metric(MetricOptions {
            statistic: Some(Stats::SUM.into()),
            ..Default::default()
        }),
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Logs::MetricFilter",
        pattern!({"FilterPattern": "{ $.latency = \"*\" }", "MetricTransformations": [{"MetricValue": "$.latency"}]}),
    );
    let expected = common::aws_cdk_lib_reference("access-logs-metrics.templates.json", "metrics");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}
