//! The change-set, delete-stack and manual-approval actions, the CodeCommit source's custom
//! event rule: configuration, roles and grants as aws-cdk-lib renders them, and their errors.

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::*;
use cdk_constructs::codepipeline_actions::*;
use cdk_constructs::iam::{AccountRootPrincipal, Role, RoleProps};
use cdk_core::{App, Environment, Stack, StackProps};

fn source_stage(stack: &Stack, output: &Artifact) -> StageProps {
    let repo = Repository::new(
        stack,
        "Repo",
        RepositoryProps {
            repository_name: "repo".into(),
            ..Default::default()
        },
    );
    StageProps::new(
        "Source",
        vec![Box::new(CodeCommitSourceAction::new(
            CodeCommitSourceActionProps {
                trigger: CodeCommitTrigger::Poll,
                ..CodeCommitSourceActionProps::new("Source", &repo, output)
            },
        ))],
    )
}

fn stack(app: &App) -> Stack {
    Stack::new(
        app,
        "PipelineStack",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    )
}

#[test]
fn change_set_actions_render_modes_and_grant_per_change_set() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let prepare = CloudFormationCreateReplaceChangeSetAction::new(
        CloudFormationCreateReplaceChangeSetActionProps::new(
            "Prepare",
            source.at_path("template.yaml"),
            "OurStack",
            "StagedChangeSet",
            false,
        ),
    );
    let execute =
        CloudFormationExecuteChangeSetAction::new(CloudFormationExecuteChangeSetActionProps {
            run_order: Some(2),
            ..CloudFormationExecuteChangeSetActionProps::new(
                "Execute",
                "OurStack",
                "StagedChangeSet",
            )
        });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new("Deploy", vec![Box::new(prepare), Box::new(execute)]),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({
            "Name": "Deploy",
            "Actions": [
                Match::object_like(pattern!({
                    "Name": "Prepare",
                    "ActionTypeId": {"Category": "Deploy", "Provider": "CloudFormation"},
                    "Configuration": Match::object_equals(pattern!({
                        "StackName": "OurStack",
                        "RoleArn": {"Fn::GetAtt": [Match::string_like_regexp("^PipelineDeployPrepareRole"), "Arn"]},
                        "ActionMode": "CHANGE_SET_REPLACE",
                        "ChangeSetName": "StagedChangeSet",
                        "TemplatePath": "SourceArtifact::template.yaml",
                    })),
                    "InputArtifacts": [{"Name": "SourceArtifact"}],
                    "RunOrder": 1,
                })),
                Match::object_like(pattern!({
                    "Name": "Execute",
                    "Configuration": Match::object_equals(pattern!({
                        "StackName": "OurStack",
                        "ActionMode": "CHANGE_SET_EXECUTE",
                        "ChangeSetName": "StagedChangeSet",
                    })),
                    "InputArtifacts": Match::absent(),
                    "RunOrder": 2,
                })),
            ],
        }))])}),
    );
    let condition =
        pattern!({"StringEqualsIfExists": {"cloudformation:ChangeSetName": "StagedChangeSet"}});
    let stack_arn = pattern!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":cloudformation:us-east-1:111111111111:stack/OurStack/*"]]});
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": [
                "cloudformation:CreateChangeSet",
                "cloudformation:DeleteChangeSet",
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStacks",
            ],
            "Condition": condition.clone(),
            "Resource": stack_arn.clone(),
        }))])}}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": [
                "cloudformation:DescribeChangeSet",
                "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeStacks",
                "cloudformation:ExecuteChangeSet",
            ],
            "Condition": condition,
            "Resource": stack_arn,
        }))])}}),
    );
    // The prepare action passes its deployment role; the execute action needs no role of its own.
    t.resource_properties_count_is(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [Match::object_like(pattern!({
            "Principal": {"Service": "cloudformation.amazonaws.com"}
        }))]}}),
        1,
    );
}

#[test]
fn delete_stack_action_grants_delete_and_admin_role() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new(
                    "Cleanup",
                    vec![Box::new(CloudFormationDeleteStackAction::new(
                        CloudFormationDeleteStackActionProps::new("Delete", "TestStack", true),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({
            "Name": "Cleanup",
            "Actions": [Match::object_like(pattern!({
                "Configuration": {
                    "StackName": "TestStack",
                    "ActionMode": "DELETE_ONLY",
                    "Capabilities": "CAPABILITY_NAMED_IAM",
                    "RoleArn": Match::any_value(),
                },
            }))],
        }))])}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": ["cloudformation:DeleteStack", "cloudformation:DescribeStack*"],
        }))])}}),
    );
    // Admin permissions: the deployment role may do anything.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": "*", "Resource": "*",
        }))])}}),
    );
}

