//! Each rule broken once: the finding's rule ID, construct path and severity.

use cdk_core::validation::{Finding, Severity};
use cdk_core::{
    App, AppProps, CfnResource, CfnResourceProps, Environment, Error, Stack, StackProps, Value,
};
use serde_json::{json, Value as J};

const TOOLS: &str = "111111111111";
const OTHER: &str = "222222222222";

fn findings(build: impl FnOnce(&Stack)) -> Vec<Finding> {
    let app = App::with_props(AppProps::default());
    cdk_nag::register(&app);
    let stack = Stack::new(
        &app,
        "S",
        StackProps {
            env: Some(Environment::new(TOOLS, "us-east-1")),
            ..Default::default()
        },
    );
    build(&stack);
    match app.synth_in_memory() {
        Ok(a) => a
            .validation_report
            .clone()
            .expect("the packs ran")
            .findings(),
        Err(Error::PolicyValidation(r)) => r.findings(),
        Err(e) => panic!("{e}"),
    }
}

fn res(stack: &Stack, id: &str, ty: &str, props: J) -> CfnResource {
    let properties = match Value::from(props) {
        Value::Map(m) => m,
        _ => Default::default(),
    };
    CfnResource::new(
        stack,
        id,
        CfnResourceProps {
            resource_type: ty.into(),
            properties,
        },
    )
}

#[track_caller]
fn assert_finding(found: &[Finding], rule: &str, path: &str, severity: Severity) {
    let hit = found
        .iter()
        .find(|f| f.rule_name == rule && f.construct_path.as_deref() == Some(path));
    let Some(hit) = hit else {
        let all: Vec<String> = found
            .iter()
            .map(|f| format!("{} {:?}", f.rule_name, f.construct_path))
            .collect();
        panic!("no {rule} at {path}; found:\n{}", all.join("\n"));
    };
    assert_eq!(hit.severity, severity, "{rule}");
    assert!(hit.logical_id.is_some() && hit.template_path.as_deref() == Some("S.template.json"));
}

#[track_caller]
fn assert_no(found: &[Finding], rule_prefix: &str) {
    let hits: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule_name.starts_with(rule_prefix))
        .collect();
    assert!(hits.is_empty(), "unexpected {rule_prefix}: {hits:?}");
}

fn trust(principal: J) -> J {
    json!({"Version": "2012-10-17", "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": principal}]})
}

fn root(account: &str) -> J {
    json!({"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":iam::{account}:root")]]}})
}

#[test]
fn iam4_managed_policies_one_finding_each() {
    let f = findings(|s| {
        res(
            s,
            "Role",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust(json!({"Service": "lambda.amazonaws.com"})),
                "ManagedPolicyArns": [
                    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"]]},
                    "arn:aws:iam::111111111111:policy/Mine"
                ]
            }),
        );
    });
    assert_finding(
        &f,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]",
        "S/Role",
        Severity::Error,
    );
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name.starts_with("AwsSolutions-IAM4"))
            .count(),
        1,
        "customer managed policies are fine"
    );
}

#[test]
fn iam5_wildcards_per_action_and_resource() {
    let f = findings(|s| {
        res(s, "Bucket", "AWS::S3::Bucket", json!({}));
        res(
            s,
            "Policy",
            "AWS::IAM::Policy",
            json!({
                "PolicyName": "p",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:*", "s3:GetObject"], "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}},
                    {"Effect": "Deny", "Action": "*", "Resource": "*"}
                ]},
                "Roles": ["r"]
            }),
        );
    });
    assert_finding(
        &f,
        "AwsSolutions-IAM5[Action::s3:*]",
        "S/Policy",
        Severity::Error,
    );
    assert_finding(
        &f,
        "AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]",
        "S/Policy",
        Severity::Error,
    );
    assert!(
        !f.iter()
            .any(|x| x.rule_name == "AwsSolutions-IAM5[Action::*]"),
        "deny statements are not reported"
    );
}

