//! Subscribers of SNS topics — as aws-cdk-lib's `aws-sns-subscriptions`: Lambda functions
//! ([`LambdaSubscription`]: an invoke permission for SNS), SQS queues ([`SqsSubscription`]: a
//! queue-policy statement letting the topic send, and key-policy statements for an encrypted
//! queue), email addresses ([`EmailSubscription`]) and HTTP/HTTPS endpoints
//! ([`UrlSubscription`]). SMS and Firehose subscribers are not supported yet.

use std::rc::Rc;

use cdk_core::feature_flags::{self, SNS_SUBSCRIPTIONS_SQS_DECRYPTION_POLICY};
use cdk_core::{ArnFormat, IConstruct, Names, Stack, Str};

use crate::iam::{PolicyStatement, ServicePrincipal};
use crate::lambda::{IFunction, Permission};
use crate::sns::{
    DeliveryPolicy, FilterOrPolicy, FilterPolicy, ITopic, ITopicSubscription, SubscriptionProtocol,
    TopicSubscriptionConfig,
};
use crate::sqs::{IQueue, QueueEncryption};

/// Options every subscriber takes (aws-cdk-lib's `SubscriptionProps`).
#[derive(Clone, Default)]
pub struct SubscriptionOptions {
    /// Filter policy on message attributes.
    pub filter_policy: FilterPolicy,
    /// Filter policy on the message body (used instead of `filter_policy` when not empty).
    pub filter_policy_with_message_body: Vec<(String, FilterOrPolicy)>,
    /// Where undeliverable messages go.
    pub dead_letter_queue: Option<Rc<dyn IQueue>>,
}

/// Regions that must be enabled before use: SNS principals there are regional.
const OPT_IN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "me-west-1",
    "mx-central-1",
];

fn topic_region(topic: &dyn ITopic, subscriber: &dyn IConstruct) -> Option<String> {
    if topic.is_owned() {
        return topic.env().region.literal().map(str::to_string);
    }
    if topic.topic_arn().is_token() {
        return None;
    }
    let stack = Stack::from_node(subscriber.node())?;
    let parts = stack.split_arn(topic.topic_arn(), ArnFormat::SlashResourceName);
    parts.region?.literal().map(str::to_string)
}

/// aws-cdk-lib's `snsServicePrincipal`: `sns.amazonaws.com`, or the regional principal of an
/// opt-in region when topic and subscriber are in different regions.
fn sns_principal(topic: &dyn ITopic, subscriber: &dyn IConstruct) -> ServicePrincipal {
    let default = ServicePrincipal::new("sns.amazonaws.com");
    let Some(topic_region) = topic_region(topic, subscriber) else {
        return default;
    };
    let Some(sub_region) =
        Stack::from_node(subscriber.node()).and_then(|s| s.region().literal().map(str::to_string))
    else {
        return default;
    };
    if topic_region == sub_region {
        return default;
    }
    if OPT_IN_REGIONS.contains(&sub_region.as_str()) {
        ServicePrincipal::new(&format!("sns.{sub_region}.amazonaws.com"))
    } else if OPT_IN_REGIONS.contains(&topic_region.as_str()) {
        ServicePrincipal::new(&format!("sns.{topic_region}.amazonaws.com"))
    } else {
        default
    }
}

/// aws-cdk-lib's `regionFromArn`: the topic's region for a subscriber in another region.
fn region_from_arn(
    topic: &dyn ITopic,
    resource: &dyn IConstruct,
    resource_region: Str,
) -> Option<Str> {
    if topic.is_owned() {
        let topic_stack = Stack::from_node(topic.node());
        let resource_stack = Stack::from_node(resource.node());
        let region = topic.env().region;
        (topic_stack != resource_stack
            && !region.is_token()
            && region.compare(&resource_region) != cdk_core::TokenComparison::Same)
            .then_some(region)
    } else {
        Stack::from_node(topic.node())?
            .split_arn(topic.topic_arn(), ArnFormat::SlashResourceName)
            .region
    }
}

/// A subscriber in another stack than the topic depends on the topic's stack.
fn depend_on_topic_stack(topic: &dyn ITopic, subscriber: &dyn IConstruct) {
    if !topic.is_owned() {
        return;
    }
    if let (Some(t), Some(s)) = (
        Stack::from_node(topic.node()),
        Stack::from_node(subscriber.node()),
    ) {
        if t != s {
            s.add_dependency(&t, "SNS subscription");
        }
    }
}

/// Options of an [`SqsSubscription`].
#[derive(Clone, Default)]
pub struct SqsSubscriptionProps {
    /// Filters and dead-letter queue.
    pub options: SubscriptionOptions,
    /// Deliver the message as published (not wrapped in SNS JSON).
    pub raw_message_delivery: bool,
}

