//! Action variables: the namespaces aws-cdk-lib 2.276 renders (given, generated
//! `<stage>_<action>_NS` when a variable is used, absent otherwise), the `#{ns.Var}`
//! expressions of the typed accessors, and the errors; the pipeline's execution mode; the
//! actions that produce or pass variables (CommandsAction, PipelineInvokeAction), compared with
//! aws-cdk-lib 2.276's rendering of the same trees (`fixtures/aws-cdk-lib-2.276.0/*-action.js`).

use std::rc::Rc;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::codebuild::{BuildEnvironmentVariable, PipelineProject, PipelineProjectProps};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::*;
use cdk_constructs::codepipeline_actions::*;
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{App, Environment, IConstruct, Stack, StackProps};

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

fn connection_source(
    name: &str,
    output: &Artifact,
    namespace: Option<&str>,
) -> CodeStarConnectionsSourceAction {
    CodeStarConnectionsSourceAction::new(CodeStarConnectionsSourceActionProps {
        variables_namespace: namespace.map(str::to_string),
        ..CodeStarConnectionsSourceActionProps::new(
            name,
            "arn:aws:codestar-connections:us-east-1:111111111111:connection/abc",
            "owner",
            "repo",
            output,
        )
    })
}

fn build(
    stack: &Stack,
    id: &str,
    input: &Artifact,
    env: Vec<(&str, cdk_core::Str)>,
) -> CodeBuildAction {
    let project = PipelineProject::new(stack, id, PipelineProjectProps::default());
    CodeBuildAction::new(CodeBuildActionProps {
        environment_variables: env
            .into_iter()
            .map(|(k, v)| (k.to_string(), BuildEnvironmentVariable::plaintext(v)))
            .collect(),
        ..CodeBuildActionProps::new(id, &project, input)
    })
}

fn pipeline(stack: &Stack, stages: Vec<StageProps>) -> Pipeline {
    Pipeline::new(
        stack,
        "Pipeline",
        PipelineProps {
            pipeline_type: Some(PipelineType::V2),
            stages,
            ..Default::default()
        },
    )
}

#[test]
fn a_used_variable_generates_the_namespace_aws_cdk_lib_generates() {
    let app = App::new();
    let stack = stack(&app);
    let source_output = Artifact::unnamed();
    let source = connection_source("GitHub.Source", &source_output, None);
    let v = source.variables();
    let build = build(
        &stack,
        "Build",
        &source_output,
        vec![
            ("COMMIT", v.commit_id),
            ("BRANCH", v.branch_name),
            ("REPO", v.full_repository_name),
            ("EXECUTION", GlobalVariables::EXECUTION_ID.into()),
        ],
    );
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(source)]),
            StageProps::new("Build", vec![Box::new(build)]),
        ],
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": [
                {"Actions": [{"Name": "GitHub.Source", "Namespace": "Source_GitHub.Source_NS"}]},
                {"Actions": [Match::object_like(pattern!({
                    "Name": "Build",
                    "Namespace": Match::absent(),
                    "Configuration": {
                        "EnvironmentVariables": "[{\"name\":\"COMMIT\",\"type\":\"PLAINTEXT\",\"value\":\"#{Source_GitHub.Source_NS.CommitId}\"},{\"name\":\"BRANCH\",\"type\":\"PLAINTEXT\",\"value\":\"#{Source_GitHub.Source_NS.BranchName}\"},{\"name\":\"REPO\",\"type\":\"PLAINTEXT\",\"value\":\"#{Source_GitHub.Source_NS.FullRepositoryName}\"},{\"name\":\"EXECUTION\",\"type\":\"PLAINTEXT\",\"value\":\"#{codepipeline.PipelineExecutionId}\"}]",
                    },
                }))]},
            ],
        }),
    );
}

