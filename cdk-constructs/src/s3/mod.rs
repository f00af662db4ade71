//! S3: the [`IBucket`] interface, buckets with encryption, versioning, public access block,
//! TLS-only policy, grants, lifecycle rules, CORS, website hosting, event notifications and
//! `auto_delete_objects`, and imported buckets — as aws-cdk-lib's `aws-s3`.

mod cors;
mod lifecycle;
mod notifications;
mod website;

pub use cors::{CorsRule, HttpMethods};
pub use lifecycle::{
    LifecycleRule, NoncurrentVersionTransition, StorageClass, Transition,
    TransitionDefaultMinimumObjectSize,
};
pub use notifications::{
    notifications_handler_code, BucketNotificationDestinationConfig,
    BucketNotificationDestinationType, BucketNotifications, EventType,
    IBucketNotificationDestination, NotificationKeyFilter, NotificationsResourceHandler,
    NOTIFICATIONS_HANDLER_ID,
};
pub use website::{
    RedirectProtocol, RedirectTarget, ReplaceKey, RoutingRule, RoutingRuleCondition,
};

use std::cell::RefCell;
use std::rc::Rc;

use crate::Bool;
use cdk_core::feature_flags::{self, S3_PUBLIC_ACCESS_BLOCKED_BY_DEFAULT};
use cdk_core::{
    fns, ArnComponents, IConstruct, InMemoryDirectory, Node, PhysicalName, RemovalPolicy, Resource,
    ResourceEnvironment, ResourceProps, Stack, Str, Value,
};
use cfn_bucket::{
    BucketEncryptionProperty, PublicAccessBlockConfigurationProperty,
    ServerSideEncryptionByDefaultProperty, ServerSideEncryptionByDefaultSSEAlgorithm,
    ServerSideEncryptionRuleProperty, VersioningConfigurationProperty,
    VersioningConfigurationStatus,
};

use crate::custom_resource_provider::{
    with_cfn_response_module, CustomResource, CustomResourceProps, CustomResourceProvider,
    CustomResourceProviderProps, CustomResourceProviderRuntime, ProviderCode,
};
use crate::events::{EventPattern, IRuleTarget, Rule, RuleProps};
use crate::iam::{
    AddToResourcePolicyResult, AnyPrincipal, Effect, Grant, IPrincipal, IResourceWithPolicy,
    PolicyDocument, PolicyStatement,
};
use crate::iam::{ArnPrincipal, IRole};
use crate::kms::{IKey, Key, KeyProps};
use notifications::NotificationsOptions;

/// How objects are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BucketEncryption {
    /// No `BucketEncryption` property (S3 applies its default, SSE-S3).
    #[default]
    Unencrypted,
    /// SSE-S3 (`AES256`).
    S3Managed,
    /// SSE-KMS with the AWS managed key `aws/s3`.
    KmsManaged,
    /// SSE-KMS with a customer managed key (`encryption_key`, or a new `Key`).
    Kms,
}

/// Which public access S3 blocks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockPublicAccess {
    /// Reject public ACLs.
    pub block_public_acls: Option<bool>,
    /// Reject public bucket policies.
    pub block_public_policy: Option<bool>,
    /// Ignore public ACLs.
    pub ignore_public_acls: Option<bool>,
    /// Restrict access to buckets with public policies.
    pub restrict_public_buckets: Option<bool>,
}

impl BlockPublicAccess {
    /// Block everything.
    pub const BLOCK_ALL: BlockPublicAccess = BlockPublicAccess {
        block_public_acls: Some(true),
        block_public_policy: Some(true),
        ignore_public_acls: Some(true),
        restrict_public_buckets: Some(true),
    };
    /// Block public ACLs only.
    pub const BLOCK_ACLS: BlockPublicAccess = BlockPublicAccess {
        block_public_acls: Some(true),
        block_public_policy: None,
        ignore_public_acls: Some(true),
        restrict_public_buckets: None,
    };
    /// Block public ACLs and allow public policies, all four settings given (aws-cdk-lib's
    /// `BLOCK_ACLS_ONLY`: what `public_read_access` needs).
    pub const BLOCK_ACLS_ONLY: BlockPublicAccess = BlockPublicAccess {
        block_public_acls: Some(true),
        block_public_policy: Some(false),
        ignore_public_acls: Some(true),
        restrict_public_buckets: Some(false),
    };
}