#[test]
fn kms5_rotation() {
    let f = findings(|s| {
        res(
            s,
            "Key",
            "AWS::KMS::Key",
            json!({"KeyPolicy": {"Statement": []}}),
        );
        res(
            s,
            "Rotated",
            "AWS::KMS::Key",
            json!({"KeyPolicy": {"Statement": []}, "EnableKeyRotation": true}),
        );
        res(
            s,
            "Asymmetric",
            "AWS::KMS::Key",
            json!({"KeyPolicy": {"Statement": []}, "KeySpec": "RSA_2048"}),
        );
    });
    assert_finding(&f, "AwsSolutions-KMS5", "S/Key", Severity::Error);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name == "AwsSolutions-KMS5")
            .count(),
        1
    );
}

#[test]
fn s1_s2_s10_buckets() {
    let f = findings(|s| {
        res(
            s,
            "Open",
            "AWS::S3::Bucket",
            json!({
                "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}
            }),
        );
        // Logs to a log bucket, which is itself compliant with S1 (it is the target).
        res(
            s,
            "Logged",
            "AWS::S3::Bucket",
            json!({"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}}),
        );
        res(s, "Logs", "AWS::S3::Bucket", json!({}));
        res(
            s,
            "LoggedPolicy",
            "AWS::S3::BucketPolicy",
            json!({
                "Bucket": {"Ref": "Logged"},
                "PolicyDocument": {"Statement": [{
                    "Effect": "Deny", "Action": "s3:*", "Principal": {"AWS": "*"},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    "Resource": [{"Fn::GetAtt": ["Logged", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["Logged", "Arn"]}, "/*"]]}]
                }]}
            }),
        );
    });
    assert_finding(&f, "AwsSolutions-S1", "S/Open", Severity::Error);
    assert!(
        !f.iter()
            .any(|x| x.rule_name == "AwsSolutions-S1"
                && x.construct_path.as_deref() != Some("S/Open"))
    );
    assert_finding(&f, "AwsSolutions-S2", "S/Open", Severity::Error);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name == "AwsSolutions-S2")
            .count(),
        1
    );
    assert_finding(&f, "AwsSolutions-S10", "S/Open", Severity::Error);
    assert_finding(&f, "AwsSolutions-S10", "S/Logs", Severity::Error);
    assert!(!f
        .iter()
        .any(|x| x.rule_name == "AwsSolutions-S10"
            && x.construct_path.as_deref() == Some("S/Logged")));
    assert!(!f.iter().any(|x| x.rule_name == "AwsSolutions-S10"
        && x.construct_path.as_deref() == Some("S/LoggedPolicy")));
}

#[test]
fn codebuild_cb3_cb4_cb5() {
    let f = findings(|s| {
        res(
            s,
            "Project",
            "AWS::CodeBuild::Project",
            json!({
                "Artifacts": {"Type": "NO_ARTIFACTS"},
                "Environment": {"ComputeType": "BUILD_GENERAL1_SMALL", "Image": "docker.io/library/rust:1", "PrivilegedMode": true, "Type": "LINUX_CONTAINER"},
                "ServiceRole": "arn:aws:iam::111111111111:role/b",
                "Source": {"Type": "NO_SOURCE", "BuildSpec": "version: 0.2"}
            }),
        );
    });
    assert_finding(&f, "AwsSolutions-CB3", "S/Project", Severity::Warning);
    assert_finding(&f, "AwsSolutions-CB4", "S/Project", Severity::Error);
    assert_finding(&f, "AwsSolutions-CB5", "S/Project", Severity::Warning);
}

