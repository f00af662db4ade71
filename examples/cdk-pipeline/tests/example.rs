//! The example against its aws-cdk-lib twin (`tests/reference-apps/cdk-pipeline`, synthesized
//! by aws-cdk-lib 2.276.0): the same logical IDs in every template, the same pipeline stages,
//! action names, run orders, action types, artifacts and role ARNs, the same policies on the
//! artifact key and bucket (what lets the prod account read), and an assembly (with its nested
//! assemblies) that validates against the schema and cfn-lint.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cdk_assertions::{pattern, Match, Template};
use cdk_core::{App, AppProps};
use rcdk_tests::{read_json, repo_root, validate_assembly};
use serde_json::{json, Value as J};

const PIPELINE_ID: &str = "Pipeline9850B417";
const NESTED: [(&str, &str); 2] = [
    (
        "assembly-PipelineStack-Dev",
        "PipelineStackDevApplicationDBB34208",
    ),
    (
        "assembly-PipelineStack-Prod",
        "PipelineStackProdApplication14C70714",
    ),
];

fn reference() -> PathBuf {
    repo_root().join("tests/reference-apps/cdk-pipeline/assembly")
}

fn synth() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    // As the CDK CLI synthesized the reference (path metadata on, which the API deployment's
    // logical-ID hash includes).
    let app = App::with_props(AppProps {
        outdir: Some(out.clone()),
        context: [(
            "aws:cdk:enable-path-metadata".to_string(),
            serde_json::Value::Bool(true),
        )]
        .into(),
    });
    cdk_pipeline_example::build(&app);
    app.synth().unwrap();
    (dir, out)
}

fn template_json(dir: &Path, file: &str) -> J {
    read_json(&dir.join(file))
}

fn logical_ids(template: &J) -> BTreeSet<String> {
    template["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// The pipeline's stages: per action its name, run order, type, artifacts and role, and the
/// configuration of the CloudFormation actions.
fn stages(template: &J) -> J {
    let stages = template["Resources"][PIPELINE_ID]["Properties"]["Stages"]
        .as_array()
        .unwrap();
    J::Array(
        stages
            .iter()
            .map(|s| {
                let actions: Vec<J> = s["Actions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        let mut projected = json!({
                            "Name": a["Name"],
                            "RunOrder": a["RunOrder"],
                            "ActionTypeId": a["ActionTypeId"],
                            "InputArtifacts": a.get("InputArtifacts"),
                            "OutputArtifacts": a.get("OutputArtifacts"),
                            "RoleArn": a["RoleArn"],
                        });
                        if a["ActionTypeId"]["Provider"] != "CodeBuild" {
                            projected["Configuration"] = a["Configuration"].clone();
                        }
                        projected
                    })
                    .collect();
                json!({"Name": s["Name"], "Actions": actions})
            })
            .collect(),
    )
}

fn without_metadata(resource: &J) -> J {
    let mut r = resource.clone();
    r.as_object_mut().unwrap().remove("Metadata");
    r
}

#[test]
fn logical_ids_equal_the_aws_cdk_lib_build() {
    let (_dir, out) = synth();
    let ours = template_json(&out, "PipelineStack.template.json");
    let theirs = template_json(&reference(), "PipelineStack.template.json");
    assert_eq!(logical_ids(&ours), logical_ids(&theirs));
    for (dir, artifact) in NESTED {
        let file = format!("{dir}/{artifact}.template.json");
        assert_eq!(
            logical_ids(&template_json(&out, &file)),
            logical_ids(&template_json(&reference(), &file)),
            "{file}"
        );
    }
}

#[test]
fn stages_actions_run_orders_and_roles_equal_the_aws_cdk_lib_build() {
    let (_dir, out) = synth();
    let ours = template_json(&out, "PipelineStack.template.json");
    let theirs = template_json(&reference(), "PipelineStack.template.json");
    assert_eq!(stages(&ours), stages(&theirs));
    // The same, as a pattern: the prod stage's approval comes first, then the change set
    // created as the prod account's cfn-exec role by its deploy role.
    let t = Template::from_json(ours);
    t.has_resource_properties(
        "AWS::CodePipeline::Pipeline",
        pattern!({
            "Name": "CrossAccountPipeline",
            "Stages": Match::array_with(vec![Match::object_like(pattern!({
                "Name": "prod",
                "Actions": Match::array_with(vec![
                    Match::object_like(pattern!({"Name": "PromoteToProd", "RunOrder": 1})),
                    Match::object_like(pattern!({
                        "Name": "Application.Prepare",
                        "RunOrder": 2,
                        "Configuration": Match::object_like(pattern!({
                            "StackName": "prod-Application",
                            "ActionMode": "CHANGE_SET_REPLACE",
                        })),
                    })),
                ]),
            }))]),
        }),
    );
}

