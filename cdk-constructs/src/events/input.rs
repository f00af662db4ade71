//! What a rule sends to a target (aws-cdk-lib's `RuleTargetInput` and `EventField`).
//!
//! By default a target gets the matched event. [`RuleTargetInput`] replaces it with fixed JSON
//! ([`RuleTargetInput::from_object`]), text ([`RuleTargetInput::from_text`],
//! [`RuleTargetInput::from_multiline_text`]) or a part of the event
//! ([`RuleTargetInput::from_event_path`]). Values of the event can be placed inside objects and
//! texts with [`EventField`]: the input then becomes an `InputTransformer` whose
//! `InputPathsMap` names each JSON path once and whose `InputTemplate` refers to them as
//! `<key>`, exactly as aws-cdk-lib renders it.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps, Str};
//! use cdk_constructs::events::{EventField, EventPattern, Rule, RuleProps, RuleTargetInput};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "S", StackProps::default());
//! let rule = Rule::new(&stack, "Rule", RuleProps {
//!     event_pattern: Some(EventPattern { source: vec!["aws.codebuild".into()], ..Default::default() }),
//!     ..Default::default()
//! });
//! let input = RuleTargetInput::from_text(Str::format(
//!     "Build {} is {}",
//!     [EventField::from_path("$.detail.build-id"), EventField::from_path("$.detail.build-status")],
//! ));
//! let props = input.bind(&rule);
//! assert_eq!(
//!     stack.resolve(props.input_template.unwrap().value()).unwrap(),
//!     serde_json::json!("\"Build <detail-build-id> is <detail-build-status>\"")
//! );
//! assert_eq!(props.input_paths_map.unwrap()["detail-build-status"], "$.detail.build-status");
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::{json, IConstruct, Str, Value};

use super::Rule;

thread_local! {
    /// The tokens [`EventField::from_path`] made, with their JSON paths.
    static EVENT_FIELDS: RefCell<Vec<(Value, Rc<str>)>> = const { RefCell::new(Vec::new()) };
    /// The objects [`ordered_object`] made, with their entries.
    static ORDERED_OBJECTS: RefCell<Vec<(Value, Rc<Pairs>)>> = const { RefCell::new(Vec::new()) };
}

type Pairs = Vec<(String, Value)>;

/// Whether a registered token is still held outside the registry (entries of dropped tokens
/// are removed, so the registries do not grow across syntheses in one process).
fn still_used(token: &Value) -> bool {
    match token {
        Value::Lazy(lazy) => lazy.is_shared(),
        _ => true,
    }
}

/// A JSON object whose keys are written in the order given (a [`Value::Map`] is written with
/// sorted keys), for [`RuleTargetInput::from_object`]: like a JavaScript object literal in
/// aws-cdk-lib's `fromObject`. Values may hold [`EventField`]s and other tokens, and further
/// ordered objects.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::{ordered_object, EventField, EventPattern, Rule, RuleProps, RuleTargetInput};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let rule = Rule::new(&stack, "Rule", RuleProps {
///     event_pattern: Some(EventPattern { source: vec!["aws.s3".into()], ..Default::default() }),
///     ..Default::default()
/// });
/// let input = RuleTargetInput::from_object(ordered_object([
///     ("name", "REGION".into()),
///     ("value", EventField::region().into()),
/// ]));
/// let props = input.bind(&rule);
/// assert_eq!(
///     stack.resolve(props.input_template.unwrap().value()).unwrap(),
///     serde_json::json!("{\"name\":\"REGION\",\"value\":<region>}")
/// );
/// ```
pub fn ordered_object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
    let pairs: Pairs = pairs.into_iter().map(|(k, v)| (k.into(), v)).collect();
    let token = json::ordered_object(
        pairs
            .iter()
            .map(|(k, v)| (Str::from(k.as_str()), v.clone()))
            .collect(),
    );
    ORDERED_OBJECTS.with(|objects| {
        let mut objects = objects.borrow_mut();
        objects.retain(|(token, _)| still_used(token));
        objects.push((token.clone(), Rc::new(pairs)));
    });
    token
}

fn ordered_object_pairs(value: &Value) -> Option<Rc<Pairs>> {
    if !matches!(value, Value::Lazy(_)) {
        return None;
    }
    ORDERED_OBJECTS.with(|objects| {
        objects
            .borrow()
            .iter()
            .find(|(token, _)| token == value)
            .map(|(_, pairs)| pairs.clone())
    })
}

