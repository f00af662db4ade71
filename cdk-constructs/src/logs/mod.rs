//! CloudWatch Logs: log groups ([`LogGroup`], retention, encryption, removal policy, grants,
//! resource policy), log streams ([`LogStream`]), metric filters ([`MetricFilter`]) and their
//! filter patterns ([`FilterPattern`]), with aws-cdk-lib 2.276's names, defaults and construct
//! IDs.
//!
//! ```
//! use cdk_core::{App, RemovalPolicy, Stack, StackProps};
//! use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
//! use cdk_constructs::logs::*;
//!
//! let app = App::new();
//! let stack = Stack::new(&app, "Observability", StackProps::default());
//! let group = LogGroup::new(&stack, "AppLogs", LogGroupProps {
//!     retention: Some(RetentionDays::OneMonth),
//!     removal_policy: Some(RemovalPolicy::Destroy),
//!     ..Default::default()
//! });
//! group.add_metric_filter("Errors", MetricFilterOptions {
//!     filter_pattern: FilterPattern::any_term(["ERROR", "Exception"]),
//!     ..MetricFilterOptions::new("MyApp", "Errors")
//! });
//! let writer = Role::new(&stack, "Writer", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
//! group.grant_write(&writer); // logs:CreateLogStream, logs:PutLogEvents on the group
//! ```

mod pattern;

pub use pattern::{
    FilterPattern, JsonPattern, LogPattern, NumericComparison, SpaceDelimitedTextPattern,
    StringComparison,
};

use std::cell::RefCell;
use std::rc::Rc;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Names, Node, PhysicalName, RemovalPolicy, Resource,
    ResourceEnvironment, ResourceProps, Stack, Str,
};

use crate::iam::{
    AddToResourcePolicyResult, Grant, IPrincipal, IResourceWithPolicy, PolicyDocument,
    PolicyStatement,
};
use crate::kms::IKey;

/// How long log events are kept (aws-cdk-lib's `RetentionDays`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionDays {
    /// 1 day.
    OneDay,
    /// 3 days.
    ThreeDays,
    /// 5 days.
    FiveDays,
    /// 1 week.
    OneWeek,
    /// 2 weeks.
    TwoWeeks,
    /// 30 days.
    OneMonth,
    /// 60 days.
    TwoMonths,
    /// 90 days.
    ThreeMonths,
    /// 120 days.
    FourMonths,
    /// 150 days.
    FiveMonths,
    /// 180 days.
    SixMonths,
    /// 365 days.
    OneYear,
    /// 400 days.
    ThirteenMonths,
    /// 545 days.
    EighteenMonths,
    /// 731 days: the default of a [`LogGroup`].
    TwoYears,
    /// 1096 days.
    ThreeYears,
    /// 1827 days.
    FiveYears,
    /// 2192 days.
    SixYears,
    /// 2557 days.
    SevenYears,
    /// 2922 days.
    EightYears,
    /// 3288 days.
    NineYears,
    /// 3653 days.
    TenYears,
    /// Kept forever (`RetentionInDays` left out).
    Infinite,
}

impl RetentionDays {
    /// The number of days (`None` for [`RetentionDays::Infinite`]).
    pub fn days(self) -> Option<u32> {
        use RetentionDays::*;
        Some(match self {
            OneDay => 1,
            ThreeDays => 3,
            FiveDays => 5,
            OneWeek => 7,
            TwoWeeks => 14,
            OneMonth => 30,
            TwoMonths => 60,
            ThreeMonths => 90,
            FourMonths => 120,
            FiveMonths => 150,
            SixMonths => 180,
            OneYear => 365,
            ThirteenMonths => 400,
            EighteenMonths => 545,
            TwoYears => 731,
            ThreeYears => 1096,
            FiveYears => 1827,
            SixYears => 2192,
            SevenYears => 2557,
            EightYears => 2922,
            NineYears => 3288,
            TenYears => 3653,
            Infinite => return None,
        })
    }
}

