//! Rule targets (aws-cdk-lib's `aws-events-targets`).

use std::rc::Rc;

use cdk_core::Stack;

use super::{IRuleTarget, Rule, RuleTargetConfig, TargetResource};
use crate::codepipeline::IPipeline;
use crate::iam::{IRole, PolicyStatement};

/// Options of [`CodePipelineTarget`].
#[derive(Clone, Default)]
pub struct CodePipelineTargetOptions {
    /// The role EventBridge assumes to start the pipeline (default: the pipeline's
    /// `EventsRole`, shared by all rules targeting it).
    pub event_role: Option<Rc<dyn IRole>>,
}

/// Starts a pipeline: the events role gets `codepipeline:StartPipelineExecution` on it.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codepipeline::{Pipeline, PipelineProps};
/// use cdk_constructs::events::{CodePipelineTarget, Rule, RuleProps, Schedule};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let pipeline = Pipeline::new(&stack, "Pipeline", PipelineProps::default());
/// let nightly = Rule::new(&stack, "Nightly", RuleProps {
///     schedule: Some(Schedule::expression("cron(0 3 * * ? *)")),
///     ..Default::default()
/// });
/// nightly.add_target(CodePipelineTarget::new(&pipeline));
/// ```
#[derive(Clone)]
pub struct CodePipelineTarget {
    pipeline: Rc<dyn IPipeline>,
    options: CodePipelineTargetOptions,
}

impl CodePipelineTarget {
    /// A target starting `pipeline` with its default events role.
    pub fn new(pipeline: &(impl IPipeline + Clone + 'static)) -> Self {
        Self::with_options(pipeline, CodePipelineTargetOptions::default())
    }

    /// A target with options.
    pub fn with_options(
        pipeline: &(impl IPipeline + Clone + 'static),
        options: CodePipelineTargetOptions,
    ) -> Self {
        CodePipelineTarget {
            pipeline: Rc::new(pipeline.clone()),
            options,
        }
    }
}

impl IRuleTarget for CodePipelineTarget {
    fn bind(&self, _rule: &Rule, _id: &str) -> RuleTargetConfig {
        let role: Rc<dyn IRole> = self
            .options
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
        RuleTargetConfig {
            id: None,
            arn,
            role_arn: Some(role.role_arn()),
            input: None,
            target_resource: Stack::of(self.pipeline.node()).map(|stack| TargetResource {
                account: env.account,
                region: env.region,
                stack,
            }),
        }
    }
}
