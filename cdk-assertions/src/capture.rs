//! Captures: matchers that remember the values they matched.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value as J;

use crate::pattern::Pattern;

/// Captures the values it matches, to assert on them afterwards (aws-cdk-lib's `Capture`).
///
/// Values are committed when the whole match of a resource succeeds; a capture used across
/// several matching resources holds one value per resource, in template order. The typed
/// getters read the current value; [`Capture::next`] moves to the next one.
///
/// ```
/// use cdk_assertions::{pattern, Capture, Template};
/// let template = Template::from_json(serde_json::json!({"Resources": {
///     "A": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "one"}},
///     "B": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "two"}},
/// }}));
/// let name = Capture::new();
/// template.has_resource_properties("AWS::SNS::Topic", pattern!({"TopicName": &name}));
/// assert_eq!(name.as_string(), "one");
/// assert!(name.next());
/// assert_eq!(name.as_string(), "two");
/// assert!(!name.next());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Capture {
    state: Rc<RefCell<State>>,
}

#[derive(Debug, Default)]
struct State {
    pattern: Option<Pattern>,
    captured: Vec<J>,
    idx: usize,
}

impl Capture {
    /// Captures any non-null value.
    pub fn new() -> Self {
        Capture::default()
    }

    /// Captures only values matching `pattern` (a literal pattern matches as `object_like`).
    pub fn with_pattern(pattern: impl Into<Pattern>) -> Self {
        let capture = Capture::default();
        capture.state.borrow_mut().pattern = Some(pattern.into());
        capture
    }

    pub(crate) fn pattern(&self) -> Option<Pattern> {
        self.state.borrow().pattern.clone()
    }

    pub(crate) fn push(&self, value: J) {
        self.state.borrow_mut().captured.push(value);
    }

    /// Moves to the next captured value; false when there is none.
    pub fn next(&self) -> bool {
        let mut s = self.state.borrow_mut();
        if s.idx + 1 < s.captured.len() {
            s.idx += 1;
            true
        } else {
            false
        }
    }

    /// Every value captured so far.
    pub fn values(&self) -> Vec<J> {
        self.state.borrow().captured.clone()
    }

    /// The current value, whatever its type.
    ///
    /// # Panics
    /// When nothing was captured.
    pub fn as_value(&self) -> J {
        let s = self.state.borrow();
        assert!(!s.captured.is_empty(), "No value captured");
        s.captured[s.idx].clone()
    }

    fn typed<T>(&self, expected: &str, get: impl Fn(&J) -> Option<T>) -> T {
        let value = self.as_value();
        get(&value).unwrap_or_else(|| {
            panic!(
                "Captured value is expected to be {expected} but found {}. Value is {}",
                type_name(&value),
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        })
    }

    /// The current value as a string.
    ///
    /// # Panics
    /// When nothing was captured or the value is not a string.
    pub fn as_string(&self) -> String {
        self.typed("string", |v| v.as_str().map(str::to_string))
    }

    /// The current value as a number.
    ///
    /// # Panics
    /// When nothing was captured or the value is not a number.
    pub fn as_number(&self) -> f64 {
        self.typed("number", J::as_f64)
    }

    /// The current value as a boolean.
    ///
    /// # Panics
    /// When nothing was captured or the value is not a boolean.
    pub fn as_bool(&self) -> bool {
        self.typed("boolean", J::as_bool)
    }

    /// The current value as an array.
    ///
    /// # Panics
    /// When nothing was captured or the value is not an array.
    pub fn as_array(&self) -> Vec<J> {
        self.typed("array", |v| v.as_array().cloned())
    }

    /// The current value as an object.
    ///
    /// # Panics
    /// When nothing was captured or the value is not an object.
    pub fn as_object(&self) -> serde_json::Map<String, J> {
        self.typed("object", |v| v.as_object().cloned())
    }
}

impl PartialEq for Capture {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

fn type_name(v: &J) -> &'static str {
    match v {
        J::Null => "object",
        J::Bool(_) => "boolean",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}
