//! The flagship example: stacks and environments, the pipeline's stages and actions, the
//! cross-account roles, the artifact bucket and key policies, the cross-stack import from the
//! pipeline to the repository, schema + cfn-lint validity and deterministic output.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use cdk_assertions::{pattern, Capture, Match, Template};
use cdk_core::{App, AppProps, CloudAssembly};
use cross_account_pipeline_example::{build, Settings};
use rcdk_tests::{read_assembly_files, read_json, validate_assembly};
use serde_json::{json, Value};

/// Synthesizes with `context`; the code source is the pipeline's (`lambdaCode=parameters`) unless
/// `context` names one.
fn synth_with(context: &[(&str, &str)], dir: &Path) -> CloudAssembly {
    let app = App::with_props(AppProps {
        context: std::iter::once(&("lambdaCode", "parameters"))
            .chain(context)
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect(),
        outdir: Some(dir.to_path_buf()),
    });
    let settings = Settings::from_context(&app).expect("valid settings");
    build(&app, &settings);
    app.synth().unwrap_or_else(|e| panic!("synth failed: {e}"))
}

/// The written template of `stack`.
fn template(assembly: &CloudAssembly, stack: &str) -> Template {
    Template::from_json(assembly.stack(stack).unwrap().template.clone())
}

/// The statements of every policy of type `ty` matching `props`.
fn statements_of(t: &Template, ty: &str, document: &str, props: Value) -> Vec<Value> {
    t.find_resources(ty, pattern!({"Properties": props}))
        .values()
        .flat_map(|r| {
            r["Properties"][document]["Statement"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn root_of(account: &str) -> Value {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":iam::{account}:root")]]})
}

#[test]
fn stacks_land_in_the_right_accounts_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let envs: BTreeMap<&str, String> = assembly
        .stacks
        .iter()
        .map(|s| (s.artifact_id.as_str(), s.environment.to_uri()))
        .collect();
    assert_eq!(
        envs,
        BTreeMap::from([
            (
                "CrossAccountPipelineStack",
                "aws://111111111111/us-east-1".to_string()
            ),
            (
                "DevApplicationStack",
                "aws://111111111111/us-east-1".to_string()
            ),
            (
                "ProdAccountRolesStack",
                "aws://222222222222/us-east-1".to_string()
            ),
            (
                "ProdApplicationStack",
                "aws://222222222222/us-east-1".to_string()
            ),
            (
                "RepositoryStack",
                "aws://111111111111/us-east-1".to_string()
            ),
        ])
    );
    validate_assembly(&assembly.directory, true);
}