/// The JSON path of `value` when it is a token made by [`EventField::from_path`].
fn event_field_path(value: &Value) -> Option<Rc<str>> {
    if !matches!(value, Value::Lazy(_)) {
        return None;
    }
    EVENT_FIELDS.with(|fields| {
        fields
            .borrow()
            .iter()
            .find(|(token, _)| token == value)
            .map(|(_, path)| path.clone())
    })
}

/// A value of the matched event, to be used inside a [`RuleTargetInput`] (aws-cdk-lib's
/// `EventField`).
///
/// Each function returns a string token: concatenate it with text (`+`, [`Str::format`]) or
/// put it into an object. Outside a rule target input it renders as its JSON path.
///
/// ```
/// use cdk_core::{App, Stack, StackProps, Value};
/// use cdk_constructs::events::{EventField, EventPattern, Rule, RuleProps, RuleTargetInput};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let rule = Rule::new(&stack, "Rule", RuleProps {
///     event_pattern: Some(EventPattern { source: vec!["aws.s3".into()], ..Default::default() }),
///     ..Default::default()
/// });
/// let input = RuleTargetInput::from_object(Value::object([
///     ("account", EventField::account()),
///     ("key", EventField::from_path("$.detail.object.key")),
/// ]));
/// let props = input.bind(&rule);
/// assert_eq!(
///     stack.resolve(props.input_template.unwrap().value()).unwrap(),
///     serde_json::json!("{\"account\":<account>,\"key\":<detail-object-key>}")
/// );
/// ```
pub struct EventField;

impl EventField {
    /// The value at a JSON path of the event (e.g. `$.detail.build-status`). In a template it
    /// is named after the path: leading symbols dropped, other characters than
    /// `A-Za-z0-9_-` replaced by `-` (`detail-build-status`).
    pub fn from_path(path: &str) -> Str {
        let shared: Rc<str> = Rc::from(path);
        let rendered = shared.clone();
        let token = Value::lazy(move || Value::String(rendered.to_string()));
        EVENT_FIELDS.with(|fields| {
            let mut fields = fields.borrow_mut();
            fields.retain(|(token, _)| still_used(token));
            fields.push((token.clone(), shared));
        });
        Str::from_value(token)
    }

    /// The event's ID (`$.id`).
    pub fn event_id() -> Str {
        Self::from_path("$.id")
    }

    /// The event's detail type (`$.detail-type`).
    pub fn detail_type() -> Str {
        Self::from_path("$.detail-type")
    }

    /// The event's source (`$.source`).
    pub fn source() -> Str {
        Self::from_path("$.source")
    }

    /// The account the event came from (`$.account`).
    pub fn account() -> Str {
        Self::from_path("$.account")
    }

    /// The time of the event (`$.time`).
    pub fn time() -> Str {
        Self::from_path("$.time")
    }

    /// The region of the event (`$.region`).
    pub fn region() -> Str {
        Self::from_path("$.region")
    }
}

/// aws-cdk-lib's display hint of an event field: the name its template key gets.
fn display_hint(path: &str) -> String {
    let trimmed =
        path.trim_start_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    trimmed
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// How the value of a [`RuleTargetInput`] is written (aws-cdk-lib's `InputType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputType {
    /// A JSON object (or any JSON value).
    Object,
    /// One line of text, written as a JSON string.
    Text,
    /// Text whose every line is written as a JSON string.
    Multiline,
}

#[derive(Clone, Debug)]
enum Kind {
    EventPath(Str),
    FieldAware(Value, InputType),
}

/// What a rule target receives instead of the matched event (aws-cdk-lib's
/// `RuleTargetInput`). See the [module docs](self) and [`EventField`].
#[derive(Clone, Debug)]
pub struct RuleTargetInput {
    kind: Kind,
}

/// The input properties of a rule target (aws-cdk-lib's `RuleTargetInputProperties`): at most
/// one of `input`, `input_path`, `input_template` (with `input_paths_map`) is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleTargetInputProperties {
    /// `Input`: fixed JSON text.
    pub input: Option<Str>,
    /// `InputPath`: the part of the event passed on.
    pub input_path: Option<Str>,
    /// `InputTransformer.InputTemplate`.
    pub input_template: Option<Str>,
    /// `InputTransformer.InputPathsMap`: template key to JSON path.
    pub input_paths_map: Option<BTreeMap<String, String>>,
}

