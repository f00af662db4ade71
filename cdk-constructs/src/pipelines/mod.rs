//! CDK Pipelines (aws-cdk-lib's `pipelines`): a self-mutating pipeline deploying stages of
//! stacks through the bootstrap roles of their accounts.
//!
//! - [`CodePipeline`] (the construct; see its module [`codepipeline`] for what it generates and
//!   how it differs from aws-cdk-lib), with [`CodePipeline::add_stage`] (pre/post and stack
//!   steps) and [`CodePipeline::add_wave`];
//! - the steps ([`steps`]): [`ShellStep`], [`CodeBuildStep`], [`ManualApprovalStep`] and the
//!   sources [`CodePipelineSource::code_commit`], [`CodePipelineSource::s3`],
//!   [`CodePipelineSource::connection`], [`CodePipelineSource::git_hub`];
//! - a Rust-aware synth cache: [`CodeBuildCache::cargo`] (cargo's registry, git checkouts,
//!   binaries, the toolchain and `target/`, in S3 or on the build host);
//! - the ordering engine ([`graph`]): from a [`graph::Blueprint`] it plans the stages and
//!   actions with aws-cdk-lib's names and run orders; and [`deployment`], the stacks of a stage
//!   read from a synthesized nested assembly (aws-cdk-lib's `StackDeployment.fromArtifact`).
//!
//! The asset actions run `rcdk publish-assets --path MANIFEST SELECTOR`, the self-mutation
//! `rcdk deploy` of the pipeline stack from the synthesized assembly.
//!
//! ```
//! use cdk_constructs::codecommit::{Repository, RepositoryProps};
//! use cdk_constructs::pipelines::*;
//! use cdk_core::{App, CfnResource, CfnResourceProps, Environment, Stack, StackProps, Stage, StageProps};
//!
//! let app = App::new();
//! let tools = Stack::new(&app, "PipelineStack", StackProps {
//!     env: Some(Environment::new("111111111111", "us-east-1")),
//!     ..Default::default()
//! });
//! let repo = Repository::new(&tools, "Repo", RepositoryProps { repository_name: "app".into(), ..Default::default() });
//! let synth = ShellStep::new("Synth", ShellStepProps {
//!     input: Some(CodePipelineSource::code_commit(&repo, "main", Default::default())),
//!     commands: vec!["rcdk synth".into()],
//!     primary_output_directory: Some("cdk.out".into()),
//!     ..Default::default()
//! });
//! let pipeline = CodePipeline::new(&tools, "Pipeline", CodePipelineProps {
//!     cross_account_keys: Some(true), // the Prod stage is in another account
//!     ..CodePipelineProps::new(synth)
//! });
//! let prod = Stage::new(&tools, "Prod", StageProps {
//!     env: Some(Environment::new("222222222222", "us-east-1")),
//!     ..Default::default()
//! });
//! let app_stack = Stack::new(&prod, "Service", StackProps::default());
//! CfnResource::new(&app_stack, "Topic", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), ..Default::default() });
//! pipeline.add_stage(&prod, AddStageOpts {
//!     pre: vec![ManualApprovalStep::new("Approve", Default::default())],
//!     ..Default::default()
//! });
//! app.synth_in_memory().unwrap();
//! assert_eq!(
//!     pipeline.pipeline().stage_names(),
//!     ["Source", "Build", "UpdatePipeline", "Prod"]
//! );
//! // Beside a pre step, the stack's actions are named by the stack.
//! assert_eq!(
//!     pipeline.pipeline().action_names("Prod"),
//!     ["Approve", "Service.Prepare", "Service.Deploy"]
//! );
//! ```

#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline",
    feature = "lambda",
    feature = "sns",
    feature = "secretsmanager"
))]
pub mod codepipeline;
pub mod deployment;
pub mod graph;
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline",
    feature = "lambda",
    feature = "sns",
    feature = "secretsmanager"
))]
pub mod steps;

#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline",
    feature = "lambda",
    feature = "sns",
    feature = "secretsmanager"
))]
pub use codepipeline::{
    AddStageOpts, CacheLocation, CodeBuildCache, CodeBuildOptions, CodePipeline, CodePipelineProps,
    StackSteps, Wave, WaveOpts, CARGO_CACHE_PATHS,
};
#[cfg(all(
    feature = "iam",
    feature = "kms",
    feature = "s3",
    feature = "events",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline",
    feature = "lambda",
    feature = "sns",
    feature = "secretsmanager"
))]
pub use steps::{
    CodeBuildStep, CodeBuildStepProps, CodeCommitSourceOptions, CodePipelineSource,
    ConnectionSourceOptions, GitHubSourceOptions, ManualApprovalStep, ManualApprovalStepProps,
    S3SourceOptions, ShellStep, ShellStepProps, StackOutputReference, Step,
};
