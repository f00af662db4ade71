//! Matchers with aws-cdk-lib's semantics (`assertions/lib/match.js`, `matcher.js`).

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::Value as J;

use crate::capture::Capture;
use crate::pattern::Pattern;

/// A matcher: tests a JSON value and explains any mismatch. Build one with [`Match`].
///
/// ```
/// use cdk_assertions::Match;
/// let arn = serde_json::json!("arn:aws:s3:::b");
/// assert!(Match::string_like_regexp("^arn:").test(&arn).is_success());
/// let result = Match::string_like_regexp("^s3:").test(&arn);
/// assert_eq!(result.to_human_strings(), ["String 'arn:aws:s3:::b' did not match pattern '^s3:' (using stringLikeRegexp matcher)"]);
/// ```
#[derive(Clone)]
pub struct Matcher {
    name: &'static str,
    kind: Rc<Kind>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Match::{}(..)", self.name)
    }
}

enum Kind {
    Absent,
    AnyValue,
    Object {
        pattern: Vec<(String, Pattern)>,
        partial: bool,
    },
    Array {
        pattern: Vec<Pattern>,
        subsequence: bool,
        partial_objects: bool,
    },
    Literal {
        pattern: Pattern,
        partial_objects: bool,
    },
    Not(Pattern),
    SerializedJson(Pattern),
    Regex {
        source: String,
        regex: regex::Regex,
    },
    Capture(Capture),
}

/// The matchers of aws-cdk-lib's `Match`, with the same semantics.
///
/// ```
/// use cdk_assertions::{pattern, Match, Template};
/// let t = Template::from_json(serde_json::json!({"Resources": {"R": {"Type": "AWS::IAM::Role",
///     "Properties": {"Policies": [{"PolicyName": "p"}, {"PolicyName": "q"}]}}}}));
/// t.has_resource_properties("AWS::IAM::Role", pattern!({
///     "Policies": Match::array_with([Match::object_like(pattern!({"PolicyName": "q"}))]),
/// }));
/// ```
pub struct Match;

impl Match {
    /// The key must be absent (only meaningful as an object value).
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::object_like(pattern!({"RoleName": Match::absent()}));
    /// assert!(m.test(&serde_json::json!({"Path": "/"})).is_success());
    /// ```
    pub fn absent() -> Matcher {
        Matcher::new("absent", Kind::Absent)
    }

    /// Any value except `null` or a missing key.
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::object_like(pattern!({"Arn": Match::any_value()}));
    /// assert!(m.test(&serde_json::json!({"Arn": {"Fn::GetAtt": ["R", "Arn"]}})).is_success());
    /// assert!(m.test(&serde_json::json!({"Arn": null})).has_failed());
    /// ```
    pub fn any_value() -> Matcher {
        Matcher::new("anyValue", Kind::AnyValue)
    }

    /// An array containing these elements in this order, with any other elements before,
    /// between and after them (a subsequence, matched greedily from the left). As in
    /// aws-cdk-lib, literal elements match exactly (a literal object must have exactly its
    /// keys): wrap them in [`Match::object_like`] for a partial match. `absent` and
    /// `any_value` cannot be elements.
    ///
    /// ```
    /// use cdk_assertions::Match;
    /// let v = serde_json::json!(["a", "b", "c"]);
    /// assert!(Match::array_with(["a", "c"]).test(&v).is_success());
    /// assert!(Match::array_with(["c", "a"]).test(&v).has_failed());
    /// ```
    pub fn array_with(pattern: impl IntoIterator<Item = impl Into<Pattern>>) -> Matcher {
        Matcher::new(
            "arrayWith",
            Kind::Array {
                pattern: pattern.into_iter().map(Into::into).collect(),
                subsequence: true,
                partial_objects: false,
            },
        )
    }

    /// An array of exactly these elements, in order.
    ///
    /// ```
    /// use cdk_assertions::Match;
    /// assert!(Match::array_equals([1, 2]).test(&serde_json::json!([1, 2])).is_success());
    /// assert!(Match::array_equals([1]).test(&serde_json::json!([1, 2])).has_failed());
    /// ```
    pub fn array_equals(pattern: impl IntoIterator<Item = impl Into<Pattern>>) -> Matcher {
        Matcher::new(
            "arrayEquals",
            Kind::Array {
                pattern: pattern.into_iter().map(Into::into).collect(),
                subsequence: false,
                partial_objects: false,
            },
        )
    }

