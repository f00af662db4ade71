//! Ports of `pipelines/test/integ.*.ts` (CDK Pipelines). The stage stacks are compared from
//! their nested assemblies (`assembly-<stage>/<template>`), the pipeline's `.dot` graph file
//! with the one aws-cdk-lib writes.
//!
//! By design rcdk's pipeline runs `rcdk`, not the `cdk` CLI: the self-mutation project's build
//! spec (`rcdk -a . deploy …`, install commands) and, through it, the `_PROJECT_CONFIG_HASH` of
//! the `SelfMutate` action differ from the snapshots (D-list of `tests/conformance/README.md`).

use cdk_constructs::pipelines::{
    CodePipeline, CodePipelineProps, CodePipelineSource, ConnectionSourceOptions, ShellStep,
    ShellStepProps,
};
use cdk_constructs::sqs::{Queue, QueueProps};
use cdk_core::{App, Stack, StackProps, Stage, StageProps};

use crate::harness::Port;

/// The CDK Pipelines ports.
pub const PORTS: &[Port] = &[Port {
    test: "pipelines/integ.newpipeline-with-codestar-connection",
    build: integ_newpipeline_with_codestar_connection,
}];

/// `integ.newpipeline-with-codestar-connection.ts`: a pipeline with a CodeStar connection
/// source and one stage (`Beta`) holding a stack with a queue.
fn integ_newpipeline_with_codestar_connection(app: &App) {
    let stack = Stack::new(app, "PipelineStack", StackProps::default());
    let synth = ShellStep::new(
        "Synth",
        ShellStepProps {
            input: Some(CodePipelineSource::connection(
                "owner/group/repo",
                "master",
                ConnectionSourceOptions {
                    connection_arn: "arn:aws:codestar-connections:us-east-1:111111111111:connection/184ba85d-b626-48ef-960f-b377c9c01a76".into(),
                    action_name: None,
                    trigger_on_push: None,
                    code_build_clone_output: false,
                },
            )),
            commands: vec!["npm ci".into(), "npm run build".into(), "npx cdk synth".into()],
            // aws-cdk-lib's default primary output of a synth step.
            primary_output_directory: Some("cdk.out".into()),
            ..Default::default()
        },
    );
    let pipeline = CodePipeline::new(&stack, "Pipeline", CodePipelineProps::new(synth));
    let beta = Stage::new(&stack, "Beta", StageProps::default());
    let stack1 = Stack::new(&beta, "Stack1", StackProps::default());
    Queue::new(&stack1, "Queue", QueueProps::default());
    pipeline.add_stage(&beta, Default::default());
}
