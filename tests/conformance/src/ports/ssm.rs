//! Ports of `aws-ssm/test/integ.*.ts`.

use cdk_constructs::iam::{AccountRootPrincipal, Role, RoleProps};
use cdk_constructs::ssm::{
    StringListParameter, StringListParameterProps, StringParameter, StringParameterAttributes,
    StringParameterProps,
};
use cdk_core::{
    fns, App, CfnOutput, CfnOutputProps, CfnParameter, CfnParameterProps, Stack, StackProps, Str,
};

use crate::harness::Port;

/// The SSM ports.
pub const PORTS: &[Port] = &[
    Port {
        test: "aws-ssm/integ.parameter",
        build: integ_parameter,
    },
    Port {
        test: "aws-ssm/integ.parameter-arns",
        build: integ_parameter_arns,
    },
    Port {
        test: "aws-ssm/integ.import-parameter",
        build: integ_import_parameter,
    },
    Port {
        test: "aws-ssm/integ.parameter-store-string",
        build: integ_parameter_store_string,
    },
    Port {
        test: "aws-ssm/integ.list-parameter",
        build: integ_list_parameter,
    },
];

/// `integ.list-parameter.ts`: a StringList parameter in `base`, its value joined into an
/// output of `list-param` (a cross-stack reference), and three imports there written to new
/// parameters — by attributes, by `value_for_typed_list_parameter`, and again with a version
/// (which returns the first import of the name, as aws-cdk-lib).
fn integ_list_parameter(app: &App) {
    use cdk_constructs::ssm::{
        cfn_parameter, CfnParameter as CfnSsmParameter, CfnParameterProps as CfnSsmParameterProps,
        ParameterValueType, StringListParameterAttributes,
    };
    let base = Stack::new(app, "base", StackProps::default());
    let list = StringListParameter::new(
        &base,
        "ListParam",
        StringListParameterProps {
            parameter_name: Some("integ-list-param".into()),
            string_list_value: vec!["value1".into(), "value2".into()],
            ..Default::default()
        },
    );
    let stack = Stack::new(app, "list-param", StackProps::default());
    output(&stack, "Output", fns::join(",", list.string_list_value()));
    let from_attrs = StringListParameter::from_list_parameter_attributes(
        &stack,
        "FromAttrs",
        StringListParameterAttributes {
            element_type: Some(ParameterValueType::String),
            ..StringListParameterAttributes::new("integ-list-param")
        },
    );
    let write = |id: &str, value: cdk_core::StrList| {
        CfnSsmParameter::new(
            &stack,
            id,
            CfnSsmParameterProps::new(cfn_parameter::Type::StringList, fns::join(",", value)),
        );
    };
    write("attrs-test", from_attrs.string_list_value());
    write(
        "value-test",
        StringListParameter::value_for_typed_list_parameter(
            &stack,
            "integ-list-param",
            ParameterValueType::String,
            None,
        ),
    );
    write(
        "version-value-test",
        StringListParameter::value_for_typed_list_parameter(
            &stack,
            "integ-list-param",
            ParameterValueType::String,
            Some(1.into()),
        ),
    );
}

/// `integ.parameter-store-string.ts`: String and SecureString imports with and without a
/// version, the version also a number template parameter, joined into a dummy user's
/// password. `sspms-creating` holds the parameter only (the test's `AwsApiCall` that writes
/// the secure one is an integ-tests assertion, not compared); the assertion stack
/// `sspms-cleanup` is left out.
fn integ_parameter_store_string(app: &App) {
    use cdk_constructs::ssm::SecureStringParameterAttributes;
    use cdk_core::{CfnResource, CfnResourceProps, RemovalPolicy, Value};
    let creating = Stack::new(app, "sspms-creating", StackProps::default());
    StringParameter::new(
        &creating,
        "String",
        StringParameterProps {
            parameter_name: Some("/My/Public/Parameter".into()),
            string_value: "Abc123".into(),
            ..Default::default()
        },
    );
    let stack = Stack::new(app, "sspms-using", StackProps::default());
    let version = CfnParameter::new(
        &stack,
        "MyParameterVersion",
        CfnParameterProps {
            parameter_type: Some("Number".into()),
            default: Some(Value::from(1)),
            ..Default::default()
        },
    )
    .value_as_number();
    let string_value = StringParameter::from_string_parameter_attributes(
        &stack,
        "MyValue",
        StringParameterAttributes::new("/My/Public/Parameter"),
    )
    .string_value();
    let string_value_version_from_token = StringParameter::from_string_parameter_attributes(
        &stack,
        "MyValueVersionFromToken",
        StringParameterAttributes {
            version: Some(version.clone()),
            ..StringParameterAttributes::new("/My/Public/Parameter")
        },
    )
    .string_value();
    let secure = |id: &str, version: Option<cdk_core::Num>| {
        StringParameter::from_secure_string_parameter_attributes(
            &stack,
            id,
            SecureStringParameterAttributes {
                parameter_name: "/My/Secret/Parameter".into(),
                version,
                simple_name: None,
                encryption_key: None,
            },
        )
        .string_value()
    };
    let secret_value = secure("MySecureValue", None);
    let secret_value_version = secure("MySecureValueVersion", Some(1.into()));
    let secret_value_version_from_token =
        secure("MySecureValueVersionFromToken", Some(version.clone()));
    let password = fns::join(
        "-",
        vec![
            string_value,
            string_value_version_from_token,
            secret_value,
            secret_value_version,
            secret_value_version_from_token,
        ],
    );
    let user = CfnResource::new(
        &stack,
        "DummyResourceUsingStringParameters",
        CfnResourceProps {
            resource_type: "AWS::IAM::User".into(),
            properties: [(
                "LoginProfile".to_string(),
                Value::object([("Password", Value::from(password))]),
            )]
            .into(),
        },
    );
    user.apply_removal_policy(RemovalPolicy::Destroy);
    stack.add_dependency(&creating, "the test's using.addDependency(creating)");
}

