//! JSON text of values that contain tokens (aws-cdk-lib's `Stack.toJsonString`).
//!
//! [`to_json_string`] resolves the value where it is used, then writes JSON: literal parts as
//! text, deploy-time values (references, `Fn::*` intrinsics) spliced into the text with
//! `Fn::Join`, in string position (quoted). CodePipeline's `Fn::GetArtifactAtt` and
//! `Fn::GetParam` are not CloudFormation intrinsics and stay JSON objects.
//!
//! ```
//! use cdk_core::{json, App, Aws, Stack, StackProps, Value};
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let text = json::to_json_string(Value::object([("region", Value::from(Aws::REGION))]), 0);
//! assert_eq!(
//!     stack.resolve(text.value()).unwrap(),
//!     serde_json::json!({"Fn::Join": ["", ["{\"region\":\"", {"Ref": "AWS::Region"}, "\"}"]]})
//! );
//! ```

use serde_json::{json, Map, Value as J};

use crate::token::{Str, Value};

/// The JSON text of `value` as a string token, resolved where it is used; objects render their
/// keys in the order they resolve to (sorted for [`Value::Map`], as given for
/// [`ordered_object`]). `space` > 0 pretty-prints with that many spaces per level, like
/// `JSON.stringify(value, null, space)`. An absent value (`Null`) stays absent.
pub fn to_json_string(value: impl Into<Value>, space: usize) -> Str {
    let value = value.into();
    Str::lazy_with_context(move |ctx| {
        let Some(resolved) = ctx.resolve(&value) else {
            return Str::from_value(Value::Null);
        };
        Str::from_value(render(&resolved, space))
    })
}

/// An object whose keys keep the order given and may be tokens, e.g. CloudFormation parameter
/// overrides keyed by another stack's parameter logical IDs. A key that stays a deploy-time
/// value (an ARN attribute) can only be written as JSON text ([`to_json_string`], e.g. a build
/// spec's `reports` keyed by report group ARNs). Absent (`Null`) values are left out.
pub fn ordered_object(pairs: Vec<(Str, Value)>) -> Value {
    Value::lazy_with_context(move |ctx| {
        let mut out = Map::new();
        for (key, value) in &pairs {
            let key = match ctx.resolve(key.value()) {
                Some(J::String(k)) => k,
                // A deploy-time key (e.g. an ARN): spliced in when the object is written as
                // JSON text (`to_json_string`), as aws-cdk-lib's `toJsonString` does.
                Some(J::Object(m)) if is_intrinsic(&m) => {
                    format!("{INTRINSIC_KEY}{}", J::Object(m))
                }
                Some(other) => {
                    ctx.fail(format!(
                        "an object key must resolve to a string, not {other}"
                    ));
                    return Value::Null;
                }
                None => continue,
            };
            if let Some(v) = ctx.resolve(value) {
                out.insert(key, v);
            }
        }
        Value::raw_json(J::Object(out))
    })
}

/// Marks an object key that is a deploy-time value (its JSON follows); only
/// [`to_json_string`] can write such a key.
const INTRINSIC_KEY: &str = "\u{0}rcdk:intrinsic-key:";

/// A piece of the output: literal text, or a deploy-time value spliced into it.
enum Segment {
    Text(String),
    Intrinsic(J),
}

struct Writer {
    segments: Vec<Segment>,
    space: usize,
    indent: usize,
}

impl Writer {
    fn literal(&mut self, text: &str) {
        match self.segments.last_mut() {
            Some(Segment::Text(t)) => t.push_str(text),
            _ => self.segments.push(Segment::Text(text.to_string())),
        }
    }

    fn line_break(&mut self) {
        if self.space > 0 {
            let text = format!("\n{}", " ".repeat(self.indent));
            self.literal(&text);
        }
    }

