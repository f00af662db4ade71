//! Ports of `aws-iam/test/integ.*.ts`.

use cdk_constructs::iam::{
    AccountRootPrincipal, FromRoleArnOptions, Grant, IOidcProvider, ManagedPolicy,
    ManagedPolicyProps, OidcProviderNative, OidcProviderNativeProps, OrganizationPrincipal, Policy,
    PolicyProps, PolicyStatement, Role, RoleProps, ServicePrincipal, User, UserAttributes,
    UserProps,
};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_core::{App, CfnOutput, CfnOutputProps, Stack, StackProps, Str};

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
    Port {
        test: "aws-iam/integ.user",
        build: user,
    },
    Port {
        test: "aws-iam/integ.oidc-provider-native",
        build: oidc_provider_native,
    },
    Port {
        test: "aws-iam/integ.managed-policy",
        build: managed_policy,
    },
    Port {
        test: "aws-iam/integ.composite-principal",
        build: composite_principal,
    },
    Port {
        test: "aws-iam/integ.group",
        build: group,
    },
    Port {
        test: "aws-iam/integ.users-and-groups",
        build: users_and_groups,
    },
    Port {
        test: "aws-iam/integ.policy",
        build: policy,
    },
    Port {
        test: "aws-iam/integ.principal-with-conditions",
        build: principal_with_conditions,
    },
    Port {
        test: "aws-iam/integ.access-key",
        build: access_key,
    },
];

/// `integ.access-key.ts`: a user's access key, its ID as an output.
fn access_key(app: &App) {
    use cdk_constructs::iam::{AccessKey, AccessKeyProps};
    let stack = Stack::new(app, "integ-iam-access-key-1", StackProps::default());
    let user = User::new(&stack, "TestUser", UserProps::default());
    let key = AccessKey::new(&stack, "TestAccessKey", AccessKeyProps::new(&user));
    output(&stack, "AccessKeyId", key.access_key_id());
}

