//! Bucket event notifications: aws-cdk-lib's `EventType`, `NotificationKeyFilter`,
//! `IBucketNotificationDestination`, the `Notifications` construct under a bucket (the
//! `Custom::S3BucketNotifications` resource) and the stack-singleton handler
//! `BucketNotificationsHandler050a0587b7544547bf325f094a3db834` (a role and an inline Python
//! function). Destinations (Lambda, SQS, SNS) live in
//! [`s3_notifications`](crate::s3_notifications).
//!
//! The handler is rcdk's own (`notifications_handler/index.py`), inlined as `ZipFile` the way
//! aws-cdk-lib inlines its own: the same properties, the same behaviour, different code text.

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::feature_flags::{self, S3_KEEP_NOTIFICATION_IN_IMPORTED_BUCKET};
use cdk_core::{CfnResource, CfnResourceProps, IConstruct, Node, Stack, Str, TagType, Value};

use crate::iam::{
    IRole, ManagedPolicy, Policy, PolicyProps, PolicyStatement, Role, RoleProps, ServicePrincipal,
};

use super::IBucket;

/// An S3 event type (aws-cdk-lib's `EventType`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventType {
    /// `s3:ObjectCreated:*`.
    ObjectCreated,
    /// `s3:ObjectCreated:Put`.
    ObjectCreatedPut,
    /// `s3:ObjectCreated:Post`.
    ObjectCreatedPost,
    /// `s3:ObjectCreated:Copy`.
    ObjectCreatedCopy,
    /// `s3:ObjectCreated:CompleteMultipartUpload`.
    ObjectCreatedCompleteMultipartUpload,
    /// `s3:ObjectRemoved:*`.
    ObjectRemoved,
    /// `s3:ObjectRemoved:Delete`.
    ObjectRemovedDelete,
    /// `s3:ObjectRemoved:DeleteMarkerCreated`.
    ObjectRemovedDeleteMarkerCreated,
    /// `s3:ObjectRestore:Post`.
    ObjectRestorePost,
    /// `s3:ObjectRestore:Completed`.
    ObjectRestoreCompleted,
    /// `s3:ObjectRestore:Delete`.
    ObjectRestoreDelete,
    /// `s3:ReducedRedundancyLostObject`.
    ReducedRedundancyLostObject,
    /// `s3:Replication:OperationFailedReplication`.
    ReplicationOperationFailedReplication,
    /// `s3:Replication:OperationMissedThreshold`.
    ReplicationOperationMissedThreshold,
    /// `s3:Replication:OperationReplicatedAfterThreshold`.
    ReplicationOperationReplicatedAfterThreshold,
    /// `s3:Replication:OperationNotTracked`.
    ReplicationOperationNotTracked,
    /// `s3:LifecycleExpiration:*`.
    LifecycleExpiration,
    /// `s3:LifecycleExpiration:Delete`.
    LifecycleExpirationDelete,
    /// `s3:LifecycleExpiration:DeleteMarkerCreated`.
    LifecycleExpirationDeleteMarkerCreated,
    /// `s3:LifecycleTransition`.
    LifecycleTransition,
    /// `s3:IntelligentTiering`.
    IntelligentTiering,
    /// `s3:ObjectTagging:*`.
    ObjectTagging,
    /// `s3:ObjectTagging:Put`.
    ObjectTaggingPut,
    /// `s3:ObjectTagging:Delete`.
    ObjectTaggingDelete,
    /// `s3:ObjectAcl:Put`.
    ObjectAclPut,
    /// `s3:ObjectRestore:*`.
    ObjectRestore,
    /// `s3:Replication:*`.
    Replication,
    /// Another event name.
    Other(String),
}