    fn value(&mut self, v: &J) {
        match v {
            J::Array(items) => {
                self.literal("[");
                self.indent += self.space;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.literal(",");
                    }
                    self.line_break();
                    self.value(item);
                }
                self.indent -= self.space;
                if !items.is_empty() {
                    self.line_break();
                }
                self.literal("]");
            }
            J::Object(map) if is_intrinsic(map) => {
                self.literal("\"");
                self.segments
                    .push(Segment::Intrinsic(deep_quote_string_literals(v)));
                self.literal("\"");
            }
            J::Object(map) => {
                self.literal("{");
                self.indent += self.space;
                for (i, (k, item)) in map.iter().enumerate() {
                    if i > 0 {
                        self.literal(",");
                    }
                    self.line_break();
                    match k
                        .strip_prefix(INTRINSIC_KEY)
                        .and_then(|j| serde_json::from_str::<J>(j).ok())
                    {
                        Some(intrinsic) => {
                            self.literal("\"");
                            self.segments
                                .push(Segment::Intrinsic(deep_quote_string_literals(&intrinsic)));
                            self.literal("\"");
                        }
                        None => self.literal(&J::String(k.clone()).to_string()),
                    }
                    self.literal(if self.space > 0 { ": " } else { ":" });
                    self.value(item);
                }
                self.indent -= self.space;
                if !map.is_empty() {
                    self.line_break();
                }
                self.literal("}");
            }
            J::Number(n) => self.literal(&js_number(n)),
            other => self.literal(&other.to_string()),
        }
    }
}

fn render(resolved: &J, space: usize) -> Value {
    let mut w = Writer {
        segments: Vec::new(),
        space,
        indent: 0,
    };
    w.value(resolved);
    let mut parts: Vec<J> = Vec::new();
    for segment in w.segments {
        match segment {
            Segment::Text(t) => parts.push(J::String(t)),
            Segment::Intrinsic(j) => match j {
                // A nested `Fn::Join ""` is spliced into the outer one.
                J::Object(ref m) if is_empty_join(m) => {
                    if let Some(J::Array(items)) = m["Fn::Join"].get(1) {
                        for item in items {
                            match (parts.last_mut(), item) {
                                (Some(J::String(last)), J::String(s)) => last.push_str(s),
                                _ => parts.push(item.clone()),
                            }
                        }
                    }
                }
                other => parts.push(other),
            },
        }
    }
    // Adjacent literals merge (a spliced join may end next to text).
    let mut merged: Vec<J> = Vec::with_capacity(parts.len());
    for p in parts {
        match (merged.last_mut(), p) {
            (Some(J::String(last)), J::String(s)) => last.push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    match merged.len() {
        0 => Value::Null,
        1 => match merged.pop() {
            Some(J::String(s)) => Value::String(s),
            Some(other) => Value::raw_json(other),
            None => Value::Null,
        },
        _ => Value::raw_json(json!({"Fn::Join": ["", merged]})),
    }
}

/// A one-key object naming a CloudFormation intrinsic (`Ref`, `Fn::*` except CodePipeline's
/// `Fn::GetArtifactAtt` and `Fn::GetParam`).
fn is_intrinsic(map: &Map<String, J>) -> bool {
    map.len() == 1
        && map.keys().next().is_some_and(|k| {
            k == "Ref"
                || (k.starts_with("Fn::") && k != "Fn::GetArtifactAtt" && k != "Fn::GetParam")
        })
}

fn is_empty_join(map: &Map<String, J>) -> bool {
    map.len() == 1
        && matches!(map.get("Fn::Join"), Some(J::Array(args))
            if args.len() == 2 && args[0] == J::String(String::new()) && args[1].is_array())
}

/// String literals inside an intrinsic become JSON-escaped (without the quotes), so the
/// joined text is valid JSON once CloudFormation evaluates it.
fn deep_quote_string_literals(v: &J) -> J {
    match v {
        J::Array(items) => J::Array(items.iter().map(deep_quote_string_literals).collect()),
        J::Object(map) => J::Object(
            map.iter()
                .map(|(k, v)| (quote(k), deep_quote_string_literals(v)))
                .collect(),
        ),
        J::String(s) => J::String(quote(s)),
        other => other.clone(),
    }
}

fn quote(s: &str) -> String {
    let quoted = J::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// A number as JavaScript prints it (`1` for a whole float).
pub fn js_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

/// `JSON.stringify(value)`: compact, object keys in their order, numbers as JavaScript prints
/// them.
pub fn js_stringify(value: &J) -> String {
    let mut out = String::new();
    write_js(value, &mut out);
    out
}

fn write_js(value: &J, out: &mut String) {
    match value {
        J::Number(n) => out.push_str(&js_number(n)),
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
