//! Pipelines and actions: the cross-account pipeline of the flagship example, the artifact
//! bucket created by the pipeline, cross-account sources and bad input.

use cdk_constructs::codebuild::*;
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::*;
use cdk_constructs::codepipeline_actions::*;
use cdk_constructs::iam::{AccountPrincipal, FromRoleArnOptions, Role};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{Bucket, BucketEncryption, BucketProps};
use cdk_core::logical_id::make_unique_id;
use cdk_core::{App, Environment, RemovalPolicy, Stack, StackProps, Str};
use serde_json::{json, Value as J};

const TOOLS: &str = "111111111111";
const PROD: &str = "222222222222";

fn env(account: &str) -> Option<Environment> {
    Some(Environment::new(account, "us-east-1"))
}

fn stack(app: &App, id: &str, account: &str) -> Stack {
    Stack::new(
        app,
        id,
        StackProps {
            env: env(account),
            ..Default::default()
        },
    )
}

fn id(path: &[&str]) -> String {
    make_unique_id(path)
}

fn partition_arn(rest: &str) -> J {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, rest]]})
}

/// Statements of the policy resource `logical_id`.
fn statements(t: &J, logical_id: &str) -> Vec<J> {
    let r = &t["Resources"][logical_id];
    let doc = if r["Type"] == "AWS::KMS::Key" {
        &r["Properties"]["KeyPolicy"]
    } else {
        &r["Properties"]["PolicyDocument"]
    };
    doc["Statement"]
        .as_array()
        .unwrap_or_else(|| panic!("no statements in {logical_id}: {r:#}"))
        .clone()
}

fn find_statement<'a>(statements: &'a [J], action: &J) -> &'a J {
    statements
        .iter()
        .find(|s| &s["Action"] == action)
        .unwrap_or_else(|| panic!("no statement with {action} in {statements:#?}"))
}

struct Flagship {
    app: App,
    lambda_code_dev: cdk_constructs::lambda::CfnParametersCode,
}

/// The flagship example's four stacks, with the construct IDs of the tutorial it follows.
fn flagship() -> Flagship {
    let app = App::new();
    let repo_stack = stack(&app, "RepositoryStack", TOOLS);
    let repo = Repository::new(
        &repo_stack,
        "CodeCommitRepo",
        RepositoryProps {
            repository_name: format!("repo-{TOOLS}"),
            ..Default::default()
        },
    );
    let app_stack = |id: &str, account: &str| {
        let s = stack(&app, id, account);
        let code = Code::from_cfn_parameters();
        let mut props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", code.clone());
        props.environment.insert("STAGE_NAME".into(), Str::from(id));
        Function::new(&s, "Lambda", props);
        code
    };
    let dev_code = app_stack("DevApplicationStack", TOOLS);
    let prod_code = app_stack("ProdApplicationStack", PROD);

    let ps = stack(&app, "CrossAccountPipelineStack", TOOLS);
    let prod_root = AccountPrincipal::new(PROD);
    let key = Key::new(
        &ps,
        "ArtifactKey",
        KeyProps {
            alias: Some("key/artifact-key".into()),
            ..Default::default()
        },
    );
    key.grant_decrypt(&prod_root);
    key.grant_encrypt(&prod_root);
    let bucket = Bucket::new(
        &ps,
        "ArtifactBucket",
        BucketProps {
            bucket_name: Some(format!("artifact-bucket-{TOOLS}").into()),
            removal_policy: Some(RemovalPolicy::Destroy),
            encryption: BucketEncryption::Kms,
            encryption_key: Some(key.clone().into()),
            ..Default::default()
        },
    );
    bucket.grant_put(&prod_root);
    bucket.grant_read(&prod_root);
    let project = |id: &str, commands: Vec<&str>, files: J| {
        PipelineProject::new(
            &ps,
            id,
            PipelineProjectProps {
                build_spec: Some(BuildSpec::from_object(json!({
                    "version": "0.2",
                    "phases": {"build": {"commands": commands}},
                    "artifacts": files,
                }))),
                environment: BuildEnvironment {
                    build_image: Some(LinuxBuildImage::STANDARD_7_0),
                    ..Default::default()
                },
                encryption_key: Some(key.clone().into()),
                ..Default::default()
            },
        )
    };
    let cdk_build = project(
        "CdkBuild",
        vec!["rcdk synth"],
        json!({"base-directory": "cdk.out", "files": ["*.template.json"]}),
    );
    let lambda_build = project(
        "LambdaBuild",
        vec!["npm ci"],
        json!({"files": ["index.js"]}),
    );
    let immutable = FromRoleArnOptions::immutable();
    let deployment_role = Role::from_role_arn(
        &ps,
        "ProdDeploymentRole",
        format!("arn:aws:iam::{PROD}:role/CloudFormationDeploymentRole"),
        immutable.clone(),
    );
    let cross_account_role = Role::from_role_arn(
        &ps,
        "ProdCrossAccountRole",
        format!("arn:aws:iam::{PROD}:role/CodePipelineCrossAccountRole"),
        immutable.clone(),
    );
    let source = Artifact::unnamed();
    let cdk_out = Artifact::new("CdkBuildOutput");
    let lambda_out = Artifact::new("LambdaBuildOutput");
    let pipeline = Pipeline::new(
        &ps,
        "CrossAccountPipeline",
        PipelineProps {
            pipeline_name: Some("CrossAccountPipeline".into()),
            artifact_bucket: Some(bucket.clone().into()),
            ..Default::default()
        },
    );
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                branch: Some("main".into()),
                ..CodeCommitSourceActionProps::new("CodeCommit_Source", &repo, &source)
            },
        ))],
    ));
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![
            Box::new(CodeBuildAction::new(CodeBuildActionProps {
                outputs: vec![lambda_out.clone()],
                ..CodeBuildActionProps::new("Application_Build", &lambda_build, &source)
            })),
            Box::new(CodeBuildAction::new(CodeBuildActionProps {
                outputs: vec![cdk_out.clone()],
                ..CodeBuildActionProps::new("CDK_Synth", &cdk_build, &source)
            })),
        ],
    ));
    let deploy =
        |template: &str, stack_name: &str, code: &cdk_constructs::lambda::CfnParametersCode| {
            CloudFormationCreateUpdateStackActionProps {
                parameter_overrides: code.assign(
                    lambda_out.bucket_name().into_value(),
                    lambda_out.object_key().into_value(),
                ),
                extra_inputs: vec![lambda_out.clone()],
                ..CloudFormationCreateUpdateStackActionProps::new(
                    "Deploy",
                    cdk_out.at_path(template),
                    stack_name,
                    true,
                )
            }
        };
    pipeline.add_stage(StageProps::new(
        "Deploy_Dev",
        vec![Box::new(CloudFormationCreateUpdateStackAction::new(
            deploy(
                "DevApplicationStack.template.json",
                "DevApplicationDeploymentStack",
                &dev_code,
            ),
        ))],
    ));
    pipeline.add_stage(StageProps::new(
        "Deploy_Prod",
        vec![Box::new(CloudFormationCreateUpdateStackAction::new(
            CloudFormationCreateUpdateStackActionProps {
                deployment_role: Some(deployment_role.clone().into()),
                role: Some(cross_account_role.clone().into()),
                cfn_capabilities: Some(vec![CfnCapabilities::AnonymousIam]),
                ..deploy(
                    "ProdApplicationStack.template.json",
                    "ProdApplicationDeploymentStack",
                    &prod_code,
                )
            },
        ))],
    ));
    pipeline.add_to_role_policy(
        cdk_constructs::iam::PolicyStatement::new()
            .action("sts:AssumeRole")
            .resource(format!("arn:aws:iam::{PROD}:role/*")),
    );
    Flagship {
        app,
        lambda_code_dev: dev_code,
    }
}