    /// Exactly this value: objects must have exactly these keys, at every depth.
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::exact(pattern!({"Status": "Enabled"}));
    /// assert!(m.test(&serde_json::json!({"Status": "Enabled", "Extra": 1})).has_failed());
    /// ```
    ///
    /// # Panics
    /// When `pattern` is itself a matcher (as aws-cdk-lib throws).
    pub fn exact(pattern: impl Into<Pattern>) -> Matcher {
        let pattern = pattern.into();
        assert!(
            pattern.as_matcher().is_none(),
            "LiteralMatch cannot directly contain another matcher. Remove the top-level matcher or nest it more deeply."
        );
        Matcher::new(
            "exact",
            Kind::Literal {
                pattern,
                partial_objects: false,
            },
        )
    }

    /// An object with at least these keys (other keys are ignored); nested literal objects
    /// are matched the same way.
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::object_like(pattern!({"A": {"B": 1}}));
    /// assert!(m.test(&serde_json::json!({"A": {"B": 1, "C": 2}, "D": 3})).is_success());
    /// ```
    ///
    /// # Panics
    /// When `pattern` is not an object.
    pub fn object_like(pattern: impl Into<Pattern>) -> Matcher {
        Matcher::new(
            "objectLike",
            Kind::Object {
                pattern: object_pattern("objectLike", pattern.into()),
                partial: true,
            },
        )
    }

    /// An object with exactly these keys; nested literal objects must match exactly too.
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::object_equals(pattern!({"A": 1}));
    /// assert!(m.test(&serde_json::json!({"A": 1})).is_success());
    /// assert!(m.test(&serde_json::json!({"A": 1, "B": 2})).has_failed());
    /// ```
    ///
    /// # Panics
    /// When `pattern` is not an object.
    pub fn object_equals(pattern: impl Into<Pattern>) -> Matcher {
        Matcher::new(
            "objectEquals",
            Kind::Object {
                pattern: object_pattern("objectEquals", pattern.into()),
                partial: false,
            },
        )
    }

    /// Anything that does not match `pattern` (a literal is matched exactly).
    ///
    /// ```
    /// use cdk_assertions::Match;
    /// assert!(Match::not("*").test(&serde_json::json!("arn:aws:s3:::b")).is_success());
    /// ```
    pub fn not(pattern: impl Into<Pattern>) -> Matcher {
        Matcher::new("not", Kind::Not(pattern.into()))
    }

    /// A string holding JSON that matches `pattern` (e.g. a Step Functions definition); a
    /// literal pattern is matched exactly, as in aws-cdk-lib.
    ///
    /// ```
    /// use cdk_assertions::{pattern, Match};
    /// let m = Match::serialized_json(Match::object_like(pattern!({"StartAt": "A"})));
    /// assert!(m.test(&serde_json::json!("{\"StartAt\": \"A\", \"States\": {}}")).is_success());
    /// ```
    pub fn serialized_json(pattern: impl Into<Pattern>) -> Matcher {
        Matcher::new("serializedJson", Kind::SerializedJson(pattern.into()))
    }

    /// A string in which the regular expression finds a match (JavaScript's
    /// `new RegExp(pattern, "gm").test(s)`; the `regex` crate's syntax, without lookaround).
    ///
    /// ```
    /// use cdk_assertions::Match;
    /// assert!(Match::string_like_regexp("^arn:aws:iam::").test(&serde_json::json!("arn:aws:iam::1:role/r")).is_success());
    /// ```
    ///
    /// # Panics
    /// When the expression does not compile.
    pub fn string_like_regexp(pattern: &str) -> Matcher {
        let regex = regex::RegexBuilder::new(pattern)
            .multi_line(true)
            .build()
            .unwrap_or_else(|e| panic!("invalid regular expression {pattern:?}: {e}"));
        Matcher::new(
            "stringLikeRegexp",
            Kind::Regex {
                source: pattern.to_string(),
                regex,
            },
        )
    }
}

