//! SNS: the [`ITopic`] interface, topics ([`Topic`]: FIFO, KMS encryption, message archive,
//! SSL-only publishing), their resource policy ([`TopicPolicy`]), subscriptions
//! ([`Subscription`], with filter policies, HTTP/S delivery policies ([`DeliveryPolicy`]) and
//! dead-letter queues), grants and imported topics — as aws-cdk-lib's `aws-sns`. Subscribers
//! (Lambda, SQS, email, URL) are in [`crate::sns_subscriptions`].

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use cdk_core::{
    ArnComponents, ArnFormat, IConstruct, Names, Node, PhysicalName, Resource, ResourceEnvironment,
    ResourceProps, Stack, Str, UniqueResourceNameOptions, Value,
};

use crate::iam::{
    AddToResourcePolicyResult, Effect, Grant, IPrincipal, IResourceWithPolicy, IRole,
    PolicyDocument, PolicyStatement, ServicePrincipal, StarPrincipal,
};
use crate::kms::{IKey, Key};
use crate::sqs::IQueue;
use crate::Bool;

/// Topic actions of [`ITopic::grant_publish`].
pub const PUBLISH_ACTIONS: &[&str] = &["sns:Publish"];
/// Key actions of [`ITopic::grant_publish`].
pub const PUBLISH_KEY_ACTIONS: &[&str] = &["kms:Decrypt", "kms:GenerateDataKey*"];
/// Topic actions of [`ITopic::grant_subscribe`].
pub const SUBSCRIBE_ACTIONS: &[&str] = &["sns:Subscribe"];

/// How a subscriber receives messages (aws-cdk-lib's `SubscriptionProtocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionProtocol {
    /// JSON-encoded message by HTTP POST.
    Http,
    /// JSON-encoded message by HTTPS POST.
    Https,
    /// Email.
    Email,
    /// JSON-encoded email.
    EmailJson,
    /// Text message.
    Sms,
    /// An SQS queue.
    Sqs,
    /// A mobile application endpoint.
    Application,
    /// A Lambda function.
    Lambda,
    /// A Kinesis Data Firehose delivery stream.
    Firehose,
}

impl SubscriptionProtocol {
    /// The protocol as CloudFormation writes it (`https`, `sqs`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionProtocol::Http => "http",
            SubscriptionProtocol::Https => "https",
            SubscriptionProtocol::Email => "email",
            SubscriptionProtocol::EmailJson => "email-json",
            SubscriptionProtocol::Sms => "sms",
            SubscriptionProtocol::Sqs => "sqs",
            SubscriptionProtocol::Application => "application",
            SubscriptionProtocol::Lambda => "lambda",
            SubscriptionProtocol::Firehose => "firehose",
        }
    }
}

/// Conditions on one message attribute (aws-cdk-lib's `SubscriptionFilter`).
#[derive(Clone, Debug, Default)]
pub struct SubscriptionFilter {
    /// The conditions, as the filter policy writes them.
    pub conditions: Vec<Value>,
}

/// Conditions of [`SubscriptionFilter::string_filter`].
#[derive(Clone, Debug, Default)]
pub struct StringConditions {
    /// Match one of these values.
    pub allowlist: Vec<String>,
    /// Match anything but these values.
    pub denylist: Vec<String>,
    /// Match values starting with one of these.
    pub match_prefixes: Vec<String>,
    /// Match values ending with one of these.
    pub match_suffixes: Vec<String>,
}

/// Conditions of [`SubscriptionFilter::numeric_filter`].
#[derive(Clone, Debug, Default)]
pub struct NumericConditions {
    /// Match one of these values.
    pub allowlist: Vec<f64>,
    /// Greater than.
    pub greater_than: Option<f64>,
    /// Greater than or equal to.
    pub greater_than_or_equal_to: Option<f64>,
    /// Less than.
    pub less_than: Option<f64>,
    /// Less than or equal to.
    pub less_than_or_equal_to: Option<f64>,
    /// Between, inclusive (`start`, `stop`).
    pub between: Option<(f64, f64)>,
    /// Between, exclusive.
    pub between_strict: Option<(f64, f64)>,
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

impl SubscriptionFilter {
    /// String conditions: allowed values, then `anything-but`, `prefix` and `suffix`.
    pub fn string_filter(c: StringConditions) -> Self {
        let mut conditions: Vec<Value> = c.allowlist.iter().map(Value::from).collect();
        if !c.denylist.is_empty() {
            conditions.push(Value::object([("anything-but", Value::list(c.denylist))]));
        }
        for p in c.match_prefixes {
            conditions.push(Value::object([("prefix", Value::from(p))]));
        }
        for s in c.match_suffixes {
            conditions.push(Value::object([("suffix", Value::from(s))]));
        }
        SubscriptionFilter { conditions }
    }

    /// Numeric conditions (`{"numeric": [op, value, ...]}`).
    pub fn numeric_filter(c: NumericConditions) -> Self {
        let num = |parts: Vec<Value>| Value::object([("numeric", Value::List(parts))]);
        let mut conditions: Vec<Value> = c
            .allowlist
            .iter()
            .map(|v| num(vec!["=".into(), number(*v)]))
            .collect();
        for (op, v) in [
            (">", c.greater_than),
            (">=", c.greater_than_or_equal_to),
            ("<", c.less_than),
            ("<=", c.less_than_or_equal_to),
        ] {
            if let Some(v) = v {
                conditions.push(num(vec![op.into(), number(v)]));
            }
        }
        if let Some((a, b)) = c.between {
            conditions.push(num(vec![">=".into(), number(a), "<=".into(), number(b)]));
        }
        if let Some((a, b)) = c.between_strict {
            conditions.push(num(vec![">".into(), number(a), "<".into(), number(b)]));
        }
        SubscriptionFilter { conditions }
    }

