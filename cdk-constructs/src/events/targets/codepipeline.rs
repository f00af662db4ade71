//! The CodePipeline target (aws-cdk-lib's `targets.CodePipeline`).

use std::rc::Rc;

use cdk_core::Stack;

use super::{target_base_builders, TargetBaseProps};
use crate::codepipeline::IPipeline;
use crate::events::{IRuleTarget, Rule, RuleTargetConfig, TargetResource};
use crate::iam::{IRole, PolicyStatement};

/// Options of [`CodePipeline`].
#[derive(Clone, Default)]
pub struct CodePipelineTargetOptions {
    /// The role EventBridge assumes to start the pipeline (default: the pipeline's
    /// `EventsRole`, shared by all rules targeting it).
    pub event_role: Option<Rc<dyn IRole>>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Starts a pipeline: the events role gets `codepipeline:StartPipelineExecution` on it.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::{Pipeline, PipelineProps};
/// use cdk_constructs::events::targets::CodePipeline;
/// use cdk_constructs::events::{Rule, RuleProps, Schedule};
/// use cdk_constructs::sqs::{Queue, QueueProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps::default());
/// let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
/// let nightly = Rule::new(&stack, "Nightly", RuleProps {
///     schedule: Some(Schedule::expression("cron(0 3 * * ? *)")),
///     ..Default::default()
/// });
/// nightly.add_target(
///     CodePipeline::new(&pipeline)
///         .with_dead_letter_queue(&dlq)
///         .with_retry_attempts(2)
///         .with_max_event_age(Duration::from_secs(7200)),
/// );
/// ```
#[derive(Clone)]
pub struct CodePipeline {
    pipeline: Rc<dyn IPipeline>,
    props: CodePipelineTargetOptions,
}

/// The name rcdk used before it had aws-cdk-lib's (`events::CodePipelineTarget`).
pub type CodePipelineTarget = CodePipeline;

impl CodePipeline {
    /// A target starting `pipeline` with its default events role.
    pub fn new(pipeline: &(impl IPipeline + Clone + 'static)) -> Self {
        Self::with_options(pipeline, CodePipelineTargetOptions::default())
    }

    /// A target with options.
    pub fn with_options(
        pipeline: &(impl IPipeline + Clone + 'static),
        options: CodePipelineTargetOptions,
    ) -> Self {
        CodePipeline {
            pipeline: Rc::new(pipeline.clone()),
            props: options,
        }
    }
}

target_base_builders!(CodePipeline);

impl IRuleTarget for CodePipeline {
    fn bind(&self, _rule: &Rule, _id: &str) -> RuleTargetConfig {
        let role: Rc<dyn IRole> = self
            .props
            .event_role
            .clone()
            .unwrap_or_else(|| Rc::new(self.pipeline.events_role()));
        let arn = self.pipeline.pipeline_arn();
        role.add_to_policy(
            PolicyStatement::new()
                .resource(arn.clone())
                .action("codepipeline:StartPipelineExecution"),
        );
        let env = self.pipeline.env();
        let mut config = RuleTargetConfig {
            arn,
            role_arn: Some(role.role_arn()),
            target_resource: Stack::of(self.pipeline.node()).map(|stack| TargetResource {
                account: env.account,
                region: env.region,
                stack,
            }),
            ..Default::default()
        };
        // As aws-cdk-lib: no queue policy for the dead-letter queue of a pipeline target.
        self.props.base.apply(&mut config);
        config
    }
}
