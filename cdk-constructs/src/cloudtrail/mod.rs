//! CloudTrail: [`Trail`], a trail delivering API-call logs to an S3 bucket (created with a
//! TLS-only policy and CloudTrail's write permissions, or supplied), optionally encrypted with
//! a KMS key, sent to CloudWatch Logs (a log group and a role for CloudTrail) and announced on
//! an SNS topic; management events, data event selectors for S3 objects and Lambda functions,
//! Insights, and an EventBridge rule for "AWS API Call via CloudTrail" events — as
//! aws-cdk-lib's `aws-cloudtrail`.
//!
//! ```
//! use cdk_core::{App, Stack, StackProps};
//! use cdk_constructs::cloudtrail::{AddEventSelectorOptions, ReadWriteType, S3EventSelector, Trail, TrailProps};
//! use cdk_constructs::s3::{Bucket, BucketProps};
//! use std::rc::Rc;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Audit", StackProps::default());
//! let data = Rc::new(Bucket::new(&stack, "Data", BucketProps::default()));
//! let trail = Trail::new(&stack, "Trail", TrailProps {
//!     send_to_cloud_watch_logs: true,
//!     ..Default::default()
//! });
//! // Log writes to the objects under `uploads/` (a data event selector).
//! trail.add_s3_event_selector(
//!     &[S3EventSelector { bucket: data, object_prefix: Some("uploads".into()) }],
//!     AddEventSelectorOptions { read_write_type: Some(ReadWriteType::WriteOnly), ..Default::default() },
//! );
//! // The trail's bucket (`TrailS3…`), its policy, the log group and CloudTrail's role.
//! assert!(trail.s3_bucket().bucket_arn().is_token());
//! assert!(trail.log_group().is_some());
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::{
    ArnComponents, IConstruct, Node, PhysicalName, Resource, ResourceProps, Stack, Str, Value,
};

pub use crate::generated::cloudtrail::*;

use crate::events::{EventPattern, IRuleTarget, Rule, RuleProps};
use crate::iam::{PolicyStatement, Role, RoleProps, ServicePrincipal};
use crate::kms::IKey;
use crate::lambda::IFunction;
use crate::logs::{ILogGroup, LogGroup, LogGroupProps, RetentionDays};
use crate::s3::{Bucket, BucketProps, IBucket};
use crate::sns::ITopic;
use crate::Bool;

/// Which events a selector records (aws-cdk-lib's `ReadWriteType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadWriteType {
    /// Read-only events.
    ReadOnly,
    /// Write-only events.
    WriteOnly,
    /// All events.
    All,
    /// No events (for [`TrailProps::management_events`]: record no management events).
    None,
}

impl ReadWriteType {
    /// The value CloudFormation takes (`ReadOnly`, `WriteOnly`, `All`, `None`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadWriteType::ReadOnly => "ReadOnly",
            ReadWriteType::WriteOnly => "WriteOnly",
            ReadWriteType::All => "All",
            ReadWriteType::None => "None",
        }
    }
}

/// A CloudTrail Insights type (aws-cdk-lib's `InsightType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsightType {
    /// Unusual write-management API call rates (`ApiCallRateInsight`).
    ApiCallRate,
    /// Unusual API error rates (`ApiErrorRateInsight`).
    ApiErrorRate,
}

impl InsightType {
    /// The value CloudFormation takes.
    pub fn as_str(self) -> &'static str {
        match self {
            InsightType::ApiCallRate => "ApiCallRateInsight",
            InsightType::ApiErrorRate => "ApiErrorRateInsight",
        }
    }
}

/// Management event sources a selector can exclude (aws-cdk-lib's `ManagementEventSources`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagementEventSources {
    /// AWS KMS (`kms.amazonaws.com`).
    Kms,
    /// The RDS Data API (`rdsdata.amazonaws.com`).
    RdsDataApi,
}

impl ManagementEventSources {
    /// The event source.
    pub fn as_str(self) -> &'static str {
        match self {
            ManagementEventSources::Kms => "kms.amazonaws.com",
            ManagementEventSources::RdsDataApi => "rdsdata.amazonaws.com",
        }
    }
}

/// The kind of resource a data event selector logs (aws-cdk-lib's `DataResourceType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataResourceType {
    /// Lambda function invocations (`AWS::Lambda::Function`).
    LambdaFunction,
    /// S3 object-level API calls (`AWS::S3::Object`).
    S3Object,
}

