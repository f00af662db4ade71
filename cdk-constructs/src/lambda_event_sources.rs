//! Event sources of Lambda functions (aws-cdk-lib's `aws-lambda-event-sources`): pass one to
//! [`Function::add_event_source`](crate::lambda::Function::add_event_source) and it creates the
//! event source mapping or subscription, and the grants the function needs.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
//! use cdk_constructs::lambda_event_sources::{SnsEventSource, SqsEventSource, SqsEventSourceProps};
//! use cdk_constructs::sns::{Topic, TopicProps};
//! use cdk_constructs::sqs::{Queue, QueueProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Workers", StackProps::default());
//! let worker = Function::new(&stack, "Worker", FunctionProps::new(
//!     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
//! ));
//! let jobs = Queue::new(&stack, "Jobs", QueueProps::default());
//! let source = SqsEventSource::new(jobs, SqsEventSourceProps { batch_size: Some(5), ..Default::default() });
//! worker.add_event_source(&source); // mapping `SqsEventSource:WorkersJobs…` + sqs:ReceiveMessage, ...
//! let _arn = source.event_source_mapping_arn().unwrap();
//!
//! let events = Topic::new(&stack, "Events", TopicProps::default());
//! worker.add_event_source(&SnsEventSource::new(events, Default::default()));
//! ```
//!
//! A DynamoDB table's stream: [`DynamoEventSource`] (the table needs `TableProps::stream`).
//!
//! Not here yet: Kinesis streams, Kafka, S3, API event sources, SQS filter
//! criteria and metrics config, stream failure destinations as constructs (give the ARN through
//! [`EventSourceMappingOptions::on_failure_destination`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{IConstruct, Names, Str};

use crate::dynamodb::Table;
use crate::iam::IPrincipal;
use crate::lambda::{
    EventSourceMapping, EventSourceMappingOptions, IEventSource, IFunction, StartingPosition,
};
use crate::sns::ITopic;
use crate::sns_subscriptions::{LambdaSubscription, SubscriptionOptions};
use crate::sqs::IQueue;

/// Options of an [`SqsEventSource`] (aws-cdk-lib's `SqsEventSourceProps`).
#[derive(Clone, Debug, Default)]
pub struct SqsEventSourceProps {
    /// Messages per batch: 1 to 10, or up to 10000 with a batching window (Lambda's default 10).
    pub batch_size: Option<u32>,
    /// How long Lambda gathers messages before invoking (at most 5 minutes; not for FIFO).
    pub max_batching_window: Option<Duration>,
    /// Let the function report which messages of a batch failed.
    pub report_batch_item_failures: Option<bool>,
    /// Whether the mapping polls (default: enabled).
    pub enabled: Option<bool>,
    /// Concurrent invocations (2 to 1000).
    pub max_concurrency: Option<u32>,
}

/// An SQS queue as an event source: an event source mapping
/// `SqsEventSource:<queue's unique ID>` under the function, and `grant_consume_messages` on
/// the queue for the function.
pub struct SqsEventSource {
    queue: Rc<dyn IQueue>,
    props: SqsEventSourceProps,
    mapping: RefCell<Option<EventSourceMapping>>,
}

impl SqsEventSource {
    /// `queue` as an event source (props checked as aws-cdk-lib does; errors are reported on
    /// the queue).
    pub fn new(queue: impl IQueue + 'static, props: SqsEventSourceProps) -> Self {
        Self::from_rc(Rc::new(queue), props)
    }

    /// [`new`](Self::new) with a shared queue.
    pub fn from_rc(queue: Rc<dyn IQueue>, props: SqsEventSourceProps) -> Self {
        let node = queue.node();
        if let Some(w) = props.max_batching_window {
            if queue.fifo() {
                node.add_error("Batching window is not supported for FIFO queues");
            } else if w.as_secs() > 300 {
                node.add_error(&format!(
                    "Maximum batching window must be 300 seconds or less (given {} seconds)",
                    w.as_secs()
                ));
            }
        }
        if let Some(n) = props.batch_size {
            if props.max_batching_window.is_some() && !(1..=10000).contains(&n) {
                node.add_error(&format!("Maximum batch size must be between 1 and 10000 inclusive (given {n}) when batching window is specified."));
            }
            if props.max_batching_window.is_none() && !(1..=10).contains(&n) {
                node.add_error(&format!("Maximum batch size must be between 1 and 10 inclusive (given {n}) when batching window is not specified."));
            }
        }
        SqsEventSource {
            queue,
            props,
            mapping: RefCell::new(None),
        }
    }

