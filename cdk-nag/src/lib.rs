//! # cdk-nag
//!
//! Rule packs for rcdk's policy validation ([`cdk_core::validation`]), run at synth on the
//! synthesized templates, so they check L1 and L2 constructs alike:
//!
//! - [`aws_solutions_checks`]: cdk-nag's AwsSolutions rules with cdk-nag's IDs and meanings
//!   (IAM4, IAM5, KMS5, S1, S2, S10, CB3, CB4, CB5, APIG1, APIG2, APIG4, APIG6, L1, DDB3,
//!   SQS3, SNS2). IAM4 and IAM5 are granular: each finding is its own violation,
//!   `AwsSolutions-IAM5[Action::s3:*]`, `AwsSolutions-IAM5[Resource::*]`,
//!   `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/...]`, suppressed one by
//!   one with `applies_to` as in cdk-nag. References are flattened as cdk-nag flattens them
//!   (`<LogicalId.Arn>`, `<AWS::Partition>`).
//! - [`cross_account_checks`]: rcdk's rules for cross-account deployments (`RcdkCrossAccount-XA1`
//!   to `XA5`): a role trusted by another account has no `*` action (XA1) and no `*` resource
//!   outside `sts:AssumeRole` on role paths of its own account (XA2); a role that deploys
//!   CloudFormation scopes its `cloudformation:` actions to stack ARNs (XA3); artifact buckets
//!   (XA4) and keys (XA5) grant other accounts only reads / decrypt, and object writes /
//!   encrypt where a deploy writes back.
//!
//! Suppress findings with [`NagSuppressions`] (cdk-nag's API; it also writes cdk-nag's
//! `cdk_nag.rules_to_suppress` metadata into the resources' template `Metadata`) or with
//! [`cdk_core::validation::Validations::suppress`]. Every suppression needs a reason.
//!
//! ```
//! use cdk_core::validation::{Suppression, Validations};
//! use cdk_core::{App, CfnResource, CfnResourceProps, Error, Stack, StackProps, Value};
//! use cdk_nag::NagSuppressions;
//!
//! let app = App::new();
//! cdk_nag::register(&app);
//! let stack = Stack::new(&app, "Data", StackProps::default());
//! let table = CfnResource::new(&stack, "Table", CfnResourceProps {
//!     resource_type: "AWS::DynamoDB::Table".into(),
//!     properties: [("KeySchema".to_string(), Value::from(serde_json::json!([{"AttributeName": "id", "KeyType": "HASH"}])))].into(),
//! });
//! // DDB3 (point-in-time recovery) is a warning: synthesis succeeds and reports it.
//! let assembly = app.synth_in_memory().unwrap();
//! let report = assembly.validation_report.as_ref().unwrap();
//! assert_eq!(report.findings()[0].rule_name, "AwsSolutions-DDB3");
//! assert_eq!(report.findings()[0].construct_path.as_deref(), Some("Data/Table"));
//!
//! NagSuppressions::add_resource_suppressions(&table, &[Suppression::new("AwsSolutions-DDB3", "A cache table, rebuilt from the source of truth")], false);
//! let assembly = app.synth_in_memory().unwrap();
//! assert!(assembly.validation_report.as_ref().unwrap().findings().is_empty());
//! ```

#![warn(missing_docs)]

mod pack;
pub mod rules;
mod suppressions;
pub mod template;

use std::rc::Rc;

use cdk_core::validation::{PolicyValidationPlugin, Validations};
use cdk_core::IConstruct;

pub use pack::{NagMessageLevel, NagPack, NagPackProps, NagRule};
pub use suppressions::NagSuppressions;
pub use template::{Compliance, Resource};

use rules::aws_solutions as aws;
use rules::cross_account as xa;
use NagMessageLevel::{Error, Warn};

