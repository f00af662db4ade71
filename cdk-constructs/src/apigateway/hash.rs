//! The data a deployment's logical ID is hashed from, rendered as aws-cdk-lib renders it:
//! each component is resolved (tokens become `Ref`/`Fn::GetAtt`/`Fn::Join` JSON) and written
//! with `JSON.stringify` semantics (keys in insertion order, no whitespace); the MD5 of the
//! concatenated texts, in lower-case hex, is appended to the deployment's logical ID.

use cdk_core::{IConstruct, Node, Stack, Value};
use serde_json::{Map, Value as J};

/// One piece of data that determines a deployment's logical ID (see
/// [`Deployment::add_to_logical_id`](super::Deployment::add_to_logical_id)).
///
/// Objects keep their keys in the order given, like a JavaScript object literal, so the same
/// data hashes exactly as in aws-cdk-lib. `Null` members are left out (`undefined`).
#[derive(Clone, Debug, PartialEq)]
pub enum HashData {
    /// Absent (`undefined`): dropped from objects and lists.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    String(String),
    /// A CloudFormation value that may contain tokens; resolved at synth.
    Token(Value),
    /// A list.
    List(Vec<HashData>),
    /// An object with keys in insertion order.
    Object(Vec<(String, HashData)>),
}

impl HashData {
    /// An object from `(key, value)` pairs, in order.
    pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, HashData)>) -> Self {
        HashData::Object(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// `Some(s)` as a string, `None` as absent.
    pub fn opt_str(s: Option<&str>) -> Self {
        s.map_or(HashData::Null, |s| HashData::String(s.to_string()))
    }
}

impl From<&str> for HashData {
    fn from(s: &str) -> Self {
        HashData::String(s.to_string())
    }
}

impl From<String> for HashData {
    fn from(s: String) -> Self {
        HashData::String(s)
    }
}

impl From<bool> for HashData {
    fn from(b: bool) -> Self {
        HashData::Bool(b)
    }
}

impl From<Value> for HashData {
    fn from(v: Value) -> Self {
        HashData::Token(v)
    }
}

impl From<cdk_core::Str> for HashData {
    fn from(s: cdk_core::Str) -> Self {
        HashData::Token(s.into_value())
    }
}

/// Resolves hash data in the context of `stack` (the deployment's stack), with cdk-core's
/// public resolver (logical IDs as they will be allocated, overrides included).
pub(crate) struct HashResolver {
    stack: Stack,
}

impl HashResolver {
    pub(crate) fn new(stack: &Stack) -> Self {
        HashResolver {
            stack: stack.clone(),
        }
    }

    /// The logical ID an element gets (its override, or the ID from its path).
    pub(crate) fn logical_id_of(node: &Node) -> String {
        cdk_core::resolve::logical_id_of(node).unwrap_or_default()
    }

    /// `JSON.stringify(stack.resolve(data))`; a value that cannot be resolved is reported on
    /// `owner` and hashed as `null`.
    pub(crate) fn stringify(&self, data: &HashData, owner: &Node) -> String {
        let json = self.resolve_data(data, owner).unwrap_or(J::Null);
        to_js_json(&json)
    }

    fn resolve_data(&self, data: &HashData, owner: &Node) -> Option<J> {
        Some(match data {
            HashData::Null => return None,
            HashData::Bool(b) => J::Bool(*b),
            HashData::Int(i) => J::from(*i),
            HashData::String(s) => J::String(s.clone()),
            // As in aws-cdk-lib, which hashes during synthesis: references to another stack
            // are the template's `Fn::ImportValue`.
            HashData::Token(v) => match cdk_core::resolve::resolve_with_imports(&self.stack, v) {
                Ok(J::Null) => return None,
                Ok(j) => j,
                Err(e) => {
                    owner.add_error(&e.to_string());
                    return None;
                }
            },
            HashData::List(items) => J::Array(
                items
                    .iter()
                    .filter_map(|i| self.resolve_data(i, owner))
                    .collect(),
            ),
            HashData::Object(pairs) => {
                let mut map = Map::new();
                for (k, v) in pairs {
                    if let Some(v) = self.resolve_data(v, owner) {
                        map.insert(k.clone(), v);
                    }
                }
                J::Object(map)
            }
        })
    }

    /// The path of the deployment's stack (for messages).
    pub(crate) fn stack_path(&self) -> String {
        self.stack.node().path()
    }
}

/// `JSON.stringify`: compact, keys in insertion order, whole floats without a fraction.
fn to_js_json(value: &J) -> String {
    let mut out = String::new();
    write_js(value, &mut out);
    out
}

fn write_js(value: &J, out: &mut String) {
    match value {
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => {
                out.push_str(&format!("{f:.0}"))
            }
            _ => out.push_str(&n.to_string()),
        },
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js(item, out);
            }
            out.push(']');
        }
        J::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&J::String(k.clone()).to_string());
                out.push(':');
                write_js(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// MD5 of `data` as 32 lower-case hex digits (as aws-cdk-lib hashes deployments).
pub(crate) fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    hex::encode(md5::Md5::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_matches_rfc_1321_vectors() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            md5_hex(
                b"12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            ),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn js_json_keeps_insertion_order_and_whole_numbers() {
        let data = HashData::object([
            ("b", HashData::Int(1000)),
            ("a", HashData::Null),
            ("c", HashData::from("x\"y")),
        ]);
        let app = cdk_core::App::new();
        let stack = Stack::new(&app, "S", cdk_core::StackProps::default());
        let r = HashResolver::new(&stack);
        assert_eq!(r.stringify(&data, stack.node()), r#"{"b":1000,"c":"x\"y"}"#);
        let f = HashData::Token(Value::from(1.0));
        assert_eq!(r.stringify(&f, stack.node()), "1");
    }
}