    /// The attribute is present.
    pub fn exists_filter() -> Self {
        SubscriptionFilter {
            conditions: vec![Value::object([("exists", true)])],
        }
    }

    /// The attribute is absent.
    pub fn not_exists_filter() -> Self {
        SubscriptionFilter {
            conditions: vec![Value::object([("exists", false)])],
        }
    }
}

/// A filter policy on message attributes: attribute name → conditions, in the order given
/// (the template keeps it).
pub type FilterPolicy = Vec<(String, SubscriptionFilter)>;

/// A filter on a message-body field, or a nested policy (aws-cdk-lib's `FilterOrPolicy`).
#[derive(Clone, Debug)]
pub enum FilterOrPolicy {
    /// Conditions on the field.
    Filter(SubscriptionFilter),
    /// Conditions on the fields of a nested object.
    Policy(Vec<(String, FilterOrPolicy)>),
}

fn render_body_policy(
    node: &Node,
    policy: &[(String, FilterOrPolicy)],
    depth: usize,
    total: &mut usize,
) -> Value {
    let pairs = policy
        .iter()
        .map(|(k, f)| {
            let v = match f {
                FilterOrPolicy::Policy(p) => render_body_policy(node, p, depth + 1, total),
                FilterOrPolicy::Filter(f) => {
                    *total *= f.conditions.len() * depth;
                    Value::List(f.conditions.clone())
                }
            };
            (Str::from(k.as_str()), v)
        })
        .collect();
    if *total > 150 && depth == 1 {
        node.add_error(&format!(
            "The total combination of values ({total}) must not exceed 150."
        ));
    }
    cdk_core::json::ordered_object(pairs)
}

/// What a subscriber tells the topic when it subscribes (aws-cdk-lib's
/// `TopicSubscriptionConfig`).
#[derive(Clone)]
pub struct TopicSubscriptionConfig {
    /// Where the [`Subscription`] is created (default: under the topic).
    pub subscriber_scope: Option<Node>,
    /// Its construct ID.
    pub subscriber_id: String,
    /// The endpoint.
    pub endpoint: Str,
    /// The protocol.
    pub protocol: SubscriptionProtocol,
    /// Raw message delivery (HTTP/S, SQS, Firehose).
    pub raw_message_delivery: Option<bool>,
    /// Retry, throttling and request options of deliveries to an HTTP/S endpoint.
    pub delivery_policy: Option<DeliveryPolicy>,
    /// Filter policy on message attributes.
    pub filter_policy: FilterPolicy,
    /// Filter policy on the message body (used instead of `filter_policy` when not empty).
    pub filter_policy_with_message_body: Vec<(String, FilterOrPolicy)>,
    /// The region of the topic, for a subscriber in another region.
    pub region: Option<Str>,
    /// Where undeliverable messages go.
    pub dead_letter_queue: Option<Rc<dyn IQueue>>,
    /// A construct the subscription must be created after (a queue policy).
    pub subscription_dependency: Option<Node>,
}

impl TopicSubscriptionConfig {
    /// A configuration with `id`, `endpoint` and `protocol`, everything else defaulted.
    pub fn new(
        id: impl Into<String>,
        endpoint: impl Into<Str>,
        protocol: SubscriptionProtocol,
    ) -> Self {
        TopicSubscriptionConfig {
            subscriber_scope: None,
            subscriber_id: id.into(),
            endpoint: endpoint.into(),
            protocol,
            raw_message_delivery: None,
            delivery_policy: None,
            filter_policy: Vec::new(),
            filter_policy_with_message_body: Vec::new(),
            region: None,
            dead_letter_queue: None,
            subscription_dependency: None,
        }
    }
}

/// A subscriber of a topic (aws-cdk-lib's `ITopicSubscription`).
pub trait ITopicSubscription {
    /// Prepares the subscriber (permissions, policies) and says how to subscribe it.
    fn bind(&self, topic: &dyn ITopic) -> TopicSubscriptionConfig;
}

/// An SNS topic: created ([`Topic`]) or imported ([`ImportedTopic`]).
pub trait ITopic: IConstruct + IResourceWithPolicy {
    /// The topic's ARN.
    fn topic_arn(&self) -> Str;
    /// The topic's name.
    fn topic_name(&self) -> Str;
    /// Whether it is a FIFO topic.
    fn fifo(&self) -> bool;
    /// Whether FIFO messages are deduplicated by content.
    fn content_based_deduplication(&self) -> bool;
    /// The KMS key encrypting the topic.
    fn master_key(&self) -> Option<Rc<dyn IKey>>;
    /// Where the topic lives.
    fn env(&self) -> ResourceEnvironment;
    /// The topic as a resource with a policy (for grants).
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy;
    /// The topic as a shared handle (subscriptions keep one).
    fn to_topic(&self) -> Rc<dyn ITopic>;
    /// True for a topic created by this app (subscribers in other stacks then depend on its
    /// stack, as aws-cdk-lib's `topic instanceof Topic`).
    fn is_owned(&self) -> bool {
        false
    }

