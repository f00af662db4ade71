//! Ports of `aws-s3/test/integ.*.ts`.

use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps};

use super::kms::{account_env, INTEG_ACCOUNT};
use crate::harness::Port;

/// The S3 ports.
pub const PORTS: &[Port] = &[Port {
    test: "aws-s3/integ.bucket-cross-account-grant",
    build: integ_bucket_cross_account_grant,
}];

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