#[test]
fn manual_approval_with_emails_creates_topic_subscriptions_and_publish_grant() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let approve = ManualApprovalAction::new(ManualApprovalActionProps {
        notify_emails: vec!["adam@example.com".into(), "eve@example.com".into()],
        additional_information: Some("check it".into()),
        external_entity_link: Some("https://example.com".into()),
        timeout_minutes: Some(60),
        ..ManualApprovalActionProps::new("Approve")
    });
    let pipeline = Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new("Approve", vec![Box::new(approve.clone())]),
            ],
            ..Default::default()
        },
    );
    let approvers = Role::new(
        &stack,
        "Approvers",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    approve.grant_manual_approval(&approvers);
    assert!(approve.notification_topic_arn().is_some());

    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::SNS::Topic", 1);
    let topic_id = t.get_resource_id("AWS::SNS::Topic", pattern!({}));
    assert!(
        topic_id.starts_with("PipelineApproveTopicResource"),
        "{topic_id}"
    );
    t.resource_count_is("AWS::SNS::Subscription", 2);
    t.has_resource_properties(
        "AWS::SNS::Subscription",
        pattern!({"Protocol": "email", "Endpoint": "adam@example.com", "TopicArn": {"Ref": topic_id.clone()}}),
    );
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({
            "Name": "Approve",
            "Actions": [Match::object_like(pattern!({
                "ActionTypeId": {"Category": "Approval", "Owner": "AWS", "Provider": "Manual", "Version": "1"},
                "Configuration": {
                    "NotificationArn": {"Ref": topic_id.clone()},
                    "CustomData": "check it",
                    "ExternalEntityLink": "https://example.com",
                },
                "TimeoutInMinutes": 60,
            }))],
        }))])}),
    );
    // The action role may publish to the topic.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [Match::object_like(pattern!({
            "Action": "sns:Publish", "Resource": {"Ref": topic_id},
        }))]}}),
    );
    // The approvers see the pipeline and may approve this action.
    let _ = pipeline;
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "Roles": [{"Ref": Match::string_like_regexp("^Approvers")}],
            "PolicyDocument": {"Statement": Match::array_with([
                Match::object_like(pattern!({"Action": "codepipeline:ListPipelines", "Resource": "*"})),
                Match::object_like(pattern!({
                    "Action": "codepipeline:PutApprovalResult",
                    "Resource": {"Fn::Join": ["", Match::array_with([Match::string_like_regexp("/Approve/Approve$")])]},
                })),
            ])},
        }),
    );
}

#[test]
fn manual_approval_without_notification_has_no_configuration() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Approve"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::SNS::Topic", 0);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({
            "Name": "Approve",
            "Actions": [Match::object_like(pattern!({"Configuration": Match::absent()}))],
        }))])}),
    );
}

#[test]
fn manual_approval_timeout_out_of_range_and_grant_before_binding_are_errors() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let unbound = ManualApprovalAction::new(ManualApprovalActionProps::new("Later"));
    let approvers = Role::new(
        &stack,
        "Approvers",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    unbound.grant_manual_approval(&approvers);
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps {
                            timeout_minutes: Some(2),
                            ..ManualApprovalActionProps::new("Approve")
                        },
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/PipelineStack/Pipeline/Approve/Approve",
        Match::string_like_regexp("timeout must be between 5 minutes and 86400 minutes"),
    );
    a.has_error(
        "/PipelineStack/Approvers",
        "Cannot grant permissions before binding action to a stage",
    );
}