#[test]
fn cross_account_pipeline_stages_actions_and_iam_wiring() {
    let f = flagship();
    let dir = tempfile::tempdir().unwrap();
    let a = f.app.synth_to(dir.path().join("o")).unwrap();
    let t = &a.stack("CrossAccountPipelineStack").unwrap().template;
    let p = "CrossAccountPipeline";
    let pipeline_id = id(&[p, "Resource"]);
    let pipeline_role = id(&[p, "Role", "Resource"]);
    let pipeline_policy = id(&[p, "Role", "DefaultPolicy", "Resource"]);
    let bucket = id(&["ArtifactBucket", "Resource"]);
    let key = id(&["ArtifactKey", "Resource"]);
    let res = &t["Resources"][&pipeline_id];
    let props = &res["Properties"];
    assert_eq!(props["Name"], "CrossAccountPipeline");
    // No pipeline type given and @aws-cdk/aws-codepipeline:defaultPipelineTypeToV2 absent:
    // aws-cdk-lib renders none (V1).
    assert!(props.get("PipelineType").is_none());
    assert_eq!(
        props["ArtifactStore"],
        json!({"EncryptionKey": {"Id": {"Fn::GetAtt": [key, "Arn"]}, "Type": "KMS"},
               "Location": {"Ref": bucket}, "Type": "S3"})
    );
    assert_eq!(
        props["RoleArn"],
        json!({"Fn::GetAtt": [pipeline_role, "Arn"]})
    );
    assert_eq!(res["DependsOn"], json!([pipeline_policy, pipeline_role]));

    // Stage and action order.
    let stages = props["Stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Source", "Build", "Deploy_Dev", "Deploy_Prod"]);
    let action_names: Vec<Vec<&str>> = stages
        .iter()
        .map(|s| {
            s["Actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["Name"].as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        action_names,
        [
            vec!["CodeCommit_Source"],
            vec!["Application_Build", "CDK_Synth"],
            vec!["Deploy"],
            vec!["Deploy"]
        ]
    );

    // Source: the repository of the other stack (same environment) through an import.
    let source = &stages[0]["Actions"][0];
    assert_eq!(
        source["ActionTypeId"],
        json!({"Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1"})
    );
    assert_eq!(source["Configuration"]["BranchName"], "main");
    assert_eq!(source["Configuration"]["PollForSourceChanges"], false);
    assert!(source["Configuration"]["RepositoryName"]["Fn::ImportValue"].is_string());
    assert_eq!(
        source["OutputArtifacts"],
        json!([{"Name": "Artifact_Source_CodeCommit_Source"}])
    );
    let source_role = id(&[
        p,
        "Source",
        "CodeCommit_Source",
        "CodePipelineActionRole",
        "Resource",
    ]);
    assert_eq!(
        source["RoleArn"],
        json!({"Fn::GetAtt": [source_role, "Arn"]})
    );
    assert_eq!(source["RunOrder"], 1);

    // Build actions.
    let build = &stages[1]["Actions"][0];
    assert_eq!(
        build["Configuration"],
        json!({"ProjectName": {"Ref": id(&["LambdaBuild", "Resource"])}})
    );
    assert_eq!(
        build["InputArtifacts"],
        json!([{"Name": "Artifact_Source_CodeCommit_Source"}])
    );
    assert_eq!(
        build["OutputArtifacts"],
        json!([{"Name": "LambdaBuildOutput"}])
    );
    assert_eq!(
        stages[1]["Actions"][1]["OutputArtifacts"],
        json!([{"Name": "CdkBuildOutput"}])
    );

    // Deploy_Dev: generated action role and deployment role.
    let dev = &stages[2]["Actions"][0];
    let dev_action_role = id(&[
        p,
        "Deploy_Dev",
        "Deploy",
        "CodePipelineActionRole",
        "Resource",
    ]);
    let dev_deploy_role = id(&[p, "Deploy_Dev", "Deploy", "Role", "Resource"]);
    let dev_bucket_param = id(&["Lambda", "LambdaSourceBucketNameParameter"]);
    let dev_key_param = id(&["Lambda", "LambdaSourceObjectKeyParameter"]);
    assert_eq!(
        dev["Configuration"],
        json!({
            "ActionMode": "CREATE_UPDATE",
            "Capabilities": "CAPABILITY_NAMED_IAM",
            "ParameterOverrides": format!(
                "{{\"{dev_bucket_param}\":{{\"Fn::GetArtifactAtt\":[\"LambdaBuildOutput\",\"BucketName\"]}},\"{dev_key_param}\":{{\"Fn::GetArtifactAtt\":[\"LambdaBuildOutput\",\"ObjectKey\"]}}}}"
            ),
            "RoleArn": {"Fn::GetAtt": [dev_deploy_role, "Arn"]},
            "StackName": "DevApplicationDeploymentStack",
            "TemplatePath": "CdkBuildOutput::DevApplicationStack.template.json"
        })
    );
    assert_eq!(
        dev["InputArtifacts"],
        json!([{"Name": "LambdaBuildOutput"}, {"Name": "CdkBuildOutput"}])
    );
    assert_eq!(
        dev["RoleArn"],
        json!({"Fn::GetAtt": [dev_action_role, "Arn"]})
    );
    assert!(f.lambda_code_dev.bucket_name_param().is_some());

    // Deploy_Prod: imported roles of the prod account, by ARN.
    let prod = &stages[3]["Actions"][0];
    let prod_action_role = format!("arn:aws:iam::{PROD}:role/CodePipelineCrossAccountRole");
    let prod_deploy_role = format!("arn:aws:iam::{PROD}:role/CloudFormationDeploymentRole");
    assert_eq!(prod["RoleArn"], prod_action_role);
    assert_eq!(prod["Configuration"]["RoleArn"], prod_deploy_role);
    assert_eq!(prod["Configuration"]["Capabilities"], "CAPABILITY_IAM");
    assert_eq!(
        prod["Configuration"]["TemplatePath"],
        "CdkBuildOutput::ProdApplicationStack.template.json"
    );
    assert_eq!(
        prod["Configuration"]["StackName"],
        "ProdApplicationDeploymentStack"
    );
    let prod_overrides: J = serde_json::from_str(
        prod["Configuration"]["ParameterOverrides"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        prod_overrides[id(&["Lambda", "LambdaSourceBucketNameParameter"])],
        json!({"Fn::GetArtifactAtt": ["LambdaBuildOutput", "BucketName"]})
    );

    // Pipeline role: bucket read/write + key, assume every action role, the extra statement.
    let ps = statements(t, &pipeline_policy);
    let rw = find_statement(
        &ps,
        &json!([
            "s3:GetObject*",
            "s3:GetBucket*",
            "s3:List*",
            "s3:DeleteObject*",
            "s3:PutObject",
            "s3:PutObjectLegalHold",
            "s3:PutObjectRetention",
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
            "s3:Abort*"
        ]),
    );
    assert_eq!(
        rw["Resource"],
        json!([{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}])
    );
    let assumed: Vec<&J> = ps
        .iter()
        .filter(|s| s["Action"] == "sts:AssumeRole")
        .map(|s| &s["Resource"])
        .collect();
    let build_role = |action: &str| json!({"Fn::GetAtt": [id(&[p, "Build", action, "CodePipelineActionRole", "Resource"]), "Arn"]});
    assert_eq!(
        assumed,
        [
            &json!({"Fn::GetAtt": [source_role, "Arn"]}),
            &build_role("Application_Build"),
            &build_role("CDK_Synth"),
            &json!({"Fn::GetAtt": [dev_action_role, "Arn"]}),
            &json!(prod_action_role),
            &json!(format!("arn:aws:iam::{PROD}:role/*")),
        ]
    );

    // Dev action role: pass the deployment role, read the artifacts, run CloudFormation.
    let dev_policy = id(&[
        p,
        "Deploy_Dev",
        "Deploy",
        "CodePipelineActionRole",
        "DefaultPolicy",
        "Resource",
    ]);
    let ds = statements(t, &dev_policy);
    assert_eq!(
        ds[0],
        json!({"Action": "iam:PassRole", "Effect": "Allow", "Resource": {"Fn::GetAtt": [dev_deploy_role, "Arn"]}})
    );
    assert_eq!(
        ds[1]["Action"],
        json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])
    );
    assert_eq!(
        ds[2],
        // aws-cdk-lib's KEY_READ_ACTIONS include kms:DescribeKey.
        json!({"Action": ["kms:Decrypt", "kms:DescribeKey"], "Effect": "Allow", "Resource": {"Fn::GetAtt": [key, "Arn"]}})
    );
    assert_eq!(
        ds[3]["Resource"],
        partition_arn(&format!(
            ":cloudformation:us-east-1:{TOOLS}:stack/DevApplicationDeploymentStack/*"
        ))
    );
    // Sorted, as aws-cdk-lib's SingletonPolicy sorts them.
    assert_eq!(
        ds[3]["Action"],
        json!([
            "cloudformation:CreateStack",
            "cloudformation:DescribeStack*",
            "cloudformation:GetStackPolicy",
            "cloudformation:GetTemplate*",
            "cloudformation:SetStackPolicy",
            "cloudformation:UpdateStack",
            "cloudformation:ValidateTemplate"
        ])
    );
    // The action role trusts the pipeline role only (@aws-cdk/pipelines:reduceStageRoleTrustScope
    // is on when absent in aws-cdk-lib 2.276).
    let dev_role_res = &t["Resources"][&dev_action_role];
    assert_eq!(
        dev_role_res["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"AWS": {"Fn::GetAtt": [pipeline_role, "Arn"]}})
    );
    // The dev deployment role: admin, and artifact read.
    let dev_deploy_policy = id(&[
        p,
        "Deploy_Dev",
        "Deploy",
        "Role",
        "DefaultPolicy",
        "Resource",
    ]);
    let dds = statements(t, &dev_deploy_policy);
    assert!(dds.contains(&json!({"Action": "*", "Effect": "Allow", "Resource": "*"})));
    assert!(dds
        .iter()
        .any(|s| s["Action"] == json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])));

    // Build action roles start builds; projects read/write artifacts and use the key.
    let app_build_policy = id(&[
        p,
        "Build",
        "Application_Build",
        "CodePipelineActionRole",
        "DefaultPolicy",
        "Resource",
    ]);
    assert_eq!(
        statements(t, &app_build_policy),
        [
            json!({"Action": ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"], "Effect": "Allow", "Resource": {"Fn::GetAtt": [id(&["LambdaBuild", "Resource"]), "Arn"]}})
        ]
    );
    let source_policy = id(&[
        p,
        "Source",
        "CodeCommit_Source",
        "CodePipelineActionRole",
        "DefaultPolicy",
        "Resource",
    ]);
    let ss = statements(t, &source_policy);
    let cc = find_statement(
        &ss,
        &json!([
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:UploadArchive",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:CancelUploadArchive"
        ]),
    );
    assert!(cc["Resource"]["Fn::ImportValue"].is_string());

    // Bucket policy: the prod account (explicit grants) and the prod action role (the
    // pipeline's grants to an immutable role of another account land in resource policies).
    let bp = statements(t, &id(&["ArtifactBucket", "Policy", "Resource"]));
    let prod_root = json!({"AWS": partition_arn(&format!(":iam::{PROD}:root"))});
    assert!(bp
        .iter()
        .any(|s| s["Principal"] == prod_root && s["Action"][0] == "s3:PutObject"));
    assert!(bp.iter().any(|s| s["Principal"] == prod_root
        && s["Action"] == json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])));
    assert!(bp
        .iter()
        .any(|s| s["Principal"] == json!({"AWS": prod_action_role})
            && s["Action"] == json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])));
    // Key policy: decrypt/encrypt for the prod account, decrypt for the prod action role.
    let kp = statements(t, &key);
    assert!(kp.contains(&json!({"Action": "kms:Decrypt", "Effect": "Allow", "Principal": prod_root, "Resource": "*"})));
    assert!(kp.contains(&json!({"Action": ["kms:Decrypt", "kms:DescribeKey"], "Effect": "Allow", "Principal": {"AWS": prod_action_role}, "Resource": "*"})));
    // Nothing was added to the immutable roles.
    assert!(t["Resources"]
        .as_object()
        .unwrap()
        .values()
        .all(|r| r["Type"] != "AWS::IAM::Policy"
            || r["Properties"]["Roles"] != json!(["CodePipelineCrossAccountRole"])));

    // The commit rule lives next to the pipeline and starts it through EventsRole.
    let rule_id_prefix = format!(
        "{}-main-EventRule",
        make_unique_id(&["CrossAccountPipelineStack", p])
    );
    let rule_logical = id(&[p, &rule_id_prefix, "Resource"]);
    let rule = &t["Resources"][&rule_logical]["Properties"];
    assert_eq!(rule["State"], "ENABLED");
    assert_eq!(rule["EventPattern"]["source"], json!(["aws.codecommit"]));
    assert_eq!(
        rule["EventPattern"]["detail-type"],
        json!(["CodeCommit Repository State Change"])
    );
    assert_eq!(
        rule["EventPattern"]["detail"],
        json!({"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["main"]})
    );
    assert!(rule["EventPattern"]["resources"][0]["Fn::ImportValue"].is_string());
    let pipeline_arn = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":codepipeline:us-east-1:{TOOLS}:"), {"Ref": pipeline_id}]]});
    let events_role = id(&[p, "EventsRole", "Resource"]);
    assert_eq!(
        rule["Targets"],
        json!([{"Arn": pipeline_arn, "Id": "Target0", "RoleArn": {"Fn::GetAtt": [events_role, "Arn"]}}])
    );
    assert_eq!(
        statements(t, &id(&[p, "EventsRole", "DefaultPolicy", "Resource"])),
        [
            json!({"Action": "codepipeline:StartPipelineExecution", "Effect": "Allow", "Resource": pipeline_arn})
        ]
    );

    // Build projects: standard 7.0, CODEPIPELINE source/artifacts, the key, logs permissions.
    let cdk_build = &t["Resources"][id(&["CdkBuild", "Resource"])]["Properties"];
    assert_eq!(
        cdk_build["Environment"]["Image"],
        "aws/codebuild/standard:7.0"
    );
    assert_eq!(cdk_build["Source"]["Type"], "CODEPIPELINE");
    assert_eq!(cdk_build["Artifacts"]["Type"], "CODEPIPELINE");
    assert_eq!(
        cdk_build["EncryptionKey"],
        json!({"Fn::GetAtt": [key, "Arn"]})
    );

    // The pipeline stack depends on the repository stack (export/import).
    let manifest: J =
        serde_json::from_str(&std::fs::read_to_string(a.directory.join("manifest.json")).unwrap())
            .unwrap();
    let deps = &manifest["artifacts"]["CrossAccountPipelineStack"]["dependencies"];
    assert!(
        deps.as_array()
            .unwrap()
            .iter()
            .any(|d| d == "RepositoryStack"),
        "{deps}"
    );
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn synth_is_deterministic() {
    let render = || {
        let f = flagship();
        let dir = tempfile::tempdir().unwrap();
        let a = f.app.synth_to(dir.path().join("o")).unwrap();
        std::fs::read_to_string(a.directory.join("CrossAccountPipelineStack.template.json"))
            .unwrap()
    };
    assert_eq!(render(), render());
}

