//! The checked-in generated code equals what the generator emits from the vendored schemas
//! (including rustfmt formatting and the `[features]` block of cdk-constructs).

#[test]
fn generated_code_is_up_to_date() {
    let input = codegen::input::load_vendored().expect("vendored schemas");
    let defaults = codegen::default_services().expect("default-services.txt");
    let out = codegen::generate(&input, &defaults).expect("generate");
    let stale = codegen::stale_files(&out).expect("compare");
    assert!(
        stale.is_empty(),
        "generated code is stale; run `cargo run -p codegen -- generate`:\n  {}",
        stale.join("\n  ")
    );
}

#[test]
fn default_services_cover_the_required_list() {
    let defaults = codegen::default_services().expect("default-services.txt");
    for service in [
        "iam",
        "kms",
        "s3",
        "lambda",
        "apigateway",
        "codecommit",
        "codebuild",
        "codepipeline",
        "events",
        "dynamodb",
        "logs",
        "ssm",
        "sns",
        "sqs",
        "cloudformation",
    ] {
        assert!(defaults.iter().any(|d| d == service), "{service}");
    }
}

#[test]
fn vendored_input_is_pinned() {
    let input = codegen::input::load_vendored().expect("vendored schemas");
    assert_eq!(input.cfn_lint_version, "1.51.0");
    assert!(input.resource_types.len() > 1500);
    assert!(input.resource_types.contains_key("AWS::S3::Bucket"));
}
