use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::iam::*;
use cdk_core::{App, Node, Stack, StackProps};

#[test]
fn lambda_style_role_with_default_policy() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let lambda = Node::new(&stack, "Lambda");
    let role = Role::new(
        &lambda,
        "ServiceRole",
        RoleProps {
            managed_policies: vec![ManagedPolicy::from_aws_managed_policy_name(
                "service-role/AWSLambdaBasicExecutionRole",
            )],
            ..RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com"))
        },
    );
    role.add_to_policy(
        PolicyStatement::new()
            .actions(["dynamodb:GetItem"])
            .resource("arn:aws:dynamodb:us-east-1:111111111111:table/t"),
    );
    let imported = Role::from_role_arn(
        &stack,
        "Imported",
        "arn:aws:iam::222222222222:role/Deploy",
        FromRoleArnOptions::immutable(),
    );
    assert!(
        imported
            .add_to_principal_policy(&PolicyStatement::new().action("s3:*").all_resources())
            .statement_added
    );
    let policy_id = cdk_core::logical_id::make_unique_id(&[
        "Lambda",
        "ServiceRole",
        "DefaultPolicy",
        "Resource",
    ]);
    // Exactly two resources (the immutable import adds nothing), with exactly these properties.
    Template::from_stack(&stack).template_matches(pattern!({
        "Resources": Match::object_equals(pattern!({
            "LambdaServiceRoleA8ED4D3B": Match::object_like(pattern!({"Properties": Match::exact(pattern!({
                "AssumeRolePolicyDocument": {"Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}], "Version": "2012-10-17"},
                "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}]
            }))})),
            (policy_id.as_str()): Match::object_like(pattern!({"Properties": Match::exact(pattern!({
                "PolicyDocument": {"Statement": [{"Action": "dynamodb:GetItem", "Effect": "Allow", "Resource": "arn:aws:dynamodb:us-east-1:111111111111:table/t"}], "Version": "2012-10-17"},
                "PolicyName": policy_id.as_str(),
                "Roles": [{"Ref": "LambdaServiceRoleA8ED4D3B"}]
            }))})),
        })),
    }));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}