    /// Subscribes `subscription` (aws-cdk-lib's `addSubscription`): a [`Subscription`] under
    /// the subscriber's scope, with the subscriber's construct ID.
    fn add_subscription(&self, subscription: &dyn ITopicSubscription) -> Option<Subscription> {
        let config = subscription.bind(self.as_dyn_topic());
        let scope = config
            .subscriber_scope
            .clone()
            .unwrap_or_else(|| self.node().clone());
        let id = config.subscriber_id.clone();
        if scope.try_find_child(&id).is_some() {
            scope.add_error(&format!(
                "A subscription with id \"{id}\" already exists under the scope {}",
                scope.path()
            ));
            return None;
        }
        let sub = Subscription::new(
            &scope,
            &id,
            SubscriptionProps {
                topic: self.to_topic(),
                endpoint: config.endpoint,
                protocol: config.protocol,
                raw_message_delivery: config.raw_message_delivery,
                delivery_policy: config.delivery_policy,
                filter_policy: config.filter_policy,
                filter_policy_with_message_body: config.filter_policy_with_message_body,
                region: config.region,
                dead_letter_queue: config.dead_letter_queue,
                subscription_role_arn: None,
            },
        );
        if let Some(dep) = &config.subscription_dependency {
            sub.node().add_dependency(dep);
        }
        Some(sub)
    }

    /// `self` as a trait object.
    fn as_dyn_topic(&self) -> &dyn ITopic;

    /// Grants `actions` on the topic (the grantee's policy, or the topic policy for another
    /// account), and `key_actions` on its key.
    fn grant_with_key(
        &self,
        grantee: &dyn IPrincipal,
        actions: &[&str],
        key_actions: &[&str],
    ) -> Grant {
        let grant = Grant::add_to_principal_or_resource(
            grantee,
            actions,
            [self.topic_arn()],
            self.as_policy_resource(),
        );
        if !key_actions.is_empty() {
            if let Some(key) = self.master_key() {
                key.grant(grantee, key_actions);
            }
        }
        grant
    }

    /// `sns:Publish` (and `kms:Decrypt`, `kms:GenerateDataKey*` on the key).
    fn grant_publish(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_with_key(grantee, PUBLISH_ACTIONS, PUBLISH_KEY_ACTIONS)
    }

    /// `sns:Subscribe`.
    fn grant_subscribe(&self, grantee: &dyn IPrincipal) -> Grant {
        self.grant_with_key(grantee, SUBSCRIBE_ACTIONS, &[])
    }
}

/// Properties of a [`Topic`] (aws-cdk-lib's `TopicProps`; data protection policies are not
/// supported yet).
#[derive(Clone, Default)]
pub struct TopicProps {
    /// Display name (up to 100 characters; the sender name of SMS messages).
    pub display_name: Option<String>,
    /// The topic's name (default: generated; for a FIFO topic `<unique name>.fifo`). `.fifo`
    /// is appended to a FIFO topic's name that lacks it.
    pub topic_name: Option<PhysicalName>,
    /// A KMS key for server-side encryption.
    pub master_key: Option<Rc<dyn IKey>>,
    /// Deduplicate FIFO messages by content.
    pub content_based_deduplication: Option<bool>,
    /// A FIFO topic.
    pub fifo: Option<bool>,
    /// Days a FIFO topic archives messages (1-365).
    pub message_retention_period_in_days: Option<u32>,
    /// Deny publishing without TLS (a statement in the topic policy).
    pub enforce_ssl: bool,
    /// The signature version of messages (`"1"` or `"2"`).
    pub signature_version: Option<String>,
    /// FIFO throughput scope (`Topic` or `MessageGroup`).
    pub fifo_throughput_scope: Option<String>,
    /// Delivery status logging, per protocol (more with [`Topic::add_logging_config`]).
    pub logging_configs: Vec<LoggingConfig>,
    /// AWS X-Ray tracing of published messages (CloudFormation's default: pass-through).
    pub tracing_config: Option<TracingConfig>,
}

/// The protocol whose delivery status a [`LoggingConfig`] logs (aws-cdk-lib's
/// `LoggingProtocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoggingProtocol {
    /// HTTP and HTTPS endpoints (`http/s`).
    Http,
    /// SQS queues.
    Sqs,
    /// Lambda functions.
    Lambda,
    /// Kinesis Data Firehose delivery streams.
    Firehose,
    /// Mobile application endpoints.
    Application,
}

impl LoggingProtocol {
    /// The value CloudFormation takes.
    pub fn as_str(self) -> &'static str {
        match self {
            LoggingProtocol::Http => "http/s",
            LoggingProtocol::Sqs => "sqs",
            LoggingProtocol::Lambda => "lambda",
            LoggingProtocol::Firehose => "firehose",
            LoggingProtocol::Application => "application",
        }
    }
}

/// Delivery status logging of one protocol (aws-cdk-lib's `LoggingConfig`): the roles SNS uses
/// to write successful and failed deliveries to CloudWatch Logs.
#[derive(Clone)]
pub struct LoggingConfig {
    /// The protocol.
    pub protocol: LoggingProtocol,
    /// The role for failed deliveries.
    pub failure_feedback_role: Option<Rc<dyn IRole>>,
    /// The role for successful deliveries.
    pub success_feedback_role: Option<Rc<dyn IRole>>,
    /// Percentage of successful deliveries to log (0-100).
    pub success_feedback_sample_rate: Option<u32>,
}

impl LoggingConfig {
    /// Logging of `protocol` with no roles set yet.
    pub fn new(protocol: LoggingProtocol) -> Self {
        LoggingConfig {
            protocol,
            failure_feedback_role: None,
            success_feedback_role: None,
            success_feedback_sample_rate: None,
        }
    }
}