#[test]
fn a_given_namespace_is_rendered_even_unused_and_used_by_every_accessor() {
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
    let bucket = Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            versioned: true,
            ..Default::default()
        },
    );
    let code = Artifact::unnamed();
    let object = Artifact::unnamed();
    let commit = CodeCommitSourceAction::new(CodeCommitSourceActionProps {
        variables_namespace: Some("CommitVars".into()),
        trigger: CodeCommitTrigger::Poll,
        ..CodeCommitSourceActionProps::new("Commit", &repo, &code)
    });
    let s3 = S3SourceAction::new(S3SourceActionProps {
        variables_namespace: Some("S3Vars".into()),
        ..S3SourceActionProps::new("Object", &bucket, "key.zip", &object)
    });
    let cv = commit.variables();
    let sv = s3.variables();
    let first = build(
        &stack,
        "First",
        &code,
        vec![
            ("ID", cv.commit_id),
            ("MSG", cv.commit_message),
            ("AUTHOR", cv.author_date),
            ("COMMITTER", cv.committer_date),
            ("REPO", cv.repository_name),
            ("BRANCH", cv.branch_name),
            ("VERSION", sv.version_id),
            ("ETAG", sv.e_tag),
        ],
    );
    let exported = first.variable("MY_VAR");
    let second = CodeBuildAction::new(CodeBuildActionProps {
        run_order: Some(2),
        environment_variables: vec![(
            "FROM_FIRST".into(),
            BuildEnvironmentVariable::plaintext(exported),
        )],
        ..CodeBuildActionProps::new(
            "Second",
            PipelineProject::new(&stack, "SecondProject", PipelineProjectProps::default()),
            &object,
        )
    });
    let unused = ManualApprovalAction::new(ManualApprovalActionProps {
        variables_namespace: Some("ApprovalVars".into()),
        run_order: Some(3),
        ..ManualApprovalActionProps::new("Approve")
    });
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(commit), Box::new(s3)]),
            StageProps::new(
                "Build",
                vec![Box::new(first), Box::new(second), Box::new(unused)],
            ),
        ],
    );
    let expected_first = [
        ("ID", "#{CommitVars.CommitId}"),
        ("MSG", "#{CommitVars.CommitMessage}"),
        ("AUTHOR", "#{CommitVars.AuthorDate}"),
        ("COMMITTER", "#{CommitVars.CommitterDate}"),
        ("REPO", "#{CommitVars.RepositoryName}"),
        ("BRANCH", "#{CommitVars.BranchName}"),
        ("VERSION", "#{S3Vars.VersionId}"),
        ("ETAG", "#{S3Vars.ETag}"),
    ]
    .iter()
    .map(|(k, v)| format!("{{\"name\":\"{k}\",\"type\":\"PLAINTEXT\",\"value\":\"{v}\"}}"))
    .collect::<Vec<_>>()
    .join(",");
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": [
                {"Actions": [
                    {"Name": "Commit", "Namespace": "CommitVars"},
                    {"Name": "Object", "Namespace": "S3Vars"},
                ]},
                {"Actions": [
                    {"Name": "First", "Namespace": "Build_First_NS", "Configuration": {"EnvironmentVariables": (format!("[{expected_first}]"))}},
                    {"Name": "Second", "Namespace": Match::absent(), "Configuration": {"EnvironmentVariables": "[{\"name\":\"FROM_FIRST\",\"type\":\"PLAINTEXT\",\"value\":\"#{Build_First_NS.MY_VAR}\"}]"}},
                    {"Name": "Approve", "Namespace": "ApprovalVars"},
                ]},
            ],
        }),
    );
}

#[test]
fn lambda_and_cloudformation_variables_use_the_action_namespace() {
    let app = App::new();
    let stack = stack(&app);
    let source_output = Artifact::new("Source");
    let source = connection_source("Source", &source_output, None);
    let deploy =
        CloudFormationCreateUpdateStackAction::new(CloudFormationCreateUpdateStackActionProps {
            variables_namespace: Some("DeployOutputs".into()),
            ..CloudFormationCreateUpdateStackActionProps::new(
                "Deploy",
                source_output.at_path("template.yaml"),
                "AppStack",
                true,
            )
        });
    let url = deploy.variable("ApiUrl");
    let execute =
        CloudFormationExecuteChangeSetAction::new(CloudFormationExecuteChangeSetActionProps {
            run_order: Some(2),
            ..CloudFormationExecuteChangeSetActionProps::new("Execute", "OtherStack", "ChangeSet")
        });
    let other = execute.variable("Name");
    let check = build(
        &stack,
        "Check",
        &source_output,
        vec![("URL", url), ("NAME", other)],
    );
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(source)]),
            StageProps::new("Deploy", vec![Box::new(deploy), Box::new(execute)]),
            StageProps::new("Test", vec![Box::new(check)]),
        ],
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": [
                {"Actions": [{"Name": "Source", "Namespace": Match::absent()}]},
                {"Actions": [
                    {"Name": "Deploy", "Namespace": "DeployOutputs"},
                    {"Name": "Execute", "Namespace": "Deploy_Execute_NS"},
                ]},
                {"Actions": [{"Configuration": {"EnvironmentVariables": "[{\"name\":\"URL\",\"type\":\"PLAINTEXT\",\"value\":\"#{DeployOutputs.ApiUrl}\"},{\"name\":\"NAME\",\"type\":\"PLAINTEXT\",\"value\":\"#{Deploy_Execute_NS.Name}\"}]"}}]},
            ],
        }),
    );
}

