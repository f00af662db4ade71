//! Ports of `aws-logs/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::logs::{
    cfn_metric_filter::MetricTransformationUnit, FilterPattern, LogGroup, LogGroupClass,
    LogGroupProps, MetricFilter, MetricFilterOptions, MetricFilterProps,
};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The CloudWatch Logs ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-logs/integ.metricfilter.lit",
        build: integ_metricfilter_lit,
    },
    Port {
        test: "aws-logs/integ.metricfilter-unit",
        build: integ_metricfilter_unit,
    },
    Port {
        test: "aws-logs/integ.loggroupclass",
        build: integ_loggroupclass,
    },
    Port {
        test: "aws-logs/integ.loggroup-deletionprotection",
        build: integ_loggroup_deletionprotection,
    },
];

fn destroyed_log_group(stack: &Stack) -> LogGroup {
    LogGroup::new(
        stack,
        "LogGroup",
        LogGroupProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    )
}

/// `integ.metricfilter.lit.ts` in the version of its snapshot (no filter name, `exists`).
fn integ_metricfilter_lit(app: &App) {
    let stack = Stack::new(app, "aws-cdk-metricfilter-integ", StackProps::default());
    let log_group = destroyed_log_group(&stack);
    MetricFilter::new(
        &stack,
        "MetricFilter",
        MetricFilterProps {
            log_group: Rc::new(log_group),
            options: MetricFilterOptions {
                filter_pattern: FilterPattern::exists("$.latency").into(),
                metric_value: Some("$.latency".into()),
                ..MetricFilterOptions::new("MyApp", "Latency")
            },
        },
    );
}

/// `integ.metricfilter-unit.ts`.
fn integ_metricfilter_unit(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-metricfilter-unit-integ",
        StackProps::default(),
    );
    let log_group = destroyed_log_group(&stack);
    MetricFilter::new(
        &stack,
        "MetricFilter",
        MetricFilterProps {
            log_group: Rc::new(log_group),
            options: MetricFilterOptions {
                filter_pattern: FilterPattern::exists("$.latency").into(),
                metric_value: Some("$.latency".into()),
                dimensions: vec![("ErrorCode".into(), "$.errorCode".into())],
                unit: Some(MetricTransformationUnit::Milliseconds),
                ..MetricFilterOptions::new("MyApp", "Latency")
            },
        },
    );
}

/// `integ.loggroupclass.ts`: a log group per class (the test's `awsApiCall` assertions are not
/// ported; the exports they consume are listed as integ-only in `SOURCE.json`).
fn integ_loggroupclass(app: &App) {
    let stack = Stack::new(app, "log-group-class", StackProps::default());
    LogGroup::new(&stack, "log-group-default", LogGroupProps::default());
    for (id, class) in [
        ("log-group-standard", LogGroupClass::Standard),
        (
            "log-group-infrequent-access",
            LogGroupClass::InfrequentAccess,
        ),
    ] {
        LogGroup::new(
            &stack,
            id,
            LogGroupProps {
                log_group_class: Some(class),
                ..Default::default()
            },
        );
    }
}

/// `integ.loggroup-deletionprotection.ts`.
fn integ_loggroup_deletionprotection(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-loggroup-grantreads-integ",
        StackProps::default(),
    );
    LogGroup::new(
        &stack,
        "LogGroup",
        LogGroupProps {
            deletion_protection_enabled: Some(true),
            ..Default::default()
        },
    );
}
