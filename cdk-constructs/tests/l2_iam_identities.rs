//! IAM users, groups, policy attachments, organization / federated / OIDC principals and the
//! native OIDC provider, checked against what aws-cdk-lib 2.276 renders.

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::iam::*;
use cdk_core::{App, Stack, StackProps, Value};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn id(path: &[&str]) -> String {
    cdk_core::logical_id::make_unique_id(path)
}

fn reference(path: &[&str]) -> serde_json::Value {
    serde_json::json!({"Ref": id(path)})
}

#[test]
fn a_bare_user_has_no_properties() {
    let (_app, stack) = stack();
    User::new(&stack, "MyUser", UserProps::default());
    let t = Template::from_stack(&stack);
    t.has_resource("AWS::IAM::User", pattern!({"Properties": Match::absent()}));
}

#[test]
fn user_renders_groups_managed_policies_boundary_and_login_profile() {
    let (_app, stack) = stack();
    let group = Group::new(&stack, "Admins", GroupProps::default());
    let user = User::new(
        &stack,
        "Alice",
        UserProps {
            user_name: Some("alice".into()),
            path: Some("/people/".into()),
            groups: vec![Rc::new(group.clone())],
            managed_policies: vec![ManagedPolicy::from_managed_policy_arn(
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
            )],
            permissions_boundary: Some(ManagedPolicy::from_managed_policy_arn(
                "arn:aws:iam::111111111111:policy/Boundary",
            )),
            password: Some("{{resolve:secretsmanager:pw}}".into()),
            password_reset_required: true,
        },
    );
    // Each managed policy once.
    user.add_managed_policy(&ManagedPolicy::from_managed_policy_arn(
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::User",
        pattern!({
            "UserName": "alice",
            "Path": "/people/",
            "Groups": [reference(&["Admins", "Resource"])],
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            "PermissionsBoundary": "arn:aws:iam::111111111111:policy/Boundary",
            "LoginProfile": {"Password": "{{resolve:secretsmanager:pw}}", "PasswordResetRequired": true}
        }),
    );
}

#[test]
fn password_reset_without_password_is_an_error() {
    let (_app, stack) = stack();
    User::new(
        &stack,
        "U",
        UserProps {
            password_reset_required: true,
            ..Default::default()
        },
    );
    Annotations::from_stack(&stack)
        .has_error("/S/U", Match::string_like_regexp("passwordResetRequired"));
}

#[test]
fn add_to_policy_creates_the_default_policy_attached_to_the_user_and_group() {
    let (_app, stack) = stack();
    let user = User::new(&stack, "U", UserProps::default());
    let group = Group::new(&stack, "G", GroupProps::default());
    assert!(user.add_to_policy(PolicyStatement::new().action("s3:ListBucket").resource("*")));
    group.add_to_policy(
        PolicyStatement::new()
            .action("sqs:SendMessage")
            .resource("*"),
    );
    let t = Template::from_stack(&stack);
    t.resource_count_is("AWS::IAM::Policy", 2);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "PolicyName": id(&["U", "DefaultPolicy", "Resource"]),
            "Users": [reference(&["U", "Resource"])],
            "PolicyDocument": {"Statement": [{"Action": "s3:ListBucket", "Effect": "Allow", "Resource": "*"}]}
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "PolicyName": id(&["G", "DefaultPolicy", "Resource"]),
            "Groups": [reference(&["G", "Resource"])],
            "Roles": Match::absent(),
        }),
    );
}

#[test]
fn policy_attaches_to_users_groups_and_roles_once_each() {
    let (_app, stack) = stack();
    let user = User::new(&stack, "U", UserProps::default());
    let group = Group::new(&stack, "G", GroupProps::default());
    let role = Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(ServicePrincipal::new("ec2.amazonaws.com")),
    );
    let policy = Policy::new(
        &stack,
        "P",
        PolicyProps {
            statements: vec![PolicyStatement::new().action("ec2:*").resource("*")],
            ..Default::default()
        },
    );
    policy.attach_to_user(&user);
    policy.attach_to_user(&user);
    policy.attach_to_group(&group);
    group.add_user(&user);
    policy.attach_to_role(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "Users": [reference(&["U", "Resource"])],
            "Groups": [reference(&["G", "Resource"])],
            "Roles": [reference(&["R", "Resource"])],
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::User",
        pattern!({"Groups": [reference(&["G", "Resource"])]}),
    );
}