/// Section 3 of the flagship issue: the repository lives in another account; the source
/// action runs with a role of that account, imported immutable.
#[test]
fn cross_account_codecommit_source() {
    let app = App::new();
    let ps = stack(&app, "PipelineStack", TOOLS);
    let key = Key::new(&ps, "Key", KeyProps::default());
    let bucket = Bucket::new(
        &ps,
        "Bucket",
        BucketProps {
            encryption_key: Some(key.into()),
            ..Default::default()
        },
    );
    let repo = Repository::from_repository_arn(
        &ps,
        "Repo",
        format!("arn:aws:codecommit:us-east-1:{PROD}:shared-repo"),
    );
    let source_role_arn = format!("arn:aws:iam::{PROD}:role/CodeCommitSourceRole");
    let source_role = Role::from_role_arn(
        &ps,
        "SourceRole",
        source_role_arn.as_str(),
        FromRoleArnOptions::immutable(),
    );
    let project = PipelineProject::new(&ps, "Build", PipelineProjectProps::default());
    let src = Artifact::new("Src");
    let pipeline = Pipeline::new(
        &ps,
        "Pipeline",
        PipelineProps {
            artifact_bucket: Some(bucket.into()),
            ..Default::default()
        },
    );
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                branch: Some("main".into()),
                role: Some(source_role.clone().into()),
                ..CodeCommitSourceActionProps::new("Source", &repo, &src)
            },
        ))],
    ));
    let build = pipeline.add_stage(StageProps::new("Build", vec![]));
    build.add_action(Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
        "Build", &project, &src,
    ))));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    let t = &a.stack("PipelineStack").unwrap().template;
    let stages = &t["Resources"][id(&["Pipeline", "Resource"])]["Properties"]["Stages"];
    let source = &stages[0]["Actions"][0];
    assert_eq!(source["RoleArn"], source_role_arn);
    assert_eq!(
        source["Configuration"],
        json!({"BranchName": "main", "PollForSourceChanges": false, "RepositoryName": "shared-repo"})
    );
    let ps_statements = statements(t, &id(&["Pipeline", "Role", "DefaultPolicy", "Resource"]));
    assert!(ps_statements.contains(
        &json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": source_role_arn})
    ));
    // The role of the other account reaches the artifacts through the resource policies.
    let bp = statements(t, &id(&["Bucket", "Policy", "Resource"]));
    let principal = json!({"AWS": source_role_arn});
    let objects =
        json!({"Fn::Join": ["", [{"Fn::GetAtt": [id(&["Bucket", "Resource"]), "Arn"]}, "/*"]]});
    assert!(bp.iter().any(|s| s["Principal"] == principal
        && s["Action"][0] == "s3:GetObject*"
        && s["Action"]
            .as_array()
            .unwrap()
            .contains(&json!("s3:PutObject"))));
    assert!(bp.contains(
        &json!({"Action": ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
        "Effect": "Allow", "Principal": principal, "Resource": objects})
    ));
    let kp = statements(t, &id(&["Key", "Resource"]));
    assert!(kp.iter().any(|s| s["Principal"] == principal
        && s["Action"].as_array().is_some_and(
            |a| a.contains(&json!("kms:Decrypt")) && a.contains(&json!("kms:Encrypt"))
        )));
    // The commit rule matches the other account's repository ARN and starts the pipeline.
    let rule_id = format!(
        "{}-main-EventRule",
        make_unique_id(&["PipelineStack", "Pipeline"])
    );
    let rule = &t["Resources"][id(&["Repo", &rule_id, "Resource"])]["Properties"];
    assert_eq!(
        rule["EventPattern"]["resources"],
        json!([format!("arn:aws:codecommit:us-east-1:{PROD}:shared-repo")])
    );
    assert_eq!(
        rule["Targets"][0]["RoleArn"],
        json!({"Fn::GetAtt": [id(&["Pipeline", "EventsRole", "Resource"]), "Arn"]})
    );
    rcdk_tests::validate_assembly(&a.directory, true);
}