impl EventType {
    /// The S3 event name (`s3:ObjectCreated:*`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            EventType::ObjectCreated => "s3:ObjectCreated:*",
            EventType::ObjectCreatedPut => "s3:ObjectCreated:Put",
            EventType::ObjectCreatedPost => "s3:ObjectCreated:Post",
            EventType::ObjectCreatedCopy => "s3:ObjectCreated:Copy",
            EventType::ObjectCreatedCompleteMultipartUpload => {
                "s3:ObjectCreated:CompleteMultipartUpload"
            }
            EventType::ObjectRemoved => "s3:ObjectRemoved:*",
            EventType::ObjectRemovedDelete => "s3:ObjectRemoved:Delete",
            EventType::ObjectRemovedDeleteMarkerCreated => "s3:ObjectRemoved:DeleteMarkerCreated",
            EventType::ObjectRestorePost => "s3:ObjectRestore:Post",
            EventType::ObjectRestoreCompleted => "s3:ObjectRestore:Completed",
            EventType::ObjectRestoreDelete => "s3:ObjectRestore:Delete",
            EventType::ReducedRedundancyLostObject => "s3:ReducedRedundancyLostObject",
            EventType::ReplicationOperationFailedReplication => {
                "s3:Replication:OperationFailedReplication"
            }
            EventType::ReplicationOperationMissedThreshold => {
                "s3:Replication:OperationMissedThreshold"
            }
            EventType::ReplicationOperationReplicatedAfterThreshold => {
                "s3:Replication:OperationReplicatedAfterThreshold"
            }
            EventType::ReplicationOperationNotTracked => "s3:Replication:OperationNotTracked",
            EventType::LifecycleExpiration => "s3:LifecycleExpiration:*",
            EventType::LifecycleExpirationDelete => "s3:LifecycleExpiration:Delete",
            EventType::LifecycleExpirationDeleteMarkerCreated => {
                "s3:LifecycleExpiration:DeleteMarkerCreated"
            }
            EventType::LifecycleTransition => "s3:LifecycleTransition",
            EventType::IntelligentTiering => "s3:IntelligentTiering",
            EventType::ObjectTagging => "s3:ObjectTagging:*",
            EventType::ObjectTaggingPut => "s3:ObjectTagging:Put",
            EventType::ObjectTaggingDelete => "s3:ObjectTagging:Delete",
            EventType::ObjectAclPut => "s3:ObjectAcl:Put",
            EventType::ObjectRestore => "s3:ObjectRestore:*",
            EventType::Replication => "s3:Replication:*",
            EventType::Other(s) => s,
        }
    }
}

/// Which object keys a notification is for (aws-cdk-lib's `NotificationKeyFilter`): a prefix,
/// a suffix, or both. Several filters of one notification may give at most one prefix and
/// one suffix between them.
///
/// ```
/// use cdk_constructs::s3::NotificationKeyFilter;
/// let images = [NotificationKeyFilter::prefix("uploads/"), NotificationKeyFilter::suffix(".png")];
/// assert_eq!(images[1].suffix.as_deref(), Some(".png"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotificationKeyFilter {
    /// Keys starting with this.
    pub prefix: Option<String>,
    /// Keys ending with this.
    pub suffix: Option<String>,
}

impl NotificationKeyFilter {
    /// Keys starting with `prefix`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        NotificationKeyFilter {
            prefix: Some(prefix.into()),
            suffix: None,
        }
    }

    /// Keys ending with `suffix`.
    pub fn suffix(suffix: impl Into<String>) -> Self {
        NotificationKeyFilter {
            prefix: None,
            suffix: Some(suffix.into()),
        }
    }
}

/// The kind of a notification destination (aws-cdk-lib's `BucketNotificationDestinationType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketNotificationDestinationType {
    /// A Lambda function (`LambdaFunctionConfigurations`).
    Lambda,
    /// An SQS queue (`QueueConfigurations`).
    Queue,
    /// An SNS topic (`TopicConfigurations`).
    Topic,
}

/// What a destination tells the bucket when bound (aws-cdk-lib's
/// `BucketNotificationDestinationConfig`).
#[derive(Clone)]
pub struct BucketNotificationDestinationConfig {
    /// Its kind.
    pub destination_type: BucketNotificationDestinationType,
    /// Its ARN.
    pub arn: Str,
    /// Constructs the notifications resource must be created after (e.g. the permission that
    /// lets S3 call the destination: S3 checks it when the configuration is written).
    pub dependencies: Vec<Node>,
}

/// A target of bucket notifications (aws-cdk-lib's `IBucketNotificationDestination`): it
/// grants S3 what it needs and describes itself. Implemented by the destinations of
/// [`s3_notifications`](crate::s3_notifications).
pub trait IBucketNotificationDestination {
    /// Binds the destination to `bucket`; `scope` is the bucket's `Notifications` construct.
    fn bind(&self, scope: &Node, bucket: &dyn IBucket) -> BucketNotificationDestinationConfig;
}

