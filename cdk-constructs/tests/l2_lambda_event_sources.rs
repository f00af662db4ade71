//! Lambda event sources (SQS, SNS, raw event source mappings) and function URLs: semantic
//! checks, and equality with aws-cdk-lib 2.276.0's templates of the same trees
//! (`fixtures/aws-cdk-lib-2.276.0/lambda-event-sources.templates.json`, written by
//! `lambda-event-sources.js` there, metadata and bootstrap parameters removed).

use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::dynamodb::{Attribute, AttributeType, StreamViewType, Table, TableProps};
use cdk_constructs::lambda::{
    Code, EventSourceMappingOptions, Function, FunctionAttributes, FunctionProps,
    FunctionUrlAuthType, FunctionUrlCorsOptions, FunctionUrlOptions, HttpMethod, IFunction,
    InvokeMode, Runtime, StartingPosition,
};
use cdk_constructs::lambda_event_sources::{
    DynamoEventSource, DynamoEventSourceProps, SnsEventSource, SqsEventSource, SqsEventSourceProps,
};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use cdk_core::{App, CfnOutput, CfnOutputProps, Stack, StackProps};
use serde_json::Value;

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "Stack", StackProps::default());
    (app, stack)
}

fn inline(stack: &Stack, id: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(
            Runtime::Python314,
            "index.handler",
            Code::from_inline("def handler(event, context):\n    return 1"),
        ),
    )
}

fn reference(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/aws-cdk-lib-2.276.0/lambda-event-sources.templates.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let all: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    all[name].clone()
}

/// Same logical IDs as aws-cdk-lib, every resource (without metadata) and output equal.
fn assert_matches_reference(stack: &Stack, name: &str) {
    let expected = reference(name);
    let mut actual = Template::from_stack(stack).to_json().clone();
    for r in actual["Resources"].as_object_mut().unwrap().values_mut() {
        r.as_object_mut().unwrap().remove("Metadata");
    }
    let ids = |t: &Value| {
        let mut ids: Vec<String> = t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&actual), ids(&expected), "logical IDs of {name}");
    for (id, resource) in expected["Resources"].as_object().unwrap() {
        assert_eq!(&actual["Resources"][id], resource, "{name}: {id}");
    }
    if let Some(outputs) = expected.get("Outputs") {
        assert_eq!(&actual["Outputs"], outputs, "{name}: outputs");
    }
}

#[test]
fn sqs_event_source_equals_aws_cdk_lib() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let jobs = Queue::new(
        &stack,
        "Jobs",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            ..Default::default()
        },
    );
    let source = SqsEventSource::new(
        jobs,
        SqsEventSourceProps {
            batch_size: Some(100),
            max_batching_window: Some(Duration::from_secs(60)),
            report_batch_item_failures: Some(true),
            max_concurrency: Some(5),
            enabled: Some(false),
        },
    );
    assert!(source.event_source_mapping_arn().is_none(), "not bound yet");
    f.add_event_source(&source);
    CfnOutput::new(
        &stack,
        "MappingArn",
        CfnOutputProps {
            value: source.event_source_mapping_arn().unwrap(),
            ..Default::default()
        },
    );
    assert_matches_reference(&stack, "sqs");
    // The grant: consume actions on the queue and decrypt on its key, in the role's policy.
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [
            {"Action": Match::array_with(["sqs:ReceiveMessage"]), "Resource": {"Fn::GetAtt": ["JobsDF1CC2D4", "Arn"]}},
            {"Action": "kms:Decrypt"}
        ]}}),
    );
}

#[test]
fn sns_event_source_equals_aws_cdk_lib() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let events = Topic::new(&stack, "Events", TopicProps::default());
    f.add_event_source(&SnsEventSource::new(events, Default::default()));
    assert_matches_reference(&stack, "sns");
    Template::from_stack(&stack).has_resource_properties(
        "AWS::SNS::Subscription",
        pattern!({"Protocol": "lambda", "Endpoint": {"Fn::GetAtt": ["Fn9270CBC0", "Arn"]}}),
    );
}

#[test]
fn stream_event_source_mapping_equals_aws_cdk_lib() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    f.add_event_source_mapping(
        "Stream",
        EventSourceMappingOptions {
            event_source_arn: Some("arn:aws:kinesis:us-east-1:123456789012:stream/s".into()),
            starting_position: Some(StartingPosition::TrimHorizon),
            batch_size: Some(50),
            bisect_batch_on_error: Some(true),
            max_record_age: Some(Duration::from_secs(3600)),
            retry_attempts: Some(3),
            parallelization_factor: Some(2),
            tumbling_window: Some(Duration::from_secs(30)),
            ..Default::default()
        },
    );
    assert_matches_reference(&stack, "mapping");
}

