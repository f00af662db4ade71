//! Ports of `aws-lambda-event-sources/test/integ.*.ts`.

use std::time::Duration;

use cdk_constructs::dynamodb::{Attribute, AttributeType, StreamViewType, Table, TableProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime, StartingPosition};
use cdk_constructs::lambda_event_sources::{
    DynamoEventSource, DynamoEventSourceProps, SnsEventSource, SqsEventSource, SqsEventSourceProps,
};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sqs::{Queue, QueueProps};
use cdk_core::{App, CfnOutput, CfnOutputProps, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The Lambda event source ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-lambda-event-sources/integ.sqs",
        build: sqs,
    },
    Port {
        test: "aws-lambda-event-sources/integ.sns",
        build: sns,
    },
    Port {
        test: "aws-lambda-event-sources/integ.dynamodb",
        build: dynamodb,
    },
];

/// The tests' `TestFunction` (`test-function.ts`): the compiled handler inline, on the
/// snapshot's `STANDARD_NODEJS_RUNTIME`.
fn test_function(stack: &Stack, id: &str, runtime: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(
            Runtime::Other(runtime.into()),
            "index.handler",
            Code::from_inline(
                "exports.handler = async function handler(event) {\n    console.log('event:', JSON.stringify(event, undefined, 2));\n    return { event };\n}",
            ),
        ),
    )
}

/// `integ.sqs.ts`: a queue feeding a function in batches of 5, the mapping's ARN as output.
fn sqs(app: &App) {
    let stack = Stack::new(app, "lambda-event-source-sqs", StackProps::default());
    let f = test_function(&stack, "F", "nodejs18.x");
    let queue = Queue::new(&stack, "Q", QueueProps::default());
    let source = SqsEventSource::new(
        queue,
        SqsEventSourceProps {
            batch_size: Some(5),
            ..Default::default()
        },
    );
    f.add_event_source(&source);
    CfnOutput::new(
        &stack,
        "OutputEventSourceMappingArn",
        CfnOutputProps {
            value: source
                .event_source_mapping_arn()
                .expect("bound by add_event_source"),
            ..Default::default()
        },
    );
}

/// `integ.sns.ts`: a topic subscribed to a function.
fn sns(app: &App) {
    let stack = Stack::new(app, "lambda-event-source-sns", StackProps::default());
    let f = test_function(&stack, "F", "nodejs22.x");
    let topic = Topic::new(&stack, "T", TopicProps::default());
    f.add_event_source(&SnsEventSource::new(topic, Default::default()));
}

/// `integ.dynamodb.ts`: a table's stream feeding a function (batches of 5, a 60 s tumbling
/// window), the mapping's ARN as output.
fn dynamodb(app: &App) {
    let stack = Stack::new(app, "lambda-event-source-dynamodb", StackProps::default());
    let f = test_function(&stack, "F", "nodejs18.x");
    let table = Table::new(
        &stack,
        "T",
        TableProps {
            stream: Some(StreamViewType::NewImage),
            removal_policy: Some(RemovalPolicy::Destroy),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    let source = DynamoEventSource::new(
        &table,
        DynamoEventSourceProps {
            batch_size: Some(5),
            tumbling_window: Some(Duration::from_secs(60)),
            ..DynamoEventSourceProps::new(StartingPosition::TrimHorizon)
        },
    );
    f.add_event_source(&source);
    CfnOutput::new(
        &stack,
        "OutputEventSourceMappingArn",
        CfnOutputProps {
            value: source
                .event_source_mapping_arn()
                .expect("bound by add_event_source"),
            ..Default::default()
        },
    );
}
