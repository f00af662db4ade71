//! The CDK pipeline example (issue 16 §3): the seed application — a Lambda function behind an
//! API Gateway REST API — deployed by a self-mutating pipeline built with
//! [`cdk_constructs::pipelines`], to a dev stage in the tools account and, after a manual
//! approval, to a prod stage in a second account.
//!
//! The construct tree is the one of `tests/reference-apps/cdk-pipeline/app.js` (aws-cdk-lib
//! 2.276.0), with the same IDs, so the templates can be compared:
//!
//! - stack `PipelineStack` (tools account `111111111111`, `us-east-1`) with the CodeCommit
//!   repository `CodeCommitRepo` (`repo-111111111111`) and the [`CodePipeline`] `Pipeline`
//!   (`CrossAccountPipeline`, cross-account keys; synth: [`ShellStep`] `Synth` on the `main`
//!   branch, installing rcdk and running `rcdk synth` in `examples/cdk-pipeline`);
//! - stage `Dev` (tools account, stage name `dev`) and stage `Prod` (`222222222222`, `prod`),
//!   each with the stack `Application`: the function `Lambda` (Node.js 24, `index.handler`, the
//!   `lambda/` directory as an asset, `STAGE_NAME`) behind the `LambdaRestApi`
//!   `HelloLambdaRestApi` (deployed to a stage named after the stage);
//! - the pipeline deploys `Dev`, then `Prod` after the approval `PromoteToProd`.

#![warn(missing_docs)]

use std::path::PathBuf;

use cdk_constructs::apigateway::{
    LambdaRestApi, LambdaRestApiProps, StageOptions, LEGACY_LAMBDA_PERMISSION_IDS,
};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::pipelines::{
    AddStageOpts, CodeCommitSourceOptions, CodePipeline, CodePipelineProps, CodePipelineSource,
    ManualApprovalStep, ManualApprovalStepProps, ShellStep, ShellStepProps,
};
use cdk_core::{App, Environment, IConstruct, Stack, StackProps, Stage, StageProps, Str};

/// The tools account: the pipeline, the repository and the dev stage.
pub const TOOLS_ACCOUNT: &str = "111111111111";
/// The prod account.
pub const PROD_ACCOUNT: &str = "222222222222";
/// The region of every stack.
pub const REGION: &str = "us-east-1";
/// ID (and name) of the pipeline's stack.
pub const PIPELINE_STACK: &str = "PipelineStack";
/// The pipeline's name.
pub const PIPELINE_NAME: &str = "CrossAccountPipeline";

/// The function's code: the example's `lambda/` directory.
pub fn lambda_code_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lambda")
}

/// The commands of the synth step's install phase: Rust (with rustup) and rcdk from the
/// repository (this rcdk workspace, or a fork of it).
pub fn synth_install_commands() -> Vec<String> {
    vec![
        "curl --proto =https --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal"
            .into(),
        ". \"$HOME/.cargo/env\"".into(),
        "cargo install --locked --path cdk-cli".into(),
    ]
}

/// Defines the application stack `Application` of a stage: the function and its API.
pub fn application(stage: &Stage, stage_name: &str) -> Stack {
    let stack = Stack::new(stage, "Application", StackProps::default());
    let mut props = FunctionProps::new(
        Runtime::Nodejs24X,
        "index.handler",
        Code::from_asset(lambda_code_dir()),
    );
    props
        .environment
        .insert("STAGE_NAME".into(), Str::from(stage_name));
    let function = Function::new(&stack, "Lambda", props);
    LambdaRestApi::new(
        &stack,
        "HelloLambdaRestApi",
        LambdaRestApiProps {
            description: Some(format!("Hello API of the {stage_name} stage")),
            deploy_options: Some(StageOptions {
                stage_name: Some(stage_name.to_string()),
                ..Default::default()
            }),
            ..LambdaRestApiProps::new(&function)
        },
    );
    stack
}

/// A stage `id` named `stage_name` in `env`, holding the application.
pub fn app_stage(scope: &impl IConstruct, id: &str, stage_name: &str, env: Environment) -> Stage {
    let stage = Stage::new(
        scope,
        id,
        StageProps {
            env: Some(env),
            stage_name: Some(stage_name.to_string()),
            ..Default::default()
        },
    );
    application(&stage, stage_name);
    stage
}

/// What [`build`] made.
pub struct PipelineApp {
    /// The pipeline's stack.
    pub stack: Stack,
    /// The pipeline.
    pub pipeline: CodePipeline,
    /// The dev stage.
    pub dev: Stage,
    /// The prod stage.
    pub prod: Stage,
}

/// Defines the example's tree in `app` (tools account [`TOOLS_ACCOUNT`], prod account
/// [`PROD_ACCOUNT`]).
pub fn build(app: &App) -> PipelineApp {
    build_for(app, TOOLS_ACCOUNT, PROD_ACCOUNT)
}

/// Defines the example's tree in `app` with these accounts (the end-to-end tests deploy it to
/// the local endpoint's accounts).
pub fn build_for(app: &App, tools_account: &str, prod_account: &str) -> PipelineApp {
    // aws-cdk-lib 2.276.0's Lambda permission IDs, as the reference build has them (a
    // 2.276-era app moving to rcdk keeps its permissions); cdk.json sets it too.
    if app
        .node()
        .try_get_context(LEGACY_LAMBDA_PERMISSION_IDS)
        .is_none()
    {
        app.node().set_context(LEGACY_LAMBDA_PERMISSION_IDS, true);
    }
    let tools = Environment::new(tools_account, REGION);
    let stack = Stack::new(
        app,
        PIPELINE_STACK,
        StackProps {
            env: Some(tools.clone()),
            ..Default::default()
        },
    );
    let repo = Repository::new(
        &stack,
        "CodeCommitRepo",
        RepositoryProps {
            repository_name: format!("repo-{tools_account}"),
            ..Default::default()
        },
    );
    let synth = ShellStep::new(
        "Synth",
        ShellStepProps {
            input: Some(CodePipelineSource::code_commit(
                &repo,
                "main",
                CodeCommitSourceOptions::default(),
            )),
            install_commands: synth_install_commands(),
            commands: vec!["cd examples/cdk-pipeline".into(), "rcdk synth".into()],
            primary_output_directory: Some("examples/cdk-pipeline/cdk.out".into()),
            ..Default::default()
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            pipeline_name: Some(PIPELINE_NAME.into()),
            cross_account_keys: Some(true),
            ..CodePipelineProps::new(synth)
        },
    );
    let dev = app_stage(&stack, "Dev", "dev", tools);
    pipeline.add_stage(&dev, AddStageOpts::default());
    let prod = app_stage(
        &stack,
        "Prod",
        "prod",
        Environment::new(prod_account, REGION),
    );
    pipeline.add_stage(
        &prod,
        AddStageOpts {
            pre: vec![ManualApprovalStep::new(
                "PromoteToProd",
                ManualApprovalStepProps::default(),
            )],
            ..Default::default()
        },
    );
    PipelineApp {
        stack,
        pipeline,
        dev,
        prod,
    }
}
