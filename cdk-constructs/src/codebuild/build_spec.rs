//! Build specs, and the token-aware JSON rendering shared with the pipeline actions
//! (aws-cdk-lib's `Stack.toJsonString`).

use cdk_core::{Str, Value};

/// A build spec: inline (rendered into the project as aws-cdk-lib renders it) or a file in
/// the source.
///
/// ```
/// use cdk_constructs::codebuild::BuildSpec;
/// let spec = BuildSpec::from_object(serde_json::json!({
///     "version": "0.2",
///     "phases": { "build": { "commands": ["make"] } },
/// }));
/// assert_eq!(
///     spec.to_build_spec().literal(),
///     Some("{\n  \"version\": \"0.2\",\n  \"phases\": {\n    \"build\": {\n      \"commands\": [\n        \"make\"\n      ]\n    }\n  }\n}")
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BuildSpec(Spec);

#[derive(Clone, Debug, PartialEq)]
enum Spec {
    Json(serde_json::Value),
    Tokens(Value),
    File(String),
}

impl BuildSpec {
    /// An inline build spec from a JSON object, rendered as JSON with two-space indentation,
    /// keys in the order written (exactly as aws-cdk-lib's `BuildSpec.fromObject`).
    pub fn from_object(spec: serde_json::Value) -> BuildSpec {
        BuildSpec(Spec::Json(spec))
    }

    /// An inline build spec that contains tokens (e.g. a bucket name): rendered at synth into
    /// a JSON string (`Fn::Join` around the deploy-time values). Object keys are sorted.
    pub fn from_object_with_tokens(spec: impl Into<Value>) -> BuildSpec {
        BuildSpec(Spec::Tokens(spec.into()))
    }

    /// A build spec file in the source (`buildspec.yml` by default in CodeBuild).
    pub fn from_source_filename(filename: &str) -> BuildSpec {
        BuildSpec(Spec::File(filename.to_string()))
    }

    /// True when the spec is inline (required for projects without a source of their own).
    pub fn is_immediate(&self) -> bool {
        !matches!(self.0, Spec::File(_))
    }

    /// The project's `BuildSpec` property.
    pub fn to_build_spec(&self) -> Str {
        match &self.0 {
            Spec::Json(v) => Str::from(serde_json::to_string_pretty(v).unwrap_or_default()),
            Spec::Tokens(v) => json_string(v.clone(), true),
            Spec::File(f) => Str::from(f.as_str()),
        }
    }

    /// Problems that make the spec unusable (an empty file name).
    pub fn errors(&self) -> Vec<String> {
        match &self.0 {
            Spec::File(f) if f.is_empty() => {
                vec!["the build spec file name must not be empty".into()]
            }
            _ => Vec::new(),
        }
    }

    /// Likely mistakes aws-cdk-lib accepts: an inline spec without a `version` (CodeBuild
    /// rejects it when the build starts).
    pub fn warnings(&self) -> Vec<String> {
        let has_version = match &self.0 {
            Spec::Json(v) => v.get("version").is_some(),
            Spec::Tokens(v) => v.as_map().is_none_or(|m| m.contains_key("version")),
            Spec::File(_) => true,
        };
        if has_version {
            Vec::new()
        } else {
            vec!["an inline build spec should have a 'version' key (e.g. \"0.2\"); CodeBuild refuses it without one".into()]
        }
    }
}

/// JSON text of `value` as a string token (cdk-core's token-aware `to_json_string`, two-space
/// indentation when `pretty`).
pub(crate) fn json_string(value: Value, pretty: bool) -> Str {
    cdk_core::json::to_json_string(value, if pretty { 2 } else { 0 })
}

/// Renders `(key, value)` pairs in the given order as a compact JSON object string token;
/// keys may be tokens (e.g. another stack's parameter logical IDs).
#[cfg_attr(not(feature = "codepipeline"), allow(dead_code))]
pub(crate) fn json_object_string(pairs: Vec<(Str, Value)>) -> Str {
    cdk_core::json::to_json_string(cdk_core::json::ordered_object(pairs), 0)
}
