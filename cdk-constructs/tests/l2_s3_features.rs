//! S3 buckets: lifecycle rules, CORS, website hosting, public read access, auto-delete objects
//! (custom resource provider shipped as an asset) and event notifications with their
//! destinations — each checked against what aws-cdk-lib 2.276 renders for the same app.

use std::time::Duration;

use cdk_assertions::{pattern, Annotations, Match, Template};
use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use cdk_constructs::s3::*;
use cdk_constructs::s3_notifications::{LambdaDestination, SnsDestination, SqsDestination};
use cdk_constructs::sns::{Topic, TopicProps};
use cdk_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use cdk_core::{App, AppProps, RemovalPolicy, Stack, StackProps};

const DAY: u64 = 86_400;

fn app() -> App {
    App::with_props(AppProps {
        context: [
            ("aws:cdk:enable-path-metadata".to_string(), false.into()),
            ("aws:cdk:enable-asset-metadata".to_string(), false.into()),
        ]
        .into(),
        ..Default::default()
    })
}

fn dump(name: &str, t: &Template) {
    if std::env::var_os("S3_DUMP").is_some() {
        std::fs::write(
            format!("/tmp/s3dump/{name}.json"),
            serde_json::to_string_pretty(t.to_json()).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn auto_delete_objects_and_notifications_match_aws_cdk_lib() {
    let app = app();
    let stack = Stack::new(&app, "test-3", StackProps::default());
    let bucket = Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            encryption: BucketEncryption::S3Managed,
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    bucket.add_event_notification(
        &EventType::ObjectCreatedPut,
        &SnsDestination::new(&topic),
        &[],
    );
    let t = Template::from_stack(&stack);
    dump("t1", &t);
    t.has_resource(
        "Custom::S3AutoDeleteObjects",
        pattern!({
            "Properties": {"ServiceToken": {"Fn::GetAtt": ["CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F", "Arn"]},
                           "BucketName": {"Ref": "Bucket83908E77"}},
            "DependsOn": ["BucketPolicyE9A3008A"],
            "DeletionPolicy": "Delete",
        }),
    );
}

#[test]
fn lifecycle_cors_and_website_render_as_aws_cdk_lib() {
    let app = app();
    let stack = Stack::new(&app, "aws-cdk-s3", StackProps::default());
    Bucket::new(
        &stack,
        "MyBucket",
        BucketProps {
            lifecycle_rules: vec![
                LifecycleRule {
                    expiration_date: Some("2019-10-01T10:11:12.345Z".into()),
                    ..Default::default()
                },
                LifecycleRule {
                    expiration_date: Some("2019-10-01".into()),
                    object_size_less_than: Some(600),
                    object_size_greater_than: Some(500),
                    tag_filters: vec![("b".into(), "1".into()), ("a".into(), "2".into())],
                    transitions: vec![Transition::after(
                        StorageClass::Glacier,
                        Duration::from_secs(30 * DAY),
                    )],
                    noncurrent_version_expiration: Some(Duration::from_secs(3 * DAY)),
                    noncurrent_versions_to_retain: Some(2),
                    enabled: Some(false),
                    prefix: Some("p/".into()),
                    id: Some("x".into()),
                    abort_incomplete_multipart_upload_after: Some(Duration::from_secs(DAY)),
                    ..Default::default()
                },
            ],
            removal_policy: Some(RemovalPolicy::Destroy),
            cors: vec![CorsRule {
                max_age: Some(3000),
                ..CorsRule::new([HttpMethods::Get], ["*"])
            }],
            website_index_document: Some("index.html".into()),
            website_error_document: Some("err.html".into()),
            website_routing_rules: vec![RoutingRule {
                condition: Some(RoutingRuleCondition {
                    key_prefix_equals: Some("a/".into()),
                    ..Default::default()
                }),
                replace_key: Some(ReplaceKey::PrefixWith("b/".into())),
                host_name: Some("h.com".into()),
                protocol: Some(RedirectProtocol::Https),
                http_redirect_code: Some("301".into()),
            }],
            public_read_access: true,
            block_public_access: Some(BlockPublicAccess::BLOCK_ACLS_ONLY),
            ..Default::default()
        },
    );
    let b2 = Bucket::new(
        &stack,
        "B2",
        BucketProps {
            website_redirect: Some(RedirectTarget {
                host_name: "x.com".into(),
                protocol: None,
            }),
            ..Default::default()
        },
    );
    for (id, value) in [
        ("U", b2.bucket_website_url()),
        ("D", b2.bucket_website_domain_name()),
    ] {
        cdk_core::CfnOutput::new(
            &stack,
            id,
            cdk_core::CfnOutputProps {
                value,
                ..Default::default()
            },
        );
    }
    let t = Template::from_stack(&stack);
    dump("t2", &t);
    assert!(b2.is_website());
    t.has_resource_properties(
        "AWS::S3::Bucket",
        pattern!({"LifecycleConfiguration": {"Rules": Match::array_with([Match::object_like(pattern!({
            "ExpirationDate": "2019-10-01T00:00:00Z", "ObjectSizeLessThan": 600, "Status": "Disabled"}))])}}),
    );
}

#[test]
fn notifications_to_queues_functions_and_event_bridge_render_as_aws_cdk_lib() {
    let app = App::with_props(AppProps {
        context: [
            ("aws:cdk:enable-path-metadata".to_string(), false.into()),
            ("aws:cdk:enable-asset-metadata".to_string(), false.into()),
            (
                "@aws-cdk/aws-lambda:useCdkManagedLogGroup".to_string(),
                false.into(),
            ),
        ]
        .into(),
        ..Default::default()
    });
    let stack = Stack::new(&app, "N", StackProps::default());
    let bucket = Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            enforce_ssl: true,
            ..Default::default()
        },
    );
    let q = Queue::new(
        &stack,
        "Q",
        QueueProps {
            encryption: Some(QueueEncryption::Kms),
            ..Default::default()
        },
    );
    let f = Function::new(
        &stack,
        "Fn",
        FunctionProps::new(Runtime::Nodejs22X, "index.handler", Code::from_inline("x")),
    );
    bucket.add_object_created_notification(
        &SqsDestination::new(&q),
        &[NotificationKeyFilter {
            prefix: Some("a/".into()),
            suffix: Some(".png".into()),
        }],
    );
    bucket.add_object_removed_notification(&LambdaDestination::new(&f), &[]);
    bucket.add_event_notification(&EventType::ObjectTagging, &LambdaDestination::new(&f), &[]);
    bucket.enable_event_bridge_notification();
    let imported = Bucket::from_bucket_name(&stack, "Imp", "some-bucket");
    imported.add_event_notification(&EventType::ObjectCreated, &SqsDestination::new(&q), &[]);
    let t = Template::from_stack(&stack);
    dump("t3", &t);
    t.resource_count_is("AWS::Lambda::Permission", 1);
    t.resource_count_is("Custom::S3BucketNotifications", 2);
}

#[test]
fn invalid_settings_are_reported_with_aws_cdk_libs_messages() {
    let app = app();
    let stack = Stack::new(&app, "S", StackProps::default());
    let bucket = Bucket::new(
        &stack,
        "Rules",
        BucketProps {
            lifecycle_rules: vec![LifecycleRule::default()],
            ..Default::default()
        },
    );
    bucket.add_lifecycle_rule(LifecycleRule {
        expired_object_delete_marker: Some(true),
        expiration: Some(Duration::from_secs(DAY)),
        ..Default::default()
    });
    bucket.add_lifecycle_rule(LifecycleRule {
        transitions: vec![Transition {
            storage_class: StorageClass::Glacier,
            transition_after: None,
            transition_date: None,
        }],
        ..Default::default()
    });
    Bucket::new(
        &stack,
        "Public",
        BucketProps {
            public_read_access: true,
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "Blocked",
        BucketProps {
            public_read_access: true,
            block_public_access: Some(BlockPublicAccess::BLOCK_ALL),
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "Retained",
        BucketProps {
            auto_delete_objects: true,
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "Site",
        BucketProps {
            website_error_document: Some("error.html".into()),
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "Redirect",
        BucketProps {
            website_redirect: Some(RedirectTarget {
                host_name: "example.com".into(),
                protocol: None,
            }),
            website_index_document: Some("index.html".into()),
            ..Default::default()
        },
    );
    Bucket::new(
        &stack,
        "Tls",
        BucketProps {
            minimum_tls_version: Some(1.2),
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    let filtered = Bucket::new(&stack, "Filtered", BucketProps::default());
    filtered.add_event_notification(
        &EventType::ObjectCreated,
        &SnsDestination::new(&topic),
        &[
            NotificationKeyFilter::prefix("a/"),
            NotificationKeyFilter::prefix("b/"),
        ],
    );
    let a = Annotations::from_stack(&stack);
    a.has_error(
        "/S/Rules",
        Match::string_like_regexp("^All rules for `lifecycleRules` must have at least one"),
    );
    a.has_error(
        "/S/Rules",
        "ExpiredObjectDeleteMarker cannot be specified with expiration, ExpirationDate, or TagFilters.",
    );
    a.has_error(
        "/S/Rules",
        "Exactly one of transitionDate or transitionAfter must be specified in lifecycle rule transition",
    );
    a.has_error("/S/Public", "Cannot use 'publicReadAccess' property on a bucket without allowing bucket-level public access through 'blockPublicAccess' property.");
    a.has_error(
        "/S/Blocked",
        "Cannot grant public access when 'blockPublicPolicy' is enabled",
    );
    a.has_error("/S/Retained", "Cannot use 'autoDeleteObjects' property on a bucket without setting removal policy to 'DESTROY'.");
    a.has_error(
        "/S/Site",
        "\"websiteIndexDocument\" is required if \"websiteErrorDocument\" is set",
    );
    a.has_error("/S/Redirect", "\"websiteIndexDocument\", \"websiteErrorDocument\" and, \"websiteRoutingRules\" cannot be set if \"websiteRedirect\" is used");
    a.has_error(
        "/S/Tls",
        "'enforceSSL' must be enabled for 'minimumTLSVersion' to be applied",
    );
    a.has_error(
        "/S/Filtered/Notifications",
        "Cannot specify more than one prefix rule in a filter.",
    );
}

#[test]
fn the_auto_delete_provider_is_one_per_stack_and_its_code_is_a_staged_asset() {
    let work = std::env::temp_dir().join(format!("rcdk-s3-autodelete-{}", std::process::id()));
    let app = App::with_props(AppProps {
        outdir: Some(work.join("cdk.out")),
        ..Default::default()
    });
    let stack = Stack::new(&app, "S", StackProps::default());
    for id in ["A", "B"] {
        Bucket::new(
            &stack,
            id,
            BucketProps {
                removal_policy: Some(RemovalPolicy::Destroy),
                auto_delete_objects: true,
                ..Default::default()
            },
        );
    }
    let t = Template::from_stack(&stack);
    t.resource_count_is("Custom::S3AutoDeleteObjects", 2);
    t.resource_count_is("AWS::Lambda::Function", 1);
    t.has_resource_properties(
        "AWS::S3::Bucket",
        pattern!({"Tags": [{"Key": "aws-cdk:auto-delete-objects", "Value": "true"}]}),
    );
    let assembly = app.synth().unwrap();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(assembly.directory.join("S.assets.json")).unwrap(),
    )
    .unwrap();
    // One code asset besides the template, however many buckets use the provider.
    let code: Vec<_> = manifest["files"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, a)| a["source"]["packaging"] == "zip")
        .collect();
    assert_eq!(code.len(), 1, "{manifest}");
    let (hash, asset) = code[0];
    assert_eq!(
        asset["displayName"],
        "S/Custom::S3AutoDeleteObjectsCustomResourceProvider Code"
    );
    let staged = assembly.directory.join(format!("asset.{hash}"));
    let handler = std::fs::read_to_string(staged.join("index.js")).unwrap();
    assert!(handler.contains("aws-cdk:auto-delete-objects"));
    assert!(handler.contains("exports.handler"));
    t.has_resource_properties(
        "AWS::Lambda::Function",
        pattern!({"Code": {"S3Key": format!("{hash}.zip")}, "Handler": "index.handler", "Runtime": "nodejs24.x"}),
    );
    let _ = std::fs::remove_dir_all(&work);
}

#[test]
fn stack_tags_reach_the_inline_notifications_handler_as_in_aws_cdk_lib() {
    let app = app();
    let stack = Stack::new(&app, "S", StackProps::default());
    cdk_core::Tags::of(&stack).add("team", "storage");
    let bucket = Bucket::new(
        &stack,
        "Bucket",
        BucketProps {
            removal_policy: Some(RemovalPolicy::Destroy),
            auto_delete_objects: true,
            ..Default::default()
        },
    );
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    bucket.add_object_created_notification(&SnsDestination::new(&topic), &[]);
    let t = Template::from_stack(&stack);
    dump("t4", &t);
    t.has_resource_properties(
        "AWS::Lambda::Function",
        pattern!({"Handler": "index.handler", "Runtime": "python3.13", "Timeout": 300,
                  "Tags": [{"Key": "team", "Value": "storage"}]}),
    );
    t.has_resource(
        "Custom::S3BucketNotifications",
        pattern!({"DependsOn": Match::array_with([Match::string_like_regexp("^BucketNotificationsHandlerPolicy")])}),
    );
}

#[test]
fn notifications_outside_a_stack_are_an_error_not_a_panic() {
    let app = app();
    let bucket = Bucket::from_bucket_name(&app, "Loose", "loose-bucket");
    let stack = Stack::new(&app, "S", StackProps::default());
    let topic = Topic::new(&stack, "Topic", TopicProps::default());
    bucket.add_object_created_notification(&SnsDestination::new(&topic), &[]);
    let errors = app.synth().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        errors.contains("bucket notifications must be defined inside a Stack"),
        "{errors}"
    );
}