/// `pattern` itself when it is a matcher, else `Match::object_like(pattern)`: how aws-cdk-lib
/// treats the pattern of a whole section entry, a template or a capture.
pub(crate) fn or_object_like(pattern: &Pattern) -> Matcher {
    match pattern.as_matcher() {
        Some(m) => m.clone(),
        None => Match::object_like(pattern.clone()),
    }
}

fn object_pattern(name: &str, pattern: Pattern) -> Vec<(String, Pattern)> {
    match pattern {
        Pattern::Object(fields) => fields,
        other => panic!("Match::{name} expects an object pattern, got {other:?}"),
    }
}

/// JavaScript's `typeof` with arrays as `array` (aws-cdk-lib's `getType`).
fn type_of(value: Option<&J>) -> &'static str {
    match value {
        None => "undefined",
        Some(J::Null) => "object",
        Some(J::Bool(_)) => "boolean",
        Some(J::Number(_)) => "number",
        Some(J::String(_)) => "string",
        Some(J::Array(_)) => "array",
        Some(J::Object(_)) => "object",
    }
}

/// A value as JavaScript's template literals print it.
fn js_text(value: Option<&J>) -> String {
    match value {
        None => "undefined".into(),
        Some(J::String(s)) => s.clone(),
        Some(J::Number(n)) => js_number(n),
        Some(J::Array(items)) => items
            .iter()
            .map(|i| match i {
                J::Null => String::new(),
                other => js_text(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(J::Object(_)) => "[object Object]".into(),
        Some(other) => other.to_string(),
    }
}

fn js_number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i128),
        Some(f) => format!("{f}"),
        None => n.to_string(),
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

impl Matcher {
    fn new(name: &'static str, kind: Kind) -> Self {
        Matcher {
            name,
            kind: Rc::new(kind),
        }
    }

    pub(crate) fn capture(capture: Capture) -> Self {
        Matcher::new("Capture", Kind::Capture(capture))
    }

    fn literal(name: &'static str, pattern: Pattern, partial_objects: bool) -> Self {
        Matcher::new(
            name,
            Kind::Literal {
                pattern,
                partial_objects,
            },
        )
    }

    /// `pattern` itself when it is a matcher, else a literal match of it (named `name`).
    fn or_literal(name: &'static str, pattern: &Pattern, partial_objects: bool) -> Matcher {
        match pattern.as_matcher() {
            Some(m) => m.clone(),
            None => Matcher::literal(name, pattern.clone(), partial_objects),
        }
    }

    /// aws-cdk-lib's name of the matcher (`objectLike`, `arrayWith`, ...).
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub(crate) fn is_absent(&self) -> bool {
        matches!(*self.kind, Kind::Absent)
    }

    /// Tests `actual` (a present value).
    pub fn test<'a>(&self, actual: &'a J) -> MatchResult<'a> {
        self.test_opt(Some(Cow::Borrowed(actual)))
    }

    /// Tests a value that may be missing (`None` is JavaScript's `undefined`).
    pub(crate) fn test_opt<'a>(&self, actual: Option<Cow<'a, J>>) -> MatchResult<'a> {
        match &*self.kind {
            Kind::Absent => {
                let mut r = MatchResult::new(actual);
                if let Some(v) = r.target.as_deref() {
                    let message =
                        format!("Received {}, but key should be absent", js_text(Some(v)));
                    r.record_failure(self.name, Vec::new(), message, 1);
                }
                r
            }
            Kind::AnyValue => {
                let mut r = MatchResult::new(actual);
                if matches!(r.target.as_deref(), None | Some(J::Null)) {
                    r.record_failure(
                        self.name,
                        Vec::new(),
                        "Expected a value but found none".into(),
                        1,
                    );
                }
                r
            }
            Kind::Capture(capture) => {
                let mut r = MatchResult::new(actual);
                match r.target.as_deref() {
                    None | Some(J::Null) => {
                        let found = if r.target.is_none() {
                            "undefined"
                        } else {
                            "null"
                        };
                        r.record_failure(
                            self.name,
                            Vec::new(),
                            format!("Can only capture non-nullish values. Found {found}"),
                            1,
                        );
                        return r;
                    }
                    Some(_) => {}
                }
                if let Some(pattern) = capture.pattern() {
                    let inner = or_object_like(&pattern);
                    let result = inner.test_opt(r.target.clone());
                    if result.has_failed() {
                        return result;
                    }
                }
                let value = r.target.as_deref().cloned().unwrap_or(J::Null);
                r.captures.push((capture.clone(), value));
                r
            }
            Kind::Literal {
                pattern,
                partial_objects,
            } => self.test_literal(pattern, *partial_objects, actual),
            Kind::Object { pattern, partial } => self.test_object(pattern, *partial, actual),
            Kind::Array {
                pattern,
                subsequence,
                partial_objects,
            } => {
                let is_array = matches!(actual.as_deref(), Some(J::Array(_)));
                if !is_array {
                    let mut r = MatchResult::new(actual);
                    let message = format!(
                        "Expected type array but received {}",
                        type_of(r.target.as_deref())
                    );
                    r.record_failure(self.name, Vec::new(), message, 1);
                    return r;
                }
                if *subsequence {
                    self.test_subsequence(pattern, *partial_objects, actual)
                } else {
                    self.test_full_array(pattern, *partial_objects, actual)
                }
            }
            Kind::Not(pattern) => {
                let inner = Matcher::or_literal(self.name, pattern, false);
                let inner_result = inner.test_opt(actual.clone());
                let mut r = MatchResult::new(actual);
                if inner_result.fail_count() == 0 {
                    let shown = r
                        .target
                        .as_deref()
                        .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                        .unwrap_or_else(|| "undefined".into());
                    r.record_failure(
                        self.name,
                        Vec::new(),
                        format!("Found unexpected match: {shown}"),
                        1,
                    );
                }
                r
            }
            Kind::SerializedJson(pattern) => {
                let text = match actual.as_deref() {
                    Some(J::String(s)) => s.clone(),
                    other => {
                        let message =
                            format!("Expected JSON as a string but found {}", type_of(other));
                        let mut r = MatchResult::new(actual);
                        r.record_failure(self.name, Vec::new(), message, 1);
                        return r;
                    }
                };
                let parsed: J = match serde_json::from_str(&text) {
                    Ok(v) => v,
                    Err(_) => {
                        let mut r = MatchResult::new(actual);
                        r.record_failure(
                            self.name,
                            Vec::new(),
                            format!("Invalid JSON string: {text}"),
                            1,
                        );
                        return r;
                    }
                };
                let inner = Matcher::or_literal(self.name, pattern, false);
                let mut r = inner.test_opt(Some(Cow::Owned(parsed)));
                if r.has_failed() {
                    r.record_failure(
                        self.name,
                        Vec::new(),
                        "Encoded JSON value does not match".into(),
                        1,
                    );
                }
                r
            }
            Kind::Regex { source, regex } => {
                let mut r = MatchResult::new(actual);
                let text = match r.target.as_deref() {
                    Some(J::String(s)) => Some(s.clone()),
                    _ => None,
                };
                if text.is_none() {
                    let message = format!(
                        "Expected a string, but got '{}'",
                        match r.target.as_deref() {
                            None => "undefined",
                            Some(J::Array(_)) | Some(J::Object(_)) | Some(J::Null) => "object",
                            other => type_of(other),
                        }
                    );
                    r.record_failure(self.name, Vec::new(), message, 1);
                }
                // JavaScript tests the value converted to a string.
                let subject = text.unwrap_or_else(|| js_text(r.target.as_deref()));
                if !regex.is_match(&subject) {
                    r.record_failure(
                        self.name,
                        Vec::new(),
                        format!("String '{subject}' did not match pattern '{source}'"),
                        1,
                    );
                }
                r
            }
        }
    }

    fn test_literal<'a>(
        &self,
        pattern: &Pattern,
        partial_objects: bool,
        actual: Option<Cow<'a, J>>,
    ) -> MatchResult<'a> {
        match pattern {
            Pattern::Array(items) => {
                return Matcher::new(
                    self.name,
                    Kind::Array {
                        pattern: items.clone(),
                        subsequence: false,
                        partial_objects,
                    },
                )
                .test_opt(actual)
            }
            Pattern::Object(fields) => {
                return Matcher::new(
                    self.name,
                    Kind::Object {
                        pattern: fields.clone(),
                        partial: partial_objects,
                    },
                )
                .test_opt(actual)
            }
            Pattern::Matcher(m) => return m.test_opt(actual),
            _ => {}
        }
        let mut r = MatchResult::new(actual);
        let actual = r.target.as_deref();
        let (expected_type, equal, expected_text) = match pattern {
            Pattern::Null => (
                "object",
                matches!(actual, Some(J::Null)),
                "null".to_string(),
            ),
            Pattern::Bool(b) => ("boolean", actual == Some(&J::Bool(*b)), b.to_string()),
            Pattern::Number(n) => (
                "number",
                matches!(actual, Some(J::Number(a)) if numbers_equal(a, n)),
                js_number(n),
            ),
            Pattern::String(s) => (
                "string",
                matches!(actual, Some(J::String(a)) if a == s),
                s.clone(),
            ),
            _ => unreachable!("handled above"),
        };
        let actual_type = match actual {
            Some(J::Array(_)) => "object",
            other => type_of(other),
        };
        if expected_type != actual_type {
            let message = format!(
                "Expected type {expected_type} but received {}",
                type_of(actual)
            );
            r.record_failure(self.name, Vec::new(), message, 1);
            return r;
        }
        if !equal {
            let message = format!("Expected {expected_text} but received {}", js_text(actual));
            r.record_failure(self.name, Vec::new(), message, 1);
        }
        r
    }

    fn test_object<'a>(
        &self,
        pattern: &[(String, Pattern)],
        partial: bool,
        actual: Option<Cow<'a, J>>,
    ) -> MatchResult<'a> {
        let mut r = MatchResult::new(actual);
        let target = r.target.clone();
        let Some(J::Object(actual_map)) = target.as_deref() else {
            let message = format!(
                "Expected type object but received {}",
                match r.target.as_deref() {
                    Some(J::Null) => "null",
                    other => type_of(other),
                }
            );
            r.record_failure(self.name, Vec::new(), message, 1);
            return r;
        };
        if !partial {
            for key in actual_map.keys() {
                if !pattern.iter().any(|(k, _)| k == key) {
                    r.record_failure(
                        self.name,
                        vec![key.clone()],
                        format!("Unexpected key {key}"),
                        1,
                    );
                }
            }
        }
        for (key, value) in pattern {
            let is_absent = value.as_matcher().is_some_and(Matcher::is_absent);
            let present = actual_map.get(key);
            if present.is_none() && !is_absent {
                r.record_failure(
                    self.name,
                    vec![key.clone()],
                    format!("Missing key '{key}'"),
                    1,
                );
                continue;
            }
            let inner = Matcher::or_literal(self.name, value, partial);
            let child = match &target {
                Some(Cow::Borrowed(b)) => b.get(key).map(Cow::Borrowed),
                _ => present.cloned().map(Cow::Owned),
            };
            let result = inner.test_opt(child);
            r.compose(key, result);
        }
        r
    }

    fn test_full_array<'a>(
        &self,
        pattern: &[Pattern],
        partial_objects: bool,
        actual: Option<Cow<'a, J>>,
    ) -> MatchResult<'a> {
        let mut r = MatchResult::new(actual);
        let target = r.target.clone();
        let items_len = target.as_deref().and_then(J::as_array).map_or(0, Vec::len);
        let mut i = 0;
        while i < pattern.len() && i < items_len {
            let element = &pattern[i];
            let inner = Matcher::or_literal(self.name, element, partial_objects);
            let result = inner.test_opt(element_at(&target, i));
            r.compose(&i.to_string(), result);
            i += 1;
        }
        if i < pattern.len() {
            r.record_failure(
                self.name,
                vec![i.to_string()],
                format!(
                    "Not enough elements in array (expecting {}, got {items_len})",
                    pattern.len()
                ),
                1,
            );
        }
        if i < items_len {
            r.record_failure(
                self.name,
                vec![i.to_string()],
                format!(
                    "Too many elements in array (expecting {}, got {items_len})",
                    pattern.len()
                ),
                1,
            );
        }
        r
    }

    fn test_subsequence<'a>(
        &self,
        pattern: &[Pattern],
        partial_objects: bool,
        actual: Option<Cow<'a, J>>,
    ) -> MatchResult<'a> {
        let mut r = MatchResult::new(actual);
        let target = r.target.clone();
        let items_len = target.as_deref().and_then(J::as_array).map_or(0, Vec::len);
        let (mut pattern_idx, mut actual_idx) = (0, 0);
        // matches[pattern index] = [(actual index, result)] in the order tried.
        let mut matches: Vec<Vec<(usize, MatchResult<'a>)>> = vec![Vec::new(); pattern.len()];
        while pattern_idx < pattern.len() && actual_idx < items_len {
            let element = &pattern[pattern_idx];
            let matcher = Matcher::or_literal(self.name, element, partial_objects);
            assert!(
                matcher.name != "absent" && matcher.name != "anyValue",
                "The Matcher {}() cannot be nested within arrayWith()",
                matcher.name
            );
            let inner = matcher.test_opt(element_at(&target, actual_idx));
            let success = inner.is_success();
            matches[pattern_idx].push((actual_idx, inner.clone()));
            actual_idx += 1;
            if success {
                r.compose(&actual_idx.to_string(), inner);
                pattern_idx += 1;
            }
        }
        if pattern_idx < pattern.len() {
            for (spi, row) in matches.iter().enumerate().take(pattern_idx) {
                let Some((index, _)) = row.iter().find(|(_, r)| r.is_success()) else {
                    continue;
                };
                let mut note = MatchResult::new(element_at(&target, *index));
                note.record_failure(
                    self.name,
                    Vec::new(),
                    format!("arrayWith pattern {spi} matched here"),
                    0,
                );
                r.compose(&index.to_string(), note);
            }
            let mut failed: Vec<&(usize, MatchResult<'a>)> = matches[pattern_idx].iter().collect();
            failed.sort_by_key(|(i, r)| (r.fail_cost(), *i));
            if let Some((index, inner)) = failed.first() {
                r.record_failure(
                    self.name,
                    vec![index.to_string()],
                    format!("Could not match arrayWith pattern {pattern_idx}. This is the closest match"),
                    0,
                );
                r.compose(&index.to_string(), inner.clone());
            } else {
                r.record_failure(
                    self.name,
                    vec![items_len.to_string()],
                    format!(
                        "Could not match arrayWith pattern {pattern_idx}. No more elements to try"
                    ),
                    1,
                );
            }
        }
        r
    }
}

