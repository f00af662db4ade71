//! A stack made of generated L1s passes `validate-assembly --cfn-lint` (the AWS CDK toolchain's
//! assembly checks plus cfn-lint on the template). Without python3/cfn-lint the test is
//! skipped, except on CI (`CI=true`), where a missing tool is a failure.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use cdk_constructs::{
    apigateway, codebuild, codecommit, codepipeline, dynamodb, events, iam, kms, lambda, logs, s3,
    sns, sqs, ssm, CfnTag,
};
use cdk_core::{Aws, Str, Tags, Value};
use serde_json::json;

fn validator() -> PathBuf {
    std::env::var_os("RCDK_VALIDATE_ASSEMBLY")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/checks/validate-assembly")
        })
}

fn tools_missing() -> Option<String> {
    let script = validator();
    if !script.exists() {
        return Some(format!("{} not found", script.display()));
    }
    for (tool, arg) in [("python3", "--version"), ("cfn-lint", "--version")] {
        if Command::new(tool).arg(arg).output().is_err() {
            return Some(format!("{tool} not found"));
        }
    }
    None
}

fn trust(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]
    })
    .into()
}

fn build_app() -> cdk_core::App {
    let (app, stack) = common::app_and_stack();
    Tags::of(&app).add("project", "rcdk");

    let key = kms::CfnKey::new(
        &stack,
        "Key",
        kms::CfnKeyProps {
            enable_key_rotation: Some(true.into()),
            key_policy: Some(
                json!({
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                        "Action": "kms:*",
                        "Resource": "*"
                    }]
                })
                .into(),
            ),
            ..Default::default()
        },
    );
    kms::CfnAlias::new(
        &stack,
        "Alias",
        kms::CfnAliasProps::new("alias/rcdk", key.ref_()),
    );
    let bucket = s3::CfnBucket::new(
        &stack,
        "Bucket",
        s3::CfnBucketProps {
            versioning_configuration: Some(s3::cfn_bucket::VersioningConfigurationProperty::new(
                s3::cfn_bucket::VersioningConfigurationStatus::Enabled,
            )),
            bucket_encryption: Some(s3::cfn_bucket::BucketEncryptionProperty::new(vec![
                s3::cfn_bucket::ServerSideEncryptionRuleProperty {
                    server_side_encryption_by_default: Some(
                        s3::cfn_bucket::ServerSideEncryptionByDefaultProperty {
                            kms_master_key_id: Some(key.attr_arn()),
                            ..s3::cfn_bucket::ServerSideEncryptionByDefaultProperty::new(
                                s3::cfn_bucket::ServerSideEncryptionByDefaultSSEAlgorithm::AwsKms,
                            )
                        },
                    ),
                    ..Default::default()
                },
            ])),
            tags: Some(vec![CfnTag::new("owner", "team")]),
            ..Default::default()
        },
    );
    let role = iam::CfnRole::new(
        &stack,
        "Role",
        iam::CfnRoleProps {
            managed_policy_arns: Some(
                vec![
                    Str::from("arn:")
                        + Aws::PARTITION
                        + ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                ]
                .into(),
            ),
            ..iam::CfnRoleProps::new(trust("lambda.amazonaws.com"))
        },
    );
    let function = lambda::CfnFunction::new(
        &stack,
        "Fn",
        lambda::CfnFunctionProps {
            handler: Some("index.handler".into()),
            runtime: Some(lambda::cfn_function::Runtime::Python312),
            timeout: Some(10.into()),
            environment: Some(lambda::cfn_function::EnvironmentProperty {
                variables: Some(BTreeMap::from([(
                    "BUCKET".to_string(),
                    Value::from(bucket.ref_()),
                )])),
            }),
            ..lambda::CfnFunctionProps::new(
                lambda::cfn_function::CodeProperty {
                    zip_file: Some("def handler(event, context):\n    return 'ok'\n".into()),
                    ..Default::default()
                },
                role.attr_arn(),
            )
        },
    );
    logs::CfnLogGroup::new(
        &stack,
        "Logs",
        logs::CfnLogGroupProps {
            log_group_name: Some(Str::from("/aws/lambda/") + function.ref_()),
            retention_in_days: Some(14.into()),
            ..Default::default()
        },
    );
    let table = dynamodb::CfnTable::new(
        &stack,
        "Table",
        dynamodb::CfnTableProps {
            attribute_definitions: Some(vec![
                dynamodb::cfn_table::AttributeDefinitionProperty::new(
                    "pk",
                    dynamodb::cfn_table::AttributeDefinitionAttributeType::S,
                ),
            ]),
            billing_mode: Some("PAY_PER_REQUEST".into()),
            ..dynamodb::CfnTableProps::new(vec![dynamodb::cfn_table::KeySchemaProperty::new(
                "pk", "HASH",
            )])
        },
    );
    let queue = sqs::CfnQueue::new(
        &stack,
        "Queue",
        sqs::CfnQueueProps {
            visibility_timeout: Some(60.into()),
            ..Default::default()
        },
    );
    let topic = sns::CfnTopic::new(&stack, "Topic", sns::CfnTopicProps::default());
    sns::CfnSubscription::new(
        &stack,
        "Sub",
        sns::CfnSubscriptionProps {
            endpoint: Some(queue.attr_arn()),
            ..sns::CfnSubscriptionProps::new("sqs", topic.ref_())
        },
    );
    ssm::CfnParameter::new(
        &stack,
        "Param",
        ssm::CfnParameterProps {
            name: Some("/rcdk/table".into()),
            ..ssm::CfnParameterProps::new(ssm::cfn_parameter::Type::String, table.ref_())
        },
    );
    events::CfnRule::new(
        &stack,
        "Rule",
        events::CfnRuleProps {
            schedule_expression: Some("rate(1 hour)".into()),
            targets: Some(vec![events::cfn_rule::TargetProperty::new(
                function.attr_arn(),
                "Fn",
            )]),
            ..Default::default()
        },
    );
    lambda::CfnPermission::new(
        &stack,
        "Invoke",
        lambda::CfnPermissionProps::new(
            "lambda:InvokeFunction",
            function.ref_(),
            "events.amazonaws.com",
        ),
    );
    let api = apigateway::CfnRestApi::new(
        &stack,
        "Api",
        apigateway::CfnRestApiProps {
            name: Some("rcdk".into()),
            ..Default::default()
        },
    );
    let method = apigateway::CfnMethod::new(
        &stack,
        "Get",
        apigateway::CfnMethodProps {
            authorization_type: Some("NONE".into()),
            integration: Some(apigateway::cfn_method::IntegrationProperty {
                request_templates: Some(BTreeMap::from([(
                    "application/json".to_string(),
                    Str::from("{\"statusCode\": 200}"),
                )])),
                ..apigateway::cfn_method::IntegrationProperty::new(
                    apigateway::cfn_method::IntegrationType::Mock,
                )
            }),
            ..apigateway::CfnMethodProps::new("GET", api.attr_root_resource_id(), api.ref_())
        },
    );
    let deployment = apigateway::CfnDeployment::new(
        &stack,
        "Deployment",
        apigateway::CfnDeploymentProps {
            stage_name: Some("prod".into()),
            ..apigateway::CfnDeploymentProps::new(api.ref_())
        },
    );
    deployment.add_depends_on(method.resource());
    let repo = codecommit::CfnRepository::new(
        &stack,
        "Repo",
        codecommit::CfnRepositoryProps::new("rcdk-repo"),
    );
    let build_role = iam::CfnRole::new(
        &stack,
        "BuildRole",
        iam::CfnRoleProps::new(trust("codebuild.amazonaws.com")),
    );
    let project = codebuild::CfnProject::new(
        &stack,
        "Project",
        codebuild::CfnProjectProps::new(
            codebuild::cfn_project::ArtifactsProperty::new("CODEPIPELINE"),
            codebuild::cfn_project::EnvironmentProperty::new(
                "BUILD_GENERAL1_SMALL",
                "aws/codebuild/standard:7.0",
                "LINUX_CONTAINER",
            ),
            build_role.attr_arn(),
            codebuild::cfn_project::SourceProperty::new("CODEPIPELINE"),
        ),
    );
    let pipeline_role = iam::CfnRole::new(
        &stack,
        "PipelineRole",
        iam::CfnRoleProps::new(trust("codepipeline.amazonaws.com")),
    );
    use codepipeline::cfn_pipeline::{
        ActionDeclarationProperty as Action, ActionTypeIdCategory as Category,
        ActionTypeIdProperty as TypeId, ArtifactStoreProperty, ArtifactStoreType,
        InputArtifactProperty, OutputArtifactProperty, StageDeclarationProperty as Stage,
    };
    codepipeline::CfnPipeline::new(
        &stack,
        "Pipeline",
        codepipeline::CfnPipelineProps {
            artifact_store: Some(ArtifactStoreProperty::new(
                bucket.ref_(),
                ArtifactStoreType::S3,
            )),
            ..codepipeline::CfnPipelineProps::new(
                pipeline_role.attr_arn(),
                vec![
                    Stage::new(
                        vec![Action {
                            configuration: Some(Value::object([
                                ("RepositoryName", repo.attr_name()),
                                ("BranchName", "main".into()),
                            ])),
                            output_artifacts: Some(vec![OutputArtifactProperty::new("src")]),
                            ..Action::new(
                                TypeId::new(Category::Source, "AWS", "CodeCommit", "1"),
                                "Checkout",
                            )
                        }],
                        "Source",
                    ),
                    Stage::new(
                        vec![Action {
                            configuration: Some(Value::object([("ProjectName", project.ref_())])),
                            input_artifacts: Some(vec![InputArtifactProperty::new("src")]),
                            ..Action::new(
                                TypeId::new(Category::Build, "AWS", "CodeBuild", "1"),
                                "Build",
                            )
                        }],
                        "Build",
                    ),
                ],
            )
        },
    );
    app
}

#[test]
fn l1_stack_passes_cfn_lint() {
    if let Some(missing) = tools_missing() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true and {missing}");
        }
        eprintln!("skipped: {missing}");
        return;
    }
    let app = build_app();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = common::synth_template(&app, dir.path());
    assert!(template["Resources"]
        .as_object()
        .is_some_and(|r| r.len() >= 20));
    let out = Command::new(validator())
        .arg(dir.path())
        .arg("--cfn-lint")
        .output()
        .expect("run validate-assembly");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "validate-assembly failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.lines().last().is_some_and(|l| l.starts_with("PASS")),
        "{stdout}"
    );
}
