//! Pipelines and actions: the cross-account pipeline of the flagship example, the artifact
//! bucket created by the pipeline, cross-account sources and bad input.

use cdk_assertions::{pattern, Capture, Match, Matcher, Template};
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

/// Asserts that the statements of the policy resource `logical_id` (a policy's
/// `PolicyDocument`, a key's `KeyPolicy`) contain `statements`, in this order.
fn has_statements(t: &Template, logical_id: &str, statements: impl IntoIterator<Item = Matcher>) {
    let document = if t.resource(logical_id)["Type"] == "AWS::KMS::Key" {
        "KeyPolicy"
    } else {
        "PolicyDocument"
    };
    t.template_matches(pattern!({"Resources": {(logical_id): {"Properties": {
        (document): {"Statement": Match::array_with(statements)},
    }}}}));
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
    let t = Template::from_json(
        a.stack("CrossAccountPipelineStack")
            .unwrap()
            .template
            .clone(),
    );
    let p = "CrossAccountPipeline";
    let pipeline_id = id(&[p, "Resource"]);
    let pipeline_role = id(&[p, "Role", "Resource"]);
    let pipeline_policy = id(&[p, "Role", "DefaultPolicy", "Resource"]);
    let bucket = id(&["ArtifactBucket", "Resource"]);
    let key = id(&["ArtifactKey", "Resource"]);
    let source_role = id(&[
        p,
        "Source",
        "CodeCommit_Source",
        "CodePipelineActionRole",
        "Resource",
    ]);
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
    let prod_action_role = format!("arn:aws:iam::{PROD}:role/CodePipelineCrossAccountRole");
    let prod_deploy_role = format!("arn:aws:iam::{PROD}:role/CloudFormationDeploymentRole");
    let imported = || Match::string_like_regexp(".");
    let source_artifact = || Match::exact(json!([{"Name": "Artifact_Source_CodeCommit_Source"}]));
    // Stages and actions in order (literal arrays match exactly in length and order).
    t.template_matches(pattern!({"Resources": {(&pipeline_id): {
        "DependsOn": Match::exact(json!([pipeline_policy, pipeline_role])),
        "Properties": {
            "Name": "CrossAccountPipeline",
            // No pipeline type given and @aws-cdk/aws-codepipeline:defaultPipelineTypeToV2
            // absent: aws-cdk-lib renders none (V1).
            "PipelineType": Match::absent(),
            "ArtifactStore": Match::exact(json!({
                "EncryptionKey": {"Id": {"Fn::GetAtt": [key, "Arn"]}, "Type": "KMS"},
                "Location": {"Ref": bucket}, "Type": "S3"})),
            "RoleArn": Match::exact(json!({"Fn::GetAtt": [pipeline_role, "Arn"]})),
            "Stages": [
                // Source: the repository of the other stack (same environment) through an import.
                {"Name": "Source", "Actions": [{
                    "Name": "CodeCommit_Source",
                    "ActionTypeId": Match::exact(json!(
                        {"Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1"})),
                    "Configuration": {
                        "BranchName": "main",
                        "PollForSourceChanges": false,
                        "RepositoryName": {"Fn::ImportValue": imported()},
                    },
                    "OutputArtifacts": source_artifact(),
                    "RoleArn": Match::exact(json!({"Fn::GetAtt": [source_role, "Arn"]})),
                    "RunOrder": 1,
                }]},
                {"Name": "Build", "Actions": [
                    {
                        "Name": "Application_Build",
                        "Configuration": Match::exact(json!(
                            {"ProjectName": {"Ref": id(&["LambdaBuild", "Resource"])}})),
                        "InputArtifacts": source_artifact(),
                        "OutputArtifacts": Match::exact(json!([{"Name": "LambdaBuildOutput"}])),
                    },
                    {
                        "Name": "CDK_Synth",
                        "OutputArtifacts": Match::exact(json!([{"Name": "CdkBuildOutput"}])),
                    },
                ]},
                // Deploy_Dev: generated action role and deployment role.
                {"Name": "Deploy_Dev", "Actions": [{
                    "Name": "Deploy",
                    "Configuration": Match::exact(json!({
                        "ActionMode": "CREATE_UPDATE",
                        "Capabilities": "CAPABILITY_NAMED_IAM",
                        "ParameterOverrides": format!(
                            "{{\"{dev_bucket_param}\":{{\"Fn::GetArtifactAtt\":[\"LambdaBuildOutput\",\"BucketName\"]}},\"{dev_key_param}\":{{\"Fn::GetArtifactAtt\":[\"LambdaBuildOutput\",\"ObjectKey\"]}}}}"
                        ),
                        "RoleArn": {"Fn::GetAtt": [dev_deploy_role, "Arn"]},
                        "StackName": "DevApplicationDeploymentStack",
                        "TemplatePath": "CdkBuildOutput::DevApplicationStack.template.json"
                    })),
                    "InputArtifacts": Match::exact(json!(
                        [{"Name": "LambdaBuildOutput"}, {"Name": "CdkBuildOutput"}])),
                    "RoleArn": Match::exact(json!({"Fn::GetAtt": [dev_action_role, "Arn"]})),
                }]},
                // Deploy_Prod: imported roles of the prod account, by ARN.
                {"Name": "Deploy_Prod", "Actions": [{
                    "Name": "Deploy",
                    "RoleArn": &prod_action_role,
                    "Configuration": {
                        "RoleArn": &prod_deploy_role,
                        "Capabilities": "CAPABILITY_IAM",
                        "TemplatePath": "CdkBuildOutput::ProdApplicationStack.template.json",
                        "StackName": "ProdApplicationDeploymentStack",
                        "ParameterOverrides": Match::serialized_json(Match::object_like(pattern!({
                            (&dev_bucket_param): Match::exact(json!(
                                {"Fn::GetArtifactAtt": ["LambdaBuildOutput", "BucketName"]})),
                        }))),
                    },
                }]},
            ],
        },
    }}}));
    assert!(f.lambda_code_dev.bucket_name_param().is_some());

    // Pipeline role: bucket read/write + key, assume every action role (in this order), the
    // extra statement.
    let build_role = |action: &str| json!({"Fn::GetAtt": [id(&[p, "Build", action, "CodePipelineActionRole", "Resource"]), "Arn"]});
    let assume = |resource: J| {
        Match::exact(json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": resource}))
    };
    has_statements(
        &t,
        &pipeline_policy,
        [
            Match::object_like(pattern!({
                "Action": [
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
                ],
                "Resource": Match::exact(json!([{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": [bucket, "Arn"]}, "/*"]]}])),
            })),
            assume(json!({"Fn::GetAtt": [source_role, "Arn"]})),
            assume(build_role("Application_Build")),
            assume(build_role("CDK_Synth")),
            assume(json!({"Fn::GetAtt": [dev_action_role, "Arn"]})),
            assume(json!(prod_action_role)),
            assume(json!(format!("arn:aws:iam::{PROD}:role/*"))),
        ],
    );
    // No other role is assumed.
    let assumed = Capture::new();
    t.template_matches(pattern!({"Resources": {(&pipeline_policy): {"Properties": {
        "PolicyDocument": {"Statement": &assumed}}}}}));
    let assumed = assumed.as_array();
    assert_eq!(
        assumed
            .iter()
            .filter(|s| s["Action"] == "sts:AssumeRole")
            .count(),
        6,
        "{assumed:#?}"
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
    t.template_matches(pattern!({"Resources": {(&dev_policy): {"Properties": {"PolicyDocument": {
        "Statement": Match::array_with([
            Match::exact(json!({"Action": "iam:PassRole", "Effect": "Allow", "Resource": {"Fn::GetAtt": [dev_deploy_role, "Arn"]}})),
            Match::object_like(json!({"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]})),
            // aws-cdk-lib's KEY_READ_ACTIONS include kms:DescribeKey.
            Match::exact(json!({"Action": ["kms:Decrypt", "kms:DescribeKey"], "Effect": "Allow", "Resource": {"Fn::GetAtt": [key, "Arn"]}})),
            Match::object_like(json!({
                "Resource": partition_arn(&format!(
                    ":cloudformation:us-east-1:{TOOLS}:stack/DevApplicationDeploymentStack/*"
                )),
                // Sorted, as aws-cdk-lib's SingletonPolicy sorts them.
                "Action": [
                    "cloudformation:CreateStack",
                    "cloudformation:DescribeStack*",
                    "cloudformation:GetStackPolicy",
                    "cloudformation:GetTemplate*",
                    "cloudformation:SetStackPolicy",
                    "cloudformation:UpdateStack",
                    "cloudformation:ValidateTemplate"
                ],
            })),
        ]),
    }}}}}));
    // The action role trusts the pipeline role only (@aws-cdk/pipelines:reduceStageRoleTrustScope
    // is on when absent in aws-cdk-lib 2.276).
    t.template_matches(pattern!({"Resources": {(&dev_action_role): {"Properties": {
        "AssumeRolePolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Principal": Match::exact(json!({"AWS": {"Fn::GetAtt": [pipeline_role, "Arn"]}})),
        }))])},
    }}}}));
    // The dev deployment role: admin, and artifact read.
    let dev_deploy_policy = id(&[
        p,
        "Deploy_Dev",
        "Deploy",
        "Role",
        "DefaultPolicy",
        "Resource",
    ]);
    for statement in [
        Match::exact(json!({"Action": "*", "Effect": "Allow", "Resource": "*"})),
        Match::object_like(json!({"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]})),
    ] {
        has_statements(&t, &dev_deploy_policy, [statement]);
    }

    // Build action roles start builds; projects read/write artifacts and use the key.
    let app_build_policy = id(&[
        p,
        "Build",
        "Application_Build",
        "CodePipelineActionRole",
        "DefaultPolicy",
        "Resource",
    ]);
    t.template_matches(pattern!({"Resources": {(&app_build_policy): {"Properties": {"PolicyDocument": {
        "Statement": Match::exact(json!([
            {"Action": ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"], "Effect": "Allow", "Resource": {"Fn::GetAtt": [id(&["LambdaBuild", "Resource"]), "Arn"]}}
        ])),
    }}}}}));
    let source_policy = id(&[
        p,
        "Source",
        "CodeCommit_Source",
        "CodePipelineActionRole",
        "DefaultPolicy",
        "Resource",
    ]);
    has_statements(
        &t,
        &source_policy,
        [Match::object_like(pattern!({
            "Action": [
                "codecommit:GetBranch",
                "codecommit:GetCommit",
                "codecommit:UploadArchive",
                "codecommit:GetUploadArchiveStatus",
                "codecommit:CancelUploadArchive"
            ],
            "Resource": {"Fn::ImportValue": imported()},
        }))],
    );

    // Bucket policy: the prod account (explicit grants) and the prod action role (the
    // pipeline's grants to an immutable role of another account land in resource policies).
    let bucket_policy = id(&["ArtifactBucket", "Policy", "Resource"]);
    let prod_root = json!({"AWS": partition_arn(&format!(":iam::{PROD}:root"))});
    let read = json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"]);
    for statement in [
        pattern!({"Principal": Match::exact(&prod_root), "Action": Match::array_with(["s3:PutObject"])}),
        pattern!({"Principal": Match::exact(&prod_root), "Action": &read}),
        pattern!({"Principal": Match::exact(json!({"AWS": prod_action_role})), "Action": &read}),
    ] {
        has_statements(&t, &bucket_policy, [Match::object_like(statement)]);
    }
    // Key policy: decrypt/encrypt for the prod account, decrypt for the prod action role.
    t.template_matches(pattern!({"Resources": {(&key): {"Properties": {"KeyPolicy": {
        "Statement": Match::array_with([
            Match::exact(json!({"Action": "kms:Decrypt", "Effect": "Allow", "Principal": prod_root, "Resource": "*"})),
        ]),
    }}}}}));
    t.template_matches(pattern!({"Resources": {(&key): {"Properties": {"KeyPolicy": {
        "Statement": Match::array_with([
            Match::exact(json!({"Action": ["kms:Decrypt", "kms:DescribeKey"], "Effect": "Allow", "Principal": {"AWS": prod_action_role}, "Resource": "*"})),
        ]),
    }}}}}));
    // Nothing was added to the immutable roles.
    t.all_resources_properties(
        "AWS::IAM::Policy",
        pattern!({"Roles": Match::not(json!(["CodePipelineCrossAccountRole"]))}),
    );

    // The commit rule lives next to the pipeline and starts it through EventsRole.
    let rule_id_prefix = format!(
        "{}-main-EventRule",
        make_unique_id(&["CrossAccountPipelineStack", p])
    );
    let rule_logical = id(&[p, &rule_id_prefix, "Resource"]);
    let pipeline_arn = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":codepipeline:us-east-1:{TOOLS}:"), {"Ref": pipeline_id}]]});
    let events_role = id(&[p, "EventsRole", "Resource"]);
    t.template_matches(pattern!({"Resources": {(&rule_logical): {"Properties": {
        "State": "ENABLED",
        "EventPattern": {
            "source": ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            "detail": Match::exact(json!({"event": ["referenceCreated", "referenceUpdated"], "referenceName": ["main"]})),
            "resources": [{"Fn::ImportValue": imported()}],
        },
        "Targets": Match::exact(json!([{"Arn": pipeline_arn, "Id": "Target0", "RoleArn": {"Fn::GetAtt": [events_role, "Arn"]}}])),
    }}}}));
    t.template_matches(pattern!({"Resources": {(id(&[p, "EventsRole", "DefaultPolicy", "Resource"])): {"Properties": {"PolicyDocument": {
        "Statement": Match::exact(json!([
            {"Action": "codepipeline:StartPipelineExecution", "Effect": "Allow", "Resource": pipeline_arn}
        ])),
    }}}}}));

    // Build projects: standard 7.0, CODEPIPELINE source/artifacts, the key, logs permissions.
    t.template_matches(
        pattern!({"Resources": {(id(&["CdkBuild", "Resource"])): {"Properties": {
            "Environment": {"Image": "aws/codebuild/standard:7.0"},
            "Source": {"Type": "CODEPIPELINE"},
            "Artifacts": {"Type": "CODEPIPELINE"},
            "EncryptionKey": Match::exact(json!({"Fn::GetAtt": [key, "Arn"]})),
        }}}}),
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
    let t = Template::from_json(a.stack("PipelineStack").unwrap().template.clone());
    t.template_matches(pattern!({"Resources": {(id(&["Pipeline", "Resource"])): {"Properties": {
        "Stages": [
            {"Actions": [{
                "RoleArn": &source_role_arn,
                "Configuration": Match::exact(json!(
                    {"BranchName": "main", "PollForSourceChanges": false, "RepositoryName": "shared-repo"})),
            }]},
            {"Name": "Build"},
        ],
    }}}}));
    has_statements(
        &t,
        &id(&["Pipeline", "Role", "DefaultPolicy", "Resource"]),
        [Match::exact(
            json!({"Action": "sts:AssumeRole", "Effect": "Allow", "Resource": source_role_arn}),
        )],
    );
    // The role of the other account reaches the artifacts through the resource policies.
    let bucket_policy = id(&["Bucket", "Policy", "Resource"]);
    let principal = json!({"AWS": source_role_arn});
    let objects =
        json!({"Fn::Join": ["", [{"Fn::GetAtt": [id(&["Bucket", "Resource"]), "Arn"]}, "/*"]]});
    for statement in [
        Match::object_like(pattern!({
            "Principal": Match::exact(&principal),
            "Action": Match::array_with(["s3:GetObject*", "s3:PutObject"]),
        })),
        Match::exact(
            json!({"Action": ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
            "Effect": "Allow", "Principal": principal, "Resource": objects}),
        ),
    ] {
        has_statements(&t, &bucket_policy, [statement]);
    }
    has_statements(
        &t,
        &id(&["Key", "Resource"]),
        [Match::object_like(pattern!({
            "Principal": Match::exact(&principal),
            "Action": Match::array_with(["kms:Decrypt", "kms:Encrypt"]),
        }))],
    );
    // The commit rule matches the other account's repository ARN and starts the pipeline.
    let rule_id = format!(
        "{}-main-EventRule",
        make_unique_id(&["PipelineStack", "Pipeline"])
    );
    t.template_matches(pattern!({"Resources": {(id(&["Repo", &rule_id, "Resource"])): {"Properties": {
        "EventPattern": {
            "resources": [format!("arn:aws:codecommit:us-east-1:{PROD}:shared-repo")],
        },
        "Targets": [{
            "RoleArn": Match::exact(json!({"Fn::GetAtt": [id(&["Pipeline", "EventsRole", "Resource"]), "Arn"]})),
        }],
    }}}}));
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
    let t = Template::from_json(a.stack("PipelineStack").unwrap().template.clone());
    let key = id(&["Pipeline", "ArtifactsBucketEncryptionKey", "Resource"]);
    let bucket = id(&["Pipeline", "ArtifactsBucket", "Resource"]);
    let bucket_statements = Capture::new();
    t.template_matches(pattern!({"Resources": {
        (&key): {"DeletionPolicy": "Delete"},
        (id(&["Pipeline", "ArtifactsBucketEncryptionKeyAlias", "Resource"])): {
            "DeletionPolicy": "Delete",
            "Properties": {
                // crossAccountKeyAliasStackSafeResourceName absent: the unique ID, lower-cased.
                "AliasName": format!(
                    "alias/codepipeline-{}",
                    make_unique_id(&["PipelineStack", "Pipeline"]).to_lowercase()
                ),
            },
        },
        (&bucket): {
            "DeletionPolicy": "Retain",
            "Properties": {
                "PublicAccessBlockConfiguration": Match::exact(json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})),
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                    "ServerSideEncryptionByDefault": Match::exact(json!(
                        {"KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]}, "SSEAlgorithm": "aws:kms"})),
                }]},
            },
        },
        (id(&["Pipeline", "ArtifactsBucket", "Policy", "Resource"])): {"Properties": {
            "PolicyDocument": {"Statement": &bucket_statements},
        }},
        // The Deploy action needs no role of its own in this account: nothing generated for it.
        (id(&["Pipeline", "Deploy", "Deploy", "CodePipelineActionRole", "Resource"])): Match::absent(),
    }}));
    // TLS only: the first statement denies insecure transport.
    let first = &bucket_statements.as_array()[0];
    assert_eq!(first["Effect"], "Deny");
    assert_eq!(
        first["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
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
    let t = Template::from_json(a.stack("S").unwrap().template.clone());
    t.template_matches(pattern!({"Resources": {(id(&["Pipeline", "Resource"])): {"Properties": {
        "Stages": [
            {"Name": "Source"},
            {"Actions": [{
                "ActionTypeId": {"Category": "Test"},
                "InputArtifacts": Match::exact(json!([{"Name": "One"}, {"Name": "Two"}])),
                "Configuration": {
                    "PrimarySource": "One",
                    "EnvironmentVariables": Match::exact(json!({"Fn::Join": ["", [
                        "[{\"name\":\"STAGE\",\"type\":\"PLAINTEXT\",\"value\":\"prod\"},{\"name\":\"BUCKET\",\"type\":\"PLAINTEXT\",\"value\":\"",
                        {"Ref": id(&["Pipeline", "ArtifactsBucket", "Resource"])},
                        "\"},{\"name\":\"SECRET\",\"type\":\"PARAMETER_STORE\",\"value\":\"app-secret\"}]"
                    ]]})),
                },
            }]},
        ],
    }}}}));
    // The project role may read the SSM parameter the action names.
    has_statements(
        &t,
        &id(&["Project", "Role", "DefaultPolicy", "Resource"]),
        [Match::exact(
            json!({"Action": "ssm:GetParameters", "Effect": "Allow",
            "Resource": partition_arn(":ssm:us-east-1:111111111111:parameter/app-secret")}),
        )],
    );
    rcdk_tests::validate_assembly(&a.directory, true);
}
