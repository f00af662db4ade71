//! `custom_resources::AwsCustomResource` and `lambda::SingletonFunction`: equality with
//! aws-cdk-lib 2.276.0's template of the same tree
//! (`fixtures/aws-cdk-lib-2.276.0/aws-custom-resource.template.json`, written by
//! `aws-custom-resource.js` there, metadata and bootstrap parameters removed; the provider's
//! code asset hash differs, since the handler is rcdk's own), the errors and warnings
//! aws-cdk-lib gives, and the handler's code asset.

use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::custom_resources::{
    AwsCustomResource, AwsCustomResourcePolicy, AwsCustomResourceProps, AwsSdkCall, Logging,
    PhysicalResourceId,
};
use cdk_constructs::iam::{
    AccountRootPrincipal, IPrincipal, PolicyStatement, Role, RoleProps, ServicePrincipal,
};
use cdk_constructs::lambda::{
    Code, FunctionProps, Runtime, SingletonFunction, SingletonFunctionProps,
};
use cdk_constructs::s3::{Bucket, BucketProps};
use cdk_core::{
    json, App, AppProps, CfnOutput, CfnOutputProps, IConstruct, RemovalPolicy, Stack, StackProps,
    Value,
};
use serde_json::Value as J;

fn app(context: &[(&str, J)]) -> App {
    App::with_props(AppProps {
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        ..Default::default()
    })
}

fn reference() -> J {
    let path = format!(
        "{}/tests/fixtures/aws-cdk-lib-2.276.0/aws-custom-resource.template.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The provider's code object, its asset hash replaced (rcdk's handler is not aws-cdk-lib's).
fn normalize_code(t: &mut J) {
    for r in t["Resources"].as_object_mut().unwrap().values_mut() {
        r.as_object_mut().unwrap().remove("Metadata");
        if let Some(key) = r.pointer_mut("/Properties/Code/S3Key") {
            *key = J::String("<asset>.zip".into());
        }
    }
}

/// The tree of `aws-custom-resource.js`.
fn build(stack: &Stack) {
    let bucket = Bucket::new(stack, "Bucket", BucketProps::default());
    let get = AwsCustomResource::new(
        stack,
        "GetParameter",
        AwsCustomResourceProps {
            on_update: Some(
                AwsSdkCall::new("SSM", "getParameter")
                    .parameters(json::ordered_object(vec![
                        ("Name".into(), Value::from("/my/param")),
                        ("WithDecryption".into(), Value::from(true)),
                    ]))
                    .physical_resource_id(PhysicalResourceId::of("fixed"))
                    .output_paths(["Parameter.Value"])
                    .region("eu-west-1"),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls(
                AwsCustomResourcePolicy::ANY_RESOURCE.iter().copied(),
            )),
            ..Default::default()
        },
    );
    CfnOutput::new(
        stack,
        "Value",
        CfnOutputProps {
            value: get.get_response_field("Parameter.Value"),
            description: None,
            export_name: None,
            condition: None,
        },
    );
    let role = Role::new(
        stack,
        "Other",
        RoleProps::assumed_by(AccountRootPrincipal::new()),
    );
    AwsCustomResource::new(
        stack,
        "PutObject",
        AwsCustomResourceProps {
            resource_type: Some("Custom::PutObject".into()),
            on_create: Some(
                AwsSdkCall::new("@aws-sdk/client-s3", "PutObjectCommand")
                    .parameters(json::ordered_object(vec![
                        ("Bucket".into(), bucket.bucket_name().into_value()),
                        ("Key".into(), Value::from("hello.txt")),
                        ("Body".into(), Value::from("Hello")),
                    ]))
                    .physical_resource_id(PhysicalResourceId::from_response("ETag")),
            ),
            on_delete: Some(
                AwsSdkCall::new("S3", "deleteObject")
                    .parameters(json::ordered_object(vec![
                        ("Bucket".into(), bucket.bucket_name().into_value()),
                        ("Key".into(), Value::from("hello.txt")),
                    ]))
                    .assumed_role_arn(role.role_arn())
                    .ignore_error_codes_matching("NoSuchKey"),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls([
                bucket.arn_for_objects("*")
            ])),
            timeout: Some(Duration::from_secs(300)),
            install_latest_aws_sdk: Some(true),
            removal_policy: Some(RemovalPolicy::Retain),
            ..Default::default()
        },
    );
    let statements = AwsCustomResource::new(
        stack,
        "Statements",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::new("STS", "getCallerIdentity")
                    .physical_resource_id(PhysicalResourceId::of("id"))
                    .logging(Logging::WithDataHidden),
            ),
            policy: Some(AwsCustomResourcePolicy::from_statements([
                PolicyStatement::new()
                    .action("sts:GetCallerIdentity")
                    .resource("*"),
            ])),
            install_latest_aws_sdk: Some(false),
            ..Default::default()
        },
    );
    statements.add_to_principal_policy(
        &PolicyStatement::new()
            .action("s3:GetObject")
            .resource(bucket.arn_for_objects("*")),
    );
    let inline = || {
        FunctionProps::new(
            Runtime::Nodejs22X,
            "index.handler",
            Code::from_inline("exports.handler = async () => {};"),
        )
    };
    let s1 = SingletonFunction::new(
        stack,
        "Single1",
        SingletonFunctionProps::new("84c0de93-353f-4217-9b0b-45b6c993251a", inline()),
    );
    let s2 = SingletonFunction::new(
        stack,
        "Single2",
        SingletonFunctionProps {
            lambda_purpose: Some("Purpose".into()),
            ..SingletonFunctionProps::new("84c0de93-353f-4217-9b0b-45b6c993251a", inline())
        },
    );
    s1.grant_invoke(&ServicePrincipal::new("events.amazonaws.com"));
    s2.add_dependency(&bucket);
    bucket.grant_read(&s1);
}