/// The construct ID of the stack-singleton notifications handler (aws-cdk-lib's).
pub const NOTIFICATIONS_HANDLER_ID: &str =
    "BucketNotificationsHandler050a0587b7544547bf325f094a3db834";

/// rcdk's handler source (full-line comments are stripped before inlining).
const HANDLER_SOURCE: &str = include_str!("notifications_handler/index.py");

/// The handler code as inlined (`Code.ZipFile`): the source without its full-line comments,
/// as aws-cdk-lib strips its own (`/^ *#.*\n?/gm`).
pub fn notifications_handler_code() -> String {
    HANDLER_SOURCE
        .split_inclusive('\n')
        .filter(|line| !line.trim_start_matches(' ').starts_with('#'))
        .collect()
}

/// The stack-singleton Lambda function that writes bucket notification configurations
/// (aws-cdk-lib's `NotificationsResourceHandler`).
#[derive(Clone)]
pub struct NotificationsResourceHandler {
    node: Node,
    role: Rc<dyn IRole>,
    function: CfnResource,
}

impl IConstruct for NotificationsResourceHandler {
    fn node(&self) -> &Node {
        &self.node
    }
}

const HANDLER_ATTACHED_KEY: &str = "cdk-constructs.s3.NotificationsResourceHandler";

impl NotificationsResourceHandler {
    /// The handler of `scope`'s stack, created on first use (with `role`, or a new role).
    pub fn singleton(scope: &impl IConstruct, role: Option<Rc<dyn IRole>>) -> Self {
        let stack = match Stack::of(scope) {
            Some(stack) => stack.node().clone(),
            None => {
                scope
                    .node()
                    .add_error("bucket notifications must be defined inside a Stack");
                scope.node().clone()
            }
        };
        if let Some(existing) = stack.try_find_child(NOTIFICATIONS_HANDLER_ID) {
            if let Some(h) = existing.attached::<NotificationsResourceHandler>(HANDLER_ATTACHED_KEY)
            {
                return (*h).clone();
            }
        }
        let node = Node::new(&stack, NOTIFICATIONS_HANDLER_ID);
        node.set_construct_info("cdk-constructs.s3.NotificationsResourceHandler");
        let role: Rc<dyn IRole> = match role {
            Some(r) => r,
            None => Rc::new(Role::new(
                &node,
                "Role",
                RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")),
            )),
        };
        role.add_managed_policy(&ManagedPolicy::from_aws_managed_policy_name(
            "service-role/AWSLambdaBasicExecutionRole",
        ));
        let function = CfnResource::new(
            &node,
            "Resource",
            CfnResourceProps {
                resource_type: "AWS::Lambda::Function".into(),
                properties: [
                    (
                        "Description".to_string(),
                        Value::from(
                            "AWS CloudFormation handler for \"Custom::S3BucketNotifications\" resources (@aws-cdk/aws-s3)",
                        ),
                    ),
                    (
                        "Code".to_string(),
                        Value::object([("ZipFile", notifications_handler_code())]),
                    ),
                    ("Handler".to_string(), Value::from("index.handler")),
                    ("Role".to_string(), role.role_arn().into_value()),
                    ("Runtime".to_string(), Value::from("python3.13")),
                    ("Timeout".to_string(), Value::from(300u32)),
                ]
                .into(),
            },
        );
        // Taggable, as aws-cdk-lib's inline function (its own TagManager).
        function.enable_tags(TagType::Standard, "Tags");
        function.node().add_dependency(role.node());
        let handler = NotificationsResourceHandler {
            node,
            role,
            function,
        };
        handler
            .node
            .attach(HANDLER_ATTACHED_KEY, Rc::new(handler.clone()));
        handler
    }

    /// The function's ARN (the notifications resources' `ServiceToken`).
    pub fn function_arn(&self) -> Str {
        self.function.get_att("Arn")
    }

    /// The function's role.
    pub fn role(&self) -> Rc<dyn IRole> {
        self.role.clone()
    }

    /// The `AWS::Lambda::Function`.
    pub fn cfn(&self) -> &CfnResource {
        &self.function
    }
}

/// Options of a bucket's [`BucketNotifications`].
#[derive(Clone, Default)]
pub(crate) struct NotificationsOptions {
    /// The handler's role (default: a new role).
    pub handler_role: Option<Rc<dyn IRole>>,
    /// Do not let S3 validate the destinations.
    pub skip_destination_validation: bool,
    /// The bucket is defined in this app (its whole configuration is ours).
    pub managed: bool,
    /// The bucket's policy, once created: the notifications resource waits for it.
    pub bucket_policy: Option<Rc<RefCell<Option<super::BucketPolicy>>>>,
}

