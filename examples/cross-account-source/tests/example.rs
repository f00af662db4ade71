//! Runs the example the way the CLI does (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`) and checks the
//! assembly: stacks and accounts, the source role of the CodeCommit account, the key and bucket
//! policies of the pipeline account, the pipeline, the forwarded commit events, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cdk_assertions::{pattern, Capture, Match, Pattern, Template};
use rcdk_tests::{read_json, validate_assembly};
use serde_json::{json, Value as J};

const PIPELINE: &str = "111111111111";
const CODECOMMIT: &str = "222222222222";
const SOURCE_ROLE: &str = "arn:aws:iam::222222222222:role/CodePipelineCrossAccountSourceRole";
const EVENT_BUS_POLICY_STACK: &str = "EventBusPolicy-222222222222-us-east-1-111111111111";

fn run(outdir: &Path, context: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cross-account-source"));
    cmd.env("CDK_OUTDIR", outdir).env_remove("CDK_CONTEXT_JSON");
    if let Some(c) = context {
        cmd.env("CDK_CONTEXT_JSON", c);
    }
    cmd.output().expect("run example")
}

fn synth(context: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(&out, context);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    (dir, out)
}

fn template(out: &Path, stack: &str) -> Template {
    Template::from_json(read_json(&out.join(format!("{stack}.template.json"))))
}

/// The logical ID of the one resource of type `ty` whose logical ID starts with `prefix`.
#[track_caller]
fn id_of(t: &Template, ty: &str, prefix: &str) -> String {
    let found: Vec<String> = t
        .find_resources(ty, Match::any_value())
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| id.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{ty} {prefix}*: {found:?}");
    found[0].clone()
}

/// Asserts the resource of type `ty` whose logical ID starts with `prefix` matches `pattern`;
/// returns its logical ID.
#[track_caller]
fn has(t: &Template, ty: &str, prefix: &str, pattern: Pattern) -> String {
    let id = id_of(t, ty, prefix);
    t.template_matches(pattern!({"Resources": {(id.as_str()): pattern}}));
    id
}

/// The statements of the default policy of the role whose logical ID starts with `role_prefix`.
fn role_statements(t: &Template, role_prefix: &str) -> Vec<J> {
    let statements = Capture::new();
    has(
        t,
        "AWS::IAM::Policy",
        &format!("{role_prefix}DefaultPolicy"),
        pattern!({"Properties": {"PolicyDocument": {"Statement": &statements}}}),
    );
    statements.as_array()
}

fn actions(statement: &J) -> Vec<String> {
    match &statement["Action"] {
        J::String(a) => vec![a.clone()],
        J::Array(a) => a.iter().map(|v| v.as_str().unwrap().to_string()).collect(),
        other => panic!("bad Action {other}"),
    }
}

fn partition_arn(rest: &str) -> J {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, rest]]})
}

#[test]
fn synthesizes_a_valid_assembly_in_two_accounts() {
    let (_dir, out) = synth(None);
    let manifest = read_json(&out.join("manifest.json"));
    let stacks: Vec<(&str, &J)> = manifest["artifacts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, a)| a["type"] == "aws:cloudformation:stack")
        .map(|(n, a)| (n.as_str(), a))
        .collect();
    let summary: Vec<(&str, &str, Vec<&str>)> = stacks
        .iter()
        .map(|(n, a)| {
            (
                *n,
                a["environment"].as_str().unwrap(),
                a["dependencies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_str().unwrap())
                    .filter(|d| !d.ends_with(".assets"))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                EVENT_BUS_POLICY_STACK,
                "aws://111111111111/us-east-1",
                vec![]
            ),
            (
                "CodeCommitAccountStack",
                "aws://222222222222/us-east-1",
                vec![EVENT_BUS_POLICY_STACK]
            ),
            (
                "PipelineAccountStack",
                "aws://111111111111/us-east-1",
                vec!["CodeCommitAccountStack"]
            ),
        ]
    );
    validate_assembly(&out, true);
}

#[test]
fn source_role_is_assumable_by_the_pipeline_role_only_and_least_privilege() {
    let (_dir, out) = synth(None);
    let t = template(&out, "CodeCommitAccountStack");
    let repo_id = has(
        &t,
        "AWS::CodeCommit::Repository",
        "Repository",
        pattern!({
            "Properties": {"RepositoryName": "cross-account-source"},
        }),
    );
    has(
        &t,
        "AWS::IAM::Role",
        "CrossAccountSourceRole",
        pattern!({"Properties": {
            "RoleName": "CodePipelineCrossAccountSourceRole",
            "AssumeRolePolicyDocument": {"Statement": Match::exact(pattern!([{
                "Action": "sts:AssumeRole",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": partition_arn(
                    &format!(":iam::{PIPELINE}:role/CrossAccountSourcePipelineRole")
                )}},
                "Effect": "Allow",
                "Principal": {"AWS": partition_arn(&format!(":iam::{PIPELINE}:root"))}
            }]))},
        }}),
    );
    has(
        &t,
        "AWS::IAM::Policy",
        "CrossAccountSourceRoleDefaultPolicy",
        pattern!({"Properties": {
            "PolicyDocument": {"Statement": Match::exact(pattern!([
                {
                    "Action": ["codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive",
                               "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"],
                    "Effect": "Allow",
                    "Resource": {"Fn::GetAtt": [repo_id.as_str(), "Arn"]},
                    "Sid": "ReadAndUploadSource"
                },
                {
                    "Action": ["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
                    "Effect": "Allow",
                    "Resource": partition_arn(&format!(
                        ":s3:::cross-account-source-artifacts-{PIPELINE}-us-east-1/*"
                    )),
                    "Sid": "WriteSourceArtifacts"
                },
                {
                    "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                    "Condition": {"ForAnyValue:StringEquals": {
                        "kms:ResourceAliases": "alias/cross-account-source-artifacts"
                    }},
                    "Effect": "Allow",
                    "Resource": partition_arn(&format!(":kms:us-east-1:{PIPELINE}:key/*")),
                    "Sid": "UseArtifactKey"
                },
            ]))},
        }}),
    );
    t.has_output(
        "SourceRoleArn",
        pattern!({"Value": {"Fn::GetAtt": [Match::any_value(), "Arn"]}}),
    );
}

