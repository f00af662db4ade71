//! The CodeBuild target (aws-cdk-lib's `targets.CodeBuildProject`).

use std::rc::Rc;

use cdk_core::Stack;

use super::{singleton_event_role, target_base_builders, TargetBaseProps};
use crate::codebuild::IProject;
use crate::events::{IRuleTarget, Rule, RuleTargetConfig, RuleTargetInput, TargetResource};
use crate::iam::{IRole, PolicyStatement};

/// Properties of a [`CodeBuildProject`] target.
#[derive(Clone, Default)]
pub struct CodeBuildProjectProps {
    /// The role EventBridge assumes to start builds (default: the project's `EventsRole`,
    /// shared by every rule targeting the project).
    pub event_role: Option<Rc<dyn IRole>>,
    /// The event passed to the build (a `StartBuild` request's fields, e.g.
    /// [`RuleTargetInput::from_object`]; default: the matched event).
    pub event: Option<RuleTargetInput>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Starts a build: the events role gets `codebuild:StartBuild` on the project.
///
/// ```
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::codebuild::{PipelineProject, PipelineProjectProps};
/// use cdk_constructs::events::targets::CodeBuildProject;
/// use cdk_constructs::events::{Rule, RuleProps, Schedule};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let project = PipelineProject::new(&stack, "Build", PipelineProjectProps::default());
/// let nightly = Rule::new(&stack, "Nightly", RuleProps {
///     schedule: Some(Schedule::expression("cron(0 1 * * ? *)")),
///     ..Default::default()
/// });
/// nightly.add_target(CodeBuildProject::new(project.project()).with_retry_attempts(2));
/// ```
#[derive(Clone)]
pub struct CodeBuildProject {
    project: Rc<dyn IProject>,
    props: CodeBuildProjectProps,
}

impl CodeBuildProject {
    /// A target starting builds of `project`.
    pub fn new(project: &(impl IProject + Clone + 'static)) -> Self {
        Self::with_props(project, CodeBuildProjectProps::default())
    }

    /// A target with properties.
    pub fn with_props(
        project: &(impl IProject + Clone + 'static),
        props: CodeBuildProjectProps,
    ) -> Self {
        CodeBuildProject {
            project: Rc::new(project.clone()),
            props,
        }
    }
}

target_base_builders!(CodeBuildProject);

impl IRuleTarget for CodeBuildProject {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        self.props.base.allow_rule_to_dead_letter_queue(rule);
        let role: Rc<dyn IRole> = self
            .props
            .event_role
            .clone()
            .unwrap_or_else(|| Rc::new(singleton_event_role(self.project.node())));
        let arn = self.project.project_arn();
        role.add_to_policy(
            PolicyStatement::new()
                .action("codebuild:StartBuild")
                .resource(arn.clone()),
        );
        let env = self.project.env();
        let mut config = RuleTargetConfig {
            arn,
            role_arn: Some(role.role_arn()),
            input: self.props.event.clone(),
            target_resource: Stack::of(self.project.node()).map(|stack| TargetResource {
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
