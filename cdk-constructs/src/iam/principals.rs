//! Principals: who a statement is about (in resource and trust policies) and who gets granted.

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::{Aws, Node, Stack, Str, Value};

use super::document::PolicyDocument;
use super::statement::{norm, PolicyStatement};

/// The `Principal` part of a statement, plus conditions the principal brings along.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PrincipalFragment {
    /// Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) → identities.
    pub principals: BTreeMap<String, Vec<Value>>,
    /// Conditions (`operator → key → value`).
    pub conditions: BTreeMap<String, BTreeMap<String, Value>>,
}

impl PrincipalFragment {
    /// A fragment with one identity of one type.
    pub fn single(kind: &str, identity: impl Into<Value>) -> Self {
        PrincipalFragment {
            principals: BTreeMap::from([(kind.to_string(), vec![identity.into()])]),
            conditions: BTreeMap::new(),
        }
    }

    /// True when it names no identity.
    pub fn is_empty(&self) -> bool {
        self.principals.values().all(Vec::is_empty)
    }

    /// Adds every identity of `other` (aws-cdk-lib's `mergePrincipal`: lists are appended).
    pub fn merge(&mut self, other: &PrincipalFragment) {
        for (kind, ids) in &other.principals {
            self.principals
                .entry(kind.clone())
                .or_default()
                .extend(ids.iter().cloned());
        }
    }

    /// `{"AWS": ..., "Service": ...}` with one-element lists as scalars; a fragment of
    /// [`LITERAL_STRING_KEY`] only renders as that literal (`"*"`, [`StarPrincipal`]).
    pub fn to_value(&self) -> Value {
        if self.principals.len() == 1 {
            if let Some(ids) = self.principals.get(LITERAL_STRING_KEY) {
                return norm(ids.clone());
            }
        }
        Value::Map(
            self.principals
                .iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(k, ids)| (k.clone(), norm(ids.clone())))
                .collect(),
        )
    }
}

/// What adding a statement to a principal's own policy did.
#[derive(Clone, Debug, Default)]
pub struct AddToPrincipalPolicyResult {
    /// Whether the statement was added (or is handled, for an immutable role).
    pub statement_added: bool,
    /// The construct holding the statement (the policy), for resources that must be created
    /// after it.
    pub policy_dependable: Option<Node>,
}

impl AddToPrincipalPolicyResult {
    /// Not added.
    pub fn not_added() -> Self {
        Self::default()
    }
}

/// Something that can be named in a policy and granted permissions (aws-cdk-lib's
/// `IPrincipal` and `IGrantable` in one).
pub trait IPrincipal {
    /// How the principal appears in a statement.
    fn policy_fragment(&self) -> PrincipalFragment;

    /// Adds `statement` to the principal's own (identity) policy, when it has one it can change.
    fn add_to_principal_policy(&self, _statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        AddToPrincipalPolicyResult::not_added()
    }

    /// The account the principal lives in, when known.
    fn principal_account(&self) -> Option<Str> {
        None
    }

    /// The action that assumes a role trusting this principal (`sts:AssumeRole`).
    fn assume_role_action(&self) -> String {
        "sts:AssumeRole".into()
    }

    /// A key that identifies the principal for deduplication and statement merging
    /// (aws-cdk-lib's `dedupeString`; tokens compare by identity, as token strings do);
    /// `None` when principals of this kind cannot be compared.
    fn dedupe_key(&self) -> Option<Value> {
        None
    }

    /// Adds what lets this principal assume a role to the role's trust policy.
    fn add_to_assume_role_policy(&self, document: &PolicyDocument) {
        document.add_statements([PolicyStatement::new()
            .action(&self.assume_role_action())
            .principal_entry(PrincipalEntry::of(self))]);
    }

    /// The construct behind the principal, when it is a resource of this app (a role, a
    /// function's role): grants across stacks and accounts depend on it.
    fn owned_resource_node(&self) -> Option<Node> {
        None
    }
}

/// A principal as a statement records it: its fragment and dedupe string.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalEntry {
    /// The principal's fragment.
    pub fragment: PrincipalFragment,
    /// Its dedupe key (see [`IPrincipal::dedupe_key`]).
    pub dedupe: Option<Value>,
}

impl PrincipalEntry {
    /// The entry of `principal`.
    pub fn of(principal: &(impl IPrincipal + ?Sized)) -> Self {
        PrincipalEntry {
            fragment: principal.policy_fragment(),
            dedupe: principal.dedupe_key(),
        }
    }
}