/// Properties of a [`Bucket`].
#[derive(Clone, Default)]
pub struct BucketProps {
    /// Physical name (validated against S3's naming rules when literal), or
    /// [`PhysicalName::GENERATE_IF_NEEDED`].
    pub bucket_name: Option<PhysicalName>,
    /// Encryption at rest (default: S3's default; `Kms` when `encryption_key` is set).
    pub encryption: BucketEncryption,
    /// The key for `BucketEncryption::Kms` (default: a new key with rotation).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// Use an S3 bucket key to reduce KMS calls (rendered when set).
    pub bucket_key_enabled: Option<bool>,
    /// Keep object versions.
    pub versioned: bool,
    /// Block public access.
    pub block_public_access: Option<BlockPublicAccess>,
    /// Deny requests that do not use TLS (adds a bucket policy statement).
    pub enforce_ssl: bool,
    /// Deny requests with a TLS version below this (e.g. `1.2`; needs `enforce_ssl`).
    pub minimum_tls_version: Option<f64>,
    /// What happens on removal (default: retain, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
    /// Lifecycle rules (more with [`Bucket::add_lifecycle_rule`]).
    pub lifecycle_rules: Vec<LifecycleRule>,
    /// The minimum object size for transitions of the lifecycle configuration.
    pub transition_default_minimum_object_size: Option<TransitionDefaultMinimumObjectSize>,
    /// CORS rules (more with [`Bucket::add_cors_rule`]).
    pub cors: Vec<CorsRule>,
    /// Website hosting: the index document (e.g. `index.html`).
    pub website_index_document: Option<String>,
    /// Website hosting: the error document (needs `website_index_document`).
    pub website_error_document: Option<String>,
    /// Website hosting: redirect every request (excludes the other website settings).
    pub website_redirect: Option<RedirectTarget>,
    /// Website hosting: redirect rules.
    pub website_routing_rules: Vec<RoutingRule>,
    /// Let everyone read the objects (`s3:GetObject` for `*` in the bucket policy). Needs
    /// `block_public_access` set with `block_public_policy: Some(false)`, as aws-cdk-lib.
    pub public_read_access: bool,
    /// Empty the bucket when it is removed from the stack (needs `removal_policy` destroy): a
    /// `Custom::S3AutoDeleteObjects` resource and its stack-singleton provider, whose handler
    /// rcdk ships as a file asset.
    pub auto_delete_objects: bool,
    /// Send every event of the bucket to EventBridge.
    pub event_bridge_enabled: bool,
    /// The role of the notifications handler (default: a new role).
    pub notifications_handler_role: Option<Rc<dyn IRole>>,
    /// Do not let S3 validate notification destinations.
    pub notifications_skip_destination_validation: bool,
}

/// Read actions granted by [`IBucket::grant_read`].
pub const BUCKET_READ_ACTIONS: &[&str] = &["s3:GetObject*", "s3:GetBucket*", "s3:List*"];
/// Object write actions.
pub const BUCKET_PUT_ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:Abort*",
];
/// Object ACL actions.
pub const BUCKET_PUT_ACL_ACTIONS: &[&str] = &["s3:PutObjectAcl", "s3:PutObjectVersionAcl"];
/// Object delete actions.
pub const BUCKET_DELETE_ACTIONS: &[&str] = &["s3:DeleteObject*"];
/// Bucket policy actions.
pub const BUCKET_PUT_POLICY_ACTIONS: &[&str] = &["s3:PutBucketPolicy"];
/// Bucket metadata read actions.
pub const BUCKET_READ_METADATA_ACTIONS: &[&str] = &["s3:GetBucket*", "s3:List*"];
/// The resource type of the custom resource behind `auto_delete_objects`.
pub const AUTO_DELETE_OBJECTS_RESOURCE_TYPE: &str = "Custom::S3AutoDeleteObjects";
/// The tag the auto-delete handler checks before it empties a bucket.
pub const AUTO_DELETE_OBJECTS_TAG: &str = "aws-cdk:auto-delete-objects";
/// rcdk's handler of `Custom::S3AutoDeleteObjects` (Node.js), shipped as a file asset.
const AUTO_DELETE_OBJECTS_HANDLER: &str = include_str!("auto_delete_objects_handler/index.js");
/// Key actions needed to write encrypted objects (decrypt is needed for multipart uploads).
pub const KEY_WRITE_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Decrypt",
];
/// Key actions needed to read encrypted objects (aws-cdk-lib's `KEY_READ_ACTIONS`).
pub const KEY_READ_ACTIONS: &[&str] = &["kms:Decrypt", "kms:DescribeKey"];

/// Canned ACLs (aws-cdk-lib's `BucketAccessControl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketAccessControl {
    /// Owner full control, nobody else.
    Private,
    /// Everyone may read.
    PublicRead,
    /// Everyone may read and write.
    PublicReadWrite,
    /// Authenticated AWS users may read.
    AuthenticatedRead,
    /// The log delivery group may write.
    LogDeliveryWrite,
    /// The bucket owner may read.
    BucketOwnerRead,
    /// The bucket owner has full control.
    BucketOwnerFullControl,
    /// EC2 may read the object (AMI bundles).
    AwsExecRead,
}