/// The class of a log group (aws-cdk-lib's `LogGroupClass`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogGroupClass {
    /// `STANDARD`.
    Standard,
    /// `INFREQUENT_ACCESS`.
    InfrequentAccess,
    /// `DELIVERY` (no retention setting).
    Delivery,
}

impl LogGroupClass {
    fn to_cfn(self) -> cfn_log_group::LogGroupClass {
        match self {
            LogGroupClass::Standard => cfn_log_group::LogGroupClass::Standard,
            LogGroupClass::InfrequentAccess => cfn_log_group::LogGroupClass::InfrequentAccess,
            LogGroupClass::Delivery => cfn_log_group::LogGroupClass::Delivery,
        }
    }
}

/// Properties of a [`LogGroup`].
#[derive(Clone, Default)]
pub struct LogGroupProps {
    /// The group's name (default: chosen by CloudFormation).
    pub log_group_name: Option<PhysicalName>,
    /// How long events are kept (default [`RetentionDays::TwoYears`]; none for the
    /// `DELIVERY` class).
    pub retention: Option<RetentionDays>,
    /// A customer managed key that encrypts the events (`KmsKeyId`).
    pub encryption_key: Option<Rc<dyn IKey>>,
    /// What happens to the group when it leaves the stack (default: retained).
    pub removal_policy: Option<RemovalPolicy>,
    /// The log group class (default: CloudFormation's, `STANDARD`).
    pub log_group_class: Option<LogGroupClass>,
    /// Protect the group from deletion (`DeletionProtectionEnabled`).
    pub deletion_protection_enabled: Option<bool>,
}

/// A log group: created here ([`LogGroup`]) or imported ([`ImportedLogGroup`]).
pub trait ILogGroup: IConstruct + IResourceWithPolicy {
    /// The group's ARN, with aws-cdk-lib's `:*` suffix (as `Fn::GetAtt Arn` returns it).
    fn log_group_arn(&self) -> Str;
    /// The group's name.
    fn log_group_name(&self) -> Str;
    /// Where the group lives.
    fn env(&self) -> ResourceEnvironment;
    /// The group as a resource with a policy (for grants).
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy;

    /// The ARN without the `:*` suffix (aws-cdk-lib's `logGroupArnWithoutStreamSuffix`).
    fn log_group_arn_without_stream_suffix(&self) -> Str {
        let arn = self.log_group_arn();
        match arn.literal() {
            Some(lit) => Str::from(lit.strip_suffix(":*").unwrap_or(lit)),
            None => match Stack::of(self.node()) {
                Some(stack) => {
                    let env = self.env();
                    stack.format_arn(
                        ArnComponents::new("logs", "log-group")
                            .with_name(self.log_group_name())
                            .with_format(ArnFormat::ColonResourceName)
                            .with_account(env.account)
                            .with_region(env.region),
                    )
                }
                None => arn,
            },
        }
    }

    /// Grants `actions` on the group (both ARN forms) to `grantee`: in its policy, or in the
    /// group's resource policy for a principal without one (service principals) or of another
    /// account (aws-cdk-lib's `LogGroupGrants.actions`).
    fn grant(&self, grantee: &dyn IPrincipal, actions: &[&str]) -> Grant {
        Grant::add_to_principal_or_resource(
            grantee,
            actions,
            [
                self.log_group_arn_without_stream_suffix(),
                self.log_group_arn(),
            ],
            self.as_policy_resource(),
        )
    }

    /// `logs:CreateLogStream` and `logs:PutLogEvents` on the group's streams.
    fn grant_write(&self, grantee: &dyn IPrincipal) -> Grant {
        Grant::add_to_principal_or_resource(
            grantee,
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            [self.log_group_arn()],
            self.as_policy_resource(),
        )
    }

    /// Filter, get and describe the group's events, fields and streams.
    fn grant_read(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant(
            grantee,
            &[
                "logs:FilterLogEvents",
                "logs:GetLogEvents",
                "logs:GetLogGroupFields",
                "logs:DescribeLogGroups",
                "logs:DescribeLogStreams",
            ],
        )
    }

