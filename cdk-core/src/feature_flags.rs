//! aws-cdk-lib's feature flags, read from context (`cdk.json`'s `context`, `-c`, or
//! [`Node::set_context`](crate::Node::set_context)) by their aws-cdk-lib names.
//!
//! A flag set in context is enabled when its value is truthy in JavaScript's sense (`true`, a
//! non-empty string, a non-zero number), as aws-cdk-lib's `FeatureFlags.isEnabled` reads it.
//! A flag that is **absent** behaves as aws-cdk-lib 2.276 behaves when it is absent (its
//! `unconfiguredBehavesLike`, else disabled), so an existing CDK app keeps its templates. The
//! flags CDK v2 removed ([`EXPIRED`]) are always enabled; setting one is an error, as in
//! aws-cdk-lib. `docs/feature-flags.md` lists every flag rcdk reads and what it changes.
//!
//! ```
//! use cdk_core::feature_flags::{self, IAM_MINIMIZE_POLICIES};
//! use cdk_core::{App, AppProps};
//! let app = App::new();
//! assert!(!feature_flags::is_enabled(&app, IAM_MINIMIZE_POLICIES)); // absent: aws-cdk-lib's default
//! let app = App::with_props(AppProps {
//!     context: [(IAM_MINIMIZE_POLICIES.to_string(), true.into())].into(),
//!     ..Default::default()
//! });
//! assert!(feature_flags::is_enabled(&app, IAM_MINIMIZE_POLICIES));
//! ```

use crate::construct::IConstruct;
use crate::error::ValidationError;

/// One feature flag: its context key and how it behaves when absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureFlag {
    /// The context key (`@aws-cdk/aws-iam:minimizePolicies`).
    pub name: &'static str,
    /// Whether the flag is on when the context does not set it (aws-cdk-lib 2.276).
    pub absent_default: bool,
}

