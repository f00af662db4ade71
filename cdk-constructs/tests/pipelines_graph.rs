//! The pipelines ordering engine against aws-cdk-lib: the blueprint of examples/cdk-pipeline
//! (tests/reference-apps/cdk-pipeline) must plan the stages, action names and run orders of
//! the pipeline aws-cdk-lib 2.276.0 synthesized from the same tree (read from the reference
//! assembly); a second layout (a wave, stack dependencies, one publisher per asset type, a post
//! step, no self-mutation) gives what aws-cdk-lib gives for `wave-app.js` there.

use cdk_constructs::pipelines::deployment::{stack_deployments, stage_plan};
use cdk_constructs::pipelines::graph::{
    plan, AssetType, Blueprint, BlueprintStep, PlannedWork, StackAsset, StackPlan, StagePlan,
    WavePlan,
};

fn step(id: &str, is_source: bool, depends_on: Vec<usize>) -> BlueprintStep {
    BlueprintStep {
        id: id.into(),
        is_source,
        depends_on,
        consumed_stack_outputs: Vec::new(),
    }
}

fn stack(name: &str, account: &str, assets: Vec<StackAsset>, depends_on: Vec<usize>) -> StackPlan {
    StackPlan {
        stack_name: name.into(),
        account: Some(account.into()),
        region: Some("us-east-1".into()),
        assets,
        depends_on,
        pre: vec![],
        change_set: vec![],
        post: vec![],
    }
}

fn code_asset(account: &str) -> StackAsset {
    StackAsset {
        asset_id: "bb4ff290".into(),
        asset_selector: format!("bb4ff290:{account}-us-east-1"),
        display_name: Some("Lambda/Code".into()),
        asset_type: AssetType::File,
        asset_manifest_path: "x.assets.json".into(),
        publishing_role_arn: None,
    }
}

fn stage(name: &str, stacks: Vec<StackPlan>, pre: Vec<usize>) -> StagePlan {
    StagePlan {
        stage_name: name.into(),
        stacks,
        pre,
        post: vec![],
    }
}

fn wave(id: &str, stages: Vec<StagePlan>) -> WavePlan {
    WavePlan {
        id: id.into(),
        stages,
        pre: vec![],
        post: vec![],
    }
}

/// Steps: 0 = the CodeCommit source, 1 = Synth, 2 = PromoteToProd.
fn example_blueprint() -> Blueprint {
    Blueprint {
        steps: vec![
            step("repo-111111111111", true, vec![]),
            step("Synth", false, vec![0]),
            step("PromoteToProd", false, vec![]),
        ],
        synth: 1,
        waves: vec![
            wave(
                "Dev",
                vec![stage(
                    "dev",
                    vec![stack(
                        "dev-Application",
                        "111111111111",
                        vec![code_asset("111111111111")],
                        vec![],
                    )],
                    vec![],
                )],
            ),
            wave(
                "Prod",
                vec![stage(
                    "prod",
                    vec![stack(
                        "prod-Application",
                        "222222222222",
                        vec![code_asset("222222222222")],
                        vec![],
                    )],
                    vec![2],
                )],
            ),
        ],
        self_mutation: true,
        publish_assets_in_parallel: true,
        use_change_sets: true,
    }
}

/// (stage, [(action, run order)]) of a plan.
fn layout(b: &Blueprint) -> Vec<(String, Vec<(String, u32)>)> {
    plan(b)
        .unwrap()
        .into_iter()
        .map(|s| {
            (
                s.name,
                s.actions
                    .into_iter()
                    .map(|a| (a.name, a.run_order))
                    .collect(),
            )
        })
        .collect()
}

fn owned(stages: &[(&str, &[(&str, u32)])]) -> Vec<(String, Vec<(String, u32)>)> {
    stages
        .iter()
        .map(|(s, a)| {
            (
                s.to_string(),
                a.iter().map(|(n, r)| (n.to_string(), *r)).collect(),
            )
        })
        .collect()
}

