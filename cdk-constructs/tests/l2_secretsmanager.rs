//! Secrets Manager: secret defaults and values, dynamic references, grants (with keys and
//! version stages), imports, resource policy and rotation.

use std::rc::Rc;
use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::iam::{AccountPrincipal, Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::secretsmanager::*;
use cdk_core::{App, Stack, StackProps};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn role(stack: &Stack) -> Role {
    Role::new(
        stack,
        "Role",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    )
}

#[test]
fn default_secret_is_generated_and_destroyed_with_its_stack() {
    let (_app, stack) = stack();
    Secret::new(&stack, "Secret", SecretProps::default());
    Template::from_stack(&stack).template_matches(pattern!({"Resources": {"SecretA720EF05": {
        "Type": "AWS::SecretsManager::Secret",
        "Properties": {"GenerateSecretString": {}},
        "DeletionPolicy": "Delete",
        "UpdateReplacePolicy": "Delete",
    }}}));
}

#[test]
fn values_render_as_aws_cdk_lib_does() {
    let (_app, stack) = stack();
    let templated = Secret::new(
        &stack,
        "Templated",
        SecretProps {
            secret_name: Some("db-credentials".into()),
            generate_secret_string: Some(SecretStringGenerator {
                secret_string_template: Some(r#"{"username":"user"}"#.into()),
                generate_string_key: Some("password".into()),
                password_length: Some(20),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    Secret::new(
        &stack,
        "Json",
        SecretProps {
            secret_object_value: Some(vec![
                ("username".into(), SecretValue::unsafe_plain_text("admin")),
                (
                    "password".into(),
                    templated.secret_value_from_json("password"),
                ),
            ]),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SecretsManager::Secret",
        pattern!({"Name": "db-credentials", "GenerateSecretString": {
            "SecretStringTemplate": "{\"username\":\"user\"}", "GenerateStringKey": "password", "PasswordLength": 20,
        }}),
    );
    t.has_resource_properties(
        "AWS::SecretsManager::Secret",
        pattern!({"SecretString": {"Fn::Join": ["", [
            "{\"username\":\"admin\",\"password\":\"{{resolve:secretsmanager:",
            {"Ref": Match::string_like_regexp("^Templated")},
            ":SecretString:password::}}\"}",
        ]]}}),
    );
}

#[test]
fn grant_read_uses_the_role_policy_and_the_key_through_secrets_manager() {
    let (_app, stack) = stack();
    let key = Key::new(&stack, "Key", KeyProps::default());
    let secret = Secret::new(
        &stack,
        "Secret",
        SecretProps {
            encryption_key: Some(Rc::new(key)),
            ..Default::default()
        },
    );
    let r = role(&stack);
    secret.grant_read(&r, Some(vec!["AWSCURRENT".into()]));
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            "Condition": {"ForAnyValue:StringEquals": {"secretsmanager:VersionStage": ["AWSCURRENT"]}},
            "Resource": {"Ref": "SecretA720EF05"},
        }]}}),
    );
    t.has_resource_properties(
        "AWS::KMS::Key",
        pattern!({"KeyPolicy": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": "kms:Decrypt",
            "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["secretsmanager.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}},
            "Principal": {"AWS": {"Fn::GetAtt": [Match::string_like_regexp("^Role"), "Arn"]}},
        }))])}}),
    );
}

#[test]
fn cross_account_read_without_a_key_is_an_error() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "S",
        StackProps {
            env: Some(cdk_core::Environment::new("111111111111", "eu-west-1")),
            ..Default::default()
        },
    );
    let secret = Secret::new(&stack, "Secret", SecretProps::default());
    secret.grant_read(&AccountPrincipal::new("222222222222"), None);
    Annotations::from_stack(&stack).has_error(
        "/S/Secret",
        Match::string_like_regexp("KMS Key must be provided for cross account access"),
    );
}

