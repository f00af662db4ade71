//! A small multi-stack app: a storage stack with a bucket and a table, and an application stack
//! in the same environment that reads their names through cross-stack references.
//!
//! Run with `cargo run -p multi-stack-example` (writes `cdk.out`, or `$CDK_OUTDIR`).

use cdk_core::{
    App, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps, CfnResource, CfnResourceProps,
    Environment, RemovalPolicy, Stack, StackProps, Str, TagType, Tags, Value,
};

fn build(app: &App) {
    let env = Environment::new(
        app_context(app, "account", "111111111111"),
        app_context(app, "region", "us-east-1"),
    );
    let storage = Stack::new(
        app,
        "StorageStack",
        StackProps {
            env: Some(env.clone()),
            description: Some("Buckets and tables of the multi-stack example".into()),
            ..Default::default()
        },
    );
    let bucket = CfnResource::new(
        &storage,
        "DataBucket",
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            properties: [(
                "VersioningConfiguration".to_string(),
                Value::object([("Status", "Enabled")]),
            )]
            .into(),
        },
    );
    bucket.enable_tags(TagType::Standard, "Tags");
    bucket.apply_removal_policy(RemovalPolicy::Retain);
    let table = CfnResource::new(
        &storage,
        "Table",
        CfnResourceProps {
            resource_type: "AWS::DynamoDB::Table".into(),
            properties: [
                (
                    "KeySchema".to_string(),
                    Value::list([Value::object([
                        ("AttributeName", "id"),
                        ("KeyType", "HASH"),
                    ])]),
                ),
                (
                    "AttributeDefinitions".to_string(),
                    Value::list([Value::object([
                        ("AttributeName", "id"),
                        ("AttributeType", "S"),
                    ])]),
                ),
                ("BillingMode".to_string(), Value::from("PAY_PER_REQUEST")),
            ]
            .into(),
        },
    );
    table.enable_tags(TagType::Standard, "Tags");

    let application = Stack::new(
        app,
        "ApplicationStack",
        StackProps {
            env: Some(env),
            ..Default::default()
        },
    );
    let stage = CfnParameter::new(
        &application,
        "Stage",
        CfnParameterProps {
            default: Some("dev".into()),
            allowed_values: vec!["dev".into(), "prod".into()],
            ..Default::default()
        },
    );
    let config = CfnResource::new(
        &application,
        "ConfigParameter",
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: [
                (
                    "Name".to_string(),
                    Value::from(Str::from("/app/") + stage.value_as_string() + "/table"),
                ),
                ("Type".to_string(), Value::from("String")),
                ("Value".to_string(), table.ref_().into()),
            ]
            .into(),
        },
    );
    config.enable_tags(TagType::Map, "Tags");
    CfnOutput::new(
        &application,
        "BucketArn",
        CfnOutputProps {
            value: bucket.get_att("Arn"),
            description: Some("ARN of the data bucket (imported from StorageStack)".into()),
            ..Default::default()
        },
    );
    Tags::of(app).add("project", "rcdk-multi-stack");
}

fn app_context(app: &App, key: &str, default: &str) -> String {
    use cdk_core::IConstruct;
    app.node()
        .try_get_context_str(key)
        .unwrap_or_else(|| default.to_string())
}

fn main() {
    let app = App::new();
    build(&app);
    app.synth_or_exit();
}
