//! Ports of `custom-resources/test/aws-custom-resource/integ.*.ts`.

use cdk_constructs::custom_resources::{
    AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall, Logging,
    PhysicalResourceId,
};
use cdk_constructs::ssm::{StringParameter, StringParameterProps};
use cdk_core::{json, App, CfnOutput, CfnOutputProps, Stack, StackProps, Value};

use crate::harness::Port;

/// The custom-resources ports.
pub const PORTS: &[Port] = &[Port {
    test: "custom-resources/integ.aws-custom-resource-ssm",
    build: aws_custom_resource_ssm,
}];

/// `aws-custom-resource/integ.aws-custom-resource-ssm.ts`: one stack creates a parameter, the
/// other reads it with an `AwsCustomResource` (`SSM` `GetParameter`, data hidden from the
/// logs) and outputs its value.
fn aws_custom_resource_ssm(app: &App) {
    let create = Stack::new(app, "CreateParameterStack", StackProps::default());
    let parameter = StringParameter::new(
        &create,
        "Secret",
        StringParameterProps {
            parameter_name: Some("Password".into()),
            string_value: "ThisIsMyPassword".into(),
            ..Default::default()
        },
    );
    let name = parameter.parameter_name();
    let get = Stack::new(app, "GetParameterStack", StackProps::default());
    let secret = AwsCustomResource::new(
        &get,
        "GetSecret",
        AwsCustomResourceProps {
            on_update: Some(
                AwsSdkCall::new("SSM", "GetParameter")
                    .parameters(json::ordered_object(vec![
                        ("Name".into(), name.clone().into_value()),
                        ("WithDecryption".into(), Value::from(true)),
                    ]))
                    .physical_resource_id(PhysicalResourceId::of(name))
                    .logging(Logging::WithDataHidden),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls(
                AwsCustomResourcePolicy::ANY_RESOURCE.iter().copied(),
            )),
            ..Default::default()
        },
    );
    CfnOutput::new(
        &get,
        "RevealSecret",
        CfnOutputProps {
            value: secret.get_response_field("Parameter.Value"),
            description: None,
            export_name: None,
            condition: None,
        },
    );
    get.add_dependency(&create, "the parameter must exist before it is read");
}
