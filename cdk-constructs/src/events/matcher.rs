//! Content-filter matchers for event patterns, as aws-cdk-lib's `events.Match`: each returns
//! one element of a pattern list (`[{"wildcard": "account*"}]`), usable in the token-typed
//! fields of [`EventPattern`](super::EventPattern) (`account`, `region`, `resources`) and, as
//! JSON via `Str::into_value`, inside `detail`.
//!
//! ```
//! use cdk_constructs::events::{EventPattern, Match};
//! let app = cdk_core::App::new();
//! let stack = cdk_core::Stack::new(&app, "S", cdk_core::StackProps::default());
//! let pattern = EventPattern {
//!     account: vec![Match::anything_but_prefix(&["test-"])],
//!     ..Default::default()
//! };
//! assert_eq!(
//!     stack.resolve(&pattern.to_value()).unwrap(),
//!     serde_json::json!({"account": [{"anything-but": {"prefix": ["test-"]}}]})
//! );
//! ```

use cdk_core::{Str, Value};
use serde_json::{json, Value as J};

/// Event-pattern matchers (aws-cdk-lib `Match`).
pub struct Match;

fn matcher(json: J) -> Str {
    Str::from_value(Value::from(json))
}

impl Match {
    /// A field that is present (`{"exists": true}`).
    pub fn exists() -> Str {
        matcher(json!({"exists": true}))
    }

    /// A field that is absent (`{"exists": false}`).
    pub fn does_not_exist() -> Str {
        matcher(json!({"exists": false}))
    }

    /// A value starting with `prefix`.
    pub fn prefix(prefix: &str) -> Str {
        matcher(json!({"prefix": prefix}))
    }

    /// A value ending with `suffix`.
    pub fn suffix(suffix: &str) -> Str {
        matcher(json!({"suffix": suffix}))
    }

    /// A value matching `pattern`, where `*` matches any characters.
    pub fn wildcard(pattern: &str) -> Str {
        matcher(json!({"wildcard": pattern}))
    }

    /// A value equal to `value` ignoring case.
    pub fn equals_ignore_case(value: &str) -> Str {
        matcher(json!({"equals-ignore-case": value}))
    }

    /// An IPv4/IPv6 address in `cidr`.
    pub fn cidr(cidr: &str) -> Str {
        matcher(json!({"cidr": cidr}))
    }

    /// Any value except `values`.
    pub fn anything_but(values: &[&str]) -> Str {
        matcher(json!({"anything-but": values}))
    }

    /// Any value not starting with one of `prefixes`.
    pub fn anything_but_prefix(prefixes: &[&str]) -> Str {
        matcher(json!({"anything-but": {"prefix": prefixes}}))
    }

    /// Any value not ending with one of `suffixes`.
    pub fn anything_but_suffix(suffixes: &[&str]) -> Str {
        matcher(json!({"anything-but": {"suffix": suffixes}}))
    }

    /// Any value matching none of the wildcard `patterns`.
    pub fn anything_but_wildcard(patterns: &[&str]) -> Str {
        matcher(json!({"anything-but": {"wildcard": patterns}}))
    }

    /// Any value equal to none of `values`, ignoring case.
    pub fn anything_but_equals_ignore_case(values: &[&str]) -> Str {
        matcher(json!({"anything-but": {"equals-ignore-case": values}}))
    }
}