#[test]
fn policies_and_projects_equal_the_aws_cdk_lib_build_where_rcdk_runs_the_same() {
    let (_dir, out) = synth();
    let ours = template_json(&out, "PipelineStack.template.json");
    let theirs = template_json(&reference(), "PipelineStack.template.json");
    // Everything but the projects running the CLI (rcdk instead of the npm packages) and the
    // pipeline itself (the self-mutation action's project hash follows its build spec).
    let differ = [
        "PipelineUpdatePipelineSelfMutationDAA41400",
        "PipelineAssetsFileAsset185A67CB4",
        PIPELINE_ID,
    ];
    for (id, resource) in theirs["Resources"].as_object().unwrap() {
        if differ.contains(&id.as_str()) {
            continue;
        }
        assert_eq!(
            without_metadata(&ours["Resources"][id]),
            without_metadata(resource),
            "{id}"
        );
    }
    let project = |id: &str| ours["Resources"][id]["Properties"]["Source"]["BuildSpec"].clone();
    let spec: J = serde_json::from_str(
        project("PipelineUpdatePipelineSelfMutationDAA41400")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        spec["phases"]["build"]["commands"],
        json!(["rcdk -a . deploy PipelineStack --require-approval=never --verbose"])
    );
    let spec: J = serde_json::from_str(
        project("PipelineAssetsFileAsset185A67CB4")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let commands = spec["phases"]["build"]["commands"].as_array().unwrap();
    assert_eq!(commands.len(), 2, "{commands:?}");
    for (c, (dir, artifact)) in commands.iter().zip(NESTED) {
        let c = c.as_str().unwrap();
        assert!(
            c.starts_with(&format!(
                "rcdk publish-assets --path \"{dir}/{artifact}.assets.json\" --verbose \""
            )),
            "{c}"
        );
    }
    // The synth action's project hash is aws-cdk-lib's: same environment, same build spec.
    let env_of = |t: &J, action: &str| -> J {
        t["Resources"][PIPELINE_ID]["Properties"]["Stages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Actions"].as_array().unwrap().clone())
            .find(|a| a["Name"] == action)
            .unwrap()["Configuration"]["EnvironmentVariables"]
            .clone()
    };
    assert_eq!(env_of(&ours, "Synth"), env_of(&theirs, "Synth"));
    assert!(env_of(&ours, "SelfMutate")
        .as_str()
        .unwrap()
        .contains("_PROJECT_CONFIG_HASH"));
    assert_eq!(env_of(&ours, "Lambda_Code"), J::Null);
}

#[test]
fn nested_templates_equal_the_aws_cdk_lib_build() {
    let (_dir, out) = synth();
    for (dir, artifact) in NESTED {
        let file = format!("{dir}/{artifact}.template.json");
        let ours = template_json(&out, &file);
        let theirs = template_json(&reference(), &file);
        for (id, resource) in theirs["Resources"].as_object().unwrap() {
            assert_eq!(
                without_metadata(&ours["Resources"][id]),
                without_metadata(resource),
                "{file} {id}"
            );
        }
    }
}

/// The Lambda's asset: the same hash as aws-cdk-lib's (so the same S3 key, staged directory
/// and publishing selectors), the same asset-manifest entry in both stages.
#[test]
fn the_lambda_asset_hash_equals_the_aws_cdk_lib_build() {
    let (_dir, out) = synth();
    let reference_hash = "bb4ff290f5b6d74b0eb075f16a3bbe418c75bd4cc56ca96f6e85a3864b0a7281";
    for (dir, artifact) in NESTED {
        let file = format!("{dir}/{artifact}.template.json");
        let code = |root: &Path| {
            let t = template_json(root, &file);
            t["Resources"]
                .as_object()
                .unwrap()
                .values()
                .find(|r| r["Type"] == "AWS::Lambda::Function")
                .unwrap()["Properties"]["Code"]
                .clone()
        };
        assert_eq!(code(&out), code(&reference()), "{file}");
        assert_eq!(
            code(&out)["S3Key"],
            json!(format!("{reference_hash}.zip")),
            "{file}"
        );
        let manifest = format!("{dir}/{artifact}.assets.json");
        assert_eq!(
            template_json(&out, &manifest)["files"][reference_hash],
            template_json(&reference(), &manifest)["files"][reference_hash],
            "{manifest}"
        );
    }
    assert!(out
        .join(format!("asset.{reference_hash}/index.js"))
        .is_file());
    // The asset publishing project selects the same `<hash>:<destination>` pairs as the
    // reference's cdk-assets commands.
    let selectors = |root: &Path| -> Vec<String> {
        let t = template_json(root, "PipelineStack.template.json");
        let spec: J = serde_json::from_str(
            t["Resources"]["PipelineAssetsFileAsset185A67CB4"]["Properties"]["Source"]["BuildSpec"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        spec["phases"]["build"]["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let c = c.as_str().unwrap();
                c.rsplit(' ').next().unwrap().trim_matches('"').to_string()
            })
            .collect()
    };
    let ours = selectors(&out);
    assert_eq!(ours, selectors(&reference()));
    assert!(
        ours.iter().all(|s| s.starts_with(reference_hash)),
        "{ours:?}"
    );
}

#[test]
fn assembly_and_nested_assemblies_validate() {
    let (_dir, out) = synth();
    validate_assembly(&out, true);
    for (dir, _) in NESTED {
        validate_assembly(&out.join(dir), true);
    }
}

#[test]
fn the_pipeline_graph_file_equals_the_aws_cdk_lib_build() {
    // aws-cdk-lib writes `<pipeline unique ID>.dot` (Graph.renderDot) into the assembly.
    let (_tmp, out) = synth();
    let file = "PipelineStackPipeline9DB740AF.dot";
    let expected = std::fs::read_to_string(reference().join(file)).expect("reference dot");
    let actual = std::fs::read_to_string(out.join(file)).expect("rcdk writes the dot file");
    assert_eq!(actual, expected);
}
