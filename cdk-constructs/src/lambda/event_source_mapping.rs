//! Event source mappings (`AWS::Lambda::EventSourceMapping`): Lambda polls a queue or stream and
//! invokes the function with batches of records. Event sources that build them are in
//! [`lambda_event_sources`](crate::lambda_event_sources).

use std::rc::Rc;
use std::time::Duration;

use cdk_core::{ArnComponents, ArnFormat, IConstruct, Node, Resource, ResourceProps, Stack, Str};

use super::IFunction;
use super::{cfn_event_source_mapping as cfn, CfnEventSourceMapping, CfnEventSourceMappingProps};

/// Where a stream mapping starts reading (aws-cdk-lib's `StartingPosition`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record in the shard.
    TrimHorizon,
    /// Only records written after the mapping was created.
    Latest,
    /// Records from [`EventSourceMappingOptions::starting_position_timestamp`] on.
    AtTimestamp,
}

impl StartingPosition {
    /// The CloudFormation value (`TRIM_HORIZON`, `LATEST`, `AT_TIMESTAMP`).
    pub fn as_str(self) -> &'static str {
        match self {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
            StartingPosition::AtTimestamp => "AT_TIMESTAMP",
        }
    }
}

/// Options of an event source mapping (aws-cdk-lib's `EventSourceMappingOptions`). Every field
/// left `None` is left out of the template (Lambda's defaults apply).
#[derive(Clone, Debug, Default)]
pub struct EventSourceMappingOptions {
    /// The ARN of the queue, stream or topic Lambda reads.
    pub event_source_arn: Option<Str>,
    /// Records per batch (Lambda's default: 10 for SQS, 100 for streams).
    pub batch_size: Option<u32>,
    /// Split a failing batch in two and retry each half (streams).
    pub bisect_batch_on_error: Option<bool>,
    /// Whether the mapping polls (default: enabled).
    pub enabled: Option<bool>,
    /// Where a stream mapping starts (required for streams).
    pub starting_position: Option<StartingPosition>,
    /// With [`StartingPosition::AtTimestamp`]: Unix time in seconds.
    pub starting_position_timestamp: Option<f64>,
    /// Let the function report which records of a batch failed (`ReportBatchItemFailures`).
    pub report_batch_item_failures: Option<bool>,
    /// How long Lambda gathers records before invoking (at most 5 minutes).
    pub max_batching_window: Option<Duration>,
    /// The oldest record sent to the function (streams; 60 s to 7 days).
    pub max_record_age: Option<Duration>,
    /// Retries of a failing batch (streams; -1 = until the record expires, else 0 to 10000).
    pub retry_attempts: Option<i32>,
    /// Batches processed at once per shard (streams; 1 to 10).
    pub parallelization_factor: Option<u32>,
    /// The tumbling window of a stream aggregation (at most 15 minutes).
    pub tumbling_window: Option<Duration>,
    /// Concurrent invocations of an SQS mapping (2 to 1000).
    pub max_concurrency: Option<u32>,
    /// Where records that failed go (streams: an SQS queue or SNS topic ARN).
    pub on_failure_destination: Option<Str>,
}

/// Properties of an [`EventSourceMapping`]: the function and the options.
#[derive(Clone)]
pub struct EventSourceMappingProps {
    /// The function Lambda invokes.
    pub target: Rc<dyn IFunction>,
    /// Everything else.
    pub options: EventSourceMappingOptions,
}

/// An event source mapping (`AWS::Lambda::EventSourceMapping`, child `Resource`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{
///     Code, EventSourceMappingOptions, Function, FunctionProps, IFunction, Runtime,
/// };
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Workers", StackProps::default());
/// let f = Function::new(&stack, "Worker", FunctionProps::new(
///     Runtime::Python314, "index.handler", Code::from_inline("def handler(e, c): pass"),
/// ));
/// let mapping = f.add_event_source_mapping("Jobs", EventSourceMappingOptions {
///     event_source_arn: Some("arn:aws:sqs:us-east-1:123456789012:jobs".into()),
///     batch_size: Some(5),
///     ..Default::default()
/// });
/// let _arn = mapping.event_source_mapping_arn(); // arn:…:lambda:…:event-source-mapping:{Ref}
/// ```
#[derive(Clone)]
pub struct EventSourceMapping {
    base: Resource,
    resource: CfnEventSourceMapping,
}

impl IConstruct for EventSourceMapping {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl EventSourceMapping {
    /// Defines the mapping `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: EventSourceMappingProps) -> Self {
        Self::define(
            scope.node(),
            id,
            props.target.function_name(),
            &props.options,
        )
    }