#[test]
fn a_variable_of_an_action_outside_any_pipeline_is_a_synth_error() {
    let app = App::new();
    let stack = stack(&app);
    let source_output = Artifact::new("Source");
    let source = connection_source("Source", &source_output, None);
    let stray = connection_source("Stray", &Artifact::new("Other"), None);
    let check = build(
        &stack,
        "Check",
        &source_output,
        vec![("COMMIT", stray.variables().commit_id)],
    );
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(source)]),
            StageProps::new("Build", vec![Box::new(check)]),
        ],
    );
    let Err(err) = Template::try_from_stack(&stack) else {
        panic!("synthesis must fail");
    };
    let err = err.message();
    assert!(
        err.contains("Cannot reference variables of action 'Stray', as that action was never added to a pipeline"),
        "{err}"
    );
}

#[test]
fn an_invalid_namespace_is_an_error_on_the_pipeline() {
    let app = App::new();
    let stack = stack(&app);
    let source_output = Artifact::new("Source");
    let source = connection_source("Source", &source_output, Some("bad.namespace"));
    let check = build(&stack, "Check", &source_output, Vec::new());
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(source)]),
            StageProps::new("Build", vec![Box::new(check)]),
        ],
    );
    Annotations::from_stack(&stack).has_error(
        "/PipelineStack/Pipeline",
        "Namespace name must match regular expression: /^[A-Za-z0-9@_-]{1,100}$/, got 'bad.namespace'",
    );
}

#[test]
fn a_trigger_names_its_source_action_and_the_action_keeps_its_variables() {
    let app = App::new();
    let stack = stack(&app);
    let output = Artifact::unnamed();
    let source = connection_source("Source", &output, None);
    let check = build(
        &stack,
        "Check",
        &output,
        vec![("COMMIT", source.variables().commit_id)],
    );
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            pipeline_type: Some(PipelineType::V2),
            stages: vec![
                StageProps::new("Source", vec![Box::new(source.clone())]),
                StageProps::new("Build", vec![Box::new(check)]),
            ],
            triggers: vec![TriggerProps {
                provider_type: ProviderType::CodeStarSourceConnection,
                git_configuration: Some(GitConfiguration {
                    source_action: Rc::new(source),
                    push_filter: vec![GitPushFilter {
                        branches_includes: vec!["main".into()],
                        file_paths_includes: vec!["src/**".into()],
                        ..Default::default()
                    }],
                    pull_request_filter: Vec::new(),
                }),
            }],
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": Match::array_with([Match::object_like(pattern!({"Actions": [{"Name": "Source", "Namespace": "Source_Source_NS"}]}))]),
            "Triggers": [{
                "ProviderType": "CodeStarSourceConnection",
                "GitConfiguration": Match::object_equals(pattern!({
                    "SourceActionName": "Source",
                    "Push": [Match::object_equals(pattern!({
                        "Branches": Match::object_equals(pattern!({"Includes": ["main"]})),
                        "FilePaths": Match::object_equals(pattern!({"Includes": ["src/**"]})),
                    }))],
                })),
            }],
        }),
    );
}

#[test]
fn execution_mode_renders_and_queued_or_parallel_need_v2() {
    let app = App::new();
    let stack = stack(&app);
    let output = Artifact::new("Source");
    let stages = |name: &str| {
        vec![
            StageProps::new(
                "Source",
                vec![Box::new(connection_source(name, &output, None))],
            ),
            StageProps::new(
                "Approve",
                vec![Box::new(ManualApprovalAction::new(
                    ManualApprovalActionProps::new("Ok"),
                ))],
            ),
        ]
    };
    Pipeline::new(
        &stack,
        "Parallel",
        PipelineProps {
            pipeline_type: Some(PipelineType::V2),
            execution_mode: Some(ExecutionMode::Parallel),
            stages: stages("A"),
            ..Default::default()
        },
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({"PipelineType": "V2", "ExecutionMode": "PARALLEL"}),
    );
    for (id, mode) in [
        ("Queued", ExecutionMode::Queued),
        ("Superseded", ExecutionMode::Superseded),
    ] {
        Pipeline::new(
            &stack,
            id,
            PipelineProps {
                pipeline_type: Some(PipelineType::V1),
                execution_mode: Some(mode),
                stages: stages(id),
                ..Default::default()
            },
        );
    }
    let a = Annotations::from_stack(&stack);
    a.has_error("/PipelineStack/Queued", "QUEUED execution mode can only be used with V2 pipelines, `PipelineType.V2` must be specified for `pipelineType`");
    a.has_no_error("/PipelineStack/Superseded", Match::any_value());
}

