//! Ports of `aws-iam/test/integ.*.ts`.

use cdk_constructs::iam::{
    AccountRootPrincipal, Policy, PolicyProps, PolicyStatement, Role, RoleProps, ServicePrincipal,
};
use cdk_core::{App, Stack, StackProps};

use crate::harness::Port;

/// The IAM ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-iam/integ.policy-statement-sid",
        build: policy_statement_sid,
    },
    Port {
        test: "aws-iam/integ.role",
        build: role,
    },
];

/// `integ.policy-statement-sid.ts`.
fn policy_statement_sid(app: &App) {
    let stack = Stack::new(app, "PolicyStatementSidStack", StackProps::default());
    let role = Role::new(
        &stack,
        "TestRole",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    role.add_to_policy(
        PolicyStatement::new()
            .sid("ValidAlphanumericSid")
            .action("s3:GetObject")
            .resource("*"),
    );
    role.add_to_policy(
        PolicyStatement::new()
            .sid("AnotherValidSid123")
            .action("dynamodb:PutItem")
            .resource("*"),
    );
}

/// `integ.role.ts`. Partial: no `OrganizationPrincipal` (TestRole3).
fn role(app: &App) {
    let stack = Stack::new(app, "integ-iam-role-1", StackProps::default());
    let role = Role::new(
        &stack,
        "TestRole",
        RoleProps::assumed_by(ServicePrincipal::new("sqs.amazonaws.com")),
    );
    role.add_to_policy(
        PolicyStatement::new()
            .resource("*")
            .action("sqs:SendMessage"),
    );
    let policy = Policy::new(
        &stack,
        "HelloPolicy",
        PolicyProps {
            policy_name: Some("Default".into()),
            ..Default::default()
        },
    );
    policy.add_statements([PolicyStatement::new().action("ec2:*").resource("*")]);
    policy.attach_to_role(&role);
    Role::new(
        &stack,
        "TestRole2",
        RoleProps {
            external_ids: vec!["supply-me".into()],
            ..RoleProps::assumed_by(AccountRootPrincipal::new())
        },
    );
}
