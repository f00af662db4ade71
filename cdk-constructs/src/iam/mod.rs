//! IAM: policy statements and documents, principals, grants, roles and policies.

mod document;
mod grant;
mod managed_policy;
mod policy;
mod principals;
mod role;
mod statement;

pub use document::PolicyDocument;
pub use grant::{Grant, IResourceWithPolicy};
pub use managed_policy::{ManagedPolicy, ManagedPolicyProps, ManagedPolicyRef};
pub use policy::{Policy, PolicyProps};
pub use principals::{
    AccountPrincipal, AccountRootPrincipal, AnyPrincipal, ArnPrincipal, CompositePrincipal,
    IPrincipal, PrincipalFragment, ServicePrincipal,
};
pub use role::{FromRoleArnOptions, ImportedRole, Role, RoleProps};
pub use statement::{Effect, PolicyStatement};

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::iam::*;