/// The CommandsAction tree of `fixtures/aws-cdk-lib-2.276.0/commands-action.js`.
fn commands_pipeline(stack: &Stack, read: &str) -> CommandsAction {
    let bucket = Bucket::new(
        stack,
        "Source",
        BucketProps {
            versioned: true,
            ..Default::default()
        },
    );
    let src = Artifact::new("Src");
    let out = Artifact::with_files("Out", &["my-dir/**/*"]);
    let commands = CommandsAction::new(CommandsActionProps {
        output: Some(out.clone()),
        output_variables: Some(vec!["MY_OUTPUT".into(), "AWS_DEFAULT_REGION".into()]),
        ..CommandsActionProps::new("Commands", &["echo hi", "export MY_OUTPUT=my-key"], &src)
    });
    let deploy_bucket = Bucket::new(stack, "Deploy", BucketProps::default());
    let deploy = S3DeployAction::new(S3DeployActionProps {
        object_key: Some(commands.variable(read)),
        ..S3DeployActionProps::new("Deploy", &deploy_bucket, &out)
    });
    Pipeline::new(
        stack,
        "Pipeline",
        PipelineProps {
            pipeline_name: Some("Cmds".into()),
            stages: vec![
                StageProps::new(
                    "Source",
                    vec![Box::new(S3SourceAction::new(S3SourceActionProps::new(
                        "Source", &bucket, "key.zip", &src,
                    )))],
                ),
                StageProps::new("Compute", vec![Box::new(commands.clone())]),
                StageProps::new("Deploy", vec![Box::new(deploy)]),
            ],
            ..Default::default()
        },
    );
    commands
}

#[test]
fn a_commands_action_renders_as_aws_cdk_lib_2_276() {
    let expected: serde_json::Value = serde_json::from_str(include_str!(
        "fixtures/aws-cdk-lib-2.276.0/commands-action.json"
    ))
    .unwrap();
    let app = App::new();
    app.node()
        .set_context("@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2", true);
    let stack = stack(&app);
    commands_pipeline(&stack, "MY_OUTPUT");
    let t = Template::from_stack(&stack);
    let resources = &t.to_json()["Resources"];
    let stages = &resources["PipelineC660917D"]["Properties"]["Stages"];
    assert_eq!(stages[1], expected["compute"]);
    assert_eq!(
        stages[2]["Actions"][0]["Configuration"],
        expected["deploy_cfg"]
    );
    assert_eq!(
        resources["PipelineComputeCommandsCodePipelineActionRoleDefaultPolicy03403992"]
            ["Properties"]["PolicyDocument"],
        expected["policy"]
    );
}

#[test]
fn commands_action_errors_are_aws_cdk_libs() {
    let app = App::new();
    let stack = stack(&app);
    commands_pipeline(&stack, "NOPE");
    let Err(err) = Template::try_from_stack(&stack) else {
        panic!("synthesis must fail");
    };
    let err = err.message();
    assert!(
        err.contains("Variable 'NOPE' is not exported by `outputVariables`, exported variables: MY_OUTPUT, AWS_DEFAULT_REGION"),
        "{err}"
    );
}

#[test]
fn commands_action_length_errors_are_aws_cdk_libs() {
    let app = App::new();
    let stack = stack(&app);
    let src = Artifact::new("Src");
    let bucket = Bucket::new(
        &stack,
        "B",
        BucketProps {
            versioned: true,
            ..Default::default()
        },
    );
    pipeline(
        &stack,
        vec![
            StageProps::new(
                "Source",
                vec![Box::new(S3SourceAction::new(S3SourceActionProps::new(
                    "Source", &bucket, "k", &src,
                )))],
            ),
            StageProps::new(
                "Compute",
                vec![Box::new(CommandsAction::new(CommandsActionProps {
                    output_variables: Some(Vec::new()),
                    ..CommandsActionProps::new("Nothing", &[], &src)
                }))],
            ),
        ],
    );
    let a = Annotations::from_stack(&stack);
    let path = "/PipelineStack/Pipeline/Compute/Nothing";
    a.has_error(
        path,
        "The length of the commands array must be between 1 and 50, got: 0",
    );
    a.has_error(
        path,
        "The length of the outputVariables array must be between 1 and 15, got: 0",
    );
}

