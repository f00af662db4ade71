//! Inline identity policies attached to roles (`AWS::IAM::Policy`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::generated::iam::{CfnPolicy, CfnPolicyProps};
use cdk_core::{CfnElement, IConstruct, Node, Str, StrList, Value};

use super::document::PolicyDocument;
use super::statement::PolicyStatement;

/// Properties of a [`Policy`].
#[derive(Clone, Debug, Default)]
pub struct PolicyProps {
    /// Policy name (default: the policy's logical ID, as aws-cdk-lib does).
    pub policy_name: Option<String>,
    /// Initial statements.
    pub statements: Vec<PolicyStatement>,
}

/// An `AWS::IAM::Policy` attached to roles.
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
/// policy.attach_to_role_name(role.role_name());
/// ```
#[derive(Clone)]
pub struct Policy {
    node: Node,
    resource: CfnPolicy,
    document: PolicyDocument,
    roles: Rc<RefCell<Vec<Str>>>,
}

impl IConstruct for Policy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Policy {
    /// Defines a policy; attach it with [`Policy::attach_to_role_name`].
    pub fn new(scope: &impl IConstruct, id: &str, props: PolicyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.iam.Policy");
        let document = PolicyDocument::with_statements(props.statements);
        let roles: Rc<RefCell<Vec<Str>>> = Rc::default();
        let roles_for_render = roles.clone();
        // The default name is the policy's own logical ID, known once the resource exists.
        let own_logical_id: Rc<RefCell<Option<Str>>> = Rc::default();
        let name_cell = own_logical_id.clone();
        let policy_name = match props.policy_name {
            Some(n) => Str::from(n),
            None => Str::lazy(move || name_cell.borrow().clone().unwrap_or_default()),
        };
        let resource = CfnPolicy::new(
            &node,
            "Resource",
            CfnPolicyProps {
                policy_document: document.to_value(),
                policy_name,
                groups: None,
                roles: Some(StrList::from_value(Value::lazy(move || {
                    let roles = roles_for_render.borrow();
                    if roles.is_empty() {
                        Value::Null
                    } else {
                        Value::from(StrList::from(roles.clone()))
                    }
                }))),
                users: None,
            },
        );
        *own_logical_id.borrow_mut() = Some(resource.resource().logical_id());
        let doc = document.clone();
        let attached = roles.clone();
        node.add_validation(move || {
            let mut errors = doc.validate_for_identity_policy();
            if doc.is_empty() {
                errors.push("a Policy must contain at least one statement".into());
            }
            if attached.borrow().is_empty() {
                errors.push("a Policy must be attached to at least one role".into());
            }
            errors
        });
        Policy {
            node,
            resource,
            document,
            roles,
        }
    }

    /// Adds statements.
    pub fn add_statements(&self, statements: impl IntoIterator<Item = PolicyStatement>) {
        self.document.add_statements(statements);
    }

    /// The policy document (shared).
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Attaches the policy to a role by name.
    pub fn attach_to_role_name(&self, role_name: Str) {
        let mut roles = self.roles.borrow_mut();
        if !roles.contains(&role_name) {
            roles.push(role_name);
        }
    }

    /// The underlying `AWS::IAM::Policy`.
    pub fn cfn(&self) -> &CfnPolicy {
        &self.resource
    }
}