    /// The mapping's ID, once bound to a function (`None` before).
    pub fn event_source_mapping_id(&self) -> Option<Str> {
        self.mapping
            .borrow()
            .as_ref()
            .map(EventSourceMapping::event_source_mapping_id)
    }

    /// The mapping's ARN, once bound to a function (`None` before).
    pub fn event_source_mapping_arn(&self) -> Option<Str> {
        self.mapping
            .borrow()
            .as_ref()
            .map(EventSourceMapping::event_source_mapping_arn)
    }

    /// The queue.
    pub fn queue(&self) -> &Rc<dyn IQueue> {
        &self.queue
    }
}

impl IEventSource for SqsEventSource {
    fn bind(&self, target: &Rc<dyn IFunction>) {
        let p = &self.props;
        let mapping = target.add_event_source_mapping(
            &format!("SqsEventSource:{}", Names::unique_id(self.queue.node())),
            EventSourceMappingOptions {
                batch_size: p.batch_size,
                max_batching_window: p.max_batching_window,
                max_concurrency: p.max_concurrency,
                report_batch_item_failures: p.report_batch_item_failures,
                enabled: p.enabled,
                event_source_arn: Some(self.queue.queue_arn()),
                ..Default::default()
            },
        );
        *self.mapping.borrow_mut() = Some(mapping);
        if target.role().is_some() {
            let grantee: &dyn IPrincipal = target.as_ref();
            self.queue.grant_consume_messages(grantee);
        } else {
            target.node().add_warning(&format!(
                "Function '{}' was imported without an IAM role so it was not granted access to consume messages from '{}' [ack: @aws-cdk/aws-lambda-event-sources:sqsFunctionImportWithoutRole]",
                target.node().path(),
                self.queue.node().path()
            ));
        }
    }
}

/// An SNS topic as an event source: a Lambda subscription of the function to the topic (with
/// the invoke permission for `sns.amazonaws.com`), as aws-cdk-lib's `SnsEventSource`.
pub struct SnsEventSource {
    topic: Rc<dyn ITopic>,
    options: SubscriptionOptions,
}

impl SnsEventSource {
    /// `topic` as an event source; `options` are the subscription's (filter policy, DLQ).
    pub fn new(topic: impl ITopic + 'static, options: SubscriptionOptions) -> Self {
        Self::from_rc(Rc::new(topic), options)
    }

    /// [`new`](Self::new) with a shared topic.
    pub fn from_rc(topic: Rc<dyn ITopic>, options: SubscriptionOptions) -> Self {
        SnsEventSource { topic, options }
    }

    /// The topic.
    pub fn topic(&self) -> &Rc<dyn ITopic> {
        &self.topic
    }
}

impl IEventSource for SnsEventSource {
    fn bind(&self, target: &Rc<dyn IFunction>) {
        self.topic
            .add_subscription(&LambdaSubscription::with_options(
                target.clone(),
                self.options.clone(),
            ));
    }
}

/// Options of a [`DynamoEventSource`] (aws-cdk-lib's `DynamoEventSourceProps`, the stream
/// event source props).
#[derive(Clone)]
pub struct DynamoEventSourceProps {
    /// Where reading starts (`TrimHorizon` or `Latest`).
    pub starting_position: StartingPosition,
    /// Records per batch, 1 to 10000 (default 100, rendered as aws-cdk-lib does).
    pub batch_size: Option<u32>,
    /// Split a failing batch in two and retry each half.
    pub bisect_batch_on_error: Option<bool>,
    /// Let the function report which records of a batch failed.
    pub report_batch_item_failures: Option<bool>,
    /// How long Lambda gathers records before invoking (at most 5 minutes).
    pub max_batching_window: Option<Duration>,
    /// The oldest record sent to the function (60 s to 7 days).
    pub max_record_age: Option<Duration>,
    /// Retries of a failing batch (-1 = until the record expires, else 0 to 10000).
    pub retry_attempts: Option<i32>,
    /// Batches processed at once per shard (1 to 10).
    pub parallelization_factor: Option<u32>,
    /// The tumbling window of an aggregation (at most 15 minutes).
    pub tumbling_window: Option<Duration>,
    /// Whether the mapping polls (default: enabled).
    pub enabled: Option<bool>,
    /// Where records that failed every retry go: an SQS queue (aws-cdk-lib's `SqsDlq`; the
    /// function gets `grant_send_messages` on it).
    pub on_failure: Option<Rc<dyn IQueue>>,
}