#[test]
fn the_example_plans_as_aws_cdk_lib_synthesized_it() {
    let dir = rcdk_tests::repo_root().join("tests/reference-apps/cdk-pipeline/assembly");
    let template: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("PipelineStack.template.json")).unwrap(),
    )
    .unwrap();
    let pipeline = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::CodePipeline::Pipeline")
        .expect("the reference has a pipeline");
    let reference: Vec<(String, Vec<(String, u32)>)> = pipeline["Properties"]["Stages"]
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
                        // The source action is named by the repository's name (a token there).
                        let name = a["Name"]
                            .as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| "repo-111111111111".into());
                        (name, a["RunOrder"].as_u64().unwrap() as u32)
                    })
                    .collect(),
            )
        })
        .collect();
    let planned = plan(&example_blueprint()).unwrap();
    let names: Vec<(String, Vec<(String, u32)>)> = planned
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.actions
                    .iter()
                    .map(|a| {
                        // Asset actions are named by the asset's display name, sanitized.
                        (a.name.clone(), a.run_order)
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(names, reference);
    // One publishing action for the asset of both stages, with both destinations.
    let assets = planned.iter().find(|s| s.name == "Assets").unwrap();
    let PlannedWork::PublishAssets(list) = &assets.actions[0].work else {
        panic!("{:?}", assets.actions[0]);
    };
    let selectors: Vec<&str> = list.iter().map(|a| a.asset_selector.as_str()).collect();
    assert_eq!(
        selectors,
        [
            "bb4ff290:111111111111-us-east-1",
            "bb4ff290:222222222222-us-east-1"
        ]
    );
    assert!(matches!(
        planned[4].actions[1].work,
        PlannedWork::Deploy {
            wave: 0,
            stage: 0,
            stack: 0,
            without_change_set: false
        }
    ));
}

#[test]
fn waves_dependencies_single_publishers_and_post_steps() {
    // A wave of two stages, the second with two stacks where Api depends on Data; assets
    // published by one action; a post step; no self-mutation.
    let blueprint = Blueprint {
        steps: vec![
            step("Source", true, vec![]),
            step("Synth", false, vec![0]),
            step("Smoke", false, vec![]),
        ],
        synth: 1,
        waves: vec![WavePlan {
            id: "Regional".into(),
            stages: vec![
                stage(
                    "eu",
                    vec![stack(
                        "eu-Api",
                        "111111111111",
                        vec![code_asset("111111111111")],
                        vec![],
                    )],
                    vec![],
                ),
                StagePlan {
                    stage_name: "us".into(),
                    stacks: vec![
                        stack(
                            "us-Api",
                            "222222222222",
                            vec![code_asset("222222222222")],
                            vec![1],
                        ),
                        stack(
                            "us-Data",
                            "222222222222",
                            vec![StackAsset {
                                asset_id: "cafe".into(),
                                asset_selector: "cafe:222222222222-us-east-1".into(),
                                display_name: None,
                                asset_type: AssetType::File,
                                asset_manifest_path: "y.assets.json".into(),
                                publishing_role_arn: None,
                            }],
                            vec![],
                        ),
                    ],
                    pre: vec![],
                    post: vec![2],
                },
            ],
            pre: vec![],
            post: vec![],
        }],
        self_mutation: false,
        publish_assets_in_parallel: false,
        use_change_sets: true,
    };
    assert_eq!(
        layout(&blueprint),
        owned(&[
            ("Source", &[("Source", 1)]),
            ("Build", &[("Synth", 1)]),
            ("Assets", &[("FileAssets", 1)]),
            (
                "Regional",
                &[
                    ("eu.Api.Prepare", 1),
                    ("us.Data.Prepare", 1),
                    ("eu.Api.Deploy", 2),
                    ("us.Data.Deploy", 2),
                    ("us.Api.Prepare", 3),
                    ("us.Api.Deploy", 4),
                    ("us.Smoke", 5),
                ]
            ),
        ])
    );
}

#[test]
fn without_change_sets_a_stack_is_one_deploy_action() {
    let mut b = example_blueprint();
    b.use_change_sets = false;
    b.self_mutation = false;
    let l = layout(&b);
    assert_eq!(l[3], ("dev".to_string(), vec![("Deploy".to_string(), 1)]));
    assert_eq!(
        l[4],
        (
            "prod".to_string(),
            vec![
                ("PromoteToProd".to_string(), 1),
                ("Application.Deploy".to_string(), 2)
            ]
        )
    );
}

#[test]
fn stages_read_from_the_nested_assemblies_plan_the_same_pipeline() {
    let dir = rcdk_tests::repo_root().join("tests/reference-apps/cdk-pipeline/assembly");
    let dev = stack_deployments(&dir.join("assembly-PipelineStack-Dev")).unwrap();
    let prod = stack_deployments(&dir.join("assembly-PipelineStack-Prod")).unwrap();
    assert_eq!(dev.len(), 1);
    let p = &prod[0];
    assert_eq!(p.stack_name, "prod-Application");
    assert_eq!(p.construct_path, "PipelineStack/Prod/Application");
    assert_eq!(p.account.as_deref(), Some("222222222222"));
    assert_eq!(
        p.assume_role_arn.as_deref(),
        Some("arn:${AWS::Partition}:iam::222222222222:role/cdk-hnb659fds-deploy-role-222222222222-us-east-1")
    );
    assert_eq!(
        p.execution_role_arn.as_deref(),
        Some("arn:${AWS::Partition}:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-us-east-1")
    );
    assert!(p.template_path.is_file());
    // The Lambda code is the one asset to publish; the template is kept apart.
    assert_eq!(p.assets.len(), 1, "{:?}", p.assets);
    assert_eq!(p.assets[0].display_name.as_deref(), Some("Lambda/Code"));
    assert!(p.assets[0]
        .asset_selector
        .contains(":222222222222-us-east-1-"));
    assert!(p.assets[0]
        .publishing_role_arn
        .as_deref()
        .unwrap()
        .contains("cdk-hnb659fds-file-publishing-role-222222222222-us-east-1"));
    assert!(p.template_asset.is_some());

    let mut blueprint = example_blueprint();
    blueprint.waves[0].stages = vec![stage_plan("dev", &dev, vec![], vec![])];
    blueprint.waves[1].stages = vec![stage_plan("prod", &prod, vec![2], vec![])];
    let read = layout(&blueprint);
    assert_eq!(read, layout(&example_blueprint()));
    assert_eq!(
        read[4].1,
        [("Prepare".to_string(), 1), ("Deploy".to_string(), 2)]
    );
}
