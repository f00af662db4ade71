//! Policy statements, rendered exactly as aws-cdk-lib renders them.

use std::collections::BTreeMap;

use cdk_core::{Str, Value};

use super::principals::{IPrincipal, PrincipalEntry, PrincipalFragment};

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

/// Conditions: `operator → key → value`.
pub type Conditions = BTreeMap<String, BTreeMap<String, Value>>;

/// One IAM policy statement.
///
/// Actions, resources and principals are kept once each, in the order added (aws-cdk-lib's
/// ordered sets). Adding a condition whose operator is already there merges the keys, later
/// values winning, as aws-cdk-lib's `addCondition`.
///
/// Like aws-cdk-lib's statements, a statement is shared: clones refer to the same statement,
/// and [`PolicyStatement::add_resources`] after it was added to a policy changes what the
/// policy renders (the pipeline actions' per-role policies grow their statements this way).
///
/// ```
/// use cdk_constructs::iam::{PolicyStatement, ServicePrincipal};
/// let s = PolicyStatement::new()
///     .actions(["s3:GetObject", "s3:ListBucket"])
///     .resource("arn:aws:s3:::my-bucket/*")
///     .principal(&ServicePrincipal::new("lambda.amazonaws.com"));
/// assert_eq!(s.action_list(), ["s3:GetObject", "s3:ListBucket"]);
/// ```
#[derive(Clone, Default)]
pub struct PolicyStatement {
    data: std::rc::Rc<std::cell::RefCell<StatementData>>,
}

impl PartialEq for PolicyStatement {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.data, &other.data) || *self.data.borrow() == *other.data.borrow()
    }
}

impl std::fmt::Debug for PolicyStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.data.borrow().fmt(f)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct StatementData {
    sid: Option<String>,
    effect: Effect,
    actions: Vec<String>,
    not_actions: Vec<String>,
    resources: Vec<Value>,
    not_resources: Vec<Value>,
    principals: Vec<PrincipalEntry>,
    not_principals: Vec<PrincipalEntry>,
    conditions: Conditions,
    /// Conditions the principals brought (all principals must bring the same).
    principal_conditions: Option<Conditions>,
    /// Problems found while building the statement (reported when it is validated).
    errors: Vec<String>,
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// aws-cdk-lib's action pattern: `*` or `service:Action` (wildcards allowed in the name).
fn valid_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '*')
}

impl PolicyStatement {
    /// An empty `Allow` statement.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the effect.
    pub fn effect(self, effect: Effect) -> Self {
        self.data.borrow_mut().effect = effect;
        self
    }

    /// Sets the statement ID.
    pub fn sid(self, sid: &str) -> Self {
        self.data.borrow_mut().sid = Some(sid.to_string());
        self
    }

    fn add_action(&self, action: &str, not: bool) {
        let mut d = self.data.borrow_mut();
        if !valid_action(action) {
            d.errors.push(format!(
                "Action '{action}' is invalid. An action string consists of a service namespace, a colon, and the name of an action. Action names can include wildcards."
            ));
        }
        let list = if not {
            &mut d.not_actions
        } else {
            &mut d.actions
        };
        push_unique(list, action.to_string());
    }

    /// Adds one action (`s3:GetObject`).
    pub fn action(self, action: &str) -> Self {
        self.add_action(action, false);
        self
    }

