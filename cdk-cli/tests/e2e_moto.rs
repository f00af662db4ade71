//! End to end against a local AWS endpoint: `../shared/tools/moto-server` (moto 5.2.1 with fixes
//! for its change-set gaps) on a free loopback port. The test app is synthesized with cdk-core
//! into temporary assembly directories and deployed with the `rcdk` binary (`--app DIR`).
//!
//! Without moto installed the test prints a skip notice, unless `CI` is set (then it fails).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::moto::{
    cross_account_home, moto_or_skip, ok, rcdk, ACCOUNT, COMMAND_TIMEOUT, REGION, SECOND_ACCOUNT,
};

use cdk_cli::aws::sdk::SdkProvider;
use cdk_cli::aws::AwsProvider;
use cdk_core::{
    App, AppProps, Asset, AssetProps, CfnOutput, CfnOutputProps, CfnResource, CfnResourceProps,
    Environment, Stack, StackProps, Value,
};

const MAIN_ACCOUNT: &str = ACCOUNT;
const OTHER_ACCOUNT: &str = SECOND_ACCOUNT;
/// Synthesizes the test app into `outdir`. `version` changes the bucket's `stage` tag; `broken`
/// adds a stack whose Lambda function names a role that does not exist.
fn synth_app(work: &Path, outdir: &Path, version: &str) {
    let code_dir = work.join("handler");
    std::fs::create_dir_all(&code_dir).unwrap();
    std::fs::write(
        code_dir.join("index.py"),
        "def handler(event, context):\n    return {'ok': True}\n",
    )
    .unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(outdir.to_path_buf()),
        ..Default::default()
    });
    let env = Environment::new(MAIN_ACCOUNT, REGION);
    let storage = Stack::new(
        &app,
        "Storage",
        StackProps {
            env: Some(env.clone()),
            ..Default::default()
        },
    );
    let bucket = CfnResource::new(
        &storage,
        "Bucket",
        CfnResourceProps {
            resource_type: "AWS::S3::Bucket".into(),
            properties: [(
                "Tags".to_string(),
                Value::list([Value::object([("Key", "stage"), ("Value", version)])]),
            )]
            .into(),
        },
    );
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
    CfnOutput::new(
        &storage,
        "BucketName",
        CfnOutputProps {
            value: bucket.ref_(),
            ..Default::default()
        },
    );

    let service = Stack::new(
        &app,
        "Service",
        StackProps {
            env: Some(env.clone()),
            ..Default::default()
        },
    );
    let role = CfnResource::new(
        &service,
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
        &service,
        "Code",
        AssetProps {
            path: code_dir.clone(),
            ..Default::default()
        },
    );
    let function = CfnResource::new(
        &service,
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
                ("Role".to_string(), Value::from(role.get_att("Arn"))),
                (
                    "Environment".to_string(),
                    Value::object([(
                        "Variables",
                        Value::object([("TABLE", Value::from(table.ref_()))]),
                    )]),
                ),
            ]
            .into(),
        },
    );
    code.add_resource_metadata(&function, "Code");
    CfnOutput::new(
        &service,
        "TableName",
        CfnOutputProps {
            value: table.ref_(),
            ..Default::default()
        },
    );
    CfnOutput::new(
        &service,
        "FunctionName",
        CfnOutputProps {
            value: function.ref_(),
            ..Default::default()
        },
    );

    let broken = Stack::new(
        &app,
        "Broken",
        StackProps {
            env: Some(env),
            ..Default::default()
        },
    );
    CfnResource::new(
        &broken,
        "Orphan",
        CfnResourceProps {
            resource_type: "AWS::Lambda::Function".into(),
            properties: [
                (
                    "Code".to_string(),
                    Value::object([("ZipFile", "def handler(e, c): return 1")]),
                ),
                ("Handler".to_string(), Value::from("index.handler")),
                ("Runtime".to_string(), Value::from("python3.12")),
                (
                    "Role".to_string(),
                    Value::from(format!("arn:aws:iam::{MAIN_ACCOUNT}:role/no-such-role")),
                ),
            ]
            .into(),
        },
    );

    let remote = Stack::new(
        &app,
        "Remote",
        StackProps {
            env: Some(Environment::new(OTHER_ACCOUNT, REGION)),
            ..Default::default()
        },
    );
    let param = CfnResource::new(
        &remote,
        "Setting",
        CfnResourceProps {
            resource_type: "AWS::SSM::Parameter".into(),
            properties: [
                ("Name".to_string(), Value::from("/rcdk-e2e/remote")),
                ("Type".to_string(), Value::from("String")),
                ("Value".to_string(), Value::from(version)),
            ]
            .into(),
        },
    );
    CfnOutput::new(
        &remote,
        "SettingName",
        CfnOutputProps {
            value: param.ref_(),
            ..Default::default()
        },
    );
    app.synth().expect("the test app synthesizes");
}