impl BucketAccessControl {
    /// The CloudFormation value (`PublicRead`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            BucketAccessControl::Private => "Private",
            BucketAccessControl::PublicRead => "PublicRead",
            BucketAccessControl::PublicReadWrite => "PublicReadWrite",
            BucketAccessControl::AuthenticatedRead => "AuthenticatedRead",
            BucketAccessControl::LogDeliveryWrite => "LogDeliveryWrite",
            BucketAccessControl::BucketOwnerRead => "BucketOwnerRead",
            BucketAccessControl::BucketOwnerFullControl => "BucketOwnerFullControl",
            BucketAccessControl::AwsExecRead => "AwsExecRead",
        }
    }

    /// The S3 canned-ACL header value (`public-read`, ...).
    pub fn canned_acl(self) -> String {
        let mut out = String::new();
        for (i, c) in self.as_str().chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

/// Options of [`IBucket::on_cloud_trail_event`] and its variants.
#[derive(Clone, Default)]
pub struct OnCloudTrailBucketEventOptions {
    /// Object keys (or key patterns) to match (default: the whole bucket).
    pub paths: Vec<String>,
    /// Target of the rule.
    pub target: Option<Rc<dyn IRuleTarget>>,
    /// Rule name.
    pub rule_name: Option<String>,
    /// Rule description.
    pub description: Option<String>,
    /// Put the rule under this construct when it is in another stack of the same environment
    /// (a pipeline does this so the rule lives next to the pipeline).
    pub cross_stack_scope: Option<Node>,
}

/// An S3 bucket: created ([`Bucket`]) or imported ([`ImportedBucket`]).
pub trait IBucket: IConstruct + IResourceWithPolicy {
    /// The bucket's ARN.
    fn bucket_arn(&self) -> Str;
    /// The bucket's name.
    fn bucket_name(&self) -> Str;
    /// Where the bucket lives.
    fn env(&self) -> ResourceEnvironment;
    /// The encryption key, for a KMS-encrypted bucket.
    fn encryption_key(&self) -> Option<Rc<dyn IKey>>;
    /// The bucket as a resource with a policy (for grants).
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy;
    /// The bucket's notifications (the `Notifications` construct under it), created on first
    /// use.
    fn notifications(&self) -> BucketNotifications;

    /// Sends `event` on keys matching `filters` to `destination` (aws-cdk-lib's
    /// `addEventNotification`): the `Custom::S3BucketNotifications` resource of the bucket and
    /// the stack's notifications handler, created on first use.
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::s3::{Bucket, BucketProps, EventType, IBucket, NotificationKeyFilter};
    /// use cdk_constructs::s3_notifications::SnsDestination;
    /// use cdk_constructs::sns::{Topic, TopicProps};
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "Uploads", StackProps::default());
    /// let bucket = Bucket::new(&stack, "Bucket", BucketProps::default());
    /// let topic = Topic::new(&stack, "Topic", TopicProps::default());
    /// bucket.add_event_notification(
    ///     &EventType::ObjectCreatedPut,
    ///     &SnsDestination::new(&topic),
    ///     &[NotificationKeyFilter::suffix(".jpg")],
    /// );
    /// ```
    fn add_event_notification(
        &self,
        event: &EventType,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        self.notifications()
            .add_notification(event, destination, filters);
    }

    /// [`IBucket::add_event_notification`] for `s3:ObjectCreated:*`.
    fn add_object_created_notification(
        &self,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        self.add_event_notification(&EventType::ObjectCreated, destination, filters);
    }

    /// [`IBucket::add_event_notification`] for `s3:ObjectRemoved:*`.
    fn add_object_removed_notification(
        &self,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        self.add_event_notification(&EventType::ObjectRemoved, destination, filters);
    }

    /// Sends every event of the bucket to EventBridge (`EventBridgeConfiguration`).
    fn enable_event_bridge_notification(&self) {
        self.notifications().enable_event_bridge_notification();
    }

    /// The ARN of objects matching `key_pattern` (`arn/pattern`).
    fn arn_for_objects(&self, key_pattern: &str) -> Str {
        self.bucket_arn() + "/" + key_pattern
    }

    /// aws-cdk-lib's `BucketGrants.grant`: bucket actions in the principal's or the bucket's
    /// policy, key actions on the key.
    fn grant_actions(
        &self,
        grantee: &dyn IPrincipal,
        actions: &[&str],
        resources: Vec<Str>,
    ) -> Grant {
        let (key_actions, bucket_actions): (Vec<&str>, Vec<&str>) =
            actions.iter().partition(|a| a.starts_with("kms:"));
        let grant = Grant::add_to_principal_or_resource(
            grantee,
            &bucket_actions,
            resources,
            self.as_policy_resource(),
        );
        if !key_actions.is_empty() {
            if let Some(key) = self.encryption_key() {
                key.grant(grantee, &key_actions);
            }
        }
        grant
    }

    /// Read objects and list the bucket (and decrypt, when KMS-encrypted).
    fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_read_objects(grantee, "*")
    }

    /// Read the objects matching `key_pattern` and list the bucket (aws-cdk-lib's
    /// `grantRead(identity, objectsKeyPattern)`).
    fn grant_read_objects(&self, grantee: &dyn IPrincipal, key_pattern: &str) -> Grant {
        let actions: Vec<&str> = BUCKET_READ_ACTIONS
            .iter()
            .chain(KEY_READ_ACTIONS)
            .copied()
            .collect();
        self.grant_actions(
            grantee,
            &actions,
            vec![self.bucket_arn(), self.arn_for_objects(key_pattern)],
        )
    }

    /// A rule for CloudTrail-recorded API calls on this bucket (`source: aws.s3`,
    /// `detail-type: AWS API Call via CloudTrail`, `detail.resources.ARN`: the objects of
    /// `options.paths`, or the bucket). Needs a CloudTrail trail logging the bucket's data
    /// events. aws-cdk-lib's `onCloudTrailEvent`.
    fn on_cloud_trail_event(&self, id: &str, options: OnCloudTrailBucketEventOptions) -> Rule {
        let rule = Rule::new(
            self.node(),
            id,
            RuleProps {
                rule_name: options.rule_name.clone(),
                description: options.description.clone(),
                cross_stack_scope: options.cross_stack_scope.clone(),
                ..Default::default()
            },
        );
        if let Some(t) = &options.target {
            rule.add_target_rc(t.clone());
        }
        let arns: Vec<Value> = if options.paths.is_empty() {
            vec![self.bucket_arn().into_value()]
        } else {
            options
                .paths
                .iter()
                .map(|p| self.arn_for_objects(p).into_value())
                .collect()
        };
        rule.add_event_pattern(&EventPattern {
            source: vec!["aws.s3".into()],
            detail_type: vec!["AWS API Call via CloudTrail".into()],
            detail: Some(Value::object([(
                "resources",
                Value::object([("ARN", Value::List(arns))]),
            )])),
            ..Default::default()
        });
        rule
    }

    /// [`IBucket::on_cloud_trail_event`] for `PutObject` calls only.
    fn on_cloud_trail_put_object(&self, id: &str, options: OnCloudTrailBucketEventOptions) -> Rule {
        let rule = self.on_cloud_trail_event(id, options);
        rule.add_event_pattern(&EventPattern {
            detail: Some(Value::object([(
                "eventName",
                Value::List(vec!["PutObject".into()]),
            )])),
            ..Default::default()
        });
        rule
    }

    /// [`IBucket::on_cloud_trail_event`] for calls that write an object
    /// (`CompleteMultipartUpload`, `CopyObject`, `PutObject`) under this bucket's name and
    /// the keys of `options.paths` — what an S3 source action triggers on.
    fn on_cloud_trail_write_object(
        &self,
        id: &str,
        options: OnCloudTrailBucketEventOptions,
    ) -> Rule {
        let paths = options.paths.clone();
        let rule = self.on_cloud_trail_event(id, options);
        let mut request = vec![(
            "bucketName",
            Value::List(vec![self.bucket_name().into_value()]),
        )];
        if !paths.is_empty() {
            request.push((
                "key",
                Value::List(paths.iter().map(|p| Value::from(p.as_str())).collect()),
            ));
        }
        rule.add_event_pattern(&EventPattern {
            detail: Some(Value::object([
                (
                    "eventName",
                    Value::List(vec![
                        "CompleteMultipartUpload".into(),
                        "CopyObject".into(),
                        "PutObject".into(),
                    ]),
                ),
                ("requestParameters", Value::object(request)),
            ])),
            ..Default::default()
        });
        rule
    }

    /// Put objects (and encrypt, when KMS-encrypted).
    fn grant_put(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = BUCKET_PUT_ACTIONS
            .iter()
            .chain(KEY_WRITE_ACTIONS)
            .copied()
            .collect();
        self.grant_actions(grantee, &actions, vec![self.arn_for_objects("*")])
    }

    /// Set object ACLs.
    fn grant_put_acl(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_actions(
            grantee,
            BUCKET_PUT_ACL_ACTIONS,
            vec![self.arn_for_objects("*")],
        )
    }

    /// Delete objects.
    fn grant_delete(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_actions(
            grantee,
            BUCKET_DELETE_ACTIONS,
            vec![self.arn_for_objects("*")],
        )
    }

    /// Put and delete objects.
    fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = BUCKET_DELETE_ACTIONS
            .iter()
            .chain(BUCKET_PUT_ACTIONS)
            .chain(KEY_WRITE_ACTIONS)
            .copied()
            .collect();
        self.grant_actions(
            grantee,
            &actions,
            vec![self.bucket_arn(), self.arn_for_objects("*")],
        )
    }

    /// Read, put and delete objects.
    fn grant_read_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let mut key_actions: Vec<&str> = Vec::new();
        for a in KEY_READ_ACTIONS.iter().chain(KEY_WRITE_ACTIONS) {
            if !key_actions.contains(a) {
                key_actions.push(a);
            }
        }
        let actions: Vec<&str> = BUCKET_READ_ACTIONS
            .iter()
            .chain(BUCKET_DELETE_ACTIONS)
            .chain(BUCKET_PUT_ACTIONS)
            .copied()
            .chain(key_actions)
            .collect();
        self.grant_actions(
            grantee,
            &actions,
            vec![self.bucket_arn(), self.arn_for_objects("*")],
        )
    }
}