#[derive(Default)]
struct NotificationsState {
    event_bridge: bool,
    lambda: Vec<Value>,
    queue: Vec<Value>,
    topic: Vec<Value>,
}

/// The notification configuration of one bucket: the `Notifications` construct under it and
/// its `Custom::S3BucketNotifications` resource (aws-cdk-lib's `BucketNotifications`).
/// Created by the bucket's `add_event_notification` / `enable_event_bridge_notification`.
#[derive(Clone)]
pub struct BucketNotifications {
    node: Node,
    bucket: Rc<dyn IBucket>,
    options: NotificationsOptions,
    state: Rc<RefCell<NotificationsState>>,
    resource: Rc<RefCell<Option<CfnResource>>>,
}

impl IConstruct for BucketNotifications {
    fn node(&self) -> &Node {
        &self.node
    }
}

/// aws-cdk-lib's `renderFilters`.
fn render_filters(filters: &[NotificationKeyFilter]) -> Result<Option<Value>, String> {
    if filters.is_empty() {
        return Ok(None);
    }
    let mut rules = Vec::new();
    let (mut has_prefix, mut has_suffix) = (false, false);
    for rule in filters {
        let suffix = rule.suffix.as_deref().filter(|s| !s.is_empty());
        let prefix = rule.prefix.as_deref().filter(|s| !s.is_empty());
        if suffix.is_none() && prefix.is_none() {
            return Err("NotificationKeyFilter must specify `prefix` and/or `suffix`".into());
        }
        if let Some(s) = suffix {
            if has_suffix {
                return Err("Cannot specify more than one suffix rule in a filter.".into());
            }
            rules.push(Value::object([("Name", "suffix"), ("Value", s)]));
            has_suffix = true;
        }
        if let Some(p) = prefix {
            if has_prefix {
                return Err("Cannot specify more than one prefix rule in a filter.".into());
            }
            rules.push(Value::object([("Name", "prefix"), ("Value", p)]));
            has_prefix = true;
        }
    }
    Ok(Some(Value::object([(
        "Key",
        Value::object([("FilterRules", Value::List(rules))]),
    )])))
}