impl DataResourceType {
    /// The CloudFormation resource type name.
    pub fn as_str(self) -> &'static str {
        match self {
            DataResourceType::LambdaFunction => "AWS::Lambda::Function",
            DataResourceType::S3Object => "AWS::S3::Object",
        }
    }
}

/// Options of the event selectors (aws-cdk-lib's `AddEventSelectorOptions`).
#[derive(Clone, Debug, Default)]
pub struct AddEventSelectorOptions {
    /// Which events to record (CloudFormation's default: `All`).
    pub read_write_type: Option<ReadWriteType>,
    /// Whether the selector also records management events (default: not set, so CloudTrail's
    /// default `true`; `false` when the trail's `management_events` is `None`).
    pub include_management_events: Option<bool>,
    /// Management event sources to leave out.
    pub exclude_management_event_sources: Option<Vec<ManagementEventSources>>,
}

/// The objects of one bucket to log (aws-cdk-lib's `S3EventSelector`).
#[derive(Clone)]
pub struct S3EventSelector {
    /// The bucket.
    pub bucket: Rc<dyn IBucket>,
    /// Only objects whose key starts with this (default: all objects).
    pub object_prefix: Option<String>,
}

/// Properties of a [`Trail`] (aws-cdk-lib's `TrailProps`).
#[derive(Clone, Default)]
pub struct TrailProps {
    /// Record events of global services such as IAM (default `true`).
    pub include_global_service_events: Option<bool>,
    /// Record events of every region (default `true`).
    pub is_multi_region_trail: Option<bool>,
    /// Which management events to record (default: not set, CloudTrail records all;
    /// [`ReadWriteType::None`] records none and needs a data event selector).
    pub management_events: Option<ReadWriteType>,
    /// Log file integrity validation (default `true`).
    pub enable_file_validation: Option<bool>,
    /// Also deliver the events to CloudWatch Logs (creates `LogsRole`, and `LogGroup` unless
    /// `cloud_watch_log_group` is given).
    pub send_to_cloud_watch_logs: bool,
    /// Retention of the created log group (default one year).
    pub cloud_watch_logs_retention: Option<RetentionDays>,
    /// The log group to deliver to (default: one is created).
    pub cloud_watch_log_group: Option<Rc<dyn ILogGroup>>,
    /// The KMS key that encrypts the log files (default: S3-managed encryption).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// The topic notified of every log file delivery (gets a publish permission for
    /// CloudTrail).
    pub sns_topic: Option<Rc<dyn ITopic>>,
    /// The trail's name (default: generated by CloudFormation).
    pub trail_name: Option<PhysicalName>,
    /// Prefix of the log files' keys.
    pub s3_key_prefix: Option<String>,
    /// The bucket to deliver to (default: one is created with `enforce_ssl`).
    pub bucket: Option<Rc<dyn IBucket>>,
    /// A trail for every account of the organization.
    pub is_organization_trail: Option<bool>,
    /// The organization's ID (needed with `is_organization_trail` to let the organization's
    /// trail write to the bucket).
    pub org_id: Option<String>,
    /// CloudTrail Insights types to enable.
    pub insight_types: Vec<InsightType>,
}

/// Options of [`Trail::on_event`] (aws-cdk-lib's `events.OnEventOptions`).
#[derive(Clone, Default)]
pub struct OnEventOptions {
    /// The rule's target.
    pub target: Option<Rc<dyn IRuleTarget>>,
    /// The rule's name.
    pub rule_name: Option<String>,
    /// The rule's description.
    pub description: Option<String>,
    /// More of the pattern (merged with `detail-type: AWS API Call via CloudTrail`).
    pub event_pattern: Option<EventPattern>,
    /// Put the rule under this construct when it is in another stack of the same environment.
    pub cross_stack_scope: Option<Node>,
}

/// A CloudTrail trail (`AWS::CloudTrail::Trail`) and what it delivers to.
///
/// Construct IDs as aws-cdk-lib: the bucket `S3` (its policy `S3/Policy`), `LogGroup`,
/// `LogsRole`, the trail `Resource`. The trail depends on the bucket policy and the logs role.
#[derive(Clone)]
pub struct Trail {
    base: Resource,
    resource: CfnTrail,
    bucket: Rc<dyn IBucket>,
    log_group: Option<Rc<dyn ILogGroup>>,
    arn: Str,
    management_events: Option<ReadWriteType>,
    selectors: Rc<RefCell<Vec<cfn_trail::EventSelectorProperty>>>,
}