    /// A metric filter `id` under this group.
    fn add_metric_filter(&self, id: &str, options: MetricFilterOptions) -> MetricFilter {
        MetricFilter::create(self.node(), id, self.log_group_name(), options)
    }

    /// A log stream `id` under this group.
    fn add_stream(&self, id: &str, options: StreamOptions) -> LogStream {
        LogStream::create(self.node(), id, self.log_group_name(), options)
    }

    /// Publishes the JSON field `json_field` (`$.latency`) of every event that has it as the
    /// metric `metric_namespace`/`metric_name`: a metric filter `<namespace>_<name>` under
    /// the group, and that metric (aws-cdk-lib's `extractMetric`; statistic `Average`,
    /// 5 minutes, no dimensions).
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::cloudwatch::{Alarm, AlarmProps};
    /// use cdk_constructs::logs::{ILogGroup, LogGroup, LogGroupProps};
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "S", StackProps::default());
    /// let group = LogGroup::new(&stack, "AppLogs", LogGroupProps::default());
    /// let latency = group.extract_metric("$.latency", "MyApp", "Latency"); // filter `MyApp_Latency`
    /// Alarm::new(&stack, "SlowRequests", AlarmProps::new(latency, 1000.0, 3));
    /// ```
    #[cfg(feature = "cloudwatch")]
    fn extract_metric(
        &self,
        json_field: &str,
        metric_namespace: &str,
        metric_name: &str,
    ) -> crate::cloudwatch::Metric {
        MetricFilter::create(
            self.node(),
            &format!("{metric_namespace}_{metric_name}"),
            self.log_group_name(),
            MetricFilterOptions {
                filter_pattern: FilterPattern::exists(json_field).into(),
                metric_value: Some(json_field.to_string()),
                ..MetricFilterOptions::new(metric_namespace, metric_name)
            },
        );
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: metric_namespace.into(),
            metric_name: metric_name.into(),
            ..Default::default()
        })
    }

    /// The CloudWatch Logs metric `metric_name` (namespace `AWS/Logs`, statistic `Sum`, changed
    /// by `options`). As aws-cdk-lib 2.276, the metric has no `LogGroupName` dimension: add one
    /// through `options.dimensions_map` to watch only this group.
    #[cfg(feature = "cloudwatch")]
    fn metric(
        &self,
        metric_name: &str,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: "AWS/Logs".into(),
            metric_name: metric_name.into(),
            statistic: Some(crate::cloudwatch::Stats::SUM.into()),
            ..Default::default()
        })
        .with(options)
    }

    /// Log events received (`IncomingLogs`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_incoming_log_events(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.metric("IncomingLogs", options)
    }

    /// Bytes of log events received (`IncomingBytes`, sum over 5 minutes).
    #[cfg(feature = "cloudwatch")]
    fn metric_incoming_bytes(
        &self,
        options: crate::cloudwatch::MetricOptions,
    ) -> crate::cloudwatch::Metric {
        self.metric("IncomingBytes", options)
    }
}

#[derive(Default)]
struct PolicyState {
    policy: Option<ResourcePolicy>,
}

/// aws-cdk-lib's `LogGroupBase.addToResourcePolicy`: child `Policy` on first use.
fn add_to_policy(
    node: &Node,
    state: &Rc<RefCell<PolicyState>>,
    statement: PolicyStatement,
) -> AddToResourcePolicyResult {
    let existing = state.borrow().policy.clone();
    let policy = match existing {
        Some(p) => p,
        None => {
            let p = ResourcePolicy::new(node, "Policy", ResourcePolicyProps::default());
            state.borrow_mut().policy = Some(p.clone());
            p
        }
    };
    policy.document().add_statements([statement]);
    AddToResourcePolicyResult {
        statement_added: true,
        policy_dependable: Some(policy.node().clone()),
    }
}

/// A CloudWatch Logs log group (`AWS::Logs::LogGroup`, child `Resource`): kept 731 days and
/// retained when removed from the stack by default, as in aws-cdk-lib.
#[derive(Clone)]
pub struct LogGroup {
    base: Resource,
    resource: CfnLogGroup,
    arn: Str,
    name: Str,
    policy: Rc<RefCell<PolicyState>>,
}

