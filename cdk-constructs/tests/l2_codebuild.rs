//! CodeBuild pipeline projects: properties, build specs, variables, role permissions, keys.

use std::time::Duration;

use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::codebuild::*;
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, Environment, Stack, StackProps, Value};
use serde_json::json;

fn stack(app: &App) -> Stack {
    Stack::new(
        app,
        "Ci",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    )
}

fn partition_arn(parts: Vec<serde_json::Value>) -> serde_json::Value {
    let mut all = vec![json!("arn:"), json!({"Ref": "AWS::Partition"})];
    all.extend(parts);
    json!({"Fn::Join": ["", all]})
}

#[test]
fn pipeline_project_defaults_variables_and_role() {
    let app = App::new();
    let s = stack(&app);
    let key = Key::new(&s, "Key", KeyProps::default());
    let project = PipelineProject::new(
        &s,
        "LambdaBuild",
        PipelineProjectProps {
            project_name: Some("lambda-build".into()),
            description: Some("builds".into()),
            build_spec: Some(BuildSpec::from_object(json!({
                "version": "0.2",
                "phases": {"install": {"commands": ["npm ci"]}, "build": {"commands": ["npm run build"]}},
                "artifacts": {"files": ["index.js"]}
            }))),
            environment: BuildEnvironment {
                build_image: Some(LinuxBuildImage::STANDARD_7_0),
                compute_type: Some(ComputeType::Medium),
                privileged: true,
                environment_variables: vec![
                    ("STAGE".into(), BuildEnvironmentVariable::plaintext("dev")),
                    (
                        "TOKEN".into(),
                        BuildEnvironmentVariable::plaintext("container"),
                    ),
                ],
            },
            environment_variables: vec![
                (
                    "TOKEN".into(),
                    BuildEnvironmentVariable::secrets_manager("github-token"),
                ),
                (
                    "PARAM".into(),
                    BuildEnvironmentVariable::parameter_store("/app/param"),
                ),
            ],
            encryption_key: Some(key.clone().into()),
            timeout: Some(Duration::from_secs(30 * 60)),
            ..Default::default()
        },
    );
    let pid = make_unique_id(&["LambdaBuild", "Resource"]);
    let role = make_unique_id(&["LambdaBuild", "Role", "Resource"]);
    let key_id = make_unique_id(&["Key", "Resource"]);
    let name = json!({"Ref": pid});
    let log_group = vec![
        json!(":logs:us-east-1:111111111111:log-group:/aws/codebuild/"),
        name.clone(),
    ];
    let mut star = log_group.clone();
    star.push(json!(":*"));
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (pid.as_str()): {"Properties": Match::exact(pattern!({
            "Artifacts": {"Type": "CODEPIPELINE"},
            "Cache": {"Type": "NO_CACHE"},
            "Description": "builds",
            "EncryptionKey": {"Fn::GetAtt": [key_id.as_str(), "Arn"]},
            "Environment": {
                "ComputeType": "BUILD_GENERAL1_MEDIUM",
                "EnvironmentVariables": [
                    {"Name": "STAGE", "Type": "PLAINTEXT", "Value": "dev"},
                    {"Name": "TOKEN", "Type": "SECRETS_MANAGER", "Value": "github-token"},
                    {"Name": "PARAM", "Type": "PARAMETER_STORE", "Value": "/app/param"}
                ],
                "Image": "aws/codebuild/standard:7.0",
                "ImagePullCredentialsType": "CODEBUILD",
                "PrivilegedMode": true,
                "Type": "LINUX_CONTAINER"
            },
            "Name": "lambda-build",
            "ServiceRole": {"Fn::GetAtt": [role.as_str(), "Arn"]},
            "Source": {
                "BuildSpec": "{\n  \"version\": \"0.2\",\n  \"phases\": {\n    \"install\": {\n      \"commands\": [\n        \"npm ci\"\n      ]\n    },\n    \"build\": {\n      \"commands\": [\n        \"npm run build\"\n      ]\n    }\n  },\n  \"artifacts\": {\n    \"files\": [\n      \"index.js\"\n    ]\n  }\n}",
                "Type": "CODEPIPELINE"
            },
            "TimeoutInMinutes": 30
        }))},
        (role.as_str()): {"Properties": {"AssumeRolePolicyDocument": {"Statement": [{
            "Principal": Match::exact(pattern!({"Service": "codebuild.amazonaws.com"})),
        }]}}},
        (make_unique_id(&["LambdaBuild", "Role", "DefaultPolicy", "Resource"])): {"Properties": {
            "PolicyDocument": {"Statement": Match::exact(pattern!([
                {"Action": "ssm:GetParameters", "Effect": "Allow",
                 "Resource": partition_arn(vec![json!(":ssm:us-east-1:111111111111:parameter/app/param")])},
                {"Action": "secretsmanager:GetSecretValue", "Effect": "Allow",
                 "Resource": partition_arn(vec![json!(":secretsmanager:us-east-1:111111111111:secret:github-token-??????")])},
                {"Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow",
                 "Resource": [partition_arn(log_group), partition_arn(star)]},
                {"Action": ["codebuild:CreateReportGroup", "codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases", "codebuild:BatchPutCodeCoverages"],
                 "Effect": "Allow",
                 "Resource": partition_arn(vec![json!(":codebuild:us-east-1:111111111111:report-group/"), name, json!("-*")])},
                {"Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"], "Effect": "Allow",
                 "Resource": {"Fn::GetAtt": [key_id.as_str(), "Arn"]}}
            ]))},
        }},
    }}));
    assert_eq!(
        project.encryption_key().map(|k| k.key_arn()),
        Some(key.key_arn())
    );
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn default_key_is_the_pipeline_buckets_or_aws_s3() {
    let app = App::new();
    let s = stack(&app);
    let plain = PipelineProject::new(&s, "Plain", PipelineProjectProps::default());
    let bound = PipelineProject::new(&s, "Bound", PipelineProjectProps::default());
    let key = Key::new(&s, "Key", KeyProps::default());
    let bucket = Bucket::new(
        &s,
        "Bucket",
        BucketProps {
            encryption_key: Some(key.into()),
            ..Default::default()
        },
    );
    bound.bind_to_code_pipeline(&bucket);
    let id = |c: &str| make_unique_id(&[c, "Resource"]);
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (id("Plain")): {"Properties": {
            "EncryptionKey": "alias/aws/s3",
            "Source": {"BuildSpec": Match::absent()},
        }},
        (id("Bound")): {"Properties": {
            "EncryptionKey": Match::exact(pattern!({"Fn::GetAtt": [id("Key"), "Arn"]})),
        }},
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    let _ = plain;
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn build_spec_with_tokens_and_files() {
    let app = App::new();
    let s = stack(&app);
    let bucket = Bucket::new(&s, "Bucket", BucketProps::default());
    let spec = BuildSpec::from_object_with_tokens(Value::object([
        ("version", Value::from("0.2")),
        (
            "env",
            Value::object([(
                "variables",
                Value::object([("BUCKET", bucket.bucket_name().into_value())]),
            )]),
        ),
    ]));
    PipelineProject::new(
        &s,
        "Tokens",
        PipelineProjectProps {
            build_spec: Some(spec),
            ..Default::default()
        },
    );
    PipelineProject::new(
        &s,
        "File",
        PipelineProjectProps {
            build_spec: Some(BuildSpec::from_source_filename("ci/buildspec.yml")),
            ..Default::default()
        },
    );
    Template::from_stack(&s).template_matches(pattern!({"Resources": {
        (make_unique_id(&["Tokens", "Resource"])): {"Properties": {"Source": {
            "BuildSpec": Match::exact(pattern!({"Fn::Join": ["", [
                "{\n  \"env\": {\n    \"variables\": {\n      \"BUCKET\": \"",
                {"Ref": make_unique_id(&["Bucket", "Resource"])},
                "\"\n    }\n  },\n  \"version\": \"0.2\"\n}"
            ]]})),
        }}},
        (make_unique_id(&["File", "Resource"])): {"Properties": {"Source": {
            "BuildSpec": "ci/buildspec.yml",
        }}},
    }}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn bad_projects_are_reported() {
    assert!(project_name_errors("ok-name_1").is_empty());
    assert!(!project_name_errors("-starts-with-dash").is_empty());
    assert!(!project_name_errors("x").is_empty());
    let app = App::new();
    let s = stack(&app);
    PipelineProject::new(
        &s,
        "P",
        PipelineProjectProps {
            project_name: Some("bad name".into()),
            build_spec: Some(BuildSpec::from_object(json!({"phases": {}}))),
            environment_variables: vec![
                ("A".into(), BuildEnvironmentVariable::plaintext("1")),
                ("A".into(), BuildEnvironmentVariable::plaintext("2")),
            ],
            timeout: Some(Duration::from_secs(90)),
            ..Default::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("o")).unwrap_err().to_string();
    assert!(err.contains("[Ci/P] project name 'bad name'"), "{err}");
    assert!(
        err.contains("[Ci/P] an inline build spec must have a 'version' key"),
        "{err}"
    );
    assert!(
        err.contains("[Ci/P] environment variable 'A' is defined twice in the project"),
        "{err}"
    );
    assert!(
        err.contains("[Ci/P] timeout must be a whole number of minutes between 5 and 2160"),
        "{err}"
    );
}
