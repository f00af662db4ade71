//! Generated L1 resources serialize to the exact CloudFormation property shapes, per service.

mod common;

use std::collections::BTreeMap;

use cdk_constructs::{
    apigateway, cloudformation, codebuild, codecommit, codepipeline, dynamodb, events, iam, kms,
    lambda, logs, s3, sns, sqs, ssm, CfnTag,
};
use cdk_core::{Aws, Str, StrList, Tags, Value};
use common::{app_and_stack, resource, template};
use serde_json::json;

fn trust_policy(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole"
        }]
    })
    .into()
}

#[test]
fn s3_bucket_versioning_tags_and_attributes() {
    use s3::cfn_bucket::{
        BucketEncryptionProperty, LifecycleConfigurationProperty, RuleProperty, RuleStatus,
        ServerSideEncryptionByDefaultProperty, ServerSideEncryptionByDefaultSSEAlgorithm,
        ServerSideEncryptionRuleProperty, VersioningConfigurationProperty,
        VersioningConfigurationStatus,
    };
    let (app, stack) = app_and_stack();
    let bucket = s3::CfnBucket::new(
        &stack,
        "Bucket",
        s3::CfnBucketProps {
            bucket_name: Some("my-bucket-1".into()),
            versioning_configuration: Some(VersioningConfigurationProperty {
                status: VersioningConfigurationStatus::Enabled,
            }),
            bucket_encryption: Some(BucketEncryptionProperty {
                server_side_encryption_configuration: vec![ServerSideEncryptionRuleProperty {
                    server_side_encryption_by_default: Some(
                        ServerSideEncryptionByDefaultProperty::new(
                            ServerSideEncryptionByDefaultSSEAlgorithm::AwsKms,
                        ),
                    ),
                    ..Default::default()
                }],
            }),
            lifecycle_configuration: Some(LifecycleConfigurationProperty {
                rules: vec![RuleProperty {
                    id: Some("expire".into()),
                    expiration_in_days: Some(30.into()),
                    ..RuleProperty::new(RuleStatus::Enabled)
                }],
                transition_default_minimum_object_size: None,
            }),
            object_lock_enabled: Some(false.into()),
            tags: Some(vec![CfnTag::new("owner", "team-a")]),
            ..Default::default()
        },
    );
    Tags::of(&stack).add("env", "test");
    let policy = s3::CfnBucketPolicy::new(
        &stack,
        "Policy",
        s3::CfnBucketPolicyProps {
            bucket: bucket.ref_(),
            policy_document: json!({"Version": "2012-10-17", "Statement": []}).into(),
        },
    );
    assert_eq!(s3::CfnBucket::CFN_RESOURCE_TYPE_NAME, "AWS::S3::Bucket");
    assert!(s3::CfnBucket::CREATE_ONLY_PROPERTIES.contains(&"BucketName"));
    assert!(s3::CfnBucket::ATTRIBUTES.contains(&"Arn"));
    assert!(bucket.attr_arn().is_token());
    assert!(bucket.is_taggable());
    assert!(!policy.is_taggable());

    let t = template(&app);
    let (bucket_id, b) = resource(&t, "Bucket");
    assert_eq!(b["Type"], "AWS::S3::Bucket");
    assert_eq!(
        b["Properties"],
        json!({
            "BucketName": "my-bucket-1",
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
            ]},
            "LifecycleConfiguration": {"Rules": [
                {"Id": "expire", "Status": "Enabled", "ExpirationInDays": 30}
            ]},
            "ObjectLockEnabled": false,
            "Tags": [{"Key": "env", "Value": "test"}, {"Key": "owner", "Value": "team-a"}]
        })
    );
    let (_, p) = resource(&t, "Policy");
    assert_eq!(p["Properties"]["Bucket"], json!({"Ref": bucket_id}));
}