#[test]
fn managed_policy_attaches_to_users_and_groups_and_takes_grants() {
    let (_app, stack) = stack();
    let user = User::new(&stack, "U", UserProps::default());
    let group = Group::new(&stack, "G", GroupProps::default());
    let policy = ManagedPolicy::new(
        &stack,
        "MP",
        ManagedPolicyProps {
            users: vec![Rc::new(user.clone())],
            ..Default::default()
        },
    );
    policy.attach_to_group(&group);
    policy.attach_to_user(&user);
    let role = Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    role.grant_assume_role(&policy);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        pattern!({
            "Users": [reference(&["U", "Resource"])],
            "Groups": [reference(&["G", "Resource"])],
            "PolicyDocument": {"Statement": [{
                "Action": "sts:AssumeRole", "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [id(&["R", "Resource"]), "Arn"]}
            }]}
        }),
    );
}

#[test]
fn imported_users_get_their_own_policy_and_join_groups_with_a_user_to_group_addition() {
    let (_app, stack) = stack();
    let group = Group::new(&stack, "G", GroupProps::default());
    let imported = User::from_user_arn(&stack, "Bob", "arn:aws:iam::123456789012:user/team/bob");
    assert_eq!(imported.user_name().literal(), Some("bob"));
    imported.add_to_policy(PolicyStatement::new().action("s3:GetObject").resource("*"));
    group.add_user(&imported);
    imported.add_to_group(&group);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyName": id(&["Bob", "Policy", "Resource"]), "Users": ["bob"]}),
    );
    t.resource_count_is("AWS::IAM::UserToGroupAddition", 2);
    t.has_resource_properties(
        "AWS::IAM::UserToGroupAddition",
        pattern!({"GroupName": reference(&["G", "Resource"]), "Users": ["bob"]}),
    );
    assert!(t
        .find_resources("AWS::IAM::UserToGroupAddition", Match::any_value())
        .contains_key("bobGroup1"));
}

#[test]
fn imported_user_refuses_managed_policies() {
    let (_app, stack) = stack();
    let imported = User::from_user_name(&stack, "Bob", "bob");
    imported.add_managed_policy(&ManagedPolicy::from_aws_managed_policy_name(
        "ReadOnlyAccess",
    ));
    Annotations::from_stack(&stack).has_error(
        "/S/Bob",
        Match::string_like_regexp("Cannot add managed policy to imported User"),
    );
}

#[test]
fn imported_group_by_name_has_a_formatted_arn() {
    let (_app, stack) = stack();
    let group = Group::from_group_name(&stack, "Ops", "ops");
    assert_eq!(group.group_name().literal(), Some("ops"));
    let arn = stack.resolve(&group.group_arn().into_value()).unwrap();
    assert_eq!(
        arn,
        serde_json::json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":group/ops"]]})
    );
}

#[test]
fn group_warns_beyond_ten_managed_policies() {
    let (_app, stack) = stack();
    let group = Group::new(&stack, "G", GroupProps::default());
    for i in 0..11 {
        group.add_managed_policy(&ManagedPolicy::from_managed_policy_arn(format!(
            "arn:aws:iam::aws:policy/P{i}"
        )));
    }
    Annotations::from_stack(&stack).has_warning(
        "/S/G",
        Match::string_like_regexp(
            "maximum number of managed policies attached to an IAM group is 10",
        ),
    );
}

#[test]
fn organization_principal_adds_the_org_id_condition() {
    let (_app, stack) = stack();
    Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(OrganizationPrincipal::new("o-12345abcde").unwrap()),
    );
    assert!(OrganizationPrincipal::new("o-1234").is_err());
    Template::from_stack(&stack).has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [{
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-12345abcde"}},
            "Effect": "Allow",
            "Principal": {"AWS": "*"}
        }]}}),
    );
}

#[test]
fn composite_principal_gets_one_trust_statement_per_principal() {
    let (_app, stack) = stack();
    Role::new(
        &stack,
        "RoleWithCompositePrincipal",
        RoleProps::assumed_by(CompositePrincipal::new(vec![
            Box::new(ServicePrincipal::new("ec2.amazonaws.com")),
            Box::new(AnyPrincipal),
        ])),
    );
    Template::from_stack(&stack).has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}},
            {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": "*"}}
        ]}}),
    );
}

fn github_conditions() -> PrincipalConditions {
    BTreeMap::from([
        (
            "StringEquals".to_string(),
            BTreeMap::from([(
                "token.actions.githubusercontent.com:aud".to_string(),
                Value::from("sts.amazonaws.com"),
            )]),
        ),
        (
            "StringLike".to_string(),
            BTreeMap::from([(
                "token.actions.githubusercontent.com:sub".to_string(),
                Value::from("repo:org/repo:*"),
            )]),
        ),
    ])
}

