//! Inline identity policies attached to roles, users and groups (`AWS::IAM::Policy`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::generated::iam::{CfnPolicy, CfnPolicyProps};
use crate::generated::runtime::Late;
use cdk_core::{CfnElement, IConstruct, Node, Resource, ResourceProps, Str, StrList, Value};

use super::document::PolicyDocument;
use super::group::IGroup;
use super::principals::{AddToPrincipalPolicyResult, IPrincipal, PrincipalFragment};
use super::role::IRole;
use super::statement::PolicyStatement;
use super::user::IUser;

/// IAM policy names are at most this long (aws-cdk-lib's `MAX_POLICY_NAME_LEN`).
pub const MAX_POLICY_NAME_LEN: usize = 128;

/// Properties of a [`Policy`].
#[derive(Clone, Default)]
pub struct PolicyProps {
    /// Policy name (default: the last 128 characters of the policy's logical ID, as
    /// aws-cdk-lib).
    pub policy_name: Option<String>,
    /// Initial statements.
    pub statements: Vec<PolicyStatement>,
    /// The document (default: a new one holding `statements`).
    pub document: Option<PolicyDocument>,
    /// Roles to attach to.
    pub roles: Vec<Rc<dyn IRole>>,
    /// Users to attach to.
    pub users: Vec<Rc<dyn IUser>>,
    /// Groups to attach to.
    pub groups: Vec<Rc<dyn IGroup>>,
    /// Always create the policy, even empty or unattached (then that is an error).
    pub force: bool,
}

#[derive(Default)]
struct PolicyState {
    /// Attached roles: `(ARN, name)`, each role once (by ARN, as aws-cdk-lib).
    roles: Vec<(Str, Str)>,
    /// Attached users: `(ARN, name)`.
    users: Vec<(Str, Str)>,
    /// Attached groups: `(ARN, name)`.
    groups: Vec<(Str, Str)>,
    reference_taken: bool,
}

impl PolicyState {
    fn is_attached(&self) -> bool {
        !(self.roles.is_empty() && self.users.is_empty() && self.groups.is_empty())
    }
}

/// A lazy list of the names of `pick`'s entries, absent when empty.
fn names_of(
    state: &Rc<RefCell<PolicyState>>,
    pick: fn(&PolicyState) -> &Vec<(Str, Str)>,
) -> Late<Option<StrList>> {
    let state = state.clone();
    Late::lazy(move || {
        let s = state.borrow();
        let list = pick(&s);
        (!list.is_empty())
            .then(|| StrList::from(list.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>()))
    })
}

/// An `AWS::IAM::Policy` attached to roles. As in aws-cdk-lib it is only part of the template
/// when it has statements and is attached (or `force`, or its name was used).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::iam::{Policy, PolicyProps, PolicyStatement, Role, RoleProps, ServicePrincipal};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let role = Role::new(&stack, "Role", RoleProps::assumed_by(ServicePrincipal::new("ec2.amazonaws.com")));
/// let policy = Policy::new(&stack, "ReadParameters", PolicyProps {
///     statements: vec![PolicyStatement::new()
///         .action("ssm:GetParameter")
///         .resource("arn:aws:ssm:us-east-1:111111111111:parameter/app/*")],
///     ..Default::default()
/// });
/// policy.attach_to_role(&role);
/// policy.attach_to_role(&role); // once
/// ```
#[derive(Clone)]
pub struct Policy {
    base: Resource,
    resource: CfnPolicy,
    document: PolicyDocument,
    state: Rc<RefCell<PolicyState>>,
    name: Str,
}

