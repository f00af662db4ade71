//! Lambda versions, aliases, CloudWatch alarms and CodeDeploy deployment groups: semantic
//! checks, and equality with aws-cdk-lib 2.276.0's templates of the same trees
//! (`fixtures/aws-cdk-lib-2.276.0/lambda-*.template.json`, written by `lambda-versions.js`
//! there), whose current-version logical IDs carry aws-cdk-lib's function hash.

mod common;

use std::rc::Rc;
use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::cloudwatch::{
    Alarm, AlarmProps, ComparisonOperator, CreateAlarmOptions, MetricOptions, TreatMissingData,
};
use cdk_constructs::codedeploy::{
    AutoRollbackConfig, LambdaDeploymentConfig, LambdaDeploymentConfigProps, LambdaDeploymentGroup,
    LambdaDeploymentGroupProps, TrafficRouting,
};
use cdk_constructs::lambda::{
    Alias, AliasOptions, AliasProps, Code, Function, FunctionProps, IFunction, Runtime, Version,
    VersionProps, VersionWeight,
};
use cdk_core::{App, AppProps, PhysicalName, Stack, StackProps, Str};
use serde_json::{json, Value};

fn app(context: &[(&str, Value)]) -> (App, Stack) {
    let app = App::with_props(AppProps {
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Stack", StackProps::default());
    (app, stack)
}

fn inline(stack: &Stack, id: &str, edit: impl FnOnce(&mut FunctionProps)) -> Function {
    let mut props = FunctionProps::new(
        Runtime::Python314,
        "index.handler",
        Code::from_inline("def handler(event, context):\n    return 1"),
    );
    edit(&mut props);
    Function::new(stack, id, props)
}

fn reference(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/aws-cdk-lib-2.276.0/lambda-{name}.template.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every resource of aws-cdk-lib's template is in rcdk's, equal (same logical IDs).
fn assert_matches_reference(stack: &Stack, name: &str) {
    let expected = reference(name);
    let actual = Template::from_stack(stack).to_json().clone();
    let ids = |t: &Value| {
        t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let (mut a, mut e) = (ids(&actual), ids(&expected));
    a.sort();
    e.sort();
    assert_eq!(a, e, "logical IDs of {name}");
    for (id, resource) in expected["Resources"].as_object().unwrap() {
        assert_eq!(&actual["Resources"][id], resource, "{name}: {id}");
    }
}

#[test]
fn current_version_hash_equals_aws_cdk_lib_for_a_plain_function() {
    let (_app, stack) = app(&[]);
    inline(&stack, "Fn", |_| {}).current_version();
    assert_matches_reference(&stack, "plain");
}

#[test]
fn current_version_hash_covers_environment_timeout_memory_and_description() {
    let (_app, stack) = app(&[]);
    inline(&stack, "Fn", |p| {
        p.environment.insert("B".into(), Str::from("2"));
        p.environment.insert("A".into(), Str::from("1"));
        p.timeout = Some(Duration::from_secs(10));
        p.memory_size = Some(256);
        p.description = Some("hello".into());
    })
    .current_version();
    assert_matches_reference(&stack, "configured");
}

#[test]
fn current_version_hash_follows_the_layer_version_flag() {
    let (_app, stack) = app(&[("@aws-cdk/aws-lambda:recognizeLayerVersion", json!(true))]);
    inline(&stack, "Fn", |_| {}).current_version();
    assert_matches_reference(&stack, "layerFlag");
    // And the flag changes the hash.
    assert_ne!(
        reference("layerFlag")["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        reference("plain")["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>()
    );
}

#[test]
fn invalidate_version_based_on_and_a_function_name_change_the_hash() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    f.invalidate_version_based_on("2026-12-01");
    f.current_version();
    assert_matches_reference(&stack, "mixin");

    let (_app, stack) = app(&[]);
    inline(&stack, "Fn", |p| {
        p.function_name = Some(PhysicalName::Given("my-function".into()))
    })
    .current_version();
    assert_matches_reference(&stack, "named");
}

#[test]
fn current_version_is_created_once_and_follows_later_changes() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    let v1 = f.current_version();
    let v2 = f.current_version();
    assert_eq!(
        cdk_core::IConstruct::node(&v1).path(),
        cdk_core::IConstruct::node(&v2).path()
    );
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Lambda::Version", 1);
    t.has_resource(
        "AWS::Lambda::Version",
        pattern!({"Metadata": {"aws:cdk:do-not-refactor": true}, "Properties": {"FunctionName": {"Ref": "Fn9270CBC0"}}}),
    );
    // A token in the hash mixins is an error naming the function.
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    f.invalidate_version_based_on(stack.account());
    f.current_version();
    Annotations::from_stack(&stack).has_error(
        "/Stack/Fn",
        Match::string_like_regexp("may not contain unresolved tokens"),
    );
}

#[test]
fn deployment_group_with_custom_config_pre_hook_and_alarms_equals_aws_cdk_lib() {
    let (_app, stack) = app(&[(
        "@aws-cdk/aws-codedeploy:removeAlarmsFromDeploymentGroup",
        json!(true),
    )]);
    let f = inline(&stack, "Fn", |_| {});
    let alias = f.add_alias("live", AliasOptions::default());
    let pre = inline(&stack, "PreHook", |_| {});
    let config = LambdaDeploymentConfig::new(
        &stack,
        "Config",
        LambdaDeploymentConfigProps {
            traffic_routing: Some(TrafficRouting::TimeBasedLinear {
                interval: Duration::from_secs(120),
                percentage: 20,
            }),
            ..Default::default()
        },
    );
    LambdaDeploymentGroup::new(
        &stack,
        "Group",
        LambdaDeploymentGroupProps {
            deployment_config: Some(config),
            pre_hook: Some(Rc::new(pre)),
            ..LambdaDeploymentGroupProps::new(&alias)
        },
    );
    Alarm::new(
        &stack,
        "Errors",
        AlarmProps {
            metric: f.metric_errors(MetricOptions::default()),
            options: CreateAlarmOptions {
                datapoints_to_alarm: Some(1),
                treat_missing_data: Some(TreatMissingData::NotBreaching),
                ..CreateAlarmOptions::new(5.0, 2)
            },
        },
    );
    Alarm::new(
        &stack,
        "P99",
        AlarmProps {
            metric: alias.metric_duration(MetricOptions {
                statistic: Some("p99".into()),
                ..Default::default()
            }),
            options: CreateAlarmOptions {
                comparison_operator: Some(ComparisonOperator::GreaterThanThreshold),
                ..CreateAlarmOptions::new(1000.5, 3)
            },
        },
    );
    assert_matches_reference(&stack, "group");
}

#[test]
fn deployment_group_defaults_to_canary_and_omits_alarms_without_the_flag() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    let alias = f.add_alias("live", AliasOptions::default());
    let group =
        LambdaDeploymentGroup::new(&stack, "Group", LambdaDeploymentGroupProps::new(&alias));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodeDeploy::DeploymentGroup",
        pattern!({
            "DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
            "AlarmConfiguration": Match::absent(),
            "AutoRollbackConfiguration": {"Enabled": true, "Events": ["DEPLOYMENT_FAILURE"]},
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"]]}]}),
    );
    // An alarm added later shows up, with rollback on alarm.
    let alarm = Alarm::new(
        &stack,
        "Errors",
        AlarmProps::new(alias.metric_errors(Default::default()), 1.0, 1),
    );
    group.add_alarm(Rc::new(alarm));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodeDeploy::DeploymentGroup",
        pattern!({
            "AlarmConfiguration": {"Alarms": [{"Name": {"Ref": "ErrorsFA5270DE"}}], "Enabled": true},
            "AutoRollbackConfiguration": {"Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
        }),
    );
}

#[test]
fn deployment_group_errors_are_reported_on_its_path() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    let alias = f.add_alias("live", AliasOptions::default());
    let group = LambdaDeploymentGroup::new(
        &stack,
        "Group",
        LambdaDeploymentGroupProps {
            deployment_group_name: Some(PhysicalName::Given("bad name!".into())),
            auto_rollback: AutoRollbackConfig {
                deployment_in_alarm: Some(true),
                ..Default::default()
            },
            ..LambdaDeploymentGroupProps::new(&alias)
        },
    );
    let hook: Rc<dyn IFunction> = Rc::new(inline(&stack, "Hook", |_| {}));
    group.add_post_hook(hook.clone());
    group.add_post_hook(hook);
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/Stack/Group",
        Match::string_like_regexp("can only contain letters"),
    );
    a.has_error(
        "/Stack/Group",
        Match::string_like_regexp("'deploymentInAlarm' does not have any effect"),
    );
    a.has_error(
        "/Stack/Group",
        Match::string_like_regexp("post-hook function is already defined"),
    );
}

#[test]
fn alias_with_weighted_versions_and_grants_on_the_alias_only() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    let old = Version::new(&stack, "Old", VersionProps::new(&f));
    let alias = Alias::new(
        &stack,
        "Live",
        AliasProps {
            options: AliasOptions {
                additional_versions: vec![VersionWeight {
                    version: old.clone(),
                    weight: 0.1,
                }],
                description: Some("live traffic".into()),
                ..Default::default()
            },
            ..AliasProps::new("live", &f.current_version())
        },
    );
    let caller = cdk_constructs::iam::Role::new(
        &stack,
        "Caller",
        cdk_constructs::iam::RoleProps::assumed_by(cdk_constructs::iam::ServicePrincipal::new(
            "ec2.amazonaws.com",
        )),
    );
    cdk_constructs::lambda::grant_invoke(&alias, &caller);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::Lambda::Alias",
        pattern!({
            "Name": "live",
            "Description": "live traffic",
            "RoutingConfig": {"AdditionalVersionWeights": [{"FunctionVersion": {"Fn::GetAtt": [Match::string_like_regexp("^Old"), "Version"]}, "FunctionWeight": 0.1}]},
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": {"Ref": Match::string_like_regexp("^Live")}}]}}),
    );
    // Weights outside 0..1 are errors.
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    let v = Version::new(&stack, "V", VersionProps::new(&f));
    Alias::new(
        &stack,
        "Live",
        AliasProps {
            options: AliasOptions {
                additional_versions: vec![VersionWeight {
                    version: v,
                    weight: 1.5,
                }],
                ..Default::default()
            },
            ..AliasProps::new("live", &f.current_version())
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/Stack/Live",
        Match::string_like_regexp("weight must be between 0 and 1"),
    );
}

#[test]
fn alarm_validates_period_and_labels_render_metric_queries() {
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    Alarm::new(
        &stack,
        "Bad",
        AlarmProps::new(
            f.metric_invocations(MetricOptions {
                period: Some(Duration::from_secs(7)),
                ..Default::default()
            }),
            1.0,
            1,
        ),
    );
    Annotations::from_stack(&stack).has_error(
        "/Stack/Bad",
        Match::string_like_regexp("'period' must be 1, 5, 10, 30, or a multiple of 60 seconds"),
    );
    let (_app, stack) = app(&[]);
    let f = inline(&stack, "Fn", |_| {});
    Alarm::new(
        &stack,
        "Labelled",
        AlarmProps::new(
            f.metric_throttles(MetricOptions {
                label: Some("Throttled".into()),
                ..Default::default()
            }),
            1.0,
            1,
        ),
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        pattern!({"Metrics": [{"Id": "m1", "Label": "Throttled", "ReturnData": true,
            "MetricStat": {"Metric": {"MetricName": "Throttles", "Namespace": "AWS/Lambda"}, "Period": 300, "Stat": "Sum"}}],
            "MetricName": Match::absent()}),
    );
}

#[test]
fn queue_and_table_metric_alarms_equal_aws_cdk_lib() {
    use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableMetrics, TableProps};
    use cdk_constructs::sqs::{Queue, QueueMetrics, QueueProps};
    let (_app, stack) = app(&[]);
    let q = Queue::new(&stack, "Jobs", QueueProps::default());
    let t = Table::new(
        &stack,
        "Items",
        TableProps::new(Attribute::new("pk", AttributeType::String)),
    );
    let alarm = |id: &str, m| {
        Alarm::new(&stack, id, AlarmProps::new(m, 1.0, 1));
    };
    alarm(
        "Age",
        q.metric_approximate_age_of_oldest_message(MetricOptions::default()),
    );
    alarm(
        "Visible",
        q.metric_approximate_number_of_messages_visible(MetricOptions {
            period: Some(Duration::from_secs(60)),
            ..Default::default()
        }),
    );
    alarm(
        "Sent",
        q.metric_number_of_messages_sent(MetricOptions {
            statistic: Some("Average".into()),
            ..Default::default()
        }),
    );
    alarm("Size", q.metric_sent_message_size(MetricOptions::default()));
    alarm(
        "Reads",
        t.metric_consumed_read_capacity_units(MetricOptions::default()),
    );
    alarm(
        "Conditional",
        t.metric_conditional_check_failed_requests(MetricOptions::default()),
    );
    alarm("UserErrors", t.metric_user_errors(MetricOptions::default()));
    alarm(
        "Latency",
        t.metric_successful_request_latency("GetItem", MetricOptions::default()),
    );
    alarm(
        "Throttled",
        t.metric_throttled_requests_for_operation("PutItem", MetricOptions::default()),
    );
    assert_matches_reference(&stack, "queue-table-metrics");
    // A metric of a queue given other dimensions uses those instead of QueueName.
    let m = q.metric(
        "NumberOfMessagesSent",
        MetricOptions {
            dimensions_map: [("Custom".to_string(), Str::from("x"))].into(),
            ..Default::default()
        },
    );
    assert_eq!(m.dimensions().keys().collect::<Vec<_>>(), ["Custom"]);
}

/// `Function::metric_all_*`: account-wide Lambda metrics (no dimensions), alarms equal to
/// aws-cdk-lib 2.276.0's `Function.metricAll*`.
#[test]
fn function_metric_all_helpers_equal_aws_cdk_lib() {
    use cdk_constructs::cloudwatch::{Metric, MetricOptions};
    let app = App::new();
    let stack = Stack::new(&app, "LambdaAll", StackProps::default());
    let alarm = |id: &str, m: Metric| {
        assert!(m.dimensions().is_empty(), "{id}");
        Alarm::new(&stack, id, AlarmProps::new(m, 1.0, 1));
    };
    alarm(
        "Errors",
        Function::metric_all_errors(MetricOptions::default()),
    );
    alarm(
        "Duration",
        Function::metric_all_duration(MetricOptions {
            statistic: Some("p99".into()),
            ..Default::default()
        }),
    );
    alarm(
        "Invocations",
        Function::metric_all_invocations(MetricOptions {
            period: Some(Duration::from_secs(60)),
            ..Default::default()
        }),
    );
    alarm(
        "Throttles",
        Function::metric_all_throttles(MetricOptions::default()),
    );
    alarm(
        "Concurrent",
        Function::metric_all_concurrent_executions(MetricOptions::default()),
    );
    alarm(
        "Unreserved",
        Function::metric_all_unreserved_concurrent_executions(MetricOptions::default()),
    );
    assert_eq!(
        Function::metric_all_duration(MetricOptions::default()).statistic(),
        "Average"
    );
    let expected = common::aws_cdk_lib_reference("access-logs-metrics.templates.json", "lambdaAll");
    common::assert_equals_aws_cdk_lib(&stack, &expected);
}
