//! Support code shared by the generated L1 resources: value conversion, the token-capable
//! [`Bool`], the shared [`CfnTag`], resource creation and synth-time schema validation.
//!
//! This file is copied verbatim by `rcdk-codegen` from `codegen/templates/runtime.rs`.

use std::cell::RefCell;
use std::collections::HashMap;

pub use cdk_core::{CfnResource, IConstruct, Node, Num, Str, StrList, TagType, Value, ValueMap};
pub use std::collections::BTreeMap;

/// Conversion of a typed property value into the CloudFormation value tree.
pub trait ToCfnValue {
    /// The CloudFormation value (`Value::Null` means absent).
    fn to_cfn_value(&self) -> Value;
}

impl ToCfnValue for Str {
    fn to_cfn_value(&self) -> Value {
        self.value().clone()
    }
}

impl ToCfnValue for Num {
    fn to_cfn_value(&self) -> Value {
        self.value().clone()
    }
}

impl ToCfnValue for StrList {
    fn to_cfn_value(&self) -> Value {
        self.value().clone()
    }
}

impl ToCfnValue for Value {
    fn to_cfn_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToCfnValue> ToCfnValue for Option<T> {
    fn to_cfn_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_cfn_value)
    }
}

impl<T: ToCfnValue> ToCfnValue for Box<T> {
    fn to_cfn_value(&self) -> Value {
        T::to_cfn_value(self)
    }
}

impl<T: ToCfnValue> ToCfnValue for Vec<T> {
    fn to_cfn_value(&self) -> Value {
        Value::List(self.iter().map(T::to_cfn_value).collect())
    }
}

impl<T: ToCfnValue> ToCfnValue for BTreeMap<String, T> {
    fn to_cfn_value(&self) -> Value {
        Value::Map(
            self.iter()
                .map(|(k, v)| (k.clone(), v.to_cfn_value()))
                .collect(),
        )
    }
}

/// A typed property value given now, or computed at synth (the argument of the generated
/// `set_<property>` setters of every L1).
///
/// ```
/// use cdk_constructs::generated::runtime::Late;
/// use cdk_core::Str;
/// let now: Late<Option<Str>> = Some(Str::from("x")).into();
/// let later: Late<Option<Str>> = Late::lazy(|| Some(Str::from("y")));
/// # let _ = (now, later);
/// ```
pub enum Late<T> {
    /// The value.
    Now(T),
    /// A producer called at synth.
    Lazy(std::rc::Rc<dyn Fn() -> T>),
}

impl<T> From<T> for Late<T> {
    fn from(value: T) -> Self {
        Late::Now(value)
    }
}

impl<T: ToCfnValue + 'static> Late<T> {
    /// A value computed at synth by `produce`.
    pub fn lazy(produce: impl Fn() -> T + 'static) -> Self {
        Late::Lazy(std::rc::Rc::new(produce))
    }

    /// The CloudFormation value (a lazy value for [`Late::Lazy`]).
    pub fn into_cfn_value(self) -> Value {
        match self {
            Late::Now(v) => v.to_cfn_value(),
            Late::Lazy(f) => Value::lazy(move || f().to_cfn_value()),
        }
    }
}

/// A value that resolves to a boolean: a literal or a token (e.g. a parameter reference).
///
/// ```
/// use cdk_constructs::Bool;
/// let b: Bool = true.into();
/// assert_eq!(b.literal(), Some(true));
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Bool(Value);

impl Bool {
    /// Wraps a value known to resolve to a boolean (a token or literal).
    pub fn from_value(value: Value) -> Self {
        Bool(value)
    }

