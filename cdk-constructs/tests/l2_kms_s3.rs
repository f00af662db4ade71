use cdk_assertions::{pattern, Capture, Match, Template};
use cdk_constructs::iam::*;
use cdk_constructs::kms::*;
use cdk_constructs::s3::*;
use cdk_core::{App, Environment, IConstruct, RemovalPolicy, Stack, StackProps};
use serde_json::json;

#[test]
fn artifact_bucket_shared_with_prod_account() {
    let app = App::new();
    let stack = Stack::new(
        &app,
        "Pipeline",
        StackProps {
            env: Some(Environment::new("111111111111", "us-east-1")),
            ..Default::default()
        },
    );
    let key = Key::new(
        &stack,
        "ArtifactKey",
        KeyProps {
            alias: Some("key/artifact-key".into()),
            ..Default::default()
        },
    );
    let prod = AccountPrincipal::new("222222222222");
    key.grant_decrypt(&prod);
    key.grant_encrypt(&prod);
    let bucket = Bucket::new(
        &stack,
        "ArtifactBucket",
        BucketProps {
            bucket_name: Some("artifact-bucket-111111111111".into()),
            removal_policy: Some(RemovalPolicy::Destroy),
            encryption: BucketEncryption::Kms,
            encryption_key: Some(key.clone().into()),
            ..Default::default()
        },
    );
    bucket.grant_put(&prod);
    bucket.grant_read(&prod);
    let t = Template::from_stack(&stack);
    let id = |c: &[&str]| cdk_core::logical_id::make_unique_id(c);
    let key_id = id(&["ArtifactKey", "Resource"]);
    let bucket_id = id(&["ArtifactBucket", "Resource"]);
    let prod_root =
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]});
    let tools_root =
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]});
    let key_statements = Capture::new();
    t.template_matches(pattern!({"Resources": {
        (key_id.as_str()): {
            "DeletionPolicy": "Retain",
            "Properties": {"KeyPolicy": {"Statement": Match::array_with([
                // The decrypt grant, and an encrypt grant with exactly these actions.
                pattern!({"Action": "kms:Decrypt", "Effect": "Allow", "Principal": {"AWS": prod_root.clone()}, "Resource": "*"}),
                Match::object_like(pattern!({"Action": ["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"]})).into(),
            ])}},
        },
        (bucket_id.as_str()): {
            "DeletionPolicy": "Delete",
            "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": Match::exact(pattern!({"KMSMasterKeyID": {"Fn::GetAtt": [key_id.as_str(), "Arn"]}, "SSEAlgorithm": "aws:kms"})),
            }]}},
        },
    }}));
    t.has_resource_properties(
        "AWS::KMS::Key",
        pattern!({"KeyPolicy": {"Statement": &key_statements}}),
    );
    assert_eq!(
        key_statements.as_array()[0],
        json!({"Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": tools_root}, "Resource": "*"})
    );
    t.resource_count_is("AWS::KMS::Alias", 1);
    t.has_resource_properties(
        "AWS::KMS::Alias",
        pattern!({"AliasName": "alias/key/artifact-key"}),
    );
    t.resource_count_is("AWS::S3::BucketPolicy", 1);
    t.has_resource_properties("AWS::S3::BucketPolicy", pattern!({"PolicyDocument": {"Statement": [
        {
            "Principal": Match::exact(pattern!({"AWS": prod_root})),
            "Resource": Match::exact(pattern!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id.as_str(), "Arn"]}, "/*"]]})),
        },
        {"Action": ["s3:GetObject*", "s3:GetBucket*", "s3:List*"]},
    ]}}));
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    rcdk_tests::validate_assembly(&a.directory, true);
}

#[test]
fn bad_bucket_names_are_reported() {
    assert!(bucket_name_errors("my-bucket").is_empty());
    assert_eq!(bucket_name_errors("My_Bucket").len(), 2);
    assert!(!bucket_name_errors("a..b").is_empty());
    assert!(!bucket_name_errors("192.168.1.1").is_empty());
    // Prefixes and suffixes S3 reserves.
    for reserved in [
        "xn--bucket",
        "sthree-bucket",
        "bucket-s3alias",
        "bucket--ol-s3",
        "bucket.mrap",
        "bucket--x-s3",
    ] {
        let errors = bucket_name_errors(reserved);
        assert_eq!(errors.len(), 1, "{reserved}: {errors:?}");
        assert!(errors[0].contains("reserved by S3"), "{errors:?}");
    }
    let app = App::new();
    let stack = Stack::new(&app, "S", StackProps::default());
    Bucket::new(
        &stack,
        "B",
        BucketProps {
            bucket_name: Some("BAD".into()),
            ..Default::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let err = app.synth_to(dir.path().join("o")).unwrap_err().to_string();
    assert!(err.contains("[S/B] bucket name 'BAD'"), "{err}");
}

/// `@aws-cdk/aws-iam:crossAccountGrantsViaPrincipalTag`: a key grant to a role of another
/// account names that account in the key policy, scoped by the role's `aws-cdk:id` tag, so the
/// role needs no physical name (aws-cdk's integ.key-cross-account-grant).
#[test]
fn cross_account_grants_via_principal_tag() {
    use cdk_assertions::{pattern, Match, Template};
    let build = |flag: bool| {
        let app = App::new();
        if flag {
            app.node().set_context(
                cdk_core::feature_flags::IAM_CROSS_ACCOUNT_GRANTS_VIA_PRINCIPAL_TAG,
                true,
            );
        }
        let env = |account: &str| {
            Some(Environment {
                account: Some(account.into()),
                region: None,
            })
        };
        let keys = Stack::new(
            &app,
            "Keys",
            StackProps {
                env: env("111111111111"),
                ..Default::default()
            },
        );
        let key = Key::new(&keys, "Key", KeyProps::default());
        let users = Stack::new(
            &app,
            "Users",
            StackProps {
                env: env("222222222222"),
                ..Default::default()
            },
        );
        let role = Role::new(
            &users,
            "Role",
            RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
        );
        key.grant_decrypt(&role);
        (app, keys, users, role)
    };
    let (_app, keys, users, role) = build(true);
    let tag = format!("Users_{}", role.node().addr());
    Template::from_stack(&keys).has_resource_properties(
        "AWS::KMS::Key",
        pattern!({"KeyPolicy": {"Statement": Match::array_with([Match::object_like(pattern!({
            "Action": "kms:Decrypt",
            "Condition": {"StringEquals": {"aws:PrincipalTag/aws-cdk:id": tag.as_str()}},
            "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]}},
            "Resource": "*"
        }))])}}),
    );
    let users_template = Template::from_stack(&users);
    users_template.has_resource_properties(
        "AWS::IAM::Role",
        pattern!({"Tags": [{"Key": "aws-cdk:id", "Value": tag.as_str()}]}),
    );
    users_template.has_resource_properties(
        "AWS::IAM::Policy",
        pattern!({"PolicyDocument": {"Statement": [{"Action": "kms:Decrypt", "Effect": "Allow", "Resource": "*"}]}}),
    );
    // Without the flag (aws-cdk-lib 2.276), the key policy needs the role's ARN: an error.
    let (_app, keys, _, _) = build(false);
    let Err(error) = Template::try_from_stack(&keys) else {
        panic!("expected a synth error without the flag");
    };
    let error = error.to_string();
    assert!(error.contains("cross-environment"), "{error}");
}
