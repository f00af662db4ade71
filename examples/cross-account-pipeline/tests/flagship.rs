//! The flagship example: stacks and environments, the pipeline's stages and actions, the
//! cross-account roles, the artifact bucket and key policies, the cross-stack import from the
//! pipeline to the repository, schema + cfn-lint validity and deterministic output.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

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

fn resources_of_type<'a>(template: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

fn statements(document: &Value) -> &Vec<Value> {
    document["Statement"].as_array().expect("statements")
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
    let template = &assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template;
    let pipelines = resources_of_type(template, "AWS::CodePipeline::Pipeline");
    assert_eq!(pipelines.len(), 1);
    let props = &pipelines[0].1["Properties"];
    assert_eq!(props["Name"], "CrossAccountPipeline");
    let stages: Vec<(String, Vec<String>)> = props["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Name"].as_str().unwrap().to_string(),
                s["Actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["Name"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        stages,
        vec![
            ("Source".to_string(), vec!["CodeCommit_Source".to_string()]),
            (
                "Build".to_string(),
                vec!["Application_Build".to_string(), "CDK_Synth".to_string()]
            ),
            ("Deploy_Dev".to_string(), vec!["Deploy".to_string()]),
            ("Deploy_Prod".to_string(), vec!["Deploy".to_string()]),
        ]
    );
    let source = &props["Stages"][0]["Actions"][0]["Configuration"];
    assert_eq!(source["BranchName"], "main");

    let prod = &props["Stages"][3]["Actions"][0];
    assert_eq!(
        prod["RoleArn"],
        "arn:aws:iam::222222222222:role/CodePipelineCrossAccountRole"
    );
    let config = &prod["Configuration"];
    assert_eq!(
        config["RoleArn"],
        "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole"
    );
    assert_eq!(config["StackName"], "ProdApplicationDeploymentStack");
    assert_eq!(
        config["TemplatePath"],
        "CdkBuildOutput::ProdApplicationStack.template.json"
    );
    assert_eq!(config["Capabilities"], "CAPABILITY_IAM");
    // The overrides name the prod stack's code parameters and fill them from the build output.
    let overrides: Value =
        serde_json::from_str(config["ParameterOverrides"].as_str().unwrap()).unwrap();
    let prod_params = assembly.stack("ProdApplicationStack").unwrap().template["Parameters"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("LambdaLambdaSource"))
        .cloned()
        .collect::<Vec<_>>();
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
    let dev_config = &props["Stages"][2]["Actions"][0]["Configuration"];
    assert_eq!(dev_config["StackName"], "DevApplicationDeploymentStack");
    assert_eq!(
        dev_config["TemplatePath"],
        "CdkBuildOutput::DevApplicationStack.template.json"
    );

    // The pipeline role may assume roles in the prod account.
    let policies = resources_of_type(template, "AWS::IAM::Policy");
    let assume = policies
        .iter()
        .flat_map(|(_, p)| statements(&p["Properties"]["PolicyDocument"]))
        .any(|s| {
            s["Action"] == "sts:AssumeRole" && s["Resource"] == "arn:aws:iam::222222222222:role/*"
        });
    assert!(assume, "pipeline role can assume prod roles");
    // The export of the key ARN.
    assert_eq!(
        template["Outputs"]["ArtifactBucketEncryptionKeyArn"]["Export"]["Name"],
        "ArtifactBucketEncryptionKey"
    );
    // Both build projects use standard 7.0 and the artifact key.
    let projects = resources_of_type(template, "AWS::CodeBuild::Project");
    assert_eq!(projects.len(), 2);
    for (_, project) in projects {
        assert_eq!(
            project["Properties"]["Environment"]["Image"],
            "aws/codebuild/standard:7.0"
        );
        assert!(project["Properties"]["EncryptionKey"]["Fn::GetAtt"][0]
            .as_str()
            .unwrap()
            .starts_with("ArtifactKey"));
    }
}

#[test]
fn artifact_bucket_and_key_are_shared_with_the_prod_account() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let template = &assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template;
    let prod_root = root_of("222222222222");

    let (_, bucket) = resources_of_type(template, "AWS::S3::Bucket")[0];
    assert_eq!(
        bucket["Properties"]["BucketName"],
        "artifact-bucket-111111111111"
    );
    assert_eq!(bucket["DeletionPolicy"], "Delete");
    let sse = &bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        ["ServerSideEncryptionByDefault"];
    assert_eq!(sse["SSEAlgorithm"], "aws:kms");

    let (_, policy) = resources_of_type(template, "AWS::S3::BucketPolicy")[0];
    let bucket_statements = statements(&policy["Properties"]["PolicyDocument"]);
    let for_prod: Vec<&Value> = bucket_statements
        .iter()
        .filter(|s| s["Principal"] == json!({"AWS": prod_root.clone()}))
        .collect();
    assert!(
        for_prod
            .iter()
            .any(|s| s["Action"].to_string().contains("s3:PutObject")),
        "put granted"
    );
    assert!(
        for_prod
            .iter()
            .any(|s| s["Action"].to_string().contains("s3:GetObject*")),
        "read granted"
    );

    let (_, key) = resources_of_type(template, "AWS::KMS::Key")[0];
    let key_statements = statements(&key["Properties"]["KeyPolicy"]);
    let prod_key_actions: Vec<String> = key_statements
        .iter()
        .filter(|s| s["Principal"] == json!({"AWS": prod_root.clone()}))
        .map(|s| s["Action"].to_string())
        .collect();
    assert!(
        prod_key_actions.iter().any(|a| a.contains("kms:Decrypt")),
        "{prod_key_actions:?}"
    );
    assert!(
        prod_key_actions.iter().any(|a| a.contains("kms:Encrypt")),
        "{prod_key_actions:?}"
    );
    let (_, alias) = resources_of_type(template, "AWS::KMS::Alias")[0];
    assert_eq!(alias["Properties"]["AliasName"], "alias/key/artifact-key");
}