impl DynamoEventSourceProps {
    /// Props reading from `starting_position`, defaults elsewhere.
    pub fn new(starting_position: StartingPosition) -> Self {
        DynamoEventSourceProps {
            starting_position,
            batch_size: None,
            bisect_batch_on_error: None,
            report_batch_item_failures: None,
            max_batching_window: None,
            max_record_age: None,
            retry_attempts: None,
            parallelization_factor: None,
            tumbling_window: None,
            enabled: None,
            on_failure: None,
        }
    }
}

/// A DynamoDB table's stream as an event source: an event source mapping
/// `DynamoDBEventSource:<table's unique ID>` on the stream and `grant_stream_read` for the
/// function. The table needs a stream (`TableProps::stream`), else binding is a synth error.
pub struct DynamoEventSource {
    table: Table,
    props: DynamoEventSourceProps,
    mapping: RefCell<Option<EventSourceMapping>>,
}

impl DynamoEventSource {
    /// The stream of `table` as an event source.
    pub fn new(table: &Table, props: DynamoEventSourceProps) -> Self {
        if let Some(n) = props.batch_size {
            if !(1..=10000).contains(&n) {
                table.node().add_error(&format!(
                    "Maximum batch size must be between 1 and 10000 inclusive (given {n})"
                ));
            }
        }
        DynamoEventSource {
            table: table.clone(),
            props,
            mapping: RefCell::new(None),
        }
    }

    /// The mapping's ID, once bound to a function (`None` before).
    pub fn event_source_mapping_id(&self) -> Option<Str> {
        self.mapping
            .borrow()
            .as_ref()
            .map(EventSourceMapping::event_source_mapping_id)
    }

    /// The mapping's ARN, once bound to a function (`None` before).
    pub fn event_source_mapping_arn(&self) -> Option<Str> {
        self.mapping
            .borrow()
            .as_ref()
            .map(EventSourceMapping::event_source_mapping_arn)
    }
}

impl IEventSource for DynamoEventSource {
    fn bind(&self, target: &Rc<dyn IFunction>) {
        let Some(stream_arn) = self.table.table_stream_arn() else {
            self.table.node().add_error(&format!(
                "DynamoDB Streams must be enabled on the table {}",
                self.table.node().path()
            ));
            return;
        };
        let p = &self.props;
        let grantee: &dyn IPrincipal = target.as_ref();
        let on_failure_destination = p.on_failure.as_ref().map(|queue| {
            queue.grant_send_messages(grantee);
            queue.queue_arn()
        });
        let mapping = target.add_event_source_mapping(
            &format!(
                "DynamoDBEventSource:{}",
                Names::unique_id(self.table.node())
            ),
            EventSourceMappingOptions {
                event_source_arn: Some(stream_arn),
                batch_size: Some(p.batch_size.filter(|n| *n != 0).unwrap_or(100)),
                bisect_batch_on_error: p.bisect_batch_on_error,
                starting_position: Some(p.starting_position),
                report_batch_item_failures: p.report_batch_item_failures,
                max_batching_window: p.max_batching_window,
                max_record_age: p.max_record_age,
                retry_attempts: p.retry_attempts,
                parallelization_factor: p.parallelization_factor,
                tumbling_window: p.tumbling_window,
                enabled: p.enabled,
                on_failure_destination,
                ..Default::default()
            },
        );
        *self.mapping.borrow_mut() = Some(mapping);
        self.table.grant_stream_read(grantee);
    }
}
