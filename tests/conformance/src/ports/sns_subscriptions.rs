//! Ports of `aws-sns-subscriptions/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::sns::{
    DeliveryPolicy, FilterOrPolicy, HealthyRetryPolicy, NumericConditions, RequestPolicy,
    StringConditions, SubscriptionFilter, ThrottlePolicy, Topic, TopicProps,
};
use cdk_constructs::sns_subscriptions::{
    LambdaSubscription, SqsSubscription, SqsSubscriptionProps, SubscriptionOptions, UrlSubscription,
};
use cdk_constructs::sqs::{Queue, QueueProps};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The SNS subscription ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-sns-subscriptions/integ.sns-lambda",
        build: integ_sns_lambda,
    },
    Port {
        test: "aws-sns-subscriptions/integ.sns-sqs",
        build: integ_sns_sqs,
    },
    Port {
        test: "aws-sns-subscriptions/integ.sns-url",
        build: integ_sns_url,
    },
];

/// `integ.sns-url.ts`: an HTTPS subscription with a delivery policy.
fn integ_sns_url(app: &App) {
    let stack = Stack::new(app, "SnsToUrlStack", StackProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    let subscription = UrlSubscription::new("https://foobar.com/")
        .expect("an https URL")
        .delivery_policy(DeliveryPolicy {
            healthy_retry_policy: Some(HealthyRetryPolicy {
                min_delay_target: Some(std::time::Duration::from_secs(20)),
                max_delay_target: Some(std::time::Duration::from_secs(21)),
                num_retries: Some(10),
                ..Default::default()
            }),
            throttle_policy: Some(ThrottlePolicy {
                max_receives_per_second: Some(10),
            }),
            request_policy: Some(RequestPolicy {
                header_content_type: Some("application/json".into()),
            }),
        });
    topic.add_subscription(&subscription);
}

/// `integ.sns-sqs.ts`.
fn integ_sns_sqs(app: &App) {
    let stack = Stack::new(app, "SnsToSqsStack", StackProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    let queue = Queue::new(&stack, "MyQueue", QueueProps::default());
    let filter = FilterOrPolicy::Filter;
    topic.add_subscription(&SqsSubscription::with_props(
        queue,
        SqsSubscriptionProps {
            options: SubscriptionOptions {
                filter_policy_with_message_body: vec![
                    (
                        "background".into(),
                        FilterOrPolicy::Policy(vec![(
                            "color".into(),
                            filter(SubscriptionFilter::string_filter(StringConditions {
                                allowlist: vec!["red".into(), "green".into()],
                                denylist: vec!["white".into(), "orange".into()],
                                ..Default::default()
                            })),
                        )]),
                    ),
                    (
                        "price".into(),
                        filter(SubscriptionFilter::numeric_filter(NumericConditions {
                            allowlist: vec![100.0, 200.0],
                            between: Some((300.0, 350.0)),
                            greater_than: Some(500.0),
                            less_than: Some(1000.0),
                            between_strict: Some((2000.0, 3000.0)),
                            ..Default::default()
                        })),
                    ),
                    ("store".into(), filter(SubscriptionFilter::exists_filter())),
                    (
                        "event".into(),
                        filter(SubscriptionFilter::not_exists_filter()),
                    ),
                ],
                ..Default::default()
            },
            raw_message_delivery: true,
        },
    ));
}

/// The test's handler as its compiled JavaScript reads.
const ECHO: &str = "exports.handler = function handler(event, _context, callback) {\n    console.log('====================================================');\n    console.log(JSON.stringify(event, undefined, 2));\n    console.log('====================================================');\n    return callback(undefined, event);\n}";

fn echo_function(stack: &Stack, id: &str) -> Function {
    Function::new(
        stack,
        id,
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_inline(ECHO)),
    )
}

fn color_filter() -> SubscriptionFilter {
    SubscriptionFilter::string_filter(StringConditions {
        allowlist: vec!["red".into()],
        match_prefixes: vec!["bl".into(), "ye".into()],
        match_suffixes: vec!["ue".into(), "ow".into()],
        ..Default::default()
    })
}

/// `integ.sns-lambda.ts`.
fn integ_sns_lambda(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sns-lambda", StackProps::default());
    let topic = Topic::new(&stack, "MyTopic", TopicProps::default());
    let func = echo_function(&stack, "Echo");
    let dlq = Queue::new(&stack, "DeadLetterQueue", QueueProps::default());
    topic.add_subscription(&LambdaSubscription::with_options(
        Rc::new(func),
        SubscriptionOptions {
            dead_letter_queue: Some(Rc::new(dlq)),
            ..Default::default()
        },
    ));
    let filtered = echo_function(&stack, "Filtered");
    topic.add_subscription(&LambdaSubscription::with_options(
        Rc::new(filtered),
        SubscriptionOptions {
            filter_policy: vec![
                ("color".into(), color_filter()),
                (
                    "size".into(),
                    SubscriptionFilter::string_filter(StringConditions {
                        denylist: vec!["small".into(), "medium".into()],
                        ..Default::default()
                    }),
                ),
                (
                    "price".into(),
                    SubscriptionFilter::numeric_filter(NumericConditions {
                        between: Some((100.0, 200.0)),
                        ..Default::default()
                    }),
                ),
            ],
            ..Default::default()
        },
    ));
    let body = echo_function(&stack, "FilteredMessageBody");
    topic.add_subscription(&LambdaSubscription::with_options(
        Rc::new(body),
        SubscriptionOptions {
            filter_policy_with_message_body: vec![(
                "background".into(),
                FilterOrPolicy::Policy(vec![(
                    "color".into(),
                    FilterOrPolicy::Filter(color_filter()),
                )]),
            )],
            ..Default::default()
        },
    ));
}
