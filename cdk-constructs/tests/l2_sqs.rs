//! SQS queues: defaults, encryption, FIFO, dead-letter queues, grants and imports.

use std::rc::Rc;
use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::iam::{AccountPrincipal, Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::sqs::*;
use cdk_core::{App, Environment, Stack, StackProps};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn id(path: &[&str]) -> String {
    cdk_core::logical_id::make_unique_id(path)
}

fn lambda_role(stack: &Stack) -> Role {
    Role::new(
        stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    )
}

#[test]
fn default_queue_is_destroyed_with_its_stack_and_sets_no_properties() {
    let (_app, stack) = stack();
    Queue::new(&stack, "Q", QueueProps::default());
    let t = Template::from_stack(&stack);
    t.has_resource(
        "AWS::SQS::Queue",
        pattern!({"DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete", "Properties": Match::absent()}),
    );
}

#[test]
fn durations_and_dead_letter_queue_render_in_seconds() {
    let (_app, stack) = stack();
    let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
    Queue::new(
        &stack,
        "Q",
        QueueProps {
            visibility_timeout: Some(Duration::from_secs(300)),
            retention_period: Some(Duration::from_secs(1_209_600)),
            delivery_delay: Some(Duration::from_secs(10)),
            receive_message_wait_time: Some(Duration::from_secs(20)),
            dead_letter_queue: Some(DeadLetterQueue {
                queue: Rc::new(dlq),
                max_receive_count: 3,
            }),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SQS::Queue",
        pattern!({
            "VisibilityTimeout": 300,
            "MessageRetentionPeriod": 1209600,
            "DelaySeconds": 10,
            "ReceiveMessageWaitTimeSeconds": 20,
            "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": [id(&["Dlq", "Resource"]), "Arn"]}, "maxReceiveCount": 3},
        }),
    );
}

#[test]
fn kms_encryption_creates_a_key_and_grants_use_it() {
    let (_app, stack) = stack();
    let q = Queue::new(
        &stack,
        "Q",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            data_key_reuse: Some(Duration::from_secs(600)),
            ..Default::default()
        },
    );
    assert!(q.encryption_master_key().is_some());
    let role = lambda_role(&stack);
    q.grant_send_messages(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties("AWS::KMS::Key", pattern!({"Description": "Created by S/Q"}));
    t.has_resource_properties(
        "AWS::SQS::Queue",
        pattern!({"KmsMasterKeyId": {"Fn::GetAtt": [id(&["Q", "Key", "Resource"]), "Arn"]}, "KmsDataKeyReusePeriodSeconds": 600}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [
            {"Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], "Effect": "Allow",
             "Resource": {"Fn::GetAtt": [id(&["Q", "Resource"]), "Arn"]}},
            {"Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"], "Effect": "Allow",
             "Resource": {"Fn::GetAtt": [id(&["Q", "Key", "Resource"]), "Arn"]}},
        ]}}),
    );
}

#[test]
fn managed_encryptions() {
    let (_app, stack) = stack();
    for (id, e) in [
        ("Kms", QueueEncryption::KmsManaged),
        ("Sqs", QueueEncryption::SqsManaged),
        ("None", QueueEncryption::Unencrypted),
    ] {
        Queue::new(
            &stack,
            id,
            QueueProps {
                encryption: Some(e),
                ..Default::default()
            },
        );
    }
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SQS::Queue",
        pattern!({"KmsMasterKeyId": "alias/aws/sqs"}),
    );
    t.has_resource_properties("AWS::SQS::Queue", pattern!({"SqsManagedSseEnabled": true}));
    t.has_resource_properties("AWS::SQS::Queue", pattern!({"SqsManagedSseEnabled": false}));
    t.resource_count_is("AWS::KMS::Key", 0);
}

