//! Ports of `aws-s3/test/integ.*.ts`.

use std::time::Duration;

use cdk_constructs::custom_resource_provider::{
    CustomResource, CustomResourceProps, CustomResourceProvider, CustomResourceProviderProps,
    CustomResourceProviderRuntime, ProviderCode,
};
use cdk_constructs::custom_resources::{
    AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall,
    PhysicalResourceId,
};
use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::s3::{
    BlockPublicAccess, Bucket, BucketProps, EventType, LifecycleRule, RedirectProtocol, ReplaceKey,
    RoutingRule, RoutingRuleCondition, StorageClass, Transition,
    TransitionDefaultMinimumObjectSize,
};
use cdk_constructs::s3_notifications::SnsDestination;
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_core::{App, CfnOutput, CfnOutputProps, RemovalPolicy, Stack, StackProps, Str, Value};

use super::kms::{account_env, INTEG_ACCOUNT};
use crate::harness::Port;

/// The S3 ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-s3/integ.bucket-cross-account-grant",
        build: integ_bucket_cross_account_grant,
    },
    Port {
        test: "aws-s3/integ.bucket-block-public-access",
        build: bucket_block_public_access,
    },
    Port {
        test: "aws-s3/integ.bucket-minimum-tls-version",
        build: bucket_minimum_tls_version,
    },
    Port {
        test: "aws-s3/integ.bucket-auto-delete-objects",
        build: bucket_auto_delete_objects,
    },
    Port {
        test: "aws-s3/integ.lifecycle",
        build: lifecycle,
    },
    Port {
        test: "aws-s3/integ.lifecycle-transitions",
        build: lifecycle_transitions,
    },
    Port {
        test: "aws-s3/integ.bucket.website-routing-rules",
        build: bucket_website_routing_rules,
    },
    Port {
        test: "aws-s3/integ.bucket-notifications-multi-bucket-policy",
        build: bucket_notifications_multi_bucket_policy,
    },
];

const DAY: u64 = 86_400;

/// `integ.bucket-auto-delete-objects.ts`. The put-objects handler is rcdk's own stand-in
/// (`assets/aws-s3/put-objects-handler`); `DeleteBucket` (an `AwsCustomResource`) removes
/// `RemovedBucket` right away.
fn bucket_auto_delete_objects(app: &App) {
    let stack = Stack::new(
        app,
        "cdk-s3-bucket-auto-delete-objects",
        StackProps::default(),
    );
    let auto_deleted = |id: &str| {
        Bucket::new(
            &stack,
            id,
            BucketProps {
                removal_policy: Some(RemovalPolicy::Destroy),
                auto_delete_objects: true,
                ..Default::default()
            },
        )
    };
    let bucket = auto_deleted("Bucket");
    let provider = CustomResourceProvider::get_or_create_provider(
        &stack,
        "Custom::S3PutObjects",
        CustomResourceProviderProps {
            policy_statements: vec![Value::object([
                ("Effect", Value::from("Allow")),
                ("Action", Value::from("s3:PutObject")),
                ("Resource", bucket.arn_for_objects("*").into_value()),
            ])],
            ..CustomResourceProviderProps::new(
                ProviderCode::Directory(
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("assets/aws-s3/put-objects-handler"),
                ),
                CustomResourceProviderRuntime::Nodejs24x,
            )
        },
    );
    CustomResource::new(
        &stack,
        "PutObjectsCustomResource",
        CustomResourceProps {
            resource_type: Some("Custom::S3PutObjects".into()),
            properties: vec![("BucketName".into(), bucket.bucket_name().into_value())],
            ..CustomResourceProps::new(provider.service_token())
        },
    );
    let removed = auto_deleted("RemovedBucket");
    AwsCustomResource::new(
        &stack,
        "DeleteBucket",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::default()
                    .physical_resource_id(PhysicalResourceId::of(removed.bucket_arn()))
                    .service("S3")
                    .action("deleteBucket")
                    .parameters(Value::object([("Bucket", removed.bucket_name())])),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls([
                removed.bucket_arn()
            ])),
            ..Default::default()
        },
    );
}