#[test]
fn iam_role_and_managed_policy() {
    let (app, stack) = app_and_stack();
    let role = iam::CfnRole::new(
        &stack,
        "Role",
        iam::CfnRoleProps {
            managed_policy_arns: Some(StrList::from(vec![
                Str::from("arn:") + Aws::PARTITION + ":iam::aws:policy/ReadOnlyAccess",
            ])),
            policies: Some(vec![iam::cfn_role::PolicyProperty::new(
                json!({"Version": "2012-10-17", "Statement": []}),
                "inline",
            )]),
            max_session_duration: Some(3600.into()),
            ..iam::CfnRoleProps::new(trust_policy("lambda.amazonaws.com"))
        },
    );
    iam::CfnManagedPolicy::new(
        &stack,
        "Managed",
        iam::CfnManagedPolicyProps {
            roles: Some(vec![role.ref_()].into()),
            ..iam::CfnManagedPolicyProps::new(json!({"Version": "2012-10-17", "Statement": []}))
        },
    );
    let t = template(&app);
    let (role_id, r) = resource(&t, "Role");
    assert_eq!(
        r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "lambda.amazonaws.com"})
    );
    assert_eq!(
        r["Properties"]["ManagedPolicyArns"],
        json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"]]}])
    );
    assert_eq!(r["Properties"]["MaxSessionDuration"], 3600);
    assert_eq!(r["Properties"]["Policies"][0]["PolicyName"], "inline");
    let (_, m) = resource(&t, "Managed");
    assert_eq!(m["Properties"]["Roles"], json!([{"Ref": role_id}]));
}

#[test]
fn kms_key_and_alias() {
    let (app, stack) = app_and_stack();
    let key = kms::CfnKey::new(
        &stack,
        "Key",
        kms::CfnKeyProps {
            key_policy: Some(json!({"Version": "2012-10-17", "Statement": []}).into()),
            enable_key_rotation: Some(true.into()),
            key_spec: Some(kms::cfn_key::KeySpec::SymmetricDefault),
            pending_window_in_days: Some(7.into()),
            ..Default::default()
        },
    );
    kms::CfnAlias::new(
        &stack,
        "Alias",
        kms::CfnAliasProps {
            alias_name: "alias/my-key".into(),
            target_key_id: key.ref_(),
        },
    );
    let t = template(&app);
    let (key_id, k) = resource(&t, "Key");
    assert_eq!(k["Properties"]["EnableKeyRotation"], true);
    assert_eq!(k["Properties"]["KeySpec"], "SYMMETRIC_DEFAULT");
    assert_eq!(k["Properties"]["PendingWindowInDays"], 7);
    let (_, a) = resource(&t, "Alias");
    assert_eq!(
        a["Properties"],
        json!({"AliasName": "alias/my-key", "TargetKeyId": {"Ref": key_id}})
    );
    assert!(key.attr_arn().is_token());
    assert!(key.attr_key_id().is_token());
}