    /// [`new`](Self::new) with the target's name (what `add_event_source_mapping` uses).
    pub(crate) fn define(
        scope: &Node,
        id: &str,
        function_name: Str,
        o: &EventSourceMappingOptions,
    ) -> Self {
        let base = Resource::new(
            &scope.clone(),
            id,
            "cdk-constructs.lambda.EventSourceMapping",
            ResourceProps::default(),
        );
        let node = base.node().clone();
        if o.event_source_arn.is_none() {
            node.add_error("Either eventSourceArn or kafkaBootstrapServers must be set");
        }
        if let Some(w) = o.max_batching_window {
            if w.as_secs() > 300 {
                node.add_error(&format!(
                    "maxBatchingWindow cannot be over 300 seconds, got {}",
                    w.as_secs()
                ));
            }
        }
        if let Some(c) = o.max_concurrency {
            if !(2..=1000).contains(&c) {
                node.add_error("maxConcurrency must be between 2 and 1000 concurrent instances");
            }
        }
        if let Some(age) = o.max_record_age {
            if age.as_secs() < 60 || age > Duration::from_secs(7 * 24 * 3600) {
                node.add_error("maxRecordAge must be between 60 seconds and 7 days inclusive");
            }
        }
        if let Some(n) = o.retry_attempts {
            if !(n == -1 || (0..=10000).contains(&n)) {
                node.add_error(&format!(
                    "retryAttempts must be -1 (for infinite) or between 0 and 10000 inclusive, got {n}"
                ));
            }
        }
        if let Some(f) = o.parallelization_factor {
            if !(1..=10).contains(&f) {
                node.add_error(&format!(
                    "parallelizationFactor must be between 1 and 10 inclusive, got {f}"
                ));
            }
        }
        if let Some(w) = o.tumbling_window {
            if w.as_secs() > 900 {
                node.add_error(&format!(
                    "tumblingWindow cannot be over 900 seconds, got {}",
                    w.as_secs()
                ));
            }
        }
        let at_timestamp = o.starting_position == Some(StartingPosition::AtTimestamp);
        if at_timestamp && o.starting_position_timestamp.is_none() {
            node.add_error(
                "startingPositionTimestamp must be provided when startingPosition is AT_TIMESTAMP",
            );
        }
        if !at_timestamp && o.starting_position_timestamp.is_some() {
            node.add_error(
                "startingPositionTimestamp can only be used when startingPosition is AT_TIMESTAMP",
            );
        }
        let resource = CfnEventSourceMapping::new(
            &base,
            "Resource",
            CfnEventSourceMappingProps {
                batch_size: o.batch_size.map(Into::into),
                bisect_batch_on_function_error: o.bisect_batch_on_error.map(Into::into),
                destination_config: o.on_failure_destination.clone().map(|d| {
                    cfn::DestinationConfigProperty {
                        on_failure: Some(cfn::OnFailureProperty {
                            destination: Some(d),
                        }),
                    }
                }),
                enabled: o.enabled.map(Into::into),
                event_source_arn: o.event_source_arn.clone(),
                starting_position: o.starting_position.map(|p| p.as_str().into()),
                starting_position_timestamp: o.starting_position_timestamp.map(Into::into),
                function_response_types: (o.report_batch_item_failures == Some(true))
                    .then(|| vec![cfn::FunctionResponseTypes::ReportBatchItemFailures]),
                maximum_batching_window_in_seconds: o
                    .max_batching_window
                    .map(|w| w.as_secs().into()),
                maximum_record_age_in_seconds: o.max_record_age.map(|w| w.as_secs().into()),
                maximum_retry_attempts: o.retry_attempts.map(Into::into),
                parallelization_factor: o.parallelization_factor.map(Into::into),
                tumbling_window_in_seconds: o.tumbling_window.map(|w| w.as_secs().into()),
                scaling_config: o.max_concurrency.map(|c| cfn::ScalingConfigProperty {
                    maximum_concurrency: Some(c.into()),
                }),
                ..CfnEventSourceMappingProps::new(function_name)
            },
        );
        EventSourceMapping { base, resource }
    }

    /// The mapping's ID (its `Ref`, a UUID).
    pub fn event_source_mapping_id(&self) -> Str {
        self.resource.ref_()
    }

    /// `arn:<partition>:lambda:<region>:<account>:event-source-mapping:<id>`.
    pub fn event_source_mapping_arn(&self) -> Str {
        match Stack::of(self.node()) {
            Some(stack) => stack.format_arn(
                ArnComponents::new("lambda", "event-source-mapping")
                    .with_name(self.event_source_mapping_id())
                    .with_format(ArnFormat::ColonResourceName),
            ),
            None => self.event_source_mapping_id(),
        }
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnEventSourceMapping {
        &self.resource
    }
}

/// Something that feeds a function (aws-cdk-lib's `IEventSource`): binding it creates the
/// mapping, subscription or permission and the grants the function needs.
pub trait IEventSource {
    /// Connects the source to `target`.
    fn bind(&self, target: &Rc<dyn IFunction>);
}
