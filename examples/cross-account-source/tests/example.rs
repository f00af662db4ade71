//! Runs the example the way the CLI does (`CDK_OUTDIR`, `CDK_CONTEXT_JSON`) and checks the
//! assembly: stacks and accounts, the source role of the CodeCommit account, the key and bucket
//! policies of the pipeline account, the pipeline, the forwarded commit events, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn template(out: &Path, stack: &str) -> J {
    read_json(&out.join(format!("{stack}.template.json")))
}

fn of_type<'a>(t: &'a J, ty: &str) -> Vec<(&'a String, &'a J)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

fn resource<'a>(t: &'a J, ty: &str, prefix: &str) -> (&'a String, &'a J) {
    let found: Vec<_> = of_type(t, ty)
        .into_iter()
        .filter(|(id, _)| id.starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{ty} {prefix}*: {found:?}");
    found[0]
}

fn statements(policy: &J) -> Vec<J> {
    policy["Statement"].as_array().unwrap().clone()
}

fn role_statements(t: &J, role_prefix: &str) -> Vec<J> {
    let (_, policy) = resource(
        t,
        "AWS::IAM::Policy",
        &format!("{role_prefix}DefaultPolicy"),
    );
    statements(&policy["Properties"]["PolicyDocument"])
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
    let (repo_id, repo) = resource(&t, "AWS::CodeCommit::Repository", "Repository");
    assert_eq!(repo["Properties"]["RepositoryName"], "cross-account-source");
    let (_, role) = resource(&t, "AWS::IAM::Role", "CrossAccountSourceRole");
    assert_eq!(
        role["Properties"]["RoleName"],
        "CodePipelineCrossAccountSourceRole"
    );
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{
            "Action": "sts:AssumeRole",
            "Condition": {"ArnEquals": {"aws:PrincipalArn": partition_arn(
                &format!(":iam::{PIPELINE}:role/CrossAccountSourcePipelineRole")
            )}},
            "Effect": "Allow",
            "Principal": {"AWS": partition_arn(&format!(":iam::{PIPELINE}:root"))}
        }])
    );
    assert_eq!(
        role_statements(&t, "CrossAccountSourceRole"),
        [
            json!({
                "Action": ["codecommit:GetBranch", "codecommit:GetCommit", "codecommit:UploadArchive",
                           "codecommit:GetUploadArchiveStatus", "codecommit:CancelUploadArchive"],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [repo_id, "Arn"]},
                "Sid": "ReadAndUploadSource"
            }),
            json!({
                "Action": ["s3:GetObject*", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
                "Effect": "Allow",
                "Resource": partition_arn(&format!(
                    ":s3:::cross-account-source-artifacts-{PIPELINE}-us-east-1/*"
                )),
                "Sid": "WriteSourceArtifacts"
            }),
            json!({
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                "Condition": {"ForAnyValue:StringEquals": {
                    "kms:ResourceAliases": "alias/cross-account-source-artifacts"
                }},
                "Effect": "Allow",
                "Resource": partition_arn(&format!(":kms:us-east-1:{PIPELINE}:key/*")),
                "Sid": "UseArtifactKey"
            }),
        ]
    );
    assert_eq!(
        t["Outputs"]["SourceRoleArn"]["Value"]["Fn::GetAtt"][1],
        "Arn"
    );
}