#[test]
fn key_and_bucket_policies_let_the_codecommit_account_role_in() {
    let (_dir, out) = synth(None);
    let t = template(&out, "PipelineAccountStack");
    let principal = json!({"AWS": SOURCE_ROLE});

    let key_statements = Capture::new();
    let key_id = has(
        &t,
        "AWS::KMS::Key",
        "ArtifactKey",
        pattern!({"Properties": {
            "EnableKeyRotation": true,
            "KeyPolicy": {"Statement": &key_statements},
        }}),
    );
    let key_statements = key_statements.as_array();
    let for_role: Vec<&J> = key_statements
        .iter()
        .filter(|s| s["Principal"] == principal)
        .collect();
    assert_eq!(
        for_role,
        [&json!({
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            "Effect": "Allow",
            "Principal": principal,
            "Resource": "*"
        })]
    );
    has(
        &t,
        "AWS::KMS::Alias",
        "ArtifactKeyAlias",
        pattern!({"Properties": Match::exact(pattern!({
            "AliasName": "alias/cross-account-source-artifacts",
            "TargetKeyId": {"Fn::GetAtt": [key_id.as_str(), "Arn"]}
        }))}),
    );

    let bucket_id = has(
        &t,
        "AWS::S3::Bucket",
        "ArtifactBucket",
        pattern!({"Properties": {
            "BucketName": format!("cross-account-source-artifacts-{PIPELINE}-us-east-1"),
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": Match::exact(pattern!({"KMSMasterKeyID": {"Fn::GetAtt": [key_id.as_str(), "Arn"]}, "SSEAlgorithm": "aws:kms"})),
            }]},
        }}),
    );
    let bucket_statements = Capture::new();
    has(
        &t,
        "AWS::S3::BucketPolicy",
        "ArtifactBucketPolicy",
        pattern!({"Properties": {
            // TLS only.
            "PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
                "Effect": "Deny",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }))])},
        }}),
    );
    has(
        &t,
        "AWS::S3::BucketPolicy",
        "ArtifactBucketPolicy",
        pattern!({"Properties": {
            "PolicyDocument": {"Statement": &bucket_statements},
        }}),
    );
    let bucket_statements = bucket_statements.as_array();
    let objects = json!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]});
    let for_role: Vec<&J> = bucket_statements
        .iter()
        .filter(|s| s["Principal"] == principal)
        .collect();
    assert_eq!(for_role.len(), 2, "{for_role:#?}");
    assert!(actions(for_role[0]).contains(&"s3:PutObject".to_string()));
    assert!(actions(for_role[0]).contains(&"s3:GetObject*".to_string()));
    assert_eq!(
        for_role[1],
        &json!({"Action": ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"], "Effect": "Allow",
                "Principal": principal, "Resource": objects})
    );
}