#[test]
fn event_source_mistakes_are_errors_on_the_construct() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    f.add_event_source_mapping(
        "Bad",
        EventSourceMappingOptions {
            event_source_arn: Some("arn:aws:kinesis:us-east-1:123456789012:stream/s".into()),
            retry_attempts: Some(10001),
            parallelization_factor: Some(11),
            starting_position_timestamp: Some(1.0),
            max_batching_window: Some(Duration::from_secs(301)),
            ..Default::default()
        },
    );
    f.add_event_source_mapping("NoSource", EventSourceMappingOptions::default());
    let q = Queue::new(&stack, "Q", QueueProps::default());
    let _ = SqsEventSource::new(
        q,
        SqsEventSourceProps {
            batch_size: Some(11),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    for message in [
        "retryAttempts must be -1 (for infinite) or between 0 and 10000 inclusive, got 10001",
        "parallelizationFactor must be between 1 and 10 inclusive, got 11",
        "startingPositionTimestamp can only be used when startingPosition is AT_TIMESTAMP",
        "maxBatchingWindow cannot be over 300 seconds, got 301",
    ] {
        a.has_error("/Stack/Fn/Bad", message);
    }
    a.has_error(
        "/Stack/Fn/NoSource",
        "Either eventSourceArn or kafkaBootstrapServers must be set",
    );
    a.has_error(
        "/Stack/Q",
        "Maximum batch size must be between 1 and 10 inclusive (given 11) when batching window is not specified.",
    );
}

#[test]
fn sqs_source_of_a_function_without_role_warns_and_grants_nothing() {
    let (_app, stack) = stack();
    let f = Function::from_function_attributes(
        &stack,
        "Imported",
        FunctionAttributes {
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:other".into(),
            role: None,
            same_environment: true,
            skip_permissions: false,
        },
    );
    let q = Queue::new(&stack, "Q", QueueProps::default());
    let source = SqsEventSource::new(q, SqsEventSourceProps::default());
    let target: std::rc::Rc<dyn IFunction> = std::rc::Rc::new(f);
    cdk_constructs::lambda::IEventSource::bind(&source, &target);
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Lambda::EventSourceMapping", 1);
    t.resource_count_is("AWS::IAM::Policy", 0);
    Annotations::from_stack(&stack).has_warning(
        "/Stack/Imported",
        Match::string_like_regexp("was imported without an IAM role"),
    );
}

#[test]
fn public_function_url_equals_aws_cdk_lib() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let url = f.add_function_url(FunctionUrlOptions {
        auth_type: Some(FunctionUrlAuthType::None),
        cors: Some(FunctionUrlCorsOptions {
            allowed_origins: Some(vec!["https://example.com".into()]),
            allowed_headers: Some(vec!["Content-Type".into()]),
            max_age: Some(Duration::from_secs(3600)),
            allow_credentials: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    });
    assert_eq!(url.auth_type(), FunctionUrlAuthType::None);
    CfnOutput::new(
        &stack,
        "Url",
        CfnOutputProps {
            value: url.url(),
            ..Default::default()
        },
    );
    assert_matches_reference(&stack, "urlNone");
}

#[test]
fn alias_function_url_equals_aws_cdk_lib() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let alias = f.add_alias("live", Default::default());
    alias.add_function_url(FunctionUrlOptions {
        invoke_mode: Some(InvokeMode::ResponseStream),
        cors: Some(FunctionUrlCorsOptions {
            allowed_methods: Some(vec![HttpMethod::Get, HttpMethod::Post]),
            ..Default::default()
        }),
        ..Default::default()
    });
    assert_matches_reference(&stack, "urlAlias");
    // IAM auth (the default): no public permission.
    Template::from_stack(&stack).resource_count_is("AWS::Lambda::Permission", 0);
}

#[test]
fn function_url_mistakes_are_errors() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    f.current_version().add_function_url(Default::default());
    let g = inline(&stack, "G");
    g.add_function_url(FunctionUrlOptions {
        cors: Some(FunctionUrlCorsOptions {
            max_age: Some(Duration::from_secs(86401)),
            ..Default::default()
        }),
        ..Default::default()
    });
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/Stack/Fn/CurrentVersion/FunctionUrl",
        "FunctionUrl cannot be used with a Version",
    );
    a.has_error(
        "/Stack/G/FunctionUrl",
        "FunctionUrl CORS maxAge should be less than or equal to 86400 secs (got 86401)",
    );
}

#[test]
fn dynamo_event_source_reads_the_stream_and_grants_it() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let table = Table::new(
        &stack,
        "T",
        TableProps {
            stream: Some(StreamViewType::NewAndOldImages),
            ..TableProps::new(Attribute::new("id", AttributeType::String))
        },
    );
    let source = DynamoEventSource::new(
        &table,
        DynamoEventSourceProps::new(StartingPosition::Latest),
    );
    f.add_event_source(&source);
    assert!(source.event_source_mapping_arn().is_some());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Lambda::EventSourceMapping", 1);
    t.has_resource_properties(
        "AWS::Lambda::EventSourceMapping",
        pattern!({
            "BatchSize": 100,
            "StartingPosition": "LATEST",
            "EventSourceArn": {"Fn::GetAtt": ["TD925BC7E", "StreamArn"]},
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "PolicyDocument": {
                "Statement": Match::array_with(vec![
                    pattern!({"Action": "dynamodb:ListStreams", "Effect": "Allow", "Resource": "*"}),
                    pattern!({
                        "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                        "Effect": "Allow",
                        "Resource": {"Fn::GetAtt": ["TD925BC7E", "StreamArn"]},
                    }),
                ]),
            },
        }),
    );
}

#[test]
fn dynamo_event_source_needs_a_stream_and_a_valid_batch_size() {
    let (_app, stack) = stack();
    let f = inline(&stack, "Fn");
    let table = Table::new(
        &stack,
        "T",
        TableProps::new(Attribute::new("id", AttributeType::String)),
    );
    let source = DynamoEventSource::new(
        &table,
        DynamoEventSourceProps {
            batch_size: Some(10001),
            ..DynamoEventSourceProps::new(StartingPosition::TrimHorizon)
        },
    );
    f.add_event_source(&source);
    assert!(source.event_source_mapping_arn().is_none());
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/Stack/T",
        "DynamoDB Streams must be enabled on the table Stack/T",
    );
    a.has_error(
        "/Stack/T",
        "Maximum batch size must be between 1 and 10000 inclusive (given 10001)",
    );
}
