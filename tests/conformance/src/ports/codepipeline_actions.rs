//! Ports of `aws-codepipeline-actions/test/integ.*.ts`.

use cdk_constructs::codebuild::{BuildEnvironmentVariable, PipelineProject, PipelineProjectProps};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{
    Artifact, ExecutionMode, GitConfiguration, GitPullRequestEvent, GitPullRequestFilter,
    GitPushFilter, Pipeline, PipelineProps, PipelineType, ProviderType, StageProps, TriggerProps,
    Variable, VariableProps,
};
use cdk_constructs::codepipeline_actions::{
    CacheControl, CloudFormationCreateReplaceChangeSetAction,
    CloudFormationCreateReplaceChangeSetActionProps, CloudFormationExecuteChangeSetAction,
    CloudFormationExecuteChangeSetActionProps, CodeBuildAction, CodeBuildActionProps,
    CodeBuildActionType, CodeCommitSourceAction, CodeCommitSourceActionProps, CodeCommitTrigger,
    CodeStarConnectionsSourceAction, CodeStarConnectionsSourceActionProps, CustomEventRule,
    ManualApprovalAction, ManualApprovalActionProps, S3DeployAction, S3DeployActionProps,
    S3SourceAction, S3SourceActionProps,
};
use cdk_constructs::codestarconnections::{cfn_connection, CfnConnection, CfnConnectionProps};
use cdk_constructs::events::targets::LambdaFunction;
use cdk_constructs::events::EventPattern;
use cdk_constructs::iam::PolicyStatement;
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::{Bucket, BucketAccessControl, BucketProps};
use cdk_core::{App, RemovalPolicy, Stack, StackProps, Str};

use crate::harness::Port;

/// The CodePipeline action ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-codepipeline-actions/integ.lambda-pipeline",
        build: lambda_pipeline,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-code-commit-build",
        build: pipeline_code_commit_build,
    },
    Port {
        test: "aws-codepipeline-actions/integ.lambda-deployed-through-codepipeline.lit",
        build: lambda_deployed_through_codepipeline,
    },
    Port {
        test: "aws-codepipeline-actions/integ.cfn-template-from-repo.lit",
        build: cfn_template_from_repo,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-manual-approval",
        build: pipeline_manual_approval,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-code-commit",
        build: pipeline_code_commit,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-s3-deploy",
        build: pipeline_s3_deploy,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-with-pipeline-variables",
        build: pipeline_with_pipeline_variables,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-with-pipeline-triggers",
        build: pipeline_with_pipeline_triggers,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-use-pipeline-role-for-actions",
        build: pipeline_use_pipeline_role_for_actions,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-code-commit-main",
        build: pipeline_code_commit_main,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-type-v2",
        build: pipeline_type_v2,
    },
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-code-commit-custom-event",
        build: pipeline_code_commit_custom_event,
    },
];

/// `integ.pipeline-code-commit-build.ts`.
fn pipeline_code_commit_build(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-codecommit-codebuild",
        StackProps::default(),
    );
    let repository = Repository::new(
        &stack,
        "MyRepo",
        RepositoryProps {
            repository_name: "my-repo".into(),
            ..Default::default()
        },
    );
    let source_output = Artifact::new("SourceArtifact");
    let source_action = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        trigger: CodeCommitTrigger::Poll,
        ..CodeCommitSourceActionProps::new("source", &repository, &source_output)
    });
    let project = PipelineProject::new(
        &stack,
        "MyBuildProject",
        PipelineProjectProps {
            grant_report_group_permissions: Some(false),
            ..Default::default()
        },
    );
    let build_action = CodeBuildAction::new(CodeBuildActionProps {
        outputs: vec![Artifact::unnamed()],
        environment_variables: vec![
            (
                "TEST_ENV_VARIABLE".into(),
                BuildEnvironmentVariable::plaintext("test env variable value"),
            ),
            (
                "PARAM_STORE_VARIABLE".into(),
                BuildEnvironmentVariable::parameter_store("param_store"),
            ),
        ],
        ..CodeBuildActionProps::new("build", &project, &source_output)
    });
    let test_action = CodeBuildAction::new(CodeBuildActionProps {
        r#type: CodeBuildActionType::Test,
        ..CodeBuildActionProps::new("test", &project, &source_output)
    });
    let pipeline = Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            cross_account_keys: Some(true),
            stages: vec![StageProps::new("source", vec![Box::new(source_action)])],
            ..Default::default()
        },
    );
    pipeline.add_stage(StageProps::new(
        "build",
        vec![Box::new(build_action), Box::new(test_action)],
    ));
}