#[test]
fn invalid_stack_name_of_change_set_action_is_an_error() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new(
                    "Deploy",
                    vec![Box::new(CloudFormationExecuteChangeSetAction::new(
                        CloudFormationExecuteChangeSetActionProps::new(
                            "Execute",
                            "1bad_name",
                            "cs",
                        ),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/PipelineStack/Pipeline/Deploy/Execute",
        Match::string_like_regexp("stack name '1bad_name' must match"),
    );
}

// ---------------------------------------------------------------------------------------
// S3 source / deploy, Lambda invoke, CodeStar connections

use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, IFunction, Runtime};
use cdk_constructs::s3::{Bucket, BucketAccessControl, BucketProps};
use cdk_core::Value;
use std::rc::Rc;

fn s3_source(stack: &Stack, trigger: Option<S3Trigger>, output: &Artifact) -> (Bucket, StageProps) {
    let bucket = Bucket::new(
        stack,
        "SourceBucket",
        BucketProps {
            versioned: true,
            ..Default::default()
        },
    );
    let action = S3SourceAction::new(S3SourceActionProps {
        trigger,
        ..S3SourceActionProps::new("Source", &bucket, "app/source.zip", output)
    });
    (bucket, StageProps::new("Source", vec![Box::new(action)]))
}

#[test]
fn s3_source_with_events_adds_a_cloudtrail_rule_and_reads_only_its_key() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let (_bucket, stage) = s3_source(&stack, Some(S3Trigger::Events), &source);
    let site = Bucket::new(&stack, "Site", BucketProps::default());
    let key = Key::new(&stack, "DeployKey", KeyProps::default());
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                stage,
                StageProps::new(
                    "Deploy",
                    vec![Box::new(S3DeployAction::new(S3DeployActionProps {
                        extract: Some(false),
                        object_key: Some("site.zip".into()),
                        access_control: Some(BucketAccessControl::PublicRead),
                        cache_control: vec![
                            CacheControl::set_public(),
                            CacheControl::max_age_seconds(43200),
                        ],
                        encryption_key: Some(Rc::new(key)),
                        ..S3DeployActionProps::new("Deploy", &site, &source)
                    }))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    let rule_id = t.get_resource_id("AWS::Events::Rule", pattern!({}));
    assert!(
        rule_id.starts_with("SourceBucketPipelineStackPipeline")
            && rule_id.contains("SourceEventRuleappsourcezip"),
        "{rule_id}"
    );
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({
            "EventPattern": {
                "source": ["aws.s3"],
                "detail-type": ["AWS API Call via CloudTrail"],
                "detail": {
                    "resources": {"ARN": [Match::any_value()]},
                    "eventName": ["CompleteMultipartUpload", "CopyObject", "PutObject"],
                    "requestParameters": {"bucketName": [{"Ref": Match::string_like_regexp("^SourceBucket")}], "key": ["app/source.zip"]},
                },
            },
            "Targets": [Match::object_like(pattern!({"Id": "Target0", "RoleArn": Match::any_value()}))],
        }),
    );
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": [
            Match::object_like(pattern!({"Actions": [Match::object_like(pattern!({
                "ActionTypeId": {"Category": "Source", "Provider": "S3"},
                "Configuration": {"S3ObjectKey": "app/source.zip", "PollForSourceChanges": false},
            }))]})),
            Match::object_like(pattern!({"Actions": [Match::object_like(pattern!({
                "ActionTypeId": {"Category": "Deploy", "Provider": "S3"},
                "Configuration": Match::object_equals(pattern!({
                    "BucketName": {"Ref": Match::string_like_regexp("^Site")},
                    "Extract": "false",
                    "ObjectKey": "site.zip",
                    "CannedACL": "public-read",
                    "CacheControl": "public, max-age=43200",
                    "KMSEncryptionKeyARN": {"Fn::GetAtt": [Match::string_like_regexp("^DeployKey"), "Arn"]},
                })),
            }))]})),
        ]}),
    );
    // The source action reads only its object.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"],
            "Resource": [
                {"Fn::GetAtt": [Match::string_like_regexp("^SourceBucket"), "Arn"]},
                {"Fn::Join": ["", [{"Fn::GetAtt": [Match::string_like_regexp("^SourceBucket"), "Arn"]}, "/app/source.zip"]]},
            ],
        }))])}}),
    );
    // The deploy action may set ACLs on the site bucket.
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": ["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
        }))])}}),
    );
}

#[test]
fn s3_source_without_trigger_leaves_polling_to_codepipeline() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let (_bucket, stage) = s3_source(&stack, None, &source);
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                stage,
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Ok"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Events::Rule", 0);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({"Actions": [Match::object_like(pattern!({
            "Configuration": Match::object_equals(pattern!({
                "S3Bucket": {"Ref": Match::string_like_regexp("^SourceBucket")},
                "S3ObjectKey": "app/source.zip",
            })),
        }))]}))])}),
    );
}