/// A dedupe key from a kind and values.
pub(crate) fn key(kind: &str, parts: impl IntoIterator<Item = Value>) -> Option<Value> {
    let mut items = vec![Value::from(kind)];
    items.extend(parts);
    Some(Value::List(items))
}

fn conditions_value(c: &BTreeMap<String, BTreeMap<String, Value>>) -> Value {
    Value::Map(
        c.iter()
            .map(|(op, m)| (op.clone(), Value::Map(m.clone().into())))
            .collect(),
    )
}

/// An AWS service (`lambda.amazonaws.com`; `lambda` alone is completed the same way).
#[derive(Clone, Debug, PartialEq)]
pub struct ServicePrincipal {
    service: String,
}

impl ServicePrincipal {
    /// The service principal `service`.
    pub fn new(service: &str) -> Self {
        ServicePrincipal {
            service: service.to_string(),
        }
    }

    /// The principal name as aws-cdk-lib standardizes it: `<name>.amazonaws.com`.
    pub fn standardized_name(&self) -> String {
        let s = self.service.as_str();
        for suffix in [
            ".amazonaws.com.cn",
            ".amazonaws.com",
            ".c2s.ic.gov",
            ".sc2s.sgov.gov",
        ] {
            if let Some(name) = s.strip_suffix(suffix) {
                if !name.is_empty() && !name.contains('.') {
                    return format!("{name}.amazonaws.com");
                }
            }
        }
        if !s.is_empty() && !s.contains('.') {
            return format!("{s}.amazonaws.com");
        }
        s.to_string()
    }
}

impl IPrincipal for ServicePrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("Service", self.standardized_name())
    }

    fn dedupe_key(&self) -> Option<Value> {
        key("ServicePrincipal", [Value::from(self.service.as_str())])
    }
}

/// `arn:${partition}:iam::${account}:root` with the partition of the stack it is used in.
fn account_root_arn(account: Str) -> Str {
    Str::lazy_with_context(move |ctx| {
        let partition = ctx.stack().map(|s| s.partition()).unwrap_or(Aws::PARTITION);
        Str::from("arn:") + partition + ":iam::" + account.clone() + ":root"
    })
}

/// Every identity of an account that the account's own policies allow (`arn:…:iam::ACCOUNT:root`).
#[derive(Clone, Debug)]
pub struct AccountPrincipal {
    account: Str,
    arn: Str,
}

impl PartialEq for AccountPrincipal {
    fn eq(&self, other: &Self) -> bool {
        self.account == other.account
    }
}

impl AccountPrincipal {
    /// The account `account` (12 digits, or a token).
    pub fn new(account: impl Into<Str>) -> Self {
        let account = account.into();
        AccountPrincipal {
            arn: account_root_arn(account.clone()),
            account,
        }
    }

    /// The account's root ARN.
    pub fn arn(&self) -> Str {
        self.arn.clone()
    }

    /// The account.
    pub fn account(&self) -> Str {
        self.account.clone()
    }

    /// This principal with extra conditions (aws-cdk-lib's `withConditions`).
    pub fn with_conditions(
        self,
        conditions: BTreeMap<String, BTreeMap<String, Value>>,
    ) -> PrincipalWithConditions {
        PrincipalWithConditions::new(Rc::new(self), conditions)
    }
}

impl IPrincipal for AccountPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", self.arn.clone())
    }

    fn principal_account(&self) -> Option<Str> {
        Some(self.account.clone())
    }

    fn dedupe_key(&self) -> Option<Value> {
        // The ARN is a token of this principal: another principal of the same account is
        // another token, as in aws-cdk-lib.
        key("ArnPrincipal", [self.arn.clone().into_value()])
    }
}

/// The account of the stack the policy is used in (its literal account, or `AWS::AccountId`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountRootPrincipal;

impl AccountRootPrincipal {
    /// The current account's root principal.
    pub fn new() -> Self {
        AccountRootPrincipal
    }

    fn account() -> Str {
        Str::lazy_with_context(|ctx| ctx.stack().map(|s| s.account()).unwrap_or(Aws::ACCOUNT_ID))
    }
}

impl IPrincipal for AccountRootPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", account_root_arn(Self::account()))
    }

    fn dedupe_key(&self) -> Option<Value> {
        key("ArnPrincipal", [Value::from("AccountRootPrincipal")])
    }
}

/// An identity by ARN (role, user, account root).
#[derive(Clone, Debug, PartialEq)]
pub struct ArnPrincipal {
    arn: Str,
}