#[test]
fn aws_custom_resources_and_singletons_equal_aws_cdk_lib() {
    let app = app(&[
        ("aws:cdk:enable-path-metadata", false.into()),
        ("aws:cdk:enable-asset-metadata", false.into()),
        ("@aws-cdk/aws-iam:minimizePolicies", true.into()),
    ]);
    let stack = Stack::new(&app, "AcrStack", StackProps::default());
    build(&stack);
    let template = Template::from_stack(&stack);
    let mut actual = template.to_json().clone();
    let mut expected = reference();
    normalize_code(&mut actual);
    normalize_code(&mut expected);
    let ids = |t: &J| {
        let mut ids: Vec<String> = t["Resources"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&actual), ids(&expected));
    for (id, resource) in expected["Resources"].as_object().unwrap() {
        assert_eq!(&actual["Resources"][id], resource, "{id}");
    }
    assert_eq!(actual["Outputs"], expected["Outputs"]);

    // One provider function for the three resources, rcdk's handler as its code.
    template.resource_count_is("AWS::Lambda::Function", 3);
    template.has_resource_properties(
        "AWS::Lambda::Function",
        pattern!({"Handler": "index.handler", "Runtime": "nodejs24.x", "Timeout": 120}),
    );
    // aws-cdk-lib's warning for the resource without `install_latest_aws_sdk`, only there.
    let annotations = Annotations::from_stack(&stack);
    annotations.has_warning(
        "/AcrStack/GetParameter",
        Match::string_like_regexp("installLatestAwsSdk was not specified, and defaults to true"),
    );
    annotations.has_no_warning("/AcrStack/PutObject", Match::any_value());
}

