//! Values that may contain tokens: references, pseudo parameters, intrinsic functions and lazy
//! values, resolved into CloudFormation JSON at synth time.
//!
//! [`Value`] is the untyped tree. [`Str`], [`Num`] and [`StrList`] are typed views of it, so a
//! string property accepts `"literal"`, a `String`, or any token that resolves to a string, and
//! strings built from literals and tokens with `+` or [`Str::concat`] render as a minimal
//! `Fn::Join`. A reference is never flattened into a magic string, so it cannot be mangled by
//! string manipulation.
//!
//! ```
//! use cdk_core::{Aws, Str};
//! let arn = Str::from("arn:") + Aws::PARTITION + ":s3:::my-bucket";
//! assert!(arn.is_token());
//! assert_eq!(Str::from("a") + "b", Str::from("ab"));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Add;
use std::rc::{Rc, Weak};

use crate::construct::{Node, TreeCell};
pub use crate::resolve::ResolveContext;
pub use crate::value_map::ValueMap;

/// An untyped CloudFormation value that may contain tokens.
#[derive(Clone, Default)]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Number(serde_json::Number),
    /// A string literal.
    String(String),
    /// A list.
    List(Vec<Value>),
    /// An object; keys render in sorted order.
    Map(ValueMap),
    /// A `Ref`, `Fn::GetAtt` or logical ID of an element in the construct tree.
    Ref(Reference),
    /// An AWS pseudo parameter (`AWS::AccountId`, ...).
    Pseudo(Pseudo),
    /// String concatenation of the parts; renders as a minimal `Fn::Join`.
    Concat(Vec<Value>),
    /// A value computed at synth time.
    Lazy(Lazy),
    /// JSON that is already resolved, rendered exactly as it is (object keys in their order).
    /// Lazy values that resolve parts of themselves (see [`ResolveContext::resolve`]) return it.
    Json(Rc<serde_json::Value>),
}

impl Value {
    /// An object from `(key, value)` pairs.
    pub fn object<K: Into<String>, V: Into<Value>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Value::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// A one-key object, the shape of every intrinsic function (`{"Fn::Join": [...]}`).
    pub fn intrinsic(name: &str, args: impl Into<Value>) -> Self {
        let mut map = ValueMap::with_capacity(1);
        map.insert(name, args.into());
        Value::Map(map)
    }

    /// A list from anything convertible to values.
    pub fn list<V: Into<Value>>(items: impl IntoIterator<Item = V>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }

    /// A value computed when the template is synthesized (after every construct was added).
    pub fn lazy(f: impl Fn() -> Value + 'static) -> Self {
        Value::Lazy(Lazy::new(f))
    }

    /// A value computed when it is resolved, knowing where: the consuming construct and stack
    /// ([`ResolveContext`]), as aws-cdk-lib's `IResolvable.resolve(context)`. Resolved once per
    /// use, so the same value may render differently in two stacks (e.g. a name that is a
    /// reference in its own account and a literal from another).
    pub fn lazy_with_context(f: impl Fn(&mut ResolveContext<'_>) -> Value + 'static) -> Self {
        Value::Lazy(Lazy::with_context(f))
    }

    /// Already resolved JSON, rendered as it is.
    pub fn raw_json(json: serde_json::Value) -> Self {
        Value::Json(Rc::new(json))
    }

    /// True when the value contains no token: it is plain JSON already.
    pub fn is_literal(&self) -> bool {
        match self {
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => true,
            Value::Json(_) => true,
            Value::List(items) => items.iter().all(Value::is_literal),
            Value::Map(map) => !is_intrinsic(map) && map.values().all(Value::is_literal),
            Value::Ref(_) | Value::Pseudo(_) | Value::Concat(_) | Value::Lazy(_) => false,
        }
    }

    /// The string literal, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map, if this is one.
    pub fn as_map(&self) -> Option<&ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// Converts a literal value to JSON; `None` when it contains tokens.
    pub fn to_literal_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(
                items
                    .iter()
                    .map(Value::to_literal_json)
                    .collect::<Option<Vec<_>>>()?,
            ),
            Value::Map(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_literal_json()?)))
                    .collect::<Option<serde_json::Map<_, _>>>()?,
            ),
            Value::Json(j) => (**j).clone(),
            _ => return None,
        })
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Ref(a), Value::Ref(b)) => a == b,
            (Value::Pseudo(a), Value::Pseudo(b)) => a == b,
            (Value::Concat(a), Value::Concat(b)) => a == b,
            (Value::Lazy(a), Value::Lazy(b)) => Rc::ptr_eq(&a.0, &b.0),
            (Value::Json(a), Value::Json(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => f.debug_list().entries(items).finish(),
            Value::Map(map) => f.debug_map().entries(map).finish(),
            Value::Ref(r) => write!(f, "{r:?}"),
            Value::Pseudo(p) => write!(f, "${{{}}}", p.name()),
            Value::Concat(parts) => {
                f.write_str("concat")?;
                f.debug_list().entries(parts).finish()
            }
            Value::Lazy(_) => f.write_str("<lazy>"),
            Value::Json(j) => write!(f, "json{j}"),
        }
    }
}

