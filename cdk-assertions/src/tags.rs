//! `Tags`: assertions on a stack's own tags (the manifest's `tags`).

use cdk_core::Stack;
use serde_json::{Map, Value as J};

use crate::error::AssertionError;
use crate::matcher::Match;
use crate::pattern::Pattern;

/// The stack-level tags of a stack, as written to the manifest (aws-cdk-lib's `Tags`).
///
/// ```
/// use cdk_assertions::{pattern, Match, Tags};
/// use cdk_core::{App, CfnResource, CfnResourceProps, Stack, StackProps};
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps {
///     tags: [("team".to_string(), "payments".to_string())].into(),
///     ..Default::default()
/// });
/// CfnResource::new(&stack, "Topic", CfnResourceProps { resource_type: "AWS::SNS::Topic".into(), ..Default::default() });
/// let tags = Tags::from_stack(&stack);
/// tags.has_values(pattern!({"team": "payments"}));
/// tags.has_values(pattern!({"team": Match::string_like_regexp("^pay")}));
/// assert_eq!(tags.all()["team"], "payments");
/// ```
pub struct Tags {
    tags: Map<String, J>,
}

impl Tags {
    /// The tags of `stack`, after synthesis.
    ///
    /// # Panics
    /// When synthesis fails.
    #[track_caller]
    pub fn from_stack(stack: &Stack) -> Tags {
        let assembly = match cdk_core::synth::synth_in_memory(stack) {
            Ok(a) => a,
            Err(e) => panic!("synthesis failed: {e}"),
        };
        let tags = assembly
            .stacks
            .iter()
            .find(|s| s.artifact_id == stack.artifact_id())
            .map(|s| {
                s.tags
                    .iter()
                    .map(|(k, v)| (k.clone(), J::String(v.clone())))
                    .collect()
            })
            .unwrap_or_default();
        Tags { tags }
    }

    /// Asserts the tags match `tags` (a literal object as `object_like`).
    ///
    /// # Panics
    /// On a mismatch, or when `tags` is `Match::absent()` (use [`Tags::has_none`]).
    #[track_caller]
    pub fn has_values(&self, tags: impl Into<Pattern>) {
        if let Err(e) = self.try_has_values(tags) {
            panic!("{e}");
        }
    }

    /// [`Tags::has_values`] as a `Result`.
    pub fn try_has_values(&self, tags: impl Into<Pattern>) -> Result<(), AssertionError> {
        let tags = tags.into();
        let matcher = match tags.as_matcher() {
            Some(m) if m.is_absent() => {
                return Err(AssertionError::new(
                    "Match.absent() will never match Tags because \"{}\" is the default value. Use Tags.hasNone() instead.",
                ))
            }
            Some(m) => m.clone(),
            None => Match::object_like(tags),
        };
        let all = J::Object(self.tags.clone());
        let result = matcher.test(&all);
        if result.has_failed() {
            return Err(AssertionError::new(format!(
                "Stack tags did not match as expected:\n{}",
                result.render_mismatch()
            )));
        }
        Ok(())
    }

    /// Asserts the stack has no tags.
    #[track_caller]
    pub fn has_none(&self) {
        self.has_values(Match::exact(Pattern::Object(Vec::new())));
    }

    /// Every tag.
    pub fn all(&self) -> &Map<String, J> {
        &self.tags
    }
}
