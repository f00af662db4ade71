//! Reading a cloud assembly (`manifest.json` + templates) and selecting stacks from it.
//!
//! Loading parses the manifest only; templates are read on demand ([`Stack::template`]), so
//! `rcdk ls` stays fast on large assemblies.

pub mod glob;
pub mod manifest;
mod select;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

pub use manifest::{
    ArtifactManifest, ArtifactType, AssemblyManifest, MetadataEntry, StackProperties,
};
pub use select::DefaultSelection;

use crate::error::{CliError, Result};

/// The newest cloud-assembly schema major version this rcdk reads.
pub const SUPPORTED_MAJOR: u32 = 55;
/// [`SUPPORTED_MAJOR`] as a full version string.
pub const SUPPORTED_VERSION_STRING: &str = "55.0.0";

/// A loaded cloud assembly.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// The assembly directory.
    pub dir: PathBuf,
    /// The manifest's schema version string.
    pub version: String,
    /// The stack artifacts, in manifest order.
    pub stacks: Vec<Stack>,
    /// Context lookups the app could not resolve (the manifest's `missing` entries).
    pub missing: Vec<MissingContext>,
}

/// One entry of the manifest's `missing` list: a context value the app asked for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MissingContext {
    /// The context key the value is stored under (`ssm:account=…:parameterName=…:region=…`).
    pub key: String,
    /// The provider that can look it up (`ssm`, `availability-zones`, `vpc-provider`, ...).
    pub provider: String,
    /// The provider's query (account, region, lookup role, provider-specific fields).
    #[serde(default)]
    pub props: serde_json::Map<String, Value>,
}

/// A stack's target environment, from `aws://ACCOUNT/REGION`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The full `aws://ACCOUNT/REGION` string.
    pub name: String,
    /// The account, or `unknown-account`.
    pub account: String,
    /// The region, or `unknown-region`.
    pub region: String,
}

impl Environment {
    /// Parses `aws://ACCOUNT/REGION`; anything else yields unknown account and region.
    pub fn parse(env: Option<&str>) -> Self {
        let name = env.unwrap_or("aws://unknown-account/unknown-region");
        let parsed = name
            .strip_prefix("aws://")
            .and_then(|rest| rest.split_once('/'))
            .filter(|(a, r)| !a.is_empty() && !r.is_empty() && !r.contains('/'));
        let (account, region) = parsed.unwrap_or(("unknown-account", "unknown-region"));
        Environment {
            name: name.to_string(),
            account: account.to_string(),
            region: region.to_string(),
        }
    }
}

/// One stack artifact.
#[derive(Debug, Clone)]
pub struct Stack {
    /// The artifact ID (the key in `manifest.json`).
    pub id: String,
    /// The display name (hierarchical construct path, e.g. `Stage/Api`); the ID when absent.
    pub display_name: String,
    /// The CloudFormation stack name (`properties.stackName`, else the ID).
    pub stack_name: String,
    /// The target environment.
    pub environment: Environment,
    /// Artifact IDs of the stacks this one depends on (non-stack artifacts left out).
    pub dependencies: Vec<String>,
    /// The stack's properties from the manifest.
    pub properties: StackProperties,
    /// The stack's metadata from the manifest.
    pub metadata: BTreeMap<String, Vec<MetadataEntry>>,
    /// Absolute path of `additionalMetadataFile`, if any.
    pub additional_metadata_file: Option<PathBuf>,
    /// Absolute path of the template file.
    pub template_path: PathBuf,
    /// Absolute paths of the asset manifests (`<id>.assets.json`) of the asset-manifest
    /// artifacts this stack depends on.
    pub asset_manifests: Vec<PathBuf>,
}

impl Stack {
    /// Reads and parses the stack's template (JSON).
    pub fn template(&self) -> Result<Value> {
        read_json(&self.template_path)
    }

    /// All metadata entries (manifest plus `additionalMetadataFile`) as (construct path, entry).
    pub fn metadata_entries(&self) -> Result<Vec<(String, MetadataEntry)>> {
        let mut out: Vec<(String, MetadataEntry)> = self
            .metadata
            .iter()
            .flat_map(|(p, es)| es.iter().map(move |e| (p.clone(), e.clone())))
            .collect();
        if let Some(file) = &self.additional_metadata_file {
            let extra: BTreeMap<String, Vec<MetadataEntry>> =
                serde_json::from_value(read_json(file)?).map_err(|source| CliError::Json {
                    path: file.clone(),
                    source,
                })?;
            out.extend(
                extra
                    .into_iter()
                    .flat_map(|(p, es)| es.into_iter().map(move |e| (p.clone(), e))),
            );
        }
        Ok(out)
    }

    /// Construct paths by logical ID, from the `aws:cdk:logicalId` metadata entries.
    pub fn construct_paths(&self) -> Result<std::collections::HashMap<String, String>> {
        Ok(self
            .metadata_entries()?
            .into_iter()
            .filter(|(_, e)| e.entry_type == "aws:cdk:logicalId")
            .filter_map(|(path, e)| match e.data {
                Some(Value::String(id)) => Some((id, path.trim_start_matches('/').to_string())),
                _ => None,
            })
            .collect())
    }

    /// A string property of the manifest's `properties` not typed in [`StackProperties`]
    /// (e.g. `lookupRole.arn` as `["lookupRole", "arn"]`).
    pub fn extra_property(&self, path: &[&str]) -> Option<&str> {
        let (first, rest) = path.split_first()?;
        let mut v = self.properties.other.get(*first)?;
        for key in rest {
            v = v.get(key)?;
        }
        v.as_str()
    }