#[test]
fn pipeline_stages_actions_and_the_prod_deploy_roles() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let t = template(&assembly, "CrossAccountPipelineStack");
    t.resource_count_is("AWS::CodePipeline::Pipeline", 1);
    let overrides = Capture::new();
    t.has_resource_properties("AWS::CodePipeline::Pipeline", pattern!({
        "Name": "CrossAccountPipeline",
        "Stages": [
            {"Name": "Source", "Actions": [{"Name": "CodeCommit_Source", "Configuration": {"BranchName": "main"}}]},
            {"Name": "Build", "Actions": [{"Name": "Application_Build"}, {"Name": "CDK_Synth"}]},
            {"Name": "Deploy_Dev", "Actions": [{"Name": "Deploy", "Configuration": {
                "StackName": "DevApplicationDeploymentStack",
                "TemplatePath": "CdkBuildOutput::DevApplicationStack.template.json",
            }}]},
            {"Name": "Deploy_Prod", "Actions": [{
                "Name": "Deploy",
                "RoleArn": "arn:aws:iam::222222222222:role/CodePipelineCrossAccountRole",
                "Configuration": {
                    "RoleArn": "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole",
                    "StackName": "ProdApplicationDeploymentStack",
                    "TemplatePath": "CdkBuildOutput::ProdApplicationStack.template.json",
                    "Capabilities": "CAPABILITY_IAM",
                    "ParameterOverrides": Match::serialized_json(&overrides),
                },
            }]},
        ],
    }));
    // The overrides name the prod stack's code parameters and fill them from the build output.
    let overrides = overrides.as_object();
    let prod_params: Vec<String> = template(&assembly, "ProdApplicationStack")
        .find_parameters("*", Match::any_value())
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with("LambdaLambdaSource"))
        .collect();
    assert_eq!(prod_params.len(), 2);
    for param in &prod_params {
        let attr = if param.contains("BucketName") {
            "BucketName"
        } else {
            "ObjectKey"
        };
        assert_eq!(
            overrides[param],
            json!({"Fn::GetArtifactAtt": ["LambdaBuildOutput", attr]})
        );
    }

    // The pipeline role may assume roles in the prod account.
    t.has_resource_properties("AWS::IAM::Policy", pattern!({"PolicyDocument": {"Statement": Match::array_with([
        Match::object_like(pattern!({"Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/*"})),
    ])}}));
    // The export of the key ARN.
    t.has_output(
        "ArtifactBucketEncryptionKeyArn",
        pattern!({"Export": {"Name": "ArtifactBucketEncryptionKey"}}),
    );
    // Both build projects use standard 7.0 and the artifact key.
    t.resource_count_is("AWS::CodeBuild::Project", 2);
    t.all_resources_properties("AWS::CodeBuild::Project", pattern!({
        "Environment": {"Image": "aws/codebuild/standard:7.0"},
        "EncryptionKey": {"Fn::GetAtt": [Match::string_like_regexp("^ArtifactKey"), Match::any_value()]},
    }));
}

#[test]
fn artifact_bucket_and_key_are_shared_with_the_prod_account() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let t = template(&assembly, "CrossAccountPipelineStack");
    let prod = json!({"AWS": root_of("222222222222")});

    t.resource_count_is("AWS::S3::Bucket", 1);
    t.has_resource(
        "AWS::S3::Bucket",
        pattern!({
            "DeletionPolicy": "Delete",
            "Properties": {
                "BucketName": "artifact-bucket-111111111111",
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}},
                ]},
            },
        }),
    );
    // Statements for the prod account whose actions include these.
    let granted = |ty: &str, document: &str, action: &str| {
        statements_of(&t, ty, document, json!({}))
            .iter()
            .any(|s| s["Principal"] == prod && s["Action"].to_string().contains(action))
    };
    t.resource_count_is("AWS::S3::BucketPolicy", 1);
    assert!(
        granted("AWS::S3::BucketPolicy", "PolicyDocument", "s3:PutObject"),
        "put granted"
    );
    assert!(
        granted("AWS::S3::BucketPolicy", "PolicyDocument", "s3:GetObject*"),
        "read granted"
    );
    t.resource_count_is("AWS::KMS::Key", 1);
    assert!(
        granted("AWS::KMS::Key", "KeyPolicy", "kms:Decrypt"),
        "decrypt granted"
    );
    assert!(
        granted("AWS::KMS::Key", "KeyPolicy", "kms:Encrypt"),
        "encrypt granted"
    );
    t.resource_count_is("AWS::KMS::Alias", 1);
    t.has_resource_properties(
        "AWS::KMS::Alias",
        pattern!({"AliasName": "alias/key/artifact-key"}),
    );
}

#[test]
fn the_pipeline_imports_the_repository_and_depends_on_its_stack() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let repo = template(&assembly, "RepositoryStack");
    repo.resource_count_is("AWS::CodeCommit::Repository", 1);
    repo.has_resource_properties(
        "AWS::CodeCommit::Repository",
        pattern!({"RepositoryName": "repo-111111111111"}),
    );
    let export = Capture::new();
    repo.has_output("*", pattern!({"Export": {"Name": &export}}));
    let export = export.as_string();
    // The pipeline imports it (somewhere in its template).
    let pipeline = &assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template;
    assert!(
        pipeline
            .to_string()
            .contains(&json!({"Fn::ImportValue": export}).to_string()),
        "the pipeline imports {export}"
    );
    let manifest = read_json(&assembly.directory.join("manifest.json"));
    assert_eq!(
        manifest["artifacts"]["CrossAccountPipelineStack"]["dependencies"],
        json!(["RepositoryStack", "CrossAccountPipelineStack.assets"])
    );
}

