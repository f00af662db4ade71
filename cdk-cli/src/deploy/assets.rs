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

/// Which destinations of an asset manifest to publish, as cdk-assets' selectors:
/// `ASSET_ID:DESTINATION_ID`, `ASSET_ID` (every destination of that asset) or `:DESTINATION_ID`
/// (that destination of every asset). aws-cdk-lib's pipelines write `ASSET_ID:DESTINATION_ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetSelector {
    /// The asset ID (the source hash), `None` for any.
    pub asset: Option<String>,
    /// The destination ID (`ACCOUNT-REGION` for the default synthesizer), `None` for any.
    pub destination: Option<String>,
}

impl AssetSelector {
    /// Parses a selector; an empty one, or one with more than one `:`, is an error.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |problem: &str| CliError::InvalidArg {
            what: "asset selector".into(),
            value: text.to_string(),
            problem: problem.into(),
        };
        let part = |p: &str| (!p.is_empty()).then(|| p.to_string());
        let selector = match text.split(':').collect::<Vec<_>>().as_slice() {
            [asset] => AssetSelector {
                asset: part(asset),
                destination: None,
            },
            [asset, destination] => AssetSelector {
                asset: part(asset),
                destination: part(destination),
            },
            _ => return Err(bad("expected ASSET_ID[:DESTINATION_ID]")),
        };
        if selector.asset.is_none() && selector.destination.is_none() {
            return Err(bad("expected ASSET_ID[:DESTINATION_ID]"));
        }
        Ok(selector)
    }

    /// Whether the destination `destination` of asset `asset` is selected.
    pub fn matches(&self, asset: &str, destination: &str) -> bool {
        self.asset.as_deref().is_none_or(|a| a == asset)
            && self.destination.as_deref().is_none_or(|d| d == destination)
    }
}

impl std::fmt::Display for AssetSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let asset = self.asset.as_deref().unwrap_or_default();
        match &self.destination {
            Some(d) => write!(f, "{asset}:{d}"),
            None => write!(f, "{asset}"),
        }
    }
}

/// The environment a destination's `${AWS::...}` placeholders are resolved in (its region is
/// the one the destination is uploaded in).
pub type DestinationEnv<'e> = dyn Fn(&FileDestination) -> Result<ResolvedEnv> + Sync + 'e;

/// Publishes the file assets of `manifests` for a stack deploying to `env`. Returns the number
/// of objects uploaded.
pub fn publish(
    ctx: &Context<'_>,
    stack_label: &str,
    manifests: &[PathBuf],
    env: &ResolvedEnv,
    printer: &Printer,
) -> Result<usize> {
    let env_of = |dest: &FileDestination| -> Result<ResolvedEnv> {
        Ok(match &dest.region {
            Some(r) => ResolvedEnv::new(env.account.clone(), env.substitute(r)),
            None => env.clone(),
        })
    };
    let mut uploaded = 0;
    for manifest_path in manifests {
        uploaded += publish_manifest(ctx, stack_label, manifest_path, None, &env_of, printer)?;
    }
    Ok(uploaded)
}

/// Publishes the destinations of one asset manifest that `selectors` pick (all of them for
/// `None`), each in the environment `env_of` gives for it. A selector that picks nothing is an
/// error (a pipeline action publishing nothing would hide a mistake), and so is a selected
/// container image asset (rcdk does not build images yet). Returns the number of objects
/// uploaded (objects already present are skipped unless `--force`).
pub fn publish_manifest(
    ctx: &Context<'_>,
    label: &str,
    manifest_path: &Path,
    selectors: Option<&[AssetSelector]>,
    env_of: &DestinationEnv<'_>,
    printer: &Printer,
) -> Result<usize> {
    let manifest = read_asset_manifest(manifest_path)?;
    let selected = |asset: &str, destination: &str| {
        selectors.is_none_or(|s| s.iter().any(|sel| sel.matches(asset, destination)))
    };
    if let Some(selectors) = selectors {
        let known = manifest
            .files
            .iter()
            .flat_map(|(h, a)| a.destinations.keys().map(move |d| (h.as_str(), d.as_str())))
            .chain(manifest.docker_images.iter().flat_map(|(h, a)| {
                a.get("destinations")
                    .and_then(serde_json::Value::as_object)
                    .into_iter()
                    .flat_map(|d| d.keys())
                    .map(move |d| (h.as_str(), d.as_str()))
            }))
            .collect::<Vec<_>>();
        let unmatched: Vec<String> = selectors
            .iter()
            .filter(|sel| !known.iter().any(|(a, d)| sel.matches(a, d)))
            .map(ToString::to_string)
            .collect();
        if !unmatched.is_empty() {
            return Err(CliError::Asset {
                asset: manifest_path.display().to_string(),
                problem: format!(
                    "no asset destination matches {} (the manifest has: {})",
                    unmatched.join(", "),
                    known
                        .iter()
                        .map(|(a, d)| format!("{a}:{d}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    let images: Vec<&String> = manifest
        .docker_images
        .iter()
        .filter(|(h, a)| {
            let dests = a.get("destinations").and_then(serde_json::Value::as_object);
            match dests {
                Some(d) if !d.is_empty() => d.keys().any(|d| selected(h, d)),
                _ => selectors.is_none(),
            }
        })
        .map(|(h, _)| h)
        .collect();
    if !images.is_empty() {
        return Err(CliError::Asset {
            asset: manifest_path.display().to_string(),
            problem: format!(
                "container image assets are not supported by rcdk yet ({})",
                images
                    .iter()
                    .map(|h| h.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let mut uploaded = 0;
    for (hash, asset) in &manifest.files {
        let name = asset.display_name.as_deref().unwrap_or(hash);
        let mut content: Option<Vec<u8>> = None;
        for (dest_id, dest) in &asset.destinations {
            if !selected(hash, dest_id) {
                continue;
            }
            let env = env_of(dest)?;
            let bucket = env.substitute(&dest.bucket_name);
            let key = env.substitute(&dest.object_key);
            let role = dest.assume_role_arn.as_deref().map(|r| env.substitute(r));
            let clients = clients_with_fallback(
                ctx,
                &env.region,
                role.as_deref(),
                "publishing assets",
                printer,
            )?;
            let action = |verb: &str| format!("{label}: cannot {verb} s3://{bucket}/{key}");
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
                    "{label}: asset {name} already published (s3://{bucket}/{key})"
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
                "{label}: published asset {name} ({size} bytes) to s3://{bucket}/{key}"
            ));
        }
    }
    Ok(uploaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_parse_and_match_as_cdk_assets() {
        let full = AssetSelector::parse("abc:111111111111-us-east-1").unwrap();
        assert!(full.matches("abc", "111111111111-us-east-1"));
        assert!(!full.matches("abc", "222222222222-us-east-1"));
        assert!(!full.matches("abd", "111111111111-us-east-1"));
        assert_eq!(full.to_string(), "abc:111111111111-us-east-1");
        let asset = AssetSelector::parse("abc").unwrap();
        assert!(asset.matches("abc", "anything"));
        let dest = AssetSelector::parse(":d").unwrap();
        assert!(dest.matches("x", "d") && !dest.matches("x", "e"));
        for bad in ["", ":", "a:b:c"] {
            assert!(AssetSelector::parse(bad).is_err(), "{bad:?}");
        }
    }
}
