//! Destinations of S3 bucket notifications (aws-cdk-lib's `aws-s3-notifications`): a Lambda
//! function ([`LambdaDestination`]), an SQS queue ([`SqsDestination`]) or an SNS topic
//! ([`SnsDestination`]). Each grants S3 what it needs when bound: a Lambda permission, a
//! queue policy (plus the queue key's policy), a topic policy (plus, with
//! `@aws-cdk/s3-notifications:addS3TrustKeyPolicyForSnsSubscriptions`, the topic key's policy).
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::s3::{Bucket, BucketProps, NotificationKeyFilter};
//! use cdk_constructs::s3_notifications::SqsDestination;
//! use cdk_constructs::sqs::{Queue, QueueProps};
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Ingest", StackProps::default());
//! let bucket = Bucket::new(&stack, "Inbox", BucketProps::default());
//! let queue = Queue::new(&stack, "Work", QueueProps::default());
//! bucket.add_object_created_notification(
//!     &SqsDestination::new(&queue),
//!     &[NotificationKeyFilter::prefix("incoming/")],
//! );
//! ```

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::feature_flags::{self, S3_TRUST_KEY_POLICY_FOR_SNS_SUBSCRIPTIONS};
use cdk_core::{Names, Node, Stack, Value};

use crate::iam::{IResourceWithPolicy, PolicyStatement, PrincipalWithConditions, ServicePrincipal};
use crate::lambda::{IFunction, Permission};
use crate::s3::{
    BucketNotificationDestinationConfig, BucketNotificationDestinationType, IBucket,
    IBucketNotificationDestination,
};
use crate::sns::ITopic;
use crate::sqs::IQueue;

/// Notifications invoke a Lambda function (aws-cdk-lib's `LambdaDestination`): binding adds
/// the permission `AllowBucketNotificationsTo<function unique ID>` under the bucket (once per
/// bucket and function), which the notifications resource waits for.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::s3::{Bucket, BucketProps};
/// use cdk_constructs::s3_notifications::LambdaDestination;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Thumbnails", StackProps::default());
/// let bucket = Bucket::new(&stack, "Images", BucketProps::default());
/// let resize = Function::new(&stack, "Resize", FunctionProps::new(
///     Runtime::Nodejs22X, "index.handler", Code::from_inline("exports.handler = async () => {};"),
/// ));
/// bucket.add_object_created_notification(&LambdaDestination::new(&resize), &[]);
/// // The permission is a child of the bucket: Images/AllowBucketNotificationsToThumbnailsResize…
/// ```
#[derive(Clone)]
pub struct LambdaDestination {
    function: Rc<dyn IFunction>,
}

