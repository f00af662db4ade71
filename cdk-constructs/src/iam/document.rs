//! Policy documents: a shared, growable list of statements rendered at synth.

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::feature_flags::{self, IAM_MINIMIZE_POLICIES};
use cdk_core::{ResolveContext, Value};
use serde_json::{json, Value as J};

use super::merge::{merge_statements, MergeOptions};
use super::statement::PolicyStatement;

/// Context key of aws-cdk-lib's ARN size estimate for statement merging.
pub const ARN_SIZE_ESTIMATE_CONTEXT: &str = "@aws-cdk/aws-iam.arnSizeEstimate";
const DEFAULT_ARN_SIZE_ESTIMATE: usize = 150;

#[derive(Default)]
struct DocumentState {
    statements: Vec<PolicyStatement>,
    /// Merge statements (default: the `@aws-cdk/aws-iam:minimizePolicies` flag).
    minimize: Option<bool>,
    /// Give statements without a `Sid` their index as `Sid`.
    assign_sids: bool,
    /// Merge equal statements even without minimizing (a role's default policy, which
    /// aws-cdk-lib puts through its size check).
    merge_equal: bool,
}

/// A policy document. Cloning shares the statements: a document attached to a resource keeps
/// receiving statements added later (the grants), and renders what it holds at synth, as
/// aws-cdk-lib renders it: statements merged when minimizing (`@aws-cdk/aws-iam:minimizePolicies`,
/// or [`PolicyDocument::set_minimize`]), then duplicates (same JSON) removed, and with
/// minimizing the actions, resources and principals sorted.
///
/// ```
/// use cdk_constructs::iam::{PolicyDocument, PolicyStatement};
///
/// let doc = PolicyDocument::with_statements([PolicyStatement::new().action("s3:ListBucket").resource("*")]);
/// doc.add_statements([PolicyStatement::new().action("s3:GetObject").resource("arn:aws:s3:::b/*")]);
/// assert_eq!(doc.statement_count(), 2);
/// assert!(doc.validate_for_identity_policy().is_empty());
/// ```
#[derive(Clone, Default)]
pub struct PolicyDocument {
    state: Rc<RefCell<DocumentState>>,
}

impl std::fmt::Debug for PolicyDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.state.borrow().statements.iter())
            .finish()
    }
}

impl PartialEq for PolicyDocument {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// A document holding `statements`.
    pub fn with_statements(statements: impl IntoIterator<Item = PolicyStatement>) -> Self {
        let doc = Self::new();
        doc.add_statements(statements);
        doc
    }

    /// Appends statements (duplicates are removed when the document renders).
    pub fn add_statements(&self, statements: impl IntoIterator<Item = PolicyStatement>) {
        self.state.borrow_mut().statements.extend(statements);
    }

    /// Minimize (merge) this document's statements or not, whatever the feature flag says.
    pub fn set_minimize(&self, minimize: bool) {
        self.state.borrow_mut().minimize = Some(minimize);
    }

    /// Give statements without a `Sid` their position as `Sid` (aws-cdk-lib's `assignSids`).
    pub fn set_assign_sids(&self, assign: bool) {
        self.state.borrow_mut().assign_sids = assign;
    }

    /// Merge statements equal as sets even when not minimizing (a role's default policy).
    pub(crate) fn set_merge_equal(&self, merge: bool) {
        self.state.borrow_mut().merge_equal = merge;
    }

    /// Number of statements.
    pub fn statement_count(&self) -> usize {
        self.state.borrow().statements.len()
    }

    /// True when there is no statement.
    pub fn is_empty(&self) -> bool {
        self.state.borrow().statements.is_empty()
    }

    /// A copy of the statements.
    pub fn statements(&self) -> Vec<PolicyStatement> {
        self.state.borrow().statements.clone()
    }

    /// Problems of this document as an identity policy (role/user policy).
    pub fn validate_for_identity_policy(&self) -> Vec<String> {
        self.statements()
            .iter()
            .flat_map(PolicyStatement::validate_for_identity_policy)
            .collect()
    }

