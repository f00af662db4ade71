//! Suppressions: which findings a construct (and everything below it) accepts, and why.

use std::collections::HashSet;

use serde_json::Value as J;

use super::report::{PluginReport, SuppressedViolation};
use super::{Severity, SUPPRESSIONS_CONTEXT_KEY};
use crate::construct::Node;
use crate::error::ValidationError;

/// The shortest reason accepted (cdk-nag's rule: "a 'reason' of 10 characters or more").
const MIN_REASON_CHARS: usize = 10;

/// Which findings of a granular rule a suppression covers (cdk-nag's `appliesTo` entries).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AppliesTo {
    /// Exactly this finding, e.g. `Action::s3:*` or `Resource::*`.
    Finding(String),
    /// Findings matching a JavaScript-style regular expression `/pattern/flags` (flags `i`,
    /// `m`, `s`; `g`, `u`, `y` are accepted and ignored), e.g. `/^Resource::arn:aws:s3:::.*$/`.
    Regex(String),
}

impl From<&str> for AppliesTo {
    fn from(finding: &str) -> Self {
        AppliesTo::Finding(finding.to_string())
    }
}

impl From<String> for AppliesTo {
    fn from(finding: String) -> Self {
        AppliesTo::Finding(finding)
    }
}

impl std::fmt::Display for AppliesTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppliesTo::Finding(s) => f.write_str(s),
            AppliesTo::Regex(r) => write!(f, "{{regex: {r}}}"),
        }
    }
}

/// An accepted violation of a rule, with the reason it is accepted.
///
/// ```
/// use cdk_core::validation::{AppliesTo, Suppression};
/// let s = Suppression::new("AwsSolutions-IAM5", "CloudWatch Logs needs log-stream wildcards")
///     .applies_to("Action::logs:*")
///     .applies_to(AppliesTo::Regex("/^Resource::arn:aws:logs:.*$/".into()));
/// assert_eq!(s.applies_to.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suppression {
    /// The rule (e.g. `AwsSolutions-IAM5`), without a `[finding]`.
    pub id: String,
    /// Why the finding is acceptable (at least 10 characters).
    pub reason: String,
    /// Only these findings of a granular rule (empty: every finding of the rule).
    pub applies_to: Vec<AppliesTo>,
}

impl Suppression {
    /// Suppresses rule `id` for `reason`.
    pub fn new(id: &str, reason: &str) -> Self {
        Suppression {
            id: id.to_string(),
            reason: reason.to_string(),
            applies_to: Vec::new(),
        }
    }

    /// Narrows the suppression to one more finding (or pattern of findings).
    pub fn applies_to(mut self, finding: impl Into<AppliesTo>) -> Self {
        self.applies_to.push(finding.into());
        self
    }

    /// What is wrong with this suppression (empty when it is valid).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.id.trim().is_empty() {
            out.push("a suppression needs the ID of the rule it suppresses".to_string());
        }
        if let Some(i) = self.id.find('[') {
            out.push(format!(
                "the suppression ID '{}' contains a finding '{}': suppress the rule '{}' with applies_to instead",
                self.id,
                &self.id[i..],
                &self.id[..i]
            ));
        }
        if self.reason.trim().chars().count() < MIN_REASON_CHARS {
            out.push(format!(
                "the suppression of '{}' needs a reason of at least {MIN_REASON_CHARS} characters (got {:?})",
                self.id, self.reason
            ));
        }
        for entry in &self.applies_to {
            if let AppliesTo::Regex(r) = entry {
                if let Err(e) = compile(r) {
                    out.push(format!("the suppression of '{}': {e}", self.id));
                }
            }
        }
        out
    }
}

/// A suppression that suppressed nothing (reported as a warning).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusedSuppression {
    /// Construct path the suppression was added to (`""` for the app).
    pub path: String,
    /// The suppressed rule.
    pub id: String,
    /// The `applies_to` entry that matched nothing, when the rest of the suppression was used.
    pub applies_to: Option<AppliesTo>,
    /// Where the suppression came from: `construct` or the context key.
    pub origin: String,
}

impl UnusedSuppression {
    /// The warning shown to the user.
    pub fn message(&self) -> String {
        let place = if self.origin == "construct" {
            String::new()
        } else {
            format!(" (from context '{}')", self.origin)
        };
        match &self.applies_to {
            Some(entry) => format!(
                "unused suppression{place}: no '{}' finding matched applies_to '{entry}'; remove it",
                self.id
            ),
            None => format!(
                "unused suppression{place}: no '{}' finding was suppressed here; remove the suppression",
                self.id
            ),
        }
    }
}