impl ArnPrincipal {
    /// The identity with this ARN.
    pub fn new(arn: impl Into<Str>) -> Self {
        ArnPrincipal { arn: arn.into() }
    }
}

impl IPrincipal for ArnPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", self.arn.clone())
    }

    fn principal_account(&self) -> Option<Str> {
        // arn:partition:iam::ACCOUNT:...
        let literal = self.arn.literal()?;
        let account = literal.split(':').nth(4)?;
        (!account.is_empty()).then(|| Str::from(account))
    }

    fn dedupe_key(&self) -> Option<Value> {
        key("ArnPrincipal", [self.arn.clone().into_value()])
    }
}

/// The principal kind whose identities render as the bare `Principal` value (aws-cdk-lib's
/// `LITERAL_STRING_KEY`).
pub const LITERAL_STRING_KEY: &str = "LiteralString";

/// Anyone, written as `"Principal": "*"` (aws-cdk-lib's `StarPrincipal`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StarPrincipal;

impl IPrincipal for StarPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single(LITERAL_STRING_KEY, "*")
    }

    fn dedupe_key(&self) -> Option<Value> {
        key("StarPrincipal", [])
    }
}

/// Anyone (`{"AWS": "*"}`); combine with conditions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnyPrincipal;

impl IPrincipal for AnyPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", "*")
    }

    fn dedupe_key(&self) -> Option<Value> {
        key("ArnPrincipal", [Value::from("*")])
    }
}

/// Several principals at once (e.g. a role assumable by two services). In a trust policy
/// each one gets its own statement, as in aws-cdk-lib.
#[derive(Clone, Default)]
pub struct CompositePrincipal {
    principals: Vec<Rc<dyn IPrincipal>>,
}

impl CompositePrincipal {
    /// The union of `principals`.
    pub fn new(principals: Vec<Box<dyn IPrincipal>>) -> Self {
        CompositePrincipal {
            principals: principals.into_iter().map(Rc::from).collect(),
        }
    }

    /// Adds a principal.
    pub fn with(mut self, principal: Box<dyn IPrincipal>) -> Self {
        self.principals.push(Rc::from(principal));
        self
    }
}

impl IPrincipal for CompositePrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        let mut out = PrincipalFragment::default();
        for p in &self.principals {
            out.merge(&p.policy_fragment());
        }
        out
    }

    fn assume_role_action(&self) -> String {
        self.principals
            .first()
            .map(|p| p.assume_role_action())
            .unwrap_or_else(|| "sts:AssumeRole".into())
    }

    fn dedupe_key(&self) -> Option<Value> {
        let inner: Option<Vec<Value>> = self.principals.iter().map(|p| p.dedupe_key()).collect();
        key("CompositePrincipal", inner?)
    }

    fn add_to_assume_role_policy(&self, document: &PolicyDocument) {
        for p in &self.principals {
            p.add_to_assume_role_policy(document);
        }
    }
}

/// A principal with extra conditions (aws-cdk-lib's `PrincipalWithConditions`).
#[derive(Clone)]
pub struct PrincipalWithConditions {
    wrapped: Rc<dyn IPrincipal>,
    conditions: BTreeMap<String, BTreeMap<String, Value>>,
}

impl PrincipalWithConditions {
    /// `principal`, whose statements also carry `conditions`.
    pub fn new(
        principal: Rc<dyn IPrincipal>,
        conditions: BTreeMap<String, BTreeMap<String, Value>>,
    ) -> Self {
        PrincipalWithConditions {
            wrapped: principal,
            conditions,
        }
    }

    /// Adds the conditions of `operator` (`StringLike`, `Bool`, ...); keys of an operator that
    /// is already there are merged into it, a key given again takes the new value
    /// (aws-cdk-lib's `addCondition`).
    pub fn add_condition(
        &mut self,
        operator: impl Into<String>,
        conditions: impl IntoIterator<Item = (String, Value)>,
    ) {
        self.conditions
            .entry(operator.into())
            .or_default()
            .extend(conditions);
    }

    /// [`PrincipalWithConditions::add_condition`] for each operator of `conditions`.
    pub fn add_conditions(&mut self, conditions: PrincipalConditions) {
        for (operator, c) in conditions {
            self.add_condition(operator, c);
        }
    }

