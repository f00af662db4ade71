//! `rcdk diff`: a suite over crafted template pairs (tests/fixtures/diff/<case>/{old,new}.json),
//! each checked semantically through the engine API and by a snapshot of the text output, plus
//! `--from`, `--fail`, baseline errors and colour handling.

mod common;

use std::path::Path;

use cdk_cli::diff::diff_templates;
use cdk_cli::diff::engine::{ChangeKind, PermissionChange, ResourceImpact, TemplateDiff};
use cdk_cli::diff::security_groups::Direction;
use common::{fixture, rcdk, run_in, single_stack_assembly};
use predicates::prelude::*;
use serde_json::Value;

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The engine's diff of a case, and rcdk's text output for it (`diff --template old.json`).
fn case(name: &str) -> (TemplateDiff, String) {
    let dir = fixture("diff").join(name);
    let (old_path, new_path) = (dir.join("old.json"), dir.join("new.json"));
    let engine = diff_templates(&load(&old_path), &load(&new_path));
    let asm = single_stack_assembly(&new_path);
    let old = old_path.to_string_lossy().into_owned();
    let r = run_in(asm.path(), &["diff", "--app", ".", "--template", &old]);
    assert_eq!(r.result, Ok(0), "{}", r.err);
    (engine, r.out)
}

#[test]
fn added_resource() {
    let (d, out) = case("added");
    assert_eq!(d.resources.len(), 1);
    let r = &d.resources[0];
    assert_eq!(
        (r.logical_id.as_str(), r.kind()),
        ("Topic69831491", ChangeKind::Added)
    );
    assert_eq!(r.impact, ResourceImpact::Create);
    assert_eq!(r.path.as_deref(), Some("CaseStack/Topic/Resource"));
    assert!(out.contains("[+] AWS::SNS::Topic Topic Topic69831491\n"));
    assert!(out.contains("Number of stacks with differences: 1"));
    insta::assert_snapshot!("added", out);
}

#[test]
fn removed_resource_is_destroyed() {
    let (d, out) = case("removed");
    let r = d.resource("Queue4A7E3555").unwrap();
    assert_eq!(
        (r.kind(), r.impact),
        (ChangeKind::Removed, ResourceImpact::Destroy)
    );
    assert_eq!(d.resources.len(), 1);
    assert!(out.contains("[-] AWS::SQS::Queue Queue Queue4A7E3555 destroy"));
    insta::assert_snapshot!("removed", out);
}

#[test]
fn removed_retained_resource_is_orphaned() {
    let (d, out) = case("orphan");
    assert_eq!(
        d.resource("Bucket83908E77").unwrap().impact,
        ResourceImpact::Orphan
    );
    assert!(out.contains("[-] AWS::S3::Bucket Bucket Bucket83908E77 orphan"));
    insta::assert_snapshot!("orphan", out);
}

#[test]
fn modified_properties_show_old_and_new() {
    let (d, out) = case("modified");
    let r = d.resource("Handler886CB40B").unwrap();
    assert_eq!(r.impact, ResourceImpact::Update);
    let changed: Vec<(&str, ChangeKind, bool)> = r
        .changes
        .iter()
        .map(|c| (c.name.as_str(), c.kind(), c.is_attribute))
        .collect();
    assert_eq!(
        changed,
        [
            ("Runtime", ChangeKind::Modified, false),
            ("MemorySize", ChangeKind::Modified, false),
            ("Code", ChangeKind::Modified, false),
            ("Timeout", ChangeKind::Added, false),
            ("DependsOn", ChangeKind::Modified, true),
        ]
    );
    assert!(r.changes.iter().all(|c| !c.requires_replacement));
    assert!(out.contains("[-] nodejs18.x") && out.contains("[+] nodejs20.x"));
    // The inline code is shown as a line diff.
    assert!(out.contains("[-]   console.log(event);"));
    assert!(out.contains("[+]   return { statusCode: 201"));
    assert!(out.contains("[ ]   const items = await load();"));
    assert!(!out.contains("replace"));
    insta::assert_snapshot!("modified", out);
}

#[test]
fn type_change_requires_replacement() {
    let (d, out) = case("replace-type");
    let r = d.resource("Notify").unwrap();
    assert_eq!(r.impact, ResourceImpact::Replace);
    assert_eq!(r.old_type.as_deref(), Some("AWS::SNS::Topic"));
    assert_eq!(r.new_type.as_deref(), Some("AWS::SQS::Queue"));
    assert!(out.contains("Notify replace"));
    assert!(out.contains("[~] Type (requires replacement)"));
    insta::assert_snapshot!("replace-type", out);
}