fn role_arn(account: &str, kind: &str) -> String {
    format!("arn:aws:iam::{account}:role/cdk-hnb659fds-{kind}-{account}-{REGION}")
}

#[test]
fn bootstrap_deploy_update_fail_cross_account_destroy() {
    let started = Instant::now();
    let Some(moto) = moto_or_skip("end-to-end test against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    // A profile that acts in the other account by assuming a role there (the standard chain's
    // assume-role profiles), used to bootstrap that account.
    cross_account_home(&moto, work.path(), "other", OTHER_ACCOUNT);
    let v1 = work.path().join("v1.out");
    let v2 = work.path().join("v2.out");
    synth_app(work.path(), &v1, "v1");
    synth_app(work.path(), &v2, "v2");
    let (v1s, v2s) = (v1.to_str().unwrap(), v2.to_str().unwrap());
    let cwd = work.path();

    // Bootstrap this account, and the other one trusting this one.
    let r = ok(rcdk(
        cwd,
        &["bootstrap", &format!("aws://{MAIN_ACCOUNT}/{REGION}")],
    ));
    assert!(r.err.contains("bootstrapped"), "{}", r.err);
    let r = rcdk(
        cwd,
        &[
            "bootstrap",
            "--profile",
            "other",
            &format!("aws://{OTHER_ACCOUNT}/{REGION}"),
            "--trust",
            MAIN_ACCOUNT,
        ],
    );
    assert_ne!(r.code, 0);
    assert!(
        r.err
            .contains("--trust needs explicit --cloudformation-execution-policies"),
        "{}",
        r.err
    );
    let other_env = assert_cmd::Command::cargo_bin("rcdk")
        .unwrap()
        .current_dir(cwd)
        .args([
            "bootstrap",
            "--profile",
            "other",
            &format!("aws://{OTHER_ACCOUNT}/{REGION}"),
            "--trust",
            MAIN_ACCOUNT,
            "--cloudformation-execution-policies",
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ])
        .timeout(COMMAND_TIMEOUT)
        .output()
        .unwrap();
    assert!(
        other_env.status.success(),
        "{}",
        String::from_utf8_lossy(&other_env.stderr)
    );

    // Deploy the two-stack app.
    let outputs_file = work.path().join("outputs.json");
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1s,
            "Service",
            "--require-approval",
            "never",
            "--outputs-file",
            outputs_file.to_str().unwrap(),
        ],
    ));
    let storage_at = r.err.find("Storage: deploying").expect("Storage deployed");
    let service_at = r.err.find("Service: deploying").expect("Service deployed");
    assert!(storage_at < service_at, "dependency order:\n{}", r.err);
    assert!(r.err.contains("Service: published asset Code"), "{}", r.err);
    assert!(r.out.contains("Service.FunctionName = "), "{}", r.out);
    let outputs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs_file).unwrap()).unwrap();
    let table_name = outputs["Service"]["TableName"]
        .as_str()
        .expect("TableName output")
        .to_string();
    let bucket_name = outputs["Storage"]["BucketName"]
        .as_str()
        .expect("BucketName output")
        .to_string();
    assert!(!table_name.is_empty() && !bucket_name.is_empty());

    // Check through the service APIs: outputs, the exported table name and the asset object.
    let provider = SdkProvider::new(None).unwrap();
    let main = provider.clients(REGION, None).unwrap();
    let service = main
        .cloudformation
        .describe_stack("Service")
        .unwrap()
        .expect("Service exists");
    assert_eq!(service.status, "CREATE_COMPLETE");
    assert!(service
        .outputs
        .iter()
        .any(|(k, v)| k == "TableName" && v == &table_name));
    let assets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(v1.join("Service.assets.json")).unwrap())
            .unwrap();
    let code_key = assets["files"]
        .as_object()
        .unwrap()
        .values()
        .find(|a| a["source"]["packaging"] == "zip")
        .and_then(|a| a["destinations"].as_object()?.values().next()?["objectKey"].as_str())
        .expect("a zip asset")
        .to_string();
    let assets_bucket = format!("cdk-hnb659fds-assets-{MAIN_ACCOUNT}-{REGION}");
    assert!(
        main.s3.object_exists(&assets_bucket, &code_key).unwrap(),
        "asset {code_key} uploaded"
    );

    // Deploy again: unchanged, no change set executed.
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v1s,
            "Storage",
            "Service",
            "--require-approval",
            "never",
        ],
    ));
    assert_eq!(r.err.matches("no changes").count(), 2, "{}", r.err);
    assert!(!r.err.contains("executing change set"), "{}", r.err);
    assert!(r.err.contains("already published"), "{}", r.err);

    // Change a property: diff shows exactly that change, deploy updates, then no differences.
    let r = ok(rcdk(cwd, &["diff", "--app", v2s, "Storage"]));
    assert!(r.out.contains("[~] AWS::S3::Bucket Bucket"), "{}", r.out);
    assert!(
        r.out.contains("[-]     \"Value\": \"v1\"") && r.out.contains("[+]     \"Value\": \"v2\""),
        "{}",
        r.out
    );
    assert_eq!(
        r.out.matches("[~]").count()
            + r.out.matches("[+] AWS").count()
            + r.out.matches("[-] AWS").count(),
        2,
        "only the bucket's Tags change:\n{}",
        r.out
    );
    assert!(
        r.out.contains("Number of stacks with differences: 1"),
        "{}",
        r.out
    );
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v2s,
            "Storage",
            "Service",
            "--require-approval",
            "never",
        ],
    ));
    assert!(
        r.err
            .contains("Storage: creating change set cdk-deploy-change-set (UPDATE)"),
        "{}",
        r.err
    );
    assert!(r.err.contains("UPDATE_COMPLETE"), "{}", r.err);
    let r = ok(rcdk(cwd, &["diff", "--app", v2s, "Storage", "Service"]));
    assert!(
        r.out.contains("Number of stacks with differences: 0"),
        "{}",
        r.out
    );

    // A stack the endpoint rejects: exit != 0, the reason and the failed stack reported.
    let r = rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v2s,
            "Broken",
            "--require-approval",
            "never",
        ],
    );
    assert_ne!(r.code, 0);
    assert!(r.err.contains("Broken failed"), "{}", r.err);
    assert!(r.err.contains("deployment failed for Broken"), "{}", r.err);

    // Cross-account: deployed by assuming the other account's deploy role.
    let r = ok(rcdk(
        cwd,
        &[
            "deploy",
            "--app",
            v2s,
            "Remote",
            "--require-approval",
            "never",
        ],
    ));
    assert!(!r.err.contains("warning: cannot assume"), "{}", r.err);
    assert!(
        r.out.contains("Remote.SettingName = /rcdk-e2e/remote"),
        "{}",
        r.out
    );
    let other = provider
        .clients(REGION, Some(&role_arn(OTHER_ACCOUNT, "deploy-role")))
        .unwrap();
    assert!(
        other
            .cloudformation
            .describe_stack("Remote")
            .unwrap()
            .is_some(),
        "Remote is in {OTHER_ACCOUNT}"
    );
    assert!(
        main.cloudformation
            .describe_stack("Remote")
            .unwrap()
            .is_none(),
        "Remote is not in {MAIN_ACCOUNT}"
    );
    let r = ok(rcdk(cwd, &["diff", "--app", v2s, "Remote"]));
    assert!(r.out.contains("There were no differences"), "{}", r.out);

    // Destroy: dependents first.
    let r = ok(rcdk(cwd, &["destroy", "--app", v2s, "Storage", "--force"]));
    let service_gone = r.err.find("Service: destroyed").expect("Service destroyed");
    let storage_gone = r.err.find("Storage: destroyed").expect("Storage destroyed");
    assert!(service_gone < storage_gone, "reverse order:\n{}", r.err);
    assert!(main
        .cloudformation
        .describe_stack("Service")
        .unwrap()
        .is_none());
    assert!(main
        .cloudformation
        .describe_stack("Storage")
        .unwrap()
        .is_none());
    let r = ok(rcdk(cwd, &["destroy", "--app", v2s, "Remote", "--force"]));
    assert!(r.err.contains("Remote: destroyed"), "{}", r.err);
    assert!(other
        .cloudformation
        .describe_stack("Remote")
        .unwrap()
        .is_none());

    let elapsed = started.elapsed();
    eprintln!("end-to-end run took {elapsed:.1?}");
    assert!(elapsed < Duration::from_secs(120), "took {elapsed:?}");
    drop(moto);
}