fn element_at<'a>(target: &Option<Cow<'a, J>>, i: usize) -> Option<Cow<'a, J>> {
    match target {
        Some(Cow::Borrowed(J::Array(items))) => items.get(i).map(Cow::Borrowed),
        Some(Cow::Owned(J::Array(items))) => items.get(i).cloned().map(Cow::Owned),
        _ => None,
    }
}

/// One failure recorded by a matcher.
#[derive(Clone, Debug)]
struct Failure {
    matcher: &'static str,
    path: Vec<String>,
    message: String,
}

/// The outcome of matching a value: failures by path, captured values, and the renderings
/// aws-cdk-lib gives them.
///
/// ```
/// use cdk_assertions::{pattern, Match};
/// let actual = serde_json::json!({"A": 2});
/// let result = Match::object_like(pattern!({"A": 1})).test(&actual);
/// assert_eq!(result.fail_count(), 1);
/// assert_eq!(result.to_human_strings(), ["Expected 1 but received 2 at /A (using objectLike matcher)"]);
/// assert!(result.render_mismatch().contains("Expected 1 but received 2"));
/// ```
#[derive(Clone, Debug)]
pub struct MatchResult<'a> {
    pub(crate) target: Option<Cow<'a, J>>,
    failures_here: Vec<(String, Vec<Failure>)>,
    inner: Vec<(String, MatchResult<'a>)>,
    pub(crate) captures: Vec<(Capture, J)>,
    failed: bool,
    fail_count: usize,
    cost: usize,
}