impl IConstruct for LogGroup {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl LogGroup {
    /// Defines a log group `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: LogGroupProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.logs.LogGroup",
            ResourceProps {
                physical_name: props.log_group_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let delivery = props.log_group_class == Some(LogGroupClass::Delivery);
        if delivery && props.retention.is_some() {
            node.add_error(
                "retention is not supported for a log group with logGroupClass DELIVERY; remove retention or use a different LogGroupClass",
            );
        }
        let retention = match props.retention {
            Some(r) => r.days(),
            None if delivery => None,
            None => RetentionDays::TwoYears.days(),
        };
        let resource = CfnLogGroup::new(
            &base,
            "Resource",
            CfnLogGroupProps {
                kms_key_id: props.encryption_key.as_ref().map(|k| k.key_arn()),
                log_group_class: props.log_group_class.map(LogGroupClass::to_cfn),
                log_group_name: base.physical_name(),
                retention_in_days: retention.map(Into::into),
                deletion_protection_enabled: props.deletion_protection_enabled.map(Into::into),
                ..Default::default()
            },
        );
        resource
            .resource()
            .apply_removal_policy(props.removal_policy.unwrap_or(RemovalPolicy::Retain));
        let arn = base.arn_attribute(
            resource.attr_arn(),
            ArnComponents::new("logs", "log-group")
                .with_name(base.physical_name().unwrap_or_default())
                .with_format(ArnFormat::ColonResourceName),
        );
        let name = base.name_attribute(resource.ref_());
        LogGroup {
            base,
            resource,
            arn,
            name,
            policy: Rc::default(),
        }
    }

    /// An existing log group by ARN (with or without the `:*` suffix).
    pub fn from_log_group_arn(
        scope: &impl IConstruct,
        id: &str,
        log_group_arn: impl Into<Str>,
    ) -> ImportedLogGroup {
        let arn: Str = log_group_arn.into();
        let base_arn = match arn.literal() {
            Some(l) => Str::from(l.strip_suffix(":*").unwrap_or(l)),
            None => arn.clone(),
        };
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.logs.ImportedLogGroup",
            ResourceProps {
                environment_from_arn: Some(base_arn.clone()),
                ..Default::default()
            },
        );
        let name = Stack::of(&base)
            .and_then(|s| {
                s.split_arn(base_arn.clone(), ArnFormat::ColonResourceName)
                    .resource_name
            })
            .unwrap_or_default();
        ImportedLogGroup {
            base,
            arn: base_arn + ":*",
            name,
            policy: Rc::default(),
        }
    }

    /// An existing log group of this stack's account and region, by name.
    pub fn from_log_group_name(
        scope: &impl IConstruct,
        id: &str,
        log_group_name: impl Into<Str>,
    ) -> ImportedLogGroup {
        let name: Str = log_group_name.into();
        let name = match name.literal() {
            Some(l) => Str::from(l.strip_suffix(":*").unwrap_or(l)),
            None => name,
        };
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.logs.ImportedLogGroup",
            ResourceProps::default(),
        );
        let arn = match Stack::of(&base) {
            Some(s) => s.format_arn(
                ArnComponents::new("logs", "log-group")
                    .with_name(name.clone() + ":*")
                    .with_format(ArnFormat::ColonResourceName),
            ),
            None => name.clone(),
        };
        ImportedLogGroup {
            base,
            arn,
            name,
            policy: Rc::default(),
        }
    }

    /// The group's ARN (`Fn::GetAtt Arn`, which ends in `:*`).
    pub fn log_group_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The group's name (`Ref`).
    pub fn log_group_name(&self) -> Str {
        self.name.clone()
    }

    /// The resource policy, once a statement was added.
    pub fn policy(&self) -> Option<ResourcePolicy> {
        self.policy.borrow().policy.clone()
    }

    /// Changes the removal policy.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.resource.resource().apply_removal_policy(policy);
    }

    /// The underlying `AWS::Logs::LogGroup`.
    pub fn cfn(&self) -> &CfnLogGroup {
        &self.resource
    }

    /// The stack the group is defined in.
    pub fn stack(&self) -> Option<Stack> {
        self.base.stack()
    }
}