impl IConstruct for Policy {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Policy {
    /// Defines a policy; attach it with [`Policy::attach_to_role`].
    pub fn new(scope: &impl IConstruct, id: &str, props: PolicyProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.iam.Policy",
            ResourceProps::default(),
        );
        let document = props.document.unwrap_or_default();
        document.add_statements(props.statements);
        let state: Rc<RefCell<PolicyState>> = Rc::default();
        let resource = CfnPolicy::new(
            &base,
            "Resource",
            CfnPolicyProps {
                policy_document: document.to_value(),
                policy_name: Str::from(""),
                groups: None,
                roles: None,
                users: None,
            },
        );
        let name = match props.policy_name {
            Some(n) => Str::from(n),
            None => {
                // The last 128 characters of the logical ID (aws-cdk-lib's generatePolicyName).
                let logical_id = resource.resource().logical_id();
                Str::lazy_with_context(move |ctx| match ctx.resolve(logical_id.value()) {
                    Some(serde_json::Value::String(id)) => {
                        let chars: Vec<char> = id.chars().collect();
                        let start = chars.len().saturating_sub(MAX_POLICY_NAME_LEN);
                        Str::from(chars[start..].iter().collect::<String>())
                    }
                    _ => logical_id.clone(),
                })
            }
        };
        resource.set_policy_name(name.clone());
        resource.set_roles(names_of(&state, |s| &s.roles));
        resource.set_users(names_of(&state, |s| &s.users));
        resource.set_groups(names_of(&state, |s| &s.groups));
        let decide_doc = document.clone();
        let decide_state = state.clone();
        let force = props.force;
        resource.set_should_synthesize(move || {
            let s = decide_state.borrow();
            force || s.reference_taken || (!decide_doc.is_empty() && s.is_attached())
        });
        let doc = document.clone();
        let check = state.clone();
        base.node().add_validation(move || {
            let s = check.borrow();
            let mut errors = Vec::new();
            if doc.is_empty() {
                if force {
                    errors.push("Policy created with force=true is empty. You must add statements to the policy".into());
                } else if s.reference_taken {
                    errors.push("This Policy has been referenced by a resource, so it must contain at least one statement.".into());
                }
            }
            if !s.is_attached() {
                if force {
                    errors.push("Policy created with force=true must be attached to at least one principal: user, group or role".into());
                } else if s.reference_taken {
                    errors.push("This Policy has been referenced by a resource, so it must be attached to at least one user, group or role.".into());
                }
            }
            errors.extend(doc.validate_for_identity_policy());
            errors
        });
        let policy = Policy {
            base,
            resource,
            document,
            state,
            name,
        };
        for user in &props.users {
            policy.attach_to_user(user.as_ref());
        }
        for group in &props.groups {
            policy.attach_to_group(group.as_ref());
        }
        for role in &props.roles {
            policy.attach_to_role(role.as_ref());
        }
        policy
    }

    /// Adds statements.
    pub fn add_statements(&self, statements: impl IntoIterator<Item = PolicyStatement>) {
        self.document.add_statements(statements);
    }

    /// The policy document (shared).
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The policy's name; using it makes the policy part of the template.
    pub fn policy_name(&self) -> Str {
        self.state.borrow_mut().reference_taken = true;
        self.name.clone()
    }

    /// The name, without marking the policy as referenced (for attachment bookkeeping).
    pub(crate) fn name_token(&self) -> Str {
        self.name.clone()
    }

    /// Attaches the policy to `role` (once per role ARN, as aws-cdk-lib): the role records
    /// it too (an immutable or other-account role ignores it, and the policy stays
    /// unattached).
    pub fn attach_to_role(&self, role: &dyn IRole) {
        let arn = role.role_arn();
        {
            let mut s = self.state.borrow_mut();
            if s.roles.iter().any(|(a, _)| *a == arn) {
                return;
            }
            s.roles.push((arn, role.role_name()));
        }
        role.attach_inline_policy(self);
    }

    /// Attaches the policy to `user` (once per user ARN, as aws-cdk-lib).
    pub fn attach_to_user(&self, user: &dyn IUser) {
        let arn = user.user_arn();
        {
            let mut s = self.state.borrow_mut();
            if s.users.iter().any(|(a, _)| *a == arn) {
                return;
            }
            s.users.push((arn, user.user_name()));
        }
        user.attach_inline_policy(self);
    }

    /// Attaches the policy to `group` (once per group ARN, as aws-cdk-lib).
    pub fn attach_to_group(&self, group: &dyn IGroup) {
        let arn = group.group_arn();
        {
            let mut s = self.state.borrow_mut();
            if s.groups.iter().any(|(a, _)| *a == arn) {
                return;
            }
            s.groups.push((arn, group.group_name()));
        }
        group.attach_inline_policy(self);
    }

    /// True when attached to at least one role, user or group.
    pub fn is_attached(&self) -> bool {
        self.state.borrow().is_attached()
    }

    /// The underlying `AWS::IAM::Policy`.
    pub fn cfn(&self) -> &CfnPolicy {
        &self.resource
    }
}

/// A policy as a grantee: statements granted to it land in it.
impl IPrincipal for Policy {
    fn policy_fragment(&self) -> PrincipalFragment {
        let path = self.node().path();
        let arn = Str::lazy_with_context(move |ctx| {
            ctx.fail(format!("This grant operation needs to add a resource policy so needs access to a principal. Grant permissions to a Role or User, instead of a Policy ({path})."));
            Str::from("")
        });
        PrincipalFragment::single("AWS", Value::from(arn))
    }

    fn add_to_principal_policy(&self, statement: &PolicyStatement) -> AddToPrincipalPolicyResult {
        self.add_statements([statement.clone()]);
        AddToPrincipalPolicyResult {
            statement_added: true,
            policy_dependable: Some(self.node().clone()),
        }
    }

    fn principal_account(&self) -> Option<Str> {
        Some(self.base.env().account)
    }
}
