//! SSM parameters: StringParameter/StringListParameter resources, ARNs, grants, imports and
//! references to existing parameters' values (template parameters, dynamic references).

use std::rc::Rc;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
use cdk_constructs::kms::{Key, KeyProps};
use cdk_constructs::ssm::*;
use cdk_core::{App, CfnOutput, CfnOutputProps, Stack, StackProps, Str};

fn stack() -> (App, Stack) {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    (app, stack)
}

fn output(stack: &Stack, id: &str, value: Str) {
    CfnOutput::new(
        stack,
        id,
        CfnOutputProps {
            value,
            description: None,
            export_name: None,
            condition: None,
        },
    );
}

#[test]
fn string_parameter_renders_props_and_grants() {
    let (_app, stack) = stack();
    let p = StringParameter::new(
        &stack,
        "P",
        StringParameterProps {
            string_value: "v1".into(),
            parameter_name: Some("/app/p".into()),
            description: Some("d".into()),
            tier: Some(ParameterTier::Advanced),
            data_type: Some(ParameterDataType::Text),
            allowed_pattern: Some("^v[0-9]$".into()),
            ..Default::default()
        },
    );
    let role = Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    p.grant_write(&role);
    let t = Template::from_stack(&stack);
    t.has_resource_properties(
        "AWS::SSM::Parameter",
        pattern!({"Type": "String", "Value": "v1", "Name": "/app/p", "Description": "d",
                  "Tier": "Advanced", "DataType": "text", "AllowedPattern": "^v[0-9]$"}),
    );
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{"Action": "ssm:PutParameter",
            "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":ssm:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":parameter", {"Ref": Match::string_like_regexp("^P")}]]}}]}}),
    );
}

#[test]
fn bad_names_patterns_and_lists_are_synth_errors() {
    let (_app, stack) = stack();
    StringParameter::new(
        &stack,
        "BadName",
        StringParameterProps {
            string_value: "x".into(),
            parameter_name: Some("no spaces allowed".into()),
            ..Default::default()
        },
    );
    StringParameter::new(
        &stack,
        "BadValue",
        StringParameterProps {
            string_value: "x".into(),
            allowed_pattern: Some("^[0-9]+$".into()),
            ..Default::default()
        },
    );
    StringParameter::new(
        &stack,
        "NotQualified",
        StringParameterProps {
            string_value: "x".into(),
            parameter_name: Some("a/b".into()),
            ..Default::default()
        },
    );
    StringListParameter::new(
        &stack,
        "Comma",
        StringListParameterProps {
            string_list_value: vec!["a,b".into()],
            ..Default::default()
        },
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/S/BadName",
        Match::string_like_regexp("name must only contain"),
    );
    a.has_error(
        "/S/BadValue",
        Match::string_like_regexp("does not match the specified allowedPattern"),
    );
    a.has_error(
        "/S/NotQualified",
        Match::string_like_regexp("must be fully qualified"),
    );
    a.has_error(
        "/S/Comma",
        Match::string_like_regexp("cannot contain the ',' character"),
    );
}

#[test]
fn value_for_string_parameter_is_one_template_parameter_per_name() {
    let (_app, stack) = stack();
    let a = StringParameter::value_for_string_parameter(&stack, "/my/param", None);
    let b = StringParameter::value_for_string_parameter(&stack, "/my/param", None);
    let ami = StringParameter::value_for_typed_string_parameter_v2(
        &stack,
        "/aws/ami",
        ParameterValueType::AwsEc2ImageId,
        None,
    );
    Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    output(&stack, "A", a);
    output(&stack, "B", b);
    output(&stack, "Ami", ami);
    let t = Template::from_stack(&stack);
    t.template_matches(pattern!({
        "Parameters": {
            "SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/my/param",
            },
            "SsmParameterValueawsamiC96584B6F00A464EAD1953AFF4B05118Parameter": {
                "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default": "/aws/ami",
            },
        },
        "Outputs": {
            "A": {"Value": {"Ref": "SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter"}},
            "B": {"Value": {"Ref": "SsmParameterValuemyparamC96584B6F00A464EAD1953AFF4B05118Parameter"}},
        },
    }));
}

#[test]
fn versions_and_secure_strings_are_dynamic_references() {
    let (_app, stack) = stack();
    let v = StringParameter::value_for_string_parameter(&stack, "/my/param", Some(3));
    assert_eq!(v.literal(), Some("{{resolve:ssm:/my/param:3}}"));
    assert_eq!(
        StringParameter::value_for_secure_string_parameter("/db/pw", Some(2)).literal(),
        Some("{{resolve:ssm-secure:/db/pw:2}}")
    );
    let forced = StringParameter::from_string_parameter_attributes(
        &stack,
        "Forced",
        StringParameterAttributes {
            force_dynamic_reference: true,
            ..StringParameterAttributes::new("/x")
        },
    );
    assert_eq!(forced.string_value().literal(), Some("{{resolve:ssm:/x}}"));
    // An import whose value is never read adds no template parameter.
    StringParameter::from_string_parameter_name(&stack, "Unused", "/unused");
    let key = Key::new(&stack, "Key", KeyProps::default());
    let secure = StringParameter::from_secure_string_parameter_attributes(
        &stack,
        "Secure",
        SecureStringParameterAttributes {
            parameter_name: "/db/pw".into(),
            version: None,
            simple_name: None,
            encryption_key: Some(Rc::new(key)),
        },
    );
    let role = Role::new(
        &stack,
        "R",
        RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
    );
    secure.grant_read(&role);
    output(&stack, "V", v);
    let t = Template::from_stack(&stack);
    assert!(t
        .find_parameters("*", Match::any_value())
        .keys()
        .all(|k| k == "BootstrapVersion"));
    t.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": Match::array_with([
            Match::object_like(pattern!({"Action": "kms:Decrypt"})),
        ])}}),
    );
}