#[test]
fn pipeline_reads_the_other_accounts_repository_with_its_role() {
    let (_dir, out) = synth(None);
    let t = template(&out, "PipelineAccountStack");
    let role_id = has(
        &t,
        "AWS::IAM::Role",
        "PipelineRole",
        pattern!({"Properties": {
            "RoleName": "CrossAccountSourcePipelineRole",
        }}),
    );
    let key_id = id_of(&t, "AWS::KMS::Key", "ArtifactKey");
    // Stage and action names in order; the source action runs with the other account's role.
    let pipeline_id = has(
        &t,
        "AWS::CodePipeline::Pipeline",
        "Pipeline",
        pattern!({"Properties": {
            "Name": "CrossAccountSourcePipeline",
            "RoleArn": Match::exact(pattern!({"Fn::GetAtt": [role_id.as_str(), "Arn"]})),
            "Stages": [
                {"Name": "Source", "Actions": [{
                    "Name": "CodeCommit_Source",
                    "RoleArn": SOURCE_ROLE,
                    "Configuration": Match::exact(pattern!({"BranchName": "main", "PollForSourceChanges": false,
                        "RepositoryName": "cross-account-source"})),
                }]},
                {"Name": "Build", "Actions": [{
                    "Name": "Build",
                    "InputArtifacts": Match::exact(pattern!([{"Name": "SourceOutput"}])),
                }]},
            ],
        }}),
    );
    // The named pipeline role (the one the source role trusts) may assume the source role.
    assert!(role_statements(&t, "PipelineRole").contains(
        &json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": SOURCE_ROLE})
    ));
    // Build: the project encrypts with the artifact key.
    has(
        &t,
        "AWS::CodeBuild::Project",
        "Build",
        pattern!({"Properties": {
            "EncryptionKey": Match::exact(pattern!({"Fn::GetAtt": [key_id.as_str(), "Arn"]})),
        }}),
    );

    // Commits to main: the CodeCommit account's rule forwards them to the pipeline account's
    // default bus (which accepts them), where a rule starts the pipeline.
    let cc = template(&out, "CodeCommitAccountStack");
    let repo_id = id_of(&cc, "AWS::CodeCommit::Repository", "Repository");
    cc.resource_count_is("AWS::Events::Rule", 1);
    cc.has_resource_properties("AWS::Events::Rule", pattern!({
        "EventPattern": {
            "resources": Match::exact(pattern!([{"Fn::GetAtt": [repo_id.as_str(), "Arn"]}])),
            "detail": {"referenceName": ["main"]},
        },
        "Targets": Match::exact(pattern!([{"Arn": partition_arn(&format!(":events:us-east-1:{PIPELINE}:event-bus/default")),
                "Id": "Target0"}])),
    }));
    let bus = template(&out, EVENT_BUS_POLICY_STACK);
    has(
        &bus,
        "AWS::Events::EventBusPolicy",
        "GivePermToOtherAccount",
        pattern!({"Properties": {
            "Action": "events:PutEvents",
            "Principal": CODECOMMIT,
        }}),
    );
    t.resource_count_is("AWS::Events::Rule", 1);
    let targets = Capture::new();
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({
            "EventPattern": {"resources": Match::exact(pattern!([partition_arn(&format!(
                ":codecommit:us-east-1:{CODECOMMIT}:cross-account-source"
            ))]))},
            "Targets": &targets,
        }),
    );
    assert_eq!(
        targets.as_array()[0]["Arn"],
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
            format!(":codepipeline:us-east-1:{PIPELINE}:"), {"Ref": pipeline_id}]]})
    );
}

#[test]
fn context_sets_accounts_branch_and_key() {
    let key = "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let context = json!({
        "pipelineAccount": "333333333333",
        "codecommitAccount": "444444444444",
        "region": "eu-west-1",
        "branch": "release",
        "repositoryName": "service",
        "artifactKeyArn": key
    })
    .to_string();
    let (_dir, out) = synth(Some(&context));
    let manifest = read_json(&out.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["CodeCommitAccountStack"]["environment"],
        "aws://444444444444/eu-west-1"
    );
    assert_eq!(
        manifest["artifacts"]["PipelineAccountStack"]["environment"],
        "aws://333333333333/eu-west-1"
    );
    let cc = template(&out, "CodeCommitAccountStack");
    let key_statement = role_statements(&cc, "CrossAccountSourceRole")
        .into_iter()
        .find(|s| s["Sid"] == "UseArtifactKey")
        .unwrap();
    assert_eq!(key_statement["Resource"], key);
    assert!(key_statement.get("Condition").is_none());
    let t = template(&out, "PipelineAccountStack");
    has(
        &t,
        "AWS::CodePipeline::Pipeline",
        "Pipeline",
        pattern!({"Properties": {
            "Stages": [
                {"Name": "Source", "Actions": [{
                    "RoleArn": "arn:aws:iam::444444444444:role/CodePipelineCrossAccountSourceRole",
                    "Configuration": {"BranchName": "release", "RepositoryName": "service"},
                }]},
                Match::any_value(),
            ],
        }}),
    );
    validate_assembly(&out, true);
}

#[test]
fn bad_context_fails_naming_the_keys_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    let result = run(
        &out,
        Some(
            r#"{"pipelineAccount":"1","codecommitAccount":"x","artifactKeyArn":"arn:aws:kms:us-east-1:999999999999:key/k"}"#,
        ),
    );
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    for key in [
        "'pipelineAccount'",
        "'codecommitAccount'",
        "'artifactKeyArn'",
    ] {
        assert!(stderr.contains(key), "{key}: {stderr}");
    }
    assert!(!out.exists());
    let result = run(
        &out,
        Some(r#"{"pipelineAccount":"222222222222","codecommitAccount":"222222222222"}"#),
    );
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("must differ"));
    assert!(!out.exists());
}

#[test]
fn synth_output_is_byte_identical_across_runs() {
    let (_a, first) = synth(None);
    let (_b, second) = synth(None);
    let (x, y) = (
        rcdk_tests::read_assembly_files(&first),
        rcdk_tests::read_assembly_files(&second),
    );
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for ((name, a), (_, b)) in x.iter().zip(&y) {
        assert!(a == b, "{name} differs between runs");
    }
}