impl<'a> MatchResult<'a> {
    fn new(target: Option<Cow<'a, J>>) -> Self {
        MatchResult {
            target,
            failures_here: Vec::new(),
            inner: Vec::new(),
            captures: Vec::new(),
            failed: false,
            fail_count: 0,
            cost: 0,
        }
    }

    fn record_failure(
        &mut self,
        matcher: &'static str,
        path: Vec<String>,
        message: String,
        cost: usize,
    ) {
        let key = path.join(".");
        let failure = Failure {
            matcher,
            path,
            message,
        };
        match self.failures_here.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(failure),
            None => self.failures_here.push((key, vec![failure])),
        }
        self.fail_count += 1;
        self.cost += cost;
        self.failed = true;
    }

    fn compose(&mut self, id: &str, inner: MatchResult<'a>) {
        self.captures.extend(inner.captures.iter().cloned());
        if inner.has_failed() {
            self.failed = true;
            self.fail_count += inner.fail_count;
            self.cost += inner.cost;
            match self.inner.iter_mut().find(|(k, _)| k == id) {
                Some((_, existing)) => *existing = inner,
                None => self.inner.push((id.to_string(), inner)),
            }
        }
    }

    /// True when nothing failed.
    pub fn is_success(&self) -> bool {
        !self.failed
    }

    /// True when something failed.
    pub fn has_failed(&self) -> bool {
        self.failed
    }

    /// How many failures were recorded.
    pub fn fail_count(&self) -> usize {
        self.fail_count
    }

    /// The summed cost of the failures (used to rank close matches).
    pub fn fail_cost(&self) -> usize {
        self.cost
    }

    /// Commits captured values to their [`Capture`]s when the match succeeded (aws-cdk-lib's
    /// `finished`).
    pub fn finish(&self) {
        if self.fail_count == 0 {
            for (capture, value) in &self.captures {
                capture.push(value.clone());
            }
        }
    }

    /// Every failure as `message at /path (using X matcher)` (aws-cdk-lib's `toHumanStrings`).
    pub fn to_human_strings(&self) -> Vec<String> {
        self.failures_with_paths()
            .into_iter()
            .map(|(path, message, matcher)| {
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!(" at /{}", path.join("/"))
                };
                format!("{message}{at} (using {matcher} matcher)")
            })
            .collect()
    }

    /// `(path from the root, message, matcher)` of every failure, in recording order.
    pub(crate) fn failures_with_paths(&self) -> Vec<(Vec<String>, String, &'static str)> {
        let mut out = Vec::new();
        fn recurse<'b>(
            x: &MatchResult<'b>,
            prefix: &[String],
            out: &mut Vec<(Vec<String>, String, &'static str)>,
        ) {
            for (_, failures) in &x.failures_here {
                for f in failures {
                    let mut path = prefix.to_vec();
                    path.extend(f.path.iter().cloned());
                    out.push((path, f.message.clone(), f.matcher));
                }
            }
            for (key, inner) in &x.inner {
                let mut p = prefix.to_vec();
                p.push(key.clone());
                recurse(inner, &p, out);
            }
        }
        recurse(self, &[], &mut out);
        out
    }

    /// The value with `!!` markers where it did not match (aws-cdk-lib's `renderMismatch`).
    pub fn render_mismatch(&self) -> String {
        if !self.has_failed() {
            return "<match>".into();
        }
        let mut r = Renderer::default();
        r.emit_failures(self, "", None);
        r.recurse(self);
        let text = r.parts.concat();
        move_markers_to_front(text.trim_end())
    }
}