/// Compiles `/pattern/flags`.
fn compile(text: &str) -> Result<regex::Regex, String> {
    let invalid = |why: &str| format!("invalid regular expression [{text}]: {why}");
    let Some(rest) = text.strip_prefix('/') else {
        return Err(invalid("expected /pattern/flags"));
    };
    let Some(end) = rest.rfind('/') else {
        return Err(invalid("expected /pattern/flags"));
    };
    let (pattern, flags) = (&rest[..end], &rest[end + 1..]);
    let mut builder = regex::RegexBuilder::new(pattern);
    for flag in flags.chars() {
        match flag {
            'i' => {
                builder.case_insensitive(true);
            }
            'm' => {
                builder.multi_line(true);
            }
            's' => {
                builder.dot_matches_new_line(true);
            }
            'g' | 'u' | 'y' => {}
            other => return Err(invalid(&format!("unknown flag '{other}'"))),
        }
    }
    builder.build().map_err(|e| invalid(&e.to_string()))
}

/// A suppression with where it applies.
pub(crate) struct Scoped {
    path: String,
    origin: String,
    suppression: Suppression,
    patterns: Vec<Matcher>,
}

enum Matcher {
    Exact(String),
    Regex(regex::Regex),
}

impl Scoped {
    fn new(path: String, origin: String, suppression: Suppression) -> Self {
        let patterns = suppression
            .applies_to
            .iter()
            .map(|a| match a {
                AppliesTo::Finding(s) => Matcher::Exact(s.clone()),
                // Validated when the suppression was added.
                AppliesTo::Regex(r) => compile(r)
                    .map(Matcher::Regex)
                    .unwrap_or_else(|_| Matcher::Exact(String::new())),
            })
            .collect();
        Scoped {
            path,
            origin,
            suppression,
            patterns,
        }
    }

    fn covers_path(&self, construct_path: Option<&str>) -> bool {
        match construct_path {
            _ if self.path.is_empty() => true,
            Some(p) => {
                p == self.path
                    || (p.starts_with(&self.path) && p[self.path.len()..].starts_with('/'))
            }
            None => false,
        }
    }

    /// Index of the matching `applies_to` entry (`usize::MAX` for an unscoped suppression).
    fn matches(&self, namespace: &str, rule: &str) -> Option<usize> {
        let (base, finding) = split_finding(rule);
        let id = self.suppression.id.as_str();
        let qualified = format!("{namespace}::{base}");
        if id != base && id != qualified {
            return None;
        }
        if self.patterns.is_empty() {
            return Some(usize::MAX);
        }
        let finding = finding?;
        self.patterns.iter().position(|m| match m {
            Matcher::Exact(s) => s == finding,
            Matcher::Regex(r) => r.is_match(finding),
        })
    }
}

/// `Rule[finding]` → (`Rule`, `finding`).
pub(crate) fn split_finding(rule: &str) -> (&str, Option<&str>) {
    match (rule.find('['), rule.ends_with(']')) {
        (Some(i), true) if i > 0 => (&rule[..i], Some(&rule[i + 1..rule.len() - 1])),
        _ => (rule, None),
    }
}