#[test]
fn application_stacks_and_prod_roles() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    for (stack, stage) in [
        ("DevApplicationStack", "dev"),
        ("ProdApplicationStack", "prod"),
    ] {
        let t = template(&assembly, stack);
        t.resource_count_is("AWS::Lambda::Function", 1);
        t.has_resource_properties(
            "AWS::Lambda::Function",
            pattern!({
                "Environment": {"Variables": {"STAGE_NAME": stage}},
                "Runtime": "nodejs24.x",
            }),
        );
        t.resource_count_is("AWS::ApiGateway::Stage", 1);
        t.has_resource_properties("AWS::ApiGateway::Stage", pattern!({"StageName": stage}));
        // It exports its endpoint.
        t.has_output(
            "*",
            pattern!({"Export": {"Name": format!("CdkTsLambdaRestApiEndpoint-{stage}")}}),
        );
    }
    let roles = template(&assembly, "ProdAccountRolesStack");
    let role_id = |name: &str| {
        roles.get_resource_id(
            "AWS::IAM::Role",
            pattern!({"Properties": {"RoleName": name}}),
        )
    };
    let cross_id = role_id("CodePipelineCrossAccountRole");
    let deploy_id = role_id("CloudFormationDeploymentRole");
    roles.template_matches(pattern!({"Resources": {
        (cross_id.as_str()): {"Properties": {"AssumeRolePolicyDocument": {"Statement": Match::array_with([
            Match::object_like(pattern!({"Principal": Match::exact(pattern!({"AWS": root_of("111111111111")}))})),
        ])}}},
        (deploy_id.as_str()): {"Properties": {"AssumeRolePolicyDocument": {"Statement": Match::array_with([
            Match::object_like(pattern!({"Principal": Match::exact(pattern!({"Service": "cloudformation.amazonaws.com"}))})),
        ])}}},
    }}));
    let cross_statements = Capture::new();
    let mut cross = Vec::new();
    roles.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "Roles": Match::exact(pattern!([{"Ref": cross_id.as_str()}])),
            "PolicyDocument": {"Statement": &cross_statements},
        }),
    );
    loop {
        cross.extend(cross_statements.as_array());
        if !cross_statements.next() {
            break;
        }
    }
    let deploy = statements_of(
        &roles,
        "AWS::IAM::Policy",
        "PolicyDocument",
        json!({"Roles": [{"Ref": deploy_id}]}),
    );
    let cross_statements = cross;
    let deploy_statements = deploy;
    assert!(cross_statements
        .iter()
        .any(|s| s["Action"] == "iam:PassRole"
            && s["Resource"] == "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole"));
    assert!(cross_statements.iter().any(|s| s["Resource"]
        == "arn:aws:cloudformation:us-east-1:222222222222:stack/ProdApplicationDeploymentStack/*"));
    let cfn = deploy_statements
        .iter()
        .find(|s| s["Action"].to_string().contains("cloudformation:"))
        .expect("cloudformation statement");
    assert_eq!(
        cfn["Resource"],
        "arn:aws:cloudformation:us-east-1:222222222222:stack/ProdApplicationDeploymentStack/*"
    );
    for s in cross_statements.iter().chain(&deploy_statements) {
        assert_ne!(s["Action"], "*", "no wildcard actions: {s}");
        assert_ne!(s["Resource"], "*", "no wildcard resources: {s}");
    }
}