    /// The literal, if this is not a token.
    pub fn literal(&self) -> Option<bool> {
        match self.0 {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The underlying value.
    pub fn value(&self) -> &Value {
        &self.0
    }
}

impl From<bool> for Bool {
    fn from(b: bool) -> Self {
        Bool(Value::Bool(b))
    }
}

impl From<Bool> for Value {
    fn from(b: Bool) -> Value {
        b.0
    }
}

impl ToCfnValue for Bool {
    fn to_cfn_value(&self) -> Value {
        self.0.clone()
    }
}

/// A `{"Key": ..., "Value": ...}` tag, the tag shape of most resource types.
///
/// Tags given here are merged with those applied by `cdk_core::Tags` (which win on conflict).
#[derive(Clone, Debug, PartialEq)]
pub struct CfnTag {
    /// The tag key.
    pub key: Str,
    /// The tag value.
    pub value: Str,
}

impl CfnTag {
    /// A tag.
    pub fn new(key: impl Into<Str>, value: impl Into<Str>) -> Self {
        CfnTag {
            key: key.into(),
            value: value.into(),
        }
    }
}

impl ToCfnValue for CfnTag {
    fn to_cfn_value(&self) -> Value {
        let mut p = Props::new();
        p.put("Key", &self.key);
        p.put("Value", &self.value);
        p.into_value()
    }
}

/// Builder of a CloudFormation object that leaves out absent (`Null`) values.
#[derive(Debug, Default)]
pub struct Props(ValueMap);

impl Props {
    /// An empty object.
    pub fn new() -> Self {
        Props(ValueMap::new())
    }

    /// Sets `key` unless the value is absent.
    pub fn put(&mut self, key: &str, value: &impl ToCfnValue) {
        let value = value.to_cfn_value();
        if !matches!(value, Value::Null) {
            self.0.insert(key.to_string(), value);
        }
    }

    /// The object as a value.
    pub fn into_value(self) -> Value {
        Value::Map(self.0)
    }

    /// The object's entries.
    pub fn into_map(self) -> ValueMap {
        self.0
    }
}

/// Static facts about a generated resource type.
#[derive(Clone, Copy, Debug)]
pub struct ResourceInfo {
    /// CloudFormation type name (`AWS::S3::Bucket`).
    pub type_name: &'static str,
    /// `constructInfo.fqn` in `tree.json` (`cdk-constructs.s3.CfnBucket`).
    pub fqn: &'static str,
    /// The tag property and how tags render, when the type is taggable.
    pub tagging: Option<(&'static str, TagType)>,
    /// The schema's constraints on the properties.
    pub validation: Option<&'static Check>,
}

/// Creates the underlying resource: tags enabled and schema validation registered.
pub fn new_resource(
    scope: &impl IConstruct,
    id: &str,
    info: &ResourceInfo,
    properties: ValueMap,
) -> CfnResource {
    let resource = CfnResource::new(
        scope,
        id,
        cdk_core::CfnResourceProps {
            resource_type: info.type_name.to_string(),
            properties,
        },
    );
    resource.node().set_construct_info(info.fqn);
    if let Some((property, tag_type)) = info.tagging {
        resource.enable_tags(tag_type, property);
    }
    if let Some(check) = info.validation {
        // Checks the properties as they are at synth, including escape-hatch changes.
        resource.add_property_validation(move |properties| {
            let mut errors = Vec::new();
            check.validate(properties, "", &mut errors);
            errors
        });
    }
    resource
}

/// Constraints of the resource schema on one value, checked on literal values at synth.
///
/// Each keyword applies only to values of its JSON type (as in JSON Schema): `pattern` and
/// lengths to strings, `minimum`/`maximum` to numbers, item counts to lists. Tokens are
/// never checked. Patterns that Rust's `regex` cannot compile (lookarounds, backreferences)
/// are left out by the generator.
#[derive(Debug)]
pub struct Check {
    /// Allowed string values.
    pub enum_values: &'static [&'static str],
    /// A regular expression strings must match (searched, as in JSON Schema).
    pub pattern: Option<&'static str>,
    /// Minimum string length (characters).
    pub min_length: Option<u64>,
    /// Maximum string length (characters).
    pub max_length: Option<u64>,
    /// Minimum number.
    pub minimum: Option<f64>,
    /// Maximum number.
    pub maximum: Option<f64>,
    /// Minimum number of list items.
    pub min_items: Option<u64>,
    /// Maximum number of list items.
    pub max_items: Option<u64>,
    /// Check of each list item.
    pub items: Option<&'static Check>,
    /// Checks of object properties.
    pub fields: &'static [(&'static str, &'static Check)],
    /// Check of every value of a map.
    pub map_values: Option<&'static Check>,
    /// Groups of properties of which one must be set completely (`oneOf`/`anyOf` + `required`).
    pub one_of: &'static [&'static [&'static str]],
    /// At most one group may be set (`oneOf` of disjoint groups).
    pub one_of_exclusive: bool,
    /// Another check that applies too (a referenced definition).
    pub also: Option<&'static Check>,
}

impl Check {
    /// No constraint (the base of every generated check).
    pub const NONE: Check = Check {
        enum_values: &[],
        pattern: None,
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        items: None,
        fields: &[],
        map_values: None,
        one_of: &[],
        one_of_exclusive: false,
        also: None,
    };

    /// Checks `value` found at `path` (`A.B[0].C`), appending `"<path>: <problem>"` messages.
    pub fn validate(&self, value: &Value, path: &str, errors: &mut Vec<String>) {
        if let Some(also) = self.also {
            also.validate(value, path, errors);
        }
        match value {
            Value::String(s) => self.validate_str(s, path, errors),
            Value::Number(n) => {
                if let Some(n) = n.as_f64() {
                    if let Some(min) = self.minimum.filter(|m| n < *m) {
                        errors.push(format!("{path}: must be at least {min} (got {n})"));
                    }
                    if let Some(max) = self.maximum.filter(|m| n > *m) {
                        errors.push(format!("{path}: must be at most {max} (got {n})"));
                    }
                }
            }
            Value::List(items) => {
                let len = items.len() as u64;
                if let Some(min) = self.min_items.filter(|m| len < *m) {
                    errors.push(format!(
                        "{path}: must have at least {min} item(s) (got {len})"
                    ));
                }
                if let Some(max) = self.max_items.filter(|m| len > *m) {
                    errors.push(format!(
                        "{path}: must have at most {max} item(s) (got {len})"
                    ));
                }
                if let Some(item) = self.items {
                    for (i, v) in items.iter().enumerate() {
                        item.validate(v, &format!("{path}[{i}]"), errors);
                    }
                }
            }
            Value::Map(map) => {
                // A one-key `Fn::*`/`Ref` object is an intrinsic function: not checked.
                if map.len() == 1
                    && map
                        .keys()
                        .next()
                        .is_some_and(|k| k == "Ref" || k.starts_with("Fn::"))
                {
                    return;
                }
                let join = |k: &str| {
                    if path.is_empty() {
                        k.to_string()
                    } else {
                        format!("{path}.{k}")
                    }
                };
                for (name, check) in self.fields {
                    if let Some(v) = map.get(name) {
                        check.validate(v, &join(name), errors);
                    }
                }
                if let Some(check) = self.map_values {
                    for (k, v) in map {
                        check.validate(v, &join(k), errors);
                    }
                }
                if !self.one_of.is_empty() {
                    let set = |p: &&str| map.get(p).is_some_and(|v| !matches!(v, Value::Null));
                    let complete = self.one_of.iter().filter(|g| g.iter().all(set)).count();
                    let groups = self
                        .one_of
                        .iter()
                        .map(|g| g.join(" + "))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let at = if path.is_empty() {
                        String::new()
                    } else {
                        format!("{path}: ")
                    };
                    if complete == 0 {
                        errors.push(format!("{at}one of {groups} must be set"));
                    } else if complete > 1 && self.one_of_exclusive {
                        errors.push(format!("{at}only one of {groups} may be set"));
                    }
                }
            }
            _ => {}
        }
    }

    fn validate_str(&self, s: &str, path: &str, errors: &mut Vec<String>) {
        if !self.enum_values.is_empty() && !self.enum_values.contains(&s) {
            let mut allowed = self.enum_values[..self.enum_values.len().min(30)].join(", ");
            if self.enum_values.len() > 30 {
                allowed.push_str(", ...");
            }
            errors.push(format!("{path}: must be one of {allowed} (got {s:?})"));
        }
        let len = s.chars().count() as u64;
        if let Some(min) = self.min_length.filter(|m| len < *m) {
            errors.push(format!("{path}: length must be at least {min} (got {len})"));
        }
        if let Some(max) = self.max_length.filter(|m| len > *m) {
            errors.push(format!("{path}: length must be at most {max} (got {len})"));
        }
        if let Some(pattern) = self.pattern {
            if matches_pattern(pattern, s) == Some(false) {
                errors.push(format!("{path}: must match pattern {pattern} (got {s:?})"));
            }
        }
    }
}

thread_local! {
    static REGEXES: RefCell<HashMap<&'static str, Option<regex::Regex>>> =
        RefCell::new(HashMap::new());
}

/// Whether `s` matches `pattern`; `None` when the pattern does not compile.
fn matches_pattern(pattern: &'static str, s: &str) -> Option<bool> {
    REGEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let re = cache
            .entry(pattern)
            .or_insert_with(|| regex::Regex::new(pattern).ok());
        re.as_ref().map(|re| re.is_match(s))
    })
}