/// X-Ray tracing of a topic (aws-cdk-lib's `TracingConfig`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TracingConfig {
    /// Use the upstream service's tracing decision (`PassThrough`).
    PassThrough,
    /// Sample and trace messages (`Active`).
    Active,
}

impl TracingConfig {
    /// The value CloudFormation takes.
    pub fn as_str(self) -> &'static str {
        match self {
            TracingConfig::PassThrough => "PassThrough",
            TracingConfig::Active => "Active",
        }
    }
}

/// An SNS topic (`AWS::SNS::Topic`, child `Resource`).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::iam::{Role, RoleProps, ServicePrincipal};
/// use cdk_constructs::sns::{ITopic, Topic, TopicProps};
/// use cdk_constructs::sns_subscriptions::EmailSubscription;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Alerts", StackProps::default());
/// let topic = Topic::new(&stack, "Alarms", TopicProps {
///     display_name: Some("Release alarms".into()),
///     enforce_ssl: true,
///     ..Default::default()
/// });
/// topic.add_subscription(&EmailSubscription::new("oncall@example.com"));
/// let publisher = Role::new(&stack, "Publisher", RoleProps::assumed_by(ServicePrincipal::new("lambda.amazonaws.com")));
/// topic.grant_publish(&publisher);
/// ```
#[derive(Clone)]
pub struct Topic {
    base: Resource,
    resource: CfnTopic,
    arn: Str,
    name: Str,
    fifo: bool,
    content_based_deduplication: bool,
    master_key: Option<Rc<dyn IKey>>,
    policy: Rc<RefCell<Option<TopicPolicy>>>,
    logging_configs: Rc<RefCell<Vec<LoggingConfig>>>,
}

