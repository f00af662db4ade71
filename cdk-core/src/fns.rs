//! CloudFormation intrinsic functions, typed (`Fn::Join`, `Fn::Sub`, `Fn::If`, ...).
//!
//! Functions whose arguments are all literals are evaluated at synth time where
//! CloudFormation's result is certain (`join`, `select`, `split`), as aws-cdk-lib does.
//!
//! ```
//! use cdk_core::{fns, Str, StrList};
//! assert_eq!(fns::join(",", StrList::from(["a", "b"])), Str::from("a,b"));
//! let azs = fns::get_azs("");
//! let first = fns::select(0, azs);
//! assert!(first.is_token());
//! ```

use crate::cfn::{CfnCondition, CfnMapping};
use crate::token::{RefKind, Reference, Str, StrList, Value};

/// A condition expression (`Fn::Equals`, `Fn::And`, ..., or a reference to a [`CfnCondition`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ConditionExpr(pub(crate) Value);

impl ConditionExpr {
    /// The underlying value.
    pub fn value(&self) -> &Value {
        &self.0
    }
}

impl From<ConditionExpr> for Value {
    fn from(c: ConditionExpr) -> Value {
        c.0
    }
}

impl From<&CfnCondition> for ConditionExpr {
    fn from(c: &CfnCondition) -> Self {
        ConditionExpr(Value::intrinsic(
            "Condition",
            Value::Ref(Reference::new(c.node_ref(), RefKind::LogicalId)),
        ))
    }
}

/// `Fn::Join`: the list's elements joined with `delimiter`. As aws-cdk-lib, adjacent literals
/// are joined at synth time and a single remaining element is the result itself.
///
/// ```
/// use cdk_core::{fns, resolve, App, Aws, Stack, StackProps, Str};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let joined = fns::join("-", vec![Aws::REGION, Str::from("a"), Str::from("b")]);
/// let json = resolve(&stack, joined.value()).unwrap();
/// assert_eq!(json, serde_json::json!({"Fn::Join": ["-", [{"Ref": "AWS::Region"}, "a-b"]]}));
/// assert_eq!(fns::join("-", vec![Aws::REGION]), Aws::REGION);
/// ```
pub fn join(delimiter: &str, list: impl Into<StrList>) -> Str {
    let list = list.into();
    if let Value::List(items) = &list.0 {
        if let Some(strings) = items.iter().map(Value::as_str).collect::<Option<Vec<_>>>() {
            return Str::from(strings.join(delimiter));
        }
        if delimiter.is_empty() {
            return Str::concat(items.iter().cloned().map(Str::from_value));
        }
        // aws-cdk-lib's `minimalCloudFormationJoin`: adjacent literals become one, joined
        // with the delimiter; a single remaining element is the result itself.
        let mut merged: Vec<Value> = Vec::with_capacity(items.len());
        for item in items {
            match (merged.last_mut(), item) {
                (Some(Value::String(previous)), Value::String(next)) => {
                    previous.push_str(delimiter);
                    previous.push_str(next);
                }
                _ => merged.push(item.clone()),
            }
        }
        if merged.len() == 1 {
            return Str::from_value(merged.remove(0));
        }
        return Str::from_value(Value::intrinsic(
            "Fn::Join",
            Value::List(vec![delimiter.into(), Value::List(merged)]),
        ));
    }
    Str::from_value(Value::intrinsic(
        "Fn::Join",
        Value::List(vec![delimiter.into(), list.0]),
    ))
}

/// `Fn::Sub` with `${Var}` placeholders; `variables` may be empty.
pub fn sub<K: Into<String>, V: Into<Str>>(
    template: &str,
    variables: impl IntoIterator<Item = (K, V)>,
) -> Str {
    let vars: crate::ValueMap = variables
        .into_iter()
        .map(|(k, v)| (k.into(), v.into().0))
        .collect();
    let args = if vars.is_empty() {
        Value::from(template)
    } else {
        Value::List(vec![template.into(), Value::Map(vars)])
    };
    Str::from_value(Value::intrinsic("Fn::Sub", args))
}