impl IConstruct for Trail {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Trail {
    /// A trail (see [`TrailProps`] for the defaults).
    pub fn new(scope: &impl IConstruct, id: &str, props: TrailProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.cloudtrail.Trail",
            ResourceProps {
                physical_name: props.trail_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let stack = Stack::of(&node);
        let account = stack.as_ref().map(Stack::account).unwrap_or_default();
        let cloudtrail = ServicePrincipal::new("cloudtrail.amazonaws.com");

        let bucket: Rc<dyn IBucket> = match &props.bucket {
            Some(b) => b.clone(),
            None => Rc::new(Bucket::new(
                &node,
                "S3",
                BucketProps {
                    enforce_ssl: true,
                    ..Default::default()
                },
            )),
        };
        let mut policy_nodes = Vec::new();
        let result = bucket.add_to_resource_policy(
            PolicyStatement::new()
                .resource(bucket.bucket_arn())
                .action("s3:GetBucketAcl")
                .principal(&cloudtrail),
        );
        policy_nodes.extend(result.policy_dependable);
        let prefix = props
            .s3_key_prefix
            .as_ref()
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        let result = bucket.add_to_resource_policy(
            PolicyStatement::new()
                .resource(objects_arn(
                    &bucket,
                    Str::concat([
                        Str::from(format!("{prefix}AWSLogs/")),
                        account.clone(),
                        Str::from("/*"),
                    ]),
                ))
                .action("s3:PutObject")
                .principal(&cloudtrail)
                .condition(
                    "StringEquals",
                    "s3:x-amz-acl",
                    Value::from("bucket-owner-full-control"),
                ),
        );
        policy_nodes.extend(result.policy_dependable);

        if props.is_organization_trail == Some(true) {
            match (&props.org_id, &props.trail_name) {
                (None, _) => node.add_warning(
                    "Skipped attaching a policy to the bucket which allows organization trail to write because of missing orgId. Consider specifying orgId to add missing permissions [ack: @aws-cdk/aws-cloudtrail:missingOrgIdForOrganizationTrail]",
                ),
                (Some(_), None | Some(PhysicalName::GenerateIfNeeded)) => node.add_warning(
                    "Skipped attaching a policy to the bucket which allows organization trail to write because of missing trailName. Consider specifying trailName to add missing permissions [ack: @aws-cdk/aws-cloudtrail:missingTrailNameForOrganizationTrail]",
                ),
                (Some(org_id), Some(PhysicalName::Given(name))) => {
                    let bucket_stack = Stack::of(bucket.node());
                    let source_arn = Str::concat([
                        Str::from("arn:"),
                        stack.as_ref().map(Stack::partition).unwrap_or_default(),
                        Str::from(":cloudtrail:"),
                        bucket_stack.as_ref().map(Stack::region).unwrap_or_default(),
                        Str::from(":"),
                        bucket_stack.as_ref().map(Stack::account).unwrap_or_default(),
                        Str::from(":trail/"),
                        name.clone(),
                    ]);
                    let result = bucket.add_to_resource_policy(
                        PolicyStatement::new()
                            .resource(objects_arn(
                                &bucket,
                                Str::from(format!("AWSLogs/{org_id}/*")),
                            ))
                            .action("s3:PutObject")
                            .principal(&cloudtrail)
                            .condition(
                                "StringEquals",
                                "s3:x-amz-acl",
                                Value::from("bucket-owner-full-control"),
                            )
                            .condition("StringEquals", "aws:SourceArn", source_arn),
                    );
                    policy_nodes.extend(result.policy_dependable);
                }
            }
        }

        if let Some(topic) = &props.sns_topic {
            topic.grant_publish(&cloudtrail);
        }

        let mut log_group = None;
        let mut logs_role = None;
        if props.send_to_cloud_watch_logs {
            let group: Rc<dyn ILogGroup> = match &props.cloud_watch_log_group {
                Some(g) => g.clone(),
                None => Rc::new(LogGroup::new(
                    &node,
                    "LogGroup",
                    LogGroupProps {
                        retention: Some(
                            props
                                .cloud_watch_logs_retention
                                .unwrap_or(RetentionDays::OneYear),
                        ),
                        ..Default::default()
                    },
                )),
            };
            let role = Role::new(&node, "LogsRole", RoleProps::assumed_by(cloudtrail.clone()));
            role.add_to_policy(
                PolicyStatement::new()
                    .actions(["logs:PutLogEvents", "logs:CreateLogStream"])
                    .resource(group.log_group_arn()),
            );
            log_group = Some(group);
            logs_role = Some(role);
        }

        let selectors = Rc::new(RefCell::new(Vec::new()));
        if let Some(m) = props
            .management_events
            .filter(|m| *m != ReadWriteType::None)
        {
            selectors
                .borrow_mut()
                .push(cfn_trail::EventSelectorProperty {
                    include_management_events: Some(Bool::from(true)),
                    read_write_type: Some(m.as_str().into()),
                    ..Default::default()
                });
        }
        let insight_selectors = (!props.insight_types.is_empty()).then(|| {
            props
                .insight_types
                .iter()
                .map(|t| cfn_trail::InsightSelectorProperty {
                    insight_type: Some(t.as_str().into()),
                    ..Default::default()
                })
                .collect()
        });

        let resource = CfnTrail::new(
            &base,
            "Resource",
            CfnTrailProps {
                enable_log_file_validation: Some(Bool::from(
                    props.enable_file_validation.unwrap_or(true),
                )),
                is_multi_region_trail: Some(Bool::from(
                    props.is_multi_region_trail.unwrap_or(true),
                )),
                include_global_service_events: Some(Bool::from(
                    props.include_global_service_events.unwrap_or(true),
                )),
                trail_name: base.physical_name(),
                kms_key_id: props.encryption_key.as_ref().map(|k| k.key_arn()),
                s3_key_prefix: props.s3_key_prefix.clone().map(Str::from),
                cloud_watch_logs_log_group_arn: log_group.as_ref().map(|g| g.log_group_arn()),
                cloud_watch_logs_role_arn: logs_role.as_ref().map(Role::role_arn),
                sns_topic_name: props.sns_topic.as_ref().map(|t| t.topic_name()),
                is_organization_trail: props.is_organization_trail.map(Bool::from),
                insight_selectors,
                ..CfnTrailProps::new(true, bucket.bucket_name())
            },
        );
        let for_render = selectors.clone();
        resource.set_event_selectors(crate::generated::runtime::Late::lazy(move || {
            Some(for_render.borrow().clone())
        }));
        for policy in &policy_nodes {
            resource.resource().node().add_dependency(policy);
        }
        if let Some(role) = &logs_role {
            resource.resource().node().add_dependency(role);
        }
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("cloudtrail", "trail")
                .with_name(base.physical_name().unwrap_or_default()),
        );
        let trail = Trail {
            base,
            resource,
            bucket,
            log_group,
            arn,
            management_events: props.management_events,
            selectors,
        };
        let (management, for_check) = (trail.management_events, trail.selectors.clone());
        node.add_validation(move || {
            if management == Some(ReadWriteType::None) && for_check.borrow().is_empty() {
                vec!["At least one event selector must be added when management event recording is set to None".into()]
            } else {
                Vec::new()
            }
        });
        trail
    }

