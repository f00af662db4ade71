use cdk_constructs::iam::*;
use cdk_constructs::kms::*;
use cdk_constructs::s3::*;
use cdk_core::{App, Environment, RemovalPolicy, Stack, StackProps};
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
    let dir = tempfile::tempdir().unwrap();
    let a = app.synth_to(dir.path().join("o")).unwrap();
    let r = &a.stack("Pipeline").unwrap().template["Resources"];
    let id = |c: &[&str]| cdk_core::logical_id::make_unique_id(c);
    let key_id = id(&["ArtifactKey", "Resource"]);
    let bucket_id = id(&["ArtifactBucket", "Resource"]);
    let prod_root =
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::222222222222:root"]]});
    let tools_root =
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::111111111111:root"]]});
    let key_res = &r[&key_id];
    assert_eq!(key_res["DeletionPolicy"], "Retain");
    let key_statements = key_res["Properties"]["KeyPolicy"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(
        key_statements[0],
        json!({"Action": "kms:*", "Effect": "Allow", "Principal": {"AWS": tools_root}, "Resource": "*"})
    );
    assert!(key_statements.contains(&json!({"Action": "kms:Decrypt", "Effect": "Allow", "Principal": {"AWS": prod_root}, "Resource": "*"})), "{key_statements:#?}");
    assert!(key_statements.iter().any(|s| s["Action"]
        == json!([
            "kms:Encrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Decrypt"
        ])));
    let alias = r
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v["Type"] == "AWS::KMS::Alias")
        .unwrap()
        .1;
    assert_eq!(alias["Properties"]["AliasName"], "alias/key/artifact-key");
    let b = &r[&bucket_id];
    assert_eq!(b["DeletionPolicy"], "Delete");
    assert_eq!(
        b["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ServerSideEncryptionByDefault"],
        json!({"KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]}, "SSEAlgorithm": "aws:kms"})
    );
    let policy = r
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v["Type"] == "AWS::S3::BucketPolicy")
        .unwrap()
        .1;
    let statements = policy["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[0]["Principal"], json!({"AWS": prod_root}));
    assert_eq!(
        statements[0]["Resource"],
        json!({"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]})
    );
    assert_eq!(
        statements[1]["Action"],
        json!(["s3:GetObject*", "s3:GetBucket*", "s3:List*"])
    );
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
