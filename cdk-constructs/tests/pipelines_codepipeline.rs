//! The `pipelines::CodePipeline` construct beyond the example's layout (which
//! examples/cdk-pipeline compares with aws-cdk-lib): waves, no self-mutation, a CodeStar
//! connection source, the cargo cache of the synth step, and the mistakes it reports.

use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::codecommit::{Repository, RepositoryProps};
use cdk_constructs::pipelines::{
    AddStageOpts, CacheLocation, CodeBuildCache, CodePipeline, CodePipelineProps,
    CodePipelineSource, ConnectionSourceOptions, ShellStep, ShellStepProps, Step, WaveOpts,
    CARGO_CACHE_PATHS,
};
use cdk_core::{
    App, CfnResource, CfnResourceProps, Environment, Stack, StackProps, Stage, StageProps,
};
use serde_json::{json, Value as J};

fn tools(app: &App) -> Stack {
    Stack::new(
        app,
        "PipelineStack",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    )
}

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

fn code_commit(stack: &Stack) -> Step {
    let repo = Repository::new(
        stack,
        "Repo",
        RepositoryProps {
            repository_name: "app".into(),
            ..Default::default()
        },
    );
    CodePipelineSource::code_commit(&repo, "main", Default::default())
}

fn stage(scope: &Stack, id: &str, account: &str) -> Stage {
    let stage = Stage::new(
        scope,
        id,
        StageProps {
            env: Some(Environment::new(account, "us-east-1")),
            ..Default::default()
        },
    );
    let stack = Stack::new(&stage, "Service", StackProps::default());
    CfnResource::new(
        &stack,
        "Topic",
        CfnResourceProps {
            resource_type: "AWS::SNS::Topic".into(),
            ..Default::default()
        },
    );
    stage
}

/// (stage name, [(action name, run order)]) of the pipeline.
fn layout(template: &Template) -> Vec<(String, Vec<(String, u64)>)> {
    let pipelines = template.find_resources("AWS::CodePipeline::Pipeline", Match::any_value());
    let (_, pipeline) = pipelines.iter().next().unwrap();
    pipeline["Properties"]["Stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["Name"].as_str().unwrap().to_string(),
                s["Actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        (
                            a["Name"].as_str().unwrap_or("<token>").to_string(),
                            a["RunOrder"].as_u64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn names(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(n, o)| (n.to_string(), *o)).collect()
}

#[test]
fn a_wave_deploys_its_stages_in_parallel_without_self_mutation() {
    let app = App::new();
    let stack = tools(&app);
    let source = code_commit(&stack);
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            self_mutation: Some(false),
            cross_account_keys: Some(true),
            ..CodePipelineProps::new(synth_step(source))
        },
    );
    let wave = pipeline.add_wave("Prod", WaveOpts::default());
    wave.add_stage(
        &stage(&stack, "EU", "222222222222"),
        AddStageOpts::default(),
    );
    wave.add_stage(
        &stage(&stack, "US", "333333333333"),
        AddStageOpts::default(),
    );
    let t = Template::from_stack(&stack);
    let l = layout(&t);
    assert_eq!(
        l.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        ["Source", "Build", "Prod"]
    );
    // Named below the wave (stage.stack.step), as aws-cdk-lib names them.
    assert_eq!(
        l[2].1,
        names(&[
            ("EU.Service.Prepare", 1),
            ("US.Service.Prepare", 1),
            ("EU.Service.Deploy", 2),
            ("US.Service.Deploy", 2)
        ])
    );
    // Without self-mutation no action carries the project hash.
    t.resource_count_is("AWS::CodeBuild::Project", 1);
    let pipelines = t.find_resources("AWS::CodePipeline::Pipeline", Match::any_value());
    let text = pipelines.values().next().unwrap().to_string();
    assert!(!text.contains("_PROJECT_CONFIG_HASH"), "{text}");
    // Each target account's deploy role may read the artifacts.
    t.has_resource_properties(
        "AWS::S3::BucketPolicy",
        pattern!({
            "PolicyDocument": {
                "Statement": Match::array_with(vec![Match::object_like(pattern!({
                    "Principal": {"AWS": {"Fn::Join": ["", [
                        "arn:", {"Ref": "AWS::Partition"},
                        ":iam::333333333333:role/cdk-hnb659fds-deploy-role-333333333333-us-east-1"
                    ]]}},
                }))]),
            },
        }),
    );
}