    /// Messages of the given metadata type (`aws:cdk:error`, `aws:cdk:warning`, `aws:cdk:info`)
    /// as (construct path, message).
    pub fn messages(&self, entry_type: &str) -> Result<Vec<(String, String)>> {
        Ok(self
            .metadata_entries()?
            .into_iter()
            .filter(|(_, e)| e.entry_type == entry_type)
            .map(|(path, e)| {
                let msg = match e.data {
                    Some(Value::String(s)) => s,
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                (path, msg)
            })
            .collect())
    }
}

/// Reads a JSON file, naming the file in errors.
pub fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| CliError::Json {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses the major number of a schema version string (`"55.0.0"` → 55).
pub fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

impl Assembly {
    /// Loads the assembly in `dir`: checks the schema version first (a newer major version is
    /// refused), then reads the stack artifacts. Templates are not read.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join("manifest.json");
        if !path.is_file() {
            return Err(CliError::NotAnAssembly {
                dir: dir.to_path_buf(),
            });
        }
        let text = std::fs::read_to_string(&path).map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;

        #[derive(Deserialize)]
        struct VersionOnly {
            version: Value,
        }
        let v: VersionOnly = serde_json::from_str(&text).map_err(|source| CliError::Json {
            path: path.clone(),
            source,
        })?;
        let version = match v.version {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let major = major_version(&version).ok_or_else(|| CliError::BadVersion {
            path: path.clone(),
            version: version.clone(),
        })?;
        if major > SUPPORTED_MAJOR {
            return Err(CliError::UnsupportedVersion {
                path,
                found: version,
                supported: SUPPORTED_MAJOR,
            });
        }

        let manifest: AssemblyManifest =
            serde_json::from_str(&text).map_err(|source| CliError::Json {
                path: path.clone(),
                source,
            })?;
        Self::from_manifest(dir, &path, manifest)
    }

    fn from_manifest(dir: &Path, path: &Path, manifest: AssemblyManifest) -> Result<Self> {
        let stack_ids: Vec<&str> = manifest
            .artifacts
            .iter()
            .filter(|(_, a)| a.artifact_type == ArtifactType::Stack)
            .map(|(id, _)| id.as_str())
            .collect();
        let asset_manifests: BTreeMap<&str, PathBuf> = manifest
            .artifacts
            .iter()
            .filter(|(_, a)| a.artifact_type == ArtifactType::AssetManifest)
            .filter_map(|(id, a)| {
                let file = a.properties.as_ref()?.get("file")?.as_str()?;
                Some((id.as_str(), dir.join(file)))
            })
            .collect();
        let mut stacks = Vec::new();
        for (id, artifact) in &manifest.artifacts {
            if artifact.artifact_type != ArtifactType::Stack {
                continue;
            }
            let bad = |problem: String| CliError::BadArtifact {
                path: path.to_path_buf(),
                stack: id.clone(),
                problem,
            };
            let props_value = artifact
                .properties
                .clone()
                .ok_or_else(|| bad("missing `properties`".into()))?;
            let properties: StackProperties = serde_json::from_value(props_value)
                .map_err(|e| bad(format!("invalid `properties`: {e}")))?;
            let dependencies = artifact
                .dependencies
                .iter()
                .filter(|d| stack_ids.contains(&d.as_str()))
                .cloned()
                .collect();
            stacks.push(Stack {
                id: id.clone(),
                display_name: artifact.display_name.clone().unwrap_or_else(|| id.clone()),
                stack_name: properties.stack_name.clone().unwrap_or_else(|| id.clone()),
                environment: Environment::parse(artifact.environment.as_deref()),
                dependencies,
                template_path: dir.join(&properties.template_file),
                additional_metadata_file: artifact
                    .additional_metadata_file
                    .as_ref()
                    .map(|f| dir.join(f)),
                metadata: artifact.metadata.clone(),
                asset_manifests: artifact
                    .dependencies
                    .iter()
                    .filter_map(|d| asset_manifests.get(d.as_str()).cloned())
                    .collect(),
                properties,
            });
        }
        let missing = manifest
            .missing
            .iter()
            .map(|m| {
                serde_json::from_value(m.clone()).map_err(|e| CliError::BadArtifact {
                    path: path.to_path_buf(),
                    stack: "missing".into(),
                    problem: format!("invalid `missing` entry {m}: {e}"),
                })
            })
            .collect::<Result<Vec<MissingContext>>>()?;
        Ok(Assembly {
            dir: dir.to_path_buf(),
            version: manifest.version,
            stacks,
            missing,
        })
    }

    /// The stack with this artifact ID.
    pub fn stack(&self, id: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.id == id)
    }

    /// Display names of every stack, in manifest order.
    pub fn display_names(&self) -> Vec<String> {
        self.stacks.iter().map(|s| s.display_name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_parses_account_and_region() {
        let e = Environment::parse(Some("aws://123456789012/eu-west-1"));
        assert_eq!(
            (e.account.as_str(), e.region.as_str()),
            ("123456789012", "eu-west-1")
        );
        let e = Environment::parse(None);
        assert_eq!(e.account, "unknown-account");
        assert_eq!(e.name, "aws://unknown-account/unknown-region");
    }

    #[test]
    fn major_version_parses() {
        assert_eq!(major_version("55.0.0"), Some(55));
        assert_eq!(major_version("36.0.0"), Some(36));
        assert_eq!(major_version("x"), None);
    }
}
