//! A one-function app for the hotswap and watch tests, and a look at the function through the
//! Lambda API.
#![allow(dead_code)]

use std::path::Path;

use cdk_cli::aws::signed_http::{encode, SignedClient, LAMBDA};
use cdk_core::{
    App, AppProps, Asset, AssetProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps,
    Environment, Stack, StackProps, Value,
};

use super::moto::{ACCOUNT, REGION};

/// The app: one stack with a role, a Lambda function whose code is a directory asset, and a
/// bucket. `version` changes the code and an environment variable; `memory` the function's
/// memory size (not hotswappable).
pub fn synth(work: &Path, outdir: &Path, version: &str, memory: u32) {
    let code_dir = work.join(format!("handler-{version}"));
    std::fs::create_dir_all(&code_dir).unwrap();
    std::fs::write(
        code_dir.join("index.py"),
        format!("def handler(event, context):\n    return {{'version': '{version}'}}\n"),
    )
    .unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(outdir.to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(
        &app,
        "Hot",
        StackProps {
            env: Some(Environment::new(ACCOUNT, REGION)),
            ..Default::default()
        },
    );
    let role = CfnResource::new(
        &stack,
        "Role",
        CfnResourceProps {
            resource_type: "AWS::IAM::Role".into(),
            properties: [(
                "AssumeRolePolicyDocument".to_string(),
                Value::object([
                    ("Version", Value::from("2012-10-17")),
                    (
                        "Statement",
                        Value::list([Value::object([
                            ("Effect", Value::from("Allow")),
                            ("Action", Value::from("sts:AssumeRole")),
                            (
                                "Principal",
                                Value::object([("Service", "lambda.amazonaws.com")]),
                            ),
                        ])]),
                    ),
                ]),
            )]
            .into(),
        },
    );
    let code = Asset::new(
        &stack,
        "Code",
        AssetProps {
            path: code_dir,
            ..Default::default()
        },
    );
    let function = CfnResource::new(
        &stack,
        "Handler",
        CfnResourceProps {
            resource_type: "AWS::Lambda::Function".into(),
            properties: [
                (
                    "Code".to_string(),
                    Value::object([
                        ("S3Bucket", code.bucket_name()),
                        ("S3Key", code.object_key()),
                    ]),
                ),
                ("Handler".to_string(), Value::from("index.handler")),
                ("Runtime".to_string(), Value::from("python3.12")),
                ("MemorySize".to_string(), Value::from(memory as f64)),
                ("Role".to_string(), Value::from(role.get_att("Arn"))),
                (
                    "Environment".to_string(),
                    Value::object([("Variables", Value::object([("VERSION", version)]))]),
                ),
            ]
            .into(),
        },
    );
    code.add_resource_metadata(&function, "Code");
    CfnOutput::new(
        &stack,
        "FunctionName",
        CfnOutputProps {
            value: function.ref_(),
            ..Default::default()
        },
    );
    app.synth().expect("the test app synthesizes");
}

/// Lambda GetFunctionConfiguration through a signed request.
pub fn function_configuration(name: &str) -> serde_json::Value {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = runtime.block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(cdk_cli::aws::signed_http::https_client())
            .region(aws_config::Region::new(REGION))
            .load(),
    );
    let http = SignedClient::new(&config, REGION).unwrap();
    let answer = runtime
        .block_on(http.send(
            LAMBDA,
            "GET",
            &format!("/2015-03-31/functions/{}/configuration", encode(name)),
            &[],
            "",
        ))
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}