#[test]
fn a_connection_source_and_the_cargo_cache_of_the_synth_project() {
    let app = App::new();
    let stack = tools(&app);
    let source = CodePipelineSource::connection(
        "owner/group/repo",
        "main",
        ConnectionSourceOptions {
            connection_arn: "arn:aws:codestar-connections:us-east-1:111111111111:connection/x"
                .into(),
            action_name: None,
            trigger_on_push: None,
            code_build_clone_output: false,
        },
    );
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            synth_cache: Some(CodeBuildCache::cargo(CacheLocation::ArtifactBucket {
                prefix: "cargo-cache".into(),
            })),
            ..CodePipelineProps::new(synth_step(source))
        },
    );
    pipeline.add_stage(
        &stage(&stack, "Beta", "111111111111"),
        AddStageOpts::default(),
    );
    let t = Template::from_stack(&stack);
    assert_eq!(
        layout(&t),
        vec![
            ("Source".to_string(), names(&[("owner_group_repo", 1)])),
            ("Build".to_string(), names(&[("Synth", 1)])),
            ("UpdatePipeline".to_string(), names(&[("SelfMutate", 1)])),
            ("Beta".to_string(), names(&[("Prepare", 1), ("Deploy", 2)])),
        ]
    );
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Stages": Match::array_with(vec![Match::object_like(pattern!({
                "Name": "Source",
                "Actions": [Match::object_like(pattern!({
                    "ActionTypeId": Match::object_like(pattern!({"Provider": "CodeStarSourceConnection"})),
                    "Configuration": Match::object_like(pattern!({"FullRepositoryId": "owner/group/repo"})),
                    "OutputArtifacts": [{"Name": "owner_group_repo_Source"}],
                }))],
            }))]),
        }),
    );
    // The synth project caches cargo's directories in the artifact bucket.
    let projects = t.find_resources(
        "AWS::CodeBuild::Project",
        pattern!({"Properties": Match::object_like(pattern!({"Description": "Pipeline step PipelineStack/Pipeline/Build/Synth"}))}),
    );
    assert_eq!(projects.len(), 1);
    let synth = projects.values().next().unwrap();
    assert_eq!(synth["Properties"]["Cache"]["Type"], "S3");
    let location = synth["Properties"]["Cache"]["Location"].to_string();
    assert!(location.contains("cargo-cache"), "{location}");
    let spec: J =
        serde_json::from_str(synth["Properties"]["Source"]["BuildSpec"].as_str().unwrap()).unwrap();
    assert_eq!(spec["cache"]["paths"], json!(CARGO_CACHE_PATHS));
    assert_eq!(
        spec["phases"]["install"]["commands"][0],
        "export CARGO_TARGET_DIR=\"$CODEBUILD_SRC_DIR/target\""
    );
}

#[test]
fn docker_settings_and_empty_stages_are_refused() {
    let app = App::new();
    let stack = tools(&app);
    let source = code_commit(&stack);
    let pipeline = CodePipeline::new(
        &stack,
        "Pipeline",
        CodePipelineProps {
            docker_enabled_for_synth: true,
            ..CodePipelineProps::new(synth_step(source))
        },
    );
    let empty = Stage::new(&stack, "Empty", StageProps::default());
    pipeline.add_stage(&empty, AddStageOpts::default());
    let err = app.synth_in_memory().unwrap_err().to_string();
    assert!(
        err.contains("docker_enabled_for_synth is not supported"),
        "{err}"
    );
    assert!(
        err.contains(
            "The given Stage construct ('PipelineStack/Empty') should contain at least one Stack"
        ),
        "{err}"
    );
}