#[test]
fn lambda_function_with_enums_maps_and_getatt() {
    use lambda::cfn_function::{
        Architectures, CodeProperty, EnvironmentProperty, Runtime, TracingConfigMode,
        TracingConfigProperty,
    };
    let (app, stack) = app_and_stack();
    let role = iam::CfnRole::new(
        &stack,
        "Role",
        iam::CfnRoleProps::new(trust_policy("lambda.amazonaws.com")),
    );
    let function = lambda::CfnFunction::new(
        &stack,
        "Fn",
        lambda::CfnFunctionProps {
            handler: Some("index.handler".into()),
            runtime: Some(Runtime::Nodejs20X),
            architectures: Some(vec![Architectures::Arm64]),
            timeout: Some(30.into()),
            memory_size: Some(256.into()),
            environment: Some(EnvironmentProperty {
                variables: Some(BTreeMap::from([("STAGE".to_string(), Value::from("prod"))])),
            }),
            tracing_config: Some(TracingConfigProperty {
                mode: Some(TracingConfigMode::Active),
            }),
            ..lambda::CfnFunctionProps::new(
                CodeProperty {
                    zip_file: Some("exports.handler = async () => 'ok';".into()),
                    ..Default::default()
                },
                role.attr_arn(),
            )
        },
    );
    lambda::CfnPermission::new(
        &stack,
        "Permission",
        lambda::CfnPermissionProps::new(
            "lambda:InvokeFunction",
            function.attr_arn(),
            "events.amazonaws.com",
        ),
    );
    let t = template(&app);
    let (role_id, _) = resource(&t, "Role");
    let (fn_id, f) = resource(&t, "Fn");
    assert_eq!(
        f["Properties"],
        json!({
            "Code": {"ZipFile": "exports.handler = async () => 'ok';"},
            "Role": {"Fn::GetAtt": [role_id, "Arn"]},
            "Handler": "index.handler",
            "Runtime": "nodejs20.x",
            "Architectures": ["arm64"],
            "Timeout": 30,
            "MemorySize": 256,
            "Environment": {"Variables": {"STAGE": "prod"}},
            "TracingConfig": {"Mode": "Active"}
        })
    );
    let (_, p) = resource(&t, "Permission");
    assert_eq!(
        p["Properties"]["FunctionName"],
        json!({"Fn::GetAtt": [fn_id, "Arn"]})
    );
    assert!(f["DependsOn"].is_null());
}

#[test]
fn enum_other_variant_carries_tokens_and_new_values() {
    use lambda::cfn_function::Runtime;
    assert_eq!(Runtime::from("python3.12"), Runtime::Python312);
    assert_eq!(Runtime::Python312.as_str(), Some("python3.12"));
    assert_eq!(
        Runtime::from("future-runtime"),
        Runtime::Other("future-runtime".into())
    );
    let token = Runtime::from(Aws::REGION);
    assert!(matches!(token, Runtime::Other(ref s) if s.is_token()));
    assert_eq!(token.as_str(), None);
}

#[test]
fn apigateway_rest_api_resource_method() {
    use apigateway::cfn_method::{IntegrationProperty, IntegrationType};
    let (app, stack) = app_and_stack();
    let api = apigateway::CfnRestApi::new(
        &stack,
        "Api",
        apigateway::CfnRestApiProps {
            name: Some("api".into()),
            ..Default::default()
        },
    );
    let res = apigateway::CfnResource::new(
        &stack,
        "Items",
        apigateway::CfnResourceProps {
            parent_id: api.attr_root_resource_id(),
            path_part: "items".into(),
            rest_api_id: api.ref_(),
        },
    );
    apigateway::CfnMethod::new(
        &stack,
        "Get",
        apigateway::CfnMethodProps {
            authorization_type: Some("NONE".into()),
            integration: Some(IntegrationProperty {
                integration_http_method: Some("POST".into()),
                request_templates: Some(BTreeMap::from([(
                    "application/json".to_string(),
                    Str::from("{\"statusCode\": 200}"),
                )])),
                ..IntegrationProperty::new(IntegrationType::Mock)
            }),
            ..apigateway::CfnMethodProps::new("GET", res.ref_(), api.ref_())
        },
    );
    let t = template(&app);
    let (api_id, _) = resource(&t, "Api");
    let (res_id, r) = resource(&t, "Items");
    assert_eq!(
        r["Properties"],
        json!({
            "ParentId": {"Fn::GetAtt": [api_id, "RootResourceId"]},
            "PathPart": "items",
            "RestApiId": {"Ref": api_id}
        })
    );
    let (_, m) = resource(&t, "Get");
    assert_eq!(m["Properties"]["ResourceId"], json!({"Ref": res_id}));
    assert_eq!(
        m["Properties"]["Integration"],
        json!({
            "Type": "MOCK",
            "IntegrationHttpMethod": "POST",
            "RequestTemplates": {"application/json": "{\"statusCode\": 200}"}
        })
    );
}