    fn merged_conditions(&self) -> BTreeMap<String, BTreeMap<String, Value>> {
        let mut merged = self.wrapped.policy_fragment().conditions;
        for (op, c) in &self.conditions {
            merged
                .entry(op.clone())
                .or_default()
                .extend(c.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        merged
    }
}

impl IPrincipal for PrincipalWithConditions {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment {
            principals: self.wrapped.policy_fragment().principals,
            conditions: self.merged_conditions(),
        }
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.wrapped.add_to_principal_policy(statement)
    }

    fn principal_account(&self) -> Option<Str> {
        self.wrapped.principal_account()
    }

    fn assume_role_action(&self) -> String {
        self.wrapped.assume_role_action()
    }

    fn dedupe_key(&self) -> Option<Value> {
        let inner = self.wrapped.dedupe_key()?;
        key(
            "PrincipalWithConditions",
            [inner, conditions_value(&self.merged_conditions())],
        )
    }
}

/// The stack of the construct behind a principal, when it is a resource of this app.
pub(crate) fn owned_stack(principal: &(impl IPrincipal + ?Sized)) -> Option<Stack> {
    principal.owned_resource_node().and_then(|n| Stack::of(&n))
}

/// Conditions of a principal or statement: operator → key → value.
pub type PrincipalConditions = BTreeMap<String, BTreeMap<String, Value>>;

/// Every identity of an AWS Organization: `{"AWS": "*"}` with the condition
/// `StringEquals: {"aws:PrincipalOrgID": <id>}` (aws-cdk-lib's `OrganizationPrincipal`).
#[derive(Clone, Debug, PartialEq)]
pub struct OrganizationPrincipal {
    organization_id: Str,
}

impl OrganizationPrincipal {
    /// The organization `o-…`. A literal ID that does not match `^o-[a-z0-9]{10,32}$` is
    /// refused (as aws-cdk-lib).
    pub fn new(organization_id: impl Into<Str>) -> Result<Self, String> {
        let organization_id = organization_id.into();
        if let Some(id) = organization_id.literal() {
            let rest = id.strip_prefix("o-").unwrap_or("");
            let valid = id.starts_with("o-")
                && (10..=32).contains(&rest.len())
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !valid {
                return Err(format!(
                    "Expected Organization ID must match regex pattern ^o-[a-z0-9]{{10,32}}$, received {id}"
                ));
            }
        }
        Ok(OrganizationPrincipal { organization_id })
    }

    /// The organization ID.
    pub fn organization_id(&self) -> Str {
        self.organization_id.clone()
    }
}

impl IPrincipal for OrganizationPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        let mut fragment = PrincipalFragment::single("AWS", "*");
        fragment.conditions.insert(
            "StringEquals".into(),
            BTreeMap::from([(
                "aws:PrincipalOrgID".to_string(),
                self.organization_id.clone().into_value(),
            )]),
        );
        fragment
    }

    fn dedupe_key(&self) -> Option<Value> {
        key(
            "OrganizationPrincipal",
            [self.organization_id.clone().into_value()],
        )
    }
}

/// An identity federated through an identity provider (`{"Federated": <provider>}`), with
/// the conditions a trust statement must carry (aws-cdk-lib's `FederatedPrincipal`).
#[derive(Clone, Debug, PartialEq)]
pub struct FederatedPrincipal {
    federated: Str,
    conditions: PrincipalConditions,
    assume_role_action: String,
}

impl FederatedPrincipal {
    /// Federated through `federated` (a provider ARN or a service such as
    /// `cognito-identity.amazonaws.com`), assuming roles with `assume_role_action`
    /// (aws-cdk-lib's default: `sts:AssumeRole`).
    pub fn new(
        federated: impl Into<Str>,
        conditions: PrincipalConditions,
        assume_role_action: &str,
    ) -> Self {
        FederatedPrincipal {
            federated: federated.into(),
            conditions,
            assume_role_action: assume_role_action.to_string(),
        }
    }

    /// The provider.
    pub fn federated(&self) -> Str {
        self.federated.clone()
    }

    /// The conditions.
    pub fn conditions(&self) -> &PrincipalConditions {
        &self.conditions
    }
}

impl IPrincipal for FederatedPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        let mut fragment = PrincipalFragment::single("Federated", self.federated.clone());
        fragment.conditions = self.conditions.clone();
        fragment
    }

    fn assume_role_action(&self) -> String {
        self.assume_role_action.clone()
    }

    fn dedupe_key(&self) -> Option<Value> {
        key(
            "FederatedPrincipal",
            [
                self.federated.clone().into_value(),
                Value::from(self.assume_role_action.as_str()),
                conditions_value(&self.conditions),
            ],
        )
    }
}

