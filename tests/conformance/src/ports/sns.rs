//! Ports of `aws-sns/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::iam::{PolicyDocument, PolicyStatement, ServicePrincipal};
use cdk_constructs::sns::{Topic, TopicPolicy, TopicPolicyProps, TopicProps};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The SNS ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-sns/integ.sns-topic-policy",
        build: integ_sns_topic_policy,
    },
    Port {
        test: "aws-sns/integ.sns-fifo.no-name",
        build: integ_sns_fifo_no_name,
    },
];

fn s3_publish(topic: &Topic) -> PolicyStatement {
    PolicyStatement::new()
        .action("sns:Publish")
        .principal(&ServicePrincipal::new("s3.amazonaws.com"))
        .resource(topic.topic_arn())
}

/// `integ.sns-topic-policy.ts`.
fn integ_sns_topic_policy(app: &App) {
    let stack = Stack::new(app, "SNSTopicPolicyStack", StackProps::default());
    let topic = Topic::new(
        &stack,
        "Topic",
        TopicProps {
            topic_name: Some("fooTopic".into()),
            display_name: Some("fooDisplay".into()),
            ..Default::default()
        },
    );
    let document = PolicyDocument::with_statements([s3_publish(&topic)]);
    document.set_assign_sids(true);
    TopicPolicy::new(
        &stack,
        "TopicPolicy",
        TopicPolicyProps {
            topics: vec![Rc::new(topic)],
            policy_document: Some(document),
            enforce_ssl: true,
        },
    );
    let add_policy = Topic::new(
        &stack,
        "TopicAddPolicy",
        TopicProps {
            topic_name: Some("topicAddPolicy".into()),
            display_name: Some("topicDisplayNameAddPolicy".into()),
            enforce_ssl: true,
            ..Default::default()
        },
    );
    add_policy.add_to_resource_policy(s3_publish(&add_policy));
    Topic::new(
        &stack,
        "TopicWithSSL",
        TopicProps {
            enforce_ssl: true,
            ..Default::default()
        },
    );
}

/// `integ.sns-fifo.no-name.ts`.
fn integ_sns_fifo_no_name(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sns-fifo-1", StackProps::default());
    Topic::new(
        &stack,
        "MyTopic",
        TopicProps {
            fifo: Some(true),
            ..Default::default()
        },
    );
}
