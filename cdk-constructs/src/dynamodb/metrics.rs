//! CloudWatch metrics of a table (aws-cdk-lib's `TableBase.metric*`), for any [`ITable`].

use crate::cloudwatch::{Metric, MetricOptions, MetricProps};

use super::ITable;

/// The metric helpers of every table: namespace `AWS/DynamoDB`, dimension `TableName`
/// (replaced when the options give dimensions), aws-cdk-lib's default statistics.
/// Not here yet: the math-expression helpers over several operations
/// (`metricSystemErrorsForOperations`, `metricThrottledRequestsForOperations`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::dynamodb::{Attribute, AttributeType, Table, TableMetrics, TableProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Data", StackProps::default());
/// let table = Table::new(&stack, "Items", TableProps::new(Attribute::new("pk", AttributeType::String)));
/// let reads = table.metric_consumed_read_capacity_units(Default::default()); // Sum, 5 min
/// let latency = table.metric_successful_request_latency("GetItem", Default::default()); // Average
/// # let _ = (reads, latency);
/// ```
pub trait TableMetrics: ITable {
    /// The metric `metric_name` of the table.
    fn metric(&self, metric_name: &str, options: MetricOptions) -> Metric {
        let mut props = MetricProps {
            namespace: "AWS/DynamoDB".into(),
            metric_name: metric_name.into(),
            ..Default::default()
        };
        props.dimensions_map = if options.dimensions_map.is_empty() {
            [("TableName".to_string(), self.table_name())].into()
        } else {
            options.dimensions_map.clone()
        };
        Metric::new(props).with(MetricOptions {
            dimensions_map: Default::default(),
            ..options
        })
    }

    /// Read capacity used (`ConsumedReadCapacityUnits`, Sum).
    fn metric_consumed_read_capacity_units(&self, options: MetricOptions) -> Metric {
        canned(self, "ConsumedReadCapacityUnits", "Sum", options)
    }

    /// Write capacity used (`ConsumedWriteCapacityUnits`, Sum).
    fn metric_consumed_write_capacity_units(&self, options: MetricOptions) -> Metric {
        canned(self, "ConsumedWriteCapacityUnits", "Sum", options)
    }

    /// Failed conditional writes (`ConditionalCheckFailedRequests`, Sum).
    fn metric_conditional_check_failed_requests(&self, options: MetricOptions) -> Metric {
        canned(self, "ConditionalCheckFailedRequests", "Sum", options)
    }

    /// Client errors of the whole account and region (`UserErrors`, Sum, no dimensions, as
    /// CloudWatch publishes it).
    fn metric_user_errors(&self, options: MetricOptions) -> Metric {
        let statistic = Some(options.statistic.clone().unwrap_or_else(|| "Sum".into()));
        Metric::new(MetricProps {
            namespace: "AWS/DynamoDB".into(),
            metric_name: "UserErrors".into(),
            ..Default::default()
        })
        .with(MetricOptions {
            statistic,
            dimensions_map: Default::default(),
            ..options
        })
    }

    /// Latency of successful `operation` requests (`SuccessfulRequestLatency`, Average;
    /// dimensions `TableName` and `Operation`).
    fn metric_successful_request_latency(&self, operation: &str, options: MetricOptions) -> Metric {
        let statistic = Some(
            options
                .statistic
                .clone()
                .unwrap_or_else(|| "Average".into()),
        );
        Metric::new(MetricProps {
            namespace: "AWS/DynamoDB".into(),
            metric_name: "SuccessfulRequestLatency".into(),
            dimensions_map: [
                ("TableName".to_string(), self.table_name()),
                ("Operation".to_string(), operation.into()),
            ]
            .into(),
            ..Default::default()
        })
        .with(MetricOptions {
            statistic,
            dimensions_map: Default::default(),
            ..options
        })
    }

    /// Throttled `operation` requests (`ThrottledRequests`, Sum; dimensions `TableName` and
    /// `Operation`).
    fn metric_throttled_requests_for_operation(
        &self,
        operation: &str,
        options: MetricOptions,
    ) -> Metric {
        let statistic = Some(options.statistic.clone().unwrap_or_else(|| "Sum".into()));
        Metric::new(MetricProps {
            namespace: "AWS/DynamoDB".into(),
            metric_name: "ThrottledRequests".into(),
            dimensions_map: [
                ("Operation".to_string(), operation.into()),
                ("TableName".to_string(), self.table_name()),
            ]
            .into(),
            ..Default::default()
        })
        .with(MetricOptions {
            statistic,
            ..options
        })
    }
}

impl<T: ITable + ?Sized> TableMetrics for T {}

fn canned<T: TableMetrics + ?Sized>(
    table: &T,
    metric_name: &str,
    statistic: &str,
    options: MetricOptions,
) -> Metric {
    let statistic = Some(
        options
            .statistic
            .clone()
            .unwrap_or_else(|| statistic.into()),
    );
    table.metric(
        metric_name,
        MetricOptions {
            statistic,
            ..options
        },
    )
}