impl LambdaDestination {
    /// A destination invoking `function`.
    pub fn new(function: &(impl IFunction + Clone + 'static)) -> Self {
        LambdaDestination {
            function: Rc::new(function.clone()),
        }
    }

    /// A destination invoking a shared function.
    pub fn from_rc(function: Rc<dyn IFunction>) -> Self {
        LambdaDestination { function }
    }
}

impl IBucketNotificationDestination for LambdaDestination {
    fn bind(&self, _scope: &Node, bucket: &dyn IBucket) -> BucketNotificationDestinationConfig {
        let permission_id = format!(
            "AllowBucketNotificationsTo{}",
            Names::unique_id(self.function.node())
        );
        if bucket.node().try_find_child(&permission_id).is_none() {
            let account = Stack::of(bucket.node()).map(|s| s.account());
            let mut permission = Permission::new("s3.amazonaws.com");
            permission.source_account = account;
            permission.source_arn = Some(bucket.bucket_arn());
            permission.scope = Some(bucket.node().clone());
            self.function.add_permission(&permission_id, permission);
        }
        BucketNotificationDestinationConfig {
            destination_type: BucketNotificationDestinationType::Lambda,
            arn: self.function.function_arn(),
            dependencies: bucket
                .node()
                .try_find_child(&permission_id)
                .into_iter()
                .collect(),
        }
    }
}

/// The `aws:SourceArn` condition naming the bucket.
fn source_arn_condition(bucket: &dyn IBucket) -> BTreeMap<String, BTreeMap<String, Value>> {
    let mut conditions = BTreeMap::new();
    conditions.insert(
        "ArnLike".to_string(),
        BTreeMap::from([(
            "aws:SourceArn".to_string(),
            bucket.bucket_arn().into_value(),
        )]),
    );
    conditions
}

/// Notifications are sent to an SQS queue (aws-cdk-lib's `SqsDestination`): binding lets S3
/// send messages from this bucket only (queue policy) and, for a queue with a customer key,
/// use the key (key policy; a warning for an imported key, whose policy rcdk cannot change).
/// See the [module](self) for an example.
#[derive(Clone)]
pub struct SqsDestination {
    queue: Rc<dyn IQueue>,
}

impl SqsDestination {
    /// A destination sending to `queue`.
    pub fn new(queue: &(impl IQueue + Clone + 'static)) -> Self {
        SqsDestination {
            queue: Rc::new(queue.clone()),
        }
    }

    /// A destination sending to a shared queue.
    pub fn from_rc(queue: Rc<dyn IQueue>) -> Self {
        SqsDestination { queue }
    }
}

impl IBucketNotificationDestination for SqsDestination {
    fn bind(&self, _scope: &Node, bucket: &dyn IBucket) -> BucketNotificationDestinationConfig {
        let s3 = PrincipalWithConditions::new(
            Rc::new(ServicePrincipal::new("s3.amazonaws.com")),
            source_arn_condition(bucket),
        );
        self.queue.grant_send_messages(&s3);
        if let Some(key) = self.queue.encryption_master_key() {
            let statement = PolicyStatement::new()
                .principal(&ServicePrincipal::new("s3.amazonaws.com"))
                .actions(["kms:GenerateDataKey*", "kms:Decrypt"])
                .resource("*");
            if !key.add_to_resource_policy(statement).statement_added {
                key.node().add_warning("Can not change key policy of imported kms key. Ensure that your key policy contains the following permissions: kms:GenerateDataKey*, kms:Decrypt for s3.amazonaws.com on * [ack: @aws-cdk/aws-s3-notifications:sqsKMSPermissionsNotAdded]");
            }
        }
        BucketNotificationDestinationConfig {
            destination_type: BucketNotificationDestinationType::Queue,
            arn: self.queue.queue_arn(),
            dependencies: vec![self.queue.node().clone()],
        }
    }
}

/// Notifications are published to an SNS topic (aws-cdk-lib's `SnsDestination`): binding lets
/// S3 publish from this bucket only (topic policy).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::s3::{Bucket, BucketProps};
/// use cdk_constructs::s3_notifications::SnsDestination;
/// use cdk_constructs::sns::{Topic, TopicProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Audit", StackProps::default());
/// let bucket = Bucket::new(&stack, "Records", BucketProps::default());
/// let removed = Topic::new(&stack, "Removed", TopicProps::default());
/// bucket.add_object_removed_notification(&SnsDestination::new(&removed), &[]);
/// assert!(removed.policy().is_some()); // s3.amazonaws.com may publish, from this bucket only
/// ```
#[derive(Clone)]
pub struct SnsDestination {
    topic: Rc<dyn ITopic>,
}

impl SnsDestination {
    /// A destination publishing to `topic`.
    pub fn new(topic: &dyn ITopic) -> Self {
        SnsDestination {
            topic: topic.to_topic(),
        }
    }
}

impl IBucketNotificationDestination for SnsDestination {
    fn bind(&self, scope: &Node, bucket: &dyn IBucket) -> BucketNotificationDestinationConfig {
        let conditions = source_arn_condition(bucket);
        let mut statement = PolicyStatement::new()
            .principal(&ServicePrincipal::new("s3.amazonaws.com"))
            .action("sns:Publish")
            .resource(self.topic.topic_arn());
        for (operator, entries) in conditions {
            for (key, value) in entries {
                statement = statement.condition(&operator, &key, value);
            }
        }
        IResourceWithPolicy::add_to_resource_policy(self.topic.as_ref(), statement);
        if feature_flags::is_enabled(scope, S3_TRUST_KEY_POLICY_FOR_SNS_SUBSCRIPTIONS) {
            if let Some(key) = self.topic.master_key() {
                let statement = PolicyStatement::new()
                    .principal(&ServicePrincipal::new("s3.amazonaws.com"))
                    .actions(["kms:GenerateDataKey", "kms:Decrypt"])
                    .resource("*");
                if !key.add_to_resource_policy(statement).statement_added {
                    key.node().add_warning("Can not change key policy of imported kms key. Ensure that your key policy contains the following permissions: kms:GenerateDataKey, kms:Decrypt for s3.amazonaws.com on * [ack: @aws-cdk/aws-s3-notifications:snsKMSPermissionsNotAdded]");
                }
            }
        }
        BucketNotificationDestinationConfig {
            destination_type: BucketNotificationDestinationType::Topic,
            arn: self.topic.topic_arn(),
            dependencies: vec![self.topic.node().clone()],
        }
    }
}