/// `integ.principal-with-conditions.ts`: a role assumable by anyone under three conditions,
/// two added with `add_condition` (one merged into the existing `StringLike`).
fn principal_with_conditions(app: &App) {
    use cdk_constructs::iam::{AnyPrincipal, PrincipalWithConditions};
    use cdk_core::Value;
    let stack = Stack::new(
        app,
        "integ-principal-with-conditions",
        StackProps::default(),
    );
    let condition = |key: &str, value: &str| {
        [(key.to_string(), Value::from(value))]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let mut principal = PrincipalWithConditions::new(
        std::rc::Rc::new(AnyPrincipal),
        [("StringLike".to_string(), condition("aws:username", "foo-*"))]
            .into_iter()
            .collect(),
    );
    principal.add_condition("StringLike", condition("aws:PrincipalTag/owner", "foo"));
    principal.add_condition("Bool", condition("aws:MultiFactorAuthPresent", "true"));
    Role::new(&stack, "TestRole", RoleProps::assumed_by(principal));
}

/// `integ.policy.ts`: two policies attached to a user; a role whose assumption is granted to
/// the first policy and `iam:*` on it to the second (policies as grantees).
fn policy(app: &App) {
    let stack = Stack::new(app, "aws-cdk-iam-policy", StackProps::default());
    let user = User::new(&stack, "MyUser", UserProps::default());
    let policy = Policy::new(
        &stack,
        "HelloPolicy",
        PolicyProps {
            policy_name: Some("Default".into()),
            ..Default::default()
        },
    );
    policy.add_statements([PolicyStatement::new()
        .resource("*")
        .action("sqs:SendMessage")]);
    policy.attach_to_user(&user);
    let policy2 = Policy::new(&stack, "GoodbyePolicy", PolicyProps::default());
    policy2.add_statements([PolicyStatement::new()
        .resource("*")
        .action("lambda:InvokeFunction")]);
    policy2.attach_to_user(&user);
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    role.grant_assume_role(&policy);
    Grant::add_to_principal(&policy2, &["iam:*"], [role.role_arn()]);
}

/// `integ.composite-principal.ts`: a role assumable by a service and by anyone.
fn composite_principal(app: &App) {
    use cdk_constructs::iam::{AnyPrincipal, CompositePrincipal};
    let stack = Stack::new(app, "iam-integ-composite-principal", StackProps::default());
    Role::new(
        &stack,
        "RoleWithCompositePrincipal",
        RoleProps::assumed_by(CompositePrincipal::new(vec![
            Box::new(ServicePrincipal::new("ec2.amazonaws.com")),
            Box::new(AnyPrincipal),
        ])),
    );
}

/// `integ.group.ts`: a default group.
fn group(app: &App) {
    use cdk_constructs::iam::{Group, GroupProps};
    let stack = Stack::new(app, "integ-iam-role-1", StackProps::default());
    Group::new(&stack, "MyGroup", GroupProps::default());
}

/// `integ.users-and-groups.ts`: five users in two groups (`add_to_group` and `add_user`), a
/// policy attached to the first group granting `iam:*` on the second.
fn users_and_groups(app: &App) {
    use cdk_constructs::iam::{Group, GroupProps};
    let stack = Stack::new(app, "integ-iam-role-1", StackProps::default());
    let g1 = Group::new(&stack, "MyGroup", GroupProps::default());
    let g2 = Group::new(&stack, "YourGroup", GroupProps::default());
    for i in 0..5 {
        let user = User::new(&stack, &format!("User{}", i + 1), UserProps::default());
        user.add_to_group(&g1);
        g2.add_user(&user);
    }
    let policy = Policy::new(&stack, "MyPolicy", PolicyProps::default());
    policy.attach_to_group(&g1);
    policy.add_statements([PolicyStatement::new()
        .resource(g2.group_arn())
        .action("iam:*")]);
}

fn output(stack: &Stack, id: &str, value: Str) {
    CfnOutput::new(
        stack,
        id,
        CfnOutputProps {
            value,
            ..Default::default()
        },
    );
}

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

/// `integ.role.ts`.
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
    Role::new(
        &stack,
        "TestRole3",
        RoleProps::assumed_by(
            OrganizationPrincipal::new("o-12345abcde").expect("a valid organization ID"),
        ),
    );
}

/// `integ.user.ts`.
fn user(app: &App) {
    let stack = Stack::new(app, "aws-cdk-iam-user", StackProps::default());
    User::new(
        &stack,
        "MyUser",
        UserProps {
            user_name: Some("benisrae".into()),
            password: Some("Test1234567890!".into()),
            password_reset_required: true,
            ..Default::default()
        },
    );
    let arn = |id: &str, arn: &str| User::from_user_arn(&stack, id, arn);
    let attrs = |id: &str, arn: &str| {
        User::from_user_attributes(
            &stack,
            id,
            UserAttributes {
                user_arn: arn.into(),
            },
        )
    };
    let by_arn = arn(
        "ImportedUserByArn",
        "arn:aws:iam::123456789012:user/rossrhodes",
    );
    let by_arn_path = arn(
        "ImportedUserByArnPath",
        "arn:aws:iam::123456789012:user/path/johndoe",
    );
    let by_arn_paths = arn(
        "ImportedUserByArnPathMultiple",
        "arn:aws:iam::123456789012:user/p/a/t/h/johndoe",
    );
    let by_attrs = attrs(
        "ImportedUserByAttributes",
        "arn:aws:iam::123456789012:user/johndoe",
    );
    let by_attrs_path = attrs(
        "ImportedUserByAttributesPath",
        "arn:aws:iam::123456789012:user/path/johndoe",
    );
    let by_attrs_paths = attrs(
        "ImportedUserByAttributesPathMultiple",
        "arn:aws:iam::123456789012:user/p/a/t/h/johndoe",
    );
    let by_name = User::from_user_name(&stack, "ImportedUserByName", "janedoe");
    output(&stack, "NameForUserImportedByArn", by_arn.user_name());
    output(
        &stack,
        "NameForUserImportedByArnPath",
        by_arn_path.user_name(),
    );
    output(
        &stack,
        "NameForUserImportedByArnPathMultiple",
        by_arn_paths.user_name(),
    );
    output(
        &stack,
        "NameForUserImportedByAttributes",
        by_attrs.user_name(),
    );
    output(
        &stack,
        "NameForUserImportedByAttributesPath",
        by_attrs_path.user_name(),
    );
    output(
        &stack,
        "NameForUserImportedByAttributesPathMultiple",
        by_attrs_paths.user_name(),
    );
    output(&stack, "NameForUserImportedByName", by_name.user_name());
}

