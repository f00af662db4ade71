//! `rcdk ls` and stack selection shared by every command.

mod common;

use common::{fixture, rcdk, run_in};
use predicates::prelude::*;
use serde_json::Value;

fn ls(fixture_name: &str, args: &[&str]) -> common::Run {
    let mut all = vec!["ls", "--app", "."];
    all.extend_from_slice(args);
    run_in(&fixture(fixture_name), &all)
}

#[test]
fn lists_in_stable_dependency_order() {
    // Manifest order is Api, Monitoring, Database, Network; Api needs Database and Network,
    // Database needs Network.
    let r = ls("multi-stack", &[]);
    assert_eq!(r.out, "Monitoring\nNetwork\nDatabase\nApi\n");
}

#[test]
fn selection_includes_upstream_dependencies_unless_exclusively() {
    assert_eq!(ls("multi-stack", &["Api"]).out, "Network\nDatabase\nApi\n");
    assert_eq!(ls("multi-stack", &["Api", "-e"]).out, "Api\n");
    assert_eq!(
        ls("multi-stack", &["--exclusively", "Database"]).out,
        "Database\n"
    );
    assert_eq!(ls("multi-stack", &["Database"]).out, "Network\nDatabase\n");
}

#[test]
fn globs_match_display_names_and_literals_ids_too() {
    // Listed as the cdk CLI lists them: the stack name in parentheses when it is not the
    // artifact ID.
    assert_eq!(
        ls("grouped", &["Dev/*"]).out,
        "Dev/Db (Dev-Db)\nDev/Api (Dev-Api)\n"
    );
    assert_eq!(
        ls("grouped", &["*/Api", "-e"]).out,
        "Dev/Api (Dev-Api)\nProd/Api (Prod-Api)\n"
    );
    assert_eq!(
        ls("grouped", &["*/Api"]).out,
        "Dev/Db (Dev-Db)\nDev/Api (Dev-Api)\nProd/Api (Prod-Api)\n"
    );
    // Globs match the hierarchical ID only, as cdk's: `*` does not cross `/`, so `Prod*`
    // matches none of `Dev/Db`, `Dev/Api`, `Prod/Api` (their artifact IDs are not tried).
    let e = ls("grouped", &["Prod*"]).result.unwrap_err();
    assert!(e.contains("no stack matches `Prod*`"), "{e}");
    assert_eq!(ls("grouped", &["Prod/**"]).out, "Prod/Api (Prod-Api)\n");
    // A literal pattern may name the artifact ID.
    assert_eq!(
        ls("grouped", &["ProdApi9F8E7D6C"]).out,
        "Prod/Api (Prod-Api)\n"
    );
    assert_eq!(ls("multi-stack", &["M?nitoring"]).out, "Monitoring\n");
}

#[test]
fn all_selects_everything() {
    assert_eq!(
        ls("grouped", &["--all"]).out,
        "Dev/Db (Dev-Db)\nDev/Api (Dev-Api)\nProd/Api (Prod-Api)\n"
    );
}