macro_rules! flags {
    ($($(#[$doc:meta])* $konst:ident = $name:literal, absent: $default:literal;)*) => {
        $( $(#[$doc])* pub const $konst: &str = $name; )*
        /// Every flag rcdk reads, with its absent behaviour.
        pub const FLAGS: &[FeatureFlag] = &[
            $( FeatureFlag { name: $name, absent_default: $default }, )*
        ];
    };
}

flags! {
    /// IAM policies merge statements with the same effect, principal and conditions.
    IAM_MINIMIZE_POLICIES = "@aws-cdk/aws-iam:minimizePolicies", absent: false;
    /// Cross-account grants to a role of this app name the role's account in the resource
    /// policy, scoped by an `aws-cdk:id` tag on the role (newer than aws-cdk-lib 2.276).
    IAM_CROSS_ACCOUNT_GRANTS_VIA_PRINCIPAL_TAG = "@aws-cdk/aws-iam:crossAccountGrantsViaPrincipalTag", absent: false;
    /// The default policy of an imported role is named after the role's unique ID.
    IAM_IMPORTED_ROLE_STACK_SAFE_DEFAULT_POLICY_NAME = "@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName", absent: false;
    /// A CodeCommit source action without a branch reads `main` instead of `master`.
    CODECOMMIT_SOURCE_ACTION_DEFAULT_BRANCH_NAME = "@aws-cdk/aws-codepipeline-actions:useNewDefaultBranchForCodeCommitSource", absent: false;
    /// A pipeline without `pipeline_type` is a V2 pipeline (else V1, with no `PipelineType`).
    CODEPIPELINE_DEFAULT_PIPELINE_TYPE_TO_V2 = "@aws-cdk/aws-codepipeline:defaultPipelineTypeToV2", absent: false;
    /// A pipeline without `cross_account_keys` creates no KMS key for its artifact bucket.
    CODEPIPELINE_CROSS_ACCOUNT_KEYS_DEFAULT_VALUE_TO_FALSE = "@aws-cdk/aws-codepipeline:crossAccountKeysDefaultValueToFalse", absent: false;
    /// The artifact key's alias is built from the stack name (`Names::unique_resource_name`).
    CODEPIPELINE_CROSS_ACCOUNT_KEY_ALIAS_STACK_SAFE_RESOURCE_NAME = "@aws-cdk/aws-codepipeline:crossAccountKeyAliasStackSafeResourceName", absent: false;
    /// A pipeline's action roles trust the pipeline role only, not the whole account.
    PIPELINE_REDUCE_STAGE_ROLE_TRUST_SCOPE = "@aws-cdk/pipelines:reduceStageRoleTrustScope", absent: true;
    /// Cross-account action roles trust the pipeline role (by ARN condition) only, and the
    /// pipeline role gets a name generated when needed.
    PIPELINE_REDUCE_CROSS_ACCOUNT_ACTION_ROLE_TRUST_SCOPE = "@aws-cdk/pipelines:reduceCrossAccountActionRoleTrustScope", absent: true;
    /// CDK Pipelines' asset roles trust the pipeline role only.
    PIPELINE_REDUCE_ASSET_ROLE_TRUST_SCOPE = "@aws-cdk/pipelines:reduceAssetRoleTrustScope", absent: true;
    /// KMS grants to principals name the key ARN (not `*`) in the principal's policy.
    KMS_REDUCE_CROSS_ACCOUNT_REGION_POLICY_SCOPE = "@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope", absent: false;
    /// A key alias's name and key ARN reference the alias resource.
    KMS_ALIAS_NAME_REF = "@aws-cdk/aws-kms:aliasNameRef", absent: false;
    /// Grants on aliases imported by name use a `kms:ResourceAliases` condition.
    KMS_APPLY_IMPORTED_ALIAS_PERMISSIONS_TO_PRINCIPAL = "@aws-cdk/aws-kms:applyImportedAliasPermissionsToPrincipal", absent: false;
    /// Setting some `BlockPublicAccess` options blocks the unset ones too.
    S3_PUBLIC_ACCESS_BLOCKED_BY_DEFAULT = "@aws-cdk/aws-s3:publicAccessBlockedByDefault", absent: false;
    /// Notifications of every bucket keep the notifications configured outside the stack (as
    /// for imported buckets).
    S3_KEEP_NOTIFICATION_IN_IMPORTED_BUCKET = "@aws-cdk/aws-s3:keepNotificationInImportedBucket", absent: false;
    /// `AwsCustomResource` without `install_latest_aws_sdk` installs the latest SDK client from
    /// npm before its calls (read as aws-cdk-lib reads it: the context value, true when absent).
    CUSTOM_RESOURCES_INSTALL_LATEST_AWS_SDK_DEFAULT = "@aws-cdk/customresources:installLatestAwsSdkDefault", absent: true;
    /// `AwsCustomResource` calls without `logging` render `logApiResponseData: true`.
    LOG_API_RESPONSE_DATA_PROPERTY_TRUE_DEFAULT = "@aws-cdk/custom-resources:logApiResponseDataPropertyTrueDefault", absent: false;
    /// An SNS destination of bucket notifications lets S3 use the topic's KMS key.
    S3_TRUST_KEY_POLICY_FOR_SNS_SUBSCRIPTIONS = "@aws-cdk/s3-notifications:addS3TrustKeyPolicyForSnsSubscriptions", absent: false;
    /// Buckets get a policy where an AWS service would create one implicitly.
    S3_CREATE_DEFAULT_LOGGING_POLICY = "@aws-cdk/aws-s3:createDefaultLoggingPolicy", absent: false;
    /// Server access logging is granted with a bucket policy instead of ACLs.
    S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", absent: false;
    /// REST APIs create no CloudWatch role unless asked.
    APIGATEWAY_DISABLE_CLOUDWATCH_ROLE = "@aws-cdk/aws-apigateway:disableCloudWatchRole", absent: false;
    /// Authorizers take part in the deployment's logical-ID hash.
    APIGATEWAY_AUTHORIZER_CHANGE_DEPLOYMENT_LOGICAL_ID = "@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId", absent: false;
    /// Each request validator gets a unique ID.
    APIGATEWAY_REQUEST_VALIDATOR_UNIQUE_ID = "@aws-cdk/aws-apigateway:requestValidatorUniqueId", absent: false;
    /// Usage plan keys get order-insensitive IDs.
    APIGATEWAY_USAGEPLANKEY_ORDERINSENSITIVE_ID = "@aws-cdk/aws-apigateway:usagePlanKeyOrderInsensitiveId", absent: true;
    /// Access log destination ARNs have no trailing `:*`.
    APIGATEWAY_LOG_GROUP_DESTINATION_ARN_WITHOUT_WILDCARD = "@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard", absent: false;
    /// Lambda versions' logical IDs hash the version properties.
    LAMBDA_RECOGNIZE_VERSION_PROPS = "@aws-cdk/aws-lambda:recognizeVersionProps", absent: true;
    /// Lambda versions' logical IDs hash the layer versions.
    LAMBDA_RECOGNIZE_LAYER_VERSION = "@aws-cdk/aws-lambda:recognizeLayerVersion", absent: false;
    /// A Lambda deployment group without alarms renders `AlarmConfiguration` `Enabled: false`
    /// (so removing every alarm removes them from the group).
    CODEDEPLOY_REMOVE_ALARMS_FROM_DEPLOYMENT_GROUP = "@aws-cdk/aws-codedeploy:removeAlarmsFromDeploymentGroup", absent: false;
    /// Functions get a CDK-managed log group.
    LAMBDA_USE_CDK_MANAGED_LOG_GROUP = "@aws-cdk/aws-lambda:useCdkManagedLogGroup", absent: false;
    /// `add_to_role_policy` creates new inline policies instead of growing the default one.
    LAMBDA_CREATE_NEW_POLICIES_WITH_ADD_TO_ROLE_POLICY = "@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy", absent: false;
    /// Partitions are literals (`aws`) in ARNs of stacks with a literal region.
    ENABLE_PARTITION_LITERALS = "@aws-cdk/core:enablePartitionLiterals", absent: false;
    /// Generated unique names include the stack prefix.
    INCLUDE_PREFIX_IN_UNIQUE_NAME_GENERATION = "@aws-cdk/core:includePrefixInUniqueNameGeneration", absent: false;
    /// Snapshot removal policies are errors on resources that cannot snapshot.
    VALIDATE_SNAPSHOT_REMOVAL_POLICY = "@aws-cdk/core:validateSnapshotRemovalPolicy", absent: false;
    /// Cross-stack exports are named relative to the stack.
    STACK_RELATIVE_EXPORTS = "@aws-cdk/core:stackRelativeExports", absent: true;
    /// Stacks use the default (bootstrapped) synthesizer.
    NEW_STYLE_STACK_SYNTHESIS = "@aws-cdk/core:newStyleStackSynthesis", absent: true;
    /// DynamoDB replicas get their own resource policy.
    DYNAMODB_RESOURCE_POLICY_PER_REPLICA = "@aws-cdk/aws-dynamodb:resourcePolicyPerReplica", absent: false;
    /// SQS subscriptions' key-policy statements for SNS are conditioned on the topic ARN.
    SNS_SUBSCRIPTIONS_SQS_DECRYPTION_POLICY = "@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption", absent: false;
    /// Event rules only target encrypted SQS queues of the same account.
    EVENTS_TARGET_QUEUE_SAME_ACCOUNT = "@aws-cdk/aws-events:eventsTargetQueueSameAccount", absent: false;
    /// Event bus policies for service principals carry a statement ID.
    EVENTBUS_POLICY_SID_REQUIRED = "@aws-cdk/aws-events:requireEventBusPolicySid", absent: false;
}

/// Flags CDK v2 removed: always enabled, an error when set (aws-cdk-lib's
/// `CURRENT_VERSION_EXPIRED_FLAGS`).
pub const EXPIRED: &[&str] = &[
    "@aws-cdk/aws-ecr-assets:dockerIgnoreSupport",
    "@aws-cdk/aws-ecs-patterns:removeDefaultDesiredCount",
    "@aws-cdk/aws-efs:defaultEncryptionAtRest",
    "@aws-cdk/aws-kms:defaultKeyPolicies",
    "@aws-cdk/aws-s3:grantWriteWithoutAcl",
    "@aws-cdk/aws-secretsmanager:parseOwnedSecretName",
    "@aws-cdk/core:enableStackNameDuplicates",
    "aws-cdk:enableDiffNoFail",
];

/// JavaScript truthiness of a context value (`!!value`).
pub fn is_truthy(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => false,
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        serde_json::Value::String(s) => !s.is_empty(),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => true,
    }
}

/// Whether `flag` is enabled for `scope`: its context value (JavaScript truthiness), else the
/// behaviour aws-cdk-lib has when it is absent. Unknown flags are off when absent.
pub fn is_enabled(scope: &impl IConstruct, flag: &str) -> bool {
    let node = scope.node();
    let value = node.try_get_context(flag);
    if EXPIRED.contains(&flag) {
        if value.is_some() {
            let message = format!(
                "Unsupported feature flag '{flag}'. This flag existed on CDKv1 but has been removed in CDKv2. CDK will now behave as the same as when the flag is enabled."
            );
            let tree_rc = node.tree();
            let mut tree = tree_rc.borrow_mut();
            if !tree.errors.iter().any(|e| e.message == message) {
                tree.errors.push(ValidationError {
                    path: "<app>".into(),
                    message,
                });
            }
        }
        return true;
    }
    match value {
        Some(v) => is_truthy(&v),
        None => absent_default(flag),
    }
}

/// How `flag` behaves when the context does not set it.
pub fn absent_default(flag: &str) -> bool {
    FLAGS
        .iter()
        .find(|f| f.name == flag)
        .is_some_and(|f| f.absent_default)
}