/// `integ.lambda-deployed-through-codepipeline.lit.ts`. Partial: only `LambdaStack`
/// (`PipelineStack` needs `codebuild.Project`); STANDARD_NODEJS_RUNTIME = nodejs14.x, as in the
/// snapshot.
fn lambda_deployed_through_codepipeline(app: &App) {
    let lambda_stack = Stack::new(app, "LambdaStack", StackProps::default());
    Function::new(
        &lambda_stack,
        "Lambda",
        FunctionProps::new(
            Runtime::Other("nodejs14.x".into()),
            "index.handler",
            Code::from_cfn_parameters(),
        ),
    );
}

/// `integ.cfn-template-from-repo.lit.ts`: a change set prepared, approved by hand, executed.
fn cfn_template_from_repo(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-cloudformation",
        StackProps::default(),
    );
    let repo = Repository::new(
        &stack,
        "TemplateRepo",
        RepositoryProps {
            repository_name: "template-repo".into(),
            ..Default::default()
        },
    );
    let source_output = Artifact::new("SourceArtifact");
    let source = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        trigger: CodeCommitTrigger::Poll,
        ..CodeCommitSourceActionProps::new("Source", &repo, &source_output)
    });
    let stack_name = "OurStack";
    let change_set_name = "StagedChangeSet";
    let prepare = CloudFormationCreateReplaceChangeSetAction::new(
        CloudFormationCreateReplaceChangeSetActionProps {
            run_order: Some(1),
            ..CloudFormationCreateReplaceChangeSetActionProps::new(
                "PrepareChanges",
                source_output.at_path("template.yaml"),
                stack_name,
                change_set_name,
                true,
            )
        },
    );
    let approve = ManualApprovalAction::new(ManualApprovalActionProps {
        run_order: Some(2),
        ..ManualApprovalActionProps::new("ApproveChanges")
    });
    let execute =
        CloudFormationExecuteChangeSetAction::new(CloudFormationExecuteChangeSetActionProps {
            run_order: Some(3),
            ..CloudFormationExecuteChangeSetActionProps::new(
                "ExecuteChanges",
                stack_name,
                change_set_name,
            )
        });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new("Source", vec![Box::new(source)]),
                StageProps::new(
                    "Deploy",
                    vec![Box::new(prepare), Box::new(approve), Box::new(execute)],
                ),
            ],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-manual-approval.ts`: an S3 source and an approval notifying by e-mail.
fn pipeline_manual_approval(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-manual-approval",
        StackProps::default(),
    );
    let bucket = Bucket::new(&stack, "Bucket", BucketProps::default());
    let source = S3SourceAction::new(S3SourceActionProps::new(
        "S3",
        &bucket,
        "file.zip",
        &Artifact::unnamed(),
    ));
    let approve = ManualApprovalAction::new(ManualApprovalActionProps {
        notify_emails: vec!["adamruka85@gmail.com".into()],
        timeout_minutes: Some(10),
        ..ManualApprovalActionProps::new("ManualApproval")
    });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            artifact_bucket: Some(std::rc::Rc::new(bucket)),
            stages: vec![
                StageProps::new("Source", vec![Box::new(source)]),
                StageProps::new("Approve", vec![Box::new(approve)]),
            ],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-code-commit.ts`: a CodeCommit source (events) and a manual approval.
