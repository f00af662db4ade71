//! `Annotations`: assertions on the errors, warnings and infos of a stack's constructs.

use cdk_core::{Error, IConstruct, Stack};
use serde_json::{json, Value as J};

use crate::error::AssertionError;
use crate::pattern::Pattern;
use crate::template::match_section;

/// The messages (`aws:cdk:error`, `aws:cdk:warning`, `aws:cdk:info` metadata) of a stack's
/// constructs, as the CLI shows them (aws-cdk-lib's `Annotations`).
///
/// Paths are construct paths with a leading `/` (`/Stack/Bucket/Resource`), or `*` for any.
/// Messages are matched like any pattern value: a string exactly, or a matcher such as
/// [`Match::string_like_regexp`](crate::Match::string_like_regexp).
///
/// rcdk fails synthesis on errors; `from_stack` then reads the errors synthesis reported (and
/// the warnings and infos from the tree), so `has_error` works for them too.
///
/// ```
/// use cdk_assertions::{Annotations, Match};
/// use cdk_core::{App, IConstruct, Node, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let thing = Node::new(&stack, "Thing");
/// thing.add_warning("prefer a smaller instance");
/// thing.add_error("the name is too long");
/// let a = Annotations::from_stack(&stack);
/// a.has_warning("/S/Thing", "prefer a smaller instance");
/// a.has_error("*", Match::string_like_regexp("too long"));
/// a.has_no_info("*", Match::any_value());
/// ```
pub struct Annotations {
    messages: Vec<J>,
}

impl Annotations {
    /// The messages of `stack`, after synthesis.
    ///
    /// # Panics
    /// When synthesis fails for another reason than validation errors.
    #[track_caller]
    pub fn from_stack(stack: &Stack) -> Annotations {
        match Annotations::try_from_stack(stack) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Annotations::from_stack`] as a `Result`.
    pub fn try_from_stack(stack: &Stack) -> Result<Annotations, AssertionError> {
        let stack_path = stack.node().path();
        let under = |path: &str| path == stack_path || path.starts_with(&format!("{stack_path}/"));
        let mut messages = Vec::new();
        match cdk_core::synth::synth_in_memory(stack) {
            Ok(assembly) => {
                let artifact = assembly
                    .stacks
                    .iter()
                    .find(|s| s.artifact_id == stack.artifact_id())
                    .ok_or_else(|| AssertionError::new("the stack is not in the assembly"))?;
                for (path, entries) in &artifact.metadata {
                    for entry in entries {
                        if let Some(level) = level_of(entry["type"].as_str().unwrap_or("")) {
                            messages.push(json!({"level": level, "entry": entry, "id": path}));
                        }
                    }
                }
            }
            Err(Error::Validation(errors)) => {
                for node in stack.node().find_all() {
                    for m in node.metadata() {
                        if let Some(level @ ("warning" | "info")) = level_of(&m.kind) {
                            messages.push(json!({
                                "level": level,
                                "entry": {"type": m.kind, "data": m.data},
                                "id": format!("/{}", node.path()),
                            }));
                        }
                    }
                }
                for e in errors.iter().filter(|e| under(&e.path)) {
                    messages.push(json!({
                        "level": "error",
                        "entry": {"type": "aws:cdk:error", "data": e.message},
                        "id": format!("/{}", e.path),
                    }));
                }
            }
            Err(e) => return Err(AssertionError::new(format!("synthesis failed: {e}"))),
        }
        Ok(Annotations { messages })
    }

    fn check(&self, level: &str, path: &str, message: Pattern) -> Result<(), AssertionError> {
        let entries = self.entries(path);
        match_section(entries, &pattern_of(level, message))
            .to_error(&format!("messages at path {path}"), "Stack")
    }

    fn check_none(&self, level: &str, path: &str, message: Pattern) -> Result<(), AssertionError> {
        let found = self.find(level, path, message);
        if found.is_empty() {
            return Ok(());
        }
        Err(AssertionError::new(format!(
            "Expected no matches, but stack has {} messages as follows:\n{}",
            found.len(),
            serde_json::to_string_pretty(&found).unwrap_or_default()
        )))
    }

    fn find(&self, level: &str, path: &str, message: Pattern) -> Vec<J> {
        let entries = self.entries(path);
        let result = match_section(entries, &pattern_of(level, message));
        result.matches.iter().map(|(_, v)| (*v).clone()).collect()
    }

    fn entries(&self, path: &str) -> Vec<(&str, &J)> {
        self.messages
            .iter()
            .filter(|m| path == "*" || m["id"] == path)
            .map(|m| (m["id"].as_str().unwrap_or(""), m))
            .collect()
    }

    /// Asserts an error at `path` (`*` for any) matches `message`.
    #[track_caller]
    pub fn has_error(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check("error", path, message.into()));
    }

    /// Asserts no error at `path` matches `message`.
    #[track_caller]
    pub fn has_no_error(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check_none("error", path, message.into()));
    }

    /// The errors at `path` matching `message` (`{"level", "entry", "id"}` objects).
    pub fn find_error(&self, path: &str, message: impl Into<Pattern>) -> Vec<J> {
        self.find("error", path, message.into())
    }

    /// Asserts a warning at `path` (`*` for any) matches `message`.
    #[track_caller]
    pub fn has_warning(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check("warning", path, message.into()));
    }

    /// Asserts no warning at `path` matches `message`.
    #[track_caller]
    pub fn has_no_warning(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check_none("warning", path, message.into()));
    }

    /// The warnings at `path` matching `message`.
    pub fn find_warning(&self, path: &str, message: impl Into<Pattern>) -> Vec<J> {
        self.find("warning", path, message.into())
    }

    /// Asserts an info at `path` (`*` for any) matches `message`.
    #[track_caller]
    pub fn has_info(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check("info", path, message.into()));
    }

    /// Asserts no info at `path` matches `message`.
    #[track_caller]
    pub fn has_no_info(&self, path: &str, message: impl Into<Pattern>) {
        unwrap(self.check_none("info", path, message.into()));
    }

    /// The infos at `path` matching `message`.
    pub fn find_info(&self, path: &str, message: impl Into<Pattern>) -> Vec<J> {
        self.find("info", path, message.into())
    }
}

fn level_of(kind: &str) -> Option<&'static str> {
    match kind {
        "aws:cdk:error" => Some("error"),
        "aws:cdk:warning" => Some("warning"),
        "aws:cdk:info" => Some("info"),
        _ => None,
    }
}

/// `{level, entry: {data: message}}`.
fn pattern_of(level: &str, message: Pattern) -> Pattern {
    Pattern::Object(vec![
        ("level".into(), Pattern::String(level.into())),
        (
            "entry".into(),
            Pattern::Object(vec![("data".into(), message)]),
        ),
    ])
}

#[track_caller]
fn unwrap(r: Result<(), AssertionError>) {
    if let Err(e) = r {
        panic!("{e}");
    }
}
