//! Ports of `aws-logs/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::logs::{
    cfn_metric_filter::MetricTransformationUnit, FilterPattern, LogGroup, LogGroupProps,
    MetricFilter, MetricFilterOptions, MetricFilterProps,
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
