//! cdk-nag's `NagSuppressions`: suppressions on resources, stacks and paths.

use cdk_core::validation::{AppliesTo, Suppression, Validations};
use cdk_core::{CfnResource, IConstruct, Node, Stack, Value};
use serde_json::{json, Value as J};

/// cdk-nag's suppression helpers, on top of [`Validations::suppress`].
///
/// Besides registering the suppressions with the validation engine, they write cdk-nag's
/// `cdk_nag: {"rules_to_suppress": [{"reason", "id", "applies_to"}]}` entry into the template
/// `Metadata` of each CloudFormation resource they cover, as cdk-nag does (reasons with
/// characters beyond U+00FF are base64-encoded with `is_reason_encoded: true`). Stack-level
/// suppressions are kept by the engine only (rcdk templates have no stack `Metadata`).
///
/// ```
/// use cdk_core::validation::Suppression;
/// use cdk_core::{App, CfnResource, CfnResourceProps, IConstruct, Node, Stack, StackProps};
/// use cdk_nag::NagSuppressions;
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let group = Node::new(&stack, "Workers");
/// let role = CfnResource::new(&group, "Resource", CfnResourceProps { resource_type: "AWS::IAM::Role".into(), ..Default::default() });
/// NagSuppressions::add_resource_suppressions(&group, &[
///     Suppression::new("AwsSolutions-IAM5", "Workers read every object of their queue bucket").applies_to("Resource::<Bucket.Arn>/*"),
/// ], false);
/// // Without children, the construct's default child (`Resource`) gets it.
/// assert_eq!(cdk_core::validation::Validations::of(&role).suppressions().len(), 1);
/// assert!(role.cfn_metadata("cdk_nag").is_some());
/// ```
pub struct NagSuppressions;

impl NagSuppressions {
    /// Suppresses findings on `construct` (its default child `Resource`/`Default` when it has
    /// one) or, with `apply_to_children`, on it and every construct below it.
    pub fn add_resource_suppressions(
        construct: &impl IConstruct,
        suppressions: &[Suppression],
        apply_to_children: bool,
    ) {
        let node = construct.node();
        let target = if apply_to_children {
            node.clone()
        } else {
            default_child(node).unwrap_or_else(|| node.clone())
        };
        for s in suppressions {
            Validations::of(&target).suppress(s.clone());
        }
        if suppressions.iter().any(|s| !s.problems().is_empty()) {
            return;
        }
        let covered: Vec<Node> = if apply_to_children {
            node.find_all()
        } else {
            vec![target]
        };
        for n in covered {
            if let Some(resource) = CfnResource::from_node(&n) {
                write_metadata(&resource, suppressions);
            }
        }
    }

    /// Suppresses findings on every resource of `stack` (rcdk has no nested stacks, so
    /// `_apply_to_nested_stacks` changes nothing).
    pub fn add_stack_suppressions(
        stack: &Stack,
        suppressions: &[Suppression],
        _apply_to_nested_stacks: bool,
    ) {
        for s in suppressions {
            Validations::of(stack).suppress(s.clone());
        }
    }

    /// Suppresses findings on the construct at `path` (with or without the leading `/`,
    /// `.../Resource` naming its default child) inside `stack`. A path that names no
    /// construct is an error reported by synthesis, as cdk-nag throws.
    pub fn add_resource_suppressions_by_path(
        stack: &Stack,
        path: &str,
        suppressions: &[Suppression],
        apply_to_children: bool,
    ) {
        let wanted = path.trim_start_matches('/');
        let found: Vec<Node> = stack
            .node()
            .find_all()
            .into_iter()
            .filter(|c| {
                let p = c.path();
                p == wanted || format!("{p}/Resource") == wanted
            })
            .collect();
        if found.is_empty() {
            stack.node().add_error(&format!(
                "Suppression path \"{path}\" did not match any resource. This can occur when a resource does not exist or if a suppression is applied before a resource is created."
            ));
            return;
        }
        for node in found {
            Self::add_resource_suppressions(&node, suppressions, apply_to_children);
        }
    }
}

fn default_child(node: &Node) -> Option<Node> {
    node.try_find_child("Resource")
        .or_else(|| node.try_find_child("Default"))
}

/// cdk-nag's `toCfnFormat`: `{reason, id, applies_to?, is_reason_encoded?}`.
fn cfn_format(s: &Suppression) -> J {
    let encoded = s.reason.chars().any(|c| c as u32 > 255);
    let mut o = serde_json::Map::new();
    let reason = if encoded {
        base64(s.reason.as_bytes())
    } else {
        s.reason.clone()
    };
    o.insert("reason".into(), J::String(reason));
    o.insert("id".into(), J::String(s.id.clone()));
    if !s.applies_to.is_empty() {
        let entries = s
            .applies_to
            .iter()
            .map(|a| match a {
                AppliesTo::Finding(f) => J::String(f.clone()),
                AppliesTo::Regex(r) => json!({"regex": r}),
            })
            .collect();
        o.insert("applies_to".into(), J::Array(entries));
    }
    if encoded {
        o.insert("is_reason_encoded".into(), J::Bool(true));
    }
    J::Object(o)
}

fn write_metadata(resource: &CfnResource, suppressions: &[Suppression]) {
    let mut rules: Vec<J> = resource
        .cfn_metadata("cdk_nag")
        .and_then(|v| plain_json(&v))
        .and_then(|j| j.get("rules_to_suppress").and_then(J::as_array).cloned())
        .unwrap_or_default();
    for s in suppressions {
        let entry = cfn_format(s);
        if !rules.contains(&entry) {
            rules.push(entry);
        }
    }
    resource.add_cfn_metadata("cdk_nag", Value::from(json!({"rules_to_suppress": rules})));
}

/// A token-free value as JSON.
fn plain_json(v: &Value) -> Option<J> {
    Some(match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => J::Number(n.clone()),
        Value::String(s) => J::String(s.clone()),
        Value::List(items) => J::Array(items.iter().map(plain_json).collect::<Option<_>>()?),
        Value::Map(m) => J::Object(
            m.iter()
                .map(|(k, v)| Some((k.clone(), plain_json(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
