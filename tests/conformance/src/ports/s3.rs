//! Ports of `aws-s3/test/integ.*.ts`.

use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::s3::{BlockPublicAccess, Bucket, BucketProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

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
];

/// `integ.bucket-cross-account-grant.ts`. Partial: no `autoDeleteObjects`, so only
/// `BucketPrincipalStack` is compared.
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

/// `integ.bucket-block-public-access.ts`. Partial: rcdk's [`BlockPublicAccess`] needs all
/// four settings (the two the test leaves unset are `true`, as aws-cdk-lib's
/// `@aws-cdk/aws-s3:publicAccessBlockedByDefault` makes them).
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
                block_public_acls: Some(true),
                ignore_public_acls: Some(true),
                block_public_policy: Some(false),
                restrict_public_buckets: Some(false),
            }),
            ..Default::default()
        },
    );
}

/// `integ.bucket-minimum-tls-version.ts`. Partial: no `minimumTLSVersion`.
fn bucket_minimum_tls_version(app: &App) {
    let stack = Stack::new(app, "aws-cdk-s3-minimum-tls-version", StackProps::default());
    Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            enforce_ssl: true,
            ..Default::default()
        },
    );
}