    /// An EventBridge rule for every API call CloudTrail records (`detail-type: AWS API Call
    /// via CloudTrail`), created as `id` under `scope` — aws-cdk-lib's static
    /// `Trail.onEvent`. Needs a trail that records the calls.
    pub fn on_event(scope: &impl IConstruct, id: &str, options: OnEventOptions) -> Rule {
        let rule = Rule::new(
            scope,
            id,
            RuleProps {
                rule_name: options.rule_name.clone(),
                description: options.description.clone(),
                event_pattern: options.event_pattern.clone(),
                cross_stack_scope: options.cross_stack_scope.clone(),
                ..Default::default()
            },
        );
        if let Some(target) = options.target {
            rule.add_target_rc(target);
        }
        rule.add_event_pattern(&EventPattern {
            detail_type: vec!["AWS API Call via CloudTrail".into()],
            ..Default::default()
        });
        rule
    }

    /// [`Trail::on_event`] with this trail as the scope (aws-cdk-lib's `onCloudTrailEvent`).
    pub fn on_cloud_trail_event(&self, id: &str, options: OnEventOptions) -> Rule {
        Self::on_event(self.node(), id, options)
    }

    /// Adds a data event selector for `values` (ARNs or ARN prefixes) of `data_resource_type`
    /// (aws-cdk-lib's `addEventSelector`). At most 250 values per selector and 5 selectors
    /// per trail (synth errors naming the trail otherwise).
    pub fn add_event_selector(
        &self,
        data_resource_type: DataResourceType,
        values: Vec<Str>,
        options: AddEventSelectorOptions,
    ) {
        if values.len() > 250 {
            self.node()
                .add_error("A maximum of 250 data elements can be in one event selector");
            return;
        }
        let mut selectors = self.selectors.borrow_mut();
        if selectors.len() > 5 {
            self.node()
                .add_error("A maximum of 5 event selectors are supported per trail.");
            return;
        }
        let include_all = (self.management_events == Some(ReadWriteType::None)).then_some(false);
        selectors.push(cfn_trail::EventSelectorProperty {
            data_resources: Some(vec![cfn_trail::DataResourceProperty {
                values: Some(values.into()),
                ..cfn_trail::DataResourceProperty::new(data_resource_type.as_str())
            }]),
            include_management_events: options
                .include_management_events
                .or(include_all)
                .map(Bool::from),
            exclude_management_event_sources: options.exclude_management_event_sources.map(
                |sources| {
                    sources
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .into()
                },
            ),
            read_write_type: options.read_write_type.map(|r| r.as_str().into()),
        });
    }

