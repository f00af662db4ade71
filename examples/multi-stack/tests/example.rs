//! Runs the example the way the CLI does (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`) and checks what it
//! writes.

use std::process::Command;

use cdk_assertions::{pattern, Match, Template};
use rcdk_tests::{read_json, validate_assembly};

fn run(outdir: &std::path::Path, context: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_multi-stack"));
    cmd.env("CDK_OUTDIR", outdir).env_remove("CDK_CONTEXT_JSON");
    if let Some(c) = context {
        cmd.env("CDK_CONTEXT_JSON", c);
    }
    cmd.output().expect("run example")
}

#[test]
fn synthesizes_a_valid_two_stack_assembly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(&out, None);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let manifest = read_json(&out.join("manifest.json"));
    let app_stack = &manifest["artifacts"]["ApplicationStack"];
    assert_eq!(app_stack["environment"], "aws://111111111111/us-east-1");
    assert_eq!(
        app_stack["dependencies"],
        serde_json::json!(["StorageStack", "ApplicationStack.assets"])
    );
    Template::from_json(read_json(&out.join("ApplicationStack.template.json"))).has_output(
        "BucketArn",
        pattern!({"Value": Match::exact(pattern!({"Fn::ImportValue": "StorageStack:ExportsOutputFnGetAttDataBucketArn8D876988"}))}),
    );
    validate_assembly(&out, true);
}

#[test]
fn context_from_the_cli_sets_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(
        &out,
        Some(r#"{"account":"333333333333","region":"eu-west-1"}"#),
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["StorageStack"]["environment"],
        "aws://333333333333/eu-west-1"
    );
}

#[test]
fn malformed_context_fails_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(&out, Some("{not json"));
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("CDK_CONTEXT_JSON is not valid JSON"),
        "{stderr}"
    );
    assert!(!out.exists());
}