    /// Adds actions.
    pub fn actions<S: AsRef<str>>(self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            self.add_action(a.as_ref(), false);
        }
        self
    }

    /// Adds actions this statement does *not* apply to (`NotAction`).
    pub fn not_actions<S: AsRef<str>>(self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            self.add_action(a.as_ref(), true);
        }
        self
    }

    /// Adds one resource ARN (literal or token).
    pub fn resource(self, arn: impl Into<Str>) -> Self {
        self.add_resources([arn]);
        self
    }

    /// Adds resource ARNs.
    pub fn resources<S: Into<Str>>(self, arns: impl IntoIterator<Item = S>) -> Self {
        self.add_resources(arns);
        self
    }

    /// Adds resource ARNs to this statement, wherever it was added already (shared).
    pub fn add_resources<S: Into<Str>>(&self, arns: impl IntoIterator<Item = S>) {
        let mut d = self.data.borrow_mut();
        for arn in arns {
            push_unique(&mut d.resources, arn.into().into_value());
        }
    }

    /// Adds resources this statement does *not* apply to (`NotResource`).
    pub fn not_resources<S: Into<Str>>(self, arns: impl IntoIterator<Item = S>) -> Self {
        {
            let mut d = self.data.borrow_mut();
            for arn in arns {
                push_unique(&mut d.not_resources, arn.into().into_value());
            }
        }
        self
    }

    /// Applies to every resource (`Resource: "*"`).
    pub fn all_resources(self) -> Self {
        self.resource("*")
    }

    /// Adds a principal (for resource policies: bucket, key and trust policies). Conditions
    /// the principal brings become conditions of the statement.
    pub fn principal(self, principal: &(impl IPrincipal + ?Sized)) -> Self {
        self.principal_entry(PrincipalEntry::of(principal))
    }

    /// Adds a principal already turned into an entry.
    pub fn principal_entry(self, entry: PrincipalEntry) -> Self {
        let conditions = entry.fragment.conditions.clone();
        {
            let mut d = self.data.borrow_mut();
            match &d.principal_conditions {
                None => d.principal_conditions = Some(conditions.clone()),
                Some(existing) if *existing != conditions => d.errors.push(
                    "All principals in a PolicyStatement must have the same Conditions. Use multiple statements instead.".into(),
                ),
                Some(_) => {}
            }
        }
        let s = conditions
            .into_iter()
            .fold(self, |s, (op, c)| s.conditions_for(&op, c));
        push_unique(&mut s.data.borrow_mut().principals, entry);
        s
    }

    /// Adds a principal this statement does *not* apply to (`NotPrincipal`).
    pub fn not_principal(self, principal: &(impl IPrincipal + ?Sized)) -> Self {
        push_unique(
            &mut self.data.borrow_mut().not_principals,
            PrincipalEntry::of(principal),
        );
        self
    }

    /// Adds a condition `{operator: {key: value}}`; an existing key of the operator is
    /// replaced.
    pub fn condition(self, operator: &str, key: &str, value: impl Into<Value>) -> Self {
        self.conditions_for(operator, BTreeMap::from([(key.to_string(), value.into())]))
    }

    /// Adds the keys of one operator (merged into that operator's existing keys).
    pub fn conditions_for(self, operator: &str, keys: BTreeMap<String, Value>) -> Self {
        self.data
            .borrow_mut()
            .conditions
            .entry(operator.to_string())
            .or_default()
            .extend(keys);
        self
    }

    /// The statement's effect.
    pub fn get_effect(&self) -> Effect {
        self.data.borrow().effect
    }

    /// The statement ID.
    pub fn get_sid(&self) -> Option<String> {
        self.data.borrow().sid.clone()
    }

    /// The actions, in the order they were added.
    pub fn action_list(&self) -> Vec<String> {
        self.data.borrow().actions.clone()
    }

    /// The `NotAction` actions.
    pub fn not_action_list(&self) -> Vec<String> {
        self.data.borrow().not_actions.clone()
    }

    /// The resources.
    pub fn resource_list(&self) -> Vec<Value> {
        self.data.borrow().resources.clone()
    }

    /// The `NotResource` resources.
    pub fn not_resource_list(&self) -> Vec<Value> {
        self.data.borrow().not_resources.clone()
    }

    /// The principals.
    pub fn principal_list(&self) -> Vec<PrincipalEntry> {
        self.data.borrow().principals.clone()
    }

    /// The `NotPrincipal` principals.
    pub fn not_principal_list(&self) -> Vec<PrincipalEntry> {
        self.data.borrow().not_principals.clone()
    }

    /// The conditions.
    pub fn condition_map(&self) -> Conditions {
        self.data.borrow().conditions.clone()
    }

    /// True when the statement names at least one principal.
    pub fn has_principal(&self) -> bool {
        self.data.borrow().has_principal()
    }

    /// True when the statement names at least one resource.
    pub fn has_resource(&self) -> bool {
        !self.data.borrow().resources.is_empty()
    }

    /// An independent copy (not shared with this statement).
    pub fn copy(&self) -> Self {
        PolicyStatement {
            data: std::rc::Rc::new(std::cell::RefCell::new(self.data.borrow().clone())),
        }
    }

    /// A copy with other actions, resources and principals (aws-cdk-lib's `copy`).
    pub(crate) fn with_parts(
        &self,
        actions: Vec<String>,
        resources: Vec<Value>,
        principals: Vec<PrincipalEntry>,
    ) -> Self {
        let data = StatementData {
            actions,
            resources,
            principals,
            ..self.data.borrow().clone()
        };
        PolicyStatement {
            data: std::rc::Rc::new(std::cell::RefCell::new(data)),
        }
    }

    /// Problems that make this statement invalid in an identity policy.
    pub fn validate_for_identity_policy(&self) -> Vec<String> {
        self.data.borrow().validate_for_identity_policy()
    }

    /// Problems that make this statement invalid in a resource policy.
    pub fn validate_for_resource_policy(&self) -> Vec<String> {
        self.data.borrow().validate_for_resource_policy()
    }

    /// Problems that make this statement invalid in a trust policy.
    pub fn validate_for_trust_policy(&self) -> Vec<String> {
        self.data.borrow().validate_for_trust_policy()
    }

    /// aws-cdk-lib's `_estimateSize`: a size estimate used to decide merges and splits.
    pub(crate) fn estimate_size(&self, arn_estimate: usize) -> usize {
        self.data.borrow().estimate_size(arn_estimate)
    }

    /// The statement as CloudFormation JSON (aws-cdk-lib's `toStatementJson`: keys sorted,
    /// one-element lists as scalars, empty parts left out).
    pub fn to_value(&self) -> Value {
        self.data.borrow().to_value()
    }
}

