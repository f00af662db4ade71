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
    Port {
        test: "aws-sns/integ.sns-fifo",
        build: integ_sns_fifo,
    },
    Port {
        test: "aws-sns/integ.sns-topic-grant-subscribe",
        build: integ_sns_topic_grant_subscribe,
    },
    Port {
        test: "aws-sns/integ.sns-fifo-throughput-scope",
        build: integ_sns_fifo_throughput_scope,
    },
    Port {
        test: "aws-sns/integ.sns-fifo-archive-policy",
        build: integ_sns_fifo_archive_policy,
    },
];

/// `integ.sns-fifo-throughput-scope.ts`: unnamed FIFO topics (generated `.fifo` names) with
/// both throughput scopes.
fn integ_sns_fifo_throughput_scope(app: &App) {
    let stack = Stack::new(app, "sns-fifo-throughput-scope", StackProps::default());
    for (id, scope) in [
        ("MessageGroupScopeTopic", "MessageGroup"),
        ("TopicScopeTopic", "Topic"),
    ] {
        Topic::new(
            &stack,
            id,
            TopicProps {
                fifo: Some(true),
                fifo_throughput_scope: Some(scope.into()),
                ..Default::default()
            },
        );
    }
}

/// `integ.sns-fifo-archive-policy.ts`: a FIFO topic keeping messages 12 days.
fn integ_sns_fifo_archive_policy(app: &App) {
    let stack = Stack::new(app, "SNSFifoArchivePolicyStack", StackProps::default());
    Topic::new(
        &stack,
        "MyTopic",
        TopicProps {
            fifo: Some(true),
            message_retention_period_in_days: Some(12),
            ..Default::default()
        },
    );
}

/// `integ.sns-fifo.ts`: a named FIFO topic (the `.fifo` suffix is added) with content-based
/// deduplication.
fn integ_sns_fifo(app: &App) {
    let stack = Stack::new(app, "SNSFifoInteg", StackProps::default());
    Topic::new(
        &stack,
        "MyTopic",
        TopicProps {
            topic_name: Some("fooTopic".into()),
            display_name: Some("fooDisplayName".into()),
            content_based_deduplication: Some(true),
            fifo: Some(true),
            ..Default::default()
        },
    );
}

/// `integ.sns-topic-grant-subscribe.ts`: a KMS-encrypted topic; `grant_subscribe` to a user.
fn integ_sns_topic_grant_subscribe(app: &App) {
    use cdk_constructs::iam::{User, UserProps};
    use cdk_constructs::kms::{Key, KeyProps};
    let stack = Stack::new(app, "sns-grant-subscribe-stack", StackProps::default());
    let key = Key::new(
        &stack,
        "CustomKey",
        KeyProps {
            pending_window_days: Some(7),
            removal_policy: Some(cdk_core::RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    let topic = Topic::new(
        &stack,
        "MyTopic",
        TopicProps {
            master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    let user = User::new(&stack, "MyUser", UserProps::default());
    topic.grant_subscribe(&user);
}

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
