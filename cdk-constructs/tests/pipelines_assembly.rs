//! What `pipelines::CodePipeline` derives from a stage's stacks and writes into the cloud
//! assembly, as aws-cdk-lib 2.276 does: run orders from the dependencies that references
//! between a stage's stacks imply, the `<pipeline>.dot` graph file, template configurations
//! carrying stack tags to the change sets, and the GitHub (OAuth token) source.
//! The expected values are those of aws-cdk-lib 2.276.0 builds of the same trees.

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::codepipeline_actions::GitHubTrigger;
use cdk_constructs::pipelines::{
    CodePipeline, CodePipelineProps, CodePipelineSource, GitHubSourceOptions, ShellStep,
    ShellStepProps, Step,
};
use cdk_constructs::secretsmanager::SecretValue;
use cdk_constructs::sqs::{DeadLetterQueue, Queue, QueueProps};
use cdk_core::{App, AppProps, Stack, StackProps, Stage, StageProps};
use serde_json::Value as J;

fn synth_step(source: Step) -> Step {
    ShellStep::new(
        "Synth",
        ShellStepProps {
            input: Some(source),
            commands: vec!["rcdk synth".into()],
            primary_output_directory: Some("cdk.out".into()),
            ..Default::default()
        },
    )
}

fn github() -> Step {
    CodePipelineSource::git_hub("owner/repo", "main", GitHubSourceOptions::default())
}

/// A stage whose `Stack2` references `Stack1` (a dead-letter queue) without a declared
/// dependency; `Stack1` has stack tags.
fn stage(scope: &Stack, id: &str) -> Stage {
    let stage = Stage::new(scope, id, StageProps::default());
    let stack1 = Stack::new(
        &stage,
        "Stack1",
        StackProps {
            tags: BTreeMap::from([
                ("team".to_string(), "platform".to_string()),
                ("cost-center".to_string(), "42".to_string()),
            ]),
            ..Default::default()
        },
    );
    let queue = Queue::new(&stack1, "Queue", QueueProps::default());
    let stack2 = Stack::new(&stage, "Stack2", StackProps::default());
    Queue::new(
        &stack2,
        "OtherQueue",
        QueueProps {
            dead_letter_queue: Some(DeadLetterQueue {
                queue: Rc::new(queue),
                max_receive_count: 5,
            }),
            ..Default::default()
        },
    );
    stage
}

fn pipeline_resource(t: &Template) -> J {
    let found = t.find_resources("AWS::CodePipeline::Pipeline", Match::any_value());
    found.values().next().expect("a pipeline").clone()
}

fn actions_of(pipeline: &J, stage: &str) -> Vec<J> {
    pipeline["Properties"]["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Name"] == stage)
        .unwrap_or_else(|| panic!("stage {stage}"))["Actions"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn references_between_a_stages_stacks_order_their_actions() {
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    let beta_stage = stage(&stack, "Beta");
    pipeline.add_stage(&beta_stage, Default::default());
    let t = Template::from_stack(&stack);
    let beta: Vec<(String, u64)> = actions_of(&pipeline_resource(&t), "Beta")
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().into(),
                a["RunOrder"].as_u64().unwrap(),
            )
        })
        .collect();
    // aws-cdk-lib 2.276: Stack2 deploys after Stack1 because it imports Stack1's queue ARN.
    assert_eq!(
        beta,
        [
            ("Stack1.Prepare".to_string(), 1),
            ("Stack1.Deploy".to_string(), 2),
            ("Stack2.Prepare".to_string(), 3),
            ("Stack2.Deploy".to_string(), 4)
        ]
    );
    // The stacks API behind it.
    let stacks = beta_stage.stacks();
    assert_eq!(stacks[1].referenced_stacks(), vec![stacks[0].clone()]);
    assert!(stacks[0].referenced_stacks().is_empty());
    assert!(stacks[1].declared_dependencies().is_empty());
}

