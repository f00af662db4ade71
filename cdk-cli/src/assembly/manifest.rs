//! Typed model of a cloud assembly's `manifest.json` (cloud-assembly schema, version 55).
//!
//! Only what rcdk reads is typed; unknown fields are ignored so that assemblies written by
//! aws-cdk-lib (any schema version up to the supported one) load.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

/// The root of `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssemblyManifest {
    /// Schema version, e.g. `"55.0.0"` (aws-cdk-lib writes e.g. `"36.0.0"`).
    pub version: String,
    /// Artifacts as (artifact ID, artifact), in manifest order.
    #[serde(default, deserialize_with = "in_order")]
    pub artifacts: Vec<(String, ArtifactManifest)>,
    /// Context lookups the app could not resolve.
    #[serde(default)]
    pub missing: Vec<Value>,
}

/// Deserializes a JSON object into its (key, value) pairs in file order.
fn in_order<'de, D>(de: D) -> Result<Vec<(String, ArtifactManifest)>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Vec<(String, ArtifactManifest)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object of artifacts")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    de.deserialize_map(Visitor)
}

/// The kinds of artifact the schema knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ArtifactType {
    /// `none`.
    #[serde(rename = "none")]
    None,
    /// A CloudFormation stack.
    #[serde(rename = "aws:cloudformation:stack")]
    Stack,
    /// The construct tree (`tree.json`).
    #[serde(rename = "cdk:tree")]
    Tree,
    /// An asset manifest (`<stack>.assets.json`).
    #[serde(rename = "cdk:asset-manifest")]
    AssetManifest,
    /// A nested cloud assembly (a Stage).
    #[serde(rename = "cdk:cloud-assembly")]
    NestedAssembly,
    /// A feature flag report.
    #[serde(rename = "cdk:feature-flag-report")]
    FeatureFlagReport,
    /// Any type this rcdk does not know (ignored).
    #[serde(other)]
    Unknown,
}

/// One artifact of the manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactManifest {
    /// The artifact type.
    #[serde(rename = "type")]
    pub artifact_type: ArtifactType,
    /// `aws://ACCOUNT/REGION` for stacks.
    #[serde(default)]
    pub environment: Option<String>,
    /// Metadata entries by construct path.
    #[serde(default)]
    pub metadata: BTreeMap<String, Vec<MetadataEntry>>,
    /// A file (relative to the assembly) holding more metadata, written by newer aws-cdk-lib.
    #[serde(default)]
    pub additional_metadata_file: Option<String>,
    /// IDs of artifacts this one depends on.
    #[serde(default)]
    pub dependencies: Vec<String>,
    /// Type-specific properties (see [`StackProperties`]).
    #[serde(default)]
    pub properties: Option<Value>,
    /// Human-readable name (the hierarchical construct path for stacks).
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One metadata entry.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct MetadataEntry {
    /// The entry type, e.g. `aws:cdk:logicalId`, `aws:cdk:warning`.
    #[serde(rename = "type")]
    pub entry_type: String,
    /// The entry's data (free form).
    #[serde(default)]
    pub data: Option<Value>,
    /// Stack trace of where the entry was added.
    #[serde(default)]
    pub trace: Option<Vec<String>>,
}

/// Properties of an `aws:cloudformation:stack` artifact.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StackProperties {
    /// The template file, relative to the assembly directory.
    pub template_file: String,
    /// The deployed stack name (defaults to the artifact ID).
    #[serde(default)]
    pub stack_name: Option<String>,
    /// Stack-level tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Template parameter values.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Whether termination protection is on.
    #[serde(default)]
    pub termination_protection: Option<bool>,
    /// Role to assume to deploy.
    #[serde(default)]
    pub assume_role_arn: Option<String>,
    /// Role CloudFormation uses to deploy.
    #[serde(default)]
    pub cloud_formation_execution_role_arn: Option<String>,
    /// `s3://` URL of the uploaded template.
    #[serde(default)]
    pub stack_template_asset_object_url: Option<String>,
    /// Minimum bootstrap stack version.
    #[serde(default)]
    pub requires_bootstrap_stack_version: Option<u32>,
    /// SSM parameter holding the bootstrap version.
    #[serde(default)]
    pub bootstrap_stack_version_ssm_parameter: Option<String>,
    /// Any other properties, kept as is.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