#[test]
fn the_flags_set_install_latest_and_log_api_response_data() {
    let app = app(&[
        (
            "@aws-cdk/customresources:installLatestAwsSdkDefault",
            false.into(),
        ),
        (
            "@aws-cdk/custom-resources:logApiResponseDataPropertyTrueDefault",
            true.into(),
        ),
    ]);
    let stack = Stack::new(&app, "Flags", StackProps::default());
    AwsCustomResource::new(
        &stack,
        "Caller",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::new("STS", "getCallerIdentity")
                    .physical_resource_id(PhysicalResourceId::of("id")),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()),
            ..Default::default()
        },
    );
    let template = Template::from_stack(&stack);
    template.has_resource_properties(
        "Custom::AWS",
        pattern!({
            "Create": "{\"service\":\"STS\",\"action\":\"getCallerIdentity\",\"physicalResourceId\":{\"id\":\"id\"},\"logApiResponseData\":true}",
            "InstallLatestAwsSdk": false
        }),
    );
    template.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{"Action": "sts:GetCallerIdentity", "Resource": "*"}]}}),
    );
    Annotations::from_stack(&stack).has_no_warning("/Flags/Caller", Match::any_value());
}

#[test]
fn invalid_resources_get_aws_cdk_libs_errors() {
    let app = App::new();
    let stack = Stack::new(&app, "Errors", StackProps::default());
    let props =
        |on_create: Option<AwsSdkCall>, on_update: Option<AwsSdkCall>| AwsCustomResourceProps {
            on_create,
            on_update,
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()),
            install_latest_aws_sdk: Some(false),
            ..Default::default()
        };
    let call = || AwsSdkCall::new("S3", "listBuckets");
    AwsCustomResource::new(&stack, "NoCalls", props(None, None));
    AwsCustomResource::new(&stack, "NoId", props(Some(call()), None));
    AwsCustomResource::new(&stack, "NoUpdateId", props(None, Some(call())));
    AwsCustomResource::new(
        &stack,
        "NoPolicy",
        AwsCustomResourceProps {
            on_update: Some(call().physical_resource_id(PhysicalResourceId::of("x"))),
            ..Default::default()
        },
    );
    AwsCustomResource::new(
        &stack,
        "Ignore",
        props(
            Some(
                call()
                    .physical_resource_id(PhysicalResourceId::from_response("Owner.ID"))
                    .ignore_error_codes_matching("Nope"),
            ),
            None,
        ),
    );
    AwsCustomResource::new(
        &stack,
        "External",
        props(
            Some(
                call()
                    .physical_resource_id(PhysicalResourceId::of("x"))
                    .external_id("e"),
            ),
            None,
        ),
    );
    AwsCustomResource::new(
        &stack,
        "Reference",
        props(
            Some(
                call()
                    .physical_resource_id(PhysicalResourceId::of("x"))
                    .parameters(Value::object([(
                        "Name",
                        cdk_constructs::custom_resources::physical_resource_id_reference(),
                    )])),
            ),
            None,
        ),
    );
    let ignoring = AwsCustomResource::new(
        &stack,
        "Reads",
        props(
            None,
            Some(
                call()
                    .physical_resource_id(PhysicalResourceId::of("x"))
                    .ignore_error_codes_matching("Nope"),
            ),
        ),
    );
    let _ = ignoring.get_response_field("Owner.ID");
    AwsCustomResource::new(
        &stack,
        "LazyReference",
        props(
            Some(
                call()
                    .physical_resource_id(PhysicalResourceId::of("x"))
                    .parameters(json::ordered_object(vec![(
                        "Name".into(),
                        cdk_constructs::custom_resources::physical_resource_id_reference(),
                    )])),
            ),
            None,
        ),
    );

    let annotations = Annotations::from_stack(&stack);
    for (path, message) in [
        ("/Errors/NoCalls", "At least `onCreate`, `onUpdate` or `onDelete` must be specified."),
        ("/Errors/NoId", "'physicalResourceId' must be specified for 'onCreate' call."),
        ("/Errors/NoUpdateId", "'physicalResourceId' must be specified for 'onUpdate' call when 'onCreate' is omitted."),
        ("/Errors/NoPolicy", "At least one of `policy` or `role` (or both) must be specified."),
        ("/Errors/Ignore", "`PhysicalResourceId.fromResponse` cannot be called along with `ignoreErrorCodesMatching`."),
        ("/Errors/External", "ExternalId can only be provided when assumedRoleArn is specified."),
        ("/Errors/Reference", "`PhysicalResourceIdReference` must not be specified in `onCreate` parameters."),
        ("/Errors/Reads", "`getDataString` cannot be called along with `ignoreErrorCodesMatching`."),
    ] {
        annotations.has_error(path, message);
    }
    let err = app.synth().unwrap_err().to_string();
    assert!(
        err.contains("LazyReference")
            && err.contains("`PhysicalResourceIdReference` must not be specified"),
        "{err}"
    );
}