/// Problems with a literal bucket name, by S3's naming rules.
pub fn bucket_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if !(3..=63).contains(&name.len()) {
        errors.push(format!(
            "bucket name '{name}' must be between 3 and 63 characters long (got {})",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        errors.push(format!("bucket name '{name}' must only contain lowercase letters, digits, periods and hyphens (found '{c}')"));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        errors.push(format!(
            "bucket name '{name}' must start and end with a lowercase letter or digit"
        ));
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        errors.push(format!(
            "bucket name '{name}' must not contain '..', '.-' or '-.'"
        ));
    }
    // Reserved by S3 (general purpose bucket naming rules).
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            errors.push(format!(
                "bucket name '{name}' must not start with '{prefix}' (reserved by S3)"
            ));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            errors.push(format!(
                "bucket name '{name}' must not end with '{suffix}' (reserved by S3)"
            ));
        }
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        errors.push(format!(
            "bucket name '{name}' must not look like an IP address"
        ));
    }
    errors
}

/// An S3 bucket.
///
/// ```
/// use cdk_core::{App, RemovalPolicy, Stack, StackProps};
/// use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
/// use cdk_constructs::s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Storage", StackProps::default());
/// let bucket = Bucket::new(&stack, "Data", BucketProps {
///     encryption: BucketEncryption::S3Managed,
///     versioned: true,
///     block_public_access: Some(BlockPublicAccess::BLOCK_ALL),
///     enforce_ssl: true,
///     removal_policy: Some(RemovalPolicy::Destroy),
///     ..Default::default()
/// });
/// let reader = Role::new(&stack, "Reader", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
/// bucket.grant_read(&reader); // s3:GetObject*, s3:GetBucket*, s3:List* in the role's DefaultPolicy
/// ```
#[derive(Clone)]
pub struct Bucket {
    base: Resource,
    resource: CfnBucket,
    encryption_key: Option<Rc<dyn IKey>>,
    policy: Rc<RefCell<Option<BucketPolicy>>>,
    arn: Str,
    name: Str,
    lifecycle_rules: Rc<RefCell<Vec<LifecycleRule>>>,
    cors_rules: Rc<RefCell<Vec<CorsRule>>>,
    notifications: Rc<RefCell<Option<BucketNotifications>>>,
    notifications_options: NotificationsOptions,
    disallow_public_access: bool,
    is_website: bool,
}