impl IConstruct for Topic {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl Topic {
    /// Defines a topic `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: TopicProps) -> Self {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.sns.Topic",
            ResourceProps {
                physical_name: props.topic_name.clone(),
                ..Default::default()
            },
        );
        let node = base.node().clone();
        let fifo = props.fifo.unwrap_or(false);
        if props.content_based_deduplication.unwrap_or(false) && !fifo {
            node.add_error("Content based deduplication can only be enabled for FIFO SNS topics.");
        }
        if props.message_retention_period_in_days.is_some() && !fifo {
            node.add_error("`messageRetentionPeriodInDays` is only valid for FIFO SNS topics.");
        }
        if props.fifo_throughput_scope.is_some() && !fifo {
            node.add_error("`fifoThroughputScope` can only be set for FIFO SNS topics.");
        }
        if let Some(days) = props.message_retention_period_in_days {
            if !(1..=365).contains(&days) {
                node.add_error(
                    "`messageRetentionPeriodInDays` must be an integer between 1 and 365",
                );
            }
        }
        if let Some(v) = &props.signature_version {
            if v != "1" && v != "2" {
                node.add_error(&format!(
                    "signatureVersion must be \"1\" or \"2\", received: \"{v}\""
                ));
            }
        }
        if let Some(d) = &props.display_name {
            if d.chars().count() > 100 {
                node.add_error(&format!(
                    "displayName must be less than or equal to 100 characters, got {}",
                    d.chars().count()
                ));
            }
        }
        let given_name = match &props.topic_name {
            Some(PhysicalName::Given(n)) => Some(n.clone()),
            _ => None,
        };
        let cfn_topic_name = match (&given_name, fifo) {
            (Some(n), true) if !n.literal().is_some_and(|l| l.ends_with(".fifo")) => {
                Some(base.physical_name().unwrap_or_default() + ".fifo")
            }
            (None, true) if props.topic_name.is_none() => Some(Str::from(format!(
                "{}.fifo",
                Names::unique_resource_name(
                    &node,
                    &UniqueResourceNameOptions {
                        max_length: 251,
                        separator: "-".into(),
                        ..Default::default()
                    }
                )
            ))),
            _ => base.physical_name(),
        };
        let resource = CfnTopic::new(
            &base,
            "Resource",
            CfnTopicProps {
                archive_policy: props
                    .message_retention_period_in_days
                    .map(|d| Value::object([("MessageRetentionPeriod", d)])),
                display_name: props.display_name.map(Str::from),
                topic_name: cfn_topic_name,
                kms_master_key_id: props.master_key.as_ref().map(|k| k.key_arn()),
                content_based_deduplication: props.content_based_deduplication.map(Bool::from),
                fifo_topic: props.fifo.map(Bool::from),
                signature_version: props.signature_version.map(Str::from),
                fifo_throughput_scope: props.fifo_throughput_scope.map(Str::from),
                tracing_config: props.tracing_config.map(|t| Str::from(t.as_str())),
                ..Default::default()
            },
        );
        let logging_configs = Rc::new(RefCell::new(props.logging_configs.clone()));
        let for_render = logging_configs.clone();
        resource.set_delivery_status_logging(crate::generated::runtime::Late::lazy(move || {
            let configs = for_render.borrow();
            (!configs.is_empty()).then(|| configs.iter().map(render_logging_config).collect())
        }));
        let for_check = logging_configs.clone();
        node.add_validation(move || {
            for_check
                .borrow()
                .iter()
                .any(|c| c.success_feedback_sample_rate.is_some_and(|r| r > 100))
                .then(|| {
                    "Success feedback sample rate must be an integer between 0 and 100".to_string()
                })
                .into_iter()
                .collect()
        });
        let arn = base.arn_attribute(
            resource.ref_(),
            ArnComponents::new("sns", base.physical_name().unwrap_or_default())
                .with_format(ArnFormat::NoResourceName),
        );
        let name = base.name_attribute(resource.resource().get_att("TopicName"));
        let topic = Topic {
            base,
            resource,
            arn,
            name,
            fifo,
            content_based_deduplication: props.content_based_deduplication.unwrap_or(false),
            master_key: props.master_key,
            policy: Rc::default(),
            logging_configs,
        };
        let policy = topic.policy.clone();
        node.add_validation(move || {
            policy
                .borrow()
                .as_ref()
                .map(|p| p.document.validate_for_resource_policy())
                .unwrap_or_default()
        });
        if props.enforce_ssl {
            let policy = topic.ensure_policy();
            policy
                .document
                .add_statements([ssl_statement(topic.topic_arn())]);
        }
        topic
    }

    /// Adds delivery status logging of a protocol (aws-cdk-lib's `addLoggingConfig`).
    pub fn add_logging_config(&self, config: LoggingConfig) {
        self.logging_configs.borrow_mut().push(config);
    }

    fn ensure_policy(&self) -> TopicPolicy {
        let existing = self.policy.borrow().clone();
        match existing {
            Some(p) => p,
            None => {
                let p = TopicPolicy::new(
                    self.node(),
                    "Policy",
                    TopicPolicyProps {
                        topics: vec![Rc::new(self.clone())],
                        policy_document: None,
                        enforce_ssl: false,
                    },
                );
                *self.policy.borrow_mut() = Some(p.clone());
                p
            }
        }
    }

    /// An existing topic by ARN (`arn:aws:sns:REGION:ACCOUNT:NAME`).
    pub fn from_topic_arn(
        scope: &impl IConstruct,
        id: &str,
        topic_arn: impl Into<Str>,
    ) -> ImportedTopic {
        Self::from_topic_attributes(
            scope,
            id,
            TopicAttributes {
                topic_arn: topic_arn.into(),
                ..Default::default()
            },
        )
    }

    /// An existing topic from its attributes (aws-cdk-lib's `fromTopicAttributes`): FIFO when
    /// its name ends in `.fifo`.
    pub fn from_topic_attributes(
        scope: &impl IConstruct,
        id: &str,
        attrs: TopicAttributes,
    ) -> ImportedTopic {
        let base = Resource::new(
            scope,
            id,
            "cdk-constructs.sns.ImportedTopic",
            ResourceProps {
                environment_from_arn: Some(attrs.topic_arn.clone()),
                ..Default::default()
            },
        );
        let name = Stack::of(&base)
            .map(|s| {
                s.split_arn(attrs.topic_arn.clone(), ArnFormat::NoResourceName)
                    .resource
            })
            .unwrap_or_default();
        let fifo = name.literal().is_some_and(|n| n.ends_with(".fifo"));
        if attrs.content_based_deduplication && !fifo {
            base.node().add_error(
                "Cannot import topic; contentBasedDeduplication is only available for FIFO SNS topics.",
            );
        }
        let key = attrs.key_arn.clone().map(|arn| {
            let k: Rc<dyn IKey> = Rc::new(Key::from_key_arn(&base, "Key", arn));
            k
        });
        ImportedTopic {
            base,
            arn: attrs.topic_arn,
            name,
            fifo,
            content_based_deduplication: attrs.content_based_deduplication,
            key,
        }
    }

    /// The topic's ARN (`Ref` here; the formatted ARN from another environment).
    pub fn topic_arn(&self) -> Str {
        self.arn.clone()
    }

    /// The topic's name (`Fn::GetAtt TopicName`).
    pub fn topic_name(&self) -> Str {
        self.name.clone()
    }

    /// Whether it is a FIFO topic.
    pub fn fifo(&self) -> bool {
        self.fifo
    }

    /// The topic policy, once a statement was added.
    pub fn policy(&self) -> Option<TopicPolicy> {
        self.policy.borrow().clone()
    }

    /// Adds a statement to the topic policy (child `Policy`, created on first use).
    pub fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        IResourceWithPolicy::add_to_resource_policy(self, statement)
    }

    /// See [`ITopic::add_subscription`].
    pub fn add_subscription(&self, subscription: &dyn ITopicSubscription) -> Option<Subscription> {
        ITopic::add_subscription(self, subscription)
    }

    /// See [`ITopic::grant_publish`].
    pub fn grant_publish(&self, grantee: &dyn IPrincipal) -> Grant {
        ITopic::grant_publish(self, grantee)
    }

    /// See [`ITopic::grant_subscribe`].
    pub fn grant_subscribe(&self, grantee: &dyn IPrincipal) -> Grant {
        ITopic::grant_subscribe(self, grantee)
    }

    /// The underlying `AWS::SNS::Topic`.
    pub fn cfn(&self) -> &CfnTopic {
        &self.resource
    }
}

fn ssl_statement(topic_arn: Str) -> PolicyStatement {
    PolicyStatement::new()
        .sid("AllowPublishThroughSSLOnly")
        .action("sns:Publish")
        .effect(Effect::Deny)
        .resource(topic_arn)
        .condition("Bool", "aws:SecureTransport", "false")
        .principal(&StarPrincipal)
}