#[test]
fn a_given_key_switches_encryption_to_kms_with_a_warning() {
    let (_app, stack) = stack();
    let key = Key::new(&stack, "K", KeyProps::default());
    let q = Queue::new(
        &stack,
        "Q",
        QueueProps {
            encryption: Some(QueueEncryption::KmsManaged),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    assert_eq!(q.encryption_type(), Some(QueueEncryption::Kms));
    Annotations::from_stack(&stack).has_warning(
        "/S/Q",
        Match::string_like_regexp("Automatically changed to QueueEncryption.KMS"),
    );
}

#[test]
fn sqs_managed_with_a_key_is_an_error() {
    let (_app, stack) = stack();
    let key = Key::new(&stack, "K", KeyProps::default());
    Queue::new(
        &stack,
        "Q",
        QueueProps {
            encryption: Some(QueueEncryption::SqsManaged),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/S/Q",
        Match::string_like_regexp("not supported if encryption type 'SQS_MANAGED'"),
    );
}

#[test]
fn fifo_from_the_name_and_its_checks() {
    let (_app, stack) = stack();
    let q = Queue::new(
        &stack,
        "Fifo",
        QueueProps {
            queue_name: Some("jobs.fifo".into()),
            content_based_deduplication: Some(true),
            ..Default::default()
        },
    );
    assert!(q.fifo());
    Queue::new(
        &stack,
        "Bad",
        QueueProps {
            queue_name: Some("jobs".into()),
            fifo: Some(true),
            ..Default::default()
        },
    );
    Queue::new(
        &stack,
        "Dedup",
        QueueProps {
            fifo: Some(false),
            content_based_deduplication: Some(true),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error("/S/Bad", "FIFO queue names must end in '.fifo'");
    a.has_error(
        "/S/Dedup",
        "Content-based deduplication can only be defined for FIFO queues",
    );
    a.has_no_error("/S/Fifo", Match::any_value());
}

#[test]
fn out_of_range_values_are_errors() {
    let (_app, stack) = stack();
    Queue::new(
        &stack,
        "Q",
        QueueProps {
            visibility_timeout: Some(Duration::from_secs(50_000)),
            max_message_size_bytes: Some(10),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/S/Q",
        "visibility timeout must be between 0 and 43,200 seconds, but 50000 was provided",
    );
    a.has_error(
        "/S/Q",
        "maximum message size must be between 1,024 and 1,048,576 bytes, but 10 was provided",
    );
}

#[test]
fn consume_and_purge_grants_in_the_role_policy() {
    let (_app, stack) = stack();
    let q = Queue::new(&stack, "Q", QueueProps::default());
    let role = lambda_role(&stack);
    q.grant_consume_messages(&role);
    q.grant_purge(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [
            {"Action": ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl",
                        "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
             "Effect": "Allow", "Resource": {"Fn::GetAtt": [id(&["Q", "Resource"]), "Arn"]}},
            {"Action": ["sqs:PurgeQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]},
        ]}}),
    );
    t.resource_count_is("AWS::SQS::QueuePolicy", 0);
}

#[test]
fn a_principal_of_another_account_goes_to_the_queue_policy() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "S",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    );
    let q = Queue::new(&stack, "Q", QueueProps::default());
    q.grant_send_messages(&AccountPrincipal::new("222222222222"));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        pattern!({
            "Queues": [{"Ref": id(&["Q", "Resource"])}],
            "PolicyDocument": {"Statement": [{
                "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]}},
            }]},
        }),
    );
}

#[test]
fn imported_queue_builds_its_url_and_name_and_grants_in_the_principal_policy() {
    let (_app, stack) = stack();
    let q = Queue::from_queue_attributes(
        &stack,
        "Imported",
        QueueAttributes {
            queue_arn: "arn:aws:sqs:eu-west-1:123456789012:orders.fifo".into(),
            key_arn: Some("arn:aws:kms:eu-west-1:123456789012:key/abcd".into()),
            ..Default::default()
        },
    );
    assert!(q.fifo());
    assert_eq!(q.queue_name().literal(), Some("orders.fifo"));
    let role = lambda_role(&stack);
    q.grant_consume_messages(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [
            {"Resource": "arn:aws:sqs:eu-west-1:123456789012:orders.fifo"},
            {"Action": "kms:Decrypt", "Resource": "arn:aws:kms:eu-west-1:123456789012:key/abcd"},
        ]}}),
    );
    let url = stack.resolve(&q.queue_url().into_value()).unwrap();
    assert_eq!(
        url,
        serde_json::json!({"Fn::Join": ["", ["https://sqs.eu-west-1.", {"Ref": "AWS::URLSuffix"}, "/123456789012/orders.fifo"]]})
    );
}