#[test]
fn the_graph_and_template_configurations_are_written_into_the_assembly() {
    let out = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(out.path().to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    pipeline.add_stage(&stage(&stack, "Beta"), Default::default());
    app.synth().expect("synthesizes");

    // `<unique ID of the pipeline construct>.dot`, aws-cdk-lib's renderDot text.
    let dot = std::fs::read_to_string(out.path().join("PipelineStackPipeline9DB740AF.dot"))
        .expect("the dot file");
    assert!(dot.starts_with("digraph G {\n"), "{dot}");
    assert!(dot.contains(
        "  # To render: `dot -Tsvg PipelineStackPipeline9DB740AF.dot > graph.svg`, open in a browser.\n"
    ));
    for line in [
        "\"Source.owner/repo\" -> \"Build.Synth\";",
        "\"Beta.Stack1.Prepare\" -> \"Beta.Stack1.Deploy\";",
        // The implied dependency: Stack2's group waits for Stack1's.
        "\"END Beta.Stack1\" -> \"BEGIN Beta.Stack2\";",
        "\"BEGIN Beta\" -> \"BEGIN Beta.Stack1\";",
        "\"END Beta.Stack2\" -> \"END Beta\";",
    ] {
        assert!(dot.lines().any(|l| l == line), "{line} not in\n{dot}");
    }
    assert!(dot.ends_with("\n}"));

    // Stack tags: a template configuration next to the template, the Prepare action's
    // TemplateConfiguration (aws-cdk-lib's writeTemplateConfiguration, JSON with 2 spaces).
    let config =
        "assembly-PipelineStack-Beta/PipelineStackBetaStack1E6541489.template.json.config.json";
    assert_eq!(
        std::fs::read_to_string(out.path().join(config)).expect("the configuration"),
        "{\n  \"Tags\": {\n    \"cost-center\": \"42\",\n    \"team\": \"platform\"\n  }\n}"
    );
    assert!(
        !out.path()
            .join("assembly-PipelineStack-Beta/PipelineStackBetaStack2C79AD00A.template.json.config.json")
            .exists(),
        "a stack without tags gets no configuration"
    );
    let t = Template::from_stack(&stack);
    let beta = actions_of(&pipeline_resource(&t), "Beta");
    assert_eq!(
        beta[0]["Configuration"]["TemplateConfiguration"],
        format!("Synth_Output::{config}")
    );
    assert_eq!(beta[2]["Configuration"].get("TemplateConfiguration"), None);
    // The files are known before anything is written (in-memory synthesis).
    assert!(cdk_core::synth::assembly_file(&stack, config).is_some());
}

#[test]
fn a_github_source_reads_the_token_from_secrets_manager_and_registers_a_webhook() {
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    pipeline.add_stage(&stage(&stack, "Beta"), Default::default());
    let t = Template::from_stack(&stack);
    let source = &actions_of(&pipeline_resource(&t), "Source")[0];
    // As aws-cdk-lib 2.276.0 renders `CodePipelineSource.gitHub('owner/repo', 'main')`.
    assert_eq!(
        source,
        &serde_json::json!({
            "ActionTypeId": {"Category": "Source", "Owner": "ThirdParty", "Provider": "GitHub", "Version": "1"},
            "Configuration": {
                "Owner": "owner", "Repo": "repo", "Branch": "main",
                "OAuthToken": "{{resolve:secretsmanager:github-token:SecretString:::}}",
                "PollForSourceChanges": false
            },
            "Name": "owner_repo",
            "OutputArtifacts": [{"Name": "owner_repo_Source"}],
            "RunOrder": 1
        })
    );
    t.has_resource_properties(
        "AWS::CodePipeline::Webhook",
        pattern!({
            "Authentication": "GITHUB_HMAC",
            "AuthenticationConfiguration": {"SecretToken": "{{resolve:secretsmanager:github-token:SecretString:::}}"},
            "Filters": [{"JsonPath": "$.ref", "MatchEquals": "refs/heads/{Branch}"}],
            "RegisterWithThirdParty": true,
            "TargetAction": "owner_repo",
            "TargetPipeline": {"Ref": Match::any_value()},
            "TargetPipelineVersion": 1
        }),
    );
    // Only AWS-owned actions get a role.
    assert!(source.get("RoleArn").is_none());
}

#[test]
fn a_polled_github_source_with_its_own_token_has_no_webhook() {
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let source = CodePipelineSource::git_hub(
        "owner/repo",
        "main",
        GitHubSourceOptions {
            authentication: Some(
                SecretValue::secrets_manager("my-token", Default::default()).unwrap(),
            ),
            trigger: GitHubTrigger::Poll,
            action_name: Some("Checkout".into()),
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(source)),
    );
    pipeline.add_stage(&stage(&stack, "Beta"), Default::default());
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::CodePipeline::Webhook", 0);
    let source = &actions_of(&pipeline_resource(&t), "Source")[0];
    assert_eq!(source["Name"], "Checkout");
    assert_eq!(source["Configuration"]["PollForSourceChanges"], true);
    assert_eq!(
        source["Configuration"]["OAuthToken"],
        "{{resolve:secretsmanager:my-token:SecretString:::}}"
    );
}

#[test]
fn a_repository_string_that_is_not_owner_slash_repo_is_refused() {
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let source = CodePipelineSource::git_hub("just-a-name", "main", Default::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(source)),
    );
    pipeline.add_stage(&stage(&stack, "Beta"), Default::default());
    let Err(err) = app.synth_in_memory() else {
        panic!("refused")
    };
    let err = err.to_string();
    assert!(
        err.contains("PipelineStack/Pipeline")
            && err.contains(
                "GitHub repository name should be a resolved string like '<owner>/<repo>', got 'just-a-name'"
            ),
        "{err}"
    );
}

