//! The comparer: normalises what must differ between an aws-cdk integ snapshot and rcdk's
//! output, then scores one template against the other.
//!
//! Normalised away (on both sides), and nothing else:
//! - asset hashes: any run of exactly 64 lower-case hex digits inside a string (S3 object keys
//!   such as `<hash>.zip`, asset bucket/key parameters, image tags) becomes `<asset-hash>`;
//! - `AWS::CDK::Metadata` resources (version reporting) and the `CDKMetadataAvailable`
//!   condition they use;
//! - the bootstrap parameter `BootstrapVersion` and rule `CheckBootstrapVersion`;
//! - sections left empty by the removals above.
//!
//! Everything else, including `Metadata` such as `aws:cdk:path`, `DependsOn` order and number
//! representation, is compared exactly.

use serde_json::{Map, Value};

/// Placeholder that replaces asset hashes.
pub const ASSET_HASH: &str = "<asset-hash>";

/// Template sections compared entry by entry besides `Resources` and `Outputs`.
pub const OTHER_SECTIONS: &[&str] = &["Parameters", "Conditions", "Mappings", "Rules"];

/// Returns `template` with the integ-runner- and asset-specific parts normalised.
pub fn normalize(template: &Value) -> Value {
    let mut t = template.clone();
    if let Some(obj) = t.as_object_mut() {
        remove_entry(obj, "Parameters", "BootstrapVersion");
        remove_entry(obj, "Rules", "CheckBootstrapVersion");
        remove_entry(obj, "Conditions", "CDKMetadataAvailable");
        if let Some(Value::Object(resources)) = obj.get_mut("Resources") {
            resources
                .retain(|_, r| r.get("Type").and_then(Value::as_str) != Some("AWS::CDK::Metadata"));
        }
        for section in [
            "Parameters",
            "Rules",
            "Conditions",
            "Resources",
            "Outputs",
            "Mappings",
        ] {
            if obj
                .get(section)
                .and_then(Value::as_object)
                .is_some_and(Map::is_empty)
            {
                obj.remove(section);
            }
        }
    }
    replace_hashes(&mut t);
    t
}

fn remove_entry(obj: &mut Map<String, Value>, section: &str, key: &str) {
    if let Some(Value::Object(s)) = obj.get_mut(section) {
        s.remove(key);
    }
}

fn replace_hashes(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Some(replaced) = replace_hashes_in(s) {
                *s = replaced;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(replace_hashes),
        Value::Object(map) => {
            // Rebuilt in order: removing from an insertion-ordered map would reorder it.
            let old = std::mem::take(map);
            for (key, mut value) in old {
                replace_hashes(&mut value);
                let key = replace_hashes_in(&key).unwrap_or(key);
                map.insert(key, value);
            }
        }
        _ => {}
    }
}

/// `s` with every run of exactly 64 hex digits replaced, or `None` when it has none.
fn replace_hashes_in(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let is_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    let mut found = false;
    while i < bytes.len() {
        if is_hex(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_hex(bytes[i]) {
                i += 1;
            }
            if i - start == 64 {
                out.push_str(&s[last..start]);
                out.push_str(ASSET_HASH);
                last = i;
                found = true;
            }
        } else {
            i += 1;
        }
    }
    found.then(|| {
        out.push_str(&s[last..]);
        out
    })
}

/// One difference between expected (snapshot) and actual (rcdk) JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// JSON path from the template root, e.g. `Resources.Key.Properties.KeyPolicy`.
    pub path: String,
    /// The snapshot's value (`None`: absent).
    pub expected: Option<Value>,
    /// rcdk's value (`None`: absent).
    pub actual: Option<Value>,
}

impl Difference {
    /// True for an `aws:cdk:path` entry (or a `Metadata` holding only that) rcdk added.
    pub fn is_path_metadata(&self) -> bool {
        let only_path = |v: &Value| {
            v.as_object()
                .is_some_and(|m| m.len() == 1 && m.contains_key("aws:cdk:path"))
        };
        self.expected.is_none()
            && (self.path.ends_with(".Metadata.aws:cdk:path")
                || (self.path.ends_with(".Metadata")
                    && self.actual.as_ref().is_some_and(only_path)))
    }

    /// `path: expected X, actual Y` with values shortened to `max` characters.
    pub fn describe(&self, max: usize) -> String {
        format!(
            "{}: expected {}, actual {}",
            self.path,
            render(self.expected.as_ref(), max),
            render(self.actual.as_ref(), max)
        )
    }
}