impl RuleTargetInput {
    /// Text, sent as a JSON string (`"text"`); [`EventField`]s in it are filled in from the
    /// event.
    pub fn from_text(text: impl Into<Str>) -> Self {
        Self::field_aware(text.into().into_value(), InputType::Text)
    }

    /// Text of several lines, each sent as a JSON string on its own line.
    pub fn from_multiline_text(text: impl Into<Str>) -> Self {
        Self::field_aware(text.into().into_value(), InputType::Multiline)
    }

    /// A JSON value (usually an object) with [`EventField`]s or other tokens inside. Keys of a
    /// [`Value::Map`] are written sorted; an [`ordered_object`] keeps its order, as does a
    /// literal `serde_json` object passed as [`Value::raw_json`].
    pub fn from_object(object: impl Into<Value>) -> Self {
        Self::field_aware(object.into(), InputType::Object)
    }

    /// The part of the event at a JSON path (`InputPath`, e.g. `$.detail`).
    pub fn from_event_path(path: impl Into<Str>) -> Self {
        RuleTargetInput {
            kind: Kind::EventPath(path.into()),
        }
    }

    fn field_aware(source: Value, input_type: InputType) -> Self {
        RuleTargetInput {
            kind: Kind::FieldAware(source, input_type),
        }
    }

    /// The input properties for a target of `rule` (called by [`Rule::add_target`]). Two
    /// different JSON paths with the same key are an error on the rule.
    pub fn bind(&self, rule: &Rule) -> RuleTargetInputProperties {
        let (source, input_type) = match &self.kind {
            Kind::EventPath(path) => {
                return RuleTargetInputProperties {
                    input_path: Some(path.clone()),
                    ..Default::default()
                }
            }
            Kind::FieldAware(source, input_type) => (source, *input_type),
        };
        let mut fields = Fields::default();
        let replaced = fields.replace(source);
        let rendered = match input_type {
            InputType::Multiline => multiline(&replaced),
            _ => json::to_json_string(replaced, 0),
        };
        for error in &fields.errors {
            rule.node().add_error(error);
        }
        if fields.keys.is_empty() {
            return RuleTargetInputProperties {
                input: Some(rendered),
                ..Default::default()
            };
        }
        let keys: Vec<String> = fields.keys.iter().map(|(k, _)| k.clone()).collect();
        let template = if input_type == InputType::Object {
            unquote_key_placeholders(rendered, keys)
        } else {
            rendered
        };
        RuleTargetInputProperties {
            input_template: Some(template),
            input_paths_map: Some(fields.keys.into_iter().collect()),
            ..Default::default()
        }
    }
}

/// The fields met while an input is rendered: each JSON path gets one key.
#[derive(Default)]
struct Fields {
    /// Key and path, in the order first met.
    keys: Vec<(String, String)>,
    /// Path to key.
    by_path: BTreeMap<String, String>,
    counter: usize,
    errors: Vec<String>,
}

impl Fields {
    fn key_for(&mut self, path: &str) -> String {
        if let Some(key) = self.by_path.get(path) {
            return key.clone();
        }
        self.counter += 1;
        let hint = display_hint(path);
        let key = if hint.is_empty() {
            format!("f{}", self.counter)
        } else {
            hint
        };
        self.by_path.insert(path.to_string(), key.clone());
        match self.keys.iter().find(|(k, _)| *k == key) {
            Some((_, other)) if other != path => self.errors.push(format!(
                "Single key '{key}' is used for two different JSON paths: '{path}' and '{other}'"
            )),
            Some(_) => {}
            None => self.keys.push((key.clone(), path.to_string())),
        }
        key
    }

    /// `value` with every event field replaced by its `<key>` placeholder.
    fn replace(&mut self, value: &Value) -> Value {
        if let Some(path) = event_field_path(value) {
            return Value::String(format!("<{}>", self.key_for(&path)));
        }
        if let Some(pairs) = ordered_object_pairs(value) {
            return json::ordered_object(
                pairs
                    .iter()
                    .map(|(k, v)| (Str::from(k.as_str()), self.replace(v)))
                    .collect(),
            );
        }
        match value {
            Value::List(items) => Value::List(items.iter().map(|v| self.replace(v)).collect()),
            Value::Map(map) => Value::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.replace(v)))
                    .collect(),
            ),
            Value::Concat(parts) => Str::concat(
                parts
                    .iter()
                    .map(|p| Str::from_value(self.replace(p)))
                    .collect::<Vec<_>>(),
            )
            .into_value(),
            other => other.clone(),
        }
    }
}

