//! The SNS target (aws-cdk-lib's `targets.SnsTopic`).

use std::rc::Rc;

use cdk_core::{IConstruct, Stack};

use super::{singleton_event_role, target_base_builders, TargetBaseProps};
use crate::events::{IRuleTarget, Rule, RuleTargetConfig, RuleTargetInput, TargetResource};
use crate::iam::{IRole, ServicePrincipal};
use crate::sns::ITopic;

/// Properties of an [`SnsTopic`] target.
#[derive(Clone, Default)]
pub struct SnsTopicProps {
    /// The message published (e.g. [`RuleTargetInput::from_text`]; default: the matched
    /// event).
    pub message: Option<RuleTargetInput>,
    /// Publish with an IAM role instead of the topic's policy (default false; the rule's
    /// `EventsRole` unless `role` is given).
    pub authorize_using_role: bool,
    /// The role to publish with (implies `authorize_using_role`).
    pub role: Option<Rc<dyn IRole>>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Publishes events to a topic: by default the topic's policy lets `events.amazonaws.com`
/// publish; with [`SnsTopicProps::authorize_using_role`] a role does (aws-cdk-lib).
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::targets::{SnsTopic, SnsTopicProps};
/// use cdk_constructs::events::{EventPattern, Rule, RuleProps};
/// use cdk_constructs::sns::{Topic, TopicProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let alerts = Topic::new(&stack, "Alerts", TopicProps::default());
/// let rule = Rule::new(&stack, "BuildFailed", RuleProps {
///     event_pattern: Some(EventPattern { source: vec!["aws.codebuild".into()], ..Default::default() }),
///     ..Default::default()
/// });
/// rule.add_target(SnsTopic::with_props(&alerts, SnsTopicProps {
///     authorize_using_role: true,
///     ..Default::default()
/// }));
/// ```
#[derive(Clone)]
pub struct SnsTopic {
    topic: Rc<dyn ITopic>,
    props: SnsTopicProps,
}

impl SnsTopic {
    /// A target publishing the matched event to `topic`.
    pub fn new(topic: impl Into<Rc<dyn ITopic>>) -> Self {
        Self::with_props(topic, SnsTopicProps::default())
    }

    /// A target with properties.
    pub fn with_props(topic: impl Into<Rc<dyn ITopic>>, props: SnsTopicProps) -> Self {
        SnsTopic {
            topic: topic.into(),
            props,
        }
    }
}

target_base_builders!(SnsTopic);

impl IRuleTarget for SnsTopic {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        let role: Option<Rc<dyn IRole>> =
            if self.props.authorize_using_role || self.props.role.is_some() {
                let role = self
                    .props
                    .role
                    .clone()
                    .unwrap_or_else(|| Rc::new(singleton_event_role(rule.node())));
                self.topic.grant_publish(role.as_ref());
                Some(role)
            } else {
                self.topic
                    .grant_publish(&ServicePrincipal::new("events.amazonaws.com"));
                None
            };
        self.props.base.allow_rule_to_dead_letter_queue(rule);
        let env = self.topic.env();
        let mut config = RuleTargetConfig {
            arn: self.topic.topic_arn(),
            input: self.props.message.clone(),
            role_arn: role.map(|r| r.role_arn()),
            target_resource: Stack::of(self.topic.node()).map(|stack| TargetResource {
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