/// `integ.lifecycle.ts` (`new Date('2019-10-01')` is the string `2019-10-01`).
fn lifecycle(app: &App) {
    let stack = Stack::new(app, "aws-cdk-s3", StackProps::default());
    Bucket::new(
        &stack,
        "MyBucket",
        BucketProps {
            lifecycle_rules: vec![
                LifecycleRule {
                    expiration_date: Some("2019-10-01".into()),
                    ..Default::default()
                },
                LifecycleRule {
                    expiration_date: Some("2019-10-01".into()),
                    object_size_less_than: Some(600),
                    object_size_greater_than: Some(500),
                    ..Default::default()
                },
            ],
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    );
}

/// `integ.lifecycle-transitions.ts`.
fn lifecycle_transitions(app: &App) {
    let stack = Stack::new(app, "s3-lifecycle-transitions", StackProps::default());
    for (id, minimum) in [
        (
            "AllStorageClasses128K",
            TransitionDefaultMinimumObjectSize::AllStorageClasses128K,
        ),
        (
            "VariesByStorageClass",
            TransitionDefaultMinimumObjectSize::VariesByStorageClass,
        ),
    ] {
        Bucket::new(
            &stack,
            id,
            BucketProps {
                lifecycle_rules: vec![
                    LifecycleRule {
                        transitions: vec![Transition::after(
                            StorageClass::DeepArchive,
                            Duration::from_secs(30 * DAY),
                        )],
                        ..Default::default()
                    },
                    LifecycleRule {
                        object_size_less_than: Some(300_000),
                        object_size_greater_than: Some(200_000),
                        transitions: vec![Transition::after(
                            StorageClass::OneZoneInfrequentAccess,
                            Duration::from_secs(30 * DAY),
                        )],
                        ..Default::default()
                    },
                ],
                transition_default_minimum_object_size: Some(minimum),
                removal_policy: Some(RemovalPolicy::Destroy),
                ..Default::default()
            },
        );
    }
}

/// `integ.bucket.website-routing-rules.ts`.
fn bucket_website_routing_rules(app: &App) {
    let stack = Stack::new(app, "s3-bucket-routing", StackProps::default());
    Bucket::new(
        &stack,
        "MyBucketWithRoutingRules",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            website_index_document: Some("index.html".into()),
            website_routing_rules: vec![RoutingRule {
                condition: Some(RoutingRuleCondition {
                    key_prefix_equals: Some(String::new()),
                    ..Default::default()
                }),
                host_name: Some("example.com".into()),
                protocol: Some(RedirectProtocol::Https),
                replace_key: Some(ReplaceKey::With("/".into())),
                ..Default::default()
            }],
            ..Default::default()
        },
    );
}

/// `integ.bucket-notifications-multi-bucket-policy.ts` (its assertions live in the
/// DeployAssert stack, which is not compared).
fn bucket_notifications_multi_bucket_policy(app: &App) {
    let stack = Stack::new(
        app,
        "S3NotificationMultiBucketPolicyTest",
        StackProps::default(),
    );
    let bucket = |id: &str| {
        Bucket::new(
            &stack,
            id,
            BucketProps {
                removal_policy: Some(RemovalPolicy::Destroy),
                ..Default::default()
            },
        )
    };
    let (bucket1, bucket2, bucket3) = (bucket("Bucket1"), bucket("Bucket2"), bucket("Bucket3"));
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let destination = SnsDestination::new(&topic);
    bucket1.add_event_notification(&EventType::ObjectCreated, &destination, &[]);
    bucket2.add_event_notification(&EventType::ObjectRemoved, &destination, &[]);
    bucket3.add_event_notification(&EventType::ObjectCreatedPut, &destination, &[]);
    CfnOutput::new(
        &stack,
        "HandlerRoleName",
        CfnOutputProps {
            value: Str::from_value(Value::intrinsic(
                "Ref",
                "BucketNotificationsHandler050a0587b7544547bf325f094a3db834RoleB6FB88EC",
            )),
            export_name: Some("HandlerRoleName".into()),
            ..Default::default()
        },
    );
}

/// `integ.bucket-cross-account-grant.ts`: both stacks (the bucket's `autoDeleteObjects`
/// provider included).
fn integ_bucket_cross_account_grant(app: &App) {
    let cross_account = "234567890123";
    let resource_stack = Stack::new(
        app,
        "BucketResourceStack",
        StackProps {
            env: account_env(INTEG_ACCOUNT),
            ..Default::default()
        },
    );
    let bucket = Bucket::new(
        &resource_stack,
        "Bucket",
        BucketProps {
            bucket_name: Some(
                format!("cdk-integ-bucket-cross-account-grant-{INTEG_ACCOUNT}-{cross_account}")
                    .into(),
            ),
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    );
    let principal_stack = Stack::new(
        app,
        "BucketPrincipalStack",
        StackProps {
            env: account_env(cross_account),
            ..Default::default()
        },
    );
    let role = Role::new(
        &principal_stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    bucket.grant_read(&role);
}

/// `integ.bucket-block-public-access.ts` (the two settings the test leaves unset become `true`
/// under `@aws-cdk/aws-s3:publicAccessBlockedByDefault`, as in aws-cdk-lib).
fn bucket_block_public_access(app: &App) {
    let stack = Stack::new(app, "aws-cdk-s3", StackProps::default());
    Bucket::new(&stack, "BucketWithDefaultAccess", BucketProps::default());
    Bucket::new(
        &stack,
        "BucketWithExplicitBlockAccess",
        BucketProps {
            block_public_access: Some(BlockPublicAccess {
                block_public_acls: Some(true),
                ignore_public_acls: Some(true),
                block_public_policy: Some(true),
                restrict_public_buckets: Some(true),
            }),
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "BucketWithPartialBlockAccess",
        BucketProps {
            block_public_access: Some(BlockPublicAccess {
                block_public_acls: None,
                ignore_public_acls: None,
                block_public_policy: Some(false),
                restrict_public_buckets: Some(false),
            }),
            ..Default::default()
        },
    );
}

/// `integ.bucket-minimum-tls-version.ts`.
fn bucket_minimum_tls_version(app: &App) {
    let stack = Stack::new(app, "aws-cdk-s3-minimum-tls-version", StackProps::default());
    Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            enforce_ssl: true,
            minimum_tls_version: Some(1.2),
            ..Default::default()
        },
    );
}