impl IResourceWithPolicy for Topic {
    fn add_to_resource_policy(&self, statement: PolicyStatement) -> AddToResourcePolicyResult {
        let policy = self.ensure_policy();
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

impl ITopic for Topic {
    fn topic_arn(&self) -> Str {
        self.arn.clone()
    }
    fn topic_name(&self) -> Str {
        self.name.clone()
    }
    fn fifo(&self) -> bool {
        self.fifo
    }
    fn content_based_deduplication(&self) -> bool {
        self.content_based_deduplication
    }
    fn master_key(&self) -> Option<Rc<dyn IKey>> {
        self.master_key.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
    fn to_topic(&self) -> Rc<dyn ITopic> {
        Rc::new(self.clone())
    }
    fn is_owned(&self) -> bool {
        true
    }
    fn as_dyn_topic(&self) -> &dyn ITopic {
        self
    }
}

/// Attributes of an existing topic ([`Topic::from_topic_attributes`]).
#[derive(Clone, Default)]
pub struct TopicAttributes {
    /// The topic's ARN.
    pub topic_arn: Str,
    /// The ARN of its KMS key.
    pub key_arn: Option<Str>,
    /// Whether it deduplicates by content (FIFO topics only).
    pub content_based_deduplication: bool,
}

/// A topic defined outside this app. Its policy cannot be changed here: grants go to the
/// grantee's policy.
#[derive(Clone)]
pub struct ImportedTopic {
    base: Resource,
    arn: Str,
    name: Str,
    fifo: bool,
    content_based_deduplication: bool,
    key: Option<Rc<dyn IKey>>,
}

impl IConstruct for ImportedTopic {
    fn node(&self) -> &Node {
        self.base.node()
    }
}

impl IResourceWithPolicy for ImportedTopic {
    fn add_to_resource_policy(&self, _statement: PolicyStatement) -> AddToResourcePolicyResult {
        AddToResourcePolicyResult::default()
    }
    fn resource_account(&self) -> Str {
        self.base.env().account
    }
}

impl ITopic for ImportedTopic {
    fn topic_arn(&self) -> Str {
        self.arn.clone()
    }
    fn topic_name(&self) -> Str {
        self.name.clone()
    }
    fn fifo(&self) -> bool {
        self.fifo
    }
    fn content_based_deduplication(&self) -> bool {
        self.content_based_deduplication
    }
    fn master_key(&self) -> Option<Rc<dyn IKey>> {
        self.key.clone()
    }
    fn env(&self) -> ResourceEnvironment {
        self.base.env()
    }
    fn as_policy_resource(&self) -> &dyn IResourceWithPolicy {
        self
    }
    fn to_topic(&self) -> Rc<dyn ITopic> {
        Rc::new(self.clone())
    }
    fn as_dyn_topic(&self) -> &dyn ITopic {
        self
    }
}

/// Properties of a [`TopicPolicy`].
#[derive(Clone)]
pub struct TopicPolicyProps {
    /// The topics the policy applies to.
    pub topics: Vec<Rc<dyn ITopic>>,
    /// The document (default: an empty one whose statements get their index as `Sid`).
    pub policy_document: Option<PolicyDocument>,
    /// Add a statement denying publishing without TLS for each topic.
    pub enforce_ssl: bool,
}

/// The policy of one or more topics (`AWS::SNS::TopicPolicy`, child `Resource`).
#[derive(Clone)]
pub struct TopicPolicy {
    node: Node,
    document: PolicyDocument,
    resource: CfnTopicPolicy,
}

impl IConstruct for TopicPolicy {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl TopicPolicy {
    /// A policy for `props.topics`.
    pub fn new(scope: &impl IConstruct, id: &str, props: TopicPolicyProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.sns.TopicPolicy");
        let document = props.policy_document.unwrap_or_else(|| {
            let d = PolicyDocument::new();
            d.set_assign_sids(true);
            d
        });
        if props.enforce_ssl {
            for t in &props.topics {
                document.add_statements([ssl_statement(t.topic_arn())]);
            }
        }
        let resource = CfnTopicPolicy::new(
            &node,
            "Resource",
            CfnTopicPolicyProps {
                policy_document: document.to_value(),
                topics: props
                    .topics
                    .iter()
                    .map(|t| t.topic_arn())
                    .collect::<Vec<_>>()
                    .into(),
            },
        );
        TopicPolicy {
            node,
            document,
            resource,
        }
    }

    /// The policy document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The underlying `AWS::SNS::TopicPolicy`.
    pub fn cfn(&self) -> &CfnTopicPolicy {
        &self.resource
    }
}

/// The backoff function of a [`HealthyRetryPolicy`] (aws-cdk-lib's `BackoffFunction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackoffFunction {
    /// `ARITHMETIC`.
    Arithmetic,
    /// `EXPONENTIAL`.
    Exponential,
    /// `GEOMETRIC`.
    Geometric,
    /// `LINEAR`.
    Linear,
}

impl BackoffFunction {
    fn as_str(self) -> &'static str {
        match self {
            BackoffFunction::Arithmetic => "ARITHMETIC",
            BackoffFunction::Exponential => "EXPONENTIAL",
            BackoffFunction::Geometric => "GEOMETRIC",
            BackoffFunction::Linear => "LINEAR",
        }
    }
}

/// How SNS retries deliveries to a healthy HTTP/S endpoint (aws-cdk-lib's
/// `HealthyRetryPolicy`; unset delays are 20 s and unset `num_retries` 3, as aws-cdk-lib).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HealthyRetryPolicy {
    /// Minimum delay of a retry (whole seconds, 1 to 3600; default 20 s).
    pub min_delay_target: Option<Duration>,
    /// Maximum delay of a retry (whole seconds, 1 to 3600; default 20 s).
    pub max_delay_target: Option<Duration>,
    /// Total number of retries (0 to 100; default 3).
    pub num_retries: Option<u32>,
    /// Retries without delay.
    pub num_no_delay_retries: Option<u32>,
    /// Retries at the minimum delay.
    pub num_min_delay_retries: Option<u32>,
    /// Retries at the maximum delay.
    pub num_max_delay_retries: Option<u32>,
    /// How delays grow between the minimum and the maximum.
    pub backoff_function: Option<BackoffFunction>,
}

/// The delivery rate limit of an HTTP/S endpoint (aws-cdk-lib's `ThrottlePolicy`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThrottlePolicy {
    /// Maximum deliveries per second (at least 1).
    pub max_receives_per_second: Option<u32>,
}

