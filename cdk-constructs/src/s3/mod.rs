//! S3: buckets with encryption, versioning, public access block, TLS-only policy and grants.

use std::cell::RefCell;
use std::rc::Rc;

use crate::Bool;
use cdk_core::{IConstruct, Node, RemovalPolicy, Stack, Str};
use cfn_bucket::{
    BucketEncryptionProperty, PublicAccessBlockConfigurationProperty,
    ServerSideEncryptionByDefaultProperty, ServerSideEncryptionByDefaultSSEAlgorithm,
    ServerSideEncryptionRuleProperty, VersioningConfigurationProperty,
    VersioningConfigurationStatus,
};

use crate::iam::{
    AnyPrincipal, Effect, Grant, IPrincipal, IResourceWithPolicy, PolicyDocument, PolicyStatement,
};
use crate::kms::{Key, KeyProps};

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
    /// SSE-KMS with a customer managed key (`encryption_key`, or one created as `Key`).
    Kms,
}

/// Which public access S3 blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockPublicAccess {
    /// Reject public ACLs.
    pub block_public_acls: bool,
    /// Reject public bucket policies.
    pub block_public_policy: bool,
    /// Ignore public ACLs.
    pub ignore_public_acls: bool,
    /// Restrict access to buckets with public policies.
    pub restrict_public_buckets: bool,
}

impl BlockPublicAccess {
    /// Block everything.
    pub const BLOCK_ALL: BlockPublicAccess = BlockPublicAccess {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
    };
}

/// Properties of a [`Bucket`].
#[derive(Clone, Default)]
pub struct BucketProps {
    /// Physical name (validated against S3's naming rules when literal).
    pub bucket_name: Option<Str>,
    /// Encryption at rest (default: S3's default; `Kms` when `encryption_key` is set).
    pub encryption: BucketEncryption,
    /// The key for `BucketEncryption::Kms`.
    pub encryption_key: Option<Key>,
    /// Use an S3 bucket key to reduce KMS calls.
    pub bucket_key_enabled: bool,
    /// Keep object versions.
    pub versioned: bool,
    /// Block public access.
    pub block_public_access: Option<BlockPublicAccess>,
    /// Deny requests that do not use TLS (adds a bucket policy statement).
    pub enforce_ssl: bool,
    /// What happens on removal (default: retain, as aws-cdk-lib).
    pub removal_policy: Option<RemovalPolicy>,
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
    node: Node,
    resource: CfnBucket,
    encryption_key: Option<Key>,
    policy: Rc<RefCell<Option<BucketPolicy>>>,
}

impl IConstruct for Bucket {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// Read actions granted by [`Bucket::grant_read`].
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
/// Object delete actions.
pub const BUCKET_DELETE_ACTIONS: &[&str] = &["s3:DeleteObject*"];
/// Key actions needed to write encrypted objects (decrypt is needed for multipart uploads).
pub const KEY_WRITE_ACTIONS: &[&str] = &[
    "kms:Encrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Decrypt",
];
/// Key actions needed to read encrypted objects.
pub const KEY_READ_ACTIONS: &[&str] = &["kms:Decrypt"];

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

impl Bucket {
    /// Defines a bucket `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: BucketProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.s3.Bucket");
        if let Some(name) = props.bucket_name.as_ref().and_then(Str::literal) {
            for e in bucket_name_errors(name) {
                node.add_error(&e);
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
            node.add_error("encryption_key is only used with BucketEncryption::Kms");
        }
        let encryption_key = match (&encryption, props.encryption_key) {
            (BucketEncryption::Kms, Some(key)) => Some(key),
            (BucketEncryption::Kms, None) => Some(Key::new(
                &node,
                "Key",
                KeyProps {
                    description: Some(format!("Created by {}", node.path())),
                    ..Default::default()
                },
            )),
            _ => None,
        };
        let by_default = |algorithm, key: Option<Str>| BucketEncryptionProperty {
            server_side_encryption_configuration: vec![ServerSideEncryptionRuleProperty {
                bucket_key_enabled: props.bucket_key_enabled.then(|| Bool::from(true)),
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
                encryption_key.as_ref().map(Key::key_arn),
            )),
        };
        let resource = CfnBucket::new(
            &node,
            "Resource",
            CfnBucketProps {
                bucket_name: props.bucket_name,
                bucket_encryption,
                versioning_configuration: props.versioned.then_some(
                    VersioningConfigurationProperty {
                        status: VersioningConfigurationStatus::Enabled,
                    },
                ),
                public_access_block_configuration: props.block_public_access.map(|b| {
                    PublicAccessBlockConfigurationProperty {
                        block_public_acls: Some(b.block_public_acls.into()),
                        block_public_policy: Some(b.block_public_policy.into()),
                        ignore_public_acls: Some(b.ignore_public_acls.into()),
                        restrict_public_buckets: Some(b.restrict_public_buckets.into()),
                    }
                }),
                ..Default::default()
            },
        );
        resource
            .resource()
            .apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let bucket = Bucket {
            node,
            resource,
            encryption_key,
            policy: Rc::default(),
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
        }
        bucket
    }

