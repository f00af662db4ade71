//! The stacks a pipeline stage deploys, read from the stage's synthesized (nested) cloud
//! assembly as aws-cdk-lib's `StackDeployment.fromArtifact` reads them: stack name,
//! environment, the deploy and CloudFormation execution roles, the template, the stack
//! dependencies inside the stage, and the assets to publish (by cdk-assets selector; the
//! template's own file asset is kept apart, as aws-cdk-lib's pipelines publish it only with
//! `publishTemplate`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::graph::{AssetType, PlanError, StackAsset, StackPlan, StagePlan};

/// One stack of a stage's assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackDeployment {
    /// The artifact ID (`PipelineStackDevApplicationDBB34208`).
    pub artifact_id: String,
    /// Its construct path (`PipelineStack/Dev/Application`).
    pub construct_path: String,
    /// The CloudFormation stack name (`dev-Application`).
    pub stack_name: String,
    /// The account, unless the stack is environment-agnostic.
    pub account: Option<String>,
    /// The region, unless the stack is environment-agnostic.
    pub region: Option<String>,
    /// The role the pipeline's actions assume (the target's deploy role), with placeholders.
    pub assume_role_arn: Option<String>,
    /// The role CloudFormation deploys with (the target's cfn-exec role), with placeholders.
    pub execution_role_arn: Option<String>,
    /// The template (absolute path).
    pub template_path: PathBuf,
    /// The assets to publish before it deploys.
    pub assets: Vec<StackAsset>,
    /// The template's own file asset.
    pub template_asset: Option<StackAsset>,
    /// Artifact IDs of the stacks (of the same assembly) it depends on.
    pub stack_dependencies: Vec<String>,
}

fn bad(path: &Path, problem: impl std::fmt::Display) -> PlanError {
    PlanError(format!("{}: {problem}", path.display()))
}

fn read_json(path: &Path) -> Result<Value, PlanError> {
    let text = std::fs::read_to_string(path).map_err(|e| bad(path, e))?;
    serde_json::from_str(&text).map_err(|e| bad(path, e))
}

/// Reads the stacks of the cloud assembly in `dir` (a stage's nested assembly), in manifest
/// order.
pub fn stack_deployments(dir: &Path) -> Result<Vec<StackDeployment>, PlanError> {
    let manifest_path = dir.join("manifest.json");
    let manifest = read_json(&manifest_path)?;
    let artifacts = manifest["artifacts"]
        .as_object()
        .ok_or_else(|| bad(&manifest_path, "no `artifacts` object"))?;
    let is_stack = |id: &str| artifacts[id]["type"] == "aws:cloudformation:stack";
    let mut out = Vec::new();
    for (id, artifact) in artifacts {
        if !is_stack(id) {
            continue;
        }
        let props = &artifact["properties"];
        let template_file = props["templateFile"]
            .as_str()
            .ok_or_else(|| bad(&manifest_path, format!("stack {id} has no templateFile")))?;
        let (account, region) = match artifact["environment"]
            .as_str()
            .and_then(|e| e.strip_prefix("aws://"))
            .and_then(|e| e.split_once('/'))
        {
            Some((a, r)) => (
                (a != "unknown-account").then(|| a.to_string()),
                (r != "unknown-region").then(|| r.to_string()),
            ),
            None => (None, None),
        };
        let dependencies: Vec<&str> = artifact["dependencies"]
            .as_array()
            .map(|d| d.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut assets = Vec::new();
        let mut template_asset = None;
        for dep in &dependencies {
            let Some(dep_artifact) = artifacts.get(*dep) else {
                continue;
            };
            if dep_artifact["type"] != "cdk:asset-manifest" {
                continue;
            }
            let file = dep_artifact["properties"]["file"]
                .as_str()
                .ok_or_else(|| bad(&manifest_path, format!("asset manifest {dep} has no file")))?;
            let asset_manifest_path = dir.join(file);
            let asset_manifest = read_json(&asset_manifest_path)?;
            for (section, asset_type) in [
                ("files", AssetType::File),
                ("dockerImages", AssetType::DockerImage),
            ] {
                let Some(entries) = asset_manifest[section].as_object() else {
                    continue;
                };
                for (hash, entry) in entries {
                    let is_template = asset_type == AssetType::File
                        && entry["source"]["packaging"].as_str().unwrap_or("file") == "file"
                        && entry["source"]["path"].as_str() == Some(template_file);
                    let destinations = entry["destinations"].as_object();
                    for (dest_id, dest) in destinations.into_iter().flatten() {
                        let asset = StackAsset {
                            asset_id: hash.clone(),
                            asset_selector: format!("{hash}:{dest_id}"),
                            display_name: entry["displayName"].as_str().map(str::to_string),
                            asset_type,
                            asset_manifest_path: asset_manifest_path.clone(),
                            publishing_role_arn: dest["assumeRoleArn"].as_str().map(str::to_string),
                        };
                        if is_template {
                            template_asset = Some(asset);
                        } else {
                            assets.push(asset);
                        }
                    }
                }
            }
        }
        out.push(StackDeployment {
            artifact_id: id.clone(),
            construct_path: artifact["displayName"].as_str().unwrap_or(id).to_string(),
            stack_name: props["stackName"].as_str().unwrap_or(id).to_string(),
            account,
            region,
            assume_role_arn: props["assumeRoleArn"].as_str().map(str::to_string),
            execution_role_arn: props["cloudFormationExecutionRoleArn"]
                .as_str()
                .map(str::to_string),
            template_path: dir.join(template_file),
            assets,
            template_asset,
            stack_dependencies: dependencies
                .iter()
                .filter(|d| artifacts.contains_key(**d) && is_stack(d))
                .map(|d| d.to_string())
                .collect(),
        });
    }
    Ok(out)
}

/// The stage of the blueprint for these stacks (dependencies by index; pre/post steps given).
pub fn stage_plan(
    stage_name: &str,
    stacks: &[StackDeployment],
    pre: Vec<usize>,
    post: Vec<usize>,
) -> StagePlan {
    let index = |id: &str| stacks.iter().position(|s| s.artifact_id == id);
    StagePlan {
        stage_name: stage_name.to_string(),
        stacks: stacks
            .iter()
            .map(|s| StackPlan {
                stack_name: s.stack_name.clone(),
                account: s.account.clone(),
                region: s.region.clone(),
                assets: s.assets.clone(),
                depends_on: s
                    .stack_dependencies
                    .iter()
                    .filter_map(|d| index(d))
                    .collect(),
                pre: Vec::new(),
                change_set: Vec::new(),
                post: Vec::new(),
            })
            .collect(),
        pre,
        post,
    }
}