/// Compact JSON of `v`, shortened to `max` characters (`(absent)` for none).
pub fn render(v: Option<&Value>, max: usize) -> String {
    match v {
        None => "(absent)".to_string(),
        Some(v) => {
            let text = serde_json::to_string(v).expect("JSON renders");
            if text.chars().count() > max {
                let cut: String = text.chars().take(max).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

/// Appends `segment` (an object key) to `path`.
pub fn join_key(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-' | '@' | '/'));
    match (path.is_empty(), plain) {
        (true, true) => key.to_string(),
        (_, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", serde_json::to_string(key).expect("string")),
    }
}

/// Every leaf where `expected` and `actual` differ, in document order (expected's key order,
/// then keys only `actual` has).
pub fn diff(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Difference>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = join_key(path, k);
                match a.get(k) {
                    Some(av) => diff(&p, ev, av, out),
                    None => out.push(Difference {
                        path: p,
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    out.push(Difference {
                        path: join_key(path, k),
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let p = format!("{path}[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(ev), Some(av)) => diff(&p, ev, av, out),
                    (ev, av) => out.push(Difference {
                        path: p,
                        expected: ev.cloned(),
                        actual: av.cloned(),
                    }),
                }
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(Difference {
            path: path.to_string(),
            expected: Some(e.clone()),
            actual: Some(a.clone()),
        }),
    }
}

/// How one element (resource, output, parameter, ...) compared.
#[derive(Clone, Debug)]
pub struct ElementResult {
    /// Path of the element, e.g. `Resources.MyKey6AB29FA6`.
    pub path: String,
    /// `Type` of the expected resource (empty for other elements).
    pub resource_type: String,
    /// Differences; empty means deep-equal. For an element missing in rcdk's template this
    /// holds one difference at the element's path with `actual: None`.
    pub differences: Vec<Difference>,
}

impl ElementResult {
    /// True when the element is present and deep-equal.
    pub fn equal(&self) -> bool {
        self.differences.is_empty()
    }

    /// True when the element differs only by rcdk writing `Metadata.aws:cdk:path` (which the
    /// integ runner turns off).
    pub fn only_path_metadata(&self) -> bool {
        !self.differences.is_empty() && self.differences.iter().all(Difference::is_path_metadata)
    }

    /// True when rcdk's template lacks the element.
    pub fn missing(&self) -> bool {
        matches!(self.differences.as_slice(), [d] if d.path == self.path && d.actual.is_none())
    }
}

/// The comparison of one snapshot template with rcdk's template of the same stack.
#[derive(Clone, Debug, Default)]
pub struct TemplateComparison {
    /// Template file name.
    pub file: String,
    /// Every snapshot resource, by logical ID, in snapshot order.
    pub resources: Vec<ElementResult>,
    /// Every snapshot output.
    pub outputs: Vec<ElementResult>,
    /// Every snapshot entry of [`OTHER_SECTIONS`] and top-level scalar (Description, Transform,
    /// AWSTemplateFormatVersion).
    pub others: Vec<ElementResult>,
    /// Paths of elements only rcdk's template has (resources, outputs and other entries).
    pub extra: Vec<String>,
    /// Why nothing could be compared (rcdk synthesized no such stack), if so.
    pub missing_stack: Option<String>,
}

/// Compares normalised `expected` with normalised `actual` (`None`: rcdk has no such stack).
pub fn compare_templates(
    file: &str,
    expected: &Value,
    actual: Option<&Value>,
) -> TemplateComparison {
    let expected = normalize(expected);
    let empty = Value::Object(Map::new());
    let actual_norm = actual.map(normalize);
    let actual_ref = actual_norm.as_ref().unwrap_or(&empty);
    let mut result = TemplateComparison {
        file: file.to_string(),
        missing_stack: actual
            .is_none()
            .then(|| format!("rcdk synthesized no stack with template {file}")),
        ..Default::default()
    };
    result.resources = compare_section(&expected, actual_ref, "Resources", true, &mut result.extra);
    result.outputs = compare_section(&expected, actual_ref, "Outputs", false, &mut result.extra);
    for section in OTHER_SECTIONS {
        let mut entries = compare_section(&expected, actual_ref, section, false, &mut result.extra);
        result.others.append(&mut entries);
    }
    let scalar_keys = ["AWSTemplateFormatVersion", "Description", "Transform"];
    for key in scalar_keys {
        match (expected.get(key), actual_ref.get(key)) {
            (None, None) => {}
            (Some(e), a) => {
                let mut differences = Vec::new();
                match a {
                    Some(a) => diff(key, e, a, &mut differences),
                    None => differences.push(Difference {
                        path: key.to_string(),
                        expected: Some(e.clone()),
                        actual: None,
                    }),
                }
                result.others.push(ElementResult {
                    path: key.to_string(),
                    resource_type: String::new(),
                    differences,
                });
            }
            (None, Some(_)) => result.extra.push(key.to_string()),
        }
    }
    if let (Some(e), Some(a)) = (expected.as_object(), actual_ref.as_object()) {
        for key in a.keys() {
            let known = ["Resources", "Outputs"].contains(&key.as_str())
                || OTHER_SECTIONS.contains(&key.as_str())
                || scalar_keys.contains(&key.as_str());
            if !known && !e.contains_key(key) {
                result.extra.push(key.clone());
            }
        }
    }
    result
}

fn compare_section(
    expected: &Value,
    actual: &Value,
    section: &str,
    typed: bool,
    extra: &mut Vec<String>,
) -> Vec<ElementResult> {
    let empty = Map::new();
    let e = expected
        .get(section)
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let a = actual
        .get(section)
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut results = Vec::new();
    for (id, ev) in e {
        let path = join_key(section, id);
        let mut differences = Vec::new();
        match a.get(id) {
            Some(av) => diff(&path, ev, av, &mut differences),
            None => differences.push(Difference {
                path: path.clone(),
                expected: Some(ev.clone()),
                actual: None,
            }),
        }
        let resource_type = if typed {
            ev.get("Type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        } else {
            String::new()
        };
        results.push(ElementResult {
            path,
            resource_type,
            differences,
        });
    }
    for id in a.keys() {
        if !e.contains_key(id) {
            extra.push(join_key(section, id));
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalize_removes_bootstrap_metadata_and_hashes() {
        let hash = "a".repeat(64);
        let t = json!({
            "Resources": {
                "CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"}},
                "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Key": format!("{hash}.zip")}}}
            },
            "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>"}},
            "Rules": {"CheckBootstrapVersion": {"Assertions": []}},
            "Conditions": {"CDKMetadataAvailable": {"Fn::Or": []}}
        });
        let n = normalize(&t);
        assert_eq!(
            n,
            json!({"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"S3Key": "<asset-hash>.zip"}}}}})
        );
    }

    #[test]
    fn hashes_of_other_lengths_stay() {
        assert_eq!(replace_hashes_in("MyKey6AB29FA6"), None);
        assert_eq!(replace_hashes_in(&"b".repeat(63)), None);
        assert_eq!(replace_hashes_in(&"b".repeat(65)), None);
        assert_eq!(
            replace_hashes_in(&format!("x/{}.json", "0".repeat(64))).as_deref(),
            Some("x/<asset-hash>.json")
        );
    }

    #[test]
    fn diff_reports_first_differing_leaf_path() {
        let e = json!({"Properties": {"A": [1, {"B": "x"}], "C": true}});
        let a = json!({"Properties": {"A": [1, {"B": "y"}], "D": 2}});
        let mut out = Vec::new();
        diff("Resources.R", &e, &a, &mut out);
        let paths: Vec<&str> = out.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Resources.R.Properties.A[1].B",
                "Resources.R.Properties.C",
                "Resources.R.Properties.D"
            ]
        );
        assert_eq!(out[1].actual, None);
    }

    #[test]
    fn numbers_compare_by_representation() {
        let mut out = Vec::new();
        diff("x", &json!(180), &json!(180.0), &mut out);
        assert_eq!(out.len(), 1, "180 and 180.0 render differently");
    }

    #[test]
    fn compare_templates_scores_matches_and_extras() {
        let e = json!({"Resources": {"A": {"Type": "T", "Properties": {"P": 1}}, "B": {"Type": "T"}}, "Outputs": {"O": {"Value": "v"}}});
        let a = json!({"Resources": {"A": {"Type": "T", "Properties": {"P": 1}}, "C": {"Type": "T"}}, "Outputs": {"O": {"Value": "w"}}});
        let c = compare_templates("s.template.json", &e, Some(&a));
        assert!(c.resources[0].equal());
        assert!(c.resources[1].missing());
        assert!(!c.outputs[0].equal());
        assert_eq!(c.extra, ["Resources.C"]);
        let none = compare_templates("s.template.json", &e, None);
        assert!(none.missing_stack.is_some());
        assert!(none.resources.iter().all(ElementResult::missing));
    }
}
