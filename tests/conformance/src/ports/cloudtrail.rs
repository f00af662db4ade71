//! Ports of `aws-cloudtrail/test/integ.*.ts`. `integ.cloudtrail.lit` is not ported: it uses
//! `Runtime.NODEJS_14_X`, which aws-cdk-lib 2.276.0 refuses at synth (CloudFormation validation
//! E2531, runtime creation disabled), so 2.276 writes no template for it.

use std::rc::Rc;

use cdk_constructs::cloudtrail::{
    AddEventSelectorOptions, InsightType, ReadWriteType, S3EventSelector, Trail, TrailProps,
};
use cdk_constructs::iam::{PolicyStatement, ServicePrincipal};
use cdk_constructs::lambda::{Code, Function, FunctionProps, IFunction, Runtime};
use cdk_constructs::s3::{Bucket, BucketEncryption, BucketProps, IBucket};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps, Str, Value};

use crate::harness::Port;

/// The CloudTrail ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-cloudtrail/integ.cloudtrail-defaults",
        build: cloudtrail_defaults,
    },
    Port {
        test: "aws-cloudtrail/integ.cloudtrail-data-events-only",
        build: cloudtrail_data_events_only,
    },
    Port {
        test: "aws-cloudtrail/integ.cloudtrail-sns-topic",
        build: cloudtrail_sns_topic,
    },
    Port {
        test: "aws-cloudtrail/integ.cloudtrail-insight",
        build: cloudtrail_insight,
    },
    Port {
        test: "aws-cloudtrail/integ.cloudtrail-supplied-bucket.lit",
        build: cloudtrail_supplied_bucket,
    },
];

/// `integ.cloudtrail-defaults.ts`: a trail with every default.
fn cloudtrail_defaults(app: &App) {
    let stack = Stack::new(app, "integ-cloudtrail-defaults", StackProps::default());
    Trail::new(&stack, "Trail", TrailProps::default());
}

/// `integ.cloudtrail-sns-topic.ts`: a trail notifying a topic.
fn cloudtrail_sns_topic(app: &App) {
    let stack = Stack::new(app, "integ-cloudtrail-sns-topic", StackProps::default());
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    Trail::new(
        &stack,
        "Trail",
        TrailProps {
            sns_topic: Some(Rc::new(topic)),
            ..Default::default()
        },
    );
}

fn hello_function(stack: &Stack, runtime: Runtime) -> Rc<dyn IFunction> {
    Rc::new(Function::new(
        stack,
        "LambdaFunction",
        FunctionProps::new(
            runtime,
            "hello.handler",
            Code::from_inline("exports.handler = {}"),
        ),
    ))
}

/// `integ.cloudtrail-data-events-only.ts`: no management events, a Lambda and an S3 data
/// event selector.
fn cloudtrail_data_events_only(app: &App) {
    let stack = Stack::new(app, "integ-cloudtrail-data-events", StackProps::default());
    let bucket: Rc<dyn IBucket> = Rc::new(Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    ));
    let function = hello_function(&stack, Runtime::Other("nodejs20.x".into()));
    let trail = Trail::new(
        &stack,
        "Trail",
        TrailProps {
            management_events: Some(ReadWriteType::None),
            ..Default::default()
        },
    );
    trail.add_lambda_event_selector(&[function], AddEventSelectorOptions::default());
    trail.add_s3_event_selector(
        &[S3EventSelector {
            bucket,
            object_prefix: None,
        }],
        AddEventSelectorOptions::default(),
    );
}

/// The trail bucket both supplied-bucket tests build "exactly as the Trail class does":
/// `s3:GetBucketAcl` and `s3:PutObject` (`AWSLogs/<account>/*`) for CloudTrail.
fn supplied_trail_bucket(stack: &Stack, props: BucketProps) -> Rc<dyn IBucket> {
    let bucket = Bucket::new(stack, "S3", props);
    let cloudtrail = ServicePrincipal::new("cloudtrail.amazonaws.com");
    bucket.add_to_resource_policy(
        PolicyStatement::new()
            .resource(bucket.bucket_arn())
            .action("s3:GetBucketAcl")
            .principal(&cloudtrail),
    );
    bucket.add_to_resource_policy(
        PolicyStatement::new()
            .resource(Str::concat([
                bucket.bucket_arn(),
                Str::from("/AWSLogs/"),
                stack.account(),
                Str::from("/*"),
            ]))
            .action("s3:PutObject")
            .principal(&cloudtrail)
            .condition(
                "StringEquals",
                "s3:x-amz-acl",
                Value::from("bucket-owner-full-control"),
            ),
    );
    Rc::new(bucket)
}

/// `integ.cloudtrail-insight.ts`: a supplied (auto-deleted) bucket and both Insights types.
fn cloudtrail_insight(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-cloudtrail-inshights-test",
        StackProps::default(),
    );
    let bucket = supplied_trail_bucket(
        &stack,
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    );
    Trail::new(
        &stack,
        "Trail",
        TrailProps {
            bucket: Some(bucket),
            insight_types: vec![InsightType::ApiCallRate, InsightType::ApiErrorRate],
            ..Default::default()
        },
    );
}

/// `integ.cloudtrail-supplied-bucket.lit.ts`: a supplied S3-managed-encrypted bucket and the
/// Lambda and S3 data event selectors.
fn cloudtrail_supplied_bucket(app: &App) {
    let stack = Stack::new(app, "integ-cloudtrail", StackProps::default());
    let bucket: Rc<dyn IBucket> = Rc::new(Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    ));
    let function = hello_function(&stack, Runtime::Nodejs22X);
    let trail_bucket = supplied_trail_bucket(
        &stack,
        BucketProps {
            encryption: BucketEncryption::S3Managed,
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    );
    let trail = Trail::new(
        &stack,
        "Trail",
        TrailProps {
            bucket: Some(trail_bucket),
            ..Default::default()
        },
    );
    trail.add_lambda_event_selector(&[function], AddEventSelectorOptions::default());
    trail.add_s3_event_selector(
        &[S3EventSelector {
            bucket,
            object_prefix: None,
        }],
        AddEventSelectorOptions::default(),
    );
}