/// `integ.oidc-provider-native.ts`.
fn oidc_provider_native(app: &App) {
    let stack = Stack::new(
        app,
        "oidc-provider-native-integ-stack",
        StackProps::default(),
    );
    let provider = OidcProviderNative::new(
        &stack,
        "Provider",
        OidcProviderNativeProps {
            oidc_provider_name: Some("MyProvider".into()),
            url: "https://oidc.eks.us-east-1.amazonaws.com/id/test1".into(),
            client_ids: vec!["foo".into(), "bar".into()],
            thumbprints: vec![
                "aa00aa1122aa00aa1122aa00aa1122aa00aa1122".into(),
                "aa00aa1122aa00aa1122aa00aa1122aa00aa1111".into(),
            ],
            ..Default::default()
        },
    );
    let minimal = OidcProviderNative::new(
        &stack,
        "Minimal",
        OidcProviderNativeProps {
            url: "https://oidc.eks.us-east-1.amazonaws.com/id/test2".into(),
            thumbprints: vec!["aa00aa1122aa00aa1122aa00aa1122aa00aa1122".into()],
            ..Default::default()
        },
    );
    output(&stack, "Arn", provider.oidc_provider_arn());
    output(&stack, "Issuer", provider.oidc_provider_issuer());
    output(&stack, "MinimalArn", minimal.oidc_provider_arn());
    output(&stack, "MinimalIssuer", minimal.oidc_provider_issuer());
}

/// `integ.managed-policy.ts` (the snapshot's runtime `nodejs18.x` stands for
/// `Runtime.NODEJS_LATEST` of its aws-cdk-lib).
fn managed_policy(app: &App) {
    let stack = Stack::new(app, "aws-cdk-iam-managed-policy", StackProps::default());
    let user = User::new(&stack, "MyUser", UserProps::default());
    let policy = ManagedPolicy::new(
        &stack,
        "OneManagedPolicy",
        ManagedPolicyProps {
            managed_policy_name: Some("Default".into()),
            description: Some("My Policy".into()),
            path: Some("/some/path/".into()),
            ..Default::default()
        },
    );
    policy.add_statements([PolicyStatement::new()
        .resource("*")
        .action("sqs:SendMessage")]);
    policy.attach_to_user(&user);
    let policy2 = ManagedPolicy::new(&stack, "TwoManagedPolicy", ManagedPolicyProps::default());
    policy2.add_statements([PolicyStatement::new()
        .resource("*")
        .action("lambda:InvokeFunction")]);
    user.add_managed_policy(&policy2);
    user.add_managed_policy(&ManagedPolicy::from_aws_managed_policy_name(
        "SecurityAudit",
    ));
    let role = Role::new(
        &stack,
        "Role",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    role.grant_assume_role(&policy);
    Grant::add_to_principal(&policy2, &["iam:*"], [role.role_arn()]);
    policy.attach_to_role(&role);
    let imported = Role::from_role_arn(
        &stack,
        "ImportedRole",
        role.role_arn(),
        FromRoleArnOptions::default(),
    );
    policy.attach_to_role(&imported);
    let func = Function::new(
        &stack,
        "Function",
        FunctionProps::new(
            Runtime::Other("nodejs18.x".into()),
            "index.handler",
            Code::from_inline("export const handler = async () => null"),
        ),
    );
    func.grant_invoke(&policy);
}
