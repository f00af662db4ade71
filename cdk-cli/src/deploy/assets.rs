//! File asset publishing: reads a stack's asset manifests (`<stack>.assets.json`), packages
//! each asset (directories as the deterministic zip of `cdk_core::assets`, files as they are) and
//! uploads it to every destination under the destination's role (the file-publishing role),
//! skipping objects that already exist.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::console::Printer;
use super::env::ResolvedEnv;
use super::{clients_with_fallback, Context};
use crate::assembly::read_json;
use crate::error::{CliError, Result};

/// The parts of an asset manifest rcdk publishes.
#[derive(Debug, Clone, Deserialize)]
pub struct AssetManifestFile {
    /// File assets by hash.
    #[serde(default)]
    pub files: BTreeMap<String, FileAsset>,
    /// Container image assets by hash (not published by rcdk).
    #[serde(default, rename = "dockerImages")]
    pub docker_images: BTreeMap<String, serde_json::Value>,
}

/// One file asset.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileAsset {
    /// A human-readable name, e.g. `Api/Handler/Code`.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Where the asset comes from.
    pub source: FileSource,
    /// Where it goes, by destination ID.
    #[serde(default)]
    pub destinations: BTreeMap<String, FileDestination>,
}

/// The source of a file asset.
#[derive(Debug, Clone, Deserialize)]
pub struct FileSource {
    /// Path relative to the assembly directory.
    #[serde(default)]
    pub path: Option<String>,
    /// `file` (default) or `zip`.
    #[serde(default)]
    pub packaging: Option<String>,
    /// A command producing the asset (not supported by rcdk).
    #[serde(default)]
    pub executable: Option<Vec<String>>,
}

/// A destination of a file asset.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDestination {
    /// The bucket (may contain `${AWS::...}` placeholders).
    pub bucket_name: String,
    /// The object key.
    pub object_key: String,
    /// The bucket's region.
    #[serde(default)]
    pub region: Option<String>,
    /// The role to upload with.
    #[serde(default)]
    pub assume_role_arn: Option<String>,
}

/// Reads an asset manifest file.
pub fn read_asset_manifest(path: &Path) -> Result<AssetManifestFile> {
    serde_json::from_value(read_json(path)?).map_err(|source| CliError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Packages an asset's content: the deterministic zip of a directory, or a file's bytes.
pub fn package(dir: &Path, hash: &str, asset: &FileAsset) -> Result<Vec<u8>> {
    let name = asset.display_name.as_deref().unwrap_or(hash);
    let bad = |problem: String| CliError::Asset {
        asset: name.to_string(),
        problem,
    };
    if asset.source.executable.is_some() {
        return Err(bad(
            "assets built by an executable are not supported by rcdk".into(),
        ));
    }
    let rel = asset
        .source
        .path
        .as_deref()
        .ok_or_else(|| bad("the source has no `path`".into()))?;
    let path: PathBuf = dir.join(rel);
    match asset.source.packaging.as_deref().unwrap_or("file") {
        "zip" if path.is_dir() => super::zip::package_directory_zip(&path)
            .map_err(|e| bad(format!("cannot zip {}: {e}", path.display()))),
        "zip" | "file" => {
            std::fs::read(&path).map_err(|e| bad(format!("cannot read {}: {e}", path.display())))
        }
        other => Err(bad(format!("unknown packaging `{other}`"))),
    }
}

/// Publishes the file assets of `manifests` for a stack deploying to `env`. Returns the number
/// of objects uploaded.
pub fn publish(
    ctx: &Context<'_>,
    stack_label: &str,
    manifests: &[PathBuf],
    env: &ResolvedEnv,
    printer: &Printer,
) -> Result<usize> {
    let mut uploaded = 0;
    for manifest_path in manifests {
        let manifest = read_asset_manifest(manifest_path)?;
        if !manifest.docker_images.is_empty() {
            return Err(CliError::Asset {
                asset: manifest_path.display().to_string(),
                problem: "container image assets are not supported by rcdk deploy yet".into(),
            });
        }
        let dir = manifest_path.parent().unwrap_or(Path::new("."));
        for (hash, asset) in &manifest.files {
            let name = asset.display_name.as_deref().unwrap_or(hash);
            let mut content: Option<Vec<u8>> = None;
            for dest in asset.destinations.values() {
                let region = dest
                    .region
                    .as_deref()
                    .map(|r| env.substitute(r))
                    .unwrap_or_else(|| env.region.clone());
                let bucket = env.substitute(&dest.bucket_name);
                let key = env.substitute(&dest.object_key);
                let role = dest.assume_role_arn.as_deref().map(|r| env.substitute(r));
                let clients = clients_with_fallback(
                    ctx,
                    &region,
                    role.as_deref(),
                    "publishing assets",
                    printer,
                )?;
                let action =
                    |verb: &str| format!("{stack_label}: cannot {verb} s3://{bucket}/{key}");
                if !ctx.options.force
                    && clients
                        .s3
                        .object_exists(&bucket, &key)
                        .map_err(|source| CliError::Aws {
                            action: action("check"),
                            source,
                        })?
                {
                    printer.line(format!(
                        "{stack_label}: asset {name} already published (s3://{bucket}/{key})"
                    ));
                    continue;
                }
                let body = match &content {
                    Some(c) => c.clone(),
                    None => {
                        let c = package(dir, hash, asset)?;
                        content = Some(c.clone());
                        c
                    }
                };
                let size = body.len();
                clients
                    .s3
                    .put_object(&bucket, &key, body)
                    .map_err(|source| CliError::Aws {
                        action: action("upload"),
                        source,
                    })?;
                uploaded += 1;
                printer.line(format!(
                    "{stack_label}: published asset {name} ({size} bytes) to s3://{bucket}/{key}"
                ));
            }
        }
    }
    Ok(uploaded)
}