impl IConstruct for Bucket {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Bucket {
    /// Defines a bucket `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: BucketProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.s3.Bucket",
            ResourceProps {
                physical_name: props.bucket_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        if let Some(PhysicalName::Given(name)) = &props.bucket_name {
            if let Some(name) = name.literal() {
                for e in bucket_name_errors(name) {
                    node.add_error(&e);
                }
            }
        }
        let encryption = if props.encryption_key.is_some()
            && props.encryption == BucketEncryption::Unencrypted
        {
            BucketEncryption::Kms
        } else {
            props.encryption.clone()
        };
        if props.encryption_key.is_some() && encryption != BucketEncryption::Kms {
            node.add_error(&format!(
                "encryptionKey is specified, so 'encryption' must be set to KMS or DSSE (value: {encryption:?})"
            ));
        }
        if props.bucket_key_enabled.is_some() && encryption == BucketEncryption::Unencrypted {
            node.add_error("bucketKeyEnabled is specified, so 'encryption' must be set to KMS, DSSE or S3 (value: UNENCRYPTED)");
        }
        let encryption_key: Option<Rc<dyn IKey>> = match (&encryption, props.encryption_key) {
            (BucketEncryption::Kms, Some(key)) => Some(key),
            (BucketEncryption::Kms, None) => Some(Rc::new(Key::new(
                &node,
                "Key",
                KeyProps {
                    description: Some(format!("Created by {}", node.path())),
                    enable_key_rotation: Some(true),
                    ..Default::default()
                },
            ))),
            _ => None,
        };
        let by_default = |algorithm, key: Option<Str>| BucketEncryptionProperty {
            server_side_encryption_configuration: vec![ServerSideEncryptionRuleProperty {
                bucket_key_enabled: props.bucket_key_enabled.map(Bool::from),
                server_side_encryption_by_default: Some(ServerSideEncryptionByDefaultProperty {
                    kms_master_key_id: key,
                    sse_algorithm: algorithm,
                }),
                blocked_encryption_types: None,
            }],
        };
        let bucket_encryption = match &encryption {
            BucketEncryption::Unencrypted => None,
            BucketEncryption::S3Managed => Some(by_default(
                ServerSideEncryptionByDefaultSSEAlgorithm::Aes256,
                None,
            )),
            BucketEncryption::KmsManaged => Some(by_default(
                ServerSideEncryptionByDefaultSSEAlgorithm::AwsKms,
                None,
            )),
            BucketEncryption::Kms => Some(by_default(
                ServerSideEncryptionByDefaultSSEAlgorithm::AwsKms,
                encryption_key.as_ref().map(|k| k.key_arn()),
            )),
        };
        let block = props.block_public_access.map(|b| {
            // With the flag, options left unset are blocked too.
            let fill = feature_flags::is_enabled(&node, S3_PUBLIC_ACCESS_BLOCKED_BY_DEFAULT);
            let v = |o: Option<bool>| o.or(fill.then_some(true)).map(Bool::from);
            PublicAccessBlockConfigurationProperty {
                block_public_acls: v(b.block_public_acls),
                block_public_policy: v(b.block_public_policy),
                ignore_public_acls: v(b.ignore_public_acls),
                restrict_public_buckets: v(b.restrict_public_buckets),
            }
        });
        let resource = CfnBucket::new(
            &base,
            "Resource",
            CfnBucketProps {
                bucket_name: base.physical_name(),
                bucket_encryption,
                versioning_configuration: props.versioned.then_some(
                    VersioningConfigurationProperty {
                        status: VersioningConfigurationStatus::Enabled,
                    },
                ),
                public_access_block_configuration: block.clone(),
                ..Default::default()
            },
        );
        let removal_policy = props.removal_policy.unwrap_or(RemovalPolicy::Retain);
        resource.resource().apply_removal_policy(removal_policy);

        let lifecycle_rules: Rc<RefCell<Vec<LifecycleRule>>> = Rc::default();
        {
            let rules = lifecycle_rules.clone();
            let minimum = props.transition_default_minimum_object_size;
            resource.resource().set_property(
                "LifecycleConfiguration",
                Value::lazy(move || {
                    let rules = rules.borrow();
                    if rules.is_empty() {
                        return Value::Null;
                    }
                    // Errors were reported when the rules were added.
                    let mut ignored = Vec::new();
                    let list = rules.iter().map(|r| r.render(&mut ignored)).collect();
                    let mut out: Vec<(&str, Value)> = vec![("Rules", Value::List(list))];
                    if let Some(m) = minimum {
                        out.push(("TransitionDefaultMinimumObjectSize", m.as_str().into()));
                    }
                    Value::object(out)
                }),
            );
        }
        let cors_rules: Rc<RefCell<Vec<CorsRule>>> = Rc::default();
        {
            let rules = cors_rules.clone();
            resource.resource().set_property(
                "CorsConfiguration",
                Value::lazy(move || {
                    let rules = rules.borrow();
                    if rules.is_empty() {
                        return Value::Null;
                    }
                    Value::object([(
                        "CorsRules",
                        Value::List(rules.iter().map(CorsRule::render).collect()),
                    )])
                }),
            );
        }
        let website = website::render_website_configuration(
            props.website_index_document.as_deref(),
            props.website_error_document.as_deref(),
            props.website_redirect.as_ref(),
            &props.website_routing_rules,
        );
        let is_website = match website {
            Ok(Some(config)) => {
                resource
                    .resource()
                    .set_property("WebsiteConfiguration", config);
                true
            }
            Ok(None) => false,
            Err(e) => {
                node.add_error(&e);
                false
            }
        };
        let disallow_public_access = block
            .as_ref()
            .and_then(|b| b.block_public_policy.as_ref())
            .and_then(|b| b.literal())
            .unwrap_or(false);
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("s3", base.physical_name().unwrap_or_default())
                .with_region("")
                .with_account(""),
        );
        let name = base.name_attribute(resource.ref_());
        let bucket = Bucket {
            base,
            resource,
            encryption_key,
            policy: Rc::default(),
            arn,
            name,
            lifecycle_rules,
            cors_rules,
            notifications: Rc::default(),
            notifications_options: NotificationsOptions {
                handler_role: props.notifications_handler_role.clone(),
                skip_destination_validation: props.notifications_skip_destination_validation,
                managed: true,
                bucket_policy: None,
            },
            disallow_public_access,
            is_website,
        };
        if props.enforce_ssl {
            bucket.add_to_resource_policy(
                PolicyStatement::new()
                    .effect(Effect::Deny)
                    .action("s3:*")
                    .condition("Bool", "aws:SecureTransport", "false")
                    .principal(&AnyPrincipal)
                    .resources([bucket.bucket_arn(), bucket.arn_for_objects("*")]),
            );
            if let Some(v) = props.minimum_tls_version {
                bucket.add_to_resource_policy(
                    PolicyStatement::new()
                        .effect(Effect::Deny)
                        .action("s3:*")
                        .condition("NumericLessThan", "s3:TlsVersion", v)
                        .principal(&AnyPrincipal)
                        .resources([bucket.bucket_arn(), bucket.arn_for_objects("*")]),
                );
            }
        } else if props.minimum_tls_version.is_some() {
            node.add_error("'enforceSSL' must be enabled for 'minimumTLSVersion' to be applied");
        }
        for rule in &props.cors {
            bucket.add_cors_rule(rule.clone());
        }
        for rule in &props.lifecycle_rules {
            bucket.add_lifecycle_rule(rule.clone());
        }
        if props.public_read_access {
            if props.block_public_access.is_none() {
                node.add_error("Cannot use 'publicReadAccess' property on a bucket without allowing bucket-level public access through 'blockPublicAccess' property.");
            } else {
                bucket.grant_public_access("*", &[]);
            }
        }
        if props.auto_delete_objects {
            if removal_policy != RemovalPolicy::Destroy {
                node.add_error("Cannot use 'autoDeleteObjects' property on a bucket without setting removal policy to 'DESTROY'.");
            } else {
                bucket.enable_auto_delete_objects();
            }
        }
        if props.event_bridge_enabled {
            bucket.enable_event_bridge_notification();
        }
        bucket
    }