impl IResourceWithPolicy for LogGroup {
    /// Adds `statement` to the group's resource policy (child `Policy`, created on first use).
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        add_to_policy(self.node(), &self.policy, statement)
    }

    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ILogGroup for LogGroup {
    fn log_group_arn(&self) -> Str {
        self.arn.clone()
    }
    fn log_group_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

/// A log group defined outside this app ([`LogGroup::from_log_group_arn`],
/// [`LogGroup::from_log_group_name`]).
#[derive(Clone)]
pub struct ImportedLogGroup {
    base: Resource,
    arn: Str,
    name: Str,
    policy: Rc<RefCell<PolicyState>>,
}

impl IConstruct for ImportedLogGroup {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IResourceWithPolicy for ImportedLogGroup {
    /// As in aws-cdk-lib, an imported group also gets a resource policy of this stack
    /// (child `Policy`, created on first use).
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        add_to_policy(self.node(), &self.policy, statement)
    }
    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ILogGroup for ImportedLogGroup {
    fn log_group_arn(&self) -> Str {
        self.arn.clone()
    }
    fn log_group_name(&self) -> Str {
        self.name.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
}

impl From<LogGroup> for Rc<dyn ILogGroup> {
    fn from(g: LogGroup) -> Self {
        Rc::new(g)
    }
}

impl From<&LogGroup> for Rc<dyn ILogGroup> {
    fn from(g: &LogGroup) -> Self {
        Rc::new(g.clone())
    }
}

impl From<ImportedLogGroup> for Rc<dyn ILogGroup> {
    fn from(g: ImportedLogGroup) -> Self {
        Rc::new(g)
    }
}

/// Properties of a [`ResourcePolicy`].
#[derive(Clone, Default)]
pub struct ResourcePolicyProps {
    /// The policy's name (default: the construct's unique ID).
    pub resource_policy_name: Option<String>,
    /// Initial statements.
    pub policy_statements: Vec<PolicyStatement>,
}

/// A CloudWatch Logs resource policy (`AWS::Logs::ResourcePolicy`, child `ResourcePolicy`);
/// the document is written as JSON text, as aws-cdk-lib writes it.
#[derive(Clone)]
pub struct ResourcePolicy {
    node: Node,
    document: PolicyDocument,
    resource: CfnResourcePolicy,
}

impl IConstruct for ResourcePolicy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl ResourcePolicy {
    /// A resource policy `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: ResourcePolicyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.logs.ResourcePolicy");
        let document = PolicyDocument::with_statements(props.policy_statements);
        let name_node = node.clone();
        let given = props.resource_policy_name.clone();
        let policy_name = Str::lazy(move || {
            Str::from(
                given
                    .clone()
                    .unwrap_or_else(|| Names::unique_id(&name_node)),
            )
        });
        let resource = CfnResourcePolicy::new(
            &node,
            "ResourcePolicy",
            CfnResourcePolicyProps::new(
                cdk_core::json::to_json_string(document.to_value(), 0).into_value(),
                policy_name,
            ),
        );
        let doc = document.clone();
        node.add_validation(move || doc.validate_for_resource_policy());
        ResourcePolicy {
            node,
            document,
            resource,
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The underlying `AWS::Logs::ResourcePolicy`.
    pub fn cfn(&self) -> &CfnResourcePolicy {
        &self.resource
    }
}

/// A metric filter's options when added to a group ([`ILogGroup::add_metric_filter`]).
#[derive(Clone)]
pub struct MetricFilterOptions {
    /// The pattern that selects events.
    pub filter_pattern: LogPattern,
    /// The metric's namespace.
    pub metric_namespace: String,
    /// The metric's name.
    pub metric_name: String,
    /// What is published per matching event: a number or a `$.field` selector (default `"1"`).
    pub metric_value: Option<String>,
    /// Published when no event matches (default: nothing).
    pub default_value: Option<f64>,
    /// Up to 3 dimensions, `(name, $.field)`, in order.
    pub dimensions: Vec<(String, String)>,
    /// The metric's unit.
    pub unit: Option<cfn_metric_filter::MetricTransformationUnit>,
    /// The filter's name (default: chosen by CloudFormation).
    pub filter_name: Option<String>,
    /// Apply to transformed logs (`ApplyOnTransformedLogs`).
    pub apply_on_transformed_logs: Option<bool>,
}

impl MetricFilterOptions {
    /// Options publishing `metric_namespace`/`metric_name` for every event.
    pub fn new(metric_namespace: impl Into<String>, metric_name: impl Into<String>) -> Self {
        MetricFilterOptions {
            filter_pattern: FilterPattern::all_events(),
            metric_namespace: metric_namespace.into(),
            metric_name: metric_name.into(),
            metric_value: None,
            default_value: None,
            dimensions: Vec::new(),
            unit: None,
            filter_name: None,
            apply_on_transformed_logs: None,
        }
    }
}

/// Properties of a [`MetricFilter`]: the group and the [`MetricFilterOptions`].
#[derive(Clone)]
pub struct MetricFilterProps {
    /// The group whose events are filtered.
    pub log_group: Rc<dyn ILogGroup>,
    /// The filter's options.
    pub options: MetricFilterOptions,
}

/// A metric filter (`AWS::Logs::MetricFilter`, child `Resource`): publishes a CloudWatch metric
/// from the events of a log group that match a pattern.
///
/// ```
/// use std::rc::Rc;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::logs::*;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let group = LogGroup::new(&stack, "LogGroup", LogGroupProps::default());
/// MetricFilter::new(&stack, "MetricFilter", MetricFilterProps {
///     log_group: Rc::new(group),
///     options: MetricFilterOptions {
///         filter_pattern: FilterPattern::exists("$.latency").into(),
///         metric_value: Some("$.latency".into()),
///         dimensions: vec![("ErrorCode".into(), "$.errorCode".into())],
///         ..MetricFilterOptions::new("MyApp", "Latency")
///     },
/// });
/// ```
#[derive(Clone)]
pub struct MetricFilter {
    base: Resource,
    resource: CfnMetricFilter,
    metric_name: String,
    metric_namespace: String,
}

impl IConstruct for MetricFilter {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl MetricFilter {
    /// Defines a metric filter `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: MetricFilterProps) -> Self {
        Self::create(scope, id, props.log_group.log_group_name(), props.options)
    }

    fn create(
        scope: &impl IConstruct,
        id: &str,
        log_group_name: Str,
        o: MetricFilterOptions,
    ) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.logs.MetricFilter",
            ResourceProps {
                physical_name: o.filter_name.clone().map(PhysicalName::from),
                ..Default::default()
            },
        );
        if o.dimensions.len() > 3 {
            base.node().add_error(&format!(
                "MetricFilter only supports a maximum of 3 dimensions but received {}.",
                o.dimensions.len()
            ));
        }
        let mut transformation = cfn_metric_filter::MetricTransformationProperty::new(
            o.metric_name.as_str(),
            o.metric_namespace.as_str(),
            o.metric_value
                .clone()
                .unwrap_or_else(|| "1".into())
                .as_str(),
        );
        transformation.default_value = o.default_value.map(Into::into);
        transformation.unit = o.unit.clone();
        if !o.dimensions.is_empty() {
            transformation.dimensions = Some(
                o.dimensions
                    .iter()
                    .map(|(k, v)| crate::CfnTag::new(k.as_str(), v.as_str()))
                    .collect(),
            );
        }
        let mut props = CfnMetricFilterProps::new(
            o.filter_pattern.log_pattern_string(),
            log_group_name,
            vec![transformation],
        );
        props.filter_name = base.physical_name();
        props.apply_on_transformed_logs = o.apply_on_transformed_logs.map(Into::into);
        let resource = CfnMetricFilter::new(&base, "Resource", props);
        MetricFilter {
            base,
            resource,
            metric_name: o.metric_name,
            metric_namespace: o.metric_namespace,
        }
    }

    /// The published metric's name.
    pub fn metric_name(&self) -> &str {
        &self.metric_name
    }

    /// The published metric's namespace.
    pub fn metric_namespace(&self) -> &str {
        &self.metric_namespace
    }

    /// The metric this filter publishes (aws-cdk-lib's `MetricFilter.metric`: statistic
    /// `Average`, 5 minutes, no dimensions), changed by `options`.
    ///
    /// ```
    /// use cdk_core::{App, Stack, StackProps};
    /// use cdk_constructs::cloudwatch::{Alarm, AlarmProps, MetricOptions, Stats};
    /// use cdk_constructs::logs::*;
    ///
    /// let app = App::new();
    /// let stack = Stack::new(&app, "S", StackProps::default());
    /// let group = LogGroup::new(&stack, "AppLogs", LogGroupProps::default());
    /// let errors = group.add_metric_filter("Errors", MetricFilterOptions {
    ///     filter_pattern: FilterPattern::all_terms(["ERROR"]),
    ///     ..MetricFilterOptions::new("MyApp", "Errors")
    /// });
    /// let sum = errors.metric(MetricOptions { statistic: Some(Stats::SUM.into()), ..Default::default() });
    /// Alarm::new(&stack, "ErrorsLogged", AlarmProps::new(sum, 1.0, 1));
    /// ```
    #[cfg(feature = "cloudwatch")]
    pub fn metric(&self, options: crate::cloudwatch::MetricOptions) -> crate::cloudwatch::Metric {
        crate::cloudwatch::Metric::new(crate::cloudwatch::MetricProps {
            namespace: self.metric_namespace.clone(),
            metric_name: self.metric_name.clone(),
            statistic: Some("avg".into()),
            ..Default::default()
        })
        .with(options)
    }

    /// The underlying `AWS::Logs::MetricFilter`.
    pub fn cfn(&self) -> &CfnMetricFilter {
        &self.resource
    }
}

/// Options of a [`LogStream`] added to a group ([`ILogGroup::add_stream`]).
#[derive(Clone, Default)]
pub struct StreamOptions {
    /// The stream's name (default: chosen by CloudFormation).
    pub log_stream_name: Option<String>,
    /// What happens to the stream when it leaves the stack (default: retained).
    pub removal_policy: Option<RemovalPolicy>,
}

/// A log stream of a group (`AWS::Logs::LogStream`, child `Resource`), retained by default.
#[derive(Clone)]
pub struct LogStream {
    base: Resource,
    resource: CfnLogStream,
}

impl IConstruct for LogStream {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl LogStream {
    /// Defines a stream `id` of `log_group` under `scope`.
    pub fn new(
        scope: &impl IConstruct,
        id: &str,
        log_group: &dyn ILogGroup,
        options: StreamOptions,
    ) -> Self {
        Self::create(scope, id, log_group.log_group_name(), options)
    }

    fn create(scope: &impl IConstruct, id: &str, group: Str, o: StreamOptions) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.logs.LogStream",
            ResourceProps {
                physical_name: o.log_stream_name.clone().map(PhysicalName::from),
                ..Default::default()
            },
        );
        let resource = CfnLogStream::new(
            &base,
            "Resource",
            CfnLogStreamProps {
                log_group_name: group,
                log_stream_name: base.physical_name(),
            },
        );
        resource
            .resource()
            .apply_removal_policy(o.removal_policy.unwrap_or(RemovalPolicy::Retain));
        LogStream { base, resource }
    }

    /// The stream's name (`Ref`).
    pub fn log_stream_name(&self) -> Str {
        self.base.name_attribute(self.resource.ref_())
    }

    /// The underlying `AWS::Logs::LogStream`.
    pub fn cfn(&self) -> &CfnLogStream {
        &self.resource
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::logs::*;