#[test]
fn codecommit_codebuild_codepipeline() {
    use codebuild::cfn_project::{ArtifactsProperty, EnvironmentProperty, SourceProperty};
    use codepipeline::cfn_pipeline::{
        ActionDeclarationProperty, ActionTypeIdCategory, ActionTypeIdProperty,
        ArtifactStoreProperty, ArtifactStoreType, OutputArtifactProperty, StageDeclarationProperty,
    };
    let (app, stack) = app_and_stack();
    let repo = codecommit::CfnRepository::new(
        &stack,
        "Repo",
        codecommit::CfnRepositoryProps {
            repository_description: Some("code".into()),
            ..codecommit::CfnRepositoryProps::new("my-repo")
        },
    );
    codebuild::CfnProject::new(
        &stack,
        "Project",
        codebuild::CfnProjectProps::new(
            ArtifactsProperty::new("NO_ARTIFACTS"),
            EnvironmentProperty::new(
                "BUILD_GENERAL1_SMALL",
                "aws/codebuild/standard:7.0",
                "LINUX_CONTAINER",
            ),
            "arn:aws:iam::123456789012:role/build",
            SourceProperty {
                location: Some(repo.attr_clone_url_http()),
                ..SourceProperty::new("CODECOMMIT")
            },
        ),
    );
    codepipeline::CfnPipeline::new(
        &stack,
        "Pipeline",
        codepipeline::CfnPipelineProps {
            artifact_store: Some(ArtifactStoreProperty::new(
                "artifact-bucket",
                ArtifactStoreType::S3,
            )),
            ..codepipeline::CfnPipelineProps::new(
                "arn:aws:iam::123456789012:role/pipeline",
                vec![
                    StageDeclarationProperty::new(
                        vec![ActionDeclarationProperty {
                            configuration: Some(
                                json!({"RepositoryName": "my-repo", "BranchName": "main"}).into(),
                            ),
                            output_artifacts: Some(vec![OutputArtifactProperty::new("src")]),
                            run_order: Some(1.into()),
                            ..ActionDeclarationProperty::new(
                                ActionTypeIdProperty::new(
                                    ActionTypeIdCategory::Source,
                                    "AWS",
                                    "CodeCommit",
                                    "1",
                                ),
                                "Checkout",
                            )
                        }],
                        "Source",
                    ),
                    build_stage(),
                ],
            )
        },
    );
    let t = template(&app);
    assert_eq!(t["Resources"].as_object().map(|r| r.len()), Some(3));
    let (repo_id, r) = resource(&t, "Repo");
    assert_eq!(
        r["Properties"],
        json!({"RepositoryName": "my-repo", "RepositoryDescription": "code"})
    );
    let (_, p) = resource(&t, "Project");
    assert_eq!(
        p["Properties"]["Source"],
        json!({"Type": "CODECOMMIT", "Location": {"Fn::GetAtt": [repo_id, "CloneUrlHttp"]}})
    );
    assert_eq!(
        p["Properties"]["Artifacts"],
        json!({"Type": "NO_ARTIFACTS"})
    );
    assert_eq!(
        p["Properties"]["Environment"],
        json!({
            "ComputeType": "BUILD_GENERAL1_SMALL",
            "Image": "aws/codebuild/standard:7.0",
            "Type": "LINUX_CONTAINER"
        })
    );
    let (_, pl) = resource(&t, "Pipeline");
    assert_eq!(pl["Properties"]["Stages"][1]["Name"], "Build");
    assert_eq!(
        pl["Properties"]["Stages"][0],
        json!({
            "Name": "Source",
            "Actions": [{
                "Name": "Checkout",
                "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1"},
                "Configuration": {"BranchName": "main", "RepositoryName": "my-repo"},
                "OutputArtifacts": [{"Name": "src"}],
                "RunOrder": 1
            }]
        })
    );
    assert_eq!(
        pl["Properties"]["ArtifactStore"],
        json!({"Location": "artifact-bucket", "Type": "S3"})
    );
}