fn pipeline_code_commit(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-codecommit",
        StackProps::default(),
    );
    let repo = Repository::new(
        &stack,
        "MyRepo",
        RepositoryProps {
            repository_name: "my-repo".into(),
            ..Default::default()
        },
    );
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new(
                    "source",
                    vec![Box::new(CodeCommitSourceAction::new(
                        CodeCommitSourceActionProps::new(
                            "source",
                            &repo,
                            &Artifact::new("SourceArtifact"),
                        ),
                    ))],
                ),
                StageProps::new(
                    "build",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("manual"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
}

/// A bucket destroyed with its stack, emptied first (`autoDeleteObjects`).
fn auto_deleted_bucket(stack: &Stack, id: &str, versioned: bool) -> Bucket {
    Bucket::new(
        stack,
        id,
        BucketProps {
            versioned,
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    )
}

/// `integ.pipeline-s3-deploy.ts`: an S3 source, an S3 deploy (no extraction, canned ACL,
/// cache control) and a second deploy in a stage whose inbound transition is disabled.
fn pipeline_s3_deploy(app: &App) {
    let stack = Stack::new(app, "aws-cdk-codepipeline-s3-deploy", StackProps::default());
    let bucket = auto_deleted_bucket(&stack, "PipelineBucket", true);
    let source_output = Artifact::new("SourceArtifact");
    let source_action = S3SourceAction::new(S3SourceActionProps::new(
        "Source",
        &bucket,
        "key",
        &source_output,
    ));
    let deploy_bucket = auto_deleted_bucket(&stack, "DeployBucket", false);
    let other_deploy_bucket = auto_deleted_bucket(&stack, "OtherDeployBucket", false);
    let deploy = S3DeployAction::new(S3DeployActionProps {
        extract: Some(false),
        object_key: Some("key".into()),
        access_control: Some(BucketAccessControl::Private),
        cache_control: vec![
            CacheControl::set_public(),
            CacheControl::max_age_seconds(12 * 3600),
        ],
        ..S3DeployActionProps::new("DeployAction", &deploy_bucket, &source_output)
    });
    let disabled_deploy = S3DeployAction::new(S3DeployActionProps::new(
        "DisabledDeployAction",
        &other_deploy_bucket,
        &source_output,
    ));
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            artifact_bucket: Some(std::rc::Rc::new(bucket)),
            stages: vec![
                StageProps::new("Source", vec![Box::new(source_action)]),
                StageProps::new("Deploy", vec![Box::new(deploy)]),
                StageProps {
                    transition_to_enabled: Some(false),
                    ..StageProps::new("Disabled", vec![Box::new(disabled_deploy)])
                },
            ],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-with-pipeline-variables.ts`: a V2 pipeline variable used in the object key
/// of an S3 deploy action.
fn pipeline_with_pipeline_variables(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-with-pipeline-variables",
        StackProps::default(),
    );
    let source_bucket = auto_deleted_bucket(&stack, "PipelineBucket", true);
    let source_output = Artifact::new("SourceArtifact");
    let source_action = S3SourceAction::new(S3SourceActionProps::new(
        "Source",
        &source_bucket,
        "key",
        &source_output,
    ));
    let deploy_bucket = auto_deleted_bucket(&stack, "DeployBucket", false);
    let variable = Variable::new(VariableProps {
        description: Some("description".into()),
        default_value: Some("sample".into()),
        ..VariableProps::new("bucket-var")
    });
    let deploy = S3DeployAction::new(S3DeployActionProps {
        extract: Some(false),
        object_key: Some(format!("{}.txt", variable.reference()).into()),
        ..S3DeployActionProps::new("DeployAction", &deploy_bucket, &source_output)
    });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            artifact_bucket: Some(std::rc::Rc::new(source_bucket)),
            pipeline_type: Some(PipelineType::V2),
            variables: vec![variable],
            stages: vec![
                StageProps::new("Source", vec![Box::new(source_action)]),
                StageProps::new("Deploy", vec![Box::new(deploy)]),
            ],
            ..Default::default()
        },
    );
}

/// The `test-connection` GitHub connection both CodeStar connection tests create.
fn test_connection(stack: &Stack) -> Str {
    CfnConnection::new(
        stack,
        "test-connection",
        CfnConnectionProps {
            provider_type: Some(cfn_connection::ProviderType::GitHub),
            ..CfnConnectionProps::new("test-connection")
        },
    )
    .attr_connection_arn()
}

/// A two-stage pipeline: `source` in `Source`, then a CodeBuild action on a new
/// `PipelineProject` whose `CommitId` environment variable is the source's commit ID.
fn source_and_build(
    stack: &Stack,
    source: &CodeStarConnectionsSourceAction,
    input: &Artifact,
    build_action: &str,
    project_id: &str,
) -> Vec<StageProps> {
    let project = PipelineProject::new(stack, project_id, PipelineProjectProps::default());
    let build = CodeBuildAction::new(CodeBuildActionProps {
        outputs: vec![Artifact::unnamed()],
        environment_variables: vec![(
            "CommitId".into(),
            BuildEnvironmentVariable::plaintext(source.variables().commit_id),
        )],
        ..CodeBuildActionProps::new(build_action, &project, input)
    });
    vec![
        StageProps::new("Source", vec![Box::new(source.clone())]),
        StageProps::new("Build", vec![Box::new(build)]),
    ]
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// `integ.pipeline-with-pipeline-triggers.ts`: three V2 pipelines triggered by a CodeStar
/// connection source (push filter on tags, pull-request filter on branches and file paths,
/// push filter on branches and file paths); each build reads the source's `CommitId` variable.
fn pipeline_with_pipeline_triggers(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-with-pipeline-triggers",
        StackProps::default(),
    );
    let connection_arn = test_connection(&stack);
    let source = |name: &str, owner: &str, repo: &str, output: &Artifact| {
        CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps::new(
            name,
            connection_arn.clone(),
            owner,
            repo,
            output,
        ))
    };
    let trigger = |action: &CodeStarConnectionsSourceAction,
                   push_filter: Vec<GitPushFilter>,
                   pull_request_filter: Vec<GitPullRequestFilter>| TriggerProps {
        provider_type: ProviderType::CodeStarSourceConnection,
        git_configuration: Some(GitConfiguration {
            source_action: std::rc::Rc::new(action.clone()),
            push_filter,
            pull_request_filter,
        }),
    };

    let output1 = Artifact::unnamed();
    let source1 = source(
        "CodeStarConnectionsSourceAction",
        "go-to-k",
        "cdk-codepipeline-demo-1",
        &output1,
    );
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            pipeline_name: Some("my-pipeline".into()),
            pipeline_type: Some(PipelineType::V2),
            cross_account_keys: Some(true),
            stages: source_and_build(&stack, &source1, &output1, "CodeBuild", "MyProject"),
            triggers: vec![trigger(
                &source1,
                vec![GitPushFilter {
                    tags_excludes: strings(&["exclude1", "exclude2"]),
                    tags_includes: strings(&["include1", "include2"]),
                    ..Default::default()
                }],
                Vec::new(),
            )],
            ..Default::default()
        },
    );

    let output2 = Artifact::unnamed();
    let source2 = source(
        "CodeStarConnectionsSourceAction2",
        "go-to-k",
        "cdk-codepipeline-demo-2",
        &output2,
    );
    Pipeline::new(
        &stack,
        "Pipeline2",
        PipelineProps {
            pipeline_name: Some("my-pipeline2".into()),
            pipeline_type: Some(PipelineType::V2),
            cross_account_keys: Some(true),
            stages: source_and_build(&stack, &source2, &output2, "CodeBuild2", "MyProject2"),
            triggers: vec![trigger(
                &source2,
                Vec::new(),
                vec![GitPullRequestFilter {
                    branches_excludes: strings(&["exclude1", "exclude2"]),
                    branches_includes: strings(&["include1", "include2"]),
                    file_paths_excludes: strings(&["/path/to/exclude1", "/path/to/exclude2"]),
                    file_paths_includes: strings(&["/path/to/include1", "/path/to/include2"]),
                    events: vec![GitPullRequestEvent::Open, GitPullRequestEvent::Updated],
                }],
            )],
            ..Default::default()
        },
    );

    let input = Artifact::unnamed();
    let source3 = source(
        "integ-action-name",
        "cp-dev",
        "cp-triggers-integ-repo",
        &input,
    );
    Pipeline::new(
        &stack,
        "codepipeline-integ-trigger-test",
        PipelineProps {
            pipeline_name: Some("codepipeline-integ-trigger-test".into()),
            stages: source_and_build(
                &stack,
                &source3,
                &input,
                "CodeBuildAction",
                "cp-trigger-integ-test",
            ),
            triggers: vec![trigger(
                &source3,
                vec![GitPushFilter {
                    branches_excludes: strings(&["exclude1", "exclude2"]),
                    branches_includes: strings(&["include1", "include2"]),
                    file_paths_excludes: strings(&["/path/to/exclude1", "/path/to/exclude2"]),
                    file_paths_includes: strings(&["/path/to/include1", "/path/to/include2"]),
                    ..Default::default()
                }],
                Vec::new(),
            )],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-use-pipeline-role-for-actions.ts`: every action runs with the pipeline
/// role; the build reads the CodeStar connection source's `CommitId` variable.
fn pipeline_use_pipeline_role_for_actions(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-integ-test-service-roles-for-actions",
        StackProps::default(),
    );
    let input = Artifact::unnamed();
    let connection_arn = test_connection(&stack);
    let source = CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps::new(
        "integ-action-name",
        connection_arn,
        "cp-dev",
        "cp-triggers-integ-repo",
        &input,
    ));
    Pipeline::new(
        &stack,
        "codepipeline-integ-trigger-test",
        PipelineProps {
            pipeline_name: Some("codepipeline-integ-trigger-test".into()),
            use_pipeline_role_for_actions: true,
            stages: source_and_build(
                &stack,
                &source,
                &input,
                "CodeBuildAction",
                "cp-trigger-integ-test",
            ),
            ..Default::default()
        },
    );
}

/// `integ.pipeline-code-commit-main.ts`: a CodeCommit source on the new default branch
/// (`main`, by the test's flag) and a manual approval, with cross-account keys.
fn pipeline_code_commit_main(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-codecommit-main",
        StackProps::default(),
    );
    let repo = Repository::new(
        &stack,
        "MyRepo",
        RepositoryProps {
            repository_name: "my-repo".into(),
            ..Default::default()
        },
    );
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            cross_account_keys: Some(true),
            stages: vec![
                StageProps::new(
                    "source",
                    vec![Box::new(CodeCommitSourceAction::new(
                        CodeCommitSourceActionProps::new(
                            "source",
                            &repo,
                            &Artifact::new("SourceArtifact"),
                        ),
                    ))],
                ),
                StageProps::new(
                    "build",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("manual"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-type-v2.ts`: a V2 pipeline in `PARALLEL` execution mode (S3 source, S3
/// deploy).
fn pipeline_type_v2(app: &App) {
    let stack = Stack::new(app, "aws-cdk-codepipeline-type-v2", StackProps::default());
    let source_bucket = auto_deleted_bucket(&stack, "PipelineBucket", true);
    let source_output = Artifact::new("SourceArtifact");
    let source_action = S3SourceAction::new(S3SourceActionProps::new(
        "Source",
        &source_bucket,
        "key",
        &source_output,
    ));
    let deploy_bucket = auto_deleted_bucket(&stack, "DeployBucket", false);
    let deploy = S3DeployAction::new(S3DeployActionProps {
        extract: Some(false),
        object_key: Some("test.txt".into()),
        ..S3DeployActionProps::new("DeployAction", &deploy_bucket, &source_output)
    });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            artifact_bucket: Some(std::rc::Rc::new(source_bucket)),
            pipeline_type: Some(PipelineType::V2),
            execution_mode: Some(ExecutionMode::Parallel),
            stages: vec![
                StageProps::new("Source", vec![Box::new(source_action)]),
                StageProps::new("Deploy", vec![Box::new(deploy)]),
            ],
            ..Default::default()
        },
    );
}

/// `integ.pipeline-code-commit-custom-event.ts`: a CodeCommit source whose pipeline is started
/// by a custom event rule (branch `test-branch`) targeting a Lambda function. The function's
/// code is the port's own (the comparer normalises asset hashes).
fn pipeline_code_commit_custom_event(app: &App) {
    let stack = Stack::new(
        app,
        "aws-cdk-codepipeline-codecommit-custom-event",
        StackProps::default(),
    );
    let repo = Repository::new(
        &stack,
        "MyRepo",
        RepositoryProps {
            repository_name: "my-repo".into(),
            ..Default::default()
        },
    );
    let event_pattern = EventPattern {
        detail_type: vec!["CodeCommit Repository State Change".into()],
        resources: vec![repo.repository_arn()],
        source: vec!["aws.codecommit".into()],
        detail: Some(cdk_core::Value::object([
            ("referenceType", cdk_core::Value::list(["branch"])),
            (
                "event",
                cdk_core::Value::list(["referenceCreated", "referenceUpdated"]),
            ),
            ("referenceName", cdk_core::Value::list(["test-branch"])),
        ])),
        ..Default::default()
    };
    let code = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/aws-codepipeline-actions/custom-event-lambda");
    let handler = Function::new(
        &stack,
        "MyFunc",
        FunctionProps {
            initial_policy: vec![PolicyStatement::new()
                .action("codepipeline:StartPipelineExecution")
                .resource(
                    Str::from("arn:aws:codepipeline:")
                        + stack.region()
                        + ":"
                        + stack.account()
                        + ":*",
                )],
            ..FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_asset(code))
        },
    );
    let source = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        custom_event_rule: Some(CustomEventRule {
            rule_name: Some("CustomEventRule".into()),
            description: Some("Custom event rule for CodeCommit".into()),
            ..CustomEventRule::new(event_pattern, LambdaFunction::new(&handler))
        }),
        ..CodeCommitSourceActionProps::new("source", &repo, &Artifact::new("SourceArtifact"))
    });
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            pipeline_name: Some("IntegCustomEventPipeline".into()),
            cross_account_keys: Some(true),
            stages: vec![
                StageProps::new("source", vec![Box::new(source)]),
                StageProps::new(
                    "build",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("manual"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
}

/// `integ.lambda-pipeline.ts`: an S3 source triggered by CloudTrail events (a trail logging
/// the object's writes) and a Lambda invoke action.
fn lambda_pipeline(app: &App) {
    use cdk_constructs::cloudtrail::{
        AddEventSelectorOptions, ReadWriteType, S3EventSelector, Trail, TrailProps,
    };
    use cdk_constructs::codepipeline_actions::{
        LambdaInvokeAction, LambdaInvokeActionProps, S3Trigger,
    };
    use std::rc::Rc;
    let stack = Stack::new(app, "aws-cdk-codepipeline-lambda", StackProps::default());
    let pipeline = Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            cross_account_keys: Some(true),
            ..Default::default()
        },
    );
    let source_stage = pipeline.add_stage(StageProps::new("Source", Vec::new()));
    let bucket = Rc::new(Bucket::new(
        &stack,
        "PipelineBucket",
        BucketProps {
            versioned: true,
            removal_policy: Some(RemovalPolicy::Destroy),
            ..Default::default()
        },
    ));
    let key = "key";
    let trail = Trail::new(&stack, "CloudTrail", TrailProps::default());
    trail.add_s3_event_selector(
        &[S3EventSelector {
            bucket: bucket.clone(),
            object_prefix: Some(key.into()),
        }],
        AddEventSelectorOptions {
            read_write_type: Some(ReadWriteType::WriteOnly),
            include_management_events: Some(false),
            ..Default::default()
        },
    );
    source_stage.add_action(Box::new(S3SourceAction::new(S3SourceActionProps {
        trigger: Some(S3Trigger::Events),
        ..S3SourceActionProps::new("Source", &*bucket, key, &Artifact::new("SourceArtifact"))
    })));
    let function = Function::new(
        &stack,
        "LambdaFun",
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline(
                "\n    exports.handler = function () {\n      console.log(\"Hello, world!\");\n    };\n  ",
            ),
        ),
    );
    let lambda_stage = pipeline.add_stage(StageProps::new("Lambda", Vec::new()));
    lambda_stage.add_action(Box::new(LambdaInvokeAction::new(
        LambdaInvokeActionProps::new(
            "Lambda",
            Rc::new(function) as Rc<dyn cdk_constructs::lambda::IFunction>,
        ),
    )));
}