#[test]
fn the_provider_code_is_an_in_memory_asset_staged_with_the_handler() {
    let work = tempfile::tempdir().unwrap();
    let app = App::with_props(AppProps {
        outdir: Some(work.path().join("cdk.out")),
        ..Default::default()
    });
    let stack = Stack::new(&app, "Staged", StackProps::default());
    let a = AwsCustomResource::new(
        &stack,
        "Caller",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::new("STS", "getCallerIdentity")
                    .physical_resource_id(PhysicalResourceId::of("id")),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()),
            install_latest_aws_sdk: Some(false),
            ..Default::default()
        },
    );
    let assembly = app.synth().unwrap();
    let template: J = serde_json::from_str(
        &std::fs::read_to_string(assembly.directory.join("Staged.template.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        a.provider().lambda_function().node().path(),
        "Staged/AWS679f53fac002430cb0da5b7982bd2287"
    );
    let id = "AWS679f53fac002430cb0da5b7982bd22872D164C4C";
    let key = template["Resources"][id]["Properties"]["Code"]["S3Key"]
        .as_str()
        .unwrap()
        .to_string();
    let hash = key.strip_suffix(".zip").unwrap();
    let staged = assembly.directory.join(format!("asset.{hash}"));
    for file in [
        "index.js",
        "__cfn_response__.js",
        "sdk-names.json",
        "sdk-types.json.br",
    ] {
        assert!(staged.join(file).is_file(), "{file} staged");
    }
    // The same hash as the staged directory itself (an ordinary directory asset).
    assert_eq!(
        cdk_core::fingerprint(&staged, &Default::default()).unwrap(),
        hash
    );
    let names: J =
        serde_json::from_str(&std::fs::read_to_string(staged.join("sdk-names.json")).unwrap())
            .unwrap();
    assert_eq!(names["v2ToV3"]["cloudwatchlogs"], "cloudwatch-logs");
    let manifest = std::fs::read_to_string(assembly.directory.join("Staged.assets.json")).unwrap();
    assert!(manifest.contains(hash));
}

#[test]
fn the_handler_passes_its_node_unit_tests() {
    let test = format!(
        "{}/tests/js/aws_custom_resource_handler.test.js",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = std::process::Command::new("node")
        .arg("--test")
        .arg(&test)
        .output()
        .expect("node (the handler's unit tests run with `node --test`) must be installed");
    assert!(
        output.status.success(),
        "node --test {test} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_grant_to_the_resource_goes_to_the_provider_role() {
    let app = App::new();
    let stack = Stack::new(&app, "Grants", StackProps::default());
    let bucket = Bucket::new(&stack, "Data", BucketProps::default());
    let reader = AwsCustomResource::new(
        &stack,
        "Reader",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::new("S3", "getObject")
                    .parameters(Value::object([
                        ("Bucket", bucket.bucket_name().into_value()),
                        ("Key", Value::from("config.json")),
                    ]))
                    .physical_resource_id(PhysicalResourceId::of("config")),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls([
                bucket.arn_for_objects("config.json")
            ])),
            install_latest_aws_sdk: Some(false),
            ..Default::default()
        },
    );
    bucket.grant_read(&reader);
    let template = Template::from_stack(&stack);
    template.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({
            "PolicyName": Match::string_like_regexp("^AWS679f53fac002430cb0da5b7982bd2287ServiceRoleDefaultPolicy"),
            "Roles": [{"Ref": "AWS679f53fac002430cb0da5b7982bd2287ServiceRoleC1EA0FF2"}]
        }),
    );
    let _ = reader.policy_fragment();
}