    /// Adds a lifecycle rule (aws-cdk-lib's `addLifecycleRule`); its validation errors are
    /// reported against the bucket at synth.
    pub fn add_lifecycle_rule(&self, rule: LifecycleRule) {
        for e in rule.validate() {
            self.node().add_error(&e);
        }
        self.lifecycle_rules.borrow_mut().push(rule);
    }

    /// Adds a CORS rule (aws-cdk-lib's `addCorsRule`).
    pub fn add_cors_rule(&self, rule: CorsRule) {
        self.cors_rules.borrow_mut().push(rule);
    }

    /// Sends `event` on keys matching `filters` to `destination` (see
    /// [`IBucket::add_event_notification`]).
    pub fn add_event_notification(
        &self,
        event: &EventType,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        IBucket::add_event_notification(self, event, destination, filters);
    }

    /// [`Bucket::add_event_notification`] for `s3:ObjectCreated:*`.
    pub fn add_object_created_notification(
        &self,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        IBucket::add_object_created_notification(self, destination, filters);
    }

    /// [`Bucket::add_event_notification`] for `s3:ObjectRemoved:*`.
    pub fn add_object_removed_notification(
        &self,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        IBucket::add_object_removed_notification(self, destination, filters);
    }

    /// Sends every event of the bucket to EventBridge (`EventBridgeConfiguration`).
    pub fn enable_event_bridge_notification(&self) {
        IBucket::enable_event_bridge_notification(self);
    }

    /// Lets anyone perform `actions` (default `s3:GetObject`) on the objects matching
    /// `key_prefix` (aws-cdk-lib's `grantPublicAccess`): a bucket policy statement for `*`.
    /// An error when the bucket blocks public policies.
    pub fn grant_public_access(&self, key_prefix: &str, actions: &[&str]) -> Grant {
        if self.disallow_public_access {
            self.node()
                .add_error("Cannot grant public access when 'blockPublicPolicy' is enabled");
        }
        let actions: &[&str] = if actions.is_empty() {
            &["s3:GetObject"]
        } else {
            actions
        };
        self.grant_actions(
            &AnyPrincipal,
            actions,
            vec![self.arn_for_objects(key_prefix)],
        )
    }

    /// True when website hosting is configured.
    pub fn is_website(&self) -> bool {
        self.is_website
    }

    /// The website endpoint URL (`Fn::GetAtt WebsiteURL`, `http://<bucket>.s3-website…`).
    pub fn bucket_website_url(&self) -> Str {
        self.resource.resource().get_att("WebsiteURL")
    }

    /// The website endpoint's domain name (the host part of [`Bucket::bucket_website_url`]).
    pub fn bucket_website_domain_name(&self) -> Str {
        fns::select(2, fns::split("/", self.bucket_website_url()))
    }

    /// The bucket's domain name (`Fn::GetAtt DomainName`, `<bucket>.s3.amazonaws.com`).
    pub fn bucket_domain_name(&self) -> Str {
        self.resource.resource().get_att("DomainName")
    }

    /// The bucket's regional domain name (`Fn::GetAtt RegionalDomainName`).
    pub fn bucket_regional_domain_name(&self) -> Str {
        self.resource.resource().get_att("RegionalDomainName")
    }

    /// The bucket's dual-stack domain name (`Fn::GetAtt DualStackDomainName`).
    pub fn bucket_dual_stack_domain_name(&self) -> Str {
        self.resource.resource().get_att("DualStackDomainName")
    }

