//! Reading a cloud assembly (`manifest.json` + templates) and selecting stacks from it.
//!
//! Loading parses the manifests only; templates are read on demand ([`Stack::template`]), so
//! `rcdk ls` stays fast on large assemblies. Nested assemblies (`cdk:cloud-assembly`
//! artifacts, one per aws-cdk-lib or rcdk `Stage`) are read too: their stacks join the list in
//! the order the cdk CLI's `stacksRecursively` gives (the root's stacks, then each nested
//! assembly's, breadth first), each knowing the assembly it belongs to.

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

/// How deep nested assemblies may go (a stage in a stage in ...): deeper is refused, which also
/// stops a directory that links back to itself.
pub const MAX_NESTING: usize = 32;

/// A loaded cloud assembly.
#[derive(Debug, Clone)]
pub struct Assembly {
    /// The assembly directory.
    pub dir: PathBuf,
    /// The manifest's schema version string.
    pub version: String,
    /// The stack artifacts: the root assembly's in manifest order, then those of the nested
    /// assemblies, breadth first (the cdk CLI's `stacksRecursively`).
    pub stacks: Vec<Stack>,
    /// The nested assemblies (`cdk:cloud-assembly` artifacts), breadth first.
    pub nested: Vec<NestedAssembly>,
    /// Context lookups the app could not resolve (the root manifest's `missing` entries, which
    /// include those of nested assemblies, as aws-cdk-lib reports them to the parent too).
    pub missing: Vec<MissingContext>,
}

/// A nested cloud assembly (a stage's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedAssembly {
    /// The artifact ID in its parent's manifest (`assembly-PipelineStack-Dev`).
    pub id: String,
    /// The display name (the stage's construct path, `PipelineStack/Dev`); the ID when absent.
    pub display_name: String,
    /// Its directory.
    pub dir: PathBuf,
    /// The display name of the assembly it is nested in (`None` for the root).
    pub parent: Option<String>,
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
    /// The directory of the (nested) assembly whose manifest lists this stack.
    pub assembly_dir: PathBuf,
    /// The display name of the nested assembly (stage) holding the stack; `None` for a stack
    /// of the root assembly (a "top-level" stack in the cdk CLI's words).
    pub nested_in: Option<String>,
}

impl Stack {
    /// The name the cdk CLI lists the stack by (its `displayName`): the hierarchical ID, with
    /// the CloudFormation stack name in parentheses when it differs from the artifact ID
    /// (`PipelineStack/Dev/Application (dev-Application)`).
    pub fn listed_name(&self) -> String {
        if self.stack_name == self.id {
            self.display_name.clone()
        } else {
            format!("{} ({})", self.display_name, self.stack_name)
        }
    }

    /// True for a stack of the root assembly (not inside a stage).
    pub fn is_top_level(&self) -> bool {
        self.nested_in.is_none()
    }