#[test]
fn imports_by_name_use_the_partial_arn_pattern() {
    let (_app, stack) = stack();
    let by_name = Secret::from_secret_name_v2(&stack, "ByName", "app/token");
    let complete = Secret::from_secret_arn(
        &stack,
        "Complete",
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:app/db-AbCdEf",
    );
    assert_eq!(complete.secret_name().literal(), Some("app/db"));
    assert!(complete.secret_full_arn().is_some());
    let partial = Secret::from_secret_arn(
        &stack,
        "Partial",
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:app/db",
    );
    assert!(partial.secret_full_arn().is_none());
    let r = role(&stack);
    by_name.grant_read(&r, None);
    Template::from_stack(&stack).has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{
            "Resource": {"Fn::Join": ["", Match::array_with([":secret:app/token-??????"])]},
        }]}}),
    );
}

#[test]
fn bad_props_are_synth_errors() {
    let (_app, stack) = stack();
    Secret::new(
        &stack,
        "HalfTemplate",
        SecretProps {
            generate_secret_string: Some(SecretStringGenerator {
                generate_string_key: Some("password".into()),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    Secret::new(
        &stack,
        "Both",
        SecretProps {
            generate_secret_string: Some(SecretStringGenerator::default()),
            secret_string_value: Some(SecretValue::unsafe_plain_text("x")),
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/S/HalfTemplate",
        Match::string_like_regexp("must be specified together"),
    );
    a.has_error(
        "/S/Both",
        Match::string_like_regexp("Cannot specify more than one"),
    );
}

#[test]
fn rotation_grants_the_function_and_denies_root_deletion() {
    let (_app, stack) = stack();
    let secret = Secret::new(&stack, "Secret", SecretProps::default());
    let f = Function::new(
        &stack,
        "Rotator",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_inline("x")),
    );
    secret.add_rotation_schedule("Schedule", RotationScheduleOptions::new(Rc::new(f.clone())));
    let t = Template::from_stack(&stack);
    t.has_resource(
        "AWS::SecretsManager::RotationSchedule",
        pattern!({
            "Properties": {
                "SecretId": {"Ref": "SecretA720EF05"},
                "RotationLambdaARN": {"Fn::GetAtt": [Match::string_like_regexp("^Rotator"), "Arn"]},
                "RotationRules": {"ScheduleExpression": "rate(30 days)"},
            },
            "DependsOn": [Match::string_like_regexp("^RotatorInvoke")],
        }),
    );
    t.has_resource_properties(
        "AWS::Lambda::Permission",
        pattern!({"Principal": "secretsmanager.amazonaws.com"}),
    );
    t.has_resource_properties(
        "AWS::SecretsManager::ResourcePolicy",
        pattern!({"ResourcePolicy": {"Statement": [{"Action": "secretsmanager:DeleteSecret", "Effect": "Deny", "Resource": "*"}]}}),
    );
    let (_app2, stack2) = self::stack();
    let secret = Secret::new(&stack2, "Secret", SecretProps::default());
    let f = Function::new(
        &stack2,
        "Rotator",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_inline("x")),
    );
    secret.add_rotation_schedule(
        "Schedule",
        RotationScheduleOptions {
            automatically_after: Some(Duration::from_secs(3600)),
            ..RotationScheduleOptions::new(Rc::new(f))
        },
    );
    Annotations::from_stack(&stack2).has_error(
        "/S/Secret/Schedule",
        Match::string_like_regexp("must not be smaller than 4 hours"),
    );
}

#[test]
fn secret_values_are_dynamic_references() {
    let v = SecretValue::secrets_manager(
        "arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf",
        SecretsManagerSecretOptions {
            version_stage: Some("AWSPREVIOUS".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        v.unsafe_unwrap().literal(),
        Some("{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf:SecretString::AWSPREVIOUS:}}")
    );
    assert!(SecretValue::secrets_manager("a:b", SecretsManagerSecretOptions::default()).is_err());
    assert_eq!(
        SecretValue::ssm_secure("/p", Some("3"))
            .unsafe_unwrap()
            .literal(),
        Some("{{resolve:ssm-secure:/p:3}}")
    );
}