#[test]
fn lambda_invoke_grants_invoke_and_lets_the_function_report() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let function = Function::new(
        &stack,
        "LambdaFun",
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("exports.handler = async () => {};"),
        ),
    );
    let function: Rc<dyn IFunction> = Rc::new(function);
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                source_stage(&stack, &source),
                StageProps::new(
                    "Invoke",
                    vec![Box::new(LambdaInvokeAction::new(LambdaInvokeActionProps {
                        inputs: vec![source.clone()],
                        user_parameters: Some(UserParameters::Json(Value::object([(
                            "stage", "test",
                        )]))),
                        ..LambdaInvokeActionProps::new("Lambda", function)
                    }))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({"Name": "Invoke", "Actions": [Match::object_like(pattern!({
            "ActionTypeId": {"Category": "Invoke", "Provider": "Lambda"},
            "Configuration": {"FunctionName": {"Ref": Match::string_like_regexp("^LambdaFun")}, "UserParameters": "{\"stage\":\"test\"}"},
            "InputArtifacts": [{"Name": "SourceArtifact"}],
        }))]}))])}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([
            Match::object_like(pattern!({"Action": "lambda:ListFunctions", "Resource": "*"})),
            Match::object_like(pattern!({"Action": "lambda:InvokeFunction"})),
        ])}}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "Roles": [{"Ref": Match::string_like_regexp("^LambdaFunServiceRole")}],
            "PolicyDocument": {"Statement": [Match::object_like(pattern!({
                "Action": ["codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult"],
                "Resource": "*",
            }))]},
        }),
    );
}

#[test]
fn codestar_connection_source_uses_the_connection_and_codebuild_clones_through_it() {
    use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let connection = "arn:aws:codestar-connections:us-east-1:111111111111:connection/abc";
    let github = CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps {
        branch: Some("main".into()),
        trigger_on_push: Some(false),
        code_build_clone_output: true,
        ..CodeStarConnectionsSourceActionProps::new("GitHub", connection, "aws", "aws-cdk", &source)
    });
    let project = PipelineProject::new(&stack, "Project", PipelineProjectProps::default());
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new("Source", vec![Box::new(github)]),
                StageProps::new(
                    "Build",
                    vec![Box::new(CodeBuildAction::new(CodeBuildActionProps::new(
                        "Build", project, &source,
                    )))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"Stages": Match::array_with([Match::object_like(pattern!({"Name": "Source", "Actions": [Match::object_like(pattern!({
            "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1"},
            "Configuration": Match::object_equals(pattern!({
                "ConnectionArn": connection,
                "FullRepositoryId": "aws/aws-cdk",
                "BranchName": "main",
                "OutputArtifactFormat": "CODEBUILD_CLONE_REF",
                "DetectChanges": false,
            })),
        }))]}))])}),
    );
    // Action role and project role both use the connection.
    t.resource_properties_count_is(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": "codestar-connections:UseConnection", "Resource": connection,
        }))])}}),
        2,
    );
}

// ---------------------------------------------------------------------------------------
// V2 variables and triggers

fn github(source: &Artifact) -> CodeStarConnectionsSourceAction {
    CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps::new(
        "CodeStarConnectionsSourceAction",
        "arn:aws:codestar-connections:us-east-1:111111111111:connection/abc",
        "go-to-k",
        "cdk-codepipeline-demo-1",
        source,
    ))
}