#[test]
fn the_pipeline_imports_the_repository_and_depends_on_its_stack() {
    let dir = tempfile::tempdir().unwrap();
    let assembly = synth_with(&[], &dir.path().join("cdk.out"));
    let repo_template = &assembly.stack("RepositoryStack").unwrap().template;
    let (_, repo) = resources_of_type(repo_template, "AWS::CodeCommit::Repository")[0];
    assert_eq!(repo["Properties"]["RepositoryName"], "repo-111111111111");
    let export = repo_template["Outputs"]
        .as_object()
        .unwrap()
        .values()
        .find_map(|o| o["Export"]["Name"].as_str())
        .expect("the repository stack exports a value")
        .to_string();
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
        let t = &assembly.stack(stack).unwrap().template;
        let (_, function) = resources_of_type(t, "AWS::Lambda::Function")[0];
        assert_eq!(
            function["Properties"]["Environment"]["Variables"]["STAGE_NAME"],
            stage
        );
        assert_eq!(function["Properties"]["Runtime"], "nodejs24.x");
        let (_, api_stage) = resources_of_type(t, "AWS::ApiGateway::Stage")[0];
        assert_eq!(api_stage["Properties"]["StageName"], stage);
        let exported = t["Outputs"]
            .as_object()
            .unwrap()
            .values()
            .any(|o| o["Export"]["Name"] == format!("CdkTsLambdaRestApiEndpoint-{stage}"));
        assert!(exported, "{stack} exports its endpoint");
    }
    let roles = &assembly.stack("ProdAccountRolesStack").unwrap().template;
    let by_name = |name: &str| {
        resources_of_type(roles, "AWS::IAM::Role")
            .into_iter()
            .find(|(_, r)| r["Properties"]["RoleName"] == name)
            .map(|(id, r)| (id.clone(), r.clone()))
            .unwrap_or_else(|| panic!("role {name}"))
    };
    let (cross_id, cross) = by_name("CodePipelineCrossAccountRole");
    assert_eq!(
        statements(&cross["Properties"]["AssumeRolePolicyDocument"])[0]["Principal"],
        json!({"AWS": root_of("111111111111")})
    );
    let (deploy_id, deploy) = by_name("CloudFormationDeploymentRole");
    assert_eq!(
        statements(&deploy["Properties"]["AssumeRolePolicyDocument"])[0]["Principal"],
        json!({"Service": "cloudformation.amazonaws.com"})
    );
    let policy_of = |role_id: &str| -> Vec<Value> {
        resources_of_type(roles, "AWS::IAM::Policy")
            .into_iter()
            .filter(|(_, p)| p["Properties"]["Roles"] == json!([{"Ref": role_id}]))
            .flat_map(|(_, p)| statements(&p["Properties"]["PolicyDocument"]).clone())
            .collect()
    };
    let cross_statements = policy_of(&cross_id);
    assert!(cross_statements
        .iter()
        .any(|s| s["Action"] == "iam:PassRole"
            && s["Resource"] == "arn:aws:iam::222222222222:role/CloudFormationDeploymentRole"));
    assert!(cross_statements.iter().any(|s| s["Resource"]
        == "arn:aws:cloudformation:us-east-1:222222222222:stack/ProdApplicationDeploymentStack/*"));
    let deploy_statements = policy_of(&deploy_id);
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
    let pipeline = &assembly
        .stack("CrossAccountPipelineStack")
        .unwrap()
        .template;
    let projects = resources_of_type(pipeline, "AWS::CodeBuild::Project");
    let (_, synth) = projects
        .iter()
        .find(|(id, _)| id.starts_with("CdkBuild"))
        .expect("the CDK_Synth project");
    let cache = &synth["Properties"]["Cache"];
    assert_eq!(cache["Type"], "S3");
    assert_eq!(
        cache["Location"]["Fn::Join"][1][1], "codebuild-cache/cdk-synth",
        "{cache}"
    );
    let spec: Value =
        serde_json::from_str(synth["Properties"]["Source"]["BuildSpec"].as_str().unwrap()).unwrap();
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
    let prod = &assembly.stack("ProdApplicationStack").unwrap().template;
    let (_, function) = resources_of_type(prod, "AWS::Lambda::Function")[0];
    assert_eq!(function["Metadata"]["aws:asset:property"], "Code");
    assert!(prod["Parameters"]
        .as_object()
        .unwrap()
        .keys()
        .all(|k| !k.starts_with("LambdaLambdaSource")));
    let staged = function["Metadata"]["aws:asset:path"].as_str().unwrap();
    assert!(assembly.directory.join(staged).join("index.js").exists());
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