/// A queue subscribed to a topic. The subscription (construct ID: the topic's unique ID) is
/// created under the queue; the queue policy lets the topic send (`sqs:SendMessage` with an
/// `aws:SourceArn` condition), and an encrypted queue's key lets SNS decrypt and generate
/// data keys.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::sns::{ITopic, Topic, TopicProps};
/// use cdk_constructs::sns_subscriptions::SqsSubscription;
/// use cdk_constructs::sqs::{Queue, QueueProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Fanout", StackProps::default());
/// let topic = Topic::new(&stack, "Orders", TopicProps::default());
/// let queue = Queue::new(&stack, "Billing", QueueProps::default());
/// topic.add_subscription(&SqsSubscription::new(queue));
/// ```
#[derive(Clone)]
pub struct SqsSubscription {
    queue: Rc<dyn IQueue>,
    props: SqsSubscriptionProps,
}

impl SqsSubscription {
    /// Subscribes `queue` with default options.
    pub fn new(queue: impl Into<Rc<dyn IQueue>>) -> Self {
        Self::with_props(queue, SqsSubscriptionProps::default())
    }

    /// Subscribes `queue` with `props`.
    pub fn with_props(queue: impl Into<Rc<dyn IQueue>>, props: SqsSubscriptionProps) -> Self {
        SqsSubscription {
            queue: queue.into(),
            props,
        }
    }
}

impl ITopicSubscription for SqsSubscription {
    fn bind(&self, topic: &dyn ITopic) -> TopicSubscriptionConfig {
        let queue = &self.queue;
        let principal = sns_principal(topic, queue.as_ref());
        if queue.encryption_type() == Some(QueueEncryption::KmsManaged) {
            topic.node().add_error(
                "SQS queue encrypted by AWS managed KMS key cannot be used as SNS subscription",
            );
        }
        if self
            .props
            .options
            .dead_letter_queue
            .as_ref()
            .is_some_and(|q| q.encryption_type() == Some(QueueEncryption::KmsManaged))
        {
            topic.node().add_error(
                "SQS queue encrypted by AWS managed KMS key cannot be used as dead-letter queue",
            );
        }
        let added = queue.add_to_resource_policy(
            PolicyStatement::new()
                .resource(queue.queue_arn())
                .action("sqs:SendMessage")
                .principal(&principal)
                .condition("ArnEquals", "aws:SourceArn", topic.topic_arn()),
        );
        if let Some(key) = queue.encryption_master_key() {
            let mut statement = PolicyStatement::new()
                .resource("*")
                .actions(["kms:Decrypt", "kms:GenerateDataKey"])
                .principal(&principal);
            if feature_flags::is_enabled(topic.node(), SNS_SUBSCRIPTIONS_SQS_DECRYPTION_POLICY) {
                statement = statement.condition("ArnEquals", "aws:SourceArn", topic.topic_arn());
            }
            key.add_to_resource_policy(statement);
        }
        depend_on_topic_stack(topic, queue.as_ref());
        let mut config = TopicSubscriptionConfig::new(
            Names::unique_id(topic.node()),
            queue.queue_arn(),
            SubscriptionProtocol::Sqs,
        );
        config.subscriber_scope = Some(queue.node().clone());
        config.raw_message_delivery = self.props.raw_message_delivery.then_some(true);
        config.filter_policy = self.props.options.filter_policy.clone();
        config.filter_policy_with_message_body =
            self.props.options.filter_policy_with_message_body.clone();
        config.region = region_from_arn(topic, queue.as_ref(), queue.env().region);
        config.dead_letter_queue = self.props.options.dead_letter_queue.clone();
        config.subscription_dependency = added.policy_dependable;
        config
    }
}

/// A Lambda function subscribed to a topic: a permission `AllowInvoke:<topic unique ID>` for
/// `sns.amazonaws.com` and the subscription (construct ID: the topic's ID) under the function.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::sns::{ITopic, Topic, TopicProps};
/// use cdk_constructs::sns_subscriptions::LambdaSubscription;
///
/// let app = App::new();
/// let stack = Stack::new(&app, "Fanout", StackProps::default());
/// let topic = Topic::new(&stack, "Orders", TopicProps::default());
/// let handler = Function::new(&stack, "Handler", FunctionProps::new(
///     Runtime::Nodejs24X, "index.handler", Code::from_inline("exports.handler = async () => {};")));
/// topic.add_subscription(&LambdaSubscription::new(handler));
/// ```
#[derive(Clone)]
pub struct LambdaSubscription {
    function: Rc<dyn IFunction>,
    options: SubscriptionOptions,
}

impl LambdaSubscription {
    /// Subscribes `function` with default options.
    pub fn new(function: impl IFunction + 'static) -> Self {
        Self::with_options(Rc::new(function), SubscriptionOptions::default())
    }

