//! The SQS target (aws-cdk-lib's `targets.SqsQueue`).

use std::collections::BTreeMap;
use std::rc::Rc;

use cdk_core::feature_flags::{self, EVENTS_TARGET_QUEUE_SAME_ACCOUNT};
use cdk_core::{IConstruct, Stack, Str, Value};

use super::{target_base_builders, TargetBaseProps};
use crate::events::{IRule, IRuleTarget, Rule, RuleTargetConfig, RuleTargetInput, TargetResource};
use crate::iam::{IPrincipal, PrincipalWithConditions, ServicePrincipal};
use crate::sqs::IQueue;

/// Properties of an [`SqsQueue`] target.
#[derive(Clone, Default)]
pub struct SqsQueueProps {
    /// The message sent (default: the matched event).
    pub message: Option<RuleTargetInput>,
    /// The message group of a FIFO queue (`SqsParameters.MessageGroupId`).
    pub message_group_id: Option<Str>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Sends events to a queue: the queue's policy lets `events.amazonaws.com` send messages
/// (for this rule; for a KMS-encrypted queue from this account when
/// `@aws-cdk/aws-events:eventsTargetQueueSameAccount` is on, and the key lets EventBridge
/// use it), as aws-cdk-lib.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::targets::SqsQueue;
/// use cdk_constructs::events::{Rule, RuleProps, Schedule};
/// use cdk_constructs::sqs::{Queue, QueueProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let queue = Queue::new(&stack, "Jobs", QueueProps::default());
/// let rule = Rule::new(&stack, "Hourly", RuleProps {
///     schedule: Some(Schedule::rate(Duration::from_secs(3600))),
///     ..Default::default()
/// });
/// rule.add_target(SqsQueue::new(&queue).with_max_event_age(Duration::from_secs(600)));
/// ```
#[derive(Clone)]
pub struct SqsQueue {
    queue: Rc<dyn IQueue>,
    props: SqsQueueProps,
}

impl SqsQueue {
    /// A target sending the matched event to `queue`.
    pub fn new(queue: impl Into<Rc<dyn IQueue>>) -> Self {
        Self::with_props(queue, SqsQueueProps::default())
    }

    /// A target with properties.
    pub fn with_props(queue: impl Into<Rc<dyn IQueue>>, props: SqsQueueProps) -> Self {
        SqsQueue {
            queue: queue.into(),
            props,
        }
    }
}

target_base_builders!(SqsQueue);

impl IRuleTarget for SqsQueue {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        let mut conditions = BTreeMap::new();
        if self.queue.encryption_master_key().is_some() {
            if feature_flags::is_enabled(rule.node(), EVENTS_TARGET_QUEUE_SAME_ACCOUNT) {
                conditions.insert(
                    "StringEquals".to_string(),
                    BTreeMap::from([(
                        "aws:SourceAccount".to_string(),
                        Value::from(IRule::env(rule).account),
                    )]),
                );
            }
        } else {
            conditions.insert(
                "ArnEquals".to_string(),
                BTreeMap::from([("aws:SourceArn".to_string(), Value::from(rule.rule_arn()))]),
            );
        }
        let events: Rc<dyn IPrincipal> = Rc::new(ServicePrincipal::new("events.amazonaws.com"));
        if conditions.is_empty() {
            self.queue.grant_send_messages(events.as_ref());
        } else {
            self.queue
                .grant_send_messages(&PrincipalWithConditions::new(events, conditions));
        }
        self.props.base.allow_rule_to_dead_letter_queue(rule);
        let env = self.queue.env();
        let mut config = RuleTargetConfig {
            arn: self.queue.queue_arn(),
            input: self.props.message.clone(),
            message_group_id: self.props.message_group_id.clone(),
            target_resource: Stack::of(self.queue.node()).map(|stack| TargetResource {
                account: env.account,
                region: env.region,
                stack,
            }),
            ..Default::default()
        };
        self.props.base.apply(&mut config);
        config
    }
}