fn build_stage() -> codepipeline::cfn_pipeline::StageDeclarationProperty {
    use codepipeline::cfn_pipeline::{
        ActionDeclarationProperty, ActionTypeIdCategory, ActionTypeIdProperty,
        InputArtifactProperty, StageDeclarationProperty,
    };
    StageDeclarationProperty::new(
        vec![ActionDeclarationProperty {
            configuration: Some(json!({"ProjectName": "build"}).into()),
            input_artifacts: Some(vec![InputArtifactProperty::new("src")]),
            ..ActionDeclarationProperty::new(
                ActionTypeIdProperty::new(ActionTypeIdCategory::Build, "AWS", "CodeBuild", "1"),
                "Build",
            )
        }],
        "Build",
    )
}

#[test]
fn events_rule_with_pattern_and_targets() {
    use events::cfn_rule::{State, TargetProperty};
    let (app, stack) = app_and_stack();
    let topic = sns::CfnTopic::new(&stack, "Topic", sns::CfnTopicProps::default());
    events::CfnRule::new(
        &stack,
        "Rule",
        events::CfnRuleProps {
            event_pattern: Some(json!({"source": ["aws.s3"]}).into()),
            state: Some(State::Enabled),
            targets: Some(vec![TargetProperty::new(topic.ref_(), "Target0")]),
            ..Default::default()
        },
    );
    let t = template(&app);
    let (topic_id, _) = resource(&t, "Topic");
    let (_, r) = resource(&t, "Rule");
    assert_eq!(
        r["Properties"],
        json!({
            "EventPattern": {"source": ["aws.s3"]},
            "State": "ENABLED",
            "Targets": [{"Arn": {"Ref": topic_id}, "Id": "Target0"}]
        })
    );
}

#[test]
fn dynamodb_table_key_schema() {
    use dynamodb::cfn_table::{
        AttributeDefinitionAttributeType, AttributeDefinitionProperty, KeySchemaProperty,
    };
    let (app, stack) = app_and_stack();
    let table = dynamodb::CfnTable::new(
        &stack,
        "Table",
        dynamodb::CfnTableProps {
            attribute_definitions: Some(vec![
                AttributeDefinitionProperty::new("pk", AttributeDefinitionAttributeType::S),
                AttributeDefinitionProperty::new("sk", AttributeDefinitionAttributeType::N),
            ]),
            billing_mode: Some("PAY_PER_REQUEST".into()),
            ..dynamodb::CfnTableProps::new(vec![
                KeySchemaProperty::new("pk", "HASH"),
                KeySchemaProperty::new("sk", "RANGE"),
            ])
        },
    );
    assert!(table.attr_stream_arn().is_token());
    let t = template(&app);
    let (_, r) = resource(&t, "Table");
    assert_eq!(
        r["Properties"],
        json!({
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"}
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"}
            ],
            "BillingMode": "PAY_PER_REQUEST"
        })
    );
}