    /// aws-cdk-lib's `BucketAutoDeleteObjects`: the stack's `Custom::S3AutoDeleteObjects`
    /// provider, a bucket policy statement for its role, the custom resource
    /// `AutoDeleteObjectsCustomResource` (after the policy) and the tag
    /// `aws-cdk:auto-delete-objects=true` that the handler checks before emptying the bucket.
    fn enable_auto_delete_objects(&self) {
        let provider = CustomResourceProvider::get_or_create_provider(
            self,
            AUTO_DELETE_OBJECTS_RESOURCE_TYPE,
            CustomResourceProviderProps {
                description: Some(
                    Str::from("Lambda function for auto-deleting objects in ")
                        + self.bucket_name()
                        + " S3 bucket.",
                ),
                use_cfn_response_wrapper: false,
                ..CustomResourceProviderProps::new(
                    ProviderCode::InMemory(with_cfn_response_module(
                        InMemoryDirectory::new().with_file("index.js", AUTO_DELETE_OBJECTS_HANDLER),
                    )),
                    CustomResourceProviderRuntime::Nodejs24x,
                )
            },
        );
        let actions: Vec<&str> = BUCKET_PUT_POLICY_ACTIONS
            .iter()
            .chain(BUCKET_READ_METADATA_ACTIONS)
            .chain(BUCKET_DELETE_ACTIONS)
            .copied()
            .collect();
        let result = self.add_to_resource_policy(
            PolicyStatement::new()
                .actions(actions)
                .resources([self.bucket_arn(), self.arn_for_objects("*")])
                .principal(&ArnPrincipal::new(provider.role_arn())),
        );
        let custom = CustomResource::new(
            self,
            "AutoDeleteObjectsCustomResource",
            CustomResourceProps {
                resource_type: Some(AUTO_DELETE_OBJECTS_RESOURCE_TYPE.into()),
                properties: vec![("BucketName".into(), self.bucket_name().into_value())],
                ..CustomResourceProps::new(provider.service_token())
            },
        );
        if let Some(policy) = result.policy_dependable {
            custom.node().add_dependency(&policy);
        }
        cdk_core::Tags::of(self.resource.resource()).add(AUTO_DELETE_OBJECTS_TAG, "true");
    }

    /// An existing bucket by name (its ARN is formatted from it).
    pub fn from_bucket_name(
        scope: &impl IConstruct,
        id: &str,
        name: impl Into<Str>,
    ) -> ImportedBucket {
        Self::from_bucket_attributes(
            scope,
            id,
            BucketAttributes {
                bucket_name: Some(name.into()),
                ..Default::default()
            },
        )
    }

    /// An existing bucket by ARN (its name is parsed from it).
    pub fn from_bucket_arn(
        scope: &impl IConstruct,
        id: &str,
        arn: impl Into<Str>,
    ) -> ImportedBucket {
        Self::from_bucket_attributes(
            scope,
            id,
            BucketAttributes {
                bucket_arn: Some(arn.into()),
                ..Default::default()
            },
        )
    }

    /// An existing bucket from its attributes (aws-cdk-lib's `fromBucketAttributes`).
    pub fn from_bucket_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: BucketAttributes,
    ) -> ImportedBucket {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.s3.ImportedBucket",
            ResourceProps {
                account: attrs.account.clone(),
                region: attrs.region.clone(),
                ..Default::default()
            },
        );
        let stack = Stack::of(&base);
        let name = match (&attrs.bucket_name, &attrs.bucket_arn) {
            (Some(n), _) => Some(n.clone()),
            (None, Some(arn)) => Some(match arn.literal() {
                Some(a) => Str::from(
                    a.rsplit(':')
                        .next()
                        .unwrap_or(a)
                        .split('/')
                        .next()
                        .unwrap_or(""),
                ),
                None => fns::select(
                    0,
                    fns::split("/", fns::select(5, fns::split(":", arn.clone()))),
                ),
            }),
            (None, None) => None,
        };
        if name.is_none() {
            base.node().add_error("Bucket name is required");
        }
        let name = name.unwrap_or_default();
        if let Some(n) = name.literal() {
            for e in bucket_name_errors(n) {
                base.node().add_error(&e);
            }
        }
        let arn = attrs.bucket_arn.clone().unwrap_or_else(|| match &stack {
            Some(s) => s.format_arn(
                ArnComponents::new("s3", name.clone())
                    .with_region("")
                    .with_account(""),
            ),
            None => Str::from("arn:aws:s3:::") + name.clone(),
        });
        ImportedBucket {
            base,
            arn,
            name,
            encryption_key: attrs.encryption_key,
            notifications: Rc::default(),
            notifications_handler_role: attrs.notifications_handler_role,
        }
    }

    /// The bucket's name (`Ref` here; the physical name from another account or region).
    pub fn bucket_name(&self) -> Str {
        self.name.clone()
    }

    /// The bucket's ARN.
    pub fn bucket_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The ARN of objects matching `key_pattern` (`arn/pattern`).
    pub fn arn_for_objects(&self, key_pattern: &str) -> Str {
        IBucket::arn_for_objects(self, key_pattern)
    }

    /// The encryption key, for `BucketEncryption::Kms`.
    pub fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.encryption_key.clone()
    }

    /// The bucket policy, once a statement was added.
    pub fn policy(&self) -> Option<BucketPolicy> {
        self.policy.borrow().clone()
    }

    /// Adds a statement to the bucket policy (creating it on first use).
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        IResourceWithPolicy::add_to_resource_policy(self, statement)
    }

    /// Read objects and list the bucket (and decrypt, when KMS-encrypted).
    pub fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        IBucket::grant_read(self, grantee)
    }

    /// Put objects (and encrypt, when KMS-encrypted).
    pub fn grant_put(&self, grantee: &dyn IPrincipal) -> Grant {
        IBucket::grant_put(self, grantee)
    }

    /// Put and delete objects.
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        IBucket::grant_write(self, grantee)
    }

    /// Read, put and delete objects.
    pub fn grant_read_write(&self, grantee: &dyn IPrincipal) -> Grant {
        IBucket::grant_read_write(self, grantee)
    }

    /// Delete objects.
    pub fn grant_delete(&self, grantee: &dyn IPrincipal) -> Grant {
        IBucket::grant_delete(self, grantee)
    }

    /// Applies `policy` to the bucket resource.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.base.apply_removal_policy(policy);
    }

    /// The underlying `AWS::S3::Bucket`.
    pub fn cfn(&self) -> &CfnBucket {
        &self.resource
    }
}