/// True for a one-key object naming an intrinsic function (`Ref`, `Condition`, `Fn::*`).
fn is_intrinsic(map: &ValueMap) -> bool {
    map.len() == 1
        && map
            .keys()
            .next()
            .is_some_and(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

/// A value computed at synth time (see [`Value::lazy`] and [`Value::lazy_with_context`]).
///
/// Clones share the producer; two lazy values are equal when they share it.
#[derive(Clone)]
pub struct Lazy(pub(crate) Rc<dyn Fn(&mut ResolveContext<'_>) -> Value>);

impl Lazy {
    /// A lazy value whose producer does not need to know where it is used.
    pub fn new(f: impl Fn() -> Value + 'static) -> Self {
        Lazy(Rc::new(move |_: &mut ResolveContext<'_>| f()))
    }

    /// A lazy value whose producer gets the resolution context.
    pub fn with_context(f: impl Fn(&mut ResolveContext<'_>) -> Value + 'static) -> Self {
        Lazy(Rc::new(f))
    }

    /// Computes the value in `context`.
    pub fn produce(&self, context: &mut ResolveContext<'_>) -> Value {
        (self.0)(context)
    }

    /// Whether a clone of this lazy value lives elsewhere (besides `self`): a registry of
    /// tokens can drop the entries nothing else uses any more.
    pub fn is_shared(&self) -> bool {
        Rc::strong_count(&self.0) > 1
    }
}

/// What a [`Reference`] renders as.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// `{"Ref": "LogicalId"}`.
    Ref,
    /// `{"Fn::GetAtt": ["LogicalId", "Attr"]}`.
    GetAtt(String),
    /// The element's logical ID as a plain string (for `Condition` and `Fn::If`).
    LogicalId,
}

/// A reference to an element (resource, parameter, condition, ...) of the construct tree.
///
/// Resolved per consuming stack: inside the element's own stack it is a `Ref`/`Fn::GetAtt`;
/// from another stack of the same environment it becomes an export and `Fn::ImportValue`.
#[derive(Clone)]
pub struct Reference {
    pub(crate) tree: Weak<TreeCell>,
    pub(crate) idx: usize,
    pub(crate) kind: RefKind,
    /// The referenced value is a list of strings (exported joined with `||`).
    pub(crate) list: bool,
}

impl Reference {
    pub(crate) fn new(node: &Node, kind: RefKind) -> Self {
        Reference {
            tree: node.tree.clone(),
            idx: node.idx,
            kind,
            list: false,
        }
    }

    /// The same reference, marked as a list of strings.
    pub(crate) fn into_list(mut self) -> Self {
        self.list = true;
        self
    }

    /// The referenced element, while its tree is alive.
    pub fn target(&self) -> Option<Node> {
        (self.tree.strong_count() > 0).then(|| Node {
            tree: self.tree.clone(),
            idx: self.idx,
        })
    }

    /// What the reference renders as.
    pub fn kind(&self) -> &RefKind {
        &self.kind
    }
}

impl PartialEq for Reference {
    fn eq(&self, other: &Self) -> bool {
        self.idx == other.idx
            && self.kind == other.kind
            && self.list == other.list
            && Weak::ptr_eq(&self.tree, &other.tree)
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self
            .target()
            .map(|n| n.path())
            .unwrap_or_else(|| "<dropped tree>".into());
        match &self.kind {
            RefKind::Ref => write!(f, "${{Ref {path}}}"),
            RefKind::GetAtt(a) => write!(f, "${{GetAtt {path}.{a}}}"),
            RefKind::LogicalId => write!(f, "${{LogicalId {path}}}"),
        }
    }
}

/// AWS pseudo parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`
    AccountId,
    /// `AWS::Region`
    Region,
    /// `AWS::Partition`
    Partition,
    /// `AWS::URLSuffix`
    UrlSuffix,
    /// `AWS::StackName`
    StackName,
    /// `AWS::StackId`
    StackId,
    /// `AWS::NotificationARNs`
    NotificationArns,
    /// `AWS::NoValue`: removes the property where it is used.
    NoValue,
}

impl Pseudo {
    /// The CloudFormation name (`AWS::AccountId`).
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::Region => "AWS::Region",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
        }
    }
}

/// The pseudo parameters as typed values (`Aws::ACCOUNT_ID` resolves to `{"Ref": "AWS::AccountId"}`).
pub struct Aws;

impl Aws {
    /// `AWS::AccountId`
    pub const ACCOUNT_ID: Str = Str(Value::Pseudo(Pseudo::AccountId));
    /// `AWS::Region`
    pub const REGION: Str = Str(Value::Pseudo(Pseudo::Region));
    /// `AWS::Partition`
    pub const PARTITION: Str = Str(Value::Pseudo(Pseudo::Partition));
    /// `AWS::URLSuffix`
    pub const URL_SUFFIX: Str = Str(Value::Pseudo(Pseudo::UrlSuffix));
    /// `AWS::StackName`
    pub const STACK_NAME: Str = Str(Value::Pseudo(Pseudo::StackName));
    /// `AWS::StackId`
    pub const STACK_ID: Str = Str(Value::Pseudo(Pseudo::StackId));
    /// `AWS::NotificationARNs`
    pub const NOTIFICATION_ARNS: StrList = StrList(Value::Pseudo(Pseudo::NotificationArns));
    /// `AWS::NoValue`
    pub const NO_VALUE: Value = Value::Pseudo(Pseudo::NoValue);
}

macro_rules! typed_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Default)]
        pub struct $name(pub(crate) Value);

        impl $name {
            /// Wraps a value that is known to resolve to this type (a token or literal).
            pub fn from_value(value: Value) -> Self {
                $name(value)
            }

            /// The underlying value.
            pub fn value(&self) -> &Value {
                &self.0
            }

            /// Unwraps into the underlying value.
            pub fn into_value(self) -> Value {
                self.0
            }

            /// True when this contains a token that is only known at synth or deploy time.
            pub fn is_token(&self) -> bool {
                !self.0.is_literal()
            }
        }

        impl From<$name> for Value {
            fn from(v: $name) -> Value {
                v.0
            }
        }

        impl From<&$name> for Value {
            fn from(v: &$name) -> Value {
                v.0.clone()
            }
        }

        impl From<&$name> for $name {
            fn from(v: &$name) -> $name {
                v.clone()
            }
        }
    };
}