impl StatementData {
    fn has_principal(&self) -> bool {
        !self.principals.is_empty() || !self.not_principals.is_empty()
    }

    fn validate_any(&self) -> Vec<String> {
        let mut errors = self.errors.clone();
        if self.actions.is_empty() && self.not_actions.is_empty() {
            errors.push(
                "A PolicyStatement must specify at least one 'action' or 'notAction'.".into(),
            );
        }
        if !self.actions.is_empty() && !self.not_actions.is_empty() {
            errors.push(
                "Cannot add 'NotActions' to policy statement if 'Actions' have been added".into(),
            );
        }
        if !self.resources.is_empty() && !self.not_resources.is_empty() {
            errors.push(
                "Cannot add 'NotResources' to policy statement if 'Resources' have been added"
                    .into(),
            );
        }
        if !self.principals.is_empty() && !self.not_principals.is_empty() {
            errors.push(
                "Cannot add 'NotPrincipals' to policy statement if 'Principals' have been added"
                    .into(),
            );
        }
        errors
    }

    fn validate_for_identity_policy(&self) -> Vec<String> {
        let mut errors = self.validate_any();
        if self.has_principal() {
            errors.push(
                "A PolicyStatement used in an identity-based policy cannot specify any IAM principals."
                    .into(),
            );
        }
        if self.resources.is_empty() && self.not_resources.is_empty() {
            errors.push(
                "A PolicyStatement used in an identity-based policy must specify at least one resource."
                    .into(),
            );
        }
        if let Some(sid) = &self.sid {
            if !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.push(format!("Statement ID (sid) '{sid}' must be alphanumeric (A-Z, a-z, 0-9) when used in an identity-based policy. See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"));
            }
        }
        errors
    }

    fn validate_for_resource_policy(&self) -> Vec<String> {
        let mut errors = self.validate_any();
        if !self.has_principal() {
            errors.push("A PolicyStatement used in a resource-based policy must specify at least one IAM principal.".into());
        }
        if self.resources.is_empty() && self.not_resources.is_empty() {
            errors.push("A PolicyStatement used in a resource-based policy must specify at least one resource.".into());
        }
        errors
    }

    fn validate_for_trust_policy(&self) -> Vec<String> {
        let mut errors = self.validate_any();
        if !self.has_principal() {
            errors.push(
                "A PolicyStatement used in a trust policy must specify at least one IAM principal."
                    .into(),
            );
        }
        errors
    }

    fn estimate_size(&self, arn_estimate: usize) -> usize {
        const ACTION_ESTIMATE: usize = 20;
        let mut size = format!("\"Effect\": \"{}\",", self.effect.as_str()).len();
        let count = |key: &str, values: &mut dyn Iterator<Item = Option<usize>>, token: usize| {
            let items: Vec<usize> = values.map(|v| v.unwrap_or(token) + 3).collect();
            if items.is_empty() {
                0
            } else {
                key.len() + 5 + items.iter().sum::<usize>()
            }
        };
        size += count(
            "Action",
            &mut self.actions.iter().map(|a| Some(a.len())),
            ACTION_ESTIMATE,
        );
        size += count(
            "NotAction",
            &mut self.not_actions.iter().map(|a| Some(a.len())),
            ACTION_ESTIMATE,
        );
        size += count(
            "Resource",
            &mut self.resources.iter().map(|r| r.as_str().map(str::len)),
            arn_estimate,
        );
        size += count(
            "NotResource",
            &mut self.not_resources.iter().map(|r| r.as_str().map(str::len)),
            arn_estimate,
        );
        size += (self.principals.len() + self.not_principals.len()) * arn_estimate;
        size += conditions_json_len(&self.conditions);
        size
    }

    fn to_value(&self) -> Value {
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
            out.insert(
                "NotPrincipal".into(),
                merged(&self.not_principals).to_value(),
            );
        }
        if !self.not_resources.is_empty() {
            out.insert("NotResource".into(), norm(self.not_resources.clone()));
        }
        if !self.principals.is_empty() {
            out.insert("Principal".into(), merged(&self.principals).to_value());
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

/// The principals of a statement merged into one `Principal` object.
fn merged(entries: &[PrincipalEntry]) -> PrincipalFragment {
    let mut out = PrincipalFragment::default();
    for e in entries {
        out.merge(&e.fragment);
    }
    out
}

fn conditions_json_len(conditions: &Conditions) -> usize {
    let json: serde_json::Map<String, serde_json::Value> = conditions
        .iter()
        .map(|(op, m)| {
            (
                op.clone(),
                serde_json::Value::Object(
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                v.to_literal_json()
                                    .unwrap_or_else(|| serde_json::Value::String("<token>".into())),
                            )
                        })
                        .collect(),
                ),
            )
        })
        .collect();
    serde_json::Value::Object(json).to_string().len()
}

/// A list with one element renders as that element.
pub(crate) fn norm(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.pop().unwrap_or_default()
    } else {
        Value::List(values)
    }
}