impl IResourceWithPolicy for Bucket {
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        let existing = self.policy.borrow().clone();
        let policy = match existing {
            Some(p) => p,
            None => {
                let p = BucketPolicy::new(
                    self.node(),
                    "Policy",
                    BucketPolicyProps {
                        bucket: Rc::new(self.clone()),
                        removal_policy: None,
                    },
                );
                *self.policy.borrow_mut() = Some(p.clone());
                // aws-cdk-lib's aspect: the notifications resource waits for the bucket policy.
                if let Some(r) = self
                    .notifications
                    .borrow()
                    .as_ref()
                    .and_then(|n| n.resource())
                {
                    r.node().add_dependency(&p);
                }
                p
            }
        };
        policy.document.add_statements([statement]);
        AddToResourcePolicyResult {
            statement_added: true,
            policy_dependable: Some(policy.node().clone()),
        }
    }

    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl IBucket for Bucket {
    fn notifications(&self) -> BucketNotifications {
        BucketNotifications::of(self, &self.notifications, || NotificationsOptions {
            bucket_policy: Some(self.policy.clone()),
            ..self.notifications_options.clone()
        })
    }
    fn bucket_arn(&self) -> Str {
        self.arn.clone()
    }
    fn bucket_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.encryption_key.clone()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

/// Attributes of an existing bucket ([`Bucket::from_bucket_attributes`]).
#[derive(Clone, Default)]
pub struct BucketAttributes {
    /// The bucket's name (or give the ARN).
    pub bucket_name: Option<Str>,
    /// The bucket's ARN (default: formatted from the name).
    pub bucket_arn: Option<Str>,
    /// The account it lives in (default: the stack's).
    pub account: Option<Str>,
    /// The region it lives in (default: the stack's).
    pub region: Option<Str>,
    /// Its encryption key.
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// The role of the notifications handler (default: a new role).
    pub notifications_handler_role: Option<Rc<dyn IRole>>,
}

/// A bucket defined outside this app. It has no policy this app can change: grants go to the
/// grantee's policy.
#[derive(Clone)]
pub struct ImportedBucket {
    base: Resource,
    arn: Str,
    name: Str,
    encryption_key: Option<Rc<dyn IKey>>,
    notifications: Rc<RefCell<Option<BucketNotifications>>>,
    notifications_handler_role: Option<Rc<dyn IRole>>,
}

impl IConstruct for ImportedBucket {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IResourceWithPolicy for ImportedBucket {
    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        AddToResourcePolicyResult::default()
    }
    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl IBucket for ImportedBucket {
    fn notifications(&self) -> BucketNotifications {
        BucketNotifications::of(self, &self.notifications, || NotificationsOptions {
            handler_role: self.notifications_handler_role.clone(),
            skip_destination_validation: false,
            managed: false,
            bucket_policy: None,
        })
    }
    fn bucket_arn(&self) -> Str {
        self.arn.clone()
    }
    fn bucket_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn encryption_key(&self) -> Option<Rc<dyn IKey>> {
        self.encryption_key.clone()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

/// Properties of a [`BucketPolicy`].
#[derive(Clone)]
pub struct BucketPolicyProps {
    /// The bucket.
    pub bucket: Rc<dyn IBucket>,
    /// Removal policy of the bucket policy.
    pub removal_policy: Option<RemovalPolicy>,
}

/// The policy of a bucket (`AWS::S3::BucketPolicy`).
#[derive(Clone)]
pub struct BucketPolicy {
    node: Node,
    document: PolicyDocument,
    resource: CfnBucketPolicy,
}

impl IConstruct for BucketPolicy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl BucketPolicy {
    /// A policy for `props.bucket`.
    pub fn new(scope: &impl IConstruct, id: &str, props: BucketPolicyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.s3.BucketPolicy");
        let document = PolicyDocument::new();
        let resource = CfnBucketPolicy::new(
            &node,
            "Resource",
            CfnBucketPolicyProps {
                bucket: props.bucket.bucket_name(),
                policy_document: document.to_value(),
            },
        );
        if let Some(p) = props.removal_policy {
            resource.resource().apply_removal_policy(p);
        }
        let doc = document.clone();
        node.add_validation(move || doc.validate_for_resource_policy());
        BucketPolicy {
            node,
            document,
            resource,
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The underlying `AWS::S3::BucketPolicy`.
    pub fn cfn(&self) -> &CfnBucketPolicy {
        &self.resource
    }
}

impl From<Bucket> for Rc<dyn IBucket> {
    fn from(b: Bucket) -> Self {
        Rc::new(b)
    }
}

impl From<&Bucket> for Rc<dyn IBucket> {
    fn from(b: &Bucket) -> Self {
        Rc::new(b.clone())
    }
}

impl From<ImportedBucket> for Rc<dyn IBucket> {
    fn from(b: ImportedBucket) -> Self {
        Rc::new(b)
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::s3::*;