/// The AwsSolutions pack (rule IDs `AwsSolutions-*`), as cdk-nag defines these rules.
pub fn aws_solutions_checks(props: NagPackProps) -> NagPack {
    let rule = |suffix, info, explanation, fix, level, check| NagRule {
        suffix,
        info,
        explanation,
        fix,
        level,
        check,
    };
    NagPack::new(
        "AwsSolutions",
        vec![
            rule("IAM4", "The IAM user, role, or group uses AWS managed policies.",
                "An AWS managed policy is a standalone policy that is created and administered by AWS. Currently, many AWS managed policies do not restrict resource scope. Replace AWS managed policies with system specific (customer) managed policies.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'Policy::<policy>' for AWS managed policies. Example: appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/foo'].",
                "Replace the managed policy with statements scoped to what the role uses, or suppress the finding 'Policy::<arn>' with the reason it is acceptable.",
                Error, aws::iam_no_managed_policies),
            rule("IAM5", "The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission.",
                "Metadata explaining the evidence (e.g. via supporting links) for wildcard permissions allows for transparency to operators. This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'Action::<action>' for policy actions and 'Resource::<resource>' for resources. Example: appliesTo: ['Action::s3:*'].",
                "List the actions and resources explicitly, or suppress each finding ('Action::...', 'Resource::...') with evidence for the wildcard.",
                Error, aws::iam_no_wildcard_permissions),
            rule("KMS5", "The KMS Symmetric key does not have automatic key rotation enabled.",
                "KMS key rotation allows a system to set an yearly rotation schedule for a KMS key so when an AWS KMS key is required to encrypt new data, the KMS service can automatically use the latest version of the HSA backing key to perform the encryption.",
                "Set EnableKeyRotation: true (KeyProps enable_key_rotation).",
                Error, aws::kms_backing_key_rotation_enabled),
            rule("S1", "The S3 Bucket has server access logs disabled.",
                "The bucket should have server access logging enabled to provide detailed records for the requests that are made to the bucket.",
                "Set LoggingConfiguration with a DestinationBucketName (a separate access-log bucket).",
                Error, aws::s3_bucket_logging_enabled),
            rule("S2", "The S3 Bucket does not have public access restricted and blocked.",
                "The bucket should have public access restricted and blocked to prevent unauthorized access.",
                "Set all four PublicAccessBlockConfiguration flags to true, or leave the block out (S3 blocks public access by default).",
                Error, aws::s3_bucket_level_public_access_prohibited),
            rule("S10", "The S3 Bucket or bucket policy does not require requests to use SSL.",
                "You can use HTTPS (TLS) to help prevent potential attackers from eavesdropping on or manipulating network traffic using person-in-the-middle or similar attacks. You should allow only encrypted connections over HTTPS (TLS) using the aws:SecureTransport condition on Amazon S3 bucket policies.",
                "Add a bucket policy statement denying s3:* to every principal on the bucket and its objects when aws:SecureTransport is false (BucketProps enforce_ssl).",
                Error, aws::s3_bucket_ssl_requests_only),
            rule("CB3", "The CodeBuild project has privileged mode enabled.",
                "Privileged grants elevated rights to the system, which introduces additional risk. Privileged mode should only be set to true only if the build project is used to build Docker images. Otherwise, a build that attempts to interact with the Docker daemon fails.",
                "Turn PrivilegedMode off unless the project builds Docker images.",
                Warn, aws::codebuild_project_privileged_mode_disabled),
            rule("CB4", "The CodeBuild project does not use an AWS KMS key for encryption.",
                "Using an AWS KMS key helps follow the standard security advice of granting least privilege to objects generated by the project.",
                "Give the project an EncryptionKey (a customer managed KMS key).",
                Error, aws::codebuild_project_kms_encrypted_artifacts),
            rule("CB5", "The Codebuild project does not use images provided by the CodeBuild service or have a cdk-nag suppression rule explaining the need for a custom image.",
                "Explaining differences/edits to Docker images helps operators better understand system dependencies.",
                "Use an aws/codebuild/* image, or suppress with what the custom image adds.",
                Warn, aws::codebuild_project_managed_images),
            rule("APIG1", "The API does not have access logging enabled.",
                "Enabling access logs helps operators view who accessed an API and how the caller accessed the API.",
                "Set the stage's AccessLogSetting with a DestinationArn and a Format.",
                Error, aws::apigw_access_logging),
            rule("APIG2", "The REST API does not have request validation enabled.",
                "The API should have basic request validation enabled. If the API is integrated with custom source (Lambda, ECS, etc..) in the backend, deeper input validation should be considered for implementation.",
                "Add an AWS::ApiGateway::RequestValidator for the API that validates request bodies and parameters.",
                Error, aws::apigw_request_validation),
            rule("APIG4", "The API does not implement authorization.",
                "In most cases an API needs to have an authentication and authorization implementation strategy. This includes using such approaches as IAM, Cognito User Pools, Custom authorizer, etc.",
                "Set the method's AuthorizationType (AWS_IAM, COGNITO_USER_POOLS or CUSTOM with an authorizer).",
                Error, aws::apigw_authorization),
            rule("APIG6", "The REST API Stage does not have CloudWatch logging enabled for all methods.",
                "Enabling CloudWatch logs at the stage level helps operators to track and analyze execution behavior at the API stage level.",
                "Add a MethodSettings entry for HttpMethod '*' and ResourcePath '/*' with LoggingLevel ERROR or INFO.",
                Error, aws::apigw_execution_logging_enabled),
            rule("L1", "The non-container Lambda function is not configured to use the latest runtime version.",
                "Use the latest available runtime for the targeted language to avoid technical debt. Runtimes specific to a language or framework version are deprecated when the version reaches end of life. This rule only applies to non-container Lambda functions.",
                "Move the function to the newest runtime of its language.",
                Error, aws::lambda_latest_version),
            rule("DDB3", "The DynamoDB table does not have Point-in-time Recovery enabled.",
                "DynamoDB continuous backups represent an additional layer of insurance against accidental loss of data on top of on-demand backups. The DynamoDB service can back up the data with per-second granularity and restore it to any single second from the time PITR was enabled up to the prior 35 days.",
                "Set PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled: true.",
                Warn, aws::dynamodb_pitr_enabled),
            rule("SQS3", "The SQS queue is not used as a dead-letter queue (DLQ) and does not have a DLQ enabled.",
                "Using a DLQ helps maintain the queue flow and avoid losing data by detecting and mitigating failures and service disruptions on time.",
                "Give the queue a RedrivePolicy with a deadLetterTargetArn.",
                Error, aws::sqs_queue_dlq),
            rule("SNS2", "The SNS Topic does not have server-side encryption enabled.",
                "Server side encryption adds additional protection of sensitive data delivered as messages to subscribers.",
                "Set the topic's KmsMasterKeyId.",
                Error, aws::sns_encrypted_kms),
        ],
        props,
    )
}