/// `aws-custom-resource-managed-log-group.js`: with `@aws-cdk/aws-lambda:useCdkManagedLogGroup`
/// the provider gets the managed log group; function name and memory size reach the provider,
/// the service timeout the resource.
#[test]
fn the_provider_with_a_managed_log_group_equals_aws_cdk_lib() {
    let app = app(&[
        ("aws:cdk:enable-path-metadata", false.into()),
        ("aws:cdk:enable-asset-metadata", false.into()),
        ("@aws-cdk/aws-lambda:useCdkManagedLogGroup", true.into()),
    ]);
    let stack = Stack::new(
        &app,
        "Managed",
        StackProps {
            env: Some(cdk_core::Environment::new("123456789012", "eu-west-1")),
            ..Default::default()
        },
    );
    AwsCustomResource::new(
        &stack,
        "Caller",
        AwsCustomResourceProps {
            on_create: Some(
                AwsSdkCall::new("STS", "getCallerIdentity")
                    .physical_resource_id(PhysicalResourceId::of("id")),
            ),
            policy: Some(AwsCustomResourcePolicy::from_sdk_calls_any_resource()),
            install_latest_aws_sdk: Some(false),
            function_name: Some("caller-provider".into()),
            memory_size: Some(256),
            service_timeout: Some(Duration::from_secs(300)),
            ..Default::default()
        },
    );
    let path = format!(
        "{}/tests/fixtures/aws-cdk-lib-2.276.0/aws-custom-resource-managed-log-group.template.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut expected: J = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let template = Template::from_stack(&stack);
    let mut actual = template.to_json().clone();
    normalize_code(&mut actual);
    normalize_code(&mut expected);
    assert_eq!(actual["Resources"], expected["Resources"]);
    template.resource_count_is("AWS::Logs::LogGroup", 1);
}

#[test]
fn custom_resource_service_timeout_and_property_conflicts() {
    use cdk_constructs::custom_resource_provider::{CustomResource, CustomResourceProps};
    let app = App::new();
    let stack = Stack::new(&app, "Timeouts", StackProps::default());
    CustomResource::new(
        &stack,
        "Conflict",
        CustomResourceProps {
            properties: vec![("ServiceToken".into(), Value::from("other"))],
            service_timeout: Some(Duration::from_secs(60)),
            ..CustomResourceProps::new("arn:aws:lambda:eu-west-1:123456789012:function:f")
        },
    );
    let annotations = Annotations::from_stack(&stack);
    annotations.has_warning(
        "/Timeouts/Conflict",
        Match::string_like_regexp("Keys found: ServiceToken"),
    );
    CustomResource::new(
        &stack,
        "Pascal",
        CustomResourceProps {
            resource_type: Some("Custom::Pascal".into()),
            properties: vec![
                ("bucketName".into(), Value::from("b")),
                ("Already".into(), Value::from(1)),
            ],
            pascal_case_properties: true,
            ..CustomResourceProps::new("arn:aws:lambda:eu-west-1:123456789012:function:f")
        },
    );
    let template = Template::from_stack(&stack);
    template.has_resource_properties(
        "AWS::CloudFormation::CustomResource",
        pattern!({"ServiceToken": "other", "ServiceTimeout": "60"}),
    );
    template.has_resource_properties(
        "Custom::Pascal",
        Match::object_equals(pattern!({
            "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:f",
            "BucketName": "b",
            "Already": 1
        })),
    );

    let app = App::new();
    let stack = Stack::new(&app, "Invalid", StackProps::default());
    CustomResource::new(
        &stack,
        "TooLong",
        CustomResourceProps {
            service_timeout: Some(Duration::from_secs(3601)),
            ..CustomResourceProps::new("arn:aws:lambda:eu-west-1:123456789012:function:f")
        },
    );
    Annotations::from_stack(&stack).has_error(
        "/Invalid/TooLong",
        "serviceTimeout must either be between 1 and 3600 seconds, got 3601",
    );
}
