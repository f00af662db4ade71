//! Principals: who a statement is about (in resource and trust policies) and who gets granted.

use std::collections::BTreeMap;

use cdk_core::{Aws, Str, Value};

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

    /// Adds every identity of `other`.
    pub fn merge(&mut self, other: &PrincipalFragment) {
        for (kind, ids) in &other.principals {
            let list = self.principals.entry(kind.clone()).or_default();
            for id in ids {
                if !list.contains(id) {
                    list.push(id.clone());
                }
            }
        }
    }

    /// `{"AWS": ..., "Service": ...}` with one-element lists as scalars.
    pub fn to_value(&self) -> Value {
        Value::Map(
            self.principals
                .iter()
                .filter(|(_, ids)| !ids.is_empty())
                .map(|(k, ids)| (k.clone(), norm(ids.clone())))
                .collect(),
        )
    }
}

/// Something that can be named in a policy and granted permissions.
pub trait IPrincipal {
    /// How the principal appears in a statement.
    fn policy_fragment(&self) -> PrincipalFragment;

    /// Adds `statement` to the principal's own (identity) policy, when it has one it can change.
    /// Returns `true` when the statement was added.
    fn add_to_principal_policy(&self, _statement: &PolicyStatement) -> bool {
        false
    }

    /// The account the principal lives in, when known.
    fn principal_account(&self) -> Option<Str> {
        None
    }
}

/// An AWS service (`lambda.amazonaws.com`).
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
}

impl IPrincipal for ServicePrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("Service", self.service.as_str())
    }
}

fn account_root_arn(account: Str) -> Str {
    Str::from("arn:") + Aws::PARTITION + ":iam::" + account + ":root"
}

/// Every identity of an account that the account's own policies allow (`arn:…:iam::ACCOUNT:root`).
#[derive(Clone, Debug, PartialEq)]
pub struct AccountPrincipal {
    account: Str,
}

impl AccountPrincipal {
    /// The account `account` (12 digits, or a token).
    pub fn new(account: impl Into<Str>) -> Self {
        AccountPrincipal {
            account: account.into(),
        }
    }

    /// The account's root ARN.
    pub fn arn(&self) -> Str {
        account_root_arn(self.account.clone())
    }
}

impl IPrincipal for AccountPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", self.arn())
    }

    fn principal_account(&self) -> Option<Str> {
        Some(self.account.clone())
    }
}

/// The account of the stack the policy is deployed in (`AWS::AccountId`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountRootPrincipal;

impl AccountRootPrincipal {
    /// The current account's root principal.
    pub fn new() -> Self {
        AccountRootPrincipal
    }
}

impl IPrincipal for AccountRootPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", account_root_arn(Aws::ACCOUNT_ID))
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
}

/// Anyone (`{"AWS": "*"}`); combine with conditions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnyPrincipal;

impl IPrincipal for AnyPrincipal {
    fn policy_fragment(&self) -> PrincipalFragment {
        PrincipalFragment::single("AWS", "*")
    }
}

/// Several principals at once (e.g. a role assumable by two services).
#[derive(Default)]
pub struct CompositePrincipal {
    principals: Vec<Box<dyn IPrincipal>>,
}

impl CompositePrincipal {
    /// The union of `principals`.
    pub fn new(principals: Vec<Box<dyn IPrincipal>>) -> Self {
        CompositePrincipal { principals }
    }

    /// Adds a principal.
    pub fn with(mut self, principal: Box<dyn IPrincipal>) -> Self {
        self.principals.push(principal);
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
}