    /// Reads and parses the stack's template (JSON; it must be an object).
    pub fn template(&self) -> Result<Value> {
        crate::yaml::require_template_object(read_json(&self.template_path)?, &self.template_path)
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

/// The directory `name` (a nested assembly's `directoryName`) inside `dir`: one plain path
/// component (no separator, `.` or `..`), so a nested assembly never leaves its parent.
fn nested_dir_inside(dir: &Path, name: &str) -> Option<PathBuf> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(std::path::Component::Normal(_)), None) if !name.contains(['/', '\\']) => {
            Some(dir.join(name))
        }
        _ => None,
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

/// `file` (a path from the manifest) resolved inside the assembly `dir`; `None` when it is
/// empty, absolute or has a `..` part (which could climb out of the assembly; no assembly
/// writer needs one).
pub fn path_inside(dir: &Path, file: &str) -> Option<PathBuf> {
    use std::path::Component;
    let relative = Path::new(file);
    let mut named = false;
    for component in relative.components() {
        match component {
            Component::Normal(_) => named = true,
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    named.then(|| dir.join(relative))
}

/// Parses the major number of a schema version string (`"55.0.0"` → 55).
pub fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.trim().parse().ok()
}

impl Assembly {
    /// Loads the assembly in `dir` and its nested assemblies: checks each manifest's schema
    /// version first (a newer major version is refused), then reads the stack artifacts.
    /// Templates are not read. A nested assembly's `directoryName` must stay inside its parent;
    /// artifact IDs of stacks must be unique across all assemblies (dependencies name them).
    pub fn load(dir: &Path) -> Result<Self> {
        let mut root = Self::load_one(dir, None)?;
        let mut queue: std::collections::VecDeque<(NestedAssembly, usize)> =
            root.nested.drain(..).map(|n| (n, 1)).collect();
        while let Some((nested, depth)) = queue.pop_front() {
            if depth > MAX_NESTING {
                return Err(CliError::BadArtifact {
                    path: nested.dir.clone(),
                    stack: nested.id.clone(),
                    problem: format!(
                        "nested assemblies go deeper than {MAX_NESTING} levels (does a directory link back to its parent?)"
                    ),
                });
            }
            let mut inner = Self::load_one(&nested.dir, Some(&nested.display_name))?;
            root.stacks.append(&mut inner.stacks);
            queue.extend(inner.nested.drain(..).map(|n| (n, depth + 1)));
            root.nested.push(nested);
        }
        root.resolve_dependencies()?;
        Ok(root)
    }

    /// Keeps the dependencies that name stacks, of any assembly (aws-cdk-lib refuses
    /// dependencies across stages, so they only come from other tools; rcdk honours them in
    /// deploy order rather than failing as the cdk CLI does). A dependency on an artifact that
    /// no manifest lists is refused, and so is an artifact ID used by two stacks.
    fn resolve_dependencies(&mut self) -> Result<()> {
        let mut seen: BTreeMap<&str, &Stack> = BTreeMap::new();
        for s in &self.stacks {
            if let Some(first) = seen.insert(&s.id, s) {
                return Err(CliError::BadArtifact {
                    path: s.assembly_dir.join("manifest.json"),
                    stack: s.id.clone(),
                    problem: format!(
                        "the artifact ID is also used by {} in {}; stack artifact IDs must be unique across nested assemblies",
                        first.display_name,
                        first.assembly_dir.display()
                    ),
                });
            }
        }
        let ids: std::collections::HashSet<String> =
            self.stacks.iter().map(|s| s.id.clone()).collect();
        for s in &mut self.stacks {
            if let Some(unknown) = s.dependencies.iter().find(|d| !ids.contains(*d)) {
                return Err(CliError::UnknownDependency {
                    manifest: s.assembly_dir.join("manifest.json"),
                    stack: s.id.clone(),
                    dependency: unknown.clone(),
                });
            }
            s.dependencies.retain(|d| ids.contains(d));
        }
        Ok(())
    }

    /// Loads one manifest (not its nested assemblies, which are listed in `nested`).
    fn load_one(dir: &Path, nested_in: Option<&str>) -> Result<Self> {
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
        Self::from_manifest(dir, &path, manifest, nested_in)
    }

    fn from_manifest(
        dir: &Path,
        path: &Path,
        manifest: AssemblyManifest,
        nested_in: Option<&str>,
    ) -> Result<Self> {
        let mut nested = Vec::new();
        for (id, a) in &manifest.artifacts {
            if a.artifact_type != ArtifactType::NestedAssembly {
                continue;
            }
            let bad = |problem: String| CliError::BadArtifact {
                path: path.to_path_buf(),
                stack: id.clone(),
                problem,
            };
            let properties = a.properties.as_ref();
            let directory = properties
                .and_then(|p| p.get("directoryName")?.as_str())
                .ok_or_else(|| bad("the nested assembly has no `directoryName`".into()))?;
            let nested_dir = nested_dir_inside(dir, directory).ok_or_else(|| {
                bad(format!(
                    "`directoryName` {directory:?} is not a directory name inside the assembly"
                ))
            })?;
            let display_name = properties
                .and_then(|p| p.get("displayName")?.as_str())
                .or(a.display_name.as_deref())
                .unwrap_or(id)
                .to_string();
            nested.push(NestedAssembly {
                id: id.clone(),
                display_name,
                dir: nested_dir,
                parent: nested_in.map(str::to_string),
            });
        }
        let mut asset_manifests: BTreeMap<&str, PathBuf> = BTreeMap::new();
        for (id, a) in &manifest.artifacts {
            if a.artifact_type != ArtifactType::AssetManifest {
                continue;
            }
            let Some(file) = a.properties.as_ref().and_then(|p| p.get("file")?.as_str()) else {
                continue;
            };
            let resolved = path_inside(dir, file).ok_or_else(|| CliError::BadArtifact {
                path: path.to_path_buf(),
                stack: id.clone(),
                problem: format!("`file` {file:?} is outside the assembly directory"),
            })?;
            asset_manifests.insert(id.as_str(), resolved);
        }
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
            let template_path = path_inside(dir, &properties.template_file).ok_or_else(|| {
                bad(format!(
                    "`templateFile` {:?} is outside the assembly directory",
                    properties.template_file
                ))
            })?;
            if !template_path.is_file() {
                return Err(bad(format!(
                    "its template {} does not exist",
                    template_path.display()
                )));
            }
            let additional_metadata_file = match &artifact.additional_metadata_file {
                None => None,
                Some(f) => Some(path_inside(dir, f).ok_or_else(|| {
                    bad(format!(
                        "`additionalMetadataFile` {f:?} is outside the assembly directory"
                    ))
                })?),
            };
            // Dependencies on this manifest's other artifacts (asset manifests) are left out;
            // those naming stacks are resolved against every assembly's once all are loaded.
            let dependencies = artifact
                .dependencies
                .iter()
                .filter(|d| {
                    manifest
                        .artifacts
                        .iter()
                        .find(|(id, _)| id == *d)
                        .is_none_or(|(_, a)| a.artifact_type == ArtifactType::Stack)
                })
                .cloned()
                .collect();
            stacks.push(Stack {
                id: id.clone(),
                display_name: artifact.display_name.clone().unwrap_or_else(|| id.clone()),
                stack_name: properties.stack_name.clone().unwrap_or_else(|| id.clone()),
                environment: Environment::parse(artifact.environment.as_deref()),
                dependencies,
                template_path,
                additional_metadata_file,
                metadata: artifact.metadata.clone(),
                asset_manifests: artifact
                    .dependencies
                    .iter()
                    .filter_map(|d| asset_manifests.get(d.as_str()).cloned())
                    .collect(),
                properties,
                assembly_dir: dir.to_path_buf(),
                nested_in: nested_in.map(str::to_string),
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
            nested,
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
    fn manifest_paths_stay_inside_the_assembly() {
        let dir = Path::new("/asm");
        assert_eq!(
            path_inside(dir, "A.template.json"),
            Some(dir.join("A.template.json"))
        );
        assert_eq!(
            path_inside(dir, "./sub/A.json"),
            Some(dir.join("./sub/A.json"))
        );
        for bad in [
            "/etc/passwd",
            "../x.json",
            "../../x",
            "sub/../A.json",
            "",
            ".",
        ] {
            assert_eq!(path_inside(dir, bad), None, "{bad}");
        }
    }

    #[test]
    fn major_version_parses() {
        assert_eq!(major_version("55.0.0"), Some(55));
        assert_eq!(major_version("36.0.0"), Some(36));
        assert_eq!(major_version("x"), None);
    }
}
