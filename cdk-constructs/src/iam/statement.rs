//! Policy statements, rendered exactly as aws-cdk-lib renders them.

use std::collections::BTreeMap;

use cdk_core::{Str, Value};

use super::principals::{IPrincipal, PrincipalFragment};

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Effect {
    /// Grants the actions.
    #[default]
    Allow,
    /// Denies the actions, overriding any allow.
    Deny,
}

impl Effect {
    fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// One IAM policy statement.
///
/// ```
/// use cdk_constructs::iam::{PolicyStatement, ServicePrincipal};
/// let s = PolicyStatement::new()
///     .actions(["s3:GetObject", "s3:ListBucket"])
///     .resource("arn:aws:s3:::my-bucket/*")
///     .principal(&ServicePrincipal::new("lambda.amazonaws.com"));
/// assert_eq!(s.action_list(), ["s3:GetObject", "s3:ListBucket"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyStatement {
    sid: Option<String>,
    effect: Effect,
    actions: Vec<String>,
    not_actions: Vec<String>,
    resources: Vec<Value>,
    not_resources: Vec<Value>,
    principals: PrincipalFragment,
    not_principals: PrincipalFragment,
    conditions: BTreeMap<String, BTreeMap<String, Value>>,
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl PolicyStatement {
    /// An empty `Allow` statement.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the effect.
    pub fn effect(mut self, effect: Effect) -> Self {
        self.effect = effect;
        self
    }

    /// Sets the statement ID.
    pub fn sid(mut self, sid: &str) -> Self {
        self.sid = Some(sid.to_string());
        self
    }

    /// Adds one action (`s3:GetObject`).
    pub fn action(mut self, action: &str) -> Self {
        push_unique(&mut self.actions, action.to_string());
        self
    }

    /// Adds actions.
    pub fn actions<S: AsRef<str>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            push_unique(&mut self.actions, a.as_ref().to_string());
        }
        self
    }

    /// Adds actions this statement does *not* apply to (`NotAction`).
    pub fn not_actions<S: AsRef<str>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            push_unique(&mut self.not_actions, a.as_ref().to_string());
        }
        self
    }

    /// Adds one resource ARN (literal or token).
    pub fn resource(mut self, arn: impl Into<Str>) -> Self {
        push_unique(&mut self.resources, arn.into().into_value());
        self
    }

    /// Adds resource ARNs.
    pub fn resources<S: Into<Str>>(mut self, arns: impl IntoIterator<Item = S>) -> Self {
        for arn in arns {
            push_unique(&mut self.resources, arn.into().into_value());
        }
        self
    }

    /// Adds resources this statement does *not* apply to (`NotResource`).
    pub fn not_resources<S: Into<Str>>(mut self, arns: impl IntoIterator<Item = S>) -> Self {
        for arn in arns {
            push_unique(&mut self.not_resources, arn.into().into_value());
        }
        self
    }

    /// Applies to every resource (`Resource: "*"`).
    pub fn all_resources(self) -> Self {
        self.resource("*")
    }

    /// Adds a principal (for resource policies: bucket, key and trust policies).
    pub fn principal(mut self, principal: &dyn IPrincipal) -> Self {
        let fragment = principal.policy_fragment();
        for (op, conds) in &fragment.conditions {
            for (k, v) in conds {
                self = self.condition(op, k, v.clone());
            }
        }
        self.principals.merge(&fragment);
        self
    }

    /// Adds a principal this statement does *not* apply to (`NotPrincipal`).
    pub fn not_principal(mut self, principal: &dyn IPrincipal) -> Self {
        self.not_principals.merge(&principal.policy_fragment());
        self
    }

    /// Adds a condition: `{operator: {key: value}}` (values of one key are merged into a list).
    pub fn condition(mut self, operator: &str, key: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        let entry = self
            .conditions
            .entry(operator.to_string())
            .or_default()
            .entry(key.to_string())
            .or_insert(Value::Null);
        *entry = match std::mem::take(entry) {
            Value::Null => value,
            Value::List(mut items) => {
                push_unique(&mut items, value);
                Value::List(items)
            }
            existing if existing == value => existing,
            existing => Value::List(vec![existing, value]),
        };
        self
    }

    /// The statement's effect.
    pub fn get_effect(&self) -> Effect {
        self.effect
    }

    /// The actions, in the order they were added.
    pub fn action_list(&self) -> Vec<&str> {
        self.actions.iter().map(String::as_str).collect()
    }

    /// The resources.
    pub fn resource_list(&self) -> &[Value] {
        &self.resources
    }

    /// True when the statement names at least one principal.
    pub fn has_principal(&self) -> bool {
        !self.principals.is_empty()
    }

    /// True when the statement names at least one resource.
    pub fn has_resource(&self) -> bool {
        !self.resources.is_empty() || !self.not_resources.is_empty()
    }

    /// Problems that make this statement invalid in an identity policy.
    pub fn validate_for_identity_policy(&self) -> Vec<String> {
        let mut errors = self.validate_common();
        if self.has_principal() || !self.not_principals.is_empty() {
            errors.push(
                "a PolicyStatement used in an identity policy cannot specify any IAM principals"
                    .into(),
            );
        }
        if !self.has_resource() {
            errors.push(
                "a PolicyStatement used in an identity policy must specify at least one resource"
                    .into(),
            );
        }
        errors
    }

    /// Problems that make this statement invalid in a resource policy.
    pub fn validate_for_resource_policy(&self) -> Vec<String> {
        let mut errors = self.validate_common();
        if !self.has_principal() && self.not_principals.is_empty() {
            errors.push("a PolicyStatement used in a resource-based policy must specify at least one IAM principal".into());
        }
        errors
    }

    fn validate_common(&self) -> Vec<String> {
        let mut errors = Vec::new();
        if self.actions.is_empty() && self.not_actions.is_empty() {
            errors
                .push("a PolicyStatement must specify at least one 'action' or 'notAction'".into());
        }
        for a in self.actions.iter().chain(&self.not_actions) {
            if a != "*" && !a.contains(':') {
                errors.push(format!(
                    "action '{a}' is invalid: an action must be '*' or 'service:ActionName'"
                ));
            }
        }
        errors
    }

    /// The statement as CloudFormation JSON (keys sorted; one-element lists as scalars).
    pub fn to_value(&self) -> Value {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        if !self.actions.is_empty() {
            out.insert(
                "Action".into(),
                norm(self.actions.iter().map(Value::from).collect()),
            );
        }
        if !self.conditions.is_empty() {
            out.insert(
                "Condition".into(),
                Value::Map(
                    self.conditions
                        .iter()
                        .map(|(op, m)| (op.clone(), Value::Map(m.clone().into())))
                        .collect(),
                ),
            );
        }
        out.insert("Effect".into(), self.effect.as_str().into());
        if !self.not_actions.is_empty() {
            out.insert(
                "NotAction".into(),
                norm(self.not_actions.iter().map(Value::from).collect()),
            );
        }
        if !self.not_principals.is_empty() {
            out.insert("NotPrincipal".into(), self.not_principals.to_value());
        }
        if !self.not_resources.is_empty() {
            out.insert("NotResource".into(), norm(self.not_resources.clone()));
        }
        if !self.principals.is_empty() {
            out.insert("Principal".into(), self.principals.to_value());
        }
        if !self.resources.is_empty() {
            out.insert("Resource".into(), norm(self.resources.clone()));
        }
        if let Some(sid) = &self.sid {
            out.insert("Sid".into(), sid.clone().into());
        }
        Value::Map(out.into())
    }
}

/// A list with one element renders as that element.
pub(crate) fn norm(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.pop().unwrap_or_default()
    } else {
        Value::List(values)
    }
}