/// `integ.import-parameter.ts` in the version of its snapshot: an import by literal name (a
/// template parameter) and one by the created parameter's name token (a dynamic reference),
/// with `simple_name` as 2.276 requires for a token name.
fn integ_import_parameter(app: &App) {
    let stack = Stack::new(app, "Import-SSM-Parameter", StackProps::default());
    let param = StringParameter::new(
        &stack,
        "StringParameter",
        StringParameterProps {
            string_value: "Initial parameter value".into(),
            parameter_name: Some("import-parameter-test".into()),
            ..Default::default()
        },
    );
    let imported_with_name = StringParameter::from_string_parameter_attributes(
        &stack,
        "ImportedWithName",
        StringParameterAttributes::new(
            "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-ebs",
        ),
    );
    let imported_with_token = StringParameter::from_string_parameter_attributes(
        &stack,
        "ImportedWithToken",
        StringParameterAttributes {
            // aws-cdk-lib 2.276 (and rcdk) refuse a token name without `simpleName`; the
            // snapshot's older aws-cdk-lib did not. It changes only the (unused) ARN.
            simple_name: Some(true),
            ..StringParameterAttributes::new(param.parameter_name())
        },
    );
    output(
        &stack,
        "ImportedWithNameOutput",
        imported_with_name.string_value(),
    );
    output(
        &stack,
        "ImportedWithTokenOutput",
        imported_with_token.string_value(),
    );
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

/// `integ.parameter.ts`.
fn integ_parameter(app: &App) {
    let stack = Stack::new(app, "SSM-Parameter", StackProps::default());
    let role = Role::new(
        &stack,
        "UserRole",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    let param = StringParameter::new(
        &stack,
        "StringParameter",
        StringParameterProps {
            string_value: "Initial parameter value".into(),
            ..Default::default()
        },
    );
    param.grant_read(&role);
    let list = StringListParameter::new(
        &stack,
        "StringListParameter",
        StringListParameterProps {
            string_list_value: vec![
                "Initial parameter value A".into(),
                "Initial parameter value B".into(),
            ],
            ..Default::default()
        },
    );
    output(
        &stack,
        "StringListOutput",
        fns::join("+", list.string_list_value()),
    );
    output(&stack, "ParamArn", param.parameter_arn());
}

/// `integ.parameter-arns.ts`.
fn integ_parameter_arns(app: &App) {
    let stack = Stack::new(app, "integ-parameter-arns", StackProps::default());
    let input = CfnParameter::new(
        &stack,
        "ParameterNameParameter",
        CfnParameterProps {
            parameter_type: Some("String".into()),
            default: Some("myParamName".into()),
            ..Default::default()
        },
    );
    let string = |id: &str, name: Option<Str>, simple_name: Option<bool>| {
        let p = StringParameter::new(
            &stack,
            id,
            StringParameterProps {
                string_value: "hello, world".into(),
                parameter_name: name,
                simple_name,
                ..Default::default()
            },
        );
        (id.to_string(), p.parameter_arn())
    };
    let list = |id: &str, name: Option<&str>| {
        let p = StringListParameter::new(
            &stack,
            id,
            StringListParameterProps {
                string_list_value: vec!["hello".into(), "world".into()],
                parameter_name: name.map(Str::from),
                ..Default::default()
            },
        );
        (id.to_string(), p.parameter_arn())
    };
    let params = vec![
        string("StringAutogen", None, None),
        string("StringSimple", Some("simple-name".into()), None),
        string("StringPath", Some("/path/name/foo/bar".into()), None),
        list("ListAutogen", None),
        list("ListSimple", Some("list-simple-name")),
        list("ListPath", Some("/list/path/name")),
        string(
            "ParameterizedSimple",
            Some(input.value_as_string()),
            Some(true),
        ),
        string(
            "ParameterizedNonSimple",
            Some(Str::concat([
                Str::from("/"),
                input.value_as_string(),
                Str::from("/non/simple"),
            ])),
            Some(false),
        ),
    ];
    for (id, arn) in params {
        output(&stack, &format!("{id}Arn"), arn);
    }
}
