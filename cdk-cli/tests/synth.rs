//! `rcdk synth`: template output (YAML / JSON), several stacks, quiet, stack messages.

mod common;

use common::{fixture, rcdk, run_in};
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn single_stack_prints_yaml_equal_to_the_template() {
    let r = run_in(&fixture("single"), &["synth", "--app", "."]);
    assert_eq!(r.result, Ok(0));
    assert!(
        r.out
            .starts_with("Resources:\n  Topic69831491:\n    Type: AWS::SNS::Topic\n"),
        "{}",
        r.out
    );
    let parsed: Value = serde_saphyr::from_str(&r.out).unwrap();
    let template: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("single/Solo.template.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(parsed, template, "YAML round-trips to the template");
}

#[test]
fn json_flag_prints_json() {
    let r = run_in(&fixture("single"), &["synth", "--app", ".", "--json"]);
    let t = cdk_assertions::Template::from_str(&r.out);
    t.template_matches(cdk_assertions::pattern!({
        "Resources": {"Topic69831491": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic69831491"}}},
    }));
}

#[test]
fn intrinsics_stay_in_long_form() {
    let r = run_in(
        &fixture("multi-stack"),
        &["synth", "--app", ".", "-e", "Api"],
    );
    assert!(
        r.out
            .contains("\"Fn::ImportValue\": Database:ExportsOutputRefTableCD117FA1D18A8047"),
        "{}",
        r.out
    );
}

#[test]
fn several_stacks_report_the_directory() {
    let dir = fixture("multi-stack");
    rcdk(&dir)
        .args(["synth", "--app", "."])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "Successfully synthesized to {}",
            dir.display()
        )))
        .stderr(predicate::str::contains(
            "Monitoring, Network, Database, Api",
        ));
    // Selecting a stack with dependencies selects several stacks too.
    let r = run_in(&dir, &["synth", "--app", ".", "Database"]);
    assert!(r.out.is_empty());
    assert!(r.err.contains("Successfully synthesized"));
    // ...unless -e.
    let r = run_in(&dir, &["synth", "--app", ".", "Database", "-e"]);
    assert!(r.out.contains("TableCD117FA1:"));
}

#[test]
fn quiet_prints_nothing() {
    rcdk(&fixture("single"))
        .args(["synth", "--app", ".", "-q"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    rcdk(&fixture("multi-stack"))
        .args(["synth", "--app", ".", "--quiet"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn warnings_are_shown_and_errors_fail() {
    let r = run_in(&fixture("aws-cdk-lib"), &["synth", "--app", "."]);
    assert_eq!(r.result, Ok(0));
    assert!(
        r.err.contains(
            "[Warning at /ServiceStack/WorkerRole/Resource] Role has no permissions boundary"
        ),
        "{}",
        r.err
    );
    assert!(r.out.contains("Uploads1D4E36B5:"));

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("S.template.json"), "{}").unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack",
            "properties":{"templateFile":"S.template.json"},
            "metadata":{"/S/Bucket":[{"type":"aws:cdk:error","data":"bucket name is invalid"}]}}}}"#,
    )
    .unwrap();
    let e = run_in(dir.path(), &["synth", "--app", "."])
        .result
        .unwrap_err();
    assert!(
        e.contains("stack S has errors")
            && e.contains("[Error at /S/Bucket] bucket name is invalid"),
        "{e}"
    );
}

#[test]
fn unreadable_template_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("S.template.json"), "{oops").unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{"S":{"type":"aws:cloudformation:stack","properties":{"templateFile":"S.template.json"}}}}"#,
    )
    .unwrap();
    let e = run_in(dir.path(), &["synth", "--app", "."])
        .result
        .unwrap_err();
    assert!(e.contains("S.template.json"), "{e}");
}
