use cdk_assertions::{pattern, Match, Template};
use cdk_constructs::lambda::*;
use cdk_core::{App, Stack, StackProps, Str};

#[test]
fn function_with_parameter_code_and_role() {
    let app = App::new();
    let stack = Stack::new(&app, "Dev", StackProps::default());
    let code = Code::from_cfn_parameters();
    let mut props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", code.clone());
    props
        .environment
        .insert("STAGE_NAME".into(), Str::from("Dev"));
    let f = Function::new(&stack, "Lambda", props);
    f.add_to_role_policy(
        cdk_constructs::iam::PolicyStatement::new()
            .action("s3:GetObject")
            .resource("*"),
    );
    let overrides = code.assign("bucket".into(), "key".into());
    assert_eq!(overrides.len(), 2);
    let id = |c: &[&str]| cdk_core::logical_id::make_unique_id(c);
    let bucket_param = id(&["Lambda", "LambdaSourceBucketNameParameter"]);
    Template::from_stack(&stack).template_matches(pattern!({
        "Resources": {(id(&["Lambda", "Resource"])): {
            "Properties": Match::exact(pattern!({
                "Code": {"S3Bucket": {"Ref": bucket_param.as_str()}, "S3Key": {"Ref": id(&["Lambda", "LambdaSourceObjectKeyParameter"])}},
                "Environment": {"Variables": {"STAGE_NAME": "Dev"}},
                "Handler": "index.handler",
                "Role": {"Fn::GetAtt": ["LambdaServiceRoleA8ED4D3B", "Arn"]},
                "Runtime": "nodejs24.x"
            })),
            "DependsOn": [
                id(&["Lambda", "ServiceRole", "DefaultPolicy", "Resource"]),
                "LambdaServiceRoleA8ED4D3B"
            ],
        }},
        "Parameters": {(bucket_param.as_str()): {"Type": "String"}},
    }));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn function_from_asset_and_bad_input() {
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/handler");
    let f = Function::new(
        &stack,
        "Handler",
        FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_asset(dir)),
    );
    Template::from_stack(&stack).template_matches(pattern!({"Resources": {
        (cdk_core::logical_id::make_unique_id(&["Handler", "Resource"])): {
            "Metadata": {"aws:asset:property": "Code"},
            "Properties": {"Code": {"S3Key": Match::string_like_regexp(r"\.zip$")}},
        },
    }}));
    let _ = f;

    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let mut props = FunctionProps::new(Runtime::Java21, "h", Code::from_inline("x"));
    props.function_name = Some("x".repeat(65).into());
    props.memory_size = Some(64);
    Function::new(&stack, "Bad", props);
    let out = tempfile::tempdir().unwrap();
    let err = app.synth_to(out.path().join("p")).unwrap_err().to_string();
    assert!(
        err.contains("[S/Bad] inline code is not supported for runtime java21"),
        "{err}"
    );
    assert!(
        err.contains("function name") && err.contains("memory size"),
        "{err}"
    );
}

#[test]
fn grants_to_a_function_go_to_its_role() {
    use cdk_constructs::iam::IPrincipal;
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    let f = Function::new(
        &stack,
        "F",
        FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::from_inline("x")),
    );
    let statement = cdk_constructs::iam::PolicyStatement::new()
        .action("sqs:SendMessage")
        .resource("*");
    assert!(f.add_to_principal_policy(&statement).statement_added);
    assert_eq!(
        f.role()
            .as_role()
            .unwrap()
            .default_policy()
            .unwrap()
            .document()
            .statements(),
        vec![statement]
    );
}