#[test]
fn logs_ssm_sns_sqs_cloudformation() {
    let (app, stack) = app_and_stack();
    logs::CfnLogGroup::new(
        &stack,
        "Logs",
        logs::CfnLogGroupProps {
            log_group_name: Some("/app/logs".into()),
            retention_in_days: Some(14.into()),
            log_group_class: Some(logs::cfn_log_group::LogGroupClass::Standard),
            ..Default::default()
        },
    );
    ssm::CfnParameter::new(
        &stack,
        "Param",
        ssm::CfnParameterProps {
            name: Some("/app/param".into()),
            tags: Some(BTreeMap::from([("owner".to_string(), Str::from("team-a"))])),
            tier: Some(ssm::cfn_parameter::Tier::Standard),
            ..ssm::CfnParameterProps::new(ssm::cfn_parameter::Type::String, "v1")
        },
    );
    let queue = sqs::CfnQueue::new(
        &stack,
        "Queue",
        sqs::CfnQueueProps {
            visibility_timeout: Some(60.into()),
            fifo_queue: Some(true.into()),
            queue_name: Some("jobs.fifo".into()),
            ..Default::default()
        },
    );
    let topic = sns::CfnTopic::new(
        &stack,
        "Topic",
        sns::CfnTopicProps {
            display_name: Some("alerts".into()),
            ..Default::default()
        },
    );
    sns::CfnSubscription::new(
        &stack,
        "Sub",
        sns::CfnSubscriptionProps {
            endpoint: Some(queue.attr_arn()),
            raw_message_delivery: Some(true.into()),
            ..sns::CfnSubscriptionProps::new("sqs", topic.ref_())
        },
    );
    cloudformation::CfnStack::new(
        &stack,
        "Nested",
        cloudformation::CfnStackProps {
            parameters: Some(BTreeMap::from([("Env".to_string(), Value::from("prod"))])),
            timeout_in_minutes: Some(10.into()),
            ..cloudformation::CfnStackProps::new("https://s3.amazonaws.com/bucket/nested.json")
        },
    );
    cloudformation::CfnWaitConditionHandle::new(
        &stack,
        "Handle",
        cloudformation::CfnWaitConditionHandleProps {},
    );
    Tags::of(&stack).add("env", "test");

    let t = template(&app);
    let (_, l) = resource(&t, "Logs");
    assert_eq!(
        l["Properties"],
        json!({
            "LogGroupName": "/app/logs",
            "RetentionInDays": 14,
            "LogGroupClass": "STANDARD",
            "Tags": [{"Key": "env", "Value": "test"}]
        })
    );
    let (_, p) = resource(&t, "Param");
    // SSM parameters take tags as a map (TagType::Map).
    assert_eq!(
        p["Properties"],
        json!({
            "Name": "/app/param", "Type": "String", "Value": "v1", "Tier": "Standard",
            "Tags": {"env": "test", "owner": "team-a"}
        })
    );
    let (queue_id, q) = resource(&t, "Queue");
    assert_eq!(q["Properties"]["FifoQueue"], true);
    assert_eq!(q["Properties"]["VisibilityTimeout"], 60);
    let (topic_id, _) = resource(&t, "Topic");
    let (_, s) = resource(&t, "Sub");
    assert_eq!(
        s["Properties"],
        json!({
            "Protocol": "sqs",
            "TopicArn": {"Ref": topic_id},
            "Endpoint": {"Fn::GetAtt": [queue_id, "Arn"]},
            "RawMessageDelivery": true
        })
    );
    let (_, n) = resource(&t, "Nested");
    assert_eq!(
        n["Properties"],
        json!({
            "TemplateURL": "https://s3.amazonaws.com/bucket/nested.json",
            "Parameters": {"Env": "prod"},
            "TimeoutInMinutes": 10,
            "Tags": [{"Key": "env", "Value": "test"}]
        })
    );
    let (_, h) = resource(&t, "Handle");
    assert_eq!(h["Type"], "AWS::CloudFormation::WaitConditionHandle");
    assert!(h["Properties"].is_null() || h["Properties"] == json!({}));
}

#[test]
fn escape_hatches_through_deref() {
    let (app, stack) = app_and_stack();
    let queue = sqs::CfnQueue::new(&stack, "Queue", sqs::CfnQueueProps::default());
    queue.add_property_override("DelaySeconds", 5);
    queue
        .resource()
        .apply_removal_policy(cdk_core::RemovalPolicy::Retain);
    let t = template(&app);
    let (_, q) = resource(&t, "Queue");
    assert_eq!(q["Properties"], json!({"DelaySeconds": 5}));
    assert_eq!(q["DeletionPolicy"], "Retain");
}