#[test]
fn create_only_property_change_requires_replacement() {
    let (d, out) = case("replace-create-only");
    let r = d.resource("Bucket83908E77").unwrap();
    assert_eq!(r.impact, ResourceImpact::Replace);
    let bucket_name = r.changes.iter().find(|c| c.name == "BucketName").unwrap();
    assert!(bucket_name.requires_replacement);
    let tags = r.changes.iter().find(|c| c.name == "Tags").unwrap();
    assert!(!tags.requires_replacement);
    assert!(out.contains("[~] BucketName (requires replacement)"));
    assert!(out.contains("[~] Tags\n"));
    insta::assert_snapshot!("replace-create-only", out);
}

#[test]
fn iam_statement_and_policy_changes() {
    let (d, out) = case("iam");
    let added: Vec<(&str, &str, &str)> = d
        .iam
        .statements_added
        .iter()
        .map(|s| (s.effect.as_str(), s.action.as_str(), s.resource.as_str()))
        .collect();
    assert_eq!(
        added,
        [
            ("Allow", "lambda:InvokeFunction", "${Handler886CB40B.Arn}"),
            ("Allow", "dynamodb:PutItem", "${TableCD117FA1.Arn}"),
        ]
    );
    assert_eq!(
        d.iam.statements_added[0].principal,
        "Service:s3.amazonaws.com"
    );
    assert!(d.iam.statements_added[1]
        .condition
        .contains("aws:RequestedRegion"));
    assert_eq!(d.iam.statements_removed.len(), 1);
    assert_eq!(d.iam.statements_removed[0].effect, "Deny");
    assert_eq!(d.iam.statements_removed[0].principal, "AWS:${Role1ABCC5F0}");
    assert_eq!(d.iam.managed_policies_added.len(), 1);
    assert_eq!(
        d.iam.managed_policies_added[0].arn,
        "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"
    );
    // The unchanged statement (s3:GetObject*) is in neither list.
    assert!(!format!("{:?}", d.iam).contains("s3:GetObject"));
    assert_eq!(d.permission_change(), PermissionChange::Broadening);
    assert!(d.permissions_broadened());
    assert!(out.contains("IAM Statement Changes"));
    assert!(out.contains("IAM Policy Changes"));
    assert!(out.contains("│ - │ *"));
    // Resources with a construct path are named by it, as cdk's tables do.
    assert!(out.contains("AWS:${Role}"), "{out}");
    insta::assert_snapshot!("iam", out);
}

#[test]
fn security_group_rule_changes() {
    let (d, out) = case("security-groups");
    let sg = &d.security_groups;
    let added: Vec<(&str, Direction, &str, &str)> = sg
        .added
        .iter()
        .map(|r| {
            (
                r.group.as_str(),
                r.direction,
                r.protocol.as_str(),
                r.peer.as_str(),
            )
        })
        .collect();
    assert_eq!(
        added,
        [
            (
                "${DbSg1F0B0D6E.GroupId}",
                Direction::In,
                "TCP 5432",
                "${WebSg1A2B3C4D.GroupId}"
            ),
            (
                "${WebSg1A2B3C4D.GroupId}",
                Direction::In,
                "TCP 443",
                "0.0.0.0/0"
            ),
        ]
    );
    let removed: Vec<(Direction, &str)> = sg
        .removed
        .iter()
        .map(|r| (r.direction, r.protocol.as_str()))
        .collect();
    assert_eq!(
        removed,
        [(Direction::In, "TCP 80"), (Direction::Out, "Everything")]
    );
    assert_eq!(d.permission_change(), PermissionChange::Broadening);
    assert!(d.iam.is_empty());
    assert!(out.contains("Security Group Changes"));
    assert!(!out.contains("IAM Statement Changes"));
    insta::assert_snapshot!("security-groups", out);
}