    /// Problems of this document as a resource policy (bucket, key).
    pub fn validate_for_resource_policy(&self) -> Vec<String> {
        self.statements()
            .iter()
            .flat_map(PolicyStatement::validate_for_resource_policy)
            .collect()
    }

    /// Problems of this document as a trust policy (who may assume a role).
    pub fn validate_for_trust_policy(&self) -> Vec<String> {
        self.statements()
            .iter()
            .flat_map(PolicyStatement::validate_for_trust_policy)
            .collect()
    }

    /// `{"Statement": [...], "Version": "2012-10-17"}`, computed where it is used (absent
    /// while the document is empty).
    pub fn to_value(&self) -> Value {
        let state = self.state.clone();
        Value::lazy_with_context(move |ctx| render(&state.borrow(), ctx))
    }
}

fn should_merge(state: &DocumentState, ctx: &ResolveContext<'_>) -> bool {
    state
        .minimize
        .unwrap_or_else(|| feature_flags::is_enabled(&ctx.scope(), IAM_MINIMIZE_POLICIES))
}

fn arn_estimate(ctx: &ResolveContext<'_>) -> usize {
    ctx.scope()
        .try_get_context(ARN_SIZE_ESTIMATE_CONTEXT)
        .and_then(|v| v.as_u64())
        .map_or(DEFAULT_ARN_SIZE_ESTIMATE, |n| n as usize)
}

fn render(state: &DocumentState, ctx: &mut ResolveContext<'_>) -> Value {
    if state.statements.is_empty() {
        return Value::Null;
    }
    let minimize = should_merge(state, ctx);
    let arn_estimate = arn_estimate(ctx);
    let mut statements = state.statements.clone();
    if state.merge_equal {
        statements = merge_statements(
            statements,
            MergeOptions {
                combinable: minimize,
                limit_size: true,
                arn_estimate,
            },
        );
    }
    if minimize {
        statements = merge_statements(
            statements,
            MergeOptions {
                combinable: true,
                limit_size: false,
                arn_estimate,
            },
        );
    }
    // Resolved, then aws-cdk-lib's PostProcessPolicyDocument.
    let mut seen: Vec<String> = Vec::new();
    let mut out: Vec<J> = Vec::new();
    for statement in &statements {
        let Some(j) = ctx.resolve(&statement.to_value()) else {
            continue;
        };
        let text = cdk_core::json::js_stringify(&j);
        if seen.contains(&text) {
            continue;
        }
        seen.push(text);
        out.push(j);
    }
    for (i, s) in out.iter_mut().enumerate() {
        let J::Object(map) = s else { continue };
        if state.assign_sids && !map.contains_key("Sid") {
            map.insert("Sid".into(), J::String(i.to_string()));
        }
        if minimize {
            for key in ["Action", "Resource"] {
                if let Some(v) = map.get_mut(key) {
                    *v = sort_by_json(v.take());
                }
            }
            if let Some(J::Object(principal)) = map.get_mut("Principal") {
                let mut keys: Vec<String> = principal.keys().cloned().collect();
                keys.sort();
                let mut sorted = serde_json::Map::new();
                for k in keys {
                    if let Some(v) = principal.remove(&k) {
                        sorted.insert(k, sort_by_json(v));
                    }
                }
                *principal = sorted;
            }
        }
    }
    Value::raw_json(json!({"Statement": out, "Version": "2012-10-17"}))
}

/// aws-cdk-lib's `sortByJson`: a list deduplicated and sorted by the JSON of its elements; a
/// one-element result is that element.
fn sort_by_json(v: J) -> J {
    let J::Array(items) = v else { return v };
    let mut keyed: Vec<(String, J)> = Vec::new();
    for item in items {
        let key = cdk_core::json::js_stringify(&item);
        match keyed.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = item,
            None => keyed.push((key, item)),
        }
    }
    keyed.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut sorted: Vec<J> = keyed.into_iter().map(|(_, v)| v).collect();
    if sorted.len() == 1 {
        sorted.pop().unwrap_or(J::Null)
    } else {
        J::Array(sorted)
    }
}
