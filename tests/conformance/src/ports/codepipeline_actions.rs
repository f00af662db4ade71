//! Ports of `aws-codepipeline-actions/test/integ.*.ts`.

use cdk_constructs::codebuild::{BuildEnvironmentVariable, PipelineProject, PipelineProjectProps};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::codepipeline::{Artifact, Pipeline, PipelineProps, StageProps};
use cdk_constructs::codepipeline_actions::{
    CodeBuildAction, CodeBuildActionProps, CodeBuildActionType, CodeCommitSourceAction,
    CodeCommitSourceActionProps, CodeCommitTrigger,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The CodePipeline action ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-codepipeline-actions/integ.pipeline-code-commit-build",
        build: pipeline_code_commit_build,
    },
    Port {
        test: "aws-codepipeline-actions/integ.lambda-deployed-through-codepipeline.lit",
        build: lambda_deployed_through_codepipeline,
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
