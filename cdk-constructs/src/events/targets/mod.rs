//! Rule targets (aws-cdk-lib's `aws-events-targets`): Lambda functions, SQS queues, SNS
//! topics, CodeBuild projects, CodePipeline pipelines, API Gateway REST APIs and event buses, each with the
//! dead-letter queue and retry options of [`TargetBaseProps`] rendered as aws-cdk-lib renders
//! them (`DeadLetterConfig`, `RetryPolicy`, and the queue policy letting the rule send to the
//! dead-letter queue).

use std::rc::Rc;
use std::time::Duration;

use cdk_core::{IConstruct, Names, TokenComparison};

pub(crate) use super::singleton_event_role;
use super::{IRule, Rule, RuleTargetConfig, TargetRetryPolicy};
use crate::iam::{Effect, PolicyStatement, ServicePrincipal};
use crate::sqs::IQueue;

#[cfg(feature = "apigateway")]
mod api_gateway;
#[cfg(all(
    feature = "s3",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
mod codebuild;
#[cfg(all(
    feature = "s3",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
mod codepipeline;
mod event_bus;
#[cfg(feature = "lambda")]
mod lambda;
#[cfg(feature = "sns")]
mod sns;
mod sqs;

#[cfg(feature = "apigateway")]
pub use api_gateway::{ApiGateway, ApiGatewayProps};
#[cfg(all(
    feature = "s3",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
pub use codebuild::{CodeBuildProject, CodeBuildProjectProps};
#[cfg(all(
    feature = "s3",
    feature = "codecommit",
    feature = "codebuild",
    feature = "codepipeline"
))]
pub use codepipeline::{CodePipeline, CodePipelineTarget, CodePipelineTargetOptions};
pub use event_bus::{EventBus, EventBusProps};
#[cfg(feature = "lambda")]
pub use lambda::{LambdaFunction, LambdaFunctionProps};
#[cfg(feature = "sns")]
pub use sns::{SnsTopic, SnsTopicProps};
pub use sqs::{SqsQueue, SqsQueueProps};

/// Options every target has (aws-cdk-lib's `TargetBaseProps`).
#[derive(Clone, Default)]
pub struct TargetBaseProps {
    /// Where EventBridge sends events it could not deliver (default: none). The queue gets a
    /// policy statement letting this rule send to it (same account; another account: a
    /// warning, add it there yourself).
    pub dead_letter_queue: Option<Rc<dyn IQueue>>,
    /// How long EventBridge retries (whole seconds, 60 s to 24 h; default: EventBridge's, 24 h).
    pub max_event_age: Option<Duration>,
    /// How many times EventBridge retries (0 to 185; default: EventBridge's, 185).
    pub retry_attempts: Option<u32>,
}

impl TargetBaseProps {
    /// aws-cdk-lib's `bindBaseTargetConfig`: the target's `DeadLetterConfig` and
    /// `RetryPolicy`.
    pub(crate) fn apply(&self, config: &mut RuleTargetConfig) {
        if let Some(queue) = &self.dead_letter_queue {
            config.dead_letter_arn = Some(queue.queue_arn());
        }
        if self.retry_attempts.is_some() || self.max_event_age.is_some() {
            config.retry_policy = Some(TargetRetryPolicy {
                maximum_retry_attempts: self.retry_attempts,
                maximum_event_age_in_seconds: self.max_event_age.map(|d| d.as_secs()),
            });
        }
    }

    /// aws-cdk-lib's `addToDeadLetterQueueResourcePolicy` for the dead-letter queue, if any.
    pub(crate) fn allow_rule_to_dead_letter_queue(&self, rule: &Rule) {
        if let Some(queue) = &self.dead_letter_queue {
            add_to_dead_letter_queue_resource_policy(rule, queue.as_ref());
        }
    }
}

/// Builder methods for the [`TargetBaseProps`] of a target.
macro_rules! target_base_builders {
    ($target:ty) => {
        impl $target {
            /// Sends undeliverable events to `queue` (see
            /// [`TargetBaseProps::dead_letter_queue`](super::TargetBaseProps::dead_letter_queue)).
            pub fn with_dead_letter_queue(
                mut self,
                queue: impl Into<std::rc::Rc<dyn $crate::sqs::IQueue>>,
            ) -> Self {
                self.props.base.dead_letter_queue = Some(queue.into());
                self
            }
            /// Retries at most `attempts` times.
            pub fn with_retry_attempts(mut self, attempts: u32) -> Self {
                self.props.base.retry_attempts = Some(attempts);
                self
            }
            /// Retries for at most `age`.
            pub fn with_max_event_age(mut self, age: std::time::Duration) -> Self {
                self.props.base.max_event_age = Some(age);
                self
            }
        }
    };
}
pub(crate) use target_base_builders;

fn same_env_dimension(a: &cdk_core::Str, b: &cdk_core::Str) -> bool {
    a.compare(b) != TokenComparison::Different
}

/// aws-cdk-lib's `addToDeadLetterQueueResourcePolicy`.
fn add_to_dead_letter_queue_resource_policy(rule: &Rule, queue: &dyn IQueue) {
    let rule_env = IRule::env(rule);
    let queue_env = queue.env();
    if !same_env_dimension(&rule_env.region, &queue_env.region) {
        rule.node().add_error(&format!(
            "Cannot assign Dead Letter Queue in region {} to the rule {} in region {}. Both the queue and the rule must be in the same region.",
            queue_env.region.literal().unwrap_or("${Token}"),
            Names::unique_id(rule),
            rule_env.region.literal().unwrap_or("${Token}"),
        ));
        return;
    }
    if same_env_dimension(&rule_env.account, &queue_env.account) {
        let sid = format!("AllowEventRule{}", Names::unique_id(rule));
        queue.as_policy_resource().add_to_resource_policy(
            PolicyStatement::new()
                .sid(&sid)
                .principal(&ServicePrincipal::new("events.amazonaws.com"))
                .effect(Effect::Allow)
                .action("sqs:SendMessage")
                .resource(queue.queue_arn())
                .condition("ArnEquals", "aws:SourceArn", rule.rule_arn()),
        );
    } else {
        rule.node().add_warning(&format!(
            "Cannot add a resource policy to your dead letter queue associated with rule {} because the queue is in a different account. You must add the resource policy manually to the dead letter queue in account {}. [ack: @aws-cdk/aws-events-targets:manuallyAddDLQResourcePolicy]",
            rule.node().path(),
            queue_env.account.literal().unwrap_or("${Token}"),
        ));
    }
}