#[test]
fn the_synth_project_caches_cargo_and_the_target_dir_in_the_artifact_bucket() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let t = template(&assembly, "CrossAccountPipelineStack");
    let location = Capture::new();
    let spec = Capture::new();
    let synth_id = t.get_resource_id(
        "AWS::CodeBuild::Project",
        pattern!({"Properties": {
            "Cache": {"Type": "S3", "Location": {"Fn::Join": [Match::any_value(), &location]}},
            "Source": {"BuildSpec": Match::serialized_json(&spec)},
        }}),
    );
    assert!(
        synth_id.starts_with("CdkBuild"),
        "the CDK_Synth project: {synth_id}"
    );
    assert_eq!(location.as_array()[1], "codebuild-cache/cdk-synth");
    let spec = spec.as_value();
    let paths = spec["cache"]["paths"].as_array().unwrap();
    assert!(paths.contains(&json!("/root/.cargo/registry/**/*")));
    assert!(paths.contains(&json!("target/**/*")));
    let install = spec["phases"]["install"]["commands"].to_string();
    assert!(install.contains("CARGO_TARGET_DIR"), "{install}");
}

#[test]
fn the_code_comes_from_the_asset_unless_the_pipeline_asks_for_parameters() {
    let app = App::with_props(AppProps::default());
    let settings = Settings::from_context(&app).expect("valid settings");
    assert_eq!(
        settings.lambda_code,
        cross_account_pipeline_example::LambdaCodeSource::Asset,
        "`rcdk deploy DevApplicationStack` works without flags"
    );
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let pipeline = assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template
        .to_string();
    assert!(
        pipeline.contains("rcdk synth -q -c lambdaCode=parameters"),
        "the pipeline's synth step asks for the parameter variant"
    );
}

#[test]
fn context_sets_accounts_and_the_code_source() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(
        &[
            ("toolsAccount", "333333333333"),
            ("prodAccount", "444444444444"),
            ("lambdaCode", "asset"),
        ],
        &dir.path().join("cdk.out"),
    );
    assert_eq!(
        assembly
            .stack("ProdApplicationStack")
            .unwrap()
            .environment
            .to_uri(),
        "aws://444444444444/us-east-1"
    );
    let prod = template(&assembly, "ProdApplicationStack");
    let staged = Capture::new();
    prod.resource_count_is("AWS::Lambda::Function", 1);
    prod.has_resource(
        "AWS::Lambda::Function",
        pattern!({"Metadata": {
            "aws:asset:property": "Code",
            "aws:asset:path": &staged,
        }}),
    );
    assert!(prod
        .find_parameters("*", Match::any_value())
        .keys()
        .all(|k| !k.starts_with("LambdaLambdaSource")));
    assert!(assembly
        .directory
        .join(staged.as_string())
        .join("index.js")
        .exists());
    let pipeline = assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template
        .to_string();
    assert!(pipeline.contains("arn:aws:iam::444444444444:role/CodePipelineCrossAccountRole"));
    validate_assembly(&assembly.directory, true);
}

#[test]
fn bad_context_is_reported_by_key() {
    let app = App::with_props(AppProps {
        context: [("prodAccount".to_string(), json!("12345"))].into(),
        ..Default::default()
    });
    let err = Settings::from_context(&app).unwrap_err();
    assert!(
        err.contains("'prodAccount' must be a 12-digit AWS account ID (got '12345')"),
        "{err}"
    );
    let app = App::with_props(AppProps {
        context: [("lambdaCode".to_string(), json!("zip"))].into(),
        ..Default::default()
    });
    assert!(Settings::from_context(&app)
        .unwrap_err()
        .contains("'lambdaCode'"));
}

#[test]
fn the_app_binary_writes_byte_identical_output_twice_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &Path, context: &str| {
        Command::new(env!("CARGO_BIN_EXE_cross-account-pipeline"))
            .env("CDK_OUTDIR", out)
            .env("CDK_CONTEXT_JSON", context)
            .output()
            .expect("run the app")
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(run(&a, "{}").status.success());
    assert!(run(&b, "{}").status.success());
    let (first, second) = (read_assembly_files(&a), read_assembly_files(&b));
    assert!(first.len() >= 13, "{:?}", first.keys());
    assert_eq!(first, second);

    let bad = run(&dir.path().join("bad"), r#"{"toolsAccount":"tools"}"#);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'toolsAccount' must be a 12-digit"));
    assert!(!dir.path().join("bad").exists());
}
