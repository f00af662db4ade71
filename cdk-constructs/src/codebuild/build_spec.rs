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

    /// Problems with the spec (an inline spec must be an object with a `version`).
    pub fn errors(&self) -> Vec<String> {
        let has_version = match &self.0 {
            Spec::Json(v) => v.get("version").is_some(),
            Spec::Tokens(v) => v.as_map().is_none_or(|m| m.contains_key("version")),
            Spec::File(f) => {
                return if f.is_empty() {
                    vec!["the build spec file name must not be empty".into()]
                } else {
                    Vec::new()
                }
            }
        };
        if has_version {
            Vec::new()
        } else {
            vec!["an inline build spec must have a 'version' key (e.g. \"0.2\")".into()]
        }
    }
}

/// JSON text of `value` as a string token, computed at synth: literal parts are serialized,
/// deploy-time values are spliced in (in string position, quoted), like aws-cdk-lib's
/// `toJsonString`. `Fn::GetArtifactAtt` / `Fn::GetParam` objects (CodePipeline parameter
/// override functions) stay JSON objects.
pub(crate) fn json_string(value: Value, pretty: bool) -> Str {
    Str::lazy(move || {
        let mut w = Writer {
            parts: Vec::new(),
            text: String::new(),
            pretty,
        };
        w.value(&value, 0);
        w.finish()
    })
}

struct Writer {
    parts: Vec<Str>,
    text: String,
    pretty: bool,
}

/// A one-key object naming a CloudFormation intrinsic (not a CodePipeline pseudo-function).
fn is_cfn_intrinsic(map: &cdk_core::ValueMap) -> bool {
    map.len() == 1
        && map.keys().next().is_some_and(|k| {
            k == "Ref"
                || (k.starts_with("Fn::") && k != "Fn::GetArtifactAtt" && k != "Fn::GetParam")
        })
}

fn escape_inner(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

impl Writer {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.parts.push(Str::from(std::mem::take(&mut self.text)));
        }
    }

    fn token(&mut self, v: Value) {
        self.flush();
        self.parts.push(Str::from_value(v));
    }

    fn finish(mut self) -> Str {
        self.flush();
        Str::concat(self.parts)
    }

    fn newline(&mut self, depth: usize) {
        if self.pretty {
            self.text.push('\n');
            self.text.push_str(&"  ".repeat(depth));
        }
    }

    /// A string-typed value inside quotes.
    fn string_part(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.text.push_str(&escape_inner(s)),
            Value::Concat(parts) => {
                for p in parts {
                    self.string_part(p);
                }
            }
            Value::Lazy(l) => {
                let produced = l.produce();
                self.string_part(&produced);
            }
            Value::Number(n) => self.text.push_str(&n.to_string()),
            Value::Bool(b) => self.text.push_str(&b.to_string()),
            other => self.token(other.clone()),
        }
    }

    fn value(&mut self, v: &Value, depth: usize) {
        match v {
            Value::Null => self.text.push_str("null"),
            Value::Bool(b) => self.text.push_str(&b.to_string()),
            Value::Number(n) => self.text.push_str(&n.to_string()),
            Value::String(s) => self
                .text
                .push_str(&serde_json::to_string(s).unwrap_or_default()),
            Value::Lazy(l) => {
                let produced = l.produce();
                self.value(&produced, depth);
            }
            Value::List(items) => {
                if items.is_empty() {
                    self.text.push_str("[]");
                    return;
                }
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.text.push(']');
            }
            Value::Map(map) if is_cfn_intrinsic(map) => {
                self.text.push('"');
                self.token(v.clone());
                self.text.push('"');
            }
            Value::Map(map) => {
                if map.is_empty() {
                    self.text.push_str("{}");
                    return;
                }
                self.text.push('{');
                for (i, (k, item)) in map.iter().enumerate() {
                    if i > 0 {
                        self.text.push(',');
                    }
                    self.newline(depth + 1);
                    self.text
                        .push_str(&serde_json::to_string(k).unwrap_or_default());
                    self.text.push_str(if self.pretty { ": " } else { ":" });
                    self.value(item, depth + 1);
                }
                self.newline(depth);
                self.text.push('}');
            }
            Value::Ref(_) | Value::Pseudo(_) | Value::Concat(_) => {
                self.text.push('"');
                self.string_part(v);
                self.text.push('"');
            }
        }
    }
}

/// Renders `(key, value)` pairs in the given order as a compact JSON object string token;
/// keys may be tokens (e.g. another stack's parameter logical IDs).
#[cfg_attr(not(feature = "codepipeline"), allow(dead_code))]
pub(crate) fn json_object_string(pairs: Vec<(Str, Value)>) -> Str {
    Str::lazy(move || {
        let mut w = Writer {
            parts: Vec::new(),
            text: String::new(),
            pretty: false,
        };
        w.text.push('{');
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                w.text.push(',');
            }
            w.text.push('"');
            w.string_part(k.value());
            w.text.push_str("\":");
            w.value(v, 0);
        }
        w.text.push('}');
        w.finish()
    })
}