typed_value!(
    /// A value that resolves to a string: a literal or a token.
    Str
);
typed_value!(
    /// A value that resolves to a number: a literal or a token.
    Num
);
typed_value!(
    /// A value that resolves to a list of strings: literals, tokens, or a list-valued token.
    StrList
);

/// How two strings that may be tokens compare (aws-cdk-lib's `TokenComparison`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenComparison {
    /// Equal literals, or the same token.
    Same,
    /// Different literals.
    Different,
    /// One is a token: they may or may not be equal at deploy time.
    OneUnresolved,
    /// Both are (different) tokens.
    BothUnresolved,
}

impl TokenComparison {
    /// `Same`, `OneUnresolved` or `BothUnresolved`: not known to differ (aws-cdk-lib's
    /// "equal or any unresolved").
    pub fn may_be_same(self) -> bool {
        self != TokenComparison::Different
    }

    /// `Same` or `BothUnresolved`.
    pub fn same_or_both_unresolved(self) -> bool {
        matches!(
            self,
            TokenComparison::Same | TokenComparison::BothUnresolved
        )
    }
}

impl Str {
    /// Compares two strings that may be tokens (aws-cdk-lib's `Token.compareStrings`).
    ///
    /// ```
    /// use cdk_core::{Aws, Str, TokenComparison};
    /// assert_eq!(Str::from("a").compare(&"a".into()), TokenComparison::Same);
    /// assert_eq!(Str::from("a").compare(&"b".into()), TokenComparison::Different);
    /// assert_eq!(Aws::ACCOUNT_ID.compare(&"b".into()), TokenComparison::OneUnresolved);
    /// assert_eq!(Aws::ACCOUNT_ID.compare(&Aws::ACCOUNT_ID), TokenComparison::Same);
    /// ```
    pub fn compare(&self, other: &Str) -> TokenComparison {
        match (self.is_token(), other.is_token()) {
            (true, true) if self == other => TokenComparison::Same,
            (true, true) => TokenComparison::BothUnresolved,
            (true, false) | (false, true) => TokenComparison::OneUnresolved,
            (false, false) if self == other => TokenComparison::Same,
            (false, false) => TokenComparison::Different,
        }
    }