    /// Logs the invocations of `handlers` (aws-cdk-lib's `addLambdaEventSelector`); nothing
    /// when the list is empty.
    pub fn add_lambda_event_selector(
        &self,
        handlers: &[Rc<dyn IFunction>],
        options: AddEventSelectorOptions,
    ) {
        if handlers.is_empty() {
            return;
        }
        let values = handlers.iter().map(|h| h.function_arn()).collect();
        self.add_event_selector(DataResourceType::LambdaFunction, values, options);
    }

    /// Logs the invocations of every Lambda function (`arn:<partition>:lambda`).
    pub fn log_all_lambda_data_events(&self, options: AddEventSelectorOptions) {
        let value = Str::concat([Str::from("arn:"), self.partition(), Str::from(":lambda")]);
        self.add_event_selector(DataResourceType::LambdaFunction, vec![value], options);
    }

    /// Logs the object-level calls on the selected buckets' objects, `<bucket ARN>/<prefix>`
    /// (aws-cdk-lib's `addS3EventSelector`); nothing when the list is empty.
    pub fn add_s3_event_selector(
        &self,
        selectors: &[S3EventSelector],
        options: AddEventSelectorOptions,
    ) {
        if selectors.is_empty() {
            return;
        }
        let values = selectors
            .iter()
            .map(|s| {
                Str::concat([
                    s.bucket.bucket_arn(),
                    Str::from(format!("/{}", s.object_prefix.as_deref().unwrap_or(""))),
                ])
            })
            .collect();
        self.add_event_selector(DataResourceType::S3Object, values, options);
    }

    /// Logs the object-level calls on every bucket (`arn:<partition>:s3:::`).
    pub fn log_all_s3_data_events(&self, options: AddEventSelectorOptions) {
        let value = Str::concat([Str::from("arn:"), self.partition(), Str::from(":s3:::")]);
        self.add_event_selector(DataResourceType::S3Object, vec![value], options);
    }

    /// The trail's ARN.
    pub fn trail_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The ARN of the SNS topic the trail notifies (`Fn::GetAtt SnsTopicArn`).
    pub fn trail_sns_topic_arn(&self) -> Str {
        self.resource.attr_sns_topic_arn()
    }

    /// The bucket the trail delivers to.
    pub fn s3_bucket(&self) -> Rc<dyn IBucket> {
        self.bucket.clone()
    }

    /// The CloudWatch Logs group, when `send_to_cloud_watch_logs` is set.
    pub fn log_group(&self) -> Option<Rc<dyn ILogGroup>> {
        self.log_group.clone()
    }

    /// The `AWS::CloudTrail::Trail` resource.
    pub fn cfn(&self) -> &CfnTrail {
        &self.resource
    }

    fn partition(&self) -> Str {
        Stack::of(self.node())
            .map(|s| s.partition())
            .unwrap_or_default()
    }
}

/// `<bucket ARN>/<key pattern>` with a key pattern that may hold tokens (aws-cdk-lib's
/// `arnForObjects`).
fn objects_arn(bucket: &Rc<dyn IBucket>, key_pattern: Str) -> Str {
    Str::concat([bucket.bucket_arn(), Str::from("/"), key_pattern])
}
