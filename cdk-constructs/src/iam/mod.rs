//! IAM: policy statements and documents (minimized as aws-cdk-lib's `minimizePolicies`),
//! principals (incl. organizations and web identity / OpenID Connect federation), grants,
//! roles, users and groups (the [`IRole`], [`IUser`], [`IGroup`] interfaces: created and
//! imported), inline and managed policies attached to any of them, users' access keys
//! ([`AccessKey`]), and OIDC providers.

mod access_key;
mod document;
mod grant;
mod group;
mod managed_policy;
mod merge;
mod oidc_provider;
mod policy;
mod principals;
mod role;
mod statement;
mod user;

pub use access_key::{AccessKey, AccessKeyProps, AccessKeyStatus};
pub use document::{PolicyDocument, ARN_SIZE_ESTIMATE_CONTEXT};
pub use grant::{AddToResourcePolicyResult, Grant, GrantOptions, IResourceWithPolicy};
pub use group::{Group, GroupProps, IGroup, ImportedGroup};
pub use managed_policy::{IManagedPolicy, ManagedPolicy, ManagedPolicyProps, ManagedPolicyRef};
pub use oidc_provider::{
    IOidcProvider, ImportedOidcProvider, OidcProviderNative, OidcProviderNativeProps,
};
pub use policy::{Policy, PolicyProps, MAX_POLICY_NAME_LEN};
pub(crate) use principals::owned_stack;
pub use principals::{
    AccountPrincipal, AccountRootPrincipal, AddToPrincipalPolicyResult, AnyPrincipal, ArnPrincipal,
    CompositePrincipal, FederatedPrincipal, IPrincipal, OpenIdConnectPrincipal,
    OrganizationPrincipal, PrincipalConditions, PrincipalEntry, PrincipalFragment,
    PrincipalWithConditions, ServicePrincipal, StarPrincipal, WebIdentityPrincipal,
    LITERAL_STRING_KEY,
};
pub use role::{FromRoleArnOptions, IRole, ImportedRole, Role, RoleProps};
pub use statement::{Conditions, Effect, PolicyStatement};
pub use user::{IUser, ImportedUser, User, UserAttributes, UserProps};

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::iam::*;

impl From<Role> for std::rc::Rc<dyn IRole> {
    fn from(role: Role) -> Self {
        std::rc::Rc::new(role)
    }
}

impl From<&Role> for std::rc::Rc<dyn IRole> {
    fn from(role: &Role) -> Self {
        std::rc::Rc::new(role.clone())
    }
}

impl From<ImportedRole> for std::rc::Rc<dyn IRole> {
    fn from(role: ImportedRole) -> Self {
        std::rc::Rc::new(role)
    }
}

impl From<&ImportedRole> for std::rc::Rc<dyn IRole> {
    fn from(role: &ImportedRole) -> Self {
        std::rc::Rc::new(role.clone())
    }
}

/// A shared role is a principal too.
impl IPrincipal for std::rc::Rc<dyn IRole> {
    fn policy_fragment(&self) -> PrincipalFragment {
        (**self).policy_fragment()
    }
    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        (**self).add_to_principal_policy(statement)
    }
    fn principal_account(&self) -> Option<cdk_core::Str> {
        (**self).principal_account()
    }
    fn assume_role_action(&self) -> String {
        (**self).assume_role_action()
    }
    fn dedupe_key(&self) -> Option<cdk_core::Value> {
        (**self).dedupe_key()
    }
    fn add_to_assume_role_policy(&self, document: &PolicyDocument) {
        (**self).add_to_assume_role_policy(document)
    }
    fn owned_resource_node(&self) -> Option<cdk_core::Node> {
        (**self).owned_resource_node()
    }
}