#[test]
fn a_step_reads_stack_outputs_through_the_deploy_actions_variables_namespace() {
    let out_dir = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(out_dir.path().to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    let beta = Stage::new(&stack, "Beta", StageProps::default());
    let api = Stack::new(&beta, "Api", StackProps::default());
    let queue = Queue::new(&api, "Queue", QueueProps::default());
    let output = cdk_core::CfnOutput::new(
        &api,
        "QueueUrl",
        cdk_core::CfnOutputProps {
            value: queue.queue_url(),
            ..Default::default()
        },
    );
    let smoke = ShellStep::new(
        "Smoke",
        ShellStepProps {
            commands: vec!["curl $QUEUE_URL".into()],
            env_from_cfn_outputs: vec![("QUEUE_URL".into(), output)],
            ..Default::default()
        },
    );
    pipeline.add_stage(
        &beta,
        cdk_constructs::pipelines::AddStageOpts {
            post: vec![smoke],
            ..Default::default()
        },
    );
    app.synth().expect("synthesizes");
    let t = Template::from_stack(&stack);
    let actions = actions_of(&pipeline_resource(&t), "Beta");
    // As aws-cdk-lib 2.276.0 builds the same tree: the Deploy action exports the stack's
    // outputs under its artifact ID, the post step runs after it and passes the variable.
    let summary: Vec<(String, u64, J)> = actions
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().to_string(),
                a["RunOrder"].as_u64().unwrap(),
                a.get("Namespace").cloned().unwrap_or(J::Null),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Api.Prepare".to_string(), 1, J::Null),
            (
                "Api.Deploy".to_string(),
                2,
                J::from("PipelineStackBetaApi1AA92889")
            ),
            ("Smoke".to_string(), 3, J::Null),
        ]
    );
    assert_eq!(
        actions[2]["Configuration"]["EnvironmentVariables"],
        "[{\"name\":\"QUEUE_URL\",\"type\":\"PLAINTEXT\",\"value\":\"#{PipelineStackBetaApi1AA92889.QueueUrl}\"}]"
    );
    assert_eq!(actions[2]["InputArtifacts"][0]["Name"], "owner_repo_Source");
    let dot =
        std::fs::read_to_string(out_dir.path().join("PipelineStackPipeline9DB740AF.dot")).unwrap();
    for line in [
        "\"Beta.Api.Deploy\" -> \"Beta.Smoke\";",
        "\"END Beta.Api\" -> \"Beta.Smoke\";",
        "\"Beta.Smoke\" -> \"END Beta\";",
    ] {
        assert!(dot.lines().any(|l| l == line), "{line} not in\n{dot}");
    }
}

