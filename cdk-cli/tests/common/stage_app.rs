//! An rcdk app with stages, built with cdk-core for the CLI's stage tests: a top-level stack
//! `PipelineStack` holding stages `Dev` (stage name `dev`) and `Prod` (`prod`), each with stacks
//! `Application` (an SSM parameter naming a file asset's object key, an SNS topic) and
//! `Consumer` (an SSM parameter holding the topic's ARN: a cross-stack reference inside the
//! stage, so `Consumer` depends on `Application`).
#![allow(dead_code)]

use std::path::Path;

use cdk_core::{
    App, AppProps, Asset, AssetProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps,
    Environment, IConstruct, Stack, StackProps, Stage, StageProps, Value,
};

/// The region of every stack.
pub const REGION: &str = "us-east-1";

/// What `rcdk ls` (and `cdk ls`) list for the app, in order.
pub const LISTED: &str = "PipelineStack
PipelineStack/Dev/Application (dev-Application)
PipelineStack/Dev/Consumer (dev-Consumer)
PipelineStack/Prod/Application (prod-Application)
PipelineStack/Prod/Consumer (prod-Consumer)
";

fn parameter(
    scope: &impl IConstruct,
    id: &str,
    name: &str,
    value: impl Into<Value>,
) -> CfnResource {
    CfnResource::new(
        scope,
        id,
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: [
                ("Name".to_string(), Value::from(name)),
                ("Type".to_string(), Value::from("String")),
                ("Value".to_string(), value.into()),
            ]
            .into(),
        },
    )
}

/// App properties as the CLI runs an app: `outdir`, and the context the cdk CLI (and rcdk)
/// passes (construct paths and asset paths in the templates' metadata).
fn cli_props(outdir: &Path) -> AppProps {
    AppProps {
        outdir: Some(outdir.to_path_buf()),
        context: [
            ("aws:cdk:enable-path-metadata".to_string(), true.into()),
            ("aws:cdk:enable-asset-metadata".to_string(), true.into()),
        ]
        .into(),
    }
}

/// One application stage under `scope`.
fn application_stage(
    scope: &impl IConstruct,
    id: &str,
    stage_name: &str,
    account: &str,
    asset_dir: &Path,
    version: &str,
) -> Stage {
    let stage = Stage::new(
        scope,
        id,
        StageProps {
            env: Some(Environment::new(account, REGION)),
            stage_name: Some(stage_name.into()),
            ..Default::default()
        },
    );
    let application = Stack::new(&stage, "Application", StackProps::default());
    let code = Asset::new(
        &application,
        "Code",
        AssetProps {
            path: asset_dir.to_path_buf(),
            ..Default::default()
        },
    );
    let code_parameter = parameter(
        &application,
        "CodeKey",
        &format!("/rcdk-e2e/{stage_name}/code"),
        code.object_key(),
    );
    code.add_resource_metadata(&code_parameter, "Value");
    let topic = CfnResource::new(
        &application,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            properties: [(
                "Tags".to_string(),
                Value::list([Value::object([("Key", "version"), ("Value", version)])]),
            )]
            .into(),
        },
    );
    let consumer = Stack::new(&stage, "Consumer", StackProps::default());
    let topic_parameter = parameter(
        &consumer,
        "TopicArn",
        &format!("/rcdk-e2e/{stage_name}/topic"),
        topic.ref_(),
    );
    CfnOutput::new(
        &consumer,
        "TopicParameter",
        CfnOutputProps {
            value: topic_parameter.ref_(),
            ..Default::default()
        },
    );
    stage
}

/// Synthesizes the app into `outdir`: `PipelineStack` in `tools_account`, stage `Dev` in
/// `tools_account`, stage `Prod` in `prod_account`. `version` is a tag of the topics (to
/// change a deployed stack). The asset's content is written below `work`.
pub fn synth(work: &Path, outdir: &Path, tools_account: &str, prod_account: &str, version: &str) {
    let asset_dir = work.join("stage-asset");
    std::fs::create_dir_all(&asset_dir).unwrap();
    std::fs::write(
        asset_dir.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    let app = App::with_props(cli_props(outdir));
    let pipeline = Stack::new(
        &app,
        "PipelineStack",
        StackProps {
            env: Some(Environment::new(tools_account, REGION)),
            ..Default::default()
        },
    );
    parameter(&pipeline, "Marker", "/rcdk-e2e/pipeline", "pipeline");
    application_stage(&pipeline, "Dev", "dev", tools_account, &asset_dir, version);
    application_stage(&pipeline, "Prod", "prod", prod_account, &asset_dir, version);
    app.synth().expect("the stage app synthesizes");
}

/// Synthesizes an app of stages only (no stack outside a stage) into `outdir`: stages `Dev`
/// and `Prod` directly under the app.
pub fn synth_stages_only(work: &Path, outdir: &Path, account: &str) {
    let asset_dir = work.join("stage-asset");
    std::fs::create_dir_all(&asset_dir).unwrap();
    std::fs::write(
        asset_dir.join("index.py"),
        "def handler(event, context):\n    return 1\n",
    )
    .unwrap();
    let app = App::with_props(cli_props(outdir));
    application_stage(&app, "Dev", "dev", account, &asset_dir, "v1");
    application_stage(&app, "Prod", "prod", account, &asset_dir, "v1");
    app.synth().expect("the stages-only app synthesizes");
}