/// aws-cdk-lib's multi-line rendering: every line of the text as a JSON string, joined by
/// newlines.
fn multiline(text: &Value) -> Str {
    let parts: Vec<Value> = match text {
        Value::Concat(parts) => parts.clone(),
        other => vec![other.clone()],
    };
    let mut lines: Vec<Vec<Value>> = vec![Vec::new()];
    for part in parts {
        match part {
            Value::String(s) => {
                let mut pieces = s.split('\n');
                if let Some(first) = pieces.next() {
                    push_text(lines.last_mut(), first);
                }
                for piece in pieces {
                    lines.push(Vec::new());
                    push_text(lines.last_mut(), piece);
                }
            }
            other => {
                if let Some(line) = lines.last_mut() {
                    line.push(other);
                }
            }
        }
    }
    let mut out = Str::from("");
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            out = out + "\n";
        }
        let line = Str::concat(line.into_iter().map(Str::from_value).collect::<Vec<_>>());
        out = out + json::to_json_string(line, 0);
    }
    out
}

fn push_text(line: Option<&mut Vec<Value>>, text: &str) {
    if let Some(line) = line {
        if !text.is_empty() {
            line.push(Value::String(text.to_string()));
        }
    }
}

/// aws-cdk-lib's `unquoteKeyPlaceholders`: in an object template, `"<key>"` becomes `<key>` (the
/// event's value is inserted as JSON), unless the quote is escaped.
fn unquote_key_placeholders(template: Str, keys: Vec<String>) -> Str {
    Str::lazy_with_context(move |ctx| {
        let Some(mut resolved) = ctx.resolve(template.value()) else {
            return Str::from_value(Value::Null);
        };
        deep_unquote(&mut resolved, &keys);
        match resolved {
            serde_json::Value::String(s) => Str::from(s),
            other => Str::from_value(Value::raw_json(other)),
        }
    })
}

fn deep_unquote(value: &mut serde_json::Value, keys: &[String]) {
    match value {
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| deep_unquote(v, keys)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| deep_unquote(v, keys)),
        serde_json::Value::String(s) => {
            for key in keys {
                *s = unquote(s, key);
            }
        }
        _ => {}
    }
}

/// Replaces `"<key>"` by `<key>` where the opening quote is not preceded by a backslash.
fn unquote(text: &str, key: &str) -> String {
    let needle = format!("\"<{key}>\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let escaped = if at > 0 {
            rest[..at].ends_with('\\')
        } else {
            out.ends_with('\\')
        };
        out.push_str(&rest[..at]);
        if escaped {
            out.push_str(&needle);
        } else {
            out.push_str(&needle[1..needle.len() - 1]);
        }
        rest = &rest[at + needle.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hints_follow_aws_cdk_lib() {
        assert_eq!(display_hint("$.detail.build-status"), "detail-build-status");
        assert_eq!(display_hint("$.detail-type"), "detail-type");
        assert_eq!(display_hint("$"), "");
        assert_eq!(display_hint("$.detail.a b[0]"), "detail-a-b-0-");
    }

    #[test]
    fn dropped_tokens_leave_the_registries() {
        for i in 0..100 {
            let _ = EventField::from_path(&format!("$.detail.f{i}"));
            let _ = ordered_object([("k", Value::from(i))]);
        }
        let kept = EventField::from_path("$.detail.kept");
        let kept_object = ordered_object([("kept", Value::from(1))]);
        assert!(EVENT_FIELDS.with(|f| f.borrow().len()) <= 2);
        assert!(ORDERED_OBJECTS.with(|o| o.borrow().len()) <= 2);
        assert_eq!(
            event_field_path(kept.value()).as_deref(),
            Some("$.detail.kept")
        );
        assert!(ordered_object_pairs(&kept_object).is_some());
    }

    #[test]
    fn unquote_skips_escaped_quotes() {
        assert_eq!(unquote(r#"{"a":"<k>"}"#, "k"), "{\"a\":<k>}");
        assert_eq!(unquote(r#"{"a":"\"<k>\""}"#, "k"), r#"{"a":"\"<k>\""}"#);
    }
}