#[test]
fn an_output_of_a_stack_outside_the_pipeline_is_refused() {
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let other = Stack::new(&app, "Other", StackProps::default());
    let queue = Queue::new(&other, "Queue", QueueProps::default());
    let output = cdk_core::CfnOutput::new(
        &other,
        "QueueUrl",
        cdk_core::CfnOutputProps {
            value: queue.queue_url(),
            ..Default::default()
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    let smoke = ShellStep::new(
        "Smoke",
        ShellStepProps {
            commands: vec!["curl $QUEUE_URL".into()],
            env_from_cfn_outputs: vec![("QUEUE_URL".into(), output)],
            ..Default::default()
        },
    );
    pipeline.add_stage(
        &stage(&stack, "Beta"),
        cdk_constructs::pipelines::AddStageOpts {
            post: vec![smoke],
            ..Default::default()
        },
    );
    let Err(err) = app.synth_in_memory() else {
        panic!("refused")
    };
    let err = err.to_string();
    assert!(
        err.contains("Stack 'Other' (producing output 'QueueUrl') is not in the pipeline"),
        "{err}"
    );
}

#[test]
fn code_build_defaults_merge_into_the_projects_as_aws_cdk_lib_merges_them() {
    use cdk_constructs::codebuild::{
        BuildEnvironment, BuildEnvironmentVariable, ComputeType, LinuxBuildImage,
    };
    use cdk_constructs::iam::PolicyStatement;
    use cdk_constructs::pipelines::CodeBuildOptions;
    let env =
        |image: Option<LinuxBuildImage>, compute: Option<ComputeType>, vars: &[(&str, &str)]| {
            Some(BuildEnvironment {
                build_image: image,
                compute_type: compute,
                privileged: false,
                environment_variables: vars
                    .iter()
                    .map(|(k, v)| (k.to_string(), BuildEnvironmentVariable::plaintext(*v)))
                    .collect(),
            })
        };
    let app = App::new();
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let synth = ShellStep::new(
        "Synth",
        ShellStepProps {
            input: Some(github()),
            commands: vec!["rcdk synth".into()],
            env: vec![("SYNTH_ONLY".into(), "yes".into())],
            primary_output_directory: Some("cdk.out".into()),
            ..Default::default()
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            code_build_defaults: Some(CodeBuildOptions {
                build_environment: env(None, Some(ComputeType::Medium), &[("SHARED", "1")]),
                role_policy: vec![PolicyStatement::new()
                    .action("ssm:GetParameter")
                    .resource("*")],
                cache: None,
            }),
            synth_code_build_defaults: Some(CodeBuildOptions {
                build_environment: env(
                    Some(LinuxBuildImage::STANDARD_6_0),
                    None,
                    &[("SHARED", "2")],
                ),
                ..Default::default()
            }),
            self_mutation_code_build_defaults: Some(CodeBuildOptions {
                build_environment: env(None, Some(ComputeType::Large), &[]),
                ..Default::default()
            }),
            ..CodePipelineProps::new(synth)
        },
    );
    let beta = Stage::new(&stack, "Beta", StageProps::default());
    Queue::new(
        &Stack::new(&beta, "Api", StackProps::default()),
        "Queue",
        QueueProps::default(),
    );
    pipeline.add_stage(&beta, Default::default());
    let t = Template::from_stack(&stack);
    // aws-cdk-lib 2.276.0's rendering of the same props.
    let synth_env: J = serde_json::from_str(r#"{"ComputeType": "BUILD_GENERAL1_MEDIUM", "EnvironmentVariables": [{"Name": "SHARED", "Type": "PLAINTEXT", "Value": "2"}, {"Name": "SYNTH_ONLY", "Type": "PLAINTEXT", "Value": "yes"}], "Image": "aws/codebuild/standard:6.0", "ImagePullCredentialsType": "CODEBUILD", "PrivilegedMode": false, "Type": "LINUX_CONTAINER"}"#).unwrap();
    let self_env: J = serde_json::from_str(r#"{"ComputeType": "BUILD_GENERAL1_LARGE", "EnvironmentVariables": [{"Name": "SHARED", "Type": "PLAINTEXT", "Value": "1"}], "Image": "aws/codebuild/standard:7.0", "ImagePullCredentialsType": "CODEBUILD", "PrivilegedMode": false, "Type": "LINUX_CONTAINER"}"#).unwrap();
    let projects = t.find_resources("AWS::CodeBuild::Project", Match::any_value());
    let env_of = |suffix: &str| {
        projects
            .iter()
            .find(|(id, _)| id.starts_with(suffix))
            .map(|(_, p)| p["Properties"]["Environment"].clone())
            .unwrap_or_else(|| panic!("project {suffix}"))
    };
    assert_eq!(env_of("PipelineBuildSynthCdkBuildProject"), synth_env);
    assert_eq!(env_of("PipelineUpdatePipelineSelfMutation"), self_env);
    // The synth action's project hash equals aws-cdk-lib's (same environment and build spec).
    let build = actions_of(&pipeline_resource(&t), "Build");
    assert_eq!(
        build[0]["Configuration"]["EnvironmentVariables"],
        "[{\"name\":\"_PROJECT_CONFIG_HASH\",\"type\":\"PLAINTEXT\",\"value\":\"3124653030fb857e8718f1c5f32a31311f6ff62f67b09a33f5112d4736ec2224\"}]"
    );
    // The shared role statement is on every project's role.
    for policy in [
        "PipelineBuildSynthCdkBuildProjectRoleDefaultPolicy",
        "PipelineUpdatePipelineSelfMutationRoleDefaultPolicy",
    ] {
        let policies = t.find_resources("AWS::IAM::Policy", Match::any_value());
        let (_, p) = policies
            .iter()
            .find(|(id, _)| id.starts_with(policy))
            .expect(policy);
        let statements = p["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap();
        assert!(
            statements
                .iter()
                .any(|s| s["Action"] == "ssm:GetParameter" && s["Resource"] == "*"),
            "{policy}: {statements:?}"
        );
    }
}

#[test]
fn a_stages_stacks_are_laid_out_in_assembly_order() {
    // Zeta, Alpha, Mid (Mid uses a queue of Alpha): aws-cdk-lib reads them from the stage's
    // manifest, in tranches of dependencies sorted by artifact ID (Alpha, Zeta, then Mid).
    // tests/fixtures/pipelines/stage-order.dot is aws-cdk-lib 2.276.0's graph of this tree.
    let out = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(out.path().to_path_buf()),
        ..Default::default()
    });
    let stack = Stack::new(&app, "PipelineStack", StackProps::default());
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps::new(synth_step(github())),
    );
    let beta = Stage::new(&stack, "Beta", StageProps::default());
    let zeta = Stack::new(&beta, "Zeta", StackProps::default());
    let alpha = Stack::new(&beta, "Alpha", StackProps::default());
    let mid = Stack::new(&beta, "Mid", StackProps::default());
    let qa = Queue::new(&alpha, "Q", QueueProps::default());
    Queue::new(&zeta, "Q", QueueProps::default());
    Queue::new(
        &mid,
        "Q",
        QueueProps {
            dead_letter_queue: Some(DeadLetterQueue {
                queue: Rc::new(qa),
                max_receive_count: 1,
            }),
            ..Default::default()
        },
    );
    pipeline.add_stage(&beta, Default::default());
    app.synth().expect("synthesizes");
    let expected = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pipelines/stage-order.dot"),
    )
    .unwrap();
    let actual =
        std::fs::read_to_string(out.path().join("PipelineStackPipeline9DB740AF.dot")).unwrap();
    assert_eq!(actual, expected);
    let t = Template::from_stack(&stack);
    let names: Vec<(String, u64)> = actions_of(&pipeline_resource(&t), "Beta")
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().into(),
                a["RunOrder"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Alpha.Prepare".to_string(), 1),
            ("Zeta.Prepare".to_string(), 1),
            ("Alpha.Deploy".to_string(), 2),
            ("Zeta.Deploy".to_string(), 2),
            ("Mid.Prepare".to_string(), 3),
            ("Mid.Deploy".to_string(), 4)
        ]
    );
}
