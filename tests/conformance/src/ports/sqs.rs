//! Ports of `aws-sqs/test/integ.*.ts`.

use std::rc::Rc;

use cdk_constructs::iam::{AccountRootPrincipal, Role, RoleProps};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::sqs::{
    DeadLetterQueue, DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption, QueueProps,
    RedriveAllowPolicy, RedrivePermission,
};
use cdk_core::{App, CfnOutput, CfnOutputProps, RemovalPolicy, Stack, StackProps};

use crate::harness::Port;

/// The SQS ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-sqs/integ.sqs",
        build: integ_sqs,
    },
    Port {
        test: "aws-sqs/integ.sqs-source-queue-permission",
        build: integ_sqs_source_queue_permission,
    },
];

/// `integ.sqs-source-queue-permission.ts`, in the version of its snapshot (the source queues
/// have allow-all / deny-all redrive policies).
fn integ_sqs_source_queue_permission(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sqs", StackProps::default());
    let allow = |permission| QueueProps {
        redrive_allow_policy: Some(RedriveAllowPolicy {
            redrive_permission: Some(permission),
            source_queues: None,
        }),
        ..Default::default()
    };
    let source1 = Queue::new(&stack, "SourceQueue1", allow(RedrivePermission::AllowAll));
    let source2 = Queue::new(&stack, "SourceQueue2", allow(RedrivePermission::DenyAll));
    Queue::new(
        &stack,
        "DeadLetterQueue",
        QueueProps {
            redrive_allow_policy: Some(RedriveAllowPolicy {
                source_queues: Some(vec![Rc::new(source1), Rc::new(source2)]),
                redrive_permission: Some(RedrivePermission::ByQueue),
            }),
            ..Default::default()
        },
    );
}

/// `integ.sqs.ts`, in the version of its snapshot (see `SOURCE.json` `notes`).
fn integ_sqs(app: &App) {
    let stack = Stack::new(app, "aws-cdk-sqs", StackProps::default());
    let dlq = Queue::new(&stack, "DeadLetterQueue", QueueProps::default());
    let queue = Queue::new(
        &stack,
        "Queue",
        QueueProps {
            dead_letter_queue: Some(DeadLetterQueue {
                queue: Rc::new(dlq.clone()),
                max_receive_count: 5,
            }),
            encryption: Some(QueueEncryption::KmsManaged),
            ..Default::default()
        },
    );
    let key = Key::new(
        &stack,
        "EncryptionKey",
        KeyProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
    let fifo = Queue::new(
        &stack,
        "FifoQueue",
        QueueProps {
            fifo: Some(true),
            encryption_master_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    let high_throughput = Queue::new(
        &stack,
        "HighThroughputFifoQueue",
        QueueProps {
            fifo: Some(true),
            fifo_throughput_limit: Some(FifoThroughputLimit::PerMessageGroupId),
            deduplication_scope: Some(DeduplicationScope::MessageGroup),
            ..Default::default()
        },
    );
    let sqs_managed = Queue::new(
        &stack,
        "SqsManagedEncryptedQueue",
        QueueProps {
            encryption: Some(QueueEncryption::SqsManaged),
            ..Default::default()
        },
    );
    let unencrypted = Queue::new(
        &stack,
        "UnencryptedQueue",
        QueueProps {
            encryption: Some(QueueEncryption::Unencrypted),
            ..Default::default()
        },
    );
    let ssl = Queue::new(
        &stack,
        "SSLQueue",
        QueueProps {
            enforce_ssl: true,
            ..Default::default()
        },
    );
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    for q in [
        &dlq,
        &queue,
        &fifo,
        &high_throughput,
        &sqs_managed,
        &unencrypted,
        &ssl,
    ] {
        q.grant_consume_messages(&role);
    }
    CfnOutput::new(
        &stack,
        "QueueUrl",
        CfnOutputProps {
            value: queue.queue_url(),
            description: None,
            export_name: None,
            condition: None,
        },
    );
}