/// rcdk's cross-account pack (rule IDs `RcdkCrossAccount-XA1` to `XA5`).
pub fn cross_account_checks(props: NagPackProps) -> NagPack {
    let rule = |suffix, info, explanation, fix, check| NagRule {
        suffix,
        info,
        explanation,
        fix,
        level: Error,
        check,
    };
    NagPack::new(
        "RcdkCrossAccount",
        vec![
            rule("XA1", "A role trusted by another account allows a '*' or 'service:*' action.",
                "Another account can assume this role; a wildcard action lets that account do more than the deployment needs, including actions added to the service later. Findings are 'Action::<action>'.",
                "List the actions the other account needs.",
                xa::cross_account_role_no_wildcard_actions),
            rule("XA2", "A role trusted by another account allows a '*' resource, or a wildcard role ARN outside sts:AssumeRole on its own account's roles.",
                "Another account can assume this role; a '*' resource reaches every resource of the account. Findings are 'Resource::<resource>'.",
                "Name the resources (ARNs of the stacks, buckets, keys, roles it works on).",
                xa::cross_account_role_no_wildcard_resources),
            rule("XA3", "A CloudFormation deployment role is not scoped to its stacks' ARNs.",
                "The role deploys into an account on behalf of another; cloudformation: actions on '*' or on any stack let it change stacks it has no business with. Findings are 'Resource::<resource>'.",
                "Scope cloudformation: actions to arn:<partition>:cloudformation:<region>:<account>:stack/<StackName>/*.",
                xa::cloudformation_role_scoped_to_stacks),
            rule("XA4", "An artifact bucket grants another account more than reading and writing objects.",
                "Other accounts need to read artifacts (s3:GetObject*, s3:GetBucket*, s3:List*) and, where a deploy writes back, put objects (s3:PutObject*, s3:Abort*); anything else (deletes, policy or ACL changes, s3:*) lets them tamper with the pipeline. Findings are 'Action::<action>'.",
                "Grant the other account read (and put) only: bucket.grant_read / grant_put.",
                xa::bucket_grants_other_accounts_read_and_put_only),
            rule("XA5", "An artifact key grants another account more than decrypting (and encrypting what it writes back).",
                "Other accounts need kms:Decrypt and kms:DescribeKey to read artifacts and kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey* to write them back; anything else (kms:*, key policy or deletion changes) hands them the key. Findings are 'Action::<action>'.",
                "Grant the other account decrypt (and encrypt) only: key.grant_decrypt / grant_encrypt.",
                xa::key_grants_other_accounts_decrypt_only),
        ],
        props,
    )
}

/// Registers both packs (default options) on the app of `scope`.
pub fn register(scope: &impl IConstruct) {
    let validations = Validations::of(scope);
    validations.add_plugins([
        Rc::new(aws_solutions_checks(NagPackProps::default())) as Rc<dyn PolicyValidationPlugin>,
        Rc::new(cross_account_checks(NagPackProps::default())),
    ]);
}
