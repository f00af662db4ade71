//! `rcdk deploy --hotswap` / `--hotswap-fallback` end to end against moto
//! (`../shared/tools/moto-server`): a Lambda function's code and environment change without a
//! CloudFormation update; a change that cannot be hotswapped is skipped with cdk's warning, and
//! deployed through a change set with `--hotswap-fallback`. Checked through the Lambda API.
//!
//! Without moto installed the test prints a skip notice, unless `CI` is set (then it fails).

mod common;

use cdk_cli::aws::sdk::SdkProvider;
use cdk_cli::aws::AwsProvider;
use common::lambda_app::{function_configuration, synth};
use common::moto::{moto_or_skip, ok, point_at, rcdk, ACCOUNT, REGION};

#[test]
fn hotswap_changes_lambda_code_without_cloudformation_and_falls_back() {
    let Some(moto) = moto_or_skip("hotswap end-to-end test against moto") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    point_at(&moto, &home);
    let cwd = work.path();
    let outdir = |v: &str| work.path().join(format!("{v}.out"));
    synth(cwd, &outdir("v1"), "v1", 128);
    synth(cwd, &outdir("v2"), "v2", 128);
    synth(cwd, &outdir("v3"), "v3", 256);
    let app = |v: &str| outdir(v).display().to_string();

    ok(rcdk(
        cwd,
        &["bootstrap", &format!("aws://{ACCOUNT}/{REGION}")],
    ));
    ok(rcdk(
        cwd,
        &["deploy", "--app", &app("v1"), "--require-approval", "never"],
    ));
    let provider = SdkProvider::new(None).unwrap();
    let cfn = provider.clients(REGION, None).unwrap().cloudformation;
    let deployed = cfn.describe_stack("Hot").unwrap().expect("stack deployed");
    let function = deployed
        .outputs
        .iter()
        .find(|(k, _)| k == "FunctionName")
        .map(|(_, v)| v.clone())
        .expect("FunctionName output");
    let v1 = function_configuration(&function);
    let events_before = cfn.latest_event_id("Hot").unwrap();

    // Code and environment: hotswapped, CloudFormation untouched.
    let r = ok(rcdk(cwd, &["deploy", "--app", &app("v2"), "--hotswap"]));
    assert!(
        r.err.contains("⚠️ The --hotswap and --hotswap-fallback flags deliberately introduce CloudFormation drift to speed up deployments"),
        "{}",
        r.err
    );
    assert!(r.err.contains("Hot: published asset Code"), "{}", r.err);
    assert!(
        r.err.contains(&format!(
            "✨ AWS::Lambda::Function '{function}' hotswapped!"
        )),
        "{}",
        r.err
    );
    assert!(!r.err.contains("creating change set"), "{}", r.err);
    let v2 = function_configuration(&function);
    assert_ne!(v2["CodeSha256"], v1["CodeSha256"], "the code changed");
    assert_eq!(v2["Environment"]["Variables"]["VERSION"], "v2");
    let after = cfn.describe_stack("Hot").unwrap().unwrap();
    assert_eq!(after.last_updated, deployed.last_updated, "no stack update");
    assert_eq!(after.status, deployed.status);
    assert_eq!(cfn.latest_event_id("Hot").unwrap(), events_before);

    // A memory size change cannot be hotswapped: --hotswap skips it with cdk's warning and
    // still hotswaps the code.
    let r = ok(rcdk(cwd, &["deploy", "--app", &app("v3"), "--hotswap"]));
    assert!(
        r.err.contains("The following non-hotswappable changes were found. To reconcile these using CloudFormation, specify --hotswap-fallback"),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("resource: Handler, type: AWS::Lambda::Function, rejected changes: MemorySize, reason: resource properties 'MemorySize' are not hotswappable on this resource type"),
        "{}",
        r.err
    );
    let v3 = function_configuration(&function);
    assert_ne!(v3["CodeSha256"], v2["CodeSha256"]);
    assert_eq!(v3["MemorySize"].as_f64(), Some(128.0), "not hotswapped");
    assert_eq!(cfn.latest_event_id("Hot").unwrap(), events_before);

    // --hotswap-fallback deploys it through a change set.
    let r = ok(rcdk(
        cwd,
        &["deploy", "--app", &app("v3"), "--hotswap-fallback"],
    ));
    assert!(
        r.err.contains(
            "Could not perform a hotswap deployment, as the stack Hot contains non-Asset changes"
        ),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("Falling back to doing a full deployment"),
        "{}",
        r.err
    );
    assert!(r.err.contains("Hot: creating change set"), "{}", r.err);
    assert_eq!(
        function_configuration(&function)["MemorySize"].as_f64(),
        Some(256.0)
    );
    assert_ne!(
        cfn.latest_event_id("Hot").unwrap(),
        events_before,
        "the stack was updated"
    );
    let updated = cfn.describe_stack("Hot").unwrap().unwrap();
    assert!(
        updated.status.starts_with("UPDATE_COMPLETE"),
        "{}",
        updated.status
    );
}