#[test]
fn parameters_outputs_conditions_and_other_fields() {
    let (d, out) = case("sections");
    let names = |section: &str| -> Vec<(String, ChangeKind)> {
        d.section(section)
            .iter()
            .map(|c| (c.name.clone(), c.kind()))
            .collect()
    };
    assert_eq!(
        names("Parameters"),
        [
            ("Env".to_string(), ChangeKind::Modified),
            ("Old".to_string(), ChangeKind::Removed),
            ("Size".to_string(), ChangeKind::Added),
        ]
    );
    assert_eq!(
        names("Conditions"),
        [("IsDev".to_string(), ChangeKind::Added)]
    );
    assert_eq!(
        names("Outputs"),
        [
            ("TopicArn".to_string(), ChangeKind::Modified),
            ("Gone".to_string(), ChangeKind::Removed),
            ("TopicName".to_string(), ChangeKind::Added),
        ]
    );
    assert_eq!(d.other.len(), 1);
    assert_eq!(d.other[0].name, "Description");
    assert!(d.resources.is_empty());
    assert_eq!(d.permission_change(), PermissionChange::None);
    // The cdk CLI's order: Template first; removals, additions, then updates, one line each.
    assert!(
        out.contains("\n\nTemplate\n[~] Description Description: v1 to v2\n\nParameters\n"),
        "{out}"
    );
    assert!(
        out.contains("\nParameters\n[-] Parameter Old: {\"Type\":\"Number\"}\n[+] Parameter Size")
    );
    assert!(out.contains(r#"[~] Parameter Env: {"Type":"String","Default":"dev"} to {"Type":"String","Default":"staging"}"#));
    assert!(out.contains("[+] Output TopicName:"));
    insta::assert_snapshot!("sections", out);
}

#[test]
fn identical_templates() {
    let (d, out) = case("identical");
    assert!(d.is_empty());
    assert_eq!(
        out,
        "Stack CaseStack\nThere were no differences\n\n✨  Number of stacks with differences: 0\n"
    );
}

#[test]
fn fail_flag_sets_exit_code() {
    let dir = fixture("diff");
    let changed = single_stack_assembly(&dir.join("added/new.json"));
    rcdk(changed.path())
        .args(["diff", "--app", ".", "--fail", "--template"])
        .arg(dir.join("added/old.json"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Number of stacks with differences: 1",
        ));
    rcdk(changed.path())
        .args(["diff", "--app", ".", "--template"])
        .arg(dir.join("added/old.json"))
        .assert()
        .code(0);
    let same = single_stack_assembly(&dir.join("identical/new.json"));
    rcdk(same.path())
        .args(["diff", "--app", ".", "--fail", "--template"])
        .arg(dir.join("identical/old.json"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("There were no differences"));
}

#[test]
fn from_another_assembly() {
    let v2 = fixture("multi-stack-v2");
    let old = fixture("multi-stack");
    let r = run_in(
        &v2,
        &["diff", "--app", ".", "--from", old.to_str().unwrap()],
    );
    assert_eq!(r.result, Ok(0), "{}", r.err);
    assert!(r.out.contains("Stack Api\n"));
    assert!(r
        .out
        .contains("[~] AWS::Lambda::Function Handler Handler886CB40B\n"));
    assert!(r
        .out
        .contains("[+] AWS::SQS::Queue DeadLetters DeadLetters2A1B5C3D\n"));
    assert!(r
        .out
        .contains("Stack Database\nThere were no differences\n"));
    assert!(
        r.out.ends_with("Number of stacks with differences: 2\n"),
        "{}",
        r.out
    );
    insta::assert_snapshot!("from-assembly", r.out);

    // Selection applies; a stack missing from the old assembly is all new.
    let r = run_in(
        &v2,
        &[
            "diff",
            "--app",
            ".",
            "--from",
            old.to_str().unwrap(),
            "Monitoring",
        ],
    );
    assert!(r.out.starts_with("Stack Monitoring\n"));
    assert!(!r.out.contains("Stack Api"));
    let r = run_in(
        &old,
        &[
            "diff",
            "--app",
            ".",
            "--from",
            fixture("single").to_str().unwrap(),
            "-e",
            "Network",
        ],
    );
    assert!(r.out.contains("[+] AWS::EC2::VPC Vpc Vpc8378EB38"));
    assert!(r.out.contains("[+] Parameter BootstrapVersion"));
    assert!(
        !r.out.contains("CheckBootstrapVersion"),
        "hidden unless --strict"
    );
}

#[test]
fn cdk_metadata_is_hidden_unless_strict() {
    let empty = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(empty.path(), "{}").unwrap();
    let p = empty.path().to_str().unwrap();
    let r = run_in(
        &fixture("aws-cdk-lib"),
        &["diff", "--app", ".", "--template", p],
    );
    assert!(!r.out.contains("AWS::CDK::Metadata"));
    assert!(!r.out.contains("CheckBootstrapVersion"));
    assert!(r.out.contains("[+] Condition CDKMetadataAvailable"));
    let r = run_in(
        &fixture("aws-cdk-lib"),
        &["diff", "--app", ".", "--template", p, "--strict"],
    );
    assert!(r
        .out
        .contains("[+] AWS::CDK::Metadata CDKMetadata/Default CDKMetadata"));
    assert!(r
        .out
        .contains("[+] Unknown Rules: {\"CheckBootstrapVersion\""));
}

#[test]
fn security_only_shows_only_tables() {
    let empty = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(empty.path(), "{}").unwrap();
    let p = empty.path().to_str().unwrap();
    let r = run_in(
        &fixture("aws-cdk-lib"),
        &["diff", "--app", ".", "--template", p, "--security-only"],
    );
    assert!(r.out.contains("IAM Statement Changes"));
    assert!(r.out.contains("AWS:*"), "{}", r.out);
    assert!(!r.out.contains("Resources"));
    let r = run_in(
        &fixture("single"),
        &["diff", "--app", ".", "--template", p, "--security-only"],
    );
    assert!(r.out.contains("There were no differences"));
}

#[test]
fn yaml_template_baseline() {
    let yaml = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        yaml.path(),
        "Resources:\n  Topic69831491:\n    Type: AWS::SNS::Topic\n    Metadata:\n      aws:cdk:path: Solo/Topic/Resource\n",
    )
    .unwrap();
    let r = run_in(
        &fixture("single"),
        &[
            "diff",
            "--app",
            ".",
            "--template",
            yaml.path().to_str().unwrap(),
        ],
    );
    assert!(!r.out.contains("Topic69831491 "), "{}", r.out);
    assert!(r.out.contains("[+] Output TopicArn"));
}

#[test]
fn without_baseline_reads_the_deployed_stack_and_says_why_it_cannot() {
    let home = tempfile::tempdir().unwrap();
    rcdk(&fixture("single"))
        .args(["diff", "--app", "."])
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_REGION", "us-east-1")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "sts:GetCallerIdentity): no AWS credentials found; tried the environment",
        ))
        .stderr(predicate::str::contains("--profile NAME"))
        .stderr(predicate::str::contains(
            "compare with a local template (--template FILE) or a previous assembly (--from DIR)",
        ))
        .stderr(predicate::str::contains("dispatch failure").not());
}

