//! The grant pattern: give a principal permissions on a resource, in the principal's policy,
//! the resource's policy, or both (across accounts).

use cdk_core::Str;

use super::principals::IPrincipal;
use super::statement::PolicyStatement;

/// A resource with a resource policy (bucket, key, ...).
pub trait IResourceWithPolicy {
    /// Adds a statement to the resource policy.
    fn add_to_resource_policy(&self, statement: PolicyStatement);
    /// The account the resource lives in.
    fn resource_account(&self) -> Str;
}

/// What a grant added, where.
#[derive(Clone, Debug, Default)]
pub struct Grant {
    /// The statement added to the principal's own policy.
    pub principal_statement: Option<PolicyStatement>,
    /// The statement added to the resource's policy.
    pub resource_statement: Option<PolicyStatement>,
}

impl Grant {
    /// True when the permissions were recorded somewhere.
    pub fn success(&self) -> bool {
        self.principal_statement.is_some() || self.resource_statement.is_some()
    }

    /// Grants `actions` on `resource_arns` through the principal's own policy only.
    pub fn add_to_principal<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
    ) -> Grant {
        let statement = PolicyStatement::new()
            .actions(actions.iter().copied())
            .resources(resource_arns);
        let added = grantee.add_to_principal_policy(&statement);
        Grant {
            principal_statement: added.then_some(statement),
            resource_statement: None,
        }
    }

    /// Grants through the principal's policy when it is in the resource's account; otherwise
    /// (or when the principal has no policy of its own, like an account) also through the
    /// resource policy, naming the principal.
    pub fn add_to_principal_or_resource<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
        resource: &dyn IResourceWithPolicy,
    ) -> Grant {
        let arns: Vec<Str> = resource_arns.into_iter().map(Into::into).collect();
        Self::add_to_principal_or_resource_with_self(grantee, actions, arns.clone(), arns, resource)
    }

    /// Like [`Grant::add_to_principal_or_resource`], but the resource-policy statement names
    /// `self_arns` as its resources (a key policy says `"*"`: the key itself).
    pub fn add_to_principal_or_resource_with_self(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        arns: Vec<Str>,
        self_arns: Vec<Str>,
        resource: &dyn IResourceWithPolicy,
    ) -> Grant {
        let mut grant = Grant::add_to_principal(grantee, actions, arns.clone());
        let same_account = match grantee.principal_account() {
            Some(account) => same_account(&account, &resource.resource_account()),
            None => true,
        };
        if grant.principal_statement.is_some() && same_account {
            return grant;
        }
        let statement = PolicyStatement::new()
            .actions(actions.iter().copied())
            .resources(self_arns)
            .principal(grantee);
        resource.add_to_resource_policy(statement.clone());
        grant.resource_statement = Some(statement);
        grant
    }

    /// Grants through the resource policy only (for resources whose policy must name the
    /// principal, like KMS keys).
    pub fn add_to_resource<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
        resource: &dyn IResourceWithPolicy,
    ) -> Grant {
        let statement = PolicyStatement::new()
            .actions(actions.iter().copied())
            .resources(resource_arns)
            .principal(grantee);
        resource.add_to_resource_policy(statement.clone());
        Grant {
            principal_statement: None,
            resource_statement: Some(statement),
        }
    }
}

/// Same account when both are the same literal, or both are tokens (as aws-cdk-lib decides).
fn same_account(a: &Str, b: &Str) -> bool {
    match (a.literal(), b.literal()) {
        (Some(x), Some(y)) => x == y,
        (None, None) => true,
        _ => false,
    }
}