/// Every suppression of the app: on constructs, then from the context. Context entries that
/// are malformed are errors.
pub(crate) fn collect(root: &Node) -> (Vec<Scoped>, Vec<ValidationError>) {
    let tree_rc = root.tree();
    let tree = tree_rc.borrow();
    let mut out: Vec<Scoped> = tree
        .suppressions
        .iter()
        .map(|(idx, s)| Scoped::new(tree.path_of(*idx), "construct".into(), s.clone()))
        .collect();
    drop(tree);
    let mut errors = Vec::new();
    let Some(context) = root.try_get_context(SUPPRESSIONS_CONTEXT_KEY) else {
        return (out, errors);
    };
    let error = |i: Option<usize>, message: String| ValidationError {
        path: "<app>".into(),
        message: match i {
            Some(i) => format!("context '{SUPPRESSIONS_CONTEXT_KEY}'[{i}]: {message}"),
            None => format!("context '{SUPPRESSIONS_CONTEXT_KEY}': {message}"),
        },
    };
    let J::Array(entries) = context else {
        errors.push(error(
            None,
            "must be a JSON array of {\"path\", \"id\", \"reason\", \"appliesTo\"} objects".into(),
        ));
        return (out, errors);
    };
    for (i, entry) in entries.iter().enumerate() {
        let text = |key: &str| entry.get(key).and_then(J::as_str).map(str::to_string);
        let (Some(path), Some(id)) = (text("path"), text("id")) else {
            errors.push(error(
                Some(i),
                "needs string fields \"path\" and \"id\"".into(),
            ));
            continue;
        };
        let mut suppression = Suppression::new(&id, &text("reason").unwrap_or_default());
        match entry.get("appliesTo") {
            None => {}
            Some(J::Array(items)) => {
                for item in items {
                    match item {
                        J::String(s) => suppression = suppression.applies_to(s.as_str()),
                        J::Object(o) => match o.get("regex").and_then(J::as_str) {
                            Some(r) => {
                                suppression =
                                    suppression.applies_to(AppliesTo::Regex(r.to_string()))
                            }
                            None => errors.push(error(
                                Some(i),
                                "appliesTo entries are strings or {\"regex\": \"/.../\"}".into(),
                            )),
                        },
                        _ => errors.push(error(
                            Some(i),
                            "appliesTo entries are strings or {\"regex\": \"/.../\"}".into(),
                        )),
                    }
                }
            }
            Some(_) => errors.push(error(Some(i), "appliesTo must be an array".into())),
        }
        for problem in suppression.problems() {
            errors.push(error(Some(i), problem));
        }
        let path = path.trim_start_matches('/').to_string();
        out.push(Scoped::new(
            path,
            format!("{SUPPRESSIONS_CONTEXT_KEY}[{i}]"),
            suppression,
        ));
    }
    (out, errors)
}

/// Moves suppressed violations into each report's `suppressed` list (the closest suppression
/// by path wins) and returns the suppressions and `applies_to` entries that matched nothing.
pub(crate) fn apply(
    reports: &mut [PluginReport],
    suppressions: &[Scoped],
) -> Vec<UnusedSuppression> {
    let mut scoped: Vec<&Scoped> = suppressions.iter().collect();
    let mut used = vec![false; scoped.len()];
    let mut used_entries: HashSet<(usize, usize)> = HashSet::new();
    // Closest first.
    let mut order: Vec<usize> = (0..scoped.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(scoped[i].path.len()));
    for report in reports.iter_mut() {
        let namespace = report.plugin_name.replace(' ', "-");
        let mut any_suppressed = false;
        let mut kept = Vec::new();
        for mut violation in std::mem::take(&mut report.violations) {
            if violation.severity == Severity::Fatal {
                kept.push(violation);
                continue;
            }
            let mut groups: Vec<(usize, Vec<super::PolicyViolatingResource>)> = Vec::new();
            let mut remaining = Vec::new();
            for resource in std::mem::take(&mut violation.violating_resources) {
                let hit = order.iter().find_map(|&i| {
                    let s = scoped[i];
                    if !s.covers_path(resource.construct_path.as_deref()) {
                        return None;
                    }
                    s.matches(&namespace, &violation.rule_name)
                        .map(|entry| (i, entry))
                });
                match hit {
                    Some((i, entry)) => {
                        used[i] = true;
                        used_entries.insert((i, entry));
                        match groups.iter_mut().find(|(g, _)| *g == i) {
                            Some((_, list)) => list.push(resource),
                            None => groups.push((i, vec![resource])),
                        }
                    }
                    None => remaining.push(resource),
                }
            }
            for (i, resources) in groups {
                any_suppressed = true;
                let s = scoped[i];
                report.suppressed.push(SuppressedViolation {
                    violation: super::PolicyViolation {
                        violating_resources: resources,
                        ..violation.clone()
                    },
                    acknowledged_id: s.suppression.id.clone(),
                    reason: s.suppression.reason.clone(),
                    acknowledged_at: s.path.clone(),
                });
            }
            if !remaining.is_empty() {
                violation.violating_resources = remaining;
                kept.push(violation);
            }
        }
        report.violations = kept;
        if any_suppressed {
            report.success = report.violations.iter().all(|v| !v.severity.is_error());
        }
    }
    let mut unused = Vec::new();
    for (i, s) in scoped.drain(..).enumerate() {
        if !used[i] {
            unused.push(UnusedSuppression {
                path: s.path.clone(),
                id: s.suppression.id.clone(),
                applies_to: None,
                origin: s.origin.clone(),
            });
            continue;
        }
        for (e, entry) in s.suppression.applies_to.iter().enumerate() {
            if !used_entries.contains(&(i, e)) {
                unused.push(UnusedSuppression {
                    path: s.path.clone(),
                    id: s.suppression.id.clone(),
                    applies_to: Some(entry.clone()),
                    origin: s.origin.clone(),
                });
            }
        }
    }
    unused
}