/// Options of the HTTP/S requests SNS sends (aws-cdk-lib's `RequestPolicy`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestPolicy {
    /// The `Content-Type` header (e.g. `application/json`).
    pub header_content_type: Option<String>,
}

/// The delivery policy of an HTTP/S subscription (aws-cdk-lib's `DeliveryPolicy`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeliveryPolicy {
    /// Retries to a healthy endpoint.
    pub healthy_retry_policy: Option<HealthyRetryPolicy>,
    /// Rate limit.
    pub throttle_policy: Option<ThrottlePolicy>,
    /// Request options.
    pub request_policy: Option<RequestPolicy>,
}

impl DeliveryPolicy {
    /// The `DeliveryPolicy` JSON, after aws-cdk-lib's checks (errors on `node`).
    fn render(&self, node: &Node, protocol: SubscriptionProtocol) -> Value {
        if !matches!(
            protocol,
            SubscriptionProtocol::Http | SubscriptionProtocol::Https
        ) {
            node.add_error(&format!(
                "Delivery policy is only supported for HTTP and HTTPS subscriptions, got: {}",
                protocol.as_str()
            ));
        }
        let key = |k: &str| Str::from(k);
        let mut pairs = Vec::new();
        if let Some(retry) = &self.healthy_retry_policy {
            let delay = |name: &str, d: Option<Duration>| -> u64 {
                let Some(d) = d else { return 20 };
                if d.subsec_nanos() != 0 {
                    node.add_error(&format!(
                        "{name} must be a whole number of seconds, got: {} ms",
                        d.as_millis()
                    ));
                }
                let secs = d.as_secs();
                if !(1..=3600).contains(&secs) {
                    node.add_error(&format!(
                        "{name} must be between 1 and 3600 seconds inclusive, got: {secs}s"
                    ));
                }
                secs
            };
            let min = delay("minDelayTarget", retry.min_delay_target);
            let max = delay("maxDelayTarget", retry.max_delay_target);
            if retry.min_delay_target.is_some() && retry.max_delay_target.is_some() && min > max {
                node.add_error("minDelayTarget must not exceed maxDelayTarget");
            }
            let retries = retry.num_retries.unwrap_or(3);
            if retries > 100 {
                node.add_error(&format!(
                    "numRetries must be between 0 and 100 inclusive, got: {retries}"
                ));
            }
            let mut inner = vec![
                (key("minDelayTarget"), Value::from(min)),
                (key("maxDelayTarget"), Value::from(max)),
                (key("numRetries"), Value::from(retries)),
            ];
            let optional = [
                ("numNoDelayRetries", retry.num_no_delay_retries),
                ("numMinDelayRetries", retry.num_min_delay_retries),
                ("numMaxDelayRetries", retry.num_max_delay_retries),
            ];
            for (name, n) in optional {
                if let Some(n) = n {
                    inner.push((key(name), Value::from(n)));
                }
            }
            if let Some(f) = retry.backoff_function {
                inner.push((key("backoffFunction"), Value::from(f.as_str())));
            }
            pairs.push((
                key("healthyRetryPolicy"),
                cdk_core::json::ordered_object(inner),
            ));
        }
        if let Some(throttle) = &self.throttle_policy {
            let mut inner = Vec::new();
            if let Some(n) = throttle.max_receives_per_second {
                if n < 1 {
                    node.add_error(&format!(
                        "maxReceivesPerSecond must be an integer greater than zero, got: {n}"
                    ));
                }
                inner.push((key("maxReceivesPerSecond"), Value::from(n)));
            }
            pairs.push((key("throttlePolicy"), cdk_core::json::ordered_object(inner)));
        }
        if let Some(request) = &self.request_policy {
            let mut inner = Vec::new();
            if let Some(t) = &request.header_content_type {
                inner.push((key("headerContentType"), Value::from(t.as_str())));
            }
            pairs.push((key("requestPolicy"), cdk_core::json::ordered_object(inner)));
        }
        cdk_core::json::ordered_object(pairs)
    }
}

/// Properties of a [`Subscription`].
#[derive(Clone)]
pub struct SubscriptionProps {
    /// The topic.
    pub topic: Rc<dyn ITopic>,
    /// The endpoint (an ARN, URL, address or number, by protocol).
    pub endpoint: Str,
    /// The protocol.
    pub protocol: SubscriptionProtocol,
    /// Raw message delivery (HTTP/S, SQS and Firehose only).
    pub raw_message_delivery: Option<bool>,
    /// Retry, throttling and request options (HTTP/S only; aws-cdk-lib's `deliveryPolicy`).
    pub delivery_policy: Option<DeliveryPolicy>,
    /// Filter policy on message attributes (up to 5 attributes, 150 value combinations).
    pub filter_policy: FilterPolicy,
    /// Filter policy on the message body (`FilterPolicyScope: MessageBody`), used instead of
    /// `filter_policy` when not empty.
    pub filter_policy_with_message_body: Vec<(String, FilterOrPolicy)>,
    /// The topic's region, for a subscriber in another region.
    pub region: Option<Str>,
    /// Where undeliverable messages go (the queue's policy lets the topic send to it).
    pub dead_letter_queue: Option<Rc<dyn IQueue>>,
    /// The role SNS uses for Firehose subscriptions.
    pub subscription_role_arn: Option<Str>,
}