#[derive(Default)]
struct Renderer {
    parts: Vec<String>,
    indents: Vec<&'static str>,
}

impl Renderer {
    fn emit(&mut self, x: &str) {
        let indent = self.indents.concat();
        self.parts.push(x.replace('\n', &format!("\n{indent}")));
    }

    fn emit_failures(&mut self, r: &MatchResult<'_>, path: &str, scrap: Option<&mut Vec<String>>) {
        if let Some((_, failures)) = r.failures_here.iter().find(|(k, _)| k == path) {
            for f in failures {
                self.emit(&format!("!! {}\n", f.message));
            }
        }
        if let Some(set) = scrap {
            set.retain(|k| k != path);
        }
    }

    fn recurse(&mut self, r: &MatchResult<'_>) {
        let mut remaining: Vec<String> = r
            .failures_here
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| !k.is_empty())
            .collect();
        match r.target.as_deref() {
            Some(J::Array(items)) => {
                self.indents.push("  ");
                self.emit("[\n");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.emit(",\n");
                    }
                    let key = i.to_string();
                    self.emit_failures(r, &key, Some(&mut remaining));
                    match r.inner.iter().find(|(k, _)| *k == key) {
                        Some((_, inner)) => {
                            self.emit_failures(inner, "", None);
                            self.recurse_comparing(inner, Some(item));
                        }
                        None => self.emit(&abridged(Some(item))),
                    }
                }
                self.emit_remaining(r, &remaining);
                self.indents.pop();
                self.emit("\n]");
            }
            Some(J::Object(map)) => {
                self.indents.push("  ");
                self.emit("{\n");
                let mut keys: Vec<String> = map.keys().cloned().collect();
                for k in &remaining {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
                keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        self.emit(",\n");
                    }
                    self.emit_failures(r, key, Some(&mut remaining));
                    let jkey = serde_json::to_string(key).unwrap_or_default();
                    match r.inner.iter().find(|(k, _)| k == key) {
                        Some((_, inner)) => {
                            self.emit_failures(inner, "", None);
                            self.emit(&format!("{jkey}: "));
                            self.recurse_comparing(inner, map.get(key));
                        }
                        None => {
                            self.emit(&format!("{jkey}: "));
                            self.emit(&abridged(map.get(key)));
                        }
                    }
                }
                self.emit_remaining(r, &remaining);
                self.indents.pop();
                self.emit("\n}");
            }
            other => {
                self.emit_remaining(r, &remaining);
                self.emit(&jsonify(other));
            }
        }
    }

    fn emit_remaining(&mut self, r: &MatchResult<'_>, remaining: &[String]) {
        if !remaining.is_empty() {
            self.emit("\n");
        }
        for key in remaining {
            self.emit_failures(r, key, None);
        }
    }

    fn recurse_comparing(&mut self, inner: &MatchResult<'_>, actual: Option<&J>) {
        let same = match (inner.target.as_deref(), actual) {
            (Some(a), Some(b)) => std::ptr::eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.emit(&abridged(actual));
            self.emit(" <*> ");
        }
        self.recurse(inner);
    }
}