impl BucketNotifications {
    /// The `Notifications` construct of `bucket`, kept in `cell`: created under the bucket with
    /// `options()` on first use (aws-cdk-lib creates it lazily too), the same one afterwards.
    pub(crate) fn of<B: IBucket + Clone + 'static>(
        bucket: &B,
        cell: &RefCell<Option<BucketNotifications>>,
        options: impl FnOnce() -> NotificationsOptions,
    ) -> Self {
        if let Some(n) = cell.borrow().as_ref() {
            return n.clone();
        }
        let n = Self::new(bucket, "Notifications", Rc::new(bucket.clone()), options());
        *cell.borrow_mut() = Some(n.clone());
        n
    }

    fn new(
        scope: &impl IConstruct,
        id: &str,
        bucket: Rc<dyn IBucket>,
        options: NotificationsOptions,
    ) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.s3.BucketNotifications");
        BucketNotifications {
            node,
            bucket,
            options,
            state: Rc::default(),
            resource: Rc::default(),
        }
    }

    /// The `Custom::S3BucketNotifications` resource, once a notification was added.
    pub fn resource(&self) -> Option<CfnResource> {
        self.resource.borrow().clone()
    }

    /// Sends `event` on keys matching `filters` to `destination`.
    pub fn add_notification(
        &self,
        event: &EventType,
        destination: &dyn IBucketNotificationDestination,
        filters: &[NotificationKeyFilter],
    ) {
        let resource = self.create_resource_once();
        let config = destination.bind(&self.node, self.bucket.as_ref());
        for d in &config.dependencies {
            resource.node().add_dependency(d);
        }
        let mut common: Vec<(&str, Value)> =
            vec![("Events", Value::List(vec![event.as_str().into()]))];
        match render_filters(filters) {
            Ok(Some(f)) => common.push(("Filter", f)),
            Ok(None) => {}
            Err(e) => {
                self.node.add_error(&e);
                return;
            }
        }
        let mut state = self.state.borrow_mut();
        let (key, list) = match config.destination_type {
            BucketNotificationDestinationType::Lambda => ("LambdaFunctionArn", &mut state.lambda),
            BucketNotificationDestinationType::Queue => ("QueueArn", &mut state.queue),
            BucketNotificationDestinationType::Topic => ("TopicArn", &mut state.topic),
        };
        common.push((key, config.arn.into_value()));
        list.push(Value::object(common));
    }

    /// Sends every event of the bucket to EventBridge.
    pub fn enable_event_bridge_notification(&self) {
        self.create_resource_once();
        self.state.borrow_mut().event_bridge = true;
    }

    fn create_resource_once(&self) -> CfnResource {
        if let Some(r) = self.resource.borrow().as_ref() {
            return r.clone();
        }
        let handler =
            NotificationsResourceHandler::singleton(&self.node, self.options.handler_role.clone());
        let managed = self.options.managed
            && !feature_flags::is_enabled(&self.node, S3_KEEP_NOTIFICATION_IN_IMPORTED_BUCKET);
        let mut statements = vec![PolicyStatement::new()
            .action("s3:PutBucketNotification")
            .resource(self.bucket.bucket_arn())];
        if !managed {
            statements.push(
                PolicyStatement::new()
                    .action("s3:GetBucketNotification")
                    .resource(self.bucket.bucket_arn()),
            );
        }
        let policy = Policy::new(
            &self.node,
            "HandlerPolicy",
            PolicyProps {
                statements,
                ..Default::default()
            },
        );
        handler.role().attach_inline_policy(&policy);
        let state = self.state.clone();
        let configuration = Value::lazy(move || {
            let s = state.borrow();
            let mut out: Vec<(&str, Value)> = Vec::new();
            if s.event_bridge {
                out.push(("EventBridgeConfiguration", Value::object::<&str, Value>([])));
            }
            if !s.lambda.is_empty() {
                out.push((
                    "LambdaFunctionConfigurations",
                    Value::List(s.lambda.clone()),
                ));
            }
            if !s.queue.is_empty() {
                out.push(("QueueConfigurations", Value::List(s.queue.clone())));
            }
            if !s.topic.is_empty() {
                out.push(("TopicConfigurations", Value::List(s.topic.clone())));
            }
            Value::object(out)
        });
        let resource = CfnResource::new(
            &self.node,
            "Resource",
            CfnResourceProps {
                resource_type: "Custom::S3BucketNotifications".into(),
                properties: [
                    (
                        "ServiceToken".to_string(),
                        handler.function_arn().into_value(),
                    ),
                    (
                        "BucketName".to_string(),
                        self.bucket.bucket_name().into_value(),
                    ),
                    ("NotificationConfiguration".to_string(), configuration),
                    ("Managed".to_string(), Value::from(managed)),
                    (
                        "SkipDestinationValidation".to_string(),
                        Value::from(self.options.skip_destination_validation),
                    ),
                ]
                .into(),
            },
        );
        resource.node().add_dependency(&policy);
        if let Some(p) = self
            .options
            .bucket_policy
            .as_ref()
            .and_then(|p| p.borrow().clone())
        {
            resource.node().add_dependency(&p);
        }
        *self.resource.borrow_mut() = Some(resource.clone());
        resource
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inlined_code_has_no_comment_lines() {
        let code = notifications_handler_code();
        assert!(code.contains("def handler(event, context):"));
        assert!(!code.lines().any(|l| l.trim_start().starts_with('#')));
    }

    #[test]
    fn filters_render_suffix_before_prefix_and_reject_doubles() {
        let f = render_filters(&[NotificationKeyFilter {
            prefix: Some("a/".into()),
            suffix: Some(".png".into()),
        }])
        .unwrap()
        .unwrap();
        assert_eq!(
            f.to_literal_json().unwrap(),
            serde_json::json!({"Key": {"FilterRules": [
                {"Name": "suffix", "Value": ".png"}, {"Name": "prefix", "Value": "a/"}]}})
        );
        assert_eq!(
            render_filters(&[
                NotificationKeyFilter::prefix("a"),
                NotificationKeyFilter::prefix("b")
            ]),
            Err("Cannot specify more than one prefix rule in a filter.".to_string())
        );
        assert_eq!(
            render_filters(&[NotificationKeyFilter::default()]),
            Err("NotificationKeyFilter must specify `prefix` and/or `suffix`".to_string())
        );
    }
}
