//! Context lookups write the manifest's `missing` entries exactly as aws-cdk-lib 2.276 does for
//! the same app (`ssm.StringParameter.valueFromLookup` with and without a default,
//! `stack.availabilityZones`), and read looked-up values back from the context.

use cdk_core::context_provider::{ContextProvider, GetContextValueOptions};
use cdk_core::{App, AppProps, CfnResource, CfnResourceProps, Environment, Stack, StackProps};
use serde_json::json;

fn lookups_stack(app: &App) -> Stack {
    let stack = Stack::new(
        app,
        "Lookups",
        StackProps {
            env: Some(Environment::new("111111111111", "eu-west-1")),
            ..Default::default()
        },
    );
    // CloudFormation refuses a stack without resources.
    CfnResource::new(
        &stack,
        "Handle",
        CfnResourceProps {
            resource_type: "AWS::CloudFormation::WaitConditionHandle".into(),
            properties: cdk_core::ValueMap::new(),
        },
    );
    stack
}

fn ssm(stack: &Stack, name: &str, default: Option<&str>) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    props.insert("parameterName".into(), name.into());
    ContextProvider::get_value(
        stack,
        GetContextValueOptions {
            provider: "ssm".into(),
            props,
            dummy_value: default
                .map(str::to_string)
                .unwrap_or_else(|| format!("dummy-value-for-{name}"))
                .into(),
            must_exist: Some(default.is_none()),
            ..Default::default()
        },
    )
}

/// What `node app.js` with aws-cdk-lib 2.276.0 writes for the same three lookups.
fn aws_cdk_lib_missing() -> serde_json::Value {
    let role = "arn:${AWS::Partition}:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-eu-west-1";
    json!([
        {"key": "ssm:account=111111111111:parameterName=/app/version:region=eu-west-1",
         "provider": "ssm",
         "props": {"dummyValue": "dummy-value-for-/app/version", "ignoreErrorOnMissingContext": false,
                   "account": "111111111111", "region": "eu-west-1", "parameterName": "/app/version",
                   "lookupRoleArn": role}},
        {"key": "ssm:account=111111111111:parameterName=/app$:with$colon:region=eu-west-1",
         "provider": "ssm",
         "props": {"dummyValue": "fallback", "ignoreErrorOnMissingContext": true,
                   "account": "111111111111", "region": "eu-west-1", "parameterName": "/app:with$colon",
                   "lookupRoleArn": role}},
        {"key": "availability-zones:account=111111111111:region=eu-west-1",
         "provider": "availability-zones",
         "props": {"dummyValue": ["dummy1a", "dummy1b", "dummy1c"],
                   "account": "111111111111", "region": "eu-west-1", "lookupRoleArn": role}}
    ])
}

#[test]
fn missing_entries_match_aws_cdk_lib() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let stack = lookups_stack(&app);
    assert_eq!(
        ssm(&stack, "/app/version", None),
        "dummy-value-for-/app/version"
    );
    assert_eq!(ssm(&stack, "/app:with$colon", Some("fallback")), "fallback");
    let azs = stack.availability_zones();
    assert_eq!(azs.len(), 3);
    app.synth().unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["missing"], aws_cdk_lib_missing());
    // Key order inside props is aws-cdk-lib's too.
    let keys: Vec<&String> = manifest["missing"][0]["props"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "dummyValue",
            "ignoreErrorOnMissingContext",
            "account",
            "region",
            "parameterName",
            "lookupRoleArn"
        ]
    );
}

#[test]
fn looked_up_values_come_from_the_context() {
    let dir = tempfile::tempdir().unwrap();
    let mut context = std::collections::BTreeMap::new();
    context.insert(
        "ssm:account=111111111111:parameterName=/app/version:region=eu-west-1".to_string(),
        json!("1.2.3"),
    );
    context.insert(
        "availability-zones:account=111111111111:region=eu-west-1".to_string(),
        json!(["eu-west-1a", "eu-west-1b"]),
    );
    let app = App::with_props(AppProps {
        outdir: Some(dir.path().to_path_buf()),
        context,
    });
    let stack = lookups_stack(&app);
    assert_eq!(ssm(&stack, "/app/version", None), "1.2.3");
    let azs: Vec<String> = stack
        .availability_zones()
        .iter()
        .map(|z| z.literal().unwrap().to_string())
        .collect();
    assert_eq!(azs, ["eu-west-1a", "eu-west-1b"]);
    app.synth().unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(!manifest.contains("\"missing\""), "{manifest}");
}

#[test]
fn a_provider_error_is_a_synth_error_and_agnostic_stacks_cannot_look_up() {
    let mut context = std::collections::BTreeMap::new();
    context.insert(
        "ssm:account=111111111111:parameterName=/nope:region=eu-west-1".to_string(),
        json!({"$providerError": "SSM parameter not available", "$dontSaveContext": true}),
    );
    let app = App::with_props(AppProps {
        outdir: Some(tempfile::tempdir().unwrap().path().to_path_buf()),
        context,
    });
    let stack = lookups_stack(&app);
    ssm(&stack, "/nope", None);
    let agnostic = Stack::new(&app, "Agnostic", StackProps::default());
    ssm(&agnostic, "/x", None);
    // Environment-agnostic stacks get the first two zones of Fn::GetAZs.
    assert_eq!(agnostic.availability_zones().len(), 2);
    let err = app.synth().unwrap_err().to_string();
    assert!(err.contains("SSM parameter not available"), "{err}");
    assert!(err.contains("account/region are not specified"), "{err}");
}
