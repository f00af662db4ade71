//! CloudWatch metrics of a queue (aws-cdk-lib's `QueueBase.metric*`), for any [`IQueue`].

use crate::cloudwatch::{Metric, MetricOptions, MetricProps};

use super::IQueue;

/// The metric helpers of every queue: namespace `AWS/SQS`, dimension `QueueName` (replaced when
/// the options give dimensions), each canned metric with aws-cdk-lib's default statistic
/// unless the options say else.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::cloudwatch::{Alarm, AlarmProps};
/// use cdk_constructs::sqs::{Queue, QueueMetrics, QueueProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Messaging", StackProps::default());
/// let jobs = Queue::new(&stack, "Jobs", QueueProps::default());
/// let age = jobs.metric_approximate_age_of_oldest_message(Default::default()); // Maximum, 5 min
/// Alarm::new(&stack, "JobsWaiting", AlarmProps::new(age, 600.0, 2));
/// ```
pub trait QueueMetrics: IQueue {
    /// The metric `metric_name` of the queue.
    fn metric(&self, metric_name: &str, options: MetricOptions) -> Metric {
        let mut props = MetricProps {
            namespace: "AWS/SQS".into(),
            metric_name: metric_name.into(),
            ..Default::default()
        };
        props.dimensions_map = if options.dimensions_map.is_empty() {
            [("QueueName".to_string(), self.queue_name())].into()
        } else {
            options.dimensions_map.clone()
        };
        Metric::new(props).with(MetricOptions {
            dimensions_map: Default::default(),
            ..options
        })
    }

    /// Age of the oldest message (`ApproximateAgeOfOldestMessage`, Maximum).
    fn metric_approximate_age_of_oldest_message(&self, options: MetricOptions) -> Metric {
        canned(self, "ApproximateAgeOfOldestMessage", "Maximum", options)
    }

    /// Delayed messages (`ApproximateNumberOfMessagesDelayed`, Maximum).
    fn metric_approximate_number_of_messages_delayed(&self, options: MetricOptions) -> Metric {
        canned(
            self,
            "ApproximateNumberOfMessagesDelayed",
            "Maximum",
            options,
        )
    }

    /// Messages in flight (`ApproximateNumberOfMessagesNotVisible`, Maximum).
    fn metric_approximate_number_of_messages_not_visible(&self, options: MetricOptions) -> Metric {
        canned(
            self,
            "ApproximateNumberOfMessagesNotVisible",
            "Maximum",
            options,
        )
    }

    /// Messages waiting (`ApproximateNumberOfMessagesVisible`, Maximum).
    fn metric_approximate_number_of_messages_visible(&self, options: MetricOptions) -> Metric {
        canned(
            self,
            "ApproximateNumberOfMessagesVisible",
            "Maximum",
            options,
        )
    }

    /// Receives that returned nothing (`NumberOfEmptyReceives`, Sum).
    fn metric_number_of_empty_receives(&self, options: MetricOptions) -> Metric {
        canned(self, "NumberOfEmptyReceives", "Sum", options)
    }

    /// Deleted messages (`NumberOfMessagesDeleted`, Sum).
    fn metric_number_of_messages_deleted(&self, options: MetricOptions) -> Metric {
        canned(self, "NumberOfMessagesDeleted", "Sum", options)
    }

    /// Received messages (`NumberOfMessagesReceived`, Sum).
    fn metric_number_of_messages_received(&self, options: MetricOptions) -> Metric {
        canned(self, "NumberOfMessagesReceived", "Sum", options)
    }

    /// Sent messages (`NumberOfMessagesSent`, Sum).
    fn metric_number_of_messages_sent(&self, options: MetricOptions) -> Metric {
        canned(self, "NumberOfMessagesSent", "Sum", options)
    }

    /// Size of sent messages (`SentMessageSize`, Average).
    fn metric_sent_message_size(&self, options: MetricOptions) -> Metric {
        canned(self, "SentMessageSize", "Average", options)
    }
}

impl<T: IQueue + ?Sized> QueueMetrics for T {}

fn canned<Q: QueueMetrics + ?Sized>(
    queue: &Q,
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
    queue.metric(
        metric_name,
        MetricOptions {
            statistic,
            ..options
        },
    )
}