    /// The bucket's name (`Ref`).
    pub fn bucket_name(&self) -> Str {
        self.resource.ref_()
    }

    /// The bucket's ARN.
    pub fn bucket_arn(&self) -> Str {
        self.resource.attr_arn()
    }

    /// The ARN of objects matching `key_pattern` (`arn/pattern`).
    pub fn arn_for_objects(&self, key_pattern: &str) -> Str {
        self.bucket_arn() + "/" + key_pattern
    }

    /// The encryption key, for `BucketEncryption::Kms`.
    pub fn encryption_key(&self) -> Option<&Key> {
        self.encryption_key.as_ref()
    }

    /// The bucket policy, once a statement was added.
    pub fn policy(&self) -> Option<BucketPolicy> {
        self.policy.borrow().clone()
    }

    fn grant(
        &self,
        grantee: &dyn IPrincipal,
        bucket_actions: &[&str],
        key_actions: &[&str],
        arns: Vec<Str>,
    ) -> Grant {
        let grant = Grant::add_to_principal_or_resource(grantee, bucket_actions, arns, self);
        if let Some(key) = &self.encryption_key {
            key.grant(grantee, key_actions);
        }
        grant
    }

    /// Read objects and list the bucket (and decrypt, when KMS-encrypted).
    pub fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(
            grantee,
            BUCKET_READ_ACTIONS,
            KEY_READ_ACTIONS,
            vec![self.bucket_arn(), self.arn_for_objects("*")],
        )
    }

    /// Put objects (and encrypt, when KMS-encrypted).
    pub fn grant_put(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(
            grantee,
            BUCKET_PUT_ACTIONS,
            KEY_WRITE_ACTIONS,
            vec![self.arn_for_objects("*")],
        )
    }

    /// Put and delete objects.
    pub fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = BUCKET_DELETE_ACTIONS
            .iter()
            .chain(BUCKET_PUT_ACTIONS)
            .copied()
            .collect();
        self.grant(
            grantee,
            &actions,
            KEY_WRITE_ACTIONS,
            vec![self.bucket_arn(), self.arn_for_objects("*")],
        )
    }

    /// Read, put and delete objects.
    pub fn grant_read_write(&self, grantee: &dyn IPrincipal) -> Grant {
        let actions: Vec<&str> = BUCKET_READ_ACTIONS
            .iter()
            .chain(BUCKET_DELETE_ACTIONS)
            .chain(BUCKET_PUT_ACTIONS)
            .copied()
            .collect();
        let key_actions: Vec<&str> = KEY_READ_ACTIONS
            .iter()
            .chain(KEY_WRITE_ACTIONS)
            .copied()
            .collect::<Vec<_>>();
        let mut deduped: Vec<&str> = Vec::new();
        for a in key_actions {
            if !deduped.contains(&a) {
                deduped.push(a);
            }
        }
        self.grant(
            grantee,
            &actions,
            &deduped,
            vec![self.bucket_arn(), self.arn_for_objects("*")],
        )
    }

    /// The underlying `AWS::S3::Bucket`.
    pub fn cfn(&self) -> &CfnBucket {
        &self.resource
    }
}

impl IResourceWithPolicy for Bucket {
    fn add_to_resource_policy(&self, statement: PolicyStatement) {
        let existing = self.policy.borrow().clone();
        let policy = match existing {
            Some(p) => p,
            None => {
                let p = BucketPolicy::new(&self.node, "Policy", self);
                *self.policy.borrow_mut() = Some(p.clone());
                p
            }
        };
        policy.document.add_statements([statement]);
    }

    fn resource_account(&self) -> Str {
        Stack::of(&self.node)
            .map(|s| s.account())
            .unwrap_or(cdk_core::Aws::ACCOUNT_ID)
    }
}

/// The policy of a bucket (`AWS::S3::BucketPolicy`).
#[derive(Clone)]
pub struct BucketPolicy {
    node: Node,
    document: PolicyDocument,
}

impl IConstruct for BucketPolicy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl BucketPolicy {
    /// A policy for `bucket`.
    pub fn new(scope: &impl IConstruct, id: &str, bucket: &Bucket) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.s3.BucketPolicy");
        let document = PolicyDocument::new();
        CfnBucketPolicy::new(
            &node,
            "Resource",
            CfnBucketPolicyProps {
                bucket: bucket.bucket_name(),
                policy_document: document.to_value(),
            },
        );
        let doc = document.clone();
        node.add_validation(move || doc.validate_for_resource_policy());
        BucketPolicy { node, document }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::s3::*;