    /// Subscribes `function` with `options`.
    pub fn with_options(function: Rc<dyn IFunction>, options: SubscriptionOptions) -> Self {
        LambdaSubscription { function, options }
    }
}

impl ITopicSubscription for LambdaSubscription {
    fn bind(&self, topic: &dyn ITopic) -> TopicSubscriptionConfig {
        let f = &self.function;
        let mut permission = Permission::new("sns.amazonaws.com");
        permission.source_arn = Some(topic.topic_arn());
        f.add_permission(
            &format!("AllowInvoke:{}", Names::unique_id(topic.node())),
            permission,
        );
        depend_on_topic_stack(topic, f.as_ref());
        let mut config = TopicSubscriptionConfig::new(
            topic.node().id(),
            f.function_arn(),
            SubscriptionProtocol::Lambda,
        );
        config.subscriber_scope = Some(f.node().clone());
        config.filter_policy = self.options.filter_policy.clone();
        config.filter_policy_with_message_body =
            self.options.filter_policy_with_message_body.clone();
        config.region = region_from_arn(topic, f.as_ref(), f.env().region);
        config.dead_letter_queue = self.options.dead_letter_queue.clone();
        config
    }
}

/// An email address subscribed to a topic (the subscription's construct ID is the address;
/// the owner confirms by email).
#[derive(Clone)]
pub struct EmailSubscription {
    address: String,
    json: bool,
    options: SubscriptionOptions,
}

impl EmailSubscription {
    /// Plain-text email to `address`.
    pub fn new(address: impl Into<String>) -> Self {
        EmailSubscription {
            address: address.into(),
            json: false,
            options: SubscriptionOptions::default(),
        }
    }

    /// JSON email (`email-json`) instead of plain text.
    pub fn json(mut self) -> Self {
        self.json = true;
        self
    }

    /// With filters and a dead-letter queue.
    pub fn with_options(mut self, options: SubscriptionOptions) -> Self {
        self.options = options;
        self
    }
}

impl ITopicSubscription for EmailSubscription {
    fn bind(&self, _topic: &dyn ITopic) -> TopicSubscriptionConfig {
        let mut config = TopicSubscriptionConfig::new(
            self.address.clone(),
            self.address.as_str(),
            if self.json {
                SubscriptionProtocol::EmailJson
            } else {
                SubscriptionProtocol::Email
            },
        );
        config.filter_policy = self.options.filter_policy.clone();
        config.filter_policy_with_message_body =
            self.options.filter_policy_with_message_body.clone();
        config.dead_letter_queue = self.options.dead_letter_queue.clone();
        config
    }
}

/// An HTTP or HTTPS endpoint subscribed to a topic (the protocol follows the URL's scheme;
/// the subscription's construct ID is the URL with `/` written `--`, as in aws-cdk-lib).
#[derive(Clone)]
pub struct UrlSubscription {
    url: String,
    protocol: SubscriptionProtocol,
    raw_message_delivery: bool,
    delivery_policy: Option<DeliveryPolicy>,
    options: SubscriptionOptions,
}

impl UrlSubscription {
    /// Subscribes `url` (`http://...` or `https://...`).
    pub fn new(url: impl Into<String>) -> Result<Self, String> {
        let url = url.into();
        let protocol = if url.starts_with("https://") {
            SubscriptionProtocol::Https
        } else if url.starts_with("http://") {
            SubscriptionProtocol::Http
        } else {
            return Err("URL must start with either http:// or https://".into());
        };
        Ok(UrlSubscription {
            url,
            protocol,
            raw_message_delivery: false,
            delivery_policy: None,
            options: SubscriptionOptions::default(),
        })
    }

    /// Deliver messages as published.
    pub fn raw_message_delivery(mut self) -> Self {
        self.raw_message_delivery = true;
        self
    }

    /// Retry, throttling and request options (aws-cdk-lib's `deliveryPolicy`).
    pub fn delivery_policy(mut self, policy: DeliveryPolicy) -> Self {
        self.delivery_policy = Some(policy);
        self
    }

    /// With filters and a dead-letter queue.
    pub fn with_options(mut self, options: SubscriptionOptions) -> Self {
        self.options = options;
        self
    }
}

impl ITopicSubscription for UrlSubscription {
    fn bind(&self, _topic: &dyn ITopic) -> TopicSubscriptionConfig {
        // The constructs library turns `/` in construct IDs into `--`.
        let mut config = TopicSubscriptionConfig::new(
            self.url.replace('/', "--"),
            self.url.as_str(),
            self.protocol,
        );
        config.raw_message_delivery = self.raw_message_delivery.then_some(true);
        config.delivery_policy = self.delivery_policy.clone();
        config.filter_policy = self.options.filter_policy.clone();
        config.filter_policy_with_message_body =
            self.options.filter_policy_with_message_body.clone();
        config.dead_letter_queue = self.options.dead_letter_queue.clone();
        config
    }
}
