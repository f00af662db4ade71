//! Ports of `aws-cloudwatch/test/integ.*.ts`.

use cdk_constructs::cloudwatch::{Alarm, AlarmProps, CreateAlarmOptions, Metric, MetricProps};
use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps, Str};

use crate::harness::Port;

/// The CloudWatch ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-cloudwatch/integ.alarm-with-label",
        build: alarm_with_label,
    },
    Port {
        test: "aws-cloudwatch/integ.metric-with-dimensions",
        build: metric_with_dimensions,
    },
];

/// `integ.alarm-with-label.ts`: an `Alarm` and a `createAlarm` on a labelled metric (rendered
/// as a metric data query), namespace as in the stored snapshot.
fn alarm_with_label(app: &App) {
    let stack = Stack::new(app, "AlarmWithLabelIntegrationTest", StackProps::default());
    let metric = Metric::new(MetricProps {
        namespace: "CDK/Test1".into(),
        metric_name: "Metric".into(),
        label: Some("Metric [AVG: ${AVG}]".into()),
        ..Default::default()
    });
    Alarm::new(&stack, "Alarm1", AlarmProps::new(metric.clone(), 100.0, 3));
    metric.create_alarm(&stack, "Alarm2", CreateAlarmOptions::new(100.0, 3));
}

/// `integ.metric-with-dimensions.ts`: eleven dimensions, sorted by name.
fn metric_with_dimensions(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-cloudwatch-metric-dimensions",
        StackProps::default(),
    );
    let queue = CfnResource::new(
        &stack,
        "queue",
        CfnResourceProps {
            resource_type: "AWS::SQS::Queue".into(),
            properties: Default::default(),
        },
    );
    let mut dimensions: std::collections::BTreeMap<String, Str> =
        [("QueueName".to_string(), queue.get_att("QueueName"))].into();
    for i in 1..=10 {
        dimensions.insert(format!("BlankD{i}"), Str::from(format!("value{i}")));
    }
    let metric = Metric::new(MetricProps {
        namespace: "AWS/SQS".into(),
        metric_name: "ApproximateNumberOfMessagesVisible".into(),
        dimensions_map: dimensions,
        ..Default::default()
    });
    metric.create_alarm(
        &stack,
        "Alarm",
        CreateAlarmOptions {
            datapoints_to_alarm: Some(2),
            ..CreateAlarmOptions::new(100.0, 3)
        },
    );
}
