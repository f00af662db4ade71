//! The grant pattern: give a principal permissions on a resource, in the principal's policy,
//! the resource's policy, or both (across accounts), exactly as aws-cdk-lib's `Grant`.

use cdk_core::{IConstruct, Node, Str};

use super::principals::{AddToPrincipalPolicyResult, IPrincipal};
use super::statement::PolicyStatement;

/// What adding a statement to a resource policy did.
#[derive(Clone, Debug, Default)]
pub struct AddToResourcePolicyResult {
    /// Whether the statement was added (imported resources have no policy to add to).
    pub statement_added: bool,
    /// The policy construct holding it.
    pub policy_dependable: Option<Node>,
}

/// A resource with a resource policy (bucket, key, table, ...).
pub trait IResourceWithPolicy {
    /// Adds a statement to the resource policy.
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult;
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
    /// The policies holding the statements (resources that use the permission must be
    /// created after them: [`Grant::apply_before`]).
    pub dependables: Vec<Node>,
}

/// What to grant: the parts of aws-cdk-lib's `GrantOnPrincipalAndResourceOptions`.
pub struct GrantOptions<'a> {
    /// Who gets the permissions.
    pub grantee: &'a dyn IPrincipal,
    /// The actions.
    pub actions: &'a [&'a str],
    /// The resources in the principal's policy.
    pub resource_arns: Vec<Str>,
    /// The resources in the resource policy (default: `resource_arns`).
    pub resource_self_arns: Option<Vec<Str>>,
    /// The principal named in the resource policy (default: the grantee).
    pub resource_policy_principal: Option<&'a dyn IPrincipal>,
    /// The resource whose policy may receive the statement.
    pub resource: Option<&'a dyn IResourceWithPolicy>,
}

/// Under `@aws-cdk/aws-iam:crossAccountGrantsViaPrincipalTag`: for a principal that is a role
/// (or user) of this app in another account than the resource, the resource policy names that
/// account, with a condition on an `aws-cdk:id` tag (`<stack name>_<node address>`) that the
/// role gets. The role's ARN is not needed, so it needs no physical name.
fn tagged_account_principal(
    principal: &dyn IPrincipal,
    resource: &dyn IResourceWithPolicy,
) -> Option<Box<dyn IPrincipal>> {
    let node = principal.owned_resource_node()?;
    if !cdk_core::feature_flags::is_enabled(
        &node,
        cdk_core::feature_flags::IAM_CROSS_ACCOUNT_GRANTS_VIA_PRINCIPAL_TAG,
    ) {
        return None;
    }
    let stack = cdk_core::Stack::of(&node)?;
    let account = stack.account();
    if resource.resource_account().compare(&account) != cdk_core::TokenComparison::Different {
        return None;
    }
    let tag = format!("{}_{}", stack.stack_name(), node.addr());
    cdk_core::Tags::of(&node).add("aws-cdk:id", &tag);
    let conditions = std::collections::BTreeMap::from([(
        "StringEquals".to_string(),
        std::collections::BTreeMap::from([(
            "aws:PrincipalTag/aws-cdk:id".to_string(),
            cdk_core::Value::from(tag.as_str()),
        )]),
    )]);
    Some(Box::new(
        super::AccountPrincipal::new(account).with_conditions(conditions),
    ))
}

fn principal_statement(actions: &[&str], resources: Vec<Str>) -> PolicyStatement {
    PolicyStatement::new()
        .actions(actions.iter().copied())
        .resources(resources)
}

impl Grant {
    /// True when the permissions were recorded somewhere.
    pub fn success(&self) -> bool {
        self.principal_statement.is_some() || self.resource_statement.is_some()
    }

    /// Makes every construct in `constructs` depend on the policies of this grant.
    pub fn apply_before(&self, constructs: &[&dyn IConstruct]) {
        for c in constructs {
            for d in &self.dependables {
                c.node().add_dependency(d);
            }
        }
    }

    /// Both grants' statements and dependables.
    pub fn combine(mut self, other: Grant) -> Grant {
        self.principal_statement = self.principal_statement.or(other.principal_statement);
        self.resource_statement = self.resource_statement.or(other.resource_statement);
        self.dependables.extend(other.dependables);
        self
    }