#[test]
fn template_needs_a_single_stack() {
    let t = fixture("multi-stack/Api.template.json");
    let r = run_in(
        &fixture("multi-stack"),
        &[
            "diff",
            "--app",
            ".",
            "--template",
            t.to_str().unwrap(),
            "Api",
        ],
    );
    let e = r.result.unwrap_err();
    assert!(
        e.contains("diff --template needs exactly one stack")
            && e.contains("Network, Database, Api"),
        "{e}"
    );
    let r = run_in(
        &fixture("multi-stack"),
        &[
            "diff",
            "--app",
            ".",
            "--template",
            t.to_str().unwrap(),
            "Api",
            "-e",
        ],
    );
    assert!(r.out.contains("There were no differences"));
}

#[test]
fn missing_template_file_is_named() {
    let r = run_in(
        &fixture("single"),
        &["diff", "--app", ".", "--template", "/nonexistent/old.json"],
    );
    assert!(r.result.unwrap_err().contains("/nonexistent/old.json"));
}

#[test]
fn colours_only_when_forced_or_on_a_terminal() {
    let dir = fixture("diff");
    let asm = single_stack_assembly(&dir.join("added/new.json"));
    let plain = rcdk(asm.path())
        .args(["diff", "--app", ".", "--template"])
        .arg(dir.join("added/old.json"))
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
    let forced = rcdk(asm.path())
        .args(["diff", "--app", ".", "--template"])
        .arg(dir.join("added/old.json"))
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\u{1b}[32m[+]"));
    let no_color = rcdk(asm.path())
        .args(["diff", "--app", ".", "--template"])
        .arg(dir.join("added/old.json"))
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stdout).contains('\u{1b}'));
}