fn jsonify(x: Option<&J>) -> String {
    match x {
        None => "undefined".into(),
        Some(v) => serde_json::to_string(v).unwrap_or_default(),
    }
}

fn abridged(x: Option<&J>) -> String {
    match x {
        Some(J::Array(items)) => match items.len() {
            0 => "[]".into(),
            1 => format!("[ {} ]", abridged(items.first())),
            2 if items
                .iter()
                .all(|e| matches!(e, J::Number(_) | J::Bool(_) | J::String(_))) =>
            {
                format!(
                    "[ {}, {} ]",
                    abridged(items.first()),
                    abridged(items.get(1))
                )
            }
            _ => "[ ... ]".into(),
        },
        Some(J::Object(map)) => match map.len() {
            0 => "{}".into(),
            1 => {
                let (k, v) = map.iter().next().expect("one entry");
                format!(
                    "{{ {}: {} }}",
                    jsonify(Some(&J::String(k.clone()))),
                    abridged(Some(v))
                )
            }
            _ => "{ ... }".into(),
        },
        other => jsonify(other),
    }
}

/// `^(\s+)!!` → `!!` followed by the spaces minus two, on every line.
fn move_markers_to_front(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let spaces = line.len() - trimmed.len();
            if spaces > 0 && trimmed.starts_with("!!") {
                format!(
                    "!!{}{}",
                    " ".repeat(spaces.saturating_sub(2)),
                    &trimmed[2..]
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