#[test]
fn a_pipeline_invoke_action_renders_as_aws_cdk_lib_2_276() {
    let expected: serde_json::Value = serde_json::from_str(include_str!(
        "fixtures/aws-cdk-lib-2.276.0/invoke-action.json"
    ))
    .unwrap();
    let app = App::new();
    app.node()
        .set_context("@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2", true);
    let stack = stack(&app);
    let bucket = Bucket::new(
        &stack,
        "Source",
        BucketProps {
            versioned: true,
            ..Default::default()
        },
    );
    let target = Pipeline::new(
        &stack,
        "Target",
        PipelineProps {
            pipeline_name: Some("target".into()),
            stages: vec![
                StageProps::new(
                    "Source",
                    vec![Box::new(S3SourceAction::new(S3SourceActionProps::new(
                        "Source",
                        &bucket,
                        "a.zip",
                        &Artifact::new("A"),
                    )))],
                ),
                StageProps::new(
                    "Ok",
                    vec![Box::new(ManualApprovalAction::new(
                        ManualApprovalActionProps::new("Ok"),
                    ))],
                ),
            ],
            ..Default::default()
        },
    );
    let imported = Pipeline::from_pipeline_arn(
        &stack,
        "Imported",
        "arn:aws:codepipeline:us-east-1:111111111111:other",
    );
    let src = Artifact::new("Src");
    Pipeline::new(
        &stack,
        "Pipeline",
        PipelineProps {
            stages: vec![
                StageProps::new(
                    "Source",
                    vec![Box::new(S3SourceAction::new(S3SourceActionProps::new(
                        "Source", &bucket, "key.zip", &src,
                    )))],
                ),
                StageProps::new(
                    "Invoke",
                    vec![
                        Box::new(PipelineInvokeAction::new(PipelineInvokeActionProps {
                            variables: Some(vec![InvokeVariable {
                                name: "name1".into(),
                                value: "value1".into(),
                            }]),
                            source_revisions: Some(vec![SourceRevision {
                                action_name: "Source".into(),
                                revision_type: RevisionType::S3ObjectVersionId,
                                revision_value: "v1".into(),
                            }]),
                            ..PipelineInvokeActionProps::new("Invoke", &target)
                        })),
                        Box::new(PipelineInvokeAction::new(PipelineInvokeActionProps::new(
                            "InvokeImported",
                            &imported,
                        ))),
                    ],
                ),
            ],
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    let resources = &t.to_json()["Resources"];
    assert_eq!(
        resources["PipelineC660917D"]["Properties"]["Stages"][1],
        expected["invoke"]
    );
    for (id, policy) in expected["policies"].as_object().unwrap() {
        assert_eq!(
            &resources[id]["Properties"]["PolicyDocument"], policy,
            "{id}"
        );
    }
}

#[test]
fn variables_flow_into_lambda_user_parameters_and_approval_data() {
    use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
    use cdk_core::Value;
    let app = App::new();
    let stack = stack(&app);
    let output = Artifact::new("Src");
    let source = connection_source("Source", &output, None);
    let v = source.variables();
    let handler = Function::new(
        &stack,
        "Fn",
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("exports.handler = async () => {}"),
        ),
    );
    let as_text = LambdaInvokeAction::new(LambdaInvokeActionProps {
        user_parameters: Some(UserParameters::String(v.branch_name.clone())),
        ..LambdaInvokeActionProps::new("Text", &handler)
    });
    let as_json = LambdaInvokeAction::new(LambdaInvokeActionProps {
        user_parameters: Some(UserParameters::Json(Value::object([(
            "commit",
            v.commit_id.clone().into_value(),
        )]))),
        ..LambdaInvokeActionProps::new("Json", &handler)
    });
    let approve = ManualApprovalAction::new(ManualApprovalActionProps {
        additional_information: Some(cdk_core::Str::from("Commit ") + v.commit_message),
        run_order: Some(2),
        ..ManualApprovalActionProps::new("Approve")
    });
    pipeline(
        &stack,
        vec![
            StageProps::new("Source", vec![Box::new(source)]),
            StageProps::new(
                "Check",
                vec![Box::new(as_text), Box::new(as_json), Box::new(approve)],
            ),
        ],
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": [
                {"Actions": [{"Namespace": "Source_Source_NS"}]},
                {"Actions": [
                    {"Configuration": {"UserParameters": "#{Source_Source_NS.BranchName}"}},
                    {"Configuration": {"UserParameters": "{\"commit\":\"#{Source_Source_NS.CommitId}\"}"}},
                    {"Configuration": {"CustomData": "Commit #{Source_Source_NS.CommitMessage}"}},
                ]},
            ],
        }),
    );
}
