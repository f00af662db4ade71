//! `manifest.json`, the per-stack asset manifests and the list of files of the assembly.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{json, Map, Value as J};
use sha2::{Digest, Sha256};

use super::resolve::SynthState;
use super::writer::AssemblyFile;
use super::{Synthesized, CLOUD_ASSEMBLY_VERSION};
use crate::assets::{AssetPackaging, AssetRecord, EntryKind};
use crate::construct::{Node, NodeKind};
use crate::error::Result;
use crate::synthesizer::{EnvPlaceholders, LOOKUP_ROLE_BOOTSTRAP_VERSION, MIN_BOOTSTRAP_VERSION};

/// Serializes JSON with the given indentation (no trailing newline, like `JSON.stringify`).
pub(crate) fn to_json_text<T: Serialize + ?Sized>(value: &T, indent: &[u8]) -> String {
    let mut buf = Vec::with_capacity(4096);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent);
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Serializing JSON values (string keys only) into memory cannot fail.
    value.serialize(&mut ser).unwrap_or_default();
    // serde_json only writes valid UTF-8.
    String::from_utf8(buf).unwrap_or_default()
}

/// SHA-256 of `bytes`, lower-case hex.
/// The destination of a file asset in the bootstrap bucket of `environment`: its ID
/// (`<account>-<region>-<8 hex digits of the destination's hash>`, as aws-cdk-lib keys it) and
/// its manifest entry.
pub(crate) fn file_destination(
    synthesizer: &crate::DefaultStackSynthesizer,
    environment: &crate::Environment,
    env: &EnvPlaceholders,
    bucket: &str,
    object_key: String,
) -> (String, J) {
    let dest_id = format!(
        "{}-{}",
        environment.account.as_deref().unwrap_or("current_account"),
        environment.region.as_deref().unwrap_or("current_region")
    );
    let mut destination = Map::new();
    destination.insert("bucketName".into(), J::String(bucket.to_string()));
    destination.insert("objectKey".into(), J::String(object_key));
    if let Some(region) = &environment.region {
        destination.insert("region".into(), J::String(region.clone()));
    }
    destination.insert(
        "assumeRoleArn".into(),
        J::String(synthesizer.file_publishing_role_arn(env)),
    );
    let destination = J::Object(destination);
    let hash = sha256_hex(destination.to_string().as_bytes());
    (format!("{dest_id}-{}", &hash[..8]), destination)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Manifest metadata of one stack: `(/path, entries)` in tree order.
pub(crate) fn stack_metadata(
    root: &Node,
    stack: usize,
    elements: &[usize],
    state: &SynthState,
) -> Vec<(String, Vec<J>)> {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let is_element: std::collections::HashSet<usize> = elements.iter().copied().collect();
    let mut out = Vec::new();
    let mut work = vec![stack];
    while let Some(idx) = work.pop() {
        if idx != stack
            && matches!(
                tree.nodes[idx].kind,
                NodeKind::Stack(_) | NodeKind::Stage(_)
            )
        {
            continue;
        }
        let mut entries = Vec::new();
        if is_element.contains(&idx) {
            entries.push(json!({"type": "aws:cdk:logicalId", "data": state.logical_ids[&idx]}));
        }
        for m in &tree.nodes[idx].metadata {
            entries.push(json!({"type": m.kind, "data": m.data}));
        }
        if idx == stack {
            let tags = tree.stack_data(stack).tags.entries();
            if !tags.is_empty() {
                let data: Vec<J> = tags
                    .iter()
                    .map(|(k, v)| json!({"Key": k, "Value": v}))
                    .collect();
                entries.push(json!({"type": "aws:cdk:stack-tags", "data": data}));
            }
        }
        if !entries.is_empty() {
            out.push((format!("/{}", tree.path_of(idx)), entries));
        }
        work.extend(tree.nodes[idx].children.iter().rev());
    }
    out
}

/// A `/`-separated relative path as a platform path.
fn platform_path(rel: &str) -> PathBuf {
    rel.split('/').collect()
}

/// How an asset is staged into the assembly.
fn staged_asset(asset: &AssetRecord) -> AssemblyFile {
    match asset.packaging {
        AssetPackaging::File => {
            let source = asset
                .entries
                .iter()
                .find_map(|e| match &e.kind {
                    EntryKind::File { source } => Some(source.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            AssemblyFile::CopyFile {
                path: asset.staged_path.clone(),
                source,
            }
        }
        AssetPackaging::ZipDirectory => {
            let (mut dirs, mut files, mut links, mut contents) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for entry in &asset.entries {
                let rel = platform_path(&entry.rel);
                match &entry.kind {
                    EntryKind::Dir => dirs.push(rel),
                    EntryKind::File { source } => files.push((rel, source.clone())),
                    EntryKind::Link { target, .. } => links.push((rel, target.clone())),
                    EntryKind::Memory { content } => contents.push((rel, content.clone())),
                }
            }
            AssemblyFile::CopyDir {
                path: asset.staged_path.clone(),
                dirs,
                files,
                links,
                contents,
            }
        }
    }
}

/// Every file of the assembly, ready to be written: the root's `manifest.json`, `tree.json`
/// and staged assets, and for each stage a nested assembly `assembly-<Path>/` with its own
/// `manifest.json`, templates and asset manifests (listed in its parent's manifest as a
/// `cdk:cloud-assembly` artifact before the parent's stacks, as aws-cdk-lib orders them).
pub(crate) fn assembly_files(synth: &mut Synthesized) -> Result<Vec<AssemblyFile>> {
    let mut files = Vec::new();
    // Artifacts by assembly directory ("" is the root), in stack (deployment) order.
    let mut by_assembly: Vec<(String, Map<String, J>)> = vec![(String::new(), Map::new())];
    for nested in &synth.nested {
        by_assembly.push((nested.directory.clone(), Map::new()));
    }
    // Staged asset paths already listed: the same hash is staged once, in the root assembly,
    // for every (nested) assembly.
    let mut staged: HashSet<&str> = HashSet::new();
    for stack in &mut synth.stacks {
        let template_text = std::mem::take(&mut stack.template_text);
        let a = &stack.artifact;
        let dir = a.assembly_directory.as_str();
        let Some(artifacts) = by_assembly
            .iter_mut()
            .find(|(d, _)| d == dir)
            .map(|(_, m)| m)
        else {
            continue;
        };
        let synthesizer = &stack.synthesizer;
        let env = EnvPlaceholders::new(
            a.environment.account.as_deref(),
            a.environment.region.as_deref(),
        );
        let version_param = synthesizer.bootstrap_version_parameter();
        let bucket = synthesizer.assets_bucket_name(&env);
        let template_hash = sha256_hex(template_text.as_bytes());
        let assets_id = format!("{}.assets", a.artifact_id);
        let assets_file = format!("{assets_id}.json");

        let destination = |object_key: String| {
            let (id, destination) =
                file_destination(synthesizer, &a.environment, &env, &bucket, object_key);
            json!({ id: destination })
        };
        // File assets in construction order (the first display name of a hash wins), then
        // the template, as aws-cdk-lib lists them.
        let mut file_assets = Map::new();
        for asset in &stack.assets {
            if staged.insert(asset.staged_path.as_str()) {
                files.push(staged_asset(asset));
            }
            if file_assets.contains_key(&asset.hash) {
                continue;
            }
            file_assets.insert(
                asset.hash.clone(),
                json!({
                    "displayName": asset.display_name,
                    "source": {
                        "path": super::nested::relative_to(dir, &asset.staged_path),
                        "packaging": asset.packaging.as_str()
                    },
                    "destinations": destination(asset.object_key.clone())
                }),
            );
        }
        file_assets.insert(
            template_hash.clone(),
            json!({
                "displayName": format!("{} Template", a.stack_name),
                "source": {"path": a.template_file, "packaging": "file"},
                "destinations": destination(format!("{template_hash}.json"))
            }),
        );
        let asset_manifest = json!({
            "version": CLOUD_ASSEMBLY_VERSION,
            "files": J::Object(file_assets),
            "dockerImages": {}
        });
        files.push(AssemblyFile::bytes(
            &super::nested::inside(dir, &a.template_file),
            template_text.into_bytes(),
        ));
        files.push(AssemblyFile::bytes(
            &super::nested::inside(dir, &assets_file),
            to_json_text(&asset_manifest, b"  ").into_bytes(),
        ));

        artifacts.insert(
            assets_id.clone(),
            json!({
                "type": "cdk:asset-manifest",
                "properties": {
                    "file": assets_file,
                    "requiresBootstrapStackVersion": MIN_BOOTSTRAP_VERSION,
                    "bootstrapStackVersionSsmParameter": version_param
                }
            }),
        );

        let mut properties = Map::new();
        properties.insert("templateFile".into(), J::String(a.template_file.clone()));
        properties.insert(
            "terminationProtection".into(),
            J::Bool(stack.termination_protection),
        );
        let tags = stack.artifact.tags.clone();
        if !tags.is_empty() {
            properties.insert(
                "tags".into(),
                J::Object(tags.into_iter().map(|(k, v)| (k, J::String(v))).collect()),
            );
        }
        properties.insert("validateOnSynth".into(), J::Bool(false));
        properties.insert(
            "assumeRoleArn".into(),
            J::String(synthesizer.deploy_role_arn(&env)),
        );
        properties.insert(
            "cloudFormationExecutionRoleArn".into(),
            J::String(synthesizer.cfn_exec_role_arn(&env)),
        );
        properties.insert(
            "stackTemplateAssetObjectUrl".into(),
            J::String(format!("s3://{bucket}/{template_hash}.json")),
        );
        properties.insert(
            "requiresBootstrapStackVersion".into(),
            json!(MIN_BOOTSTRAP_VERSION),
        );
        properties.insert(
            "bootstrapStackVersionSsmParameter".into(),
            J::String(version_param.clone()),
        );
        properties.insert("additionalDependencies".into(), json!([assets_id]));
        properties.insert(
            "lookupRole".into(),
            json!({
                "arn": synthesizer.lookup_role_arn(&env),
                "requiresBootstrapStackVersion": LOOKUP_ROLE_BOOTSTRAP_VERSION,
                "bootstrapStackVersionSsmParameter": version_param
            }),
        );
        if a.stack_name != a.artifact_id {
            properties.insert("stackName".into(), J::String(a.stack_name.clone()));
        }
        let mut dependencies: Vec<J> = a
            .dependencies
            .iter()
            .map(|d| J::String(d.clone()))
            .collect();
        dependencies.push(J::String(assets_id));
        let metadata: Map<String, J> = stack
            .artifact
            .metadata
            .iter()
            .map(|(path, entries)| (path.clone(), J::Array(entries.clone())))
            .collect();
        let mut artifact = Map::new();
        artifact.insert("type".into(), J::String("aws:cloudformation:stack".into()));
        artifact.insert("environment".into(), J::String(a.environment.to_uri()));
        artifact.insert("properties".into(), J::Object(properties));
        artifact.insert("dependencies".into(), J::Array(dependencies));
        if !metadata.is_empty() {
            artifact.insert("metadata".into(), J::Object(metadata));
        }
        artifact.insert("displayName".into(), J::String(a.display_name.clone()));
        artifacts.insert(a.artifact_id.clone(), J::Object(artifact));
    }
    for (dir, stack_artifacts) in by_assembly {
        // The nested assemblies of this one first (aws-cdk-lib adds them when the stage is
        // constructed, its stacks at synthesis).
        let mut artifacts = Map::new();
        for nested in synth.nested.iter().filter(|n| n.parent_directory == dir) {
            artifacts.insert(
                nested.artifact_id.clone(),
                json!({
                    "type": "cdk:cloud-assembly",
                    "properties": {
                        "directoryName": nested.artifact_id,
                        "displayName": nested.display_name
                    }
                }),
            );
        }
        artifacts.extend(stack_artifacts);
        if dir.is_empty() {
            artifacts.insert(
                "Tree".into(),
                json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}),
            );
            files.push(AssemblyFile::bytes(
                "tree.json",
                std::mem::take(&mut synth.tree).into_bytes(),
            ));
        }
        let mut manifest =
            json!({"version": CLOUD_ASSEMBLY_VERSION, "artifacts": J::Object(artifacts)});
        if dir.is_empty() && !synth.missing.is_empty() {
            manifest["missing"] = J::Array(std::mem::take(&mut synth.missing));
        }
        files.push(AssemblyFile::bytes(
            &super::nested::inside(&dir, "manifest.json"),
            to_json_text(&manifest, b"  ").into_bytes(),
        ));
        files.push(AssemblyFile::bytes(
            &super::nested::inside(&dir, "cdk.out"),
            serde_json::to_vec(&json!({"version": CLOUD_ASSEMBLY_VERSION})).unwrap_or_default(),
        ));
    }
    Ok(files)
}