    /// Grants `actions` on `resource_arns` through the principal's own policy only.
    pub fn add_to_principal<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
    ) -> Grant {
        let statement =
            principal_statement(actions, resource_arns.into_iter().map(Into::into).collect());
        let AddToPrincipalPolicyResult {
            statement_added,
            policy_dependable,
        } = grantee.add_to_principal_policy(&statement);
        Grant {
            principal_statement: statement_added.then_some(statement),
            resource_statement: None,
            dependables: policy_dependable.into_iter().collect(),
        }
    }

    /// aws-cdk-lib's `Grant.addToPrincipalOrResource`: the principal's policy when the
    /// principal is of the resource's account (equal, or both deploy-time accounts); else —
    /// or when the principal has no policy, or no known account — also the resource policy,
    /// naming the principal.
    pub fn add_to_principal_or_resource<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
        resource: &dyn IResourceWithPolicy,
    ) -> Grant {
        Self::with_options(GrantOptions {
            grantee,
            actions,
            resource_arns: resource_arns.into_iter().map(Into::into).collect(),
            resource_self_arns: None,
            resource_policy_principal: None,
            resource: Some(resource),
        })
    }

    /// [`Grant::add_to_principal_or_resource`] with every option.
    pub fn with_options(options: GrantOptions<'_>) -> Grant {
        let Some(resource) = options.resource else {
            return Self::add_to_principal(options.grantee, options.actions, options.resource_arns);
        };
        let mut grant = Self::add_to_principal(
            options.grantee,
            options.actions,
            options.resource_arns.clone(),
        );
        let same_account = options.grantee.principal_account().is_some_and(|account| {
            resource
                .resource_account()
                .compare(&account)
                .same_or_both_unresolved()
        });
        if grant.success() && same_account {
            return grant;
        }
        let tagged = tagged_account_principal(options.grantee, resource);
        let principal: &dyn IPrincipal = tagged.as_deref().unwrap_or(options.grantee);
        let statement = PolicyStatement::new()
            .actions(options.actions.iter().copied())
            .resources(options.resource_self_arns.unwrap_or(options.resource_arns))
            .principal(principal);
        let added = resource.add_to_resource_policy(statement.clone());
        grant.principal_statement = None;
        grant.resource_statement = Some(statement);
        grant.dependables = if added.statement_added {
            added.policy_dependable.into_iter().collect()
        } else {
            Vec::new()
        };
        grant
    }

    /// aws-cdk-lib's `Grant.addToPrincipalAndResource`: both the principal's policy and the
    /// resource policy (naming `resource_policy_principal`, default the grantee).
    pub fn add_to_principal_and_resource(options: GrantOptions<'_>) -> Grant {
        let mut grant = Self::add_to_principal(
            options.grantee,
            options.actions,
            options.resource_arns.clone(),
        );
        let principal = options.resource_policy_principal.unwrap_or(options.grantee);
        let tagged = options
            .resource
            .and_then(|resource| tagged_account_principal(principal, resource));
        let principal: &dyn IPrincipal = tagged.as_deref().unwrap_or(principal);
        let statement = PolicyStatement::new()
            .actions(options.actions.iter().copied())
            .resources(options.resource_self_arns.unwrap_or(options.resource_arns))
            .principal(principal);
        if let Some(resource) = options.resource {
            let added = resource.add_to_resource_policy(statement.clone());
            if added.statement_added {
                grant.dependables.extend(added.policy_dependable);
            }
        }
        grant.resource_statement = Some(statement);
        grant
    }

    /// Grants through the resource policy only.
    pub fn add_to_resource<S: Into<Str>>(
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resource_arns: impl IntoIterator<Item = S>,
        resource: &dyn IResourceWithPolicy,
    ) -> Grant {
        let statement = PolicyStatement::new()
            .actions(actions.iter().copied())
            .resources(resource_arns.into_iter().map(Into::into))
            .principal(grantee);
        let added = resource.add_to_resource_policy(statement.clone());
        Grant {
            principal_statement: None,
            resource_statement: Some(statement),
            dependables: added.policy_dependable.into_iter().collect(),
        }
    }
}
