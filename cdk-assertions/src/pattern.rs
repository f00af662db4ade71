//! Patterns: JSON-like values whose leaves may be matchers, and the `pattern!` macro.

use serde_json::Value as J;

use crate::capture::Capture;
use crate::matcher::Matcher;

/// What a template (or part of it) is matched against: JSON whose values may be
/// [`Matcher`]s or [`Capture`]s at any depth, as aws-cdk-lib's assertions take a JavaScript
/// object literal.
///
/// A literal object at the top of `has_resource_properties` is matched like
/// [`Match::object_like`](crate::Match::object_like); nested literal objects are matched
/// like `object_like` too, and literal arrays exactly (same length, element by element), as
/// in aws-cdk-lib. Build patterns with [`pattern!`](crate::pattern!) or from a
/// `serde_json::Value`.
///
/// ```
/// use cdk_assertions::{pattern, Match, Pattern};
/// let p: Pattern = pattern!({"Name": "x", "Tags": [{"Key": "team"}], "Arn": Match::any_value()});
/// assert!(matches!(p, Pattern::Object(_)));
/// let q: Pattern = serde_json::json!({"Name": "x"}).into();
/// assert!(matches!(q, Pattern::Object(_)));
/// ```
#[derive(Clone, Debug)]
pub enum Pattern {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array, matched element by element.
    Array(Vec<Pattern>),
    /// An object, keys in the order written.
    Object(Vec<(String, Pattern)>),
    /// A matcher (or capture).
    Matcher(Matcher),
}

impl Pattern {
    /// The matcher, when this pattern is one.
    pub(crate) fn as_matcher(&self) -> Option<&Matcher> {
        match self {
            Pattern::Matcher(m) => Some(m),
            _ => None,
        }
    }
}

impl From<J> for Pattern {
    fn from(value: J) -> Self {
        match value {
            J::Null => Pattern::Null,
            J::Bool(b) => Pattern::Bool(b),
            J::Number(n) => Pattern::Number(n),
            J::String(s) => Pattern::String(s),
            J::Array(items) => Pattern::Array(items.into_iter().map(Pattern::from).collect()),
            J::Object(map) => Pattern::Object(
                map.into_iter()
                    .map(|(k, v)| (k, Pattern::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&J> for Pattern {
    fn from(value: &J) -> Self {
        Pattern::from(value.clone())
    }
}

impl From<Matcher> for Pattern {
    fn from(m: Matcher) -> Self {
        Pattern::Matcher(m)
    }
}

impl From<Capture> for Pattern {
    fn from(c: Capture) -> Self {
        Pattern::Matcher(Matcher::capture(c))
    }
}

impl From<&Capture> for Pattern {
    fn from(c: &Capture) -> Self {
        Pattern::Matcher(Matcher::capture(c.clone()))
    }
}

impl From<&str> for Pattern {
    fn from(s: &str) -> Self {
        Pattern::String(s.to_string())
    }
}

impl From<String> for Pattern {
    fn from(s: String) -> Self {
        Pattern::String(s)
    }
}

impl From<&String> for Pattern {
    fn from(s: &String) -> Self {
        Pattern::String(s.clone())
    }
}

impl From<bool> for Pattern {
    fn from(b: bool) -> Self {
        Pattern::Bool(b)
    }
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Pattern {
            fn from(n: $t) -> Self {
                Pattern::Number(n.into())
            }
        }
    )*};
}
from_number!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl From<f64> for Pattern {
    fn from(n: f64) -> Self {
        serde_json::Number::from_f64(n)
            .map(Pattern::Number)
            .unwrap_or(Pattern::Null)
    }
}

impl<T: Into<Pattern>> From<Vec<T>> for Pattern {
    fn from(items: Vec<T>) -> Self {
        Pattern::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Pattern>, const N: usize> From<[T; N]> for Pattern {
    fn from(items: [T; N]) -> Self {
        Pattern::Array(items.into_iter().map(Into::into).collect())
    }
}

/// Builds a [`Pattern`] with `serde_json::json!` syntax, where any value may also be a
/// [`Matcher`](crate::Matcher), a [`Capture`](crate::Capture) or any expression that converts
/// into a pattern (strings, numbers, booleans, `serde_json::Value`s). Object keys are string
/// literals, or any expression converting into a `String` in parentheses (a logical ID
/// computed by the test, like JavaScript's `[key]: value`).
///
/// ```
/// use cdk_assertions::{pattern, Capture, Match};
/// let role = Capture::new();
/// let p = pattern!({
///     "PolicyDocument": {
///         "Statement": Match::array_with([pattern!({"Action": "sts:AssumeRole", "Resource": &role})]),
///         "Version": "2012-10-17",
///     },
///     "Roles": [null, 1, true, Match::any_value()],
/// });
/// # let _ = p;
/// let id = format!("Policy{}", 1);
/// let computed = pattern!({(id.as_str()): {"Type": "AWS::IAM::Policy"}, (&id): null});
/// assert!(matches!(computed, cdk_assertions::Pattern::Object(f) if f[0].0 == "Policy1"));
/// ```
#[macro_export]
macro_rules! pattern {
    (@object $v:ident ()) => {};
    (@object $v:ident ($key:literal : null $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::Pattern::Null));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident ($key:literal : { $($inner:tt)* } $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::pattern!({ $($inner)* })));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident ($key:literal : [ $($inner:tt)* ] $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::pattern!([ $($inner)* ])));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident ($key:literal : $value:expr $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::Pattern::from($value)));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident (($key:expr) : null $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::Pattern::Null));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident (($key:expr) : { $($inner:tt)* } $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::pattern!({ $($inner)* })));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident (($key:expr) : [ $($inner:tt)* ] $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::pattern!([ $($inner)* ])));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@object $v:ident (($key:expr) : $value:expr $(, $($rest:tt)*)?)) => {
        $v.push((::std::string::String::from($key), $crate::Pattern::from($value)));
        $crate::pattern!(@object $v ($($($rest)*)?));
    };
    (@array $v:ident ()) => {};
    (@array $v:ident (null $(, $($rest:tt)*)?)) => {
        $v.push($crate::Pattern::Null);
        $crate::pattern!(@array $v ($($($rest)*)?));
    };
    (@array $v:ident ({ $($inner:tt)* } $(, $($rest:tt)*)?)) => {
        $v.push($crate::pattern!({ $($inner)* }));
        $crate::pattern!(@array $v ($($($rest)*)?));
    };
    (@array $v:ident ([ $($inner:tt)* ] $(, $($rest:tt)*)?)) => {
        $v.push($crate::pattern!([ $($inner)* ]));
        $crate::pattern!(@array $v ($($($rest)*)?));
    };
    (@array $v:ident ($value:expr $(, $($rest:tt)*)?)) => {
        $v.push($crate::Pattern::from($value));
        $crate::pattern!(@array $v ($($($rest)*)?));
    };
    (null) => {
        $crate::Pattern::Null
    };
    ({ $($tt:tt)* }) => {{
        #[allow(unused_mut)]
        let mut fields: ::std::vec::Vec<(::std::string::String, $crate::Pattern)> = ::std::vec::Vec::new();
        $crate::pattern!(@object fields ($($tt)*));
        $crate::Pattern::Object(fields)
    }};
    ([ $($tt:tt)* ]) => {{
        #[allow(unused_mut)]
        let mut items: ::std::vec::Vec<$crate::Pattern> = ::std::vec::Vec::new();
        $crate::pattern!(@array items ($($tt)*));
        $crate::Pattern::Array(items)
    }};
    ($other:expr) => {
        $crate::Pattern::from($other)
    };
}