/// An identity of a web identity provider (`accounts.google.com`, `graph.facebook.com`,
/// `cognito-identity.amazonaws.com`, or an OIDC provider's ARN), assuming roles with
/// `sts:AssumeRoleWithWebIdentity` (aws-cdk-lib's `WebIdentityPrincipal`).
#[derive(Clone, Debug, PartialEq)]
pub struct WebIdentityPrincipal(FederatedPrincipal);

impl WebIdentityPrincipal {
    /// Identities of `identity_provider`, under `conditions`.
    pub fn new(identity_provider: impl Into<Str>, conditions: PrincipalConditions) -> Self {
        WebIdentityPrincipal(FederatedPrincipal::new(
            identity_provider,
            conditions,
            "sts:AssumeRoleWithWebIdentity",
        ))
    }

    /// The provider.
    pub fn federated(&self) -> Str {
        self.0.federated()
    }
}

impl IPrincipal for WebIdentityPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.0.policy_fragment()
    }
    fn assume_role_action(&self) -> String {
        self.0.assume_role_action()
    }
    fn dedupe_key(&self) -> Option<Value> {
        self.0.dedupe_key()
    }
}

/// An identity of an IAM OpenID Connect provider ([`super::OidcProviderNative`] or an
/// imported one), assuming roles with `sts:AssumeRoleWithWebIdentity` (aws-cdk-lib's
/// `OpenIdConnectPrincipal`).
///
/// GitHub Actions to AWS, the common CI entry point: a role that only workflows of one
/// repository's `main` branch may assume.
///
/// ```
/// use std::collections::BTreeMap;
/// use cdk_core::{App, Stack, StackProps, Value};
/// use cdk_constructs::iam::*;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Ci", StackProps::default());
/// let github = OidcProviderNative::new(&stack, "GitHub", OidcProviderNativeProps {
///     url: "https://token.actions.githubusercontent.com".into(),
///     client_ids: vec!["sts.amazonaws.com".into()],
///     thumbprints: vec!["6938fd4d98bab03faadb97b34396831e3780aea1".into()],
///     ..Default::default()
/// });
/// let conditions = BTreeMap::from([
///     ("StringEquals".to_string(), BTreeMap::from([(
///         "token.actions.githubusercontent.com:aud".to_string(),
///         Value::from("sts.amazonaws.com"),
///     )])),
///     ("StringLike".to_string(), BTreeMap::from([(
///         "token.actions.githubusercontent.com:sub".to_string(),
///         Value::from("repo:my-org/my-repo:ref:refs/heads/main"),
///     )])),
/// ]);
/// let deploy = Role::new(&stack, "GitHubDeployRole", RoleProps {
///     role_name: Some("github-deploy".into()),
///     ..RoleProps::assumed_by(OpenIdConnectPrincipal::new(&github, conditions))
/// });
/// deploy.add_managed_policy(&ManagedPolicy::from_aws_managed_policy_name("ReadOnlyAccess"));
/// # let t = cdk_assertions::Template::from_stack(&stack);
/// # t.has_resource_properties("AWS::IAM::Role", cdk_assertions::pattern!({
/// #     "AssumeRolePolicyDocument": {"Statement": [{
/// #         "Action": "sts:AssumeRoleWithWebIdentity",
/// #         "Effect": "Allow",
/// #         "Principal": {"Federated": {"Ref": cdk_assertions::Match::any_value()}},
/// #         "Condition": {
/// #             "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
/// #             "StringLike": {"token.actions.githubusercontent.com:sub": "repo:my-org/my-repo:ref:refs/heads/main"}
/// #         }
/// #     }]}
/// # }));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct OpenIdConnectPrincipal(WebIdentityPrincipal);

impl OpenIdConnectPrincipal {
    /// Identities of `provider`, under `conditions`.
    pub fn new(provider: &dyn super::IOidcProvider, conditions: PrincipalConditions) -> Self {
        OpenIdConnectPrincipal(WebIdentityPrincipal::new(
            provider.oidc_provider_arn(),
            conditions,
        ))
    }

    /// The provider's ARN.
    pub fn federated(&self) -> Str {
        self.0.federated()
    }
}

impl IPrincipal for OpenIdConnectPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        self.0.policy_fragment()
    }
    fn assume_role_action(&self) -> String {
        self.0.assume_role_action()
    }
    fn dedupe_key(&self) -> Option<Value> {
        self.0.dedupe_key()
    }
}