#[test]
fn value_from_lookup_still_reads_context() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "L",
        StackProps {
            env: Some(cdk_core::Environment::new("111111111111", "eu-west-1")),
            ..Default::default()
        },
    );
    assert_eq!(
        StringParameter::value_from_lookup(&stack, "/app/version", None),
        "dummy-value-for-/app/version"
    );
}

/// A version given as a number token (a `Number` template parameter) goes into the dynamic
/// reference as aws-cdk-lib's `Tokenization.stringifyNumber` does: `Fn::Join` around the `Ref`;
/// a literal version is plain text (aws-ssm/integ.parameter-store-string is the port).
#[test]
fn version_from_a_number_token_joins_the_dynamic_reference() {
    let (_app, stack) = stack();
    let version = cdk_core::CfnParameter::new(
        &stack,
        "Version",
        cdk_core::CfnParameterProps {
            parameter_type: Some("Number".into()),
            default: Some(cdk_core::Value::from(1)),
            ..Default::default()
        },
    )
    .value_as_number();
    let plain = StringParameter::from_string_parameter_attributes(
        &stack,
        "Plain",
        StringParameterAttributes {
            version: Some(version.clone()),
            ..StringParameterAttributes::new("/app/value")
        },
    );
    let secure = StringParameter::from_secure_string_parameter_attributes(
        &stack,
        "Secure",
        SecureStringParameterAttributes {
            parameter_name: "/app/secret".into(),
            version: Some(4.into()),
            simple_name: None,
            encryption_key: None,
        },
    );
    // An empty stack is a synth error: one resource beside the outputs.
    StringParameter::new(
        &stack,
        "Holder",
        StringParameterProps {
            string_value: "x".into(),
            ..Default::default()
        },
    );
    output(&stack, "PlainValue", plain.string_value());
    output(&stack, "SecureValue", secure.string_value());
    let t = Template::from_stack(&stack);
    t.has_output(
        "PlainValue",
        pattern!({"Value": {"Fn::Join": ["", [
            "{{resolve:ssm:/app/value:", {"Ref": "Version"}, "}}"
        ]]}}),
    );
    t.has_output(
        "SecureValue",
        pattern!({"Value": "{{resolve:ssm-secure:/app/secret:4}}"}),
    );
}

/// StringList imports as aws-cdk-lib: by name (a split dynamic reference), by attributes (a
/// `List<T>` template parameter created when read, or a versioned dynamic reference), and
/// `value_for_typed_list_parameter` (one template parameter per name and stack).
#[test]
fn string_list_imports() {
    let (_app, stack) = stack();
    let by_name =
        StringListParameter::from_string_list_parameter_name(&stack, "ByName", "/app/list");
    assert!(by_name.cfn().is_none());
    let typed = StringListParameter::from_list_parameter_attributes(
        &stack,
        "Subnets",
        StringListParameterAttributes {
            element_type: Some(ParameterValueType::AwsEc2SubnetId),
            ..StringListParameterAttributes::new("/net/subnets")
        },
    );
    let versioned = StringListParameter::from_list_parameter_attributes(
        &stack,
        "Versioned",
        StringListParameterAttributes {
            version: Some(3.into()),
            ..StringListParameterAttributes::new("/app/list")
        },
    );
    let first = StringListParameter::value_for_typed_list_parameter(
        &stack,
        "/shared/list",
        ParameterValueType::String,
        None,
    );
    let again = StringListParameter::value_for_typed_list_parameter(
        &stack,
        "/shared/list",
        ParameterValueType::String,
        Some(2.into()),
    );
    assert_eq!(first, again);
    for (id, list) in [
        ("ByNameValue", by_name.string_list_value()),
        ("TypedValue", typed.string_list_value()),
        ("VersionedValue", versioned.string_list_value()),
        ("SharedValue", first),
    ] {
        output(&stack, id, cdk_core::fns::join(",", list));
    }
    StringParameter::new(
        &stack,
        "Holder",
        StringParameterProps {
            string_value: "x".into(),
            ..Default::default()
        },
    );
    let t = Template::from_stack(&stack);
    t.has_output(
        "ByNameValue",
        pattern!({"Value": {"Fn::Join": [",", {"Fn::Split": [",", "{{resolve:ssm:/app/list}}"]}]}}),
    );
    t.has_parameter(
        "SubnetsParameter",
        pattern!({"Type": "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>", "Default": "/net/subnets"}),
    );
    t.has_output(
        "TypedValue",
        pattern!({"Value": {"Fn::Join": [",", {"Ref": "SubnetsParameter"}]}}),
    );
    t.has_output(
        "VersionedValue",
        pattern!({"Value": {"Fn::Join": [",", "{{resolve:ssm:/app/list:3}}"]}}),
    );
    t.has_parameter(
        "SsmParameterValuesharedlistC96584B6F00A464EAD1953AFF4B05118Parameter",
        pattern!({"Type": "AWS::SSM::Parameter::Value<List<String>>", "Default": "/shared/list"}),
    );
}
