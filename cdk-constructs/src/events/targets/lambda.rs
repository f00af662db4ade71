//! The Lambda target (aws-cdk-lib's `targets.LambdaFunction`).

use std::rc::Rc;

use cdk_core::{IConstruct, Names, Stack};

use super::{target_base_builders, TargetBaseProps};
use crate::events::{IRuleTarget, Rule, RuleTargetConfig, RuleTargetInput, TargetResource};
use crate::lambda::{IFunction, Permission};

/// Properties of a [`LambdaFunction`] target.
#[derive(Clone, Default)]
pub struct LambdaFunctionProps {
    /// The event passed to the function (default: the matched event).
    pub event: Option<RuleTargetInput>,
    /// Dead-letter queue and retries.
    pub base: TargetBaseProps,
}

/// Invokes a Lambda function: an `AWS::Lambda::Permission` under the rule
/// (`AllowEventRule<function unique ID>`) lets EventBridge invoke it.
///
/// ```
/// use std::time::Duration;
/// use cdk_core::{App, Stack, StackProps};
/// use cdk_constructs::events::targets::LambdaFunction;
/// use cdk_constructs::events::{Rule, RuleProps, Schedule};
/// use cdk_constructs::lambda::{Code, Function, FunctionProps, Runtime};
/// use cdk_constructs::sqs::{Queue, QueueProps};
///
/// let app = App::new();
/// let stack = Stack::new(&app, "S", StackProps::default());
/// let f = Function::new(&stack, "Fn", FunctionProps::new(
///     Runtime::Nodejs22X, "index.handler", Code::from_inline("exports.handler = async () => {}")));
/// let dlq = Queue::new(&stack, "Dlq", QueueProps::default());
/// let rule = Rule::new(&stack, "Every5", RuleProps {
///     schedule: Some(Schedule::rate(Duration::from_secs(300))),
///     ..Default::default()
/// });
/// rule.add_target(LambdaFunction::new(&f).with_dead_letter_queue(&dlq).with_retry_attempts(0));
/// ```
#[derive(Clone)]
pub struct LambdaFunction {
    handler: Rc<dyn IFunction>,
    props: LambdaFunctionProps,
}

impl LambdaFunction {
    /// A target invoking `handler` with the matched event.
    pub fn new(handler: impl Into<Rc<dyn IFunction>>) -> Self {
        Self::with_props(handler, LambdaFunctionProps::default())
    }

    /// A target with properties.
    pub fn with_props(handler: impl Into<Rc<dyn IFunction>>, props: LambdaFunctionProps) -> Self {
        LambdaFunction {
            handler: handler.into(),
            props,
        }
    }
}

target_base_builders!(LambdaFunction);

impl IRuleTarget for LambdaFunction {
    fn bind(&self, rule: &Rule, _id: &str) -> RuleTargetConfig {
        // aws-cdk-lib's addLambdaPermission (the rule is a construct of this app).
        let id = format!("AllowEventRule{}", Names::unique_id(self.handler.node()));
        if rule.node().try_find_child(&id).is_none() {
            let mut permission = Permission::new("events.amazonaws.com");
            permission.action = Some("lambda:InvokeFunction".into());
            permission.source_arn = Some(rule.rule_arn());
            permission.scope = Some(rule.node().clone());
            self.handler.add_permission(&id, permission);
        }
        self.props.base.allow_rule_to_dead_letter_queue(rule);
        let env = self.handler.env();
        let mut config = RuleTargetConfig {
            arn: self.handler.function_arn(),
            input: self.props.event.clone(),
            target_resource: Stack::of(self.handler.node()).map(|stack| TargetResource {
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
