//! # cdk-constructs
//!
//! Typed CloudFormation resources (L1) generated from the CloudFormation resource schemas,
//! one module per service (`s3`, `lambda`, `iam`, ...), each behind the cargo feature of the
//! same name. The defaults cover IAM, KMS, S3, Lambda, API Gateway, CodeCommit, CodeBuild,
//! CodePipeline, Events, DynamoDB, Logs, SSM, SNS, SQS, CloudTrail and CloudFormation; enable
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

//! ## Writing your own construct
//!
//! A construct is a struct that holds its [`cdk_core::Node`], is created with
//! `new(scope, id, props)`, creates its children under its own node (their construct IDs
//! decide their logical IDs: the main resource is conventionally `Resource`), and exposes its
//! attributes as tokens. Implement [`cdk_core::IConstruct`] so it can be a scope and be
//! referenced:
//!
//! ```
//! use cdk_core::{App, IConstruct, Node, RemovalPolicy, Stack, StackProps, Str};
//! use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
//! use cdk_constructs::s3::{Bucket, BucketProps};
//!
//! /// Props of [`Thumbnailer`].
//! pub struct ThumbnailerProps {
//!     /// Keep the images when the stack is deleted.
//!     pub retain_images: bool,
//! }
//!
//! /// A bucket of images and a function allowed to read and write them.
//! pub struct Thumbnailer {
//!     node: Node,
//!     bucket: Bucket,
//! }
//!
//! impl Thumbnailer {
//!     pub fn new(scope: &impl IConstruct, id: &str, props: ThumbnailerProps) -> Self {
//!         let node = Node::new(scope, id);
//!         let bucket = Bucket::new(&node, "Images", BucketProps {
//!             removal_policy: Some(if props.retain_images { RemovalPolicy::Retain } else { RemovalPolicy::Destroy }),
//!             ..Default::default()
//!         });
//!         let mut function_props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => {};"));
//!         function_props.environment.insert("BUCKET".into(), bucket.bucket_name());
//!         let function = Function::new(&node, "Resize", function_props);
//!         bucket.grant_read_write(&function);
//!         // Checks run at synth and are reported with this construct's path.
//!         node.add_validation(|| Vec::new());
//!         Thumbnailer { node, bucket }
//!     }
//!
//!     /// The images bucket's name (a token).
//!     pub fn bucket_name(&self) -> Str {
//!         self.bucket.bucket_name()
//!     }
//! }
//!
//! impl IConstruct for Thumbnailer {
//!     fn node(&self) -> &Node {
//!         &self.node
//!     }
//! }
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Media", StackProps::default());
//! let thumbnails = Thumbnailer::new(&stack, "Thumbnails", ThumbnailerProps { retain_images: false });
//! assert_eq!(thumbnails.node().path(), "Media/Thumbnails");
//! // Its bucket's logical ID comes from the path: ThumbnailsImages + hash.
//! ```

#![warn(missing_docs)]

pub mod generated;

// Hand-written L2 constructs; each module also re-exports its service's L1 resources, and
// needs the features of the services it builds on (without them, the service's module holds
// its L1 resources only).
#[cfg(all(feature = "iam", feature = "lambda", feature = "apigateway"))]
pub mod apigateway;
#[cfg(feature = "certificatemanager")]
pub mod certificatemanager;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "logs",
    feature = "lambda",
    feature = "sns",
    feature = "sqs",
    feature = "cloudtrail"
))]
pub mod cloudtrail;
#[cfg(feature = "cloudwatch")]
pub mod cloudwatch;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codebuild"
))]
pub mod codebuild;
#[cfg(all(feature = "iam", feature = "events", feature = "codecommit"))]
pub mod codecommit;
#[cfg(all(
    feature = "iam",
    feature = "lambda",
    feature = "cloudwatch",
    feature = "codedeploy"
))]
pub mod codedeploy;
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
    feature = "codepipeline",
    feature = "lambda",
    feature = "sns"
))]
pub mod codepipeline_actions;
pub mod custom_resource_provider;
#[cfg(all(feature = "iam", feature = "lambda"))]
pub mod custom_resources;
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
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "sns",
    feature = "sqs",
    feature = "lambda",
    feature = "dynamodb"
))]
pub mod lambda_event_sources;
#[cfg(all(feature = "iam", feature = "kms", feature = "logs"))]
pub mod logs;
pub mod pipelines;
#[cfg(all(feature = "iam", feature = "kms", feature = "events", feature = "s3"))]
pub mod s3;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "events",
    feature = "s3",
    feature = "lambda",
    feature = "sns",
    feature = "sqs"
))]
pub mod s3_notifications;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "events",
    feature = "lambda",
    feature = "secretsmanager"
))]
pub mod secretsmanager;
#[cfg(all(feature = "iam", feature = "kms", feature = "sns", feature = "sqs"))]
pub mod sns;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "sns",
    feature = "sqs",
    feature = "lambda"
))]
pub mod sns_subscriptions;
#[cfg(all(feature = "iam", feature = "kms", feature = "sqs"))]
pub mod sqs;
#[cfg(all(feature = "iam", feature = "kms", feature = "ssm"))]
pub mod ssm;

pub use generated::runtime::{Bool, CfnTag, Check, ToCfnValue};
#[allow(unused_imports)]
pub use generated::*;

/// The workspace README's examples, compiled as doctests so they cannot rot (they use
/// cdk-core and cdk-constructs; the first app is also `examples/first-app`, run by its tests).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