/// A subscription to a topic (`AWS::SNS::Subscription`, child `Resource`).
#[derive(Clone)]
pub struct Subscription {
    node: Node,
    resource: CfnSubscription,
    dead_letter_queue: Option<Rc<dyn IQueue>>,
}

impl IConstruct for Subscription {
    fn node(&self) -> &Node {
        &self.node
    }
}

impl Subscription {
    /// Defines a subscription `id` under `scope`.
    pub fn new(scope: &impl IConstruct, id: &str, props: SubscriptionProps) -> Self {
        let node = Node::new(scope, id);
        node.set_construct_info("cdk-constructs.sns.Subscription");
        use SubscriptionProtocol as P;
        if props.raw_message_delivery.unwrap_or(false)
            && !matches!(props.protocol, P::Http | P::Https | P::Sqs | P::Firehose)
        {
            node.add_error(
                "Raw message delivery can only be enabled for HTTP, HTTPS, SQS, and Firehose subscriptions.",
            );
        }
        if props.filter_policy.len() > 5 || props.filter_policy_with_message_body.len() > 5 {
            node.add_error("A filter policy can have a maximum of 5 attribute names.");
        }
        if props.filter_policy_with_message_body.is_empty() {
            let total: usize = props
                .filter_policy
                .iter()
                .map(|(_, f)| f.conditions.len())
                .product();
            if total > 150 {
                node.add_error(&format!(
                    "The total combination of values ({total}) must not exceed 150."
                ));
            }
        }
        if props.protocol == P::Firehose && props.subscription_role_arn.is_none() {
            node.add_error(
                "Subscription role arn is required field for subscriptions with a firehose protocol.",
            );
        }
        if let Some(dlq) = &props.dead_letter_queue {
            dlq.add_to_resource_policy(
                PolicyStatement::new()
                    .resource(dlq.queue_arn())
                    .action("sqs:SendMessage")
                    .principal(&ServicePrincipal::new("sns.amazonaws.com"))
                    .condition("ArnEquals", "aws:SourceArn", props.topic.topic_arn()),
            );
        }
        let body = !props.filter_policy_with_message_body.is_empty();
        let filter_policy = if body {
            Some(render_body_policy(
                &node,
                &props.filter_policy_with_message_body,
                1,
                &mut 1,
            ))
        } else {
            (!props.filter_policy.is_empty()).then(|| {
                cdk_core::json::ordered_object(
                    props
                        .filter_policy
                        .iter()
                        .map(|(k, f)| (Str::from(k.as_str()), Value::List(f.conditions.clone())))
                        .collect(),
                )
            })
        };
        let resource = CfnSubscription::new(
            &node,
            "Resource",
            CfnSubscriptionProps {
                endpoint: Some(props.endpoint),
                raw_message_delivery: props.raw_message_delivery.map(Bool::from),
                delivery_policy: props
                    .delivery_policy
                    .as_ref()
                    .map(|policy| policy.render(&node, props.protocol)),
                filter_policy,
                filter_policy_scope: body.then(|| Str::from("MessageBody")),
                region: props.region,
                redrive_policy: props
                    .dead_letter_queue
                    .as_ref()
                    .map(|q| Value::object([("deadLetterTargetArn", q.queue_arn())])),
                subscription_role_arn: props.subscription_role_arn,
                ..CfnSubscriptionProps::new(props.protocol.as_str(), props.topic.topic_arn())
            },
        );
        Subscription {
            node,
            resource,
            dead_letter_queue: props.dead_letter_queue,
        }
    }

    /// The dead-letter queue, when one was given.
    pub fn dead_letter_queue(&self) -> Option<Rc<dyn IQueue>> {
        self.dead_letter_queue.clone()
    }

    /// The underlying `AWS::SNS::Subscription`.
    pub fn cfn(&self) -> &CfnSubscription {
        &self.resource
    }
}

impl From<Topic> for Rc<dyn ITopic> {
    fn from(t: Topic) -> Self {
        Rc::new(t)
    }
}

impl From<&Topic> for Rc<dyn ITopic> {
    fn from(t: &Topic) -> Self {
        Rc::new(t.clone())
    }
}

impl From<ImportedTopic> for Rc<dyn ITopic> {
    fn from(t: ImportedTopic) -> Self {
        Rc::new(t)
    }
}

/// The generated L1 resources of this service (`Cfn*`).
pub use crate::generated::sns::*;

/// A [`LoggingConfig`] as CloudFormation's `LoggingConfig` (the sample rate as text).
fn render_logging_config(config: &LoggingConfig) -> cfn_topic::LoggingConfigProperty {
    cfn_topic::LoggingConfigProperty {
        failure_feedback_role_arn: config.failure_feedback_role.as_ref().map(|r| r.role_arn()),
        success_feedback_role_arn: config.success_feedback_role.as_ref().map(|r| r.role_arn()),
        success_feedback_sample_rate: config
            .success_feedback_sample_rate
            .map(|r| Str::from(r.to_string())),
        ..cfn_topic::LoggingConfigProperty::new(config.protocol.as_str())
    }
}
