//! Schema constraints are checked on literal values at synth; errors name the construct path
//! and the property.

mod common;

use cdk_constructs::{iam, lambda, s3, sqs, ssm, Check};
use cdk_core::{Aws, Str};
use common::{app_and_stack, synth_errors, template};
use serde_json::json;

#[test]
fn pattern_and_length_errors_name_path_and_property() {
    let (app, stack) = app_and_stack();
    s3::CfnBucket::new(
        &stack,
        "Bucket",
        s3::CfnBucketProps {
            bucket_name: Some("Not_A_Valid_Bucket_Name".into()),
            ..Default::default()
        },
    );
    let long = "x".repeat(300);
    s3::CfnBucket::new(
        &stack,
        "Tagged",
        s3::CfnBucketProps {
            tags: Some(vec![cdk_constructs::CfnTag::new(long.as_str(), "v")]),
            ..Default::default()
        },
    );
    let errors = synth_errors(&app);
    assert!(
        errors.iter().any(
            |e| e.starts_with("[Stack/Bucket] BucketName: must match pattern")
                && e.contains("Not_A_Valid_Bucket_Name")
        ),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e == "[Stack/Tagged] Tags[0].Key: length must be at most 128 (got 300)"),
        "{errors:#?}"
    );
}

#[test]
fn enum_errors_for_unknown_literal_values() {
    let (app, stack) = app_and_stack();
    lambda::CfnFunction::new(
        &stack,
        "Fn",
        lambda::CfnFunctionProps {
            runtime: Some("cobol85".into()),
            ..lambda::CfnFunctionProps::new(
                lambda::cfn_function::CodeProperty {
                    zip_file: Some("x".into()),
                    ..Default::default()
                },
                "arn:aws:iam::123456789012:role/r",
            )
        },
    );
    s3::CfnBucket::new(
        &stack,
        "Bucket",
        s3::CfnBucketProps {
            versioning_configuration: Some(s3::cfn_bucket::VersioningConfigurationProperty::new(
                "On",
            )),
            ..Default::default()
        },
    );
    let errors = synth_errors(&app);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("[Stack/Fn] Runtime: must be one of ")
                && e.ends_with("(got \"cobol85\")")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e
            == "[Stack/Bucket] VersioningConfiguration.Status: must be one of Enabled, Suspended (got \"On\")"),
        "{errors:#?}"
    );
}

#[test]
fn number_and_item_count_errors() {
    let (app, stack) = app_and_stack();
    sqs::CfnQueue::new(
        &stack,
        "Queue",
        sqs::CfnQueueProps {
            visibility_timeout: Some(100_000.into()),
            ..Default::default()
        },
    );
    lambda::CfnFunction::new(
        &stack,
        "Fn",
        lambda::CfnFunctionProps {
            architectures: Some(vec![]),
            memory_size: Some(1.into()),
            ..lambda::CfnFunctionProps::new(
                lambda::cfn_function::CodeProperty {
                    zip_file: Some("x".into()),
                    ..Default::default()
                },
                "arn:aws:iam::123456789012:role/r",
            )
        },
    );
    let errors = synth_errors(&app);
    assert!(
        errors
            .iter()
            .any(|e| e == "[Stack/Queue] VisibilityTimeout: must be at most 43200 (got 100000)"),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e == "[Stack/Fn] Architectures: must have at least 1 item(s) (got 0)"),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e == "[Stack/Fn] MemorySize: must be at least 128 (got 1)"),
        "{errors:#?}"
    );
}

#[test]
fn required_one_of_on_a_generated_resource() {
    // AWS::IAM::Policy: anyOf [required Users] | [required Groups] | [required Roles].
    let (app, stack) = app_and_stack();
    iam::CfnPolicy::new(
        &stack,
        "Policy",
        iam::CfnPolicyProps::new(json!({"Version": "2012-10-17", "Statement": []}), "inline"),
    );
    let errors = synth_errors(&app);
    assert_eq!(
        errors,
        ["[Stack/Policy] one of Users, Groups, Roles must be set"]
    );

    let (app, stack) = app_and_stack();
    iam::CfnPolicy::new(
        &stack,
        "Policy",
        iam::CfnPolicyProps {
            roles: Some(vec!["my-role"].into()),
            ..iam::CfnPolicyProps::new(json!({"Version": "2012-10-17", "Statement": []}), "inline")
        },
    );
    template(&app);
}

#[test]
fn exclusive_one_of_check() {
    static CHECK: Check = Check {
        one_of: &[&["A"], &["B"]],
        one_of_exclusive: true,
        ..Check::NONE
    };
    let mut errors = Vec::new();
    CHECK.validate(&json!({"C": 1}).into(), "Prop", &mut errors);
    CHECK.validate(&json!({"A": 1, "B": 2}).into(), "Prop", &mut errors);
    CHECK.validate(&json!({"A": 1}).into(), "Prop", &mut errors);
    // An intrinsic function in place of the object is not checked.
    CHECK.validate(
        &json!({"Fn::If": ["C", {}, {}]}).into(),
        "Prop",
        &mut errors,
    );
    assert_eq!(
        errors,
        [
            "Prop: one of A, B must be set",
            "Prop: only one of A, B may be set"
        ]
    );
}

#[test]
fn tokens_are_not_checked() {
    let (app, stack) = app_and_stack();
    let param = ssm::CfnParameter::new(
        &stack,
        "Param",
        ssm::CfnParameterProps::new(ssm::cfn_parameter::Type::String, "v"),
    );
    s3::CfnBucket::new(
        &stack,
        "Bucket",
        s3::CfnBucketProps {
            // A token (and a concatenation with one) cannot be checked before deployment.
            bucket_name: Some(Str::from("UPPER-") + Aws::ACCOUNT_ID),
            versioning_configuration: Some(s3::cfn_bucket::VersioningConfigurationProperty::new(
                param.ref_(),
            )),
            ..Default::default()
        },
    );
    iam::CfnRole::new(
        &stack,
        "Role",
        iam::CfnRoleProps::new(json!({"Version": "2012-10-17", "Statement": []})),
    );
    let t = template(&app);
    assert!(t["Resources"].as_object().is_some_and(|r| r.len() == 3));
}

#[test]
fn values_set_through_escape_hatches_are_validated_too() {
    let (app, stack) = app_and_stack();
    let bucket = s3::CfnBucket::new(&stack, "Bucket", s3::CfnBucketProps::default());
    bucket
        .resource()
        .set_property("BucketName", "Set_Later_Invalid");
    let errors = synth_errors(&app);
    assert!(
        errors.iter().any(
            |e| e.starts_with("[Stack/Bucket] BucketName: must match pattern")
                && e.contains("Set_Later_Invalid")
        ),
        "{errors:#?}"
    );
}