/// Without a bucket, the pipeline creates `ArtifactsBucket`; with `cross_account_keys` (or a
/// cross-account action in its initial stages) the bucket is encrypted with
/// `ArtifactsBucketEncryptionKey`, which gets an alias.
#[test]
fn created_artifact_bucket_and_key() {
    let app = App::new();
    let s = stack(&app, "PipelineStack", TOOLS);
    let repo = Repository::new(
        &s,
        "Repo",
        RepositoryProps {
            repository_name: "r".into(),
            ..Default::default()
        },
    );
    let src = Artifact::new("Src");
    let prod_role = Role::from_role_arn(
        &s,
        "ProdRole",
        format!("arn:aws:iam::{PROD}:role/Deployer"),
        FromRoleArnOptions::immutable(),
    );
    let pipeline = Pipeline::new(
        &s,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new(
                    "Source",
                    vec![Box::new(CodeCommitSourceAction::new(
                        CodeCommitSourceActionProps {
                            trigger: CodeCommitTrigger::Poll,
                            ..CodeCommitSourceActionProps::new("Source", &repo, &src)
                        },
                    ))],
                ),
                StageProps::new(
                    "Deploy",
                    vec![Box::new(CloudFormationCreateUpdateStackAction::new(
                        CloudFormationCreateUpdateStackActionProps {
                            role: Some(prod_role.clone().into()),
                            deployment_role: Some(prod_role.clone().into()),
                            ..CloudFormationCreateUpdateStackActionProps::new(
                                "Deploy",
                                src.at_path("t.json"),
                                "Target",
                                false,
                            )
                        },
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    assert_eq!(pipeline.stage_names(), ["Source", "Deploy"]);
    assert_eq!(pipeline.action_names("Deploy"), ["Deploy"]);
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    let t = &a.stack("PipelineStack").unwrap().template;
    let key = id(&["Pipeline", "ArtifactsBucketEncryptionKey", "Resource"]);
    let bucket = id(&["Pipeline", "ArtifactsBucket", "Resource"]);
    assert_eq!(t["Resources"][&key]["DeletionPolicy"], "Delete");
    let alias = &t["Resources"][id(&["Pipeline", "ArtifactsBucketEncryptionKeyAlias", "Resource"])];
    assert_eq!(
        alias["Properties"]["AliasName"],
        // crossAccountKeyAliasStackSafeResourceName absent: the unique ID, lower-cased.
        format!(
            "alias/codepipeline-{}",
            make_unique_id(&["PipelineStack", "Pipeline"]).to_lowercase()
        )
    );
    assert_eq!(alias["DeletionPolicy"], "Delete");
    let b = &t["Resources"][&bucket];
    assert_eq!(b["DeletionPolicy"], "Retain");
    assert_eq!(
        b["Properties"]["PublicAccessBlockConfiguration"],
        json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
    );
    assert_eq!(
        b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"],
        json!({"KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]}, "SSEAlgorithm": "aws:kms"})
    );
    let bp = statements(
        t,
        &id(&["Pipeline", "ArtifactsBucket", "Policy", "Resource"]),
    );
    assert_eq!(bp[0]["Effect"], "Deny");
    assert_eq!(
        bp[0]["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
    // The Deploy action needs no role of its own in this account: nothing generated for it.
    assert!(t["Resources"]
        .get(id(&[
            "Pipeline",
            "Deploy",
            "Deploy",
            "CodePipelineActionRole",
            "Resource"
        ]))
        .is_none());
    rcdk_tests::validate_assembly(&a.directory, true);

    // Without cross-account keys (explicitly, or by the flag) the bucket uses the AWS managed key.
    let app = App::new();
    let s = stack(&app, "P", TOOLS);
    let p = Pipeline::new(
        &s,
        "Pipeline",
        PipelineProps {
            cross_account_keys: Some(false),
            ..Default::default()
        },
    );
    assert!(p.artifact_bucket().encryption_key().is_none());
    let app = App::with_props(cdk_core::AppProps {
        context: [(
            "@aws-cdk/aws-codepipeline:crossAccountKeysDefaultValueToFalse".to_string(),
            json!(true),
        )]
        .into(),
        ..Default::default()
    });
    let s = stack(&app, "P", TOOLS);
    let p = Pipeline::new(&s, "Pipeline", PipelineProps::default());
    assert!(p.artifact_bucket().encryption_key().is_none());
}

fn errors_of(app: &App) -> String {
    let dir = tempfile::tempdir().unwrap();
    app.synth_to(dir.path().join("o")).unwrap_err().to_string()
}

#[test]
fn bad_pipelines_are_synth_errors_naming_the_path() {
    let app = App::new();
    let s = stack(&app, "S", TOOLS);
    let repo = Repository::new(
        &s,
        "Repo",
        RepositoryProps {
            repository_name: "r".into(),
            ..Default::default()
        },
    );
    let project = PipelineProject::new(&s, "Project", PipelineProjectProps::default());
    let src = Artifact::new("Src");
    let never = Artifact::new("Never");
    let late = Artifact::new("Late");
    let source = |name: &str| -> Box<dyn IAction> {
        Box::new(CodeCommitSourceAction::new(CodeCommitSourceActionProps {
            trigger: CodeCommitTrigger::None,
            ..CodeCommitSourceActionProps::new(name, &repo, &src)
        }))
    };
    let pipeline = Pipeline::new(
        &s,
        "Pipeline",
        PipelineProps {
            pipeline_name: Some("bad name!".into()),
            ..Default::default()
        },
    );
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![source("Src"), source("Src")],
    ));
    pipeline.add_stage(StageProps::new("Source", vec![]));
    pipeline.add_stage(StageProps::new("Empty", vec![]));
    pipeline.add_stage(StageProps::new("Bad Stage", vec![]));
    pipeline.add_stage(StageProps::new(
        "Build",
        vec![
            Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
                "UsesNever",
                &project,
                &never,
            ))),
            Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
                "UsesLate", &project, &late,
            ))),
            Box::new(CodeBuildAction::new(CodeBuildActionProps {
                outputs: vec![late.clone()],
                ..CodeBuildActionProps::new("MakesLate", &project, &src)
            })),
        ],
    ));
    pipeline.add_stage(StageProps::new("Late", vec![source("LateSource")]));
    let err = errors_of(&app);
    for expected in [
        "[S/Pipeline] Pipeline name must match regular expression: /^[a-zA-Z0-9.@_-]{1,100}$/, got 'bad name!'",
        "[S/Pipeline/Source] Stage Source already contains an action with name 'Src'",
        "[S/Pipeline] Stage with duplicate name 'Source' added to the Pipeline",
        "[S/Pipeline] Stage 'Empty' must have at least one action",
        "[S/Pipeline] Stage name must match regular expression: /^[a-zA-Z0-9.@_-]{1,100}$/, got 'Bad Stage'",
        "[S/Pipeline] Action 'UsesNever' is using input Artifact 'Never', which is not being produced in this pipeline",
        "[S/Pipeline] Stage 4 Action 1 ('Build'/'UsesLate') is consuming input Artifact 'Late' before it is being produced at Stage 4 Action 1 ('Build'/'MakesLate')",
        "[S/Pipeline] Action LateSource in stage Late: Source actions may only occur in first stage",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }

    // Too few stages; a cross-account action without a key or a role.
    let app = App::new();
    let s = stack(&app, "S", TOOLS);
    let repo = Repository::new(
        &s,
        "Repo",
        RepositoryProps {
            repository_name: "r".into(),
            ..Default::default()
        },
    );
    let only = Pipeline::new(&s, "Only", PipelineProps::default());
    only.add_stage(StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                trigger: CodeCommitTrigger::Poll,
                ..CodeCommitSourceActionProps::new("Src", &repo, &Artifact::new("A"))
            },
        ))],
    ));
    let pipeline = Pipeline::new(
        &s,
        "NoKey",
        PipelineProps {
            cross_account_keys: Some(false),
            ..Default::default()
        },
    );
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                trigger: CodeCommitTrigger::Poll,
                ..CodeCommitSourceActionProps::new("Src", &repo, &Artifact::new("B"))
            },
        ))],
    ));
    pipeline.add_stage(StageProps::new(
        "Deploy",
        vec![Box::new(CloudFormationCreateUpdateStackAction::new(
            CloudFormationCreateUpdateStackActionProps {
                account: Some(PROD.into()),
                ..CloudFormationCreateUpdateStackActionProps::new(
                    "Deploy",
                    Artifact::new("B").at_path("t.json"),
                    "bad_stack_name",
                    true,
                )
            },
        ))],
    ));
    let err = errors_of(&app);
    for expected in [
        "[S/Only] Pipeline must have at least two stages",
        "[S/NoKey/Deploy/Deploy] Artifact Bucket must have a KMS Key to add cross-account action 'Deploy' (pipeline account: '111111111111', action account: '222222222222')",
        "[S/NoKey/Deploy/Deploy] stack name 'bad_stack_name' must match",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn codebuild_action_variables_and_extra_inputs() {
    let app = App::new();
    let s = stack(&app, "S", TOOLS);
    let repo = Repository::new(
        &s,
        "Repo",
        RepositoryProps {
            repository_name: "r".into(),
            ..Default::default()
        },
    );
    let project = PipelineProject::new(&s, "Project", PipelineProjectProps::default());
    let (a1, a2) = (Artifact::new("One"), Artifact::new("Two"));
    let pipeline = Pipeline::new(&s, "Pipeline", PipelineProps::default());
    let poll = |name: &str, out: &Artifact| -> Box<dyn IAction> {
        Box::new(CodeCommitSourceAction::new(CodeCommitSourceActionProps {
            trigger: CodeCommitTrigger::Poll,
            ..CodeCommitSourceActionProps::new(name, &repo, out)
        }))
    };
    pipeline.add_stage(StageProps::new(
        "Source",
        vec![poll("S1", &a1), poll("S2", &a2)],
    ));
    pipeline.add_stage(StageProps::new(
        "Test",
        vec![Box::new(CodeBuildAction::new(CodeBuildActionProps {
            extra_inputs: vec![a2.clone()],
            r#type: CodeBuildActionType::Test,
            environment_variables: vec![
                ("STAGE".into(), BuildEnvironmentVariable::plaintext("prod")),
                (
                    "BUCKET".into(),
                    BuildEnvironmentVariable::plaintext(pipeline.artifact_bucket().bucket_name()),
                ),
                (
                    "SECRET".into(),
                    BuildEnvironmentVariable::parameter_store("app-secret"),
                ),
            ],
            ..CodeBuildActionProps::new("Test", &project, &a1)
        }))],
    ));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    let t = &a.stack("S").unwrap().template;
    let action =
        &t["Resources"][id(&["Pipeline", "Resource"])]["Properties"]["Stages"][1]["Actions"][0];
    assert_eq!(action["ActionTypeId"]["Category"], "Test");
    assert_eq!(
        action["InputArtifacts"],
        json!([{"Name": "One"}, {"Name": "Two"}])
    );
    assert_eq!(action["Configuration"]["PrimarySource"], "One");
    assert_eq!(
        action["Configuration"]["EnvironmentVariables"],
        json!({"Fn::Join": ["", [
            "[{\"name\":\"STAGE\",\"type\":\"PLAINTEXT\",\"value\":\"prod\"},{\"name\":\"BUCKET\",\"type\":\"PLAINTEXT\",\"value\":\"",
            {"Ref": id(&["Pipeline", "ArtifactsBucket", "Resource"])},
            "\"},{\"name\":\"SECRET\",\"type\":\"PARAMETER_STORE\",\"value\":\"app-secret\"}]"
        ]]})
    );
    // The project role may read the SSM parameter the action names.
    let ps = statements(t, &id(&["Project", "Role", "DefaultPolicy", "Resource"]));
    assert!(
        ps.contains(&json!({"Action": "ssm:GetParameters", "Effect": "Allow",
        "Resource": partition_arn(":ssm:us-east-1:111111111111:parameter/app-secret")}))
    );
    rcdk_tests::validate_assembly(&a.directory, true);
}