#[test]
fn api_gateway_apig1_apig2_apig4_apig6() {
    let f = findings(|s| {
        res(s, "Api", "AWS::ApiGateway::RestApi", json!({"Name": "api"}));
        res(
            s,
            "Method",
            "AWS::ApiGateway::Method",
            json!({
                "HttpMethod": "GET", "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "RestApiId": {"Ref": "Api"}, "AuthorizationType": "NONE"
            }),
        );
        res(
            s,
            "Secured",
            "AWS::ApiGateway::Method",
            json!({
                "HttpMethod": "POST", "ResourceId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "RestApiId": {"Ref": "Api"}, "AuthorizationType": "AWS_IAM"
            }),
        );
        res(
            s,
            "Stage",
            "AWS::ApiGateway::Stage",
            json!({"RestApiId": {"Ref": "Api"}, "StageName": "prod",
            "MethodSettings": [{"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "OFF"}]}),
        );
    });
    assert_finding(&f, "AwsSolutions-APIG1", "S/Stage", Severity::Error);
    assert_finding(&f, "AwsSolutions-APIG2", "S/Api", Severity::Error);
    assert_finding(&f, "AwsSolutions-APIG4", "S/Method", Severity::Error);
    assert!(!f
        .iter()
        .any(|x| x.rule_name == "AwsSolutions-APIG4"
            && x.construct_path.as_deref() == Some("S/Secured")));
    assert_finding(&f, "AwsSolutions-APIG6", "S/Stage", Severity::Error);
}

#[test]
fn lambda_l1_latest_runtime() {
    let f = findings(|s| {
        for (id, runtime) in [
            ("Old", "nodejs20.x"),
            ("Latest", "nodejs24.x"),
            ("Custom", "provided.al2023"),
        ] {
            res(
                s,
                id,
                "AWS::Lambda::Function",
                json!({"Code": {"ZipFile": "x"}, "Role": "arn:aws:iam::111111111111:role/f", "Runtime": runtime, "Handler": "index.handler"}),
            );
        }
    });
    assert_finding(&f, "AwsSolutions-L1", "S/Old", Severity::Error);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name == "AwsSolutions-L1")
            .count(),
        1
    );
}

#[test]
fn dynamodb_ddb3_is_a_warning() {
    let f = findings(|s| {
        res(
            s,
            "Table",
            "AWS::DynamoDB::Table",
            json!({"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]}),
        );
    });
    assert_finding(&f, "AwsSolutions-DDB3", "S/Table", Severity::Warning);
}

#[test]
fn sqs3_and_sns2() {
    let f = findings(|s| {
        res(
            s,
            "Queue",
            "AWS::SQS::Queue",
            json!({"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 3}}),
        );
        res(s, "Dlq", "AWS::SQS::Queue", json!({}));
        res(s, "Lonely", "AWS::SQS::Queue", json!({}));
        res(s, "Topic", "AWS::SNS::Topic", json!({}));
        res(
            s,
            "Encrypted",
            "AWS::SNS::Topic",
            json!({"KmsMasterKeyId": "alias/aws/sns"}),
        );
    });
    assert_finding(&f, "AwsSolutions-SQS3", "S/Lonely", Severity::Error);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name == "AwsSolutions-SQS3")
            .count(),
        1,
        "queue with a DLQ and the DLQ pass"
    );
    assert_finding(&f, "AwsSolutions-SNS2", "S/Topic", Severity::Error);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name == "AwsSolutions-SNS2")
            .count(),
        1
    );
}

#[test]
fn l2_constructs_are_checked_from_their_templates() {
    use cdk_constructs::kms::{Key, KeyProps};
    use cdk_constructs::s3::{Bucket, BucketProps};
    let f = findings(|s| {
        Key::new(s, "Key", KeyProps::default());
        Bucket::new(s, "Bucket", BucketProps::default());
    });
    assert_finding(&f, "AwsSolutions-KMS5", "S/Key/Resource", Severity::Error);
    assert_finding(&f, "AwsSolutions-S1", "S/Bucket/Resource", Severity::Error);
}

fn cross_account_role(s: &Stack, id: &str, statements: J) {
    res(
        s,
        id,
        "AWS::IAM::Role",
        json!({
            "AssumeRolePolicyDocument": trust(root(OTHER)),
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]
        }),
    );
}

#[test]
fn xa1_xa2_cross_account_roles() {
    let f = findings(|s| {
        cross_account_role(
            s,
            "Wide",
            json!([
                {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Allow", "Action": "lambda:GetFunction", "Resource": "*"},
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{OTHER}:role/*")}
            ]),
        );
        cross_account_role(
            s,
            "Narrow",
            json!([
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{TOOLS}:role/deploy-*")},
                {"Effect": "Allow", "Action": ["s3:GetObject*"], "Resource": "arn:aws:s3:::b/*"}
            ]),
        );
        // Trusted by its own account: not a cross-account role.
        res(
            s,
            "Local",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust(root(TOOLS)),
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]
            }),
        );
    });
    assert_finding(
        &f,
        "RcdkCrossAccount-XA1[Action::s3:*]",
        "S/Wide",
        Severity::Error,
    );
    assert_finding(
        &f,
        "RcdkCrossAccount-XA2[Resource::*]",
        "S/Wide",
        Severity::Error,
    );
    assert_finding(
        &f,
        &format!("RcdkCrossAccount-XA2[Resource::arn:aws:iam::{OTHER}:role/*]"),
        "S/Wide",
        Severity::Error,
    );
    for path in ["S/Narrow", "S/Local"] {
        assert!(
            !f.iter()
                .any(|x| x.rule_name.starts_with("RcdkCrossAccount-XA")
                    && x.construct_path.as_deref() == Some(path)),
            "{path}: {f:?}"
        );
    }
}

#[test]
fn xa3_cloudformation_roles_scoped_to_stacks() {
    let f = findings(|s| {
        res(
            s,
            "CfnRole",
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": trust(json!({"Service": "cloudformation.amazonaws.com"})),
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Action": "cloudformation:CreateChangeSet", "Resource": format!("arn:aws:cloudformation:us-east-1:{TOOLS}:stack/*")},
                    {"Effect": "Allow", "Action": "cloudformation:DescribeStacks", "Resource": format!("arn:aws:cloudformation:us-east-1:{TOOLS}:stack/App/*")}
                ]}}]
            }),
        );
    });
    assert_finding(
        &f,
        &format!(
            "RcdkCrossAccount-XA3[Resource::arn:aws:cloudformation:us-east-1:{TOOLS}:stack/*]"
        ),
        "S/CfnRole",
        Severity::Error,
    );
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name.starts_with("RcdkCrossAccount-XA3"))
            .count(),
        1
    );
}

#[test]
fn xa4_xa5_artifact_bucket_and_key_grants() {
    let f = findings(|s| {
        res(s, "Bucket", "AWS::S3::Bucket", json!({}));
        res(
            s,
            "BucketPolicy",
            "AWS::S3::BucketPolicy",
            json!({
                "Bucket": {"Ref": "Bucket"},
                "PolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Principal": root(OTHER), "Action": ["s3:GetObject*", "s3:PutObject", "s3:DeleteObject*"], "Resource": "arn:aws:s3:::b/*"},
                    {"Effect": "Allow", "Principal": root(TOOLS), "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}
                ]}
            }),
        );
        res(
            s,
            "Key",
            "AWS::KMS::Key",
            json!({"EnableKeyRotation": true, "KeyPolicy": {"Statement": [
                {"Effect": "Allow", "Principal": root(TOOLS), "Action": "kms:*", "Resource": "*"},
                {"Effect": "Allow", "Principal": root(OTHER), "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:PutKeyPolicy"], "Resource": "*"}
            ]}}),
        );
    });
    assert_finding(
        &f,
        "RcdkCrossAccount-XA4[Action::s3:DeleteObject*]",
        "S/BucketPolicy",
        Severity::Error,
    );
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name.starts_with("RcdkCrossAccount-XA4"))
            .count(),
        1,
        "own account and reads/puts are fine"
    );
    assert_finding(
        &f,
        "RcdkCrossAccount-XA5[Action::kms:PutKeyPolicy]",
        "S/Key",
        Severity::Error,
    );
    assert_eq!(
        f.iter()
            .filter(|x| x.rule_name.starts_with("RcdkCrossAccount-XA5"))
            .count(),
        1
    );
}

#[test]
fn intrinsic_values_make_the_rule_report_an_error() {
    let f = findings(|s| {
        res(
            s,
            "Key",
            "AWS::KMS::Key",
            json!({"KeyPolicy": {"Statement": []}, "EnableKeyRotation": {"Ref": "AWS::NoValue"}}),
        );
    });
    let hit = f
        .iter()
        .find(|x| x.rule_name == "AwsSolutions-KMS5")
        .expect("KMS5");
    assert!(hit
        .description
        .starts_with("Rule threw an error during validation."));
    assert_no(&f, "AwsSolutions-KMS5[");
}