#[test]
fn v2_pipeline_renders_variables_and_triggers() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let action = github(&source);
    let variable = Variable::new(VariableProps {
        default_value: Some("sample".into()),
        description: Some("description".into()),
        ..VariableProps::new("bucket-var")
    });
    assert_eq!(variable.reference(), "#{variables.bucket-var}");
    let pipeline = Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            pipeline_type: Some(PipelineType::V2),
            variables: vec![variable],
            stages: vec![
                StageProps::new("Source", vec![Box::new(action.clone())]),
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Ok"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    pipeline.add_trigger(TriggerProps {
        provider_type: ProviderType::CodeStarSourceConnection,
        git_configuration: Some(GitConfiguration {
            source_action: Rc::new(action),
            push_filter: vec![GitPushFilter {
                tags_excludes: vec!["exclude1".into()],
                tags_includes: vec!["include1".into(), "include2".into()],
                ..Default::default()
            }],
            pull_request_filter: vec![GitPullRequestFilter {
                branches_includes: vec!["main".into()],
                file_paths_excludes: vec!["/docs".into()],
                events: vec![GitPullRequestEvent::Open, GitPullRequestEvent::Open],
                ..Default::default()
            }],
        }),
    });
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "PipelineType": "V2",
            "Variables": [{"Name": "bucket-var", "DefaultValue": "sample", "Description": "description"}],
            "Triggers": [{
                "ProviderType": "CodeStarSourceConnection",
                "GitConfiguration": Match::object_equals(pattern!({
                    "SourceActionName": "CodeStarConnectionsSourceAction",
                    "Push": [Match::object_equals(pattern!({"Tags": {"Excludes": ["exclude1"], "Includes": ["include1", "include2"]}}))],
                    "PullRequest": [Match::object_equals(pattern!({
                        "Branches": Match::object_equals(pattern!({"Includes": ["main"]})),
                        "FilePaths": Match::object_equals(pattern!({"Excludes": ["/docs"]})),
                        "Events": ["OPEN"],
                    }))],
                })),
            }],
        }),
    );
}

#[test]
fn variables_and_triggers_need_v2_and_valid_input() {
    let app = App::new();
    let stack = stack(&app);
    let source = Artifact::new("SourceArtifact");
    let action = github(&source);
    let pipeline = Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            pipeline_type: Some(PipelineType::V1),
            variables: vec![Variable::new(VariableProps::new("bad name!"))],
            stages: vec![
                StageProps::new("Source", vec![Box::new(action.clone())]),
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Ok"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let trigger = TriggerProps {
        provider_type: ProviderType::CodeStarSourceConnection,
        git_configuration: Some(GitConfiguration {
            source_action: Rc::new(action),
            push_filter: vec![GitPushFilter {
                file_paths_includes: vec!["/src".into()],
                ..Default::default()
            }],
            pull_request_filter: Vec::new(),
        }),
    };
    pipeline.add_trigger(trigger.clone());
    pipeline.add_trigger(trigger);
    let a = Annotations::from_stack(&stack);
    let path = "/PipelineStack/Pipeline";
    a.has_error(path, "Pipeline variables can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`");
    a.has_error(path, "Triggers can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`");
    a.has_error(
        path,
        Match::string_like_regexp("^Variable name must match regular expression"),
    );
    a.has_error(path, "cannot specify filePaths without branches for sourceAction with name 'CodeStarConnectionsSourceAction'");
    a.has_error(path, "Trigger with duplicate source action 'CodeStarConnectionsSourceAction' added to the Pipeline");
}

#[test]
fn a_custom_event_rule_replaces_the_commit_rule() {
    use cdk_constructs::events::EventPattern;
    use cdk_constructs::sns::{Topic, TopicProps};
    let app = App::new();
    let stack = stack(&app);
    let repo = Repository::new(
        &stack,
        "Repo",
        RepositoryProps {
            repository_name: "repo".into(),
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let source = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        branch: Some("dev".into()),
        custom_event_rule: Some(CustomEventRule {
            rule_name: Some("MyRule".into()),
            ..CustomEventRule::new(
                EventPattern {
                    detail_type: vec!["CodeCommit Repository State Change".into()],
                    ..Default::default()
                },
                cdk_constructs::events::targets::SnsTopic::new(&topic),
            )
        }),
        ..CodeCommitSourceActionProps::new("Source", &repo, &Artifact::new("Src"))
    });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new("Source", vec![Box::new(source)]),
                StageProps::new(
                    "Approve",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Ok"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::Events::Rule", 1);
    let id = t.get_resource_id(
        "AWS::Events::Rule",
        pattern!({"Properties": {"Name": "MyRule"}}),
    );
    assert!(id.starts_with("RepoPipelineStackPipeline"), "{id}");
    assert!(id.contains("devEventRule"), "{id}");
    t.has_resource_properties(
        "AWS::Events::Rule",
        pattern!({
            "Name": "MyRule",
            "EventPattern": Match::object_equals(pattern!({
                "source": ["aws.codecommit"],
                "resources": [{"Fn::GetAtt": ["Repo02AC86CF", "Arn"]}],
                "detail-type": ["CodeCommit Repository State Change"],
            })),
            "Targets": [{"Arn": {"Ref": "TopicBFC7AF6E"}, "Id": "Target0"}],
        }),
    );
}