#[test]
fn github_actions_role_trusts_the_oidc_provider_with_web_identity() {
    let (_app, stack) = stack();
    let provider = OidcProviderNative::new(
        &stack,
        "GitHub",
        OidcProviderNativeProps {
            url: "https://token.actions.githubusercontent.com".into(),
            client_ids: vec!["sts.amazonaws.com".into()],
            ..Default::default()
        },
    );
    Role::new(
        &stack,
        "Deploy",
        RoleProps::assumed_by(OpenIdConnectPrincipal::new(&provider, github_conditions())),
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::OIDCProvider",
        pattern!({
            "Url": "https://token.actions.githubusercontent.com",
            "ClientIdList": ["sts.amazonaws.com"],
            "ThumbprintList": Match::absent()
        }),
    );
    t.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [{
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"}
            },
            "Effect": "Allow",
            "Principal": {"Federated": reference(&["GitHub", "Resource"])}
        }]}}),
    );
}

#[test]
fn web_identity_and_federated_principals_name_their_provider_and_action() {
    let (_app, stack) = stack();
    Role::new(
        &stack,
        "Cognito",
        RoleProps::assumed_by(WebIdentityPrincipal::new(
            "cognito-identity.amazonaws.com",
            BTreeMap::new(),
        )),
    );
    Role::new(
        &stack,
        "Saml",
        RoleProps::assumed_by(FederatedPrincipal::new(
            "arn:aws:iam::111111111111:saml-provider/Corp",
            BTreeMap::new(),
            "sts:AssumeRoleWithSAML",
        )),
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [{
            "Action": "sts:AssumeRoleWithWebIdentity", "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"}
        }]}}),
    );
    t.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [{
            "Action": "sts:AssumeRoleWithSAML", "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::111111111111:saml-provider/Corp"}
        }]}}),
    );
}

#[test]
fn oidc_provider_checks_its_props_like_aws_cdk_lib() {
    let (_app, stack) = stack();
    OidcProviderNative::new(
        &stack,
        "Bad",
        OidcProviderNativeProps {
            url: "http://example.com".into(),
            ..Default::default()
        },
    );
    OidcProviderNative::new(
        &stack,
        "BadThumb",
        OidcProviderNativeProps {
            url: "https://example.com".into(),
            thumbprints: vec!["zz".into()],
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/S/Bad",
        Match::string_like_regexp("must start with https://"),
    );
    a.has_error(
        "/S/BadThumb",
        Match::string_like_regexp("length of a thumbprint must be 40 characters"),
    );
}

#[test]
fn imported_oidc_provider_issuer_is_the_arn_resource_name() {
    let (_app, stack) = stack();
    let p = OidcProviderNative::from_oidc_provider_arn(
        &stack,
        "P",
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    assert_eq!(
        p.oidc_provider_issuer().literal(),
        Some("token.actions.githubusercontent.com")
    );
}

/// An access key of a user: serial and status rendered, ID and secret as tokens
/// (aws-iam/integ.access-key is the port of the default case).
#[test]
fn access_key_with_serial_and_status() {
    let (_app, stack) = stack();
    let user = User::new(&stack, "User", UserProps::default());
    let key = AccessKey::new(
        &stack,
        "Key",
        AccessKeyProps {
            serial: Some(2.into()),
            status: Some(AccessKeyStatus::Inactive),
            ..AccessKeyProps::new(&user)
        },
    );
    assert!(key.access_key_id().is_token());
    assert!(key.secret_access_key().is_token());
    Template::from_stack(&stack).has_resource_properties(
        "AWS::IAM::AccessKey",
        pattern!({"UserName": {"Ref": "User00B015A1"}, "Serial": 2, "Status": "Inactive"}),
    );
}

/// `add_condition` merges keys into an operator that is there and adds new operators, as
/// aws-cdk-lib's `PrincipalWithConditions.addCondition` (aws-iam/integ.principal-with-conditions
/// is the port).
#[test]
fn principal_with_conditions_add_condition_merges_operators() {
    let (_app, stack) = stack();
    let one = |k: &str, v: &str| BTreeMap::from([(k.to_string(), Value::from(v))]);
    let mut principal = PrincipalWithConditions::new(
        Rc::new(AnyPrincipal),
        BTreeMap::from([("StringLike".to_string(), one("aws:username", "foo-*"))]),
    );
    principal.add_condition("StringLike", one("aws:PrincipalTag/owner", "foo"));
    principal.add_conditions(BTreeMap::from([(
        "Bool".to_string(),
        one("aws:MultiFactorAuthPresent", "true"),
    )]));
    Role::new(&stack, "R", RoleProps::assumed_by(principal));
    Template::from_stack(&stack).has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"AssumeRolePolicyDocument": {"Statement": [{
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringLike": {"aws:username": "foo-*", "aws:PrincipalTag/owner": "foo"},
                "Bool": {"aws:MultiFactorAuthPresent": "true"}
            },
            "Effect": "Allow",
            "Principal": {"AWS": "*"}
        }]}}),
    );
}