#[test]
fn no_match_lists_existing_stacks() {
    let r = ls("grouped", &["Staging/*"]);
    let e = r.result.unwrap_err();
    assert!(e.contains("no stack matches `Staging/*`"), "{e}");
    assert!(e.contains("Dev/Db, Dev/Api, Prod/Api"), "{e}");

    rcdk(&fixture("multi-stack"))
        .args(["ls", "--app", ".", "Api", "Nope"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("`Nope`").and(predicate::str::contains(
                "Monitoring, Network, Database, Api",
            )),
        );
}

#[test]
fn ls_long_json_is_cdks_format() {
    let r = ls("grouped", &["-l", "--json", "Dev/Api"]);
    let v: Value = serde_json::from_str(&r.out).unwrap();
    // As `cdk ls --long --json`: id (the display name, with the stack name in parentheses
    // when it is not the artifact ID), name, environment; nothing else.
    assert_eq!(
        v,
        serde_json::json!([
            {"id": "Dev/Db (Dev-Db)", "name": "Dev-Db", "environment": {
                "account": "111111111111", "region": "us-east-1", "name": "aws://111111111111/us-east-1"}},
            {"id": "Dev/Api (Dev-Api)", "name": "Dev-Api", "environment": {
                "account": "111111111111", "region": "us-east-1", "name": "aws://111111111111/us-east-1"}}
        ])
    );
}

#[test]
fn ls_show_dependencies_nests_them_as_cdk_does() {
    let r = ls("multi-stack", &["--show-dependencies", "--json", "Api"]);
    let v: Value = serde_json::from_str(&r.out).unwrap();
    let api = v.as_array().unwrap().last().unwrap();
    assert_eq!(api["id"], "Api");
    assert!(api.get("name").is_none(), "{api}");
    let db = api["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "Database")
        .expect("Api depends on Database");
    assert_eq!(
        db["dependencies"],
        serde_json::json!([{"id": "Network", "dependencies": []}])
    );
    let both = ls("multi-stack", &["-l", "-d", "Database"]);
    assert!(
        both.out.starts_with(
            "- id: Network
  name: Network
"
        ),
        "{}",
        both.out
    );
    assert!(
        both.out.contains(
            // Sequences indented inside mappings, as cdk's YAML.
            "  dependencies:
    - id: Network
      dependencies: []
"
        ),
        "{}",
        both.out
    );
}

#[test]
fn ls_long_yaml_and_plain_json() {
    let r = ls("multi-stack", &["-l", "Database"]);
    assert!(
        r.out.starts_with(
            "- id: Network
"
        ),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("    account: \"123456789012\"\n"),
        "{}",
        r.out
    );
    let names: Value = serde_json::from_str(&ls("multi-stack", &["--json"]).out).unwrap();
    assert_eq!(
        names,
        serde_json::json!(["Monitoring", "Network", "Database", "Api"])
    );
}

#[test]
fn reads_an_aws_cdk_lib_assembly() {
    let r = ls("aws-cdk-lib", &["-l", "-d", "--json"]);
    assert_eq!(r.result, Ok(0));
    let v: Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(v[0]["id"], "ServiceStack");
    assert_eq!(v[0]["environment"]["account"], "unknown-account");
    assert_eq!(
        v[0]["dependencies"],
        serde_json::json!([]),
        "asset manifests are not stacks"
    );
}

#[test]
fn dependency_cycle_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let stack = |deps: &str| {
        format!(
            r#"{{"type":"aws:cloudformation:stack","properties":{{"templateFile":"t.json"}},"dependencies":[{deps}]}}"#
        )
    };
    std::fs::write(
        dir.path().join("manifest.json"),
        format!(
            r#"{{"version":"55.0.0","artifacts":{{"Free":{},"A":{},"B":{},"C":{}}}}}"#,
            stack(""),
            stack(r#""C""#),
            stack(r#""A""#),
            stack(r#""B""#)
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("t.json"), "{}").unwrap();
    let e = run_in(dir.path(), &["ls", "--app", "."])
        .result
        .unwrap_err();
    assert!(e.contains("stack dependency cycle"), "{e}");
    assert!(
        ["A -> C -> B -> A", "C -> B -> A -> C", "B -> A -> C -> B"]
            .iter()
            .any(|c| e.contains(c)),
        "{e}"
    );
}

#[test]
fn empty_assembly_has_no_stacks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{}}"#,
    )
    .unwrap();
    let e = run_in(dir.path(), &["ls", "--app", "."])
        .result
        .unwrap_err();
    assert!(e.contains("contains no stacks"), "{e}");
}

#[test]
fn malformed_stack_artifact_names_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("manifest.json"),
        r#"{"version":"55.0.0","artifacts":{"Broken":{"type":"aws:cloudformation:stack","properties":{}}}}"#,
    )
    .unwrap();
    let e = run_in(dir.path(), &["ls", "--app", "."])
        .result
        .unwrap_err();
    assert!(e.contains("`Broken`") && e.contains("templateFile"), "{e}");
}