/// `Fn::Select`: the `index`-th element of `list`.
pub fn select(index: usize, list: impl Into<StrList>) -> Str {
    let list = list.into();
    if let Value::List(items) = &list.0 {
        if let Some(item) = items.get(index) {
            if item.is_literal() {
                return Str::from_value(item.clone());
            }
        }
    }
    Str::from_value(Value::intrinsic(
        "Fn::Select",
        Value::List(vec![Value::from(index), list.0]),
    ))
}

/// `Fn::Split`: `source` split at `delimiter`.
pub fn split(delimiter: &str, source: impl Into<Str>) -> StrList {
    let source = source.into();
    if let Some(s) = source.literal() {
        return StrList::from(s.split(delimiter).collect::<Vec<_>>());
    }
    StrList::from_value(Value::intrinsic(
        "Fn::Split",
        Value::List(vec![delimiter.into(), source.0]),
    ))
}

/// `Fn::ImportValue` of an export name.
pub fn import_value(export_name: impl Into<Str>) -> Str {
    Str::from_value(Value::intrinsic("Fn::ImportValue", export_name.into().0))
}

/// `Fn::Base64`.
pub fn base64(data: impl Into<Str>) -> Str {
    Str::from_value(Value::intrinsic("Fn::Base64", data.into().0))
}

/// `Fn::GetAZs` for `region` (`""` = the stack's region).
pub fn get_azs(region: impl Into<Str>) -> StrList {
    StrList::from_value(Value::intrinsic("Fn::GetAZs", region.into().0))
}

/// `Fn::FindInMap` on a [`CfnMapping`].
pub fn find_in_map(
    mapping: &CfnMapping,
    top_level_key: impl Into<Str>,
    second_level_key: impl Into<Str>,
) -> Str {
    mapping.find_in_map(top_level_key, second_level_key)
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits from `ip_block`.
pub fn cidr(ip_block: impl Into<Str>, count: u32, cidr_bits: u32) -> StrList {
    StrList::from_value(Value::intrinsic(
        "Fn::Cidr",
        Value::List(vec![
            ip_block.into().0,
            Value::from(count),
            Value::from(cidr_bits.to_string()),
        ]),
    ))
}

/// `Fn::If`: `if_true` when the named condition holds, else `if_false`.
pub fn condition_if(
    condition: &CfnCondition,
    if_true: impl Into<Value>,
    if_false: impl Into<Value>,
) -> Value {
    Value::intrinsic(
        "Fn::If",
        Value::List(vec![
            Value::Ref(Reference::new(condition.node_ref(), RefKind::LogicalId)),
            if_true.into(),
            if_false.into(),
        ]),
    )
}

/// `Fn::Equals`.
pub fn equals(a: impl Into<Value>, b: impl Into<Value>) -> ConditionExpr {
    ConditionExpr(Value::intrinsic(
        "Fn::Equals",
        Value::List(vec![a.into(), b.into()]),
    ))
}

/// `Fn::And` (2 to 10 conditions).
pub fn and(conditions: impl IntoIterator<Item = ConditionExpr>) -> ConditionExpr {
    ConditionExpr(Value::intrinsic(
        "Fn::And",
        Value::list(conditions.into_iter().map(|c| c.0)),
    ))
}

/// `Fn::Or` (2 to 10 conditions).
pub fn or(conditions: impl IntoIterator<Item = ConditionExpr>) -> ConditionExpr {
    ConditionExpr(Value::intrinsic(
        "Fn::Or",
        Value::list(conditions.into_iter().map(|c| c.0)),
    ))
}

/// `Fn::Not`.
pub fn not(condition: impl Into<ConditionExpr>) -> ConditionExpr {
    ConditionExpr(Value::intrinsic(
        "Fn::Not",
        Value::List(vec![condition.into().0]),
    ))
}

/// `Fn::Contains` (for rule assertions): `value` is one of `list`.
pub fn contains(list: impl Into<StrList>, value: impl Into<Str>) -> ConditionExpr {
    ConditionExpr(Value::intrinsic(
        "Fn::Contains",
        Value::List(vec![list.into().0, value.into().0]),
    ))
}