#[test]
fn key_and_bucket_policies_let_the_codecommit_account_role_in() {
    let (_dir, out) = synth(None);
    let t = template(&out, "PipelineAccountStack");
    let principal = json!({"AWS": SOURCE_ROLE});

    let (key_id, key) = resource(&t, "AWS::KMS::Key", "ArtifactKey");
    assert_eq!(key["Properties"]["EnableKeyRotation"], true);
    let key_statements = statements(&key["Properties"]["KeyPolicy"]);
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
    let (_, alias) = resource(&t, "AWS::KMS::Alias", "ArtifactKeyAlias");
    assert_eq!(
        alias["Properties"],
        json!({"AliasName": "alias/cross-account-source-artifacts",
               "TargetKeyId": {"Fn::GetAtt": [key_id, "Arn"]}})
    );

    let (bucket_id, bucket) = resource(&t, "AWS::S3::Bucket", "ArtifactBucket");
    assert_eq!(
        bucket["Properties"]["BucketName"],
        format!("cross-account-source-artifacts-{PIPELINE}-us-east-1")
    );
    assert_eq!(
        bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"],
        json!({"KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]}, "SSEAlgorithm": "aws:kms"})
    );
    let (_, policy) = resource(&t, "AWS::S3::BucketPolicy", "ArtifactBucketPolicy");
    let bucket_statements = statements(&policy["Properties"]["PolicyDocument"]);
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
    // TLS only.
    assert!(
        bucket_statements
            .iter()
            .any(|s| s["Effect"] == "Deny"
                && s["Condition"]["Bool"]["aws:SecureTransport"] == "false")
    );
}

#[test]
fn pipeline_reads_the_other_accounts_repository_with_its_role() {
    let (_dir, out) = synth(None);
    let t = template(&out, "PipelineAccountStack");
    let (pipeline_id, pipeline) = resource(&t, "AWS::CodePipeline::Pipeline", "Pipeline");
    let p = &pipeline["Properties"];
    assert_eq!(p["Name"], "CrossAccountSourcePipeline");
    let stages: Vec<(&str, Vec<&str>)> = p["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Name"].as_str().unwrap(),
                s["Actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["Name"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            ("Source", vec!["CodeCommit_Source"]),
            ("Build", vec!["Build"])
        ]
    );
    let source = &p["Stages"][0]["Actions"][0];
    assert_eq!(source["RoleArn"], SOURCE_ROLE);
    assert_eq!(
        source["Configuration"],
        json!({"BranchName": "main", "PollForSourceChanges": false,
               "RepositoryName": "cross-account-source"})
    );
    // The named pipeline role (the one the source role trusts) may assume the source role.
    let (role_id, role) = resource(&t, "AWS::IAM::Role", "PipelineRole");
    assert_eq!(
        role["Properties"]["RoleName"],
        "CrossAccountSourcePipelineRole"
    );
    assert_eq!(p["RoleArn"], json!({"Fn::GetAtt": [role_id, "Arn"]}));
    assert!(role_statements(&t, "PipelineRole").contains(
        &json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": SOURCE_ROLE})
    ));
    // Build: the project encrypts with the artifact key.
    let (key_id, _) = resource(&t, "AWS::KMS::Key", "ArtifactKey");
    let (_, project) = resource(&t, "AWS::CodeBuild::Project", "Build");
    assert_eq!(
        project["Properties"]["EncryptionKey"],
        json!({"Fn::GetAtt": [key_id, "Arn"]})
    );
    assert_eq!(
        p["Stages"][1]["Actions"][0]["InputArtifacts"],
        json!([{"Name": "SourceOutput"}])
    );

    // Commits to main: the CodeCommit account's rule forwards them to the pipeline account's
    // default bus (which accepts them), where a rule starts the pipeline.
    let cc = template(&out, "CodeCommitAccountStack");
    let (repo_id, _) = resource(&cc, "AWS::CodeCommit::Repository", "Repository");
    let rules = of_type(&cc, "AWS::Events::Rule");
    assert_eq!(rules.len(), 1);
    let forward = &rules[0].1["Properties"];
    assert_eq!(
        forward["EventPattern"]["resources"],
        json!([{"Fn::GetAtt": [repo_id, "Arn"]}])
    );
    assert_eq!(
        forward["EventPattern"]["detail"]["referenceName"],
        json!(["main"])
    );
    assert_eq!(
        forward["Targets"],
        json!([{"Arn": partition_arn(&format!(":events:us-east-1:{PIPELINE}:event-bus/default")),
                "Id": "Target0"}])
    );
    let bus = template(&out, EVENT_BUS_POLICY_STACK);
    let (_, bus_policy) = resource(
        &bus,
        "AWS::Events::EventBusPolicy",
        "GivePermToOtherAccount",
    );
    assert_eq!(bus_policy["Properties"]["Action"], "events:PutEvents");
    assert_eq!(bus_policy["Properties"]["Principal"], CODECOMMIT);
    let rules = of_type(&t, "AWS::Events::Rule");
    assert_eq!(rules.len(), 1);
    let start = &rules[0].1["Properties"];
    assert_eq!(
        start["EventPattern"]["resources"],
        json!([partition_arn(&format!(
            ":codecommit:us-east-1:{CODECOMMIT}:cross-account-source"
        ))])
    );
    assert_eq!(
        start["Targets"][0]["Arn"],
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
    let (_, pipeline) = resource(&t, "AWS::CodePipeline::Pipeline", "Pipeline");
    let source = &pipeline["Properties"]["Stages"][0]["Actions"][0];
    assert_eq!(
        source["RoleArn"],
        "arn:aws:iam::444444444444:role/CodePipelineCrossAccountSourceRole"
    );
    assert_eq!(source["Configuration"]["BranchName"], "release");
    assert_eq!(source["Configuration"]["RepositoryName"], "service");
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
