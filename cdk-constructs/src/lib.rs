//! # cdk-constructs
//!
//! Typed CloudFormation resources (L1) generated from the CloudFormation resource schemas,
//! one module per service (`s3`, `lambda`, `iam`, ...), each behind the cargo feature of the
//! same name. The defaults cover IAM, KMS, S3, Lambda, API Gateway, CodeCommit, CodeBuild,
//! CodePipeline, Events, DynamoDB, Logs, SSM, SNS, SQS and CloudFormation; enable
//! `all-services` (or single features such as `ec2`) for the rest.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::s3::{cfn_bucket, CfnBucket, CfnBucketProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Storage", StackProps::default());
//! let bucket = CfnBucket::new(&stack, "Bucket", CfnBucketProps {
//!     bucket_name: Some("my-bucket".into()),
//!     versioning_configuration: Some(cfn_bucket::VersioningConfigurationProperty {
//!         status: cfn_bucket::VersioningConfigurationStatus::Enabled,
//!     }),
//!     ..Default::default()
//! });
//! let arn = bucket.attr_arn(); // {"Fn::GetAtt": ["Bucket83908E77", "Arn"]}
//! assert!(arn.is_token());
//! ```
//!
//! ## Naming
//! - `AWS::<Service>::<Type>` → module `<service>` (lower case, like aws-cdk-lib's
//!   `aws_<service>`), class `Cfn<Type>`, props `Cfn<Type>Props`.
//! - Property types and enums of a resource live in the submodule `cfn_<type>`
//!   (aws-cdk-lib's `CfnBucket.VersioningConfigurationProperty` is
//!   `s3::cfn_bucket::VersioningConfigurationProperty`). Enums are named after their
//!   definition, or `<Owner><Property>` for a property of a property type
//!   (`VersioningConfigurationStatus`), or `<Property>` on the resource (`AccessControl`).
//! - Fields are the snake_case property names; required ones are plain fields, optional ones
//!   `Option`s. Strings are [`cdk_core::Str`], numbers [`cdk_core::Num`], booleans [`Bool`],
//!   string lists [`cdk_core::StrList`], free-form JSON [`cdk_core::Value`]; all accept tokens.
//!
//! ## Layout
//! `generated/` is written by `cargo run -p codegen -- generate` and never edited by hand.
//! Hand-written L2 modules may take a service's name: declare `pub mod s3;` here and
//! `pub use crate::generated::s3::*;` inside it to keep the L1s at `cdk_constructs::s3`.

#![warn(missing_docs)]

pub mod generated;

// Hand-written L2 constructs; each module also re-exports its service's L1 resources, and
// needs the features of the services it builds on (without them, the service's module holds
// its L1 resources only).
#[cfg(all(feature = "iam", feature = "lambda", feature = "apigateway"))]
pub mod apigateway;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "codebuild"
))]
pub mod codebuild;
#[cfg(all(feature = "iam", feature = "events", feature = "codecommit"))]
pub mod codecommit;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
pub mod codepipeline;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
pub mod codepipeline_actions;
#[cfg(all(feature = "iam", feature = "dynamodb"))]
pub mod dynamodb;
#[cfg(all(feature = "iam", feature = "events"))]
pub mod events;
#[cfg(feature = "iam")]
pub mod iam;
#[cfg(all(feature = "iam", feature = "kms"))]
pub mod kms;
#[cfg(all(feature = "iam", feature = "lambda"))]
pub mod lambda;
#[cfg(all(feature = "iam", feature = "kms", feature = "s3"))]
pub mod s3;

pub use generated::runtime::{Bool, CfnTag, Check, ToCfnValue};
#[allow(unused_imports)]
pub use generated::*;