    /// The literal string, if this is not a token.
    pub fn literal(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// Concatenation of the parts; adjacent literals are merged.
    pub fn concat<S: Into<Str>>(parts: impl IntoIterator<Item = S>) -> Str {
        parts
            .into_iter()
            .fold(Str::from(""), |acc, part| acc + part.into())
    }

    /// A string computed at synth time.
    pub fn lazy(f: impl Fn() -> Str + 'static) -> Str {
        Str(Value::lazy(move || f().0))
    }

    /// A string computed when it is resolved, knowing the consuming construct and stack.
    pub fn lazy_with_context(f: impl Fn(&mut ResolveContext<'_>) -> Str + 'static) -> Str {
        Str(Value::lazy_with_context(move |ctx| f(ctx).0))
    }

    /// Builds a string from a template with `{}` placeholders, one per argument.
    ///
    /// ```
    /// use cdk_core::{Aws, Str};
    /// let arn = Str::format("arn:{}:iam::{}:root", [Aws::PARTITION, Str::from("111111111111")]);
    /// assert!(arn.is_token());
    /// ```
    pub fn format<S: Into<Str>>(template: &str, args: impl IntoIterator<Item = S>) -> Str {
        let mut args = args.into_iter();
        let mut out = Str::from("");
        let mut pieces = template.split("{}").peekable();
        while let Some(piece) = pieces.next() {
            out = out + piece;
            if pieces.peek().is_some() {
                out = match args.next() {
                    Some(arg) => out + arg.into(),
                    None => out + "{}",
                };
            }
        }
        out
    }
}

fn push_part(parts: &mut Vec<Value>, part: Value) {
    match part {
        Value::Concat(inner) => {
            for p in inner {
                push_part(parts, p);
            }
        }
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => {
            if let Some(Value::String(last)) = parts.last_mut() {
                last.push_str(&s);
            } else {
                parts.push(Value::String(s));
            }
        }
        other => parts.push(other),
    }
}

impl<T: Into<Str>> Add<T> for Str {
    type Output = Str;
    fn add(self, rhs: T) -> Str {
        let mut parts = Vec::new();
        push_part(&mut parts, self.0);
        push_part(&mut parts, rhs.into().0);
        Str(match parts.len() {
            0 => Value::String(String::new()),
            1 if matches!(parts[0], Value::String(_)) => parts.pop().unwrap_or_default(),
            _ => Value::Concat(parts),
        })
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str(Value::String(s.to_string()))
    }
}
impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(Value::String(s))
    }
}
impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str(Value::String(s.clone()))
    }
}

macro_rules! num_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Num {
            fn from(n: $t) -> Self {
                Num(Value::from(n))
            }
        }
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(serde_json::Number::from(n))
            }
        }
    )*};
}
num_from!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}
impl From<f64> for Num {
    fn from(n: f64) -> Self {
        Num(Value::from(n))
    }
}

impl StrList {
    /// The `index`-th element (`Fn::Select`).
    pub fn select(&self, index: usize) -> Str {
        crate::fns::select(index, self.clone())
    }
}

impl<S: Into<Str>> From<Vec<S>> for StrList {
    fn from(items: Vec<S>) -> Self {
        StrList(Value::List(items.into_iter().map(|s| s.into().0).collect()))
    }
}
impl<S: Into<Str> + Clone> From<&[S]> for StrList {
    fn from(items: &[S]) -> Self {
        StrList(Value::List(
            items.iter().cloned().map(|s| s.into().0).collect(),
        ))
    }
}
impl<S: Into<Str>, const N: usize> From<[S; N]> for StrList {
    fn from(items: [S; N]) -> Self {
        StrList(Value::List(items.into_iter().map(|s| s.into().0).collect()))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl<V: Into<Value>> From<Vec<V>> for Value {
    fn from(items: Vec<V>) -> Self {
        Value::List(items.into_iter().map(Into::into).collect())
    }
}
impl From<ValueMap> for Value {
    fn from(map: ValueMap) -> Self {
        Value::Map(map)
    }
}
impl<V: Into<Value>> From<BTreeMap<String, V>> for Value {
    fn from(map: BTreeMap<String, V>) -> Self {
        Value::Map(map.into_iter().map(|(k, v)| (k, v.into())).collect())
    }
}
impl<V: Into<Value>> From<Option<V>> for Value {
    fn from(v: Option<V>) -> Self {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}
impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::List(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Map(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}
impl From<Reference> for Value {
    fn from(r: Reference) -> Self {
        Value::Ref(r)
    }
}
impl From<Pseudo> for Value {
    fn from(p: Pseudo) -> Self {
        Value::Pseudo(p)
    }
}
