//! Ports of `pipelines/test/integ.*.ts` (CDK Pipelines). The stage stacks are compared from
//! their nested assemblies (`assembly-<stage>/<template>`), the pipeline's `.dot` graph file
//! with the one aws-cdk-lib writes.
//!
//! By design rcdk's pipeline runs `rcdk`, not the `cdk` CLI: the self-mutation project's build
//! spec (`rcdk -a . deploy …`, install commands) and, through it, the `_PROJECT_CONFIG_HASH` of
//! the `SelfMutate` action differ from the snapshots (D-list of `tests/conformance/README.md`).

use std::rc::Rc;

use cdk_constructs::pipelines::{
    CodePipeline, CodePipelineProps, CodePipelineSource, ConnectionSourceOptions, ShellStep,
    ShellStepProps, WaveOpts,
};
use cdk_constructs::sqs::{DeadLetterQueue, Queue, QueueProps};
use cdk_core::{App, Stack, StackProps, Stage, StageProps};

use crate::harness::Port;

/// The CDK Pipelines ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "pipelines/integ.newpipeline-with-codestar-connection",
        build: integ_newpipeline_with_codestar_connection,
    },
    Port {
        test: "pipelines/integ.newpipeline",
        build: integ_newpipeline,
    },
    Port {
        test: "pipelines/integ.newpipeline-with-cross-account-keys",
        build: integ_newpipeline_with_cross_account_keys,
    },
];

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

/// The stage of `integ.newpipeline.ts`: `Stack1` with a queue, `Stack2` with a queue using it
/// as dead-letter queue (a reference between the stage's stacks).
fn app_stage(scope: &Stack, id: &str) -> Stage {
    let stage = Stage::new(scope, id, StageProps::default());
    let stack1 = Stack::new(&stage, "Stack1", StackProps::default());
    let queue1 = Queue::new(&stack1, "Queue", QueueProps::default());
    let stack2 = Stack::new(&stage, "Stack2", StackProps::default());
    Queue::new(
        &stack2,
        "OtherQueue",
        QueueProps {
            dead_letter_queue: Some(DeadLetterQueue {
                queue: Rc::new(queue1),
                max_receive_count: 5,
            }),
            ..Default::default()
        },
    );
    stage
}

/// `integ.newpipeline.ts`: a GitHub source, a stage and two waves of stages (seven stages of
/// two stacks each).
fn integ_newpipeline(app: &App) {
    newpipeline(app, "rix0rrr/cdk-pipelines-demo", false);
}

/// `integ.newpipeline-with-cross-account-keys.ts`: the same layout with an encrypted artifact
/// bucket (cross-account keys, rotated).
fn integ_newpipeline_with_cross_account_keys(app: &App) {
    newpipeline(app, "tkglaser/cdk-pipelines-demo", true);
}

fn newpipeline(app: &App, repo: &str, keys: bool) {
    let stack = Stack::new(app, "PipelineStack", StackProps::default());
    let synth = ShellStep::new(
        "Synth",
        ShellStepProps {
            input: Some(CodePipelineSource::git_hub(
                repo,
                "main",
                Default::default(),
            )),
            commands: vec![
                "npm ci".into(),
                "npm run build".into(),
                "npx cdk synth".into(),
            ],
            primary_output_directory: Some("cdk.out".into()),
            ..Default::default()
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            cross_account_keys: keys.then_some(true),
            enable_key_rotation: keys.then_some(true),
            ..CodePipelineProps::new(synth)
        },
    );
    pipeline.add_stage(&app_stage(&stack, "Beta"), Default::default());
    let group = pipeline.add_wave("Wave1", WaveOpts::default());
    group.add_stage(&app_stage(&stack, "Prod1"), Default::default());
    group.add_stage(&app_stage(&stack, "Prod2"), Default::default());
    let group2 = pipeline.add_wave("Wave2", WaveOpts::default());
    for id in ["Prod3", "Prod4", "Prod5", "Prod6"] {
        group2.add_stage(&app_stage(&stack, id), Default::default());
    }
}
